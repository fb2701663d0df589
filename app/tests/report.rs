//! Report R2.1: rows, filters, totals and matrix; the hand-over of persons (rapportstyret);
//! who is refused; and the CSV and XLSX exports parsed back.

use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::model::report::{NOT_HANDED_OVER, ReportQuery, ReportSort};
use app::service::Actor;
use app::service::import::{ImportOptions, import_extract};
use app::service::report::export::{ExportFormat, export};
use app::service::report::{self, hand_over};
use app::store::audit::{self, AuditAction};
use fixtures::testing::{ExtractBuilder, TestDb};

struct Setup {
    db: TestDb,
    lead: Actor,
    /// Anne: tasks in 10, 03 and 09 (a dækning waits on her 03 task).
    anne: String,
    /// Bo: one task in 10.
    bo: String,
    /// A name that a spreadsheet would take for a formula: one task in 17.
    formula: String,
}

const AARHUS: u16 = 751;

fn aarhus() -> Kommunenr {
    Kommunenr::try_from(AARHUS).unwrap()
}

async fn setup() -> Setup {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let anne = x.person("Anne Hansen", "mette");
    let b = x.bevilling(&anne, "KTH");
    x.fordring(&anne, &b, "R");
    let f = x.fordring_with_kravtype(&anne, &b, "P", "Boligstøtte");
    x.daekning(&f, "1250,50");
    let bo = x.person("Bo Berg", "mette");
    let b = x.bevilling(&bo, "KTH");
    x.fordring(&bo, &b, "R");
    let formula = x.person("=SUM(1+1) Holm", "lars");
    let b = x.bevilling(&formula, "KTH");
    x.fordring(&formula, &b, "B");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    db.user("mette", Role::Sagsbehandler, Some(AARHUS)).await;
    db.user("lars", Role::Sagsbehandler, Some(AARHUS)).await;
    let lead = db.user("aarhus.pl", Role::Projektleder, Some(AARHUS)).await;
    Setup { db, lead, anne, bo, formula }
}

fn dashed(cpr: &str) -> String {
    format!("{}-{}", &cpr[..6], &cpr[6..])
}

async fn rows(s: &Setup, q: ReportQuery) -> Vec<(String, String, Option<String>)> {
    let page = report::list(&s.db.ctx, &s.lead, aarhus(), &q).await.unwrap();
    page.rows.into_iter().map(|r| (r.opgavepakke.code(), r.cpr, r.tildelt)).collect()
}

#[tokio::test]
async fn the_report_lists_every_open_task_with_person_fordring_and_daekninger() {
    let s = setup().await;
    let page = report::list(&s.db.ctx, &s.lead, aarhus(), &ReportQuery::default()).await.unwrap();
    assert_eq!((page.total, page.capped), (5, false));
    let codes: Vec<String> = page.rows.iter().map(|r| r.opgavepakke.code()).collect();
    assert_eq!(codes, ["03", "09", "10", "10", "17"], "opgavepakke order by default");
    let r03 = &page.rows[0];
    assert_eq!((r03.cpr.as_str(), r03.navn.as_str()), (dashed(&s.anne).as_str(), "Anne Hansen"));
    assert_eq!((r03.hovedstol.to_string(), r03.daekninger), ("5.000,00 kr.".to_string(), 1));
    assert_eq!(r03.sagsbehandler.as_deref(), Some("mette"));
    assert_eq!((page.rows[1].daekninger, page.rows[1].kind), (1, app::model::task::TaskKind::Daekning));
    assert_eq!(page.rows[2].daekninger, 0);
    assert!(page.rows.iter().all(|r| r.tildelt.is_none() && !r.tilbagefoersel));
    assert_eq!(page.caseworkers.len(), 2, "only caseworkers are hand-over targets");
}

#[tokio::test]
async fn filters_narrow_the_rows_and_the_count() {
    let s = setup().await;
    let by = |q: ReportQuery| rows(&s, q);
    assert_eq!(by(ReportQuery { opgavepakke: "10".into(), ..Default::default() }).await.len(), 2);
    let anne = by(ReportQuery { cpr: dashed(&s.anne)[..8].to_string(), ..Default::default() }).await;
    assert!(anne.iter().all(|r| r.1 == dashed(&s.anne)) && anne.len() == 3, "{anne:?}");
    assert_eq!(by(ReportQuery { sagsbehandler: "lars".into(), ..Default::default() }).await.len(), 1);
    // A 09 task carries the amount of its dækning (1.250,50), as in the opgavepakke lists.
    assert_eq!(by(ReportQuery { min_beloeb: "1250,50".into(), ..Default::default() }).await.len(), 5);
    assert_eq!(by(ReportQuery { min_beloeb: "5000".into(), ..Default::default() }).await.len(), 4);
    assert_eq!(by(ReportQuery { min_beloeb: "5000,01".into(), ..Default::default() }).await.len(), 0);
    assert_eq!(by(ReportQuery { kun_tilbagefoersel: true, ..Default::default() }).await.len(), 0);

    let bo = s.bo.clone();
    s.db.ctx
        .write(move |tx| {
            Box::pin(async move {
                app::on_each!(tx, |cx| sqlx::query("UPDATE task SET tilbagefoersel = TRUE WHERE cpr = $1")
                    .bind(bo)
                    .execute(cx)
                    .await
                    .map(|_| ()))?;
                Ok(())
            })
        })
        .await
        .unwrap();
    let only = by(ReportQuery { kun_tilbagefoersel: true, ..Default::default() }).await;
    assert_eq!(only, [("10".to_string(), dashed(&s.bo), None)]);
    let first = by(ReportQuery { sort: ReportSort::Tilbagefoersel, ..Default::default() }).await;
    assert_eq!(first[0].1, dashed(&s.bo), "tilbageførsler first");
    let page = report::list(&s.db.ctx, &s.lead, aarhus(), &ReportQuery { cpr: "6".into(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(page.total, 5, "a filtered count is counted, not taken from the counters");
}

#[tokio::test]
async fn sorting_by_cpr_and_amount_orders_the_rows() {
    let s = setup().await;
    let by_cpr = rows(&s, ReportQuery { sort: ReportSort::Cpr, ..Default::default() }).await;
    let mut sorted = by_cpr.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(by_cpr, sorted);
    let by_sb = rows(&s, ReportQuery { sort: ReportSort::Sagsbehandler, ..Default::default() }).await;
    assert_eq!(by_sb[0].1, dashed(&s.formula), "lars before mette");
}

#[tokio::test]
async fn bad_filters_are_named_in_danish() {
    let s = setup().await;
    let q = ReportQuery { opgavepakke: "99".into(), min_beloeb: "mange".into(), ..Default::default() };
    let err = report::list(&s.db.ctx, &s.lead, aarhus(), &q).await.unwrap_err();
    assert_eq!(err.message_for("opgavepakke").unwrap(), "Opgavepakken «99» findes ikke; vælg 01–17.");
    assert!(err.message_for("min_beloeb").unwrap().starts_with("Mindste beløb: "));
}

#[tokio::test]
async fn totals_count_per_opgavepakke_caseworker_and_person_and_the_matrix_finds_persons_in_several_opgavepakker() {
    let s = setup().await;
    let t = report::totals(&s.db.ctx, &s.lead, aarhus()).await.unwrap();
    assert_eq!((t.opgaver, t.personer, t.tildelte_personer), (5, 3, 0));
    let pakker: Vec<(String, i64, i64)> =
        t.per_opgavepakke.iter().map(|l| (l.key.clone(), l.opgaver, l.antal)).collect();
    assert_eq!(pakker, [("03".into(), 1, 1), ("09".into(), 1, 1), ("10".into(), 2, 2), ("17".into(), 1, 1)]);
    let sb: Vec<(String, i64, i64)> = t.per_sagsbehandler.iter().map(|l| (l.key.clone(), l.opgaver, l.antal)).collect();
    assert_eq!(sb, [("mette".into(), 4, 2), ("lars".into(), 1, 1)]);
    assert_eq!(t.per_sagsbehandler[0].label, "Bruger mette");
    assert_eq!(
        (t.per_person[0].key.as_str(), t.per_person[0].opgaver, t.per_person[0].antal),
        (dashed(&s.anne).as_str(), 3, 3)
    );
    assert_eq!(t.per_person[0].hovedstol.oere(), 2 * 500_000 + 125_050);

    let m = report::matrix(&s.db.ctx, &s.lead, aarhus(), 0).await.unwrap();
    assert_eq!(m.total, 1);
    assert_eq!(m.rows.len(), 1);
    let row = &m.rows[0];
    assert_eq!((row.cpr.as_str(), row.navn.as_str()), (dashed(&s.anne).as_str(), "Anne Hansen"));
    assert_eq!((row.per_opgavepakke[3], row.per_opgavepakke[9], row.per_opgavepakke[10]), (1, 1, 1));
    assert_eq!(row.per_opgavepakke.iter().sum::<i64>(), 3);
}

#[tokio::test]
async fn every_cpr_shown_in_the_report_is_audited() {
    let s = setup().await;
    report::list(&s.db.ctx, &s.lead, aarhus(), &ReportQuery::default()).await.unwrap();
    let mut conn = s.db.ctx.db.read.acquire().await.unwrap();
    let shown = audit::by_action(&mut conn, AuditAction::ShowReport).await.unwrap();
    let mut cprs: Vec<String> = shown.iter().filter_map(|r| r.cpr.clone()).collect();
    cprs.sort();
    let mut expected = vec![s.anne.clone(), s.bo.clone(), s.formula.clone()];
    expected.sort();
    assert_eq!(cprs, expected, "one row per person, not per task");
    assert!(shown.iter().all(|r| r.actor == "aarhus.pl"));
}

#[tokio::test]
async fn the_lead_hands_persons_to_a_caseworker_moves_them_and_takes_them_back() {
    let s = setup().await;
    let ctx = &s.db.ctx;
    let done = hand_over::hand_over(ctx, &s.lead, aarhus(), &[dashed(&s.anne), s.bo.clone()], "mette").await.unwrap();
    assert_eq!((done.personer, done.opgaver, done.til.as_deref()), (2, 4, Some("Bruger mette")));
    let handed = rows(&s, ReportQuery { tildelt: "mette".into(), ..Default::default() }).await;
    assert_eq!(handed.len(), 4);
    assert!(handed.iter().all(|r| r.2.as_deref() == Some("mette")));
    assert_eq!(rows(&s, ReportQuery { tildelt: NOT_HANDED_OVER.into(), ..Default::default() }).await.len(), 1);
    let page = report::list(ctx, &s.lead, aarhus(), &ReportQuery { cpr: s.anne.clone(), ..Default::default() }).await;
    let task = page.unwrap().rows[0].opgave_id;
    let detail = app::service::task_view::task_detail(ctx, &s.lead, task).await.unwrap();
    assert_eq!(detail.tildelt.as_deref(), Some("Bruger mette"), "the hand-over shows on the task");

    hand_over::hand_over(ctx, &s.lead, aarhus(), std::slice::from_ref(&s.bo), "LARS").await.unwrap();
    let bo = rows(&s, ReportQuery { cpr: s.bo.clone(), ..Default::default() }).await;
    assert_eq!(bo[0].2.as_deref(), Some("lars"), "moved, by username in any case");

    let back = hand_over::take_back(ctx, &s.lead, aarhus(), &[s.anne.clone(), s.bo.clone()]).await.unwrap();
    assert_eq!(back.personer, 2);
    assert!(rows(&s, ReportQuery::default()).await.iter().all(|r| r.2.is_none()));
    let again = hand_over::take_back(ctx, &s.lead, aarhus(), std::slice::from_ref(&s.anne)).await.unwrap_err();
    assert_eq!(again.message_for("cprs").unwrap(), "Ingen af de valgte personer er tildelt nogen.");

    let mut conn = ctx.db.read.acquire().await.unwrap();
    let log = audit::for_cpr(&mut conn, &s.bo).await.unwrap();
    let details: Vec<&str> = log.iter().filter(|r| r.action != "vis rapport").map(|r| r.detail.as_str()).collect();
    assert_eq!(
        details,
        [
            "rapport R2.1: tildelt mette",
            "rapport R2.1: flyttet fra mette til lars",
            "rapport R2.1: taget tilbage fra lars"
        ]
    );
}

#[tokio::test]
async fn a_hand_over_needs_persons_of_the_kommune_and_a_caseworker_of_it() {
    let s = setup().await;
    let ctx = &s.db.ctx;
    db_user(&s, "aarhus.pl2", Role::Projektleder, AARHUS).await;
    let err =
        hand_over::hand_over(ctx, &s.lead, aarhus(), std::slice::from_ref(&s.anne), "aarhus.pl2").await.unwrap_err();
    assert_eq!(err.message_for("to_username").unwrap(), "«aarhus.pl2» er ikke sagsbehandler i Aarhus.");
    let err = hand_over::hand_over(ctx, &s.lead, aarhus(), std::slice::from_ref(&s.anne), " ").await.unwrap_err();
    assert_eq!(err.message_for("to_username").unwrap(), "Vælg den sagsbehandler, personerne skal tildeles.");
    let err = hand_over::hand_over(ctx, &s.lead, aarhus(), &[], "mette").await.unwrap_err();
    assert_eq!(err.message_for("cprs").unwrap(), "Vælg mindst én person.");
    let err = hand_over::hand_over(ctx, &s.lead, aarhus(), &["12345".into()], "mette").await.unwrap_err();
    assert!(err.message_for("cprs").unwrap().starts_with("Ugyldige CPR-numre: «12345»"), "{err:?}");
    let err = hand_over::hand_over(ctx, &s.lead, aarhus(), &["610585-3120".into()], "mette").await.unwrap_err();
    assert_eq!(err.message_for("cprs").unwrap(), "Ikke personer i Aarhus: 610585-3120.");
    assert!(rows(&s, ReportQuery::default()).await.iter().all(|r| r.2.is_none()), "nothing handed over");
}

async fn db_user(s: &Setup, name: &str, role: Role, kommune: u16) -> Actor {
    s.db.user(name, role, Some(kommune)).await
}

#[tokio::test]
async fn a_caseworker_cannot_hand_over_and_another_kommunes_lead_is_refused_and_both_are_audited() {
    let s = setup().await;
    let ctx = &s.db.ctx;
    let mette = Actor::User(app::model::SessionUser {
        id: 0,
        username: "mette".into(),
        display_name: "Mette".into(),
        role: Role::Sagsbehandler,
        kommune: Some(aarhus()),
        fagfaellesskab: None,
    });
    let cprs = [s.anne.clone()];
    assert_eq!(hand_over::hand_over(ctx, &mette, aarhus(), &cprs, "mette").await.unwrap_err(), AppError::Forbidden);
    assert_eq!(hand_over::take_back(ctx, &mette, aarhus(), &cprs).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(report::list(ctx, &mette, aarhus(), &ReportQuery::default()).await.unwrap_err(), AppError::Forbidden);
    let support = db_user(&s, "aarhus.support", Role::Supportberettiget, AARHUS).await;
    assert_eq!(report::totals(ctx, &support, aarhus()).await.unwrap_err(), AppError::Forbidden);

    let odense = db_user(&s, "odense.pl", Role::Projektleder, 461).await;
    let other = AppError::OtherKommune(aarhus());
    assert_eq!(hand_over::hand_over(ctx, &odense, aarhus(), &cprs, "mette").await.unwrap_err(), other);
    assert_eq!(report::list(ctx, &odense, aarhus(), &ReportQuery::default()).await.unwrap_err(), other);
    assert_eq!(report::matrix(ctx, &odense, aarhus(), 0).await.unwrap_err(), other);
    let e = export(ctx, &odense, aarhus(), &ReportQuery::default(), ExportFormat::Csv).await.err().unwrap();
    assert_eq!(e, other);
    assert_eq!(other.status_code(), http::StatusCode::FORBIDDEN);

    let mut conn = ctx.db.read.acquire().await.unwrap();
    let refused = audit::by_action(&mut conn, AuditAction::Refused).await.unwrap();
    let who: Vec<&str> = refused.iter().map(|r| r.actor.as_str()).collect();
    assert_eq!(who, ["mette", "mette", "mette", "aarhus.support", "odense.pl", "odense.pl", "odense.pl", "odense.pl"]);
    assert!(refused.iter().all(|r| r.kommune == Some(751)));
    assert!(audit::by_action(&mut conn, AuditAction::HandOver).await.unwrap().is_empty());
    assert!(audit::by_action(&mut conn, AuditAction::ExportReport).await.unwrap().is_empty());
}

async fn download(s: &Setup, q: &ReportQuery, format: ExportFormat) -> Vec<u8> {
    let mut e = export(&s.db.ctx, &s.lead, aarhus(), q, format).await.unwrap();
    let mut bytes = Vec::new();
    while let Some(chunk) = e.body.recv().await {
        bytes.extend(chunk.unwrap());
    }
    bytes
}

#[tokio::test]
async fn the_csv_opens_in_danish_excel_and_neutralises_formulas() {
    let s = setup().await;
    let bytes = download(&s, &ReportQuery::default(), ExportFormat::Csv).await;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "opgavepakke;opgave_id;type;cpr;navn;fordring_id;hovedstol;daekninger;sagsbehandler;tildelt;tilbagefoersel;oprettet"
    );
    assert_eq!(lines.len(), 6);
    let first: Vec<&str> = lines[1].split(';').collect();
    assert_eq!(first[0], "03");
    assert_eq!(first[3], dashed(&s.anne));
    assert_eq!((first[6], first[7], first[10]), ("5.000,00", "1", "nej"));
    let today = app::clock::today().format("%d.%m.%Y").to_string();
    assert_eq!(first[11], today);
    let formula = lines.iter().find(|l| l.contains("SUM(1+1)")).unwrap();
    assert!(formula.contains(";'=SUM(1+1) Holm;"), "{formula}");

    let mut conn = s.db.ctx.db.read.acquire().await.unwrap();
    let exports = audit::by_action(&mut conn, AuditAction::ExportReport).await.unwrap();
    assert_eq!(exports.len(), 1);
    assert_eq!((exports[0].actor.as_str(), exports[0].kommune), ("aarhus.pl", Some(751)));
    assert_eq!(exports[0].detail, "rapport R2.1 som csv: 5 rækker med CPR-numre");
}

#[tokio::test]
async fn a_filtered_json_export_follows_the_contract_and_audits_the_filter() {
    let s = setup().await;
    let q = ReportQuery { opgavepakke: "10".into(), sagsbehandler: "mette".into(), ..Default::default() };
    let body: serde_json::Value = serde_json::from_slice(&download(&s, &q, ExportFormat::Json).await).unwrap();
    let rows = body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(body["version"].as_i64().unwrap() > 0);
    let r = &rows[0];
    assert_eq!((r["opgavepakke"].as_str(), r["type"].as_str()), (Some("10"), Some("opret")));
    assert_eq!((r["hovedstol"].as_f64(), r["daekninger"].as_i64()), (Some(5000.0), Some(0)));
    assert!(r["tildelt"].is_null() && r["tilbagefoersel"] == false && r["opgave_id"].is_i64());
    let mut conn = s.db.ctx.db.read.acquire().await.unwrap();
    let exports = audit::by_action(&mut conn, AuditAction::ExportReport).await.unwrap();
    assert_eq!(
        exports[0].detail,
        "rapport R2.1 som json: 2 rækker med CPR-numre (filter: opgavepakke 10, sagsbehandler mette)"
    );
}

#[tokio::test]
async fn the_xlsx_is_a_workbook_with_a_header_numbers_dates_and_neutralised_text() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let s = setup().await;
    hand_over::hand_over(&s.db.ctx, &s.lead, aarhus(), std::slice::from_ref(&s.bo), "lars").await.unwrap();
    let bytes = download(&s, &ReportQuery::default(), ExportFormat::Xlsx).await;
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Rapport R2.1"]);
    let range = wb.worksheet_range("Rapport R2.1").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 6);
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, app::domain::report::COLUMNS);
    let first = rows[1];
    assert_eq!(first[0], Data::String("03".into()));
    assert!(matches!(first[1], Data::Float(_) | Data::Int(_)), "opgave_id is a number: {:?}", first[1]);
    assert_eq!(first[6], Data::Float(5000.0));
    assert_eq!(first[7], Data::Float(1.0));
    assert!(matches!(first[11], Data::DateTime(_)), "oprettet is a date cell: {:?}", first[11]);
    let bo = rows.iter().find(|r| r[3] == Data::String(dashed(&s.bo))).unwrap();
    assert_eq!(bo[9], Data::String("lars".into()));
    let formula = rows.iter().find(|r| r[4].to_string().contains("SUM(1+1)")).unwrap();
    assert_eq!(formula[4], Data::String("'=SUM(1+1) Holm".into()));
}
