//! The parser thread: reads the files in dependency order, validates each row, and streams
//! batches of new rows to the inserter. After the first error it stops sending (nothing will be
//! committed) but keeps validating, so one run lists every error.

use super::classify::{Classifier, NewFordring};

use super::columns::{Columns, FILES};
use super::{ERROR_CAP, FileStats, ImportError};
use crate::domain::daekning::{self, DaekningInput, ValidDaekning, parse_date, validate_id};
use crate::domain::{Beloeb, Cpr, Kommunenr};
use crate::store::Conn;
use crate::store::extract::{
    self, BevillingRow, DaekningRow, FordringRow, KeyTable, PersonRow, SagsmappeRow, TaskInsertRow, UdbetalingRow,
    YdelseRow,
};
use csv::StringRecord;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use tokio::sync::mpsc::Sender;

/// Rows per batch sent to the inserter.
const BATCH: usize = 4_000;

/// New rows of one table, ready to insert.
pub enum Batch {
    Person(Vec<PersonRow>),
    Sagsmappe(Vec<SagsmappeRow>),
    Bevilling(Vec<BevillingRow>),
    Ydelse(Vec<YdelseRow>),
    Udbetaling(Vec<UdbetalingRow>),
    Fordring(Vec<FordringRow>),
    Daekning(Vec<DaekningRow>),
    Task(Vec<TaskInsertRow>),
}

impl Batch {
    pub async fn insert(self, conn: &mut Conn, kommune: u16) -> Result<(), sqlx::Error> {
        match self {
            Batch::Person(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Sagsmappe(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Bevilling(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Ydelse(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Udbetaling(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Fordring(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Daekning(rows) => extract::insert_rows(conn, kommune, rows).await,
            Batch::Task(rows) => extract::insert_rows(conn, kommune, rows).await,
        }
    }
}

/// What the database already holds for the kommune.
#[derive(Default)]
pub struct Known {
    persons: HashSet<String>,
    sagsmapper: HashMap<String, String>,
    bevillinger: HashMap<String, String>,
    ydelser: HashSet<String>,
    udbetalinger: HashSet<String>,
    daekninger: HashSet<String>,
    /// (fordring_id, cpr, bevilling_id, kravtype)
    fordringer: Vec<(String, String, Option<String>, Option<String>)>,
}

impl Known {
    pub async fn load(conn: &mut Conn, k: Kommunenr) -> Result<Known, sqlx::Error> {
        let k = k.get();
        let ids = |rows: Vec<(String, String)>| rows.into_iter().map(|(id, _)| id).collect::<HashSet<_>>();
        Ok(Known {
            persons: ids(extract::keys(conn, k, KeyTable::Person).await?),
            sagsmapper: extract::keys(conn, k, KeyTable::Sagsmappe).await?.into_iter().collect(),
            bevillinger: extract::keys(conn, k, KeyTable::Bevilling).await?.into_iter().collect(),
            ydelser: ids(extract::keys(conn, k, KeyTable::Ydelse).await?),
            udbetalinger: ids(extract::keys(conn, k, KeyTable::Udbetaling).await?),
            daekninger: ids(extract::keys(conn, k, KeyTable::Daekning).await?),
            fordringer: extract::fordring_facts(conn, k).await?,
        })
    }
}

pub struct ParseOutcome {
    pub errors: Vec<ImportError>,
    pub more_errors: usize,
    pub files: Vec<FileStats>,
    pub created: [i64; 18],
    /// New dækninger on fordringer the database already knew (applied by the caller).
    pub deferred_daekninger: Vec<ValidDaekning>,
    /// Persons with known fordringer who got new ones (their classification is checked again).
    pub affected_existing: Vec<String>,
}

struct Parser {
    stamp: String,
    sender: Sender<Batch>,
    errors: Vec<ImportError>,
    more_errors: usize,
    progress: ProgressBar,
    files: Vec<FileStats>,
    known: Known,
    /// cpr → caseworker of the person's first sagsmappe
    persons: HashMap<String, Option<String>>,
    /// sagsmappe → (cpr, caseworker)
    sagsmapper: HashMap<String, (String, Option<String>)>,
    /// bevilling → (cpr, caseworker)
    bevillinger: HashMap<String, (String, Option<String>)>,
    ydelser: HashSet<String>,
    classifier: Classifier,
}

pub fn parse_extract(dir: &Path, known: Known, stamp: &str, progress: bool, sender: Sender<Batch>) -> ParseOutcome {
    let total: u64 = FILES.iter().filter_map(|(f, _)| std::fs::metadata(dir.join(f)).ok()).map(|m| m.len()).sum();
    let bar = if progress {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>18} [{bar:32}] {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut p = Parser {
        stamp: stamp.to_string(),
        sender,
        errors: Vec::new(),
        more_errors: 0,
        progress: bar,
        files: Vec::new(),
        classifier: Classifier::new(&known.fordringer),
        persons: known.persons.iter().map(|c| (c.clone(), None)).collect(),
        sagsmapper: known.sagsmapper.iter().map(|(id, cpr)| (id.clone(), (cpr.clone(), None))).collect(),
        bevillinger: known.bevillinger.iter().map(|(id, cpr)| (id.clone(), (cpr.clone(), None))).collect(),
        ydelser: known.ydelser.clone(),
        known,
    };
    p.file(dir, 0, Parser::person);
    p.file(dir, 1, Parser::sagsmappe);
    p.file(dir, 2, Parser::bevilling);
    p.file(dir, 3, Parser::ydelse);
    p.file(dir, 4, Parser::udbetaling);
    p.file(dir, 5, Parser::fordring);
    p.classifier.settle_kravtyper();
    p.file(dir, 6, Parser::daekning);
    let (tasks, created) = p.classifier.opret_tasks(&p.stamp);
    if p.errors.is_empty() {
        for chunk in tasks.chunks(BATCH) {
            p.send(Batch::Task(chunk.to_vec()));
        }
    }
    p.progress.finish_and_clear();
    ParseOutcome {
        errors: p.errors,
        more_errors: p.more_errors,
        files: p.files,
        created,
        deferred_daekninger: std::mem::take(&mut p.classifier.deferred),
        affected_existing: p.classifier.affected_existing(),
    }
}

/// What a row handler returns: a new row to insert, a known one, or an error.
enum Row<T> {
    New(T),
    Known,
}

type Cell = (&'static str, String);

/// Validates one row of a file: a new row, a known one, or the bad cells.
type RowHandler<P, T> = fn(&mut P, &Columns, &StringRecord) -> Result<Row<T>, Vec<Cell>>;

impl Parser {
    fn error(&mut self, file: &str, line: u64, column: &str, reason: impl Into<String>) {
        if self.errors.len() < ERROR_CAP {
            self.errors.push(ImportError { file: file.into(), line, column: column.into(), reason: reason.into() });
        } else {
            self.more_errors += 1;
        }
    }

    fn send(&mut self, batch: Batch) {
        // A closed channel means the inserter failed; it reports that itself.
        let _ = self.sender.blocking_send(batch);
    }

    /// Reads one file through `handle`, sending new rows in batches.
    fn file<T>(&mut self, dir: &Path, index: usize, handle: RowHandler<Self, T>)
    where
        Batch: From<Vec<T>>,
    {
        let (name, required) = FILES[index];
        self.progress.set_message(name);
        let mut stats = FileStats { file: name, rows: 0, new_rows: 0 };
        let file = match File::open(dir.join(name)) {
            Ok(f) => f,
            Err(e) => {
                self.error(name, 0, "-", format!("filen kan ikke åbnes: {e}"));
                self.files.push(stats);
                return;
            }
        };
        let counted = CountingReader { inner: BufReader::with_capacity(1 << 20, file), bar: self.progress.clone() };
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(counted);
        let mut record = StringRecord::new();
        let columns = match reader.read_record(&mut record) {
            Ok(true) => match Columns::from_header(name, required, &record) {
                Ok(c) => c,
                Err(errors) => {
                    for e in errors {
                        self.error(&e.file, e.line, &e.column, e.reason);
                    }
                    self.files.push(stats);
                    return;
                }
            },
            Ok(false) => {
                self.error(name, 1, "-", "filen er tom (overskriften mangler)");
                self.files.push(stats);
                return;
            }
            Err(e) => {
                self.error(name, 1, "-", format!("overskriften kan ikke læses: {e}"));
                self.files.push(stats);
                return;
            }
        };
        let mut batch: Vec<T> = Vec::with_capacity(BATCH);
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    self.error(name, line, "-", format!("rækken kan ikke læses: {e}"));
                    break;
                }
            }
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            stats.rows += 1;
            if record.len() != columns.width() {
                self.error(
                    name,
                    line,
                    "-",
                    format!("rækken har {} felter, overskriften {}", record.len(), columns.width()),
                );
                continue;
            }
            match handle(self, &columns, &record) {
                Ok(Row::New(row)) => {
                    stats.new_rows += 1;
                    if self.errors.is_empty() {
                        batch.push(row);
                        if batch.len() == BATCH {
                            self.send(Batch::from(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))));
                        }
                    }
                }
                Ok(Row::Known) => {}
                Err(cells) => {
                    for (column, reason) in cells {
                        self.error(name, line, column, reason);
                    }
                }
            }
        }
        if self.errors.is_empty() && !batch.is_empty() {
            self.send(Batch::from(batch));
        }
        self.files.push(stats);
    }

    fn person(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<PersonRow>, Vec<Cell>> {
        let mut bad = Vec::new();
        let cpr = cpr_cell(c, r, &mut bad);
        let navn = required(c, r, "navn", &mut bad);
        let (Some(cpr), Some(navn)) = (cpr, navn) else { return Err(bad) };
        if self.known.persons.contains(&cpr) {
            return Ok(Row::Known);
        }
        if self.persons.insert(cpr.clone(), None).is_some() {
            return Err(vec![("cpr", format!("personen {cpr} står to gange i filen"))]);
        }
        Ok(Row::New(PersonRow { cpr, navn }))
    }

    fn sagsmappe(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<SagsmappeRow>, Vec<Cell>> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "sagsmappe_id", &mut bad);
        let cpr = cpr_cell(c, r, &mut bad);
        let sagsbehandler = c.get(r, "sagsbehandler").map(str::to_string);
        let (Some(id), Some(cpr)) = (id, cpr) else { return Err(bad) };
        let Some(first_caseworker) = self.persons.get_mut(&cpr) else {
            return Err(vec![("cpr", format!("personen {cpr} findes ikke i personer.csv"))]);
        };
        if first_caseworker.is_none() {
            first_caseworker.clone_from(&sagsbehandler);
        }
        if self.known.sagsmapper.contains_key(&id) {
            return Ok(Row::Known);
        }
        if self.sagsmapper.insert(id.clone(), (cpr.clone(), sagsbehandler.clone())).is_some() {
            return Err(vec![("sagsmappe_id", format!("sagsmappen {id} står to gange i filen"))]);
        }
        Ok(Row::New(SagsmappeRow { sagsmappe_id: id, cpr, sagsbehandler }))
    }

    fn bevilling(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<BevillingRow>, Vec<Cell>> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "bevilling_id", &mut bad);
        let sagsmappe = id_cell(c, r, "sagsmappe_id", &mut bad);
        let bevillingstype = required(c, r, "bevillingstype", &mut bad);
        let status = match c.get(r, "status") {
            Some(s @ ("aktiv" | "afsluttet")) => Some(s.to_string()),
            other => {
                bad.push((
                    "status",
                    format!("skal være \"aktiv\" eller \"afsluttet\", ikke {:?}", other.unwrap_or("")),
                ));
                None
            }
        };
        let fra = date_cell(c, r, "fra", &mut bad);
        let til = c.get(r, "til").and_then(|t| match parse_date(t) {
            Ok(d) => Some(d),
            Err(m) => {
                bad.push(("til", m));
                None
            }
        });
        if let (Some(f), Some(t)) = (fra, til)
            && t < f
        {
            bad.push(("til", format!("slutdatoen {t} ligger før startdatoen {f}")));
        }
        let (Some(id), Some(sagsmappe), Some(bevillingstype), Some(status), Some(fra)) =
            (id, sagsmappe, bevillingstype, status, fra)
        else {
            return Err(bad);
        };
        if !bad.is_empty() {
            return Err(bad);
        }
        let Some((cpr, caseworker)) = self.sagsmapper.get(&sagsmappe).cloned() else {
            return Err(vec![("sagsmappe_id", format!("sagsmappen {sagsmappe} findes ikke i sagsmapper.csv"))]);
        };
        if self.known.bevillinger.contains_key(&id) {
            return Ok(Row::Known);
        }
        if self.bevillinger.insert(id.clone(), (cpr, caseworker)).is_some() {
            return Err(vec![("bevilling_id", format!("bevillingen {id} står to gange i filen"))]);
        }
        Ok(Row::New(BevillingRow {
            bevilling_id: id,
            sagsmappe_id: sagsmappe,
            bevillingstype,
            status,
            fra: fra.to_string(),
            til: til.map(|t| t.to_string()),
        }))
    }

    fn ydelse(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<YdelseRow>, Vec<Cell>> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "ydelse_id", &mut bad);
        let bevilling = id_cell(c, r, "bevilling_id", &mut bad);
        let art = required(c, r, "ydelsesart", &mut bad);
        let sats = amount_cell(c, r, "sats", &mut bad);
        let (Some(id), Some(bevilling), Some(art), Some(sats)) = (id, bevilling, art, sats) else { return Err(bad) };
        if !self.bevillinger.contains_key(&bevilling) {
            return Err(vec![("bevilling_id", format!("bevillingen {bevilling} findes ikke i bevillinger.csv"))]);
        }
        if self.known.ydelser.contains(&id) {
            return Ok(Row::Known);
        }
        if !self.ydelser.insert(id.clone()) {
            return Err(vec![("ydelse_id", format!("ydelsen {id} står to gange i filen"))]);
        }
        Ok(Row::New(YdelseRow { ydelse_id: id, bevilling_id: bevilling, ydelsesart: art, sats: sats.oere() }))
    }

    fn udbetaling(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<UdbetalingRow>, Vec<Cell>> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "udbetaling_id", &mut bad);
        let ydelse = id_cell(c, r, "ydelse_id", &mut bad);
        let dato = date_cell(c, r, "dato", &mut bad);
        let beloeb = amount_cell(c, r, "beloeb", &mut bad);
        let (Some(id), Some(ydelse), Some(dato), Some(beloeb)) = (id, ydelse, dato, beloeb) else { return Err(bad) };
        if !self.ydelser.contains(&ydelse) {
            return Err(vec![("ydelse_id", format!("ydelsen {ydelse} findes ikke i ydelser.csv"))]);
        }
        if self.known.udbetalinger.contains(&id) {
            return Ok(Row::Known);
        }
        if !self.known.udbetalinger.insert(id.clone()) {
            return Err(vec![("udbetaling_id", format!("udbetalingen {id} står to gange i filen"))]);
        }
        Ok(Row::New(UdbetalingRow {
            udbetaling_id: id,
            ydelse_id: ydelse,
            dato: dato.to_string(),
            beloeb: beloeb.oere(),
        }))
    }

    fn fordring(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<FordringRow>, Vec<Cell>> {
        let mut bad = Vec::new();
        let id = id_cell(c, r, "fordring_id", &mut bad);
        let cpr = cpr_cell(c, r, &mut bad);
        let hovedstol = amount_cell(c, r, "hovedstol", &mut bad);
        let stiftet = date_cell(c, r, "stiftet", &mut bad);
        let (Some(id), Some(cpr), Some(hovedstol), Some(stiftet)) = (id, cpr, hovedstol, stiftet) else {
            return Err(bad);
        };
        let Some(person_caseworker) = self.persons.get(&cpr).cloned() else {
            return Err(vec![("cpr", format!("personen {cpr} findes ikke i personer.csv"))]);
        };
        let bevilling_id = c.get(r, "bevilling_id").map(str::to_string);
        let mut caseworker = person_caseworker;
        if let Some(b) = &bevilling_id {
            match self.bevillinger.get(b) {
                None => return Err(vec![("bevilling_id", format!("bevillingen {b} findes ikke i bevillinger.csv"))]),
                Some((owner, _)) if *owner != cpr => {
                    return Err(vec![(
                        "bevilling_id",
                        format!("bevillingen {b} hører til en anden persons sagsmappe"),
                    )]);
                }
                Some((_, cw)) => caseworker = cw.clone().or(caseworker),
            }
        }
        let text = |name| c.get(r, name).map(str::to_string);
        let row = FordringRow {
            fordring_id: id,
            cpr,
            bevilling_id,
            ydelsesreference: text("ydelsesreference"),
            kravtype: text("kravtype"),
            udbetalingsparagraf: text("udbetalingsparagraf"),
            tilbagebetalingsparagraf: text("tilbagebetalingsparagraf"),
            hovedstol: hovedstol.oere(),
            stiftet: stiftet.to_string(),
        };
        match self.classifier.add(NewFordring::from_row(&row, caseworker)) {
            Ok(true) => Ok(Row::New(row)),
            Ok(false) => Ok(Row::Known),
            Err(reason) => Err(vec![("fordring_id", reason)]),
        }
    }

    fn daekning(&mut self, c: &Columns, r: &StringRecord) -> Result<Row<DaekningRow>, Vec<Cell>> {
        let input = DaekningInput {
            daekning_id: c.text(r, "daekning_id").into(),
            fordring_id: c.text(r, "fordring_id").into(),
            art: c.text(r, "art").into(),
            beloeb: c.text(r, "beloeb").into(),
            dato: c.text(r, "dato").into(),
        };
        let d = daekning::validate(&input).map_err(|errs| {
            errs.into_iter()
                .map(|e| (FIELD_NAMES.iter().find(|n| **n == e.field).copied().unwrap_or("-"), e.message))
                .collect::<Vec<_>>()
        })?;
        if self.known.daekninger.contains(&d.daekning_id) {
            return Ok(Row::Known);
        }
        if !self.known.daekninger.insert(d.daekning_id.clone()) {
            return Err(vec![("daekning_id", format!("dækningen {} står to gange i filen", d.daekning_id))]);
        }
        match self.classifier.add_daekning(d, &self.stamp) {
            Err(reason) => Err(vec![("fordring_id", reason)]),
            // On a known fordring: applied after the bulk insert, like an API dækning.
            Ok(None) => Ok(Row::Known),
            Ok(Some(row)) => Ok(Row::New(row)),
        }
    }
}

const FIELD_NAMES: [&str; 5] = ["daekning_id", "fordring_id", "art", "beloeb", "dato"];

fn required(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<String> {
    let v = c.get(r, name).map(str::to_string);
    if v.is_none() {
        bad.push((name, "mangler".into()));
    }
    v
}

fn id_cell(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<String> {
    validate_id(c.text(r, name)).map_err(|m| bad.push((name, m))).ok()
}

fn cpr_cell(c: &Columns, r: &StringRecord, bad: &mut Vec<Cell>) -> Option<String> {
    let raw = c.text(r, "cpr");
    Cpr::parse(raw).map(|c| c.digits()).map_err(|e| bad.push(("cpr", format!("{raw:?}: {e}")))).ok()
}

fn date_cell(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<chrono::NaiveDate> {
    parse_date(c.text(r, name)).map_err(|m| bad.push((name, m))).ok()
}

fn amount_cell(c: &Columns, r: &StringRecord, name: &'static str, bad: &mut Vec<Cell>) -> Option<Beloeb> {
    let raw = c.text(r, name);
    Beloeb::parse(raw).map_err(|e| bad.push((name, format!("{raw:?}: {e}")))).ok()
}

/// Counts bytes read for the progress bar.
struct CountingReader<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

macro_rules! batch_from {
    ($($row:ident => $variant:ident),+) => {
        $(impl From<Vec<$row>> for Batch {
            fn from(rows: Vec<$row>) -> Self {
                Batch::$variant(rows)
            }
        })+
    };
}

batch_from!(
    PersonRow => Person, SagsmappeRow => Sagsmappe, BevillingRow => Bevilling, YdelseRow => Ydelse,
    UdbetalingRow => Udbetaling, FordringRow => Fordring, DaekningRow => Daekning, TaskInsertRow => Task
);
