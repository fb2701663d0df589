//! Report R2.1 "KMD Aktiv fordringers opgavepakker": the project lead's steering view of the
//! open tasks (rows, totals, the citizen × opgavepakke matrix), its exports (`export`), and the
//! hand-over of persons to caseworkers (`hand_over`, rapportstyret).
//!
//! Who may read: the kommune's project lead, KOMBIT, and the kommune's integrations (REST).
//! Caseworkers and support users are refused (the report lists every person of the kommune);
//! every refusal and every CPR number shown is written to the audit log.

pub mod export;
pub mod hand_over;

use super::{Actor, refuse, require_kommune};
use crate::clock;
use crate::domain::{Beloeb, Kommunenr, Opgavepakke, Role};
use crate::error::AppError;
use crate::model::report::{
    MatrixPage, MatrixRow, NOT_HANDED_OVER, REPORT_PAGE_SIZE, ReportPage, ReportQuery, ReportRowView, ReportTotals,
    TotalLine,
};
use crate::state::AppContext;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::counters;
use crate::store::report::{self as store, Filter, TildeltFilter};
use std::collections::HashMap;

/// What the audit log calls the report.
const WHAT: &str = "rapport R2.1";

/// Refuses (and audits) anyone but the kommune's project lead, KOMBIT and its integrations.
pub async fn require_reader(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<(), AppError> {
    require_kommune(ctx, actor, k, WHAT).await?;
    match actor {
        Actor::User(u) if matches!(u.role, Role::Projektleder | Role::Kombit) => Ok(()),
        Actor::Integration { .. } | Actor::System => Ok(()),
        Actor::User(_) => refuse(ctx, actor, Some(k), None, WHAT).await,
    }
}

pub use crate::domain::cpr::display as display_cpr;

/// Reads the typed filters; each bad one is a field error in Danish.
pub fn parse_filter(q: &ReportQuery) -> Result<Filter, AppError> {
    let mut errors = Vec::new();
    let opgavepakke = match q.opgavepakke.trim() {
        "" => None,
        code => match Opgavepakke::parse(code) {
            Ok(p) => Some(p.nr()),
            Err(_) => {
                errors.push(field("opgavepakke", format!("Opgavepakken «{code}» findes ikke; vælg 01–17.")));
                None
            }
        },
    };
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let sagsbehandler = text(&q.sagsbehandler);
    let tildelt = match q.tildelt.trim() {
        "" => TildeltFilter::Any,
        NOT_HANDED_OVER => TildeltFilter::Nobody,
        user => TildeltFilter::User(user.to_string()),
    };
    let cpr: String = q.cpr.chars().filter(|c| *c != '-' && !c.is_whitespace()).collect();
    let cpr_prefix = if cpr.is_empty() {
        None
    } else if cpr.len() <= 10 && cpr.bytes().all(|b| b.is_ascii_digit()) {
        Some(cpr)
    } else {
        errors.push(field("cpr", "Skriv begyndelsen af et CPR-nummer med cifre, fx 610585 eller 610585-3120."));
        None
    };
    let min_oere = match q.min_beloeb.trim() {
        "" => None,
        text => match Beloeb::parse(text) {
            Ok(b) if b.oere() >= 0 => Some(b.oere()),
            Ok(_) => {
                errors.push(field("min_beloeb", "Mindste beløb kan ikke være negativt."));
                None
            }
            Err(e) => {
                errors.push(field("min_beloeb", format!("Mindste beløb: {e}.")));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(Filter { opgavepakke, sagsbehandler, tildelt, cpr_prefix, min_oere, kun_tilbagefoersel: q.kun_tilbagefoersel })
}

fn field(name: &str, message: impl Into<String>) -> crate::domain::resolve::FieldError {
    crate::domain::resolve::FieldError::new(name, message)
}

/// `2026-11-30` (Danish time) from a stored stamp.
pub fn oprettet_date(stamp: &str) -> Option<chrono::NaiveDate> {
    clock::parse_stamp(stamp).map(|t| t.with_timezone(&chrono_tz::Europe::Copenhagen).date_naive())
}

fn view_row(r: store::ReportRow) -> Result<ReportRowView, AppError> {
    Ok(ReportRowView {
        opgave_id: r.id,
        opgavepakke: Opgavepakke::new(r.opgavepakke).ok_or(AppError::Internal)?,
        kind: r.kind,
        cpr: display_cpr(&r.cpr),
        navn: r.navn,
        fordring_id: r.fordring_id,
        hovedstol: Beloeb(r.hovedstol),
        daekninger: r.daekninger,
        sagsbehandler: r.sagsbehandler,
        tildelt: r.tildelt,
        tilbagefoersel: r.tilbagefoersel,
        oprettet: oprettet_date(&r.created_at).map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or(r.created_at),
    })
}

/// One page of the report. The count comes from the kept counters when it can (no filter but
/// an opgavepakke), else from a count capped at `COUNT_CAP`.
pub async fn list(ctx: &AppContext, actor: &Actor, k: Kommunenr, q: &ReportQuery) -> Result<ReportPage, AppError> {
    require_reader(ctx, actor, k).await?;
    let filter = parse_filter(q)?;
    let page = q.page.clamp(0, 1_000_000);
    let mut conn = ctx.db.read.acquire().await?;
    let counts = counters::read(&mut conn, k).await?;
    let rows = store::page(&mut conn, k.get(), &filter, q.sort, REPORT_PAGE_SIZE, page * REPORT_PAGE_SIZE).await?;
    let (total, capped) = if filter.is_counted_by_counters() {
        let n = match filter.opgavepakke.and_then(Opgavepakke::new) {
            Some(p) => counts.get(p),
            None => counts.total(),
        };
        (n, false)
    } else {
        let n = store::count_capped(&mut conn, k.get(), &filter).await?;
        (n.min(crate::model::report::COUNT_CAP), n > crate::model::report::COUNT_CAP)
    };
    let caseworkers = store::caseworkers(&mut conn, k.get()).await?;
    drop(conn);
    ctx.audit(AuditEntry::per_cpr(
        &actor.name(),
        k.get(),
        rows.iter().map(|r| r.cpr.as_str()),
        AuditAction::ShowReport,
        &format!("{WHAT}, side {}", page + 1),
    ))
    .await?;
    Ok(ReportPage {
        kommune: k,
        rows: rows.into_iter().map(view_row).collect::<Result<_, _>>()?,
        total,
        capped,
        page,
        page_size: REPORT_PAGE_SIZE,
        caseworkers,
        version: counts.version,
    })
}

/// Totals of every open task of the kommune: per opgavepakke, per caseworker, and the persons
/// with the most open tasks.
pub async fn totals(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<ReportTotals, AppError> {
    require_reader(ctx, actor, k).await?;
    let mut conn = ctx.db.read.acquire().await?;
    let per_pakke = store::totals_per_opgavepakke(&mut conn, k.get()).await?;
    let per_sb = store::totals_per_sagsbehandler(&mut conn, k.get()).await?;
    let top = store::top_persons(&mut conn, k.get()).await?;
    let (personer, tildelte_personer) = store::person_counts(&mut conn, k.get()).await?;
    let names: HashMap<String, String> =
        crate::store::users::caseworkers(&mut conn, k.get()).await?.into_iter().collect();
    drop(conn);
    ctx.audit(AuditEntry::per_cpr(
        &actor.name(),
        k.get(),
        top.iter().map(|t| t.0.as_str()),
        AuditAction::ShowReport,
        &format!("{WHAT}, totaler pr. person"),
    ))
    .await?;
    Ok(ReportTotals {
        opgaver: per_pakke.iter().map(|p| p.1).sum(),
        per_opgavepakke: per_pakke
            .into_iter()
            .filter_map(|(nr, n, sum, persons)| {
                let p = Opgavepakke::new(nr)?;
                Some(TotalLine {
                    key: p.code(),
                    label: p.title().to_string(),
                    opgaver: n,
                    hovedstol: Beloeb(sum),
                    antal: persons,
                })
            })
            .collect(),
        per_sagsbehandler: per_sb
            .into_iter()
            .map(|(user, n, sum, persons)| {
                let key = user.unwrap_or_default();
                let label = names
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| if key.is_empty() { "(ingen)".into() } else { key.clone() });
                TotalLine { key, label, opgaver: n, hovedstol: Beloeb(sum), antal: persons }
            })
            .collect(),
        per_person: top
            .into_iter()
            .map(|(cpr, navn, n, sum, pakker)| TotalLine {
                key: display_cpr(&cpr),
                label: navn,
                opgaver: n,
                hovedstol: Beloeb(sum),
                antal: pakker,
            })
            .collect(),
        personer,
        tildelte_personer,
    })
}

/// A page of the persons with open tasks in two or more opgavepakker (by CPR), with their
/// open tasks per opgavepakke: work them in one sitting.
pub async fn matrix(ctx: &AppContext, actor: &Actor, k: Kommunenr, page: i64) -> Result<MatrixPage, AppError> {
    require_reader(ctx, actor, k).await?;
    let page = page.clamp(0, 1_000_000);
    let mut conn = ctx.db.read.acquire().await?;
    let rows = store::matrix_page(&mut conn, k.get(), REPORT_PAGE_SIZE, page * REPORT_PAGE_SIZE).await?;
    let total = store::matrix_count(&mut conn, k.get()).await?;
    drop(conn);
    ctx.audit(AuditEntry::per_cpr(
        &actor.name(),
        k.get(),
        rows.iter().map(|r| r.0.as_str()),
        AuditAction::ShowReport,
        &format!("{WHAT}, borger × opgavepakke"),
    ))
    .await?;
    Ok(MatrixPage {
        rows: rows
            .into_iter()
            .map(|(cpr, navn, pakker, tildelt)| {
                let mut per_opgavepakke = vec![0; 18];
                for nr in pakker.split(',').filter_map(|p| p.trim().parse::<usize>().ok()) {
                    if let Some(cell) = per_opgavepakke.get_mut(nr) {
                        *cell += 1;
                    }
                }
                MatrixRow { cpr: display_cpr(&cpr), navn, per_opgavepakke, tildelt }
            })
            .collect(),
        total,
        page,
        page_size: REPORT_PAGE_SIZE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::report::ReportSort;

    #[test]
    fn filters_are_read_and_each_bad_one_is_named() {
        let q = ReportQuery {
            opgavepakke: "3".into(),
            cpr: "610585-31".into(),
            min_beloeb: "1250,50".into(),
            tildelt: NOT_HANDED_OVER.into(),
            ..Default::default()
        };
        let f = parse_filter(&q).unwrap();
        assert_eq!(f.opgavepakke, Some(3));
        assert_eq!(f.cpr_prefix.as_deref(), Some("61058531"));
        assert_eq!(f.min_oere, Some(125_050));
        assert_eq!(f.tildelt, TildeltFilter::Nobody);
        assert!(!f.is_counted_by_counters());

        let bad = ReportQuery {
            opgavepakke: "18".into(),
            cpr: "61x".into(),
            min_beloeb: "1.000,00".into(),
            ..Default::default()
        };
        let err = parse_filter(&bad).unwrap_err();
        let fields: Vec<&str> = err.field_errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["opgavepakke", "cpr", "min_beloeb"]);
    }

    #[test]
    fn only_an_opgavepakke_filter_is_answered_by_the_counters() {
        let q = ReportQuery { opgavepakke: "08".into(), sort: ReportSort::Beloeb, ..Default::default() };
        assert!(parse_filter(&q).unwrap().is_counted_by_counters());
    }
}
