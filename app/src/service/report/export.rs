//! The report as a file (REST `GET /api/v1/kommuner/{nr}/rapport?format=json|csv|xlsx`):
//! every matching row, streamed from one read connection in chunks, so 2 million rows go out
//! in bounded memory. The XLSX is written by `rust_xlsxwriter` in constant-memory mode (rows go
//! to a temporary file per sheet; the zip is streamed out as it is compressed).
//!
//! Each export is audited once before the first byte leaves: who, which kommune, how many rows
//! with CPR numbers, and the filter.

use super::{WHAT, display_cpr, oprettet_date, parse_filter, require_reader};
use crate::clock;
use crate::domain::export::csv_cell;
use crate::domain::report::{COLUMNS, danish_decimal, push_csv_field};
use crate::domain::{Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::report::ReportQuery;
use crate::model::task::TaskKind;
use crate::state::AppContext;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::counters;
use crate::store::report::{self as store, Filter, ReportRow};
use tokio::sync::mpsc;

/// Bytes per chunk sent to the client.
const CHUNK: usize = 64 * 1024;

/// Data rows per XLSX sheet: Excel's limit is 1,048,576 rows, one of them the header.
pub const XLSX_ROWS_PER_SHEET: u32 = 1_048_575;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(text: Option<&str>) -> Result<ExportFormat, AppError> {
        match text.map(str::trim) {
            None | Some("") | Some("json") => Ok(ExportFormat::Json),
            Some("csv") => Ok(ExportFormat::Csv),
            Some("xlsx") => Ok(ExportFormat::Xlsx),
            Some(other) => {
                Err(AppError::field("format", format!("Ukendt format «{other}»; brug json, csv eller xlsx.")))
            }
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Json => "application/json",
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// An export under way: its chunks arrive on `body`; an error ends the stream.
pub struct Export {
    pub format: ExportFormat,
    pub filename: String,
    pub rows: i64,
    pub body: mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
}

/// Starts an export of the rows matching `q` (its sort, all pages).
pub async fn export(
    ctx: &AppContext,
    actor: &crate::service::Actor,
    k: Kommunenr,
    q: &ReportQuery,
    format: ExportFormat,
) -> Result<Export, AppError> {
    require_reader(ctx, actor, k).await?;
    let filter = parse_filter(q)?;
    let rows = {
        let mut conn = ctx.db.read.acquire().await?;
        if filter.is_counted_by_counters() {
            let counts = counters::read(&mut conn, k).await?;
            filter.opgavepakke.and_then(Opgavepakke::new).map_or(counts.total(), |p| counts.get(p))
        } else {
            store::count_all(&mut conn, k.get(), &filter).await?
        }
    };
    ctx.audit(vec![AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::ExportReport,
        detail: format!("{WHAT} som {}: {rows} rækker med CPR-numre{}", format.extension(), describe(&filter)),
    }])
    .await?;
    let (tx, body) = mpsc::channel(4);
    let mut conn = ctx.db.read.acquire().await?;
    let version = counters::read(&mut conn, k).await?.version;
    // The rows are read on a blocking thread and reach the formatter in batches.
    let (rows_tx, rows_rx) = mpsc::channel::<Vec<ReportRow>>(4);
    let sort = q.sort;
    let reader = if ctx.db.is_postgres() {
        tokio::spawn(async move {
            store::export_batches_async(&mut conn, k.get(), &filter, sort, &rows_tx).await.map_err(|e| e.to_string())
        })
    } else {
        tokio::task::spawn_blocking(move || {
            let conn = crate::store::AnyConn::sqlite(&mut conn).map_err(|e| e.to_string())?;
            store::export_batches(conn, k.get(), &filter, sort, &rows_tx).map_err(|e| e.to_string())
        })
    };
    let reader = async move { reader.await.map_err(|e| format!("rapportens læser stoppede: {e}")).and_then(|r| r) };
    match format {
        ExportFormat::Csv | ExportFormat::Json => {
            tokio::spawn(async move {
                let written = text_rows(rows_rx, format, version, &tx).await;
                finish(reader.await.and(written), &tx).await;
            });
        }
        ExportFormat::Xlsx => {
            let out = tx.clone();
            let writer = tokio::task::spawn_blocking(move || {
                let mut sink = ChannelWriter { buf: Vec::with_capacity(CHUNK), tx: out };
                xlsx::write(rows_rx, &mut sink).and_then(|()| std::io::Write::flush(&mut sink).map_err(Into::into))
            });
            tokio::spawn(async move {
                let read = reader.await;
                let written = writer
                    .await
                    .map_err(|e| format!("xlsx-skriveren stoppede: {e}"))
                    .and_then(|r| r.map_err(|e| e.to_string()));
                finish(read.and(written), &tx).await;
            });
        }
    }
    let filename = format!("rapport-r21-{}-{}.{}", k, clock::today().format("%Y-%m-%d"), format.extension());
    Ok(Export { format, filename, rows, body })
}

/// A readable summary of the filter for the audit row.
fn describe(f: &Filter) -> String {
    let mut parts = Vec::new();
    if let Some(p) = f.opgavepakke {
        parts.push(format!("opgavepakke {p:02}"));
    }
    if let Some(s) = &f.sagsbehandler {
        parts.push(format!("sagsbehandler {s}"));
    }
    match &f.tildelt {
        store::TildeltFilter::Any => {}
        store::TildeltFilter::Nobody => parts.push("ikke tildelt".into()),
        store::TildeltFilter::User(u) => parts.push(format!("tildelt {u}")),
    }
    if let Some(c) = &f.cpr_prefix {
        parts.push(format!("CPR {c}…"));
    }
    if let Some(m) = f.min_oere {
        parts.push(format!("hovedstol ≥ {}", danish_decimal(m)));
    }
    if f.kun_tilbagefoersel {
        parts.push("kun tilbageførsel".into());
    }
    if parts.is_empty() { String::new() } else { format!(" (filter: {})", parts.join(", ")) }
}

async fn finish(result: Result<(), String>, tx: &mpsc::Sender<Result<Vec<u8>, std::io::Error>>) {
    if let Err(e) = result {
        // The client may be gone (that is how a cancelled download ends); else it sees a broken
        // download rather than a file that silently lacks rows.
        tracing::warn!(error = %e, "report export stopped");
        let _ = tx.send(Err(std::io::Error::other(e))).await;
    }
}

/// CSV or JSON, formatted on this task from the reader's batches and sent in chunks.
async fn text_rows(
    mut rows: mpsc::Receiver<Vec<ReportRow>>,
    format: ExportFormat,
    version: i64,
    tx: &mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
) -> Result<(), String> {
    let mut out = String::with_capacity(CHUNK + 1024);
    let mut first = true;
    if format == ExportFormat::Csv {
        // Excel reads a CSV file as UTF-8 only with the byte order mark.
        out.push('\u{feff}');
        out.push_str(&COLUMNS.join(";"));
        out.push_str("\r\n");
    } else {
        out.push_str(&format!("{{\"version\":{version},\"rows\":["));
    }
    while let Some(batch) = rows.recv().await {
        for row in &batch {
            match format {
                ExportFormat::Csv => csv_line(&mut out, row),
                _ => {
                    if !first {
                        out.push(',');
                    }
                    json_row(&mut out, row).map_err(|e| e.to_string())?;
                }
            }
            first = false;
            if out.len() >= CHUNK {
                let chunk = std::mem::replace(&mut out, String::with_capacity(CHUNK + 1024));
                if tx.send(Ok(chunk.into_bytes())).await.is_err() {
                    return Ok(()); // the client went away
                }
            }
        }
    }
    if format == ExportFormat::Json {
        out.push_str("]}");
    }
    let _ = tx.send(Ok(out.into_bytes())).await;
    Ok(())
}

fn kind_key(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Opret => "opret",
        TaskKind::Daekning => "daekning",
    }
}

/// One CSV line: text neutralised against formulas, amounts and dates the Danish way.
pub fn csv_line(out: &mut String, r: &ReportRow) {
    let oprettet = oprettet_date(&r.created_at).map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default();
    let fields: [String; 12] = [
        format!("{:02}", r.opgavepakke),
        r.id.to_string(),
        kind_key(r.kind).to_string(),
        display_cpr(&r.cpr),
        csv_cell(&r.navn).into_owned(),
        csv_cell(&r.fordring_id).into_owned(),
        danish_decimal(r.hovedstol),
        r.daekninger.to_string(),
        r.sagsbehandler.as_deref().map(|s| csv_cell(s).into_owned()).unwrap_or_default(),
        r.tildelt.as_deref().map(|s| csv_cell(s).into_owned()).unwrap_or_default(),
        if r.tilbagefoersel { "ja" } else { "nej" }.to_string(),
        oprettet,
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        push_csv_field(out, f);
    }
    out.push_str("\r\n");
}

/// One row of the JSON export (CONTRACT.md); the body is `{"version": N, "rows": [JsonRow…]}`
/// (`RapportJson`), written row by row.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct JsonRow<'a> {
    /// "03".
    pub opgavepakke: String,
    pub opgave_id: i64,
    /// "opret" or "daekning".
    #[serde(rename = "type")]
    #[schema(pattern = "^(opret|daekning)$")]
    pub kind: &'static str,
    /// "010190-1234".
    pub cpr: String,
    pub navn: &'a str,
    pub fordring_id: &'a str,
    /// In kroner.
    pub hovedstol: f64,
    pub daekninger: i64,
    /// The caseworker of the person's sagsmappe.
    pub sagsbehandler: Option<&'a str>,
    /// Who the task is handed to.
    pub tildelt: Option<&'a str>,
    pub tilbagefoersel: bool,
    /// "YYYY-MM-DD".
    #[schema(format = Date)]
    pub oprettet: Option<String>,
}

/// The JSON export's body as `export` streams it, chunk by chunk (never built whole).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RapportJson<'a> {
    /// The kommune's counts version the rows were read at.
    pub version: i64,
    pub rows: Vec<JsonRow<'a>>,
}

fn json_row(out: &mut String, r: &ReportRow) -> Result<(), serde_json::Error> {
    let row = JsonRow {
        opgavepakke: format!("{:02}", r.opgavepakke),
        opgave_id: r.id,
        kind: kind_key(r.kind),
        cpr: display_cpr(&r.cpr),
        navn: &r.navn,
        fordring_id: &r.fordring_id,
        hovedstol: r.hovedstol as f64 / 100.0,
        daekninger: r.daekninger,
        sagsbehandler: r.sagsbehandler.as_deref(),
        tildelt: r.tildelt.as_deref(),
        tilbagefoersel: r.tilbagefoersel,
        oprettet: oprettet_date(&r.created_at).map(|d| d.format("%Y-%m-%d").to_string()),
    };
    out.push_str(&serde_json::to_string(&row)?);
    Ok(())
}

/// `Write` onto the response's chunk channel, from the XLSX writer's (blocking) thread.
struct ChannelWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

mod xlsx {
    //! The workbook: a header row (bold, frozen, with an autofilter), amounts as numbers with
    //! two decimals, `oprettet` as a date cell; text neutralised like the CSV's.

    use super::{COLUMNS, XLSX_ROWS_PER_SHEET, display_cpr, kind_key, oprettet_date};
    use crate::domain::export::csv_cell;
    use crate::store::report::ReportRow;
    use chrono::Datelike;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
    use tokio::sync::mpsc;

    const WIDTHS: [f64; 12] = [12.0, 11.0, 9.0, 13.0, 28.0, 14.0, 14.0, 11.0, 16.0, 16.0, 14.0, 11.0];

    pub fn write(
        mut rows: mpsc::Receiver<Vec<ReportRow>>,
        out: &mut (impl std::io::Write + Send),
    ) -> Result<(), XlsxError> {
        let mut wb = Workbook::new();
        // Level 1 instead of 6: a third of the time for a file a fifth larger.
        wb.set_zip_compression_level(1);
        let header = Format::new().set_bold();
        let money = Format::new().set_num_format("#,##0.00");
        let date = Format::new().set_num_format("dd.mm.yyyy");
        let mut sheet = 0usize;
        let mut row: u32 = 0;
        add_sheet(&mut wb, 0, &header)?;
        while let Some(batch) = rows.blocking_recv() {
            for r in batch {
                if row == XLSX_ROWS_PER_SHEET {
                    finish_sheet(&mut wb, sheet, row)?;
                    sheet += 1;
                    row = 0;
                    add_sheet(&mut wb, sheet, &header)?;
                }
                row += 1;
                let ws = wb.worksheet_from_index(sheet)?;
                ws.write_string(row, 0, format!("{:02}", r.opgavepakke))?;
                ws.write_number(row, 1, r.id as f64)?;
                ws.write_string(row, 2, kind_key(r.kind))?;
                ws.write_string(row, 3, display_cpr(&r.cpr))?;
                ws.write_string(row, 4, csv_cell(&r.navn))?;
                ws.write_string(row, 5, csv_cell(&r.fordring_id))?;
                ws.write_number_with_format(row, 6, r.hovedstol as f64 / 100.0, &money)?;
                ws.write_number(row, 7, r.daekninger as f64)?;
                if let Some(s) = &r.sagsbehandler {
                    ws.write_string(row, 8, csv_cell(s))?;
                }
                if let Some(s) = &r.tildelt {
                    ws.write_string(row, 9, csv_cell(s))?;
                }
                ws.write_string(row, 10, if r.tilbagefoersel { "ja" } else { "nej" })?;
                if let Some(d) = oprettet_date(&r.created_at) {
                    let cell = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(row, 11, &cell, &date)?;
                }
            }
        }
        finish_sheet(&mut wb, sheet, row)?;
        wb.save_to_writer(out)
    }

    fn add_sheet(wb: &mut Workbook, index: usize, header: &Format) -> Result<(), XlsxError> {
        let ws = wb.add_worksheet_with_constant_memory()?;
        ws.set_name(if index == 0 { "Rapport R2.1".to_string() } else { format!("Rapport R2.1 ({})", index + 1) })?;
        for (col, width) in WIDTHS.iter().enumerate() {
            ws.set_column_width(col as u16, *width)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (col, name) in COLUMNS.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, *name, header)?;
        }
        Ok(())
    }

    fn finish_sheet(wb: &mut Workbook, index: usize, last_row: u32) -> Result<(), XlsxError> {
        let ws = wb.worksheet_from_index(index)?;
        ws.autofilter(0, 0, last_row.max(1), (COLUMNS.len() - 1) as u16)?;
        Ok(())
    }
}
