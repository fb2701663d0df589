//! UI 04, "Tag stilling til bevillingstyper i KMD Aktiv": the inventory computed from the
//! kommune's extract, one decision per type (versioned), plan items followed up, the drill-down
//! to a type's bevillinger and persons (each CPR shown audited), and the review as a workbook
//! for the kommune's steering group.
//!
//! Who: the kommune's project lead decides and plans; its supportberettigede (the KMD Aktiv
//! superbrugere) and KOMBIT read; an integration token reads its own kommune's inventory.

use super::{Actor, refuse, require_kommune};
use crate::clock;
use crate::domain::bevillingstype::{BeslutningForm, PlanpunktForm, kommune_made, progress_text};
use crate::domain::klik::{KlikStatus, UI04};
use crate::domain::resolve::FieldError;
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::bevillingstyper::{DRILL_LIMIT, Inventory, InventoryRow, TypeDetail};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{self, Db, bevillingstyper as db};

const WHAT: &str = "bevillingstyper (UI 04)";

fn may_read(actor: &Actor, k: Kommunenr) -> bool {
    match actor {
        Actor::User(u) => match u.role {
            Role::Kombit => true,
            Role::Projektleder | Role::Supportberettiget => u.kommune == Some(k),
            _ => false,
        },
        Actor::Integration { kommune, .. } => *kommune == k,
        Actor::System => true,
    }
}

pub async fn require_reader(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, WHAT).await?;
    if may_read(actor, k) { Ok(()) } else { refuse(ctx, actor, Some(k), None, WHAT).await }
}

async fn require_editor(ctx: &AppContext, actor: &Actor, k: Kommunenr, what: &str) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, what).await?;
    if actor.is_project_lead_of(k) { Ok(()) } else { refuse(ctx, actor, Some(k), None, what).await }
}

fn invalid(errors: Vec<(String, String)>) -> AppError {
    AppError::Invalid(errors.into_iter().map(|(f, m)| FieldError::new(&f, m)).collect())
}

/// UI 04's end date for the kommune (ISO), from its go-live and KOMBIT's catalogue.
async fn ui04_end(conn: &mut store::Conn, k: Kommunenr) -> Result<Option<chrono::NaiveDate>, AppError> {
    let Some(plan) = store::plan::get(conn, k).await? else { return Ok(None) };
    let Some(go_live) = plan.go_live.as_deref().and_then(crate::domain::plan::parse_date) else { return Ok(None) };
    let catalogue = store::klik::catalogue(conn).await?;
    Ok(catalogue.into_iter().find(|(_, t)| t.kode == UI04).map(|(_, t)| t.dates(go_live, None).1))
}

/// The inventory with decisions and plan items, sorted by what matters for the decision: the
/// persons with an active bevilling, then the amounts paid out, then the number of bevillinger.
pub async fn inventory(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<Inventory, AppError> {
    require_reader(ctx, actor, k).await?;
    let mut conn = ctx.db.read.acquire().await?;
    let mut opgjort = db::opgjort(&mut conn, k.get()).await?;
    if opgjort.is_none() && db::has_bevillinger(&mut conn, k.get()).await? {
        // Imported before the figures were kept: computed once now.
        drop(conn);
        refresh_figures(&ctx.db, k).await?;
        conn = ctx.db.read.acquire().await?;
        opgjort = db::opgjort(&mut conn, k.get()).await?;
    }
    let (opgjort_at, latest) = opgjort.map_or((None, None), |(at, til)| (Some(clock::display_stamp(&at)), til));
    let aggregates = db::inventory(&mut conn, k.get()).await?;
    let decisions = db::decisions(&mut conn, k.get()).await?;
    let today = clock::today();
    let items = db::plan_items(&mut conn, k.get(), today).await?;
    let catalogue = db::ky_ydelsestyper(&mut conn).await?;
    let ui04_slut = ui04_end(&mut conn, k).await?;
    let mut rows: Vec<InventoryRow> = aggregates
        .into_iter()
        .map(|(t, bevillinger, aktive, personer, aktive_personer, arter, udbetalinger, oere, open)| InventoryRow {
            kommune_made: kommune_made(&t),
            beslutning: decisions.iter().find(|(d, _)| *d == t).map(|(_, b)| b.clone()),
            planpunkter: items.iter().filter(|p| p.bevillingstype == t).cloned().collect(),
            ydelsesarter: arter.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect(),
            bevillingstype: t,
            bevillinger,
            aktive,
            personer,
            aktive_personer,
            udbetalinger,
            udbetalt_oere: oere,
            open_tasks: open,
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.aktive_personer, b.udbetalt_oere, b.bevillinger)
            .cmp(&(a.aktive_personer, a.udbetalt_oere, a.bevillinger))
            .then_with(|| a.bevillingstype.cmp(&b.bevillingstype))
    });
    let decided = rows.iter().filter(|r| r.beslutning.is_some()).count();
    let overdue = items.iter().filter(|p| p.overdue).count();
    Ok(Inventory {
        kommune: k,
        progress: progress_text(rows.len(), decided, overdue),
        rows,
        udbetalinger_til: latest,
        opgjort_at,
        katalog_illustrativt: catalogue.iter().any(|(_, _, illustrative)| *illustrative),
        ky_ydelsestyper: catalogue.into_iter().map(|(kode, navn, _)| (kode, navn)).collect(),
        ui04_slut: ui04_slut.map(|d| d.format("%Y-%m-%d").to_string()),
        may_edit: actor.is_project_lead_of(k),
    })
}

/// Computes the inventory's figures on a read connection and keeps them in a short write job
/// (the single writer is not held while the extract is aggregated). The import calls it once
/// its rows are committed.
pub async fn refresh_figures(database: &Db, k: Kommunenr) -> Result<(), AppError> {
    let at = clock::stamp(clock::now());
    let (rows, latest) = db::compute(&mut database.read.acquire().await?, k.get()).await?;
    database
        .write(move |tx| {
            Box::pin(async move { Ok(db::save(tx, k.get(), &at, &rows, latest.as_deref()).await.map(|_| ())?) })
        })
        .await
}

/// Computes the inventory's figures again (open tasks change as the caseworkers work); the
/// kommune's project lead. At a million fordringer this takes seconds.
pub async fn refresh(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<(), AppError> {
    require_editor(ctx, actor, k, "opgøre bevillingstyper").await?;
    refresh_figures(&ctx.db, k).await
}

/// The review's progress line for the project lead's front page; `None` for anyone who may not
/// read the review or when the kommune has no bevillinger.
pub async fn progress(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<Option<String>, AppError> {
    if !may_read(actor, k) || !actor.may_see_kommune(k) {
        return Ok(None);
    }
    let mut conn = ctx.db.read.acquire().await?;
    let types = db::type_count(&mut conn, k.get()).await?;
    if types == 0 {
        return Ok(None);
    }
    let decided = db::decisions(&mut conn, k.get()).await?.len();
    let overdue = db::plan_items(&mut conn, k.get(), clock::today()).await?.iter().filter(|p| p.overdue).count();
    Ok(Some(progress_text(types as usize, decided, overdue)))
}

/// Records a decision; the new version. A change made by someone else since the form was read
/// is reported, not overwritten.
pub async fn decide(ctx: &AppContext, actor: &Actor, k: Kommunenr, form: BeslutningForm) -> Result<i64, AppError> {
    require_editor(ctx, actor, k, "beslutte om bevillingstype").await?;
    let (catalogue, exists) = {
        let mut conn = ctx.db.read.acquire().await?;
        let catalogue: Vec<String> =
            db::ky_ydelsestyper(&mut conn).await?.into_iter().map(|(kode, _, _)| kode).collect();
        (catalogue, db::type_exists(&mut conn, k.get(), form.bevillingstype.trim()).await?)
    };
    if !exists {
        return Err(AppError::NotFound(format!(
            "Bevillingstypen «{}» i {}s udtræk",
            form.bevillingstype.trim(),
            k.navn()
        )));
    }
    let b = form.check(&catalogue).map_err(invalid)?;
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::BevillingstypeDecided,
        detail: format!(
            "{}: {}{}{}; afdeling {}; begrundelse {}",
            b.bevillingstype,
            b.valg.key(),
            b.ky_ydelsestype.as_deref().map(|t| format!(" til {t}")).unwrap_or_default(),
            b.system.as_deref().map(|s| format!(" til {s}")).unwrap_or_default(),
            b.afdeling,
            b.begrundelse
        ),
    };
    let saved = ctx
        .write(move |tx| {
            Box::pin(async move {
                let v = db::decide(tx, k.get(), &b, &by, &at).await?;
                if v.is_some() {
                    audit::record(tx, &entry).await?;
                }
                Ok(v)
            })
        })
        .await?;
    saved.ok_or_else(|| {
        AppError::Refused(
            "Beslutningen er ændret af en anden, mens du redigerede. Hent siden igen og se ændringen, før du gemmer."
                .into(),
        )
    })
}

/// Adds a plan item to a type (due by default at UI 04's end); its id.
pub async fn add_plan_item(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    form: PlanpunktForm,
) -> Result<i64, AppError> {
    require_editor(ctx, actor, k, "tilføje planpunkt").await?;
    let default_due = {
        let mut conn = ctx.db.read.acquire().await?;
        if !db::type_exists(&mut conn, k.get(), form.bevillingstype.trim()).await? {
            return Err(AppError::NotFound(format!("Bevillingstypen «{}»", form.bevillingstype.trim())));
        }
        ui04_end(&mut conn, k).await?
    };
    let p = form.check(default_due).map_err(invalid)?;
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let entry = AuditEntry {
        actor: by.clone(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::PlanpunktChanged,
        detail: format!("{}: nyt planpunkt «{}» ved {} senest {}", p.bevillingstype, p.hvad, p.hvem, p.forfald),
    };
    ctx.write(move |tx| {
        Box::pin(async move {
            let id = db::add_plan_item(tx, k.get(), &p, &by, &at).await?;
            audit::record(tx, &entry).await?;
            Ok(id)
        })
    })
    .await
}

pub async fn set_plan_status(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    id: i64,
    status: KlikStatus,
) -> Result<(), AppError> {
    require_editor(ctx, actor, k, "ændre planpunkt").await?;
    let (by, at) = (actor.name(), clock::stamp(clock::now()));
    let actor_name = by.clone();
    let found = ctx
        .write(move |tx| {
            Box::pin(async move {
                let Some(t) = db::set_plan_status(tx, k.get(), id, status, &by, &at).await? else { return Ok(false) };
                let entry = AuditEntry {
                    actor: actor_name,
                    kommune: Some(k.get()),
                    cpr: None,
                    action: AuditAction::PlanpunktChanged,
                    detail: format!("{t}: planpunkt {id} er nu {}", status.label().to_lowercase()),
                };
                audit::record(tx, &entry).await?;
                Ok(true)
            })
        })
        .await?;
    if found { Ok(()) } else { Err(AppError::NotFound(format!("Planpunkt {id}"))) }
}

/// One type's bevillinger and persons (at most `DRILL_LIMIT`), and its decision's versions.
/// Every person shown is audited.
pub async fn type_detail(
    ctx: &AppContext,
    actor: &Actor,
    k: Kommunenr,
    bevillingstype: &str,
) -> Result<TypeDetail, AppError> {
    require_reader(ctx, actor, k).await?;
    let mut conn = ctx.db.read.acquire().await?;
    let total = db::count_of_type(&mut conn, k.get(), bevillingstype).await?;
    if total == 0 {
        return Err(AppError::NotFound(format!("Bevillingstypen «{bevillingstype}» i {}s udtræk", k.navn())));
    }
    let bevillinger = db::bevillinger_of(&mut conn, k.get(), bevillingstype, DRILL_LIMIT).await?;
    let history = db::history(&mut conn, k.get(), bevillingstype).await?;
    drop(conn);
    ctx.audit(AuditEntry::per_cpr(
        &actor.name(),
        k.get(),
        bevillinger.iter().map(|b| b.cpr.as_str()),
        AuditAction::ShowBevillingstype,
        &format!("bevillingstype {bevillingstype}"),
    ))
    .await?;
    Ok(TypeDetail { kommune: k, bevillingstype: bevillingstype.to_string(), bevillinger, total, history })
}

/// Adds or renames a KY ydelsestype in KOMBIT's catalogue (KOMBIT only).
pub async fn put_ky_ydelsestype(ctx: &AppContext, actor: &Actor, kode: &str, navn: &str) -> Result<(), AppError> {
    if !actor.is_kombit() {
        return refuse(ctx, actor, None, None, "ændre kataloget over KY-ydelsestyper").await;
    }
    let (kode, navn) = (kode.trim().to_uppercase(), navn.trim().to_string());
    let mut errors = Vec::new();
    if kode.is_empty() || kode.chars().count() > 20 || !kode.chars().all(|c| c.is_alphanumeric() || c == '-') {
        errors.push(("kode".to_string(), "Koden er 1–20 bogstaver, tal eller bindestreger.".to_string()));
    }
    if navn.is_empty() || navn.chars().count() > 200 {
        errors.push(("navn".to_string(), "Skriv et navn (højst 200 tegn).".to_string()));
    }
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let entry = AuditEntry {
        actor: actor.name(),
        kommune: None,
        cpr: None,
        action: AuditAction::CatalogueChanged,
        detail: format!("KY-ydelsestype {kode}: {navn}"),
    };
    ctx.write(move |tx| {
        Box::pin(async move {
            db::put_ky_ydelsestype(tx, &kode, &navn).await?;
            audit::record(tx, &entry).await?;
            Ok(())
        })
    })
    .await
}

/// The whole review as a workbook for the kommune's steering group: the types with figures and
/// decisions, and the plan items. No CPR numbers.
pub async fn review_xlsx(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<Vec<u8>, AppError> {
    let inv = inventory(ctx, actor, k).await?;
    ctx.audit(vec![AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: None,
        action: AuditAction::ExportReview,
        detail: format!("gennemgang af bevillingstyper som xlsx: {} typer", inv.rows.len()),
    }])
    .await?;
    workbook(&inv).map_err(|e| {
        tracing::error!(error = %e, "bevillingstyper xlsx");
        AppError::Internal
    })
}

fn workbook(inv: &Inventory) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use crate::domain::export::csv_cell;
    use chrono::{Datelike, Timelike};
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let stamp = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let excel_date = |d: chrono::NaiveDate| ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8);
    let ws = wb.add_worksheet();
    ws.set_name("Bevillingstyper")?;
    let header = [
        "Bevillingstype",
        "Kommuneoprettet",
        "Bevillinger",
        "Aktive",
        "Personer",
        "Aktive personer",
        "Ydelsesarter",
        "Udbetalinger 12 mdr.",
        "Udbetalt 12 mdr. (kr.)",
        "Åbne MI 38-opgaver",
        "Beslutning",
        "KY-ydelsestype / system",
        "Afdeling",
        "Begrundelse",
        "Besluttet af",
        "Besluttet",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in inv.rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, csv_cell(&r.bevillingstype))?;
        ws.write_string(row, 1, if r.kommune_made { "ja" } else { "nej" })?;
        ws.write_number(row, 2, r.bevillinger as f64)?;
        ws.write_number(row, 3, r.aktive as f64)?;
        ws.write_number(row, 4, r.personer as f64)?;
        ws.write_number(row, 5, r.aktive_personer as f64)?;
        ws.write_string(row, 6, csv_cell(&r.ydelsesarter.join(", ")))?;
        ws.write_number(row, 7, r.udbetalinger as f64)?;
        ws.write_number_with_format(row, 8, r.udbetalt_oere as f64 / 100.0, &money)?;
        ws.write_number(row, 9, r.open_tasks as f64)?;
        if let Some(b) = &r.beslutning {
            ws.write_string(row, 10, b.valg.label())?;
            ws.write_string(row, 11, csv_cell(b.ky_ydelsestype.as_deref().or(b.system.as_deref()).unwrap_or("")))?;
            ws.write_string(row, 12, csv_cell(&b.afdeling))?;
            ws.write_string(row, 13, csv_cell(&b.begrundelse))?;
            ws.write_string(row, 14, csv_cell(&b.decided_by))?;
            match clock::parse_stamp(&b.decided_at) {
                Some(at) => {
                    let local = clock::local(at);
                    let cell = excel_date(local.date())?.and_hms(local.hour() as u16, local.minute() as u8, 0)?;
                    ws.write_datetime_with_format(row, 15, &cell, &stamp)?;
                }
                None => {
                    ws.write_string(row, 15, csv_cell(&b.decided_at))?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, inv.rows.len().max(1) as u32, (header.len() - 1) as u16)?;
    ws.autofit();
    let ws = wb.add_worksheet();
    ws.set_name("Planpunkter")?;
    for (c, h) in ["Bevillingstype", "Hvad", "Hvem", "Forfald", "Status", "Forsinket"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (row, p) in (1u32..).zip(inv.rows.iter().flat_map(|r| r.planpunkter.iter())) {
        ws.write_string(row, 0, csv_cell(&p.bevillingstype))?;
        ws.write_string(row, 1, csv_cell(&p.hvad))?;
        ws.write_string(row, 2, csv_cell(&p.hvem))?;
        match chrono::NaiveDate::parse_from_str(&p.forfald, "%Y-%m-%d") {
            Ok(d) => ws.write_datetime_with_format(row, 3, &excel_date(d)?, &date)?,
            Err(_) => ws.write_string(row, 3, csv_cell(&p.forfald))?,
        };
        ws.write_string(row, 4, p.status.label())?;
        ws.write_string(row, 5, if p.overdue { "ja" } else { "nej" })?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    wb.save_to_buffer()
}
