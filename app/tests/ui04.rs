//! UI 04 (bevillingstyper), the KLIK plan and the estimate against a real SQLite file: the
//! inventory's figures from the extract, decisions with versions and refusals (audited), plan
//! items with their default due date and overdue marking, the KLIK dates following go-live and
//! the statuses following the work, and the estimate from the kommune's own data.

use app::domain::bevillingstype::{BeslutningForm, PlanpunktForm, Valg};
use app::domain::estimat::landstal;
use app::domain::klik::{KlikOpgave, KlikStatus, ui04};
use app::domain::plan::Plan;
use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, bevillingstyper as bt, klik, plan};
use app::store::audit::{self, AuditAction};
use chrono::Duration;
use fixtures::testing::{ExtractBuilder, TestDb};

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

struct Fx {
    db: TestDb,
    lead: Actor,
    worker: Actor,
    support: Actor,
}

/// KTH: three bevillinger (two active) of two persons, one udbetaling inside the 12 months and
/// one before; NUL: one closed bevilling; LED: one active bevilling with an open task.
async fn fixture() -> Fx {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let anne = x.person("Anne A", "a");
    let bent = x.person("Bent B", "a");
    let k1 = x.bevilling_of(&anne, "KTH", "aktiv", "Kontanthjælp");
    x.bevilling_of(&anne, "KTH", "afsluttet", "Kontanthjælp");
    let k3 = x.bevilling_of(&bent, "KTH", "aktiv", "Kontanthjælp");
    x.udbetaling(&k1, "2026-10-01", "1000,50");
    x.udbetaling(&k3, "2025-06-01", "99,00");
    x.bevilling_of(&bent, "NUL", "afsluttet", "Enkeltydelse (kommunal)");
    let led = x.bevilling_of(&bent, "LED", "aktiv", "Ledighedsydelse");
    x.fordring(&bent, &led, "R");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    let lead = db.user("lead", Role::Projektleder, Some(751)).await;
    let worker = db.user("a", Role::Sagsbehandler, Some(751)).await;
    let support = db.user("support", Role::Supportberettiget, Some(751)).await;
    let kombit = db.user("kombit", Role::Kombit, None).await;
    bt::put_ky_ydelsestype(&db.ctx, &kombit, "KTH", "Kontanthjælp").await.unwrap();
    Fx { db, lead, worker, support }
}

fn decision(t: &str, valg: &str, version: i64) -> BeslutningForm {
    BeslutningForm {
        bevillingstype: t.into(),
        valg: valg.into(),
        ky_ydelsestype: if valg == "match" { "KTH".into() } else { String::new() },
        system: if valg == "flyt" { "Økonomisystemet".into() } else { String::new() },
        afdeling: "Jobcenter".into(),
        begrundelse: "Fordi".into(),
        version,
    }
}

impl Fx {
    async fn set_go_live(&self, date: &str) {
        let p = plan::get_plan(&self.db.ctx, &self.lead, aarhus()).await.unwrap().plan;
        plan::save_plan(&self.db.ctx, &self.lead, aarhus(), Plan { go_live: Some(date.into()), ..p }).await.unwrap();
    }

    async fn refusals(&self) -> usize {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        audit::by_action(&mut conn, AuditAction::Refused).await.unwrap().len()
    }
}

#[tokio::test]
async fn the_inventory_is_computed_from_the_extract_and_sorted_by_active_persons() {
    let fx = fixture().await;
    let inv = bt::inventory(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    let types: Vec<&str> = inv.rows.iter().map(|r| r.bevillingstype.as_str()).collect();
    assert_eq!(types, ["KTH", "LED", "NUL"], "two active persons first, then one, then none");
    let kth = &inv.rows[0];
    assert_eq!((kth.bevillinger, kth.aktive, kth.personer, kth.aktive_personer), (3, 2, 2, 2));
    assert_eq!(kth.ydelsesarter, ["Kontanthjælp"]);
    assert_eq!((kth.udbetalinger, kth.udbetalt_oere), (1, 100_050), "only the 12 months up to 01.10.2026");
    assert_eq!(inv.udbetalinger_til.as_deref(), Some("2026-10-01"));
    assert_eq!(inv.rows[1].open_tasks, 1);
    assert!(inv.rows[2].kommune_made && !kth.kommune_made);
    assert_eq!(inv.progress, "0 af 3 bevillingstyper besluttet, ingen planpunkter forsinket");
    // the superbrugere read; a caseworker and another kommune's lead are refused, audited
    assert!(bt::inventory(&fx.db.ctx, &fx.support, aarhus()).await.is_ok());
    let before = fx.refusals().await;
    assert_eq!(bt::inventory(&fx.db.ctx, &fx.worker, aarhus()).await.unwrap_err(), AppError::Forbidden);
    let odense = fx.db.user("odense.lead", Role::Projektleder, Some(461)).await;
    assert!(matches!(bt::inventory(&fx.db.ctx, &odense, aarhus()).await, Err(AppError::OtherKommune(_))));
    assert_eq!(fx.refusals().await, before + 2);
    // the figures are kept from the import; the lead has them computed again, a caseworker may not
    assert!(inv.opgjort_at.is_some());
    assert_eq!(bt::refresh(&fx.db.ctx, &fx.worker, aarhus()).await.unwrap_err(), AppError::Forbidden);
    bt::refresh(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    assert_eq!(bt::inventory(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap().rows, inv.rows);
}

#[tokio::test]
async fn decisions_are_versioned_checked_and_only_the_project_lead_decides() {
    let fx = fixture().await;
    let v1 = bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("KTH", "match", 0)).await.unwrap();
    assert_eq!(v1, 1);
    let v2 = bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("KTH", "anden_ydelse", 1)).await.unwrap();
    assert_eq!(v2, 2);
    let stale = bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("KTH", "nedlaeg", 1)).await.unwrap_err();
    assert!(matches!(stale, AppError::Refused(ref m) if m.contains("ændret af en anden")), "{stale:?}");
    // a match names a type of the catalogue; a move names its system
    let bad = BeslutningForm { ky_ydelsestype: "XYZ".into(), ..decision("LED", "match", 0) };
    let err = bt::decide(&fx.db.ctx, &fx.lead, aarhus(), bad).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "ky_ydelsestype");
    let no_system = BeslutningForm { system: String::new(), ..decision("NUL", "flyt", 0) };
    assert_eq!(
        bt::decide(&fx.db.ctx, &fx.lead, aarhus(), no_system).await.unwrap_err().field_errors()[0].field,
        "system"
    );
    assert!(matches!(
        bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("XXX", "nedlaeg", 0)).await,
        Err(AppError::NotFound(_))
    ));
    let before = fx.refusals().await;
    assert_eq!(
        bt::decide(&fx.db.ctx, &fx.support, aarhus(), decision("LED", "nedlaeg", 0)).await.unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(fx.refusals().await, before + 1);
    let detail = bt::type_detail(&fx.db.ctx, &fx.lead, aarhus(), "KTH").await.unwrap();
    assert_eq!(
        detail.history.iter().map(|h| (h.version, h.valg)).collect::<Vec<_>>(),
        [(2, Valg::AndenYdelse), (1, Valg::Match)]
    );
    assert_eq!((detail.total, detail.bevillinger.len()), (3, 3));
    // each person shown in the drill-down is audited
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let shown = audit::by_action(&mut conn, AuditAction::ShowBevillingstype).await.unwrap();
    assert_eq!(shown.len(), 2, "two persons: {shown:?}");
    assert_eq!(audit::by_action(&mut conn, AuditAction::BevillingstypeDecided).await.unwrap().len(), 2);
}

#[tokio::test]
async fn plan_items_default_to_ui04s_end_and_overdue_ones_show_on_the_progress() {
    let fx = fixture().await;
    let item = |forfald: &str| PlanpunktForm {
        bevillingstype: "NUL".into(),
        hvad: "Flyt sagerne".into(),
        hvem: "Økonomi".into(),
        forfald: forfald.into(),
    };
    // no go-live: the due date must be typed
    let err = bt::add_plan_item(&fx.db.ctx, &fx.lead, aarhus(), item("")).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "forfald");
    fx.set_go_live("2027-09-01").await;
    bt::add_plan_item(&fx.db.ctx, &fx.lead, aarhus(), item("")).await.unwrap();
    let yesterday = (app::clock::today() - Duration::days(1)).format("%d.%m.%Y").to_string();
    let late = bt::add_plan_item(&fx.db.ctx, &fx.lead, aarhus(), item(&yesterday)).await.unwrap();
    let inv = bt::inventory(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    let nul = inv.rows.iter().find(|r| r.bevillingstype == "NUL").unwrap();
    assert_eq!(nul.planpunkter.iter().map(|p| p.forfald.as_str()).filter(|d| *d == "2027-07-14").count(), 1);
    assert_eq!(inv.ui04_slut.as_deref(), Some("2027-07-14"));
    assert_eq!(inv.progress, "0 af 3 bevillingstyper besluttet, 1 planpunkt forsinket");
    bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("NUL", "nedlaeg", 0)).await.unwrap();
    review_has_date_cells(&bt::review_xlsx(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap());
    bt::set_plan_status(&fx.db.ctx, &fx.lead, aarhus(), late, KlikStatus::Faerdig).await.unwrap();
    let progress = bt::progress(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    assert_eq!(progress.as_deref(), Some("1 af 3 bevillingstyper besluttet, ingen planpunkter forsinket"));
    assert_eq!(bt::progress(&fx.db.ctx, &fx.worker, aarhus()).await.unwrap(), None);
    assert!(matches!(
        bt::set_plan_status(&fx.db.ctx, &fx.lead, aarhus(), 9_999, KlikStatus::IGang).await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(
        bt::set_plan_status(&fx.db.ctx, &fx.worker, aarhus(), late, KlikStatus::IGang).await.unwrap_err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn the_klik_plan_follows_go_live_and_the_work() {
    let fx = fixture().await;
    let p = klik::plan(&fx.db.ctx, &fx.worker, aarhus()).await.unwrap();
    assert!(p.go_live.is_none() && p.opgaver.iter().all(|o| o.start.is_none()));
    fx.set_go_live("2027-09-01").await;
    let p = klik::plan(&fx.db.ctx, &fx.worker, aarhus()).await.unwrap();
    let ui = p.opgaver.iter().find(|o| o.opgave.kode == "UI 04").unwrap();
    assert_eq!((ui.start.as_deref(), ui.slut.as_deref()), (Some("2026-12-09"), Some("2027-07-14")));
    assert_eq!(ui.status, KlikStatus::IkkeStartet);
    let mi38 = p.opgaver.iter().find(|o| o.opgave.kode == "MI 38").unwrap();
    assert_eq!(
        mi38.slut.as_deref(),
        Some(plan::get_plan(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap().plan.deadline_med.as_str())
    );
    // go-live moves 30 days: UI 04 moves 30 days
    fx.set_go_live("2027-10-01").await;
    let p = klik::plan(&fx.db.ctx, &fx.worker, aarhus()).await.unwrap();
    let ui = p.opgaver.iter().find(|o| o.opgave.kode == "UI 04").unwrap();
    assert_eq!(ui.slut.as_deref(), Some("2027-08-13"));
    // UI 04 follows the review: under way, then done when every type is decided
    bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("KTH", "match", 0)).await.unwrap();
    let status =
        |p: &app::model::klik::KlikPlan, kode: &str| p.opgaver.iter().find(|o| o.opgave.kode == kode).unwrap().status;
    assert_eq!(status(&klik::plan(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap(), "UI 04"), KlikStatus::IGang);
    bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("LED", "nedlaeg", 0)).await.unwrap();
    bt::decide(&fx.db.ctx, &fx.lead, aarhus(), decision("NUL", "flyt", 0)).await.unwrap();
    assert_eq!(status(&klik::plan(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap(), "UI 04"), KlikStatus::Faerdig);
    // its status is not set by hand; KOMBIT adds a task whose status the lead sets
    let ui_id = p.opgaver.iter().find(|o| o.opgave.kode == "UI 04").unwrap().id;
    assert!(matches!(
        klik::set_status(&fx.db.ctx, &fx.lead, aarhus(), ui_id, KlikStatus::Faerdig).await,
        Err(AppError::Refused(_))
    ));
    let task = KlikOpgave {
        master_id: 500,
        kode: "UI 10".into(),
        titel: "UI 10 Test".into(),
        slut_offset: -10,
        start_offset: -30,
        ..ui04()
    };
    assert_eq!(klik::put_opgave(&fx.db.ctx, &fx.lead, task.clone()).await.unwrap_err(), AppError::Forbidden);
    let kombit = fx.db.user("kombit2", Role::Kombit, None).await;
    klik::put_opgave(&fx.db.ctx, &kombit, task).await.unwrap();
    let p = klik::plan(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    let ui10 = p.opgaver.iter().find(|o| o.opgave.kode == "UI 10").unwrap();
    assert_eq!(ui10.slut.as_deref(), Some("2027-09-21"));
    klik::set_status(&fx.db.ctx, &fx.lead, aarhus(), ui10.id, KlikStatus::IGang).await.unwrap();
    assert_eq!(status(&klik::plan(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap(), "UI 10"), KlikStatus::IGang);
    assert_eq!(
        klik::set_status(&fx.db.ctx, &fx.worker, aarhus(), ui10.id, KlikStatus::Faerdig).await.unwrap_err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn the_estimate_starts_from_the_seed_and_counts_the_kommunes_own_bevillinger() {
    let fx = fixture().await;
    let v = klik::estimat(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    assert!(!v.saved);
    assert!((v.result.i_alt.midt - 53_000.0).abs() < 500.0, "{:?}", v.result.i_alt);
    // active bevillinger: KTH ×2 (Kontanthjælp), LED ×1 (Ledighedsydelse); all count as the first type
    assert_eq!(v.own.sagstyper.iter().map(|s| s.antal).collect::<Vec<_>>(), [3, 0, 0]);
    let mapping = vec![("Ledighedsydelse".to_string(), 1)];
    assert_eq!(
        klik::save_estimat(&fx.db.ctx, &fx.worker, aarhus(), landstal(), mapping.clone()).await.unwrap_err(),
        AppError::Forbidden
    );
    let mut bad = landstal();
    bad.forsigtighed_pct = -5.0;
    let err = klik::save_estimat(&fx.db.ctx, &fx.lead, aarhus(), bad, mapping.clone()).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "forsigtighed_pct");
    klik::save_estimat(&fx.db.ctx, &fx.lead, aarhus(), landstal(), mapping).await.unwrap();
    let v = klik::estimat(&fx.db.ctx, &fx.lead, aarhus()).await.unwrap();
    assert!(v.saved);
    assert_eq!(v.own.sagstyper.iter().map(|s| s.antal).collect::<Vec<_>>(), [2, 1, 0]);
    assert!(v.mi38_hours > 0.0, "one open task has hours left");
}

/// The steering group's workbook: decision times and due dates are date cells (Excel sorts and
/// filters them), the figures numbers.
fn review_has_date_cells(bytes: &[u8]) {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(wb.sheet_names(), ["Bevillingstyper", "Planpunkter"]);
    let types = wb.worksheet_range("Bevillingstyper").unwrap();
    let nul = types.rows().find(|r| r[0] == Data::String("NUL".into())).unwrap();
    assert_eq!(nul[2], Data::Float(1.0));
    assert!(matches!(nul[15], Data::DateTime(_)), "besluttet is a date cell: {:?}", nul[15]);
    let items = wb.worksheet_range("Planpunkter").unwrap();
    let rows: Vec<_> = items.rows().skip(1).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| matches!(r[3], Data::DateTime(_))), "forfald is a date cell: {rows:?}");
}
