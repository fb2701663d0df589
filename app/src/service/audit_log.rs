//! Who looked at whom: the kommune's project lead and its data-protection officer search their
//! kommune's audit log by CPR, user, period and action, and export it as CSV; both are audited
//! themselves. Rows older than the retention period are purged by a daily job (`purge`), which
//! writes one audit row of its own.

use crate::clock;
use crate::domain::export::csv_cell;
use crate::domain::{Cpr, Kommunenr, cpr};
use crate::error::AppError;
use crate::model::audit_log::{AuditLine, AuditLogPage, AuditQuery};
use crate::service::{Actor, refuse, refuse_kommune};
use crate::state::AppContext;
use crate::store::Db;
use crate::store::audit::{self, AuditAction, AuditEntry, AuditFilter, AuditHit};

/// Rows per page of the search.
pub const PAGE: i64 = 200;
/// Rows at most in one export (narrow the search for more).
pub const EXPORT_MAX: i64 = 100_000;
/// Rows deleted per write job by the purge.
const PURGE_BATCH: i64 = 5_000;

/// The kommune whose log `actor` may read: their own, as projektleder or databeskyttelse;
/// `asked` (the export's URL) must be it. Every refusal is audited.
async fn kommune_of(
    ctx: &AppContext,
    actor: &Actor,
    asked: Option<Kommunenr>,
    what: &str,
) -> Result<Kommunenr, AppError> {
    match actor {
        Actor::User(u) if u.role.reads_audit_log() => match (u.kommune, asked) {
            (Some(own), Some(k)) if own != k => refuse_kommune(ctx, actor, k, what).await,
            (Some(own), _) => Ok(own),
            (None, _) => refuse(ctx, actor, asked, None, what).await,
        },
        _ => refuse(ctx, actor, asked, None, what).await,
    }
}

/// The typed search as a filter; field errors name the form's fields.
pub fn filter_of(q: &AuditQuery) -> Result<AuditFilter, AppError> {
    let mut errors = Vec::new();
    let cpr = match q.cpr.trim() {
        "" => None,
        text => match Cpr::parse(text) {
            Ok(c) => Some(c.digits()),
            Err(e) => {
                errors.push(crate::domain::resolve::FieldError::new("cpr", e.to_string()));
                None
            }
        },
    };
    let mut day = |field: &str, text: &str| match text.trim() {
        "" => None,
        t => match crate::domain::plan::parse_date(t) {
            Some(d) => Some(d),
            None => {
                errors.push(crate::domain::resolve::FieldError::new(field, "Skriv datoen som 25.01.2027."));
                None
            }
        },
    };
    let from = day("fra", &q.fra);
    let to = day("til", &q.til);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.push(crate::domain::resolve::FieldError::new("til", "Slutdatoen ligger før startdatoen."));
    }
    let action = match q.handling.trim() {
        "" => None,
        t => match AuditAction::ALL.into_iter().find(|a| a.text() == t) {
            Some(a) => Some(a.text().to_string()),
            None => {
                errors.push(crate::domain::resolve::FieldError::new("handling", format!("Ukendt handling {t:?}.")));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let bruger = q.bruger.trim();
    Ok(AuditFilter {
        cpr,
        actor: (!bruger.is_empty()).then(|| bruger.to_string()),
        from: from.map(|d| clock::stamp(clock::start_of_day(d))),
        to: to.and_then(|d| d.succ_opt()).map(|d| clock::stamp(clock::start_of_day(d))),
        action,
    })
}

fn describe(q: &AuditQuery) -> String {
    let parts: Vec<String> = [("bruger", &q.bruger), ("fra", &q.fra), ("til", &q.til), ("handling", &q.handling)]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k} {:?}", v.trim()))
        .collect();
    if parts.is_empty() { "hele loggen".to_string() } else { parts.join(", ") }
}

fn line(hit: AuditHit) -> AuditLine {
    AuditLine {
        at: seconds_stamp(&hit.at),
        actor: hit.actor,
        cpr: hit.cpr.as_deref().map(cpr::display).unwrap_or_default(),
        action: hit.action,
        detail: hit.detail,
    }
}

/// `07.12.2026 09:14:03` in Copenhagen time (an audit row to the second).
fn seconds_stamp(text: &str) -> String {
    clock::parse_stamp(text)
        .map(|t| clock::local(t).format("%d.%m.%Y %H:%M:%S").to_string())
        .unwrap_or_else(|| text.to_string())
}

/// A page of the search. The search itself is audited (with the CPR searched for).
pub async fn search(ctx: &AppContext, actor: &Actor, q: &AuditQuery) -> Result<AuditLogPage, AppError> {
    let k = kommune_of(ctx, actor, None, "søgning i revisionsloggen").await?;
    let filter = filter_of(q)?;
    let (mut hits, last_purge) = {
        let mut conn = ctx.db.read.acquire().await?;
        let hits = audit::search(&mut conn, k.get(), &filter, q.foer, PAGE + 1).await?;
        (hits, audit::latest_without_kommune(&mut conn, AuditAction::PurgeAuditLog).await?)
    };
    let next = if hits.len() as i64 > PAGE {
        hits.truncate(PAGE as usize);
        hits.last().map(|h| h.id)
    } else {
        None
    };
    ctx.audit(vec![AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: filter.cpr.clone(),
        action: AuditAction::SearchAuditLog,
        detail: format!("{}: {} rækker vist", describe(q), hits.len()),
    }])
    .await?;
    Ok(AuditLogPage {
        kommune: k,
        query: q.clone(),
        rows: hits.into_iter().map(line).collect(),
        next,
        actions: AuditAction::ALL.iter().map(|a| a.text().to_string()).collect(),
        retention_days: ctx.limits.audit_retention_days,
        last_purge: last_purge.map(|r| format!("{}: {}", clock::display_stamp(&r.at), r.detail)),
    })
}

/// The search as CSV for a spreadsheet: `;`, a BOM, Danish dates, every text cell neutralised
/// against formulas; at most `EXPORT_MAX` rows. Audited (with the CPR searched for).
pub async fn export_csv(
    ctx: &AppContext,
    actor: &Actor,
    kommune: Kommunenr,
    q: &AuditQuery,
) -> Result<String, AppError> {
    let k = kommune_of(ctx, actor, Some(kommune), "eksport af revisionsloggen").await?;
    let filter = filter_of(q)?;
    let hits = {
        let mut conn = ctx.db.read.acquire().await?;
        audit::search(&mut conn, k.get(), &filter, None, EXPORT_MAX).await?
    };
    ctx.audit(vec![AuditEntry {
        actor: actor.name(),
        kommune: Some(k.get()),
        cpr: filter.cpr.clone(),
        action: AuditAction::ExportAuditLog,
        detail: format!("{}: {} rækker eksporteret som CSV", describe(q), hits.len()),
    }])
    .await?;
    let csv_err = |e: csv::Error| {
        tracing::error!(%e, "audit csv");
        AppError::Internal
    };
    let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(["tidspunkt", "bruger", "cpr", "handling", "detaljer"]).map_err(csv_err)?;
    for hit in hits {
        let l = line(hit);
        w.write_record([l.at.as_str(), &csv_cell(&l.actor), &l.cpr, &csv_cell(&l.action), &csv_cell(&l.detail)])
            .map_err(csv_err)?;
    }
    let body = String::from_utf8(w.into_inner().map_err(|_| AppError::Internal)?).map_err(|_| AppError::Internal)?;
    // A byte-order mark, so Danish Excel reads æøå.
    Ok(format!("\u{feff}{body}"))
}

/// What a purge did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Purged {
    pub deleted: u64,
    /// Rows written before the start of this day (Copenhagen) were deleted.
    pub before: chrono::NaiveDate,
}

/// Deletes the audit rows older than `retention_days` (whole days, Copenhagen time), in write
/// jobs of `PURGE_BATCH` rows, then writes one audit row saying how many and before which date.
/// Run by the daily job on every instance and by `arbejdsbord audit purge`: a second run finds
/// nothing to delete and says so.
pub async fn purge(db: &Db, by: &str, retention_days: i64) -> Result<Purged, AppError> {
    let before = clock::today() - chrono::Duration::days(retention_days.max(1));
    let cutoff = clock::stamp(clock::start_of_day(before));
    let mut deleted = 0;
    loop {
        let cutoff = cutoff.clone();
        let n = db
            .write(move |tx| Box::pin(async move { Ok(audit::purge_before(tx, &cutoff, PURGE_BATCH).await?) }))
            .await?;
        deleted += n;
        if n == 0 {
            break;
        }
    }
    let entry = AuditEntry {
        actor: by.to_string(),
        kommune: None,
        cpr: None,
        action: AuditAction::PurgeAuditLog,
        detail: format!(
            "{deleted} rækker ældre end {} slettet (opbevaringsfrist {retention_days} dage).",
            before.format("%d.%m.%Y")
        ),
    };
    db.write(move |tx| Box::pin(async move { Ok(audit::record(tx, &entry).await?) })).await?;
    Ok(Purged { deleted, before })
}
