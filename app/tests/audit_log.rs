//! Who looked at whom (issue 12 part 6): the kommune's project lead and data-protection officer
//! search the audit log by CPR, user, period and action and export it; everyone else is refused
//! (and that is audited); the search and the export are audited; the purge deletes what is past
//! the retention period and says so in an audit row of its own.

use app::clock;
use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::model::audit_log::AuditQuery;
use app::service::{Actor, audit_log};
use app::store::audit::{self, AuditAction, AuditEntry};
use chrono::Duration;
use fixtures::testing::TestDb;

const ANNE: &str = "0101801234";
const BO: &str = "0202802345";

fn entry(actor: &str, kommune: u16, cpr: Option<&str>, action: AuditAction, detail: &str) -> AuditEntry {
    AuditEntry {
        actor: actor.into(),
        kommune: Some(kommune),
        cpr: cpr.map(str::to_string),
        action,
        detail: detail.into(),
    }
}

/// Writes `entries` as if at `at`.
async fn record_at(db: &TestDb, at: chrono::DateTime<chrono::Utc>, entries: Vec<AuditEntry>) {
    let at = clock::stamp(at);
    db.ctx.write(move |tx| Box::pin(async move { Ok(audit::record_all_at(tx, &at, &entries).await?) })).await.unwrap();
}

/// Aarhus' log: mette saw Anne 10 days ago and Bo 3 days ago, jens resolved Anne's task today;
/// Odense's caseworker saw a person of theirs today.
async fn with_log() -> TestDb {
    let db = TestDb::new().await;
    let now = clock::now();
    record_at(&db, now - Duration::days(10), vec![entry("mette", 751, Some(ANNE), AuditAction::ShowTask, "opgave 1")])
        .await;
    record_at(&db, now - Duration::days(3), vec![entry("mette", 751, Some(BO), AuditAction::ShowTask, "opgave 2")])
        .await;
    record_at(
        &db,
        now,
        vec![
            entry("jens", 751, Some(ANNE), AuditAction::ResolveTask, "=HYPERLINK(\"http://x\")"),
            entry("odense.sb", 461, Some("0303803456"), AuditAction::ShowTask, "opgave 9"),
        ],
    )
    .await;
    db
}

fn q() -> AuditQuery {
    AuditQuery::default()
}

fn dk(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

#[tokio::test]
async fn the_project_lead_and_the_data_protection_officer_search_their_kommunes_log() {
    let db = with_log().await;
    let pl = db.user("aarhus.pl", Role::Projektleder, Some(751)).await;
    let dpo = db.user("aarhus.dpo", Role::Databeskyttelse, Some(751)).await;
    let ctx = &db.ctx;

    // Everything of Aarhus, newest first; nothing of Odense.
    let all = audit_log::search(ctx, &pl, &q()).await.unwrap();
    let actors: Vec<&str> = all.rows.iter().map(|r| r.actor.as_str()).collect();
    assert_eq!(actors, ["jens", "mette", "mette"]);
    assert_eq!(all.kommune, Kommunenr::parse("751").unwrap());
    assert_eq!(all.rows[2].cpr, "010180-1234");

    // By CPR (either spelling), by user (any case), by action, by period (both days included).
    let by_cpr = audit_log::search(ctx, &dpo, &AuditQuery { cpr: "010180-1234".into(), ..q() }).await.unwrap();
    assert_eq!(by_cpr.rows.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["løs opgave", "vis opgave"]);
    let by_user = audit_log::search(ctx, &dpo, &AuditQuery { bruger: "METTE".into(), ..q() }).await.unwrap();
    assert_eq!(by_user.rows.len(), 2);
    let by_action = audit_log::search(ctx, &dpo, &AuditQuery { handling: "løs opgave".into(), ..q() }).await.unwrap();
    assert_eq!(by_action.rows.len(), 1);
    let today = clock::today();
    let period = AuditQuery { fra: dk(today - Duration::days(4)), til: dk(today - Duration::days(1)), ..q() };
    let by_period = audit_log::search(ctx, &dpo, &period).await.unwrap();
    assert_eq!(by_period.rows.iter().map(|r| r.cpr.as_str()).collect::<Vec<_>>(), ["020280-2345"]);
    // Today, Anne: jens' resolve, and the officer's own search for her a moment ago.
    let one_day = AuditQuery { fra: dk(today), til: dk(today), cpr: ANNE.into(), ..q() };
    let rows = audit_log::search(ctx, &dpo, &one_day).await.unwrap().rows;
    let seen: Vec<(&str, &str)> = rows.iter().map(|r| (r.actor.as_str(), r.action.as_str())).collect();
    assert_eq!(seen, [("aarhus.dpo", "søg i revisionslog"), ("jens", "løs opgave")]);

    // Each search is itself in the log, with the CPR searched for.
    let mut conn = ctx.db.read.acquire().await.unwrap();
    let searches = audit::by_action(&mut conn, AuditAction::SearchAuditLog).await.unwrap();
    assert_eq!(searches.len(), 6);
    assert!(searches.iter().any(|s| s.actor == "aarhus.dpo" && s.cpr.as_deref() == Some(ANNE)));
    assert!(searches.iter().all(|s| s.kommune == Some(751)));
}

#[tokio::test]
async fn every_other_role_is_refused_and_the_refusal_is_logged() {
    let db = with_log().await;
    let ctx = &db.ctx;
    let refused = [
        db.user("mette.sb", Role::Sagsbehandler, Some(751)).await,
        db.user("aarhus.support", Role::Supportberettiget, Some(751)).await,
        db.user("kombit", Role::Kombit, None).await,
        Actor::Integration { kommune: Kommunenr::parse("751").unwrap(), name: "oekonomi".into(), token_id: 1 },
    ];
    for actor in &refused {
        assert_eq!(audit_log::search(ctx, actor, &q()).await.unwrap_err(), AppError::Forbidden, "{}", actor.name());
        let k = Kommunenr::parse("751").unwrap();
        assert_eq!(audit_log::export_csv(ctx, actor, k, &q()).await.unwrap_err(), AppError::Forbidden);
    }
    // Odense's project lead cannot export Aarhus' log.
    let odense = db.user("odense.pl", Role::Projektleder, Some(461)).await;
    let aarhus = Kommunenr::parse("751").unwrap();
    assert_eq!(audit_log::export_csv(ctx, &odense, aarhus, &q()).await.unwrap_err(), AppError::OtherKommune(aarhus));
    let mut conn = ctx.db.read.acquire().await.unwrap();
    let refusals = audit::by_action(&mut conn, AuditAction::Refused).await.unwrap();
    assert_eq!(refusals.len(), 9);
    assert!(refusals.iter().any(|r| r.actor == "odense.pl" && r.kommune == Some(751)));
}

#[tokio::test]
async fn a_mistyped_search_names_its_fields() {
    let db = with_log().await;
    let pl = db.user("aarhus.pl", Role::Projektleder, Some(751)).await;
    let bad = AuditQuery {
        cpr: "12345".into(),
        fra: "i går".into(),
        til: "01.01.2026".into(),
        handling: "kig".into(),
        ..q()
    };
    let err = audit_log::search(&db.ctx, &pl, &bad).await.unwrap_err();
    let fields: Vec<&str> = err.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["cpr", "fra", "handling"]);
    let backwards = AuditQuery { fra: "02.01.2026".into(), til: "01.01.2026".into(), ..q() };
    let err = audit_log::search(&db.ctx, &pl, &backwards).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "til");
}

#[tokio::test]
async fn the_search_pages_through_a_long_log() {
    let db = TestDb::new().await;
    let pl = db.user("aarhus.pl", Role::Projektleder, Some(751)).await;
    let many: Vec<AuditEntry> = (0..(audit_log::PAGE + 5))
        .map(|i| entry("mette", 751, Some(ANNE), AuditAction::ShowTask, &format!("{i}")))
        .collect();
    record_at(&db, clock::now(), many).await;
    let first = audit_log::search(&db.ctx, &pl, &q()).await.unwrap();
    assert_eq!(first.rows.len() as i64, audit_log::PAGE);
    let second = audit_log::search(&db.ctx, &pl, &AuditQuery { foer: first.next, ..q() }).await.unwrap();
    assert_eq!(second.rows.len(), 5);
    assert_eq!(second.next, None);
    assert_eq!(second.rows.last().unwrap().detail, "0");
}

#[tokio::test]
async fn the_export_is_a_danish_csv_with_formulas_neutralised_and_is_audited() {
    let db = with_log().await;
    let dpo = db.user("aarhus.dpo", Role::Databeskyttelse, Some(751)).await;
    let k = Kommunenr::parse("751").unwrap();
    let csv = audit_log::export_csv(&db.ctx, &dpo, k, &AuditQuery { cpr: ANNE.into(), ..q() }).await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "tidspunkt;bruger;cpr;handling;detaljer");
    assert_eq!(lines.len(), 3);
    let newest: Vec<&str> = lines[1].splitn(5, ';').collect();
    assert_eq!(&newest[1..4], ["jens", "010180-1234", "løs opgave"]);
    assert_eq!(newest[4], "\"'=HYPERLINK(\"\"http://x\"\")\"", "the formula is text");
    let day = dk(clock::today());
    assert!(newest[0].starts_with(&day), "Danish date: {}", newest[0]);

    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let exports = audit::by_action(&mut conn, AuditAction::ExportAuditLog).await.unwrap();
    assert_eq!(exports.len(), 1);
    assert_eq!((exports[0].actor.as_str(), exports[0].cpr.as_deref()), ("aarhus.dpo", Some(ANNE)));
    assert!(exports[0].detail.contains("2 rækker"), "{}", exports[0].detail);
}

#[tokio::test]
async fn the_purge_deletes_what_is_past_the_retention_and_audits_itself_and_a_second_run_is_harmless() {
    let db = with_log().await;
    let now = clock::now();
    // 5,200 rows seven months old (more than one purge batch), one row five months old.
    let old: Vec<AuditEntry> =
        (0..5_200).map(|i| entry("mette", 751, Some(ANNE), AuditAction::ShowTask, &format!("{i}"))).collect();
    record_at(&db, now - Duration::days(210), old).await;
    record_at(&db, now - Duration::days(150), vec![entry("mette", 751, Some(BO), AuditAction::ShowTask, "nyere")])
        .await;

    let purged = audit_log::purge(&db.ctx.db, "system:sletning", 183).await.unwrap();
    assert_eq!(purged.deleted, 5_200);
    assert_eq!(purged.before, clock::today() - Duration::days(183));
    let again = audit_log::purge(&db.ctx.db, "system:sletning", 183).await.unwrap();
    assert_eq!(again.deleted, 0);

    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    assert!(
        audit::for_cpr(&mut conn, ANNE)
            .await
            .unwrap()
            .iter()
            .all(|r| r.action != "vis opgave" || r.detail == "opgave 1")
    );
    assert_eq!(audit::for_cpr(&mut conn, BO).await.unwrap().len(), 2, "the five-month-old row stays");
    let rows = audit::by_action(&mut conn, AuditAction::PurgeAuditLog).await.unwrap();
    assert_eq!(rows.len(), 2);
    let date = dk(purged.before);
    assert_eq!(rows[0].detail, format!("5200 rækker ældre end {date} slettet (opbevaringsfrist 183 dage)."));
    assert_eq!(rows[1].detail, format!("0 rækker ældre end {date} slettet (opbevaringsfrist 183 dage)."));
    assert_eq!(rows[0].actor, "system:sletning");
    drop(conn);

    // The search page says when the log was last purged.
    let pl = db.user("aarhus.pl", Role::Projektleder, Some(751)).await;
    let page = audit_log::search(&db.ctx, &pl, &q()).await.unwrap();
    assert!(page.last_purge.unwrap().contains("0 rækker ældre end"));
    assert_eq!(page.retention_days, 183);
}
