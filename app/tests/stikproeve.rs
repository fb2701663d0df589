//! Stikprøve against a real SQLite file: the project lead draws (population, size, seed), the
//! draw is redone from its seed, caseworkers check items (guarded against a colleague's check),
//! the results per control, and the refusals (audited).

use app::domain::stikproeve::{self as rules, DrawForm, Kontrol, Tally};
use app::domain::{Kommunenr, Role};
use app::error::AppError;
use app::model::stikproeve::CheckInput;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, stikproeve};
use app::store::audit::{self, AuditAction};
use app::store::stikproeve as store;
use fixtures::testing::{ExtractBuilder, TestDb};

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

/// Aarhus with 12 P tasks, 8 K tasks, 4 P+K tasks and 6 R tasks (which never enter a stikprøve).
async fn fixture() -> TestDb {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne A", "a");
    let b = x.bevilling(&cpr, "KTH");
    for i in 0..12 {
        x.fordring_with_kravtype(&cpr, &b, "P", &format!("Kravtype P{i}"));
    }
    for _ in 0..8 {
        x.fordring(&cpr, &b, "K");
    }
    for _ in 0..4 {
        x.fordring(&cpr, &b, "PK");
    }
    for i in 0..6 {
        x.fordring_with_kravtype(&cpr, &b, "R", &format!("Kravtype R{i}"));
    }
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    db
}

fn form(p: bool, k: bool, size: &str, enhed: &str, seed: &str) -> DrawForm {
    DrawForm { paragrafkontrol: p, kravtypekontrol: k, stoerrelse: size.into(), enhed: enhed.into(), seed: seed.into() }
}

async fn refusals(db: &TestDb) -> usize {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    audit::by_action(&mut conn, AuditAction::Refused).await.unwrap().len()
}

fn answer(ok: bool) -> String {
    if ok { "ja" } else { "nej" }.to_string()
}

#[tokio::test]
async fn the_project_lead_draws_from_the_open_tasks_of_the_chosen_controls_and_the_seed_redraws_it() {
    let db = fixture().await;
    let lead = db.user("pl", Role::Projektleder, Some(751)).await;
    let s = stikproeve::draw(&db.ctx, &lead, aarhus(), &form(true, true, "10", "antal", "4711")).await.unwrap();
    assert_eq!((s.population, s.items.len(), s.seed), (24, 10, 4711), "P, K and P+K tasks; never R");
    assert_eq!(s.requested, "10 opgaver");

    // The population as recorded, redrawn from the seed: the same tasks in the same order.
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let population: Vec<i64> =
        store::population(&mut conn, 751, true, true).await.unwrap().into_iter().map(|(id, _, _)| id).collect();
    let drawn: Vec<i64> = s.items.iter().map(|i| i.task_id).collect();
    assert_eq!(rules::draw(4711, &population, 10), drawn);
    drop(conn);
    // A second draw with the same seed on the same population gives the same sample.
    let again = stikproeve::draw(&db.ctx, &lead, aarhus(), &form(true, true, "10", "antal", "4711")).await.unwrap();
    assert_eq!(again.items.iter().map(|i| i.task_id).collect::<Vec<_>>(), drawn);
    assert_ne!(again.id, s.id);

    // Each item carries the controls its task fell to.
    let p_items = s.items.iter().filter(|i| i.answers.iter().any(|(k, _)| *k == Kontrol::Paragraf)).count();
    assert_eq!(s.results[0].tally, Tally { drawn: p_items as u32, checked: 0, errors: 0 });
    assert_eq!(s.results[0].rate, "–");

    // Only paragrafkontrol, as a percentage: 10 % of 16 is 2 (rounded up), all P tasks.
    let p = stikproeve::draw(&db.ctx, &lead, aarhus(), &form(true, false, "10", "procent", "")).await.unwrap();
    assert_eq!((p.population, p.items.len(), p.results.len()), (16, 2, 1));
    assert_eq!(p.requested, "10 %");

    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    assert_eq!(audit::by_action(&mut conn, AuditAction::DrawStikproeve).await.unwrap().len(), 3);
}

#[tokio::test]
async fn bad_draws_get_a_danish_message() {
    let db = fixture().await;
    let lead = db.user("pl", Role::Projektleder, Some(751)).await;
    let msg = |r: Result<_, AppError>, field: &str| r.unwrap_err().message_for(field).unwrap_or_default();
    let d = |f: DrawForm| {
        let (ctx, lead) = (db.ctx.clone(), lead.clone());
        async move { stikproeve::draw(&ctx, &lead, aarhus(), &f).await }
    };
    assert_eq!(
        msg(d(form(true, false, "0", "antal", "")).await, "stoerrelse"),
        "Stikprøven skal have mindst 1 opgave."
    );
    assert_eq!(
        msg(d(form(true, false, "17", "antal", "")).await, "stoerrelse"),
        "Der er kun 16 opgaver i populationen; vælg højst 16."
    );
    assert_eq!(
        msg(d(form(false, true, "150", "procent", "")).await, "stoerrelse"),
        "En procentdel kan højst være 100."
    );
    assert_eq!(
        msg(d(form(false, false, "5", "antal", "")).await, "kontrol"),
        "Vælg paragrafkontrol, kravtypekontrol eller begge."
    );
}

#[tokio::test]
async fn checks_give_the_error_rate_and_its_interval_per_control() {
    let db = fixture().await;
    let lead = db.user("pl", Role::Projektleder, Some(751)).await;
    let anna = db.user("anna", Role::Sagsbehandler, Some(751)).await;
    let s = stikproeve::draw(&db.ctx, &lead, aarhus(), &form(true, false, "10", "antal", "7")).await.unwrap();
    for (i, item) in s.items.iter().take(8).enumerate() {
        let seen = stikproeve::item(&db.ctx, &anna, s.id, item.task_id).await.unwrap();
        assert!(
            seen.udbetalingsparagraf.is_none() && seen.bevilling.as_deref().is_some_and(|b| b.ends_with("(KTH)")),
            "the facts of a P fordring"
        );
        assert_eq!(seen.cpr.len(), 10);
        let input = CheckInput {
            stikproeve_id: s.id,
            task_id: item.task_id,
            version: seen.version,
            paragraf: answer(i >= 2),
            note: if i < 2 { "KMD Aktiv: LAS § 93".into() } else { String::new() },
            ..CheckInput::default()
        };
        let saved = stikproeve::check(&db.ctx, &anna, &input).await.unwrap();
        assert!(saved.checked.as_deref().unwrap().starts_with("Bruger anna"));
    }
    let view = stikproeve::view(&db.ctx, &lead, aarhus(), None).await.unwrap();
    let cur = view.current.unwrap();
    assert_eq!(cur.id, s.id);
    assert_eq!(cur.results[0].tally, Tally { drawn: 10, checked: 8, errors: 2 });
    assert_eq!(cur.results[0].rate, rules::rate_text(2, 8));
    assert_eq!(cur.results[0].rate, "25,0 % (7,1–59,1 %)");
    assert_eq!(cur.items.iter().filter(|i| i.checked.is_some()).count(), 8);

    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    assert_eq!(audit::by_action(&mut conn, AuditAction::ShowStikproeveItem).await.unwrap().len(), 8);
    let checks = audit::by_action(&mut conn, AuditAction::CheckStikproeveItem).await.unwrap();
    assert_eq!(checks.len(), 8);
    assert!(checks.iter().any(|c| c.detail.contains("paragraf forkert; note: KMD Aktiv: LAS § 93")));
}

#[tokio::test]
async fn a_check_saved_by_a_colleague_in_between_is_told_not_overwritten() {
    let db = fixture().await;
    let lead = db.user("pl", Role::Projektleder, Some(751)).await;
    let anna = db.user("anna", Role::Sagsbehandler, Some(751)).await;
    let bo = db.user("bo", Role::Sagsbehandler, Some(751)).await;
    let s = stikproeve::draw(&db.ctx, &lead, aarhus(), &form(false, true, "3", "antal", "1")).await.unwrap();
    let task_id = s.items[0].task_id;
    let a = stikproeve::item(&db.ctx, &anna, s.id, task_id).await.unwrap();
    let b = stikproeve::item(&db.ctx, &bo, s.id, task_id).await.unwrap();
    let input = |version, ok| CheckInput {
        stikproeve_id: s.id,
        task_id,
        version,
        kravtype: answer(ok),
        ..CheckInput::default()
    };
    stikproeve::check(&db.ctx, &anna, &input(a.version, true)).await.unwrap();
    let err = stikproeve::check(&db.ctx, &bo, &input(b.version, false)).await.unwrap_err();
    match &err {
        AppError::Refused(text) => assert!(text.contains("Bruger anna"), "{text}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status_code(), 409);
    let now = stikproeve::item(&db.ctx, &bo, s.id, task_id).await.unwrap();
    assert_eq!(now.answers, vec![(Kontrol::Kravtype, Some(true))], "Anna's answer stands");
    // Having seen it, Bo may change it on purpose.
    let changed = stikproeve::check(&db.ctx, &bo, &input(now.version, false)).await.unwrap();
    assert_eq!(changed.answers, vec![(Kontrol::Kravtype, Some(false))]);
    // An unanswered control is a field message.
    let e = stikproeve::check(&db.ctx, &bo, &CheckInput { kravtype: String::new(), ..input(changed.version, true) })
        .await
        .unwrap_err();
    assert!(e.message_for("kravtype").unwrap().starts_with("Svar ja eller nej"));
}

#[tokio::test]
async fn refusals_are_audited() {
    let db = fixture().await;
    let lead = db.user("pl", Role::Projektleder, Some(751)).await;
    let anna = db.user("anna", Role::Sagsbehandler, Some(751)).await;
    let other_lead = db.user("pl461", Role::Projektleder, Some(461)).await;
    let support = db.user("support", Role::Supportberettiget, Some(751)).await;
    let supplier = db.user("netcompany", Role::Leverandoer, None).await;
    let s = stikproeve::draw(&db.ctx, &lead, aarhus(), &form(true, true, "4", "antal", "")).await.unwrap();
    let task_id = s.items[0].task_id;
    let f = form(true, false, "2", "antal", "");

    let before = refusals(&db).await;
    let err = stikproeve::draw(&db.ctx, &anna, aarhus(), &f).await.unwrap_err();
    assert_eq!(err, AppError::Forbidden, "a caseworker cannot draw");
    let err = stikproeve::draw(&db.ctx, &other_lead, aarhus(), &f).await.unwrap_err();
    assert_eq!(err.status_code(), 403);
    assert_eq!(err, AppError::OtherKommune(aarhus()));
    let err = stikproeve::view(&db.ctx, &other_lead, aarhus(), None).await.unwrap_err();
    assert_eq!(err.status_code(), 403);
    let err = stikproeve::item(&db.ctx, &other_lead, s.id, task_id).await.unwrap_err();
    assert_eq!(err, AppError::OtherKommune(aarhus()));
    let check = CheckInput {
        stikproeve_id: s.id,
        task_id,
        version: 0,
        paragraf: "ja".into(),
        kravtype: "ja".into(),
        note: String::new(),
    };
    assert_eq!(stikproeve::check(&db.ctx, &support, &check).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(stikproeve::check(&db.ctx, &supplier, &check).await.unwrap_err().status_code(), 403);
    assert_eq!(stikproeve::item(&db.ctx, &supplier, s.id, task_id).await.unwrap_err().status_code(), 403);
    assert_eq!(refusals(&db).await, before + 7, "every refusal audited");

    // The support user reads the results (no CPR there), and cannot draw.
    let view = stikproeve::view(&db.ctx, &support, aarhus(), None).await.unwrap();
    assert!(!view.may_draw && !view.may_check && view.current.is_some());
    let view = stikproeve::view(
        &db.ctx,
        &Actor::User(match lead {
            Actor::User(u) => u,
            _ => unreachable!(),
        }),
        aarhus(),
        None,
    )
    .await
    .unwrap();
    assert!(view.may_draw && view.may_check);
}

#[tokio::test]
async fn the_demo_has_a_running_stikproeve_with_a_few_errors() {
    let db = fixture().await;
    db.user("aarhus.projektleder", Role::Projektleder, Some(751)).await;
    let anna = db.user("anna", Role::Sagsbehandler, Some(751)).await;
    db.user("bo", Role::Sagsbehandler, Some(751)).await;
    let checkers = ["anna".to_string(), "bo".to_string()];
    fixtures::demo::stikproeve::load_sized(&db.ctx, aarhus(), "aarhus.projektleder", &checkers, 20, 14).await.unwrap();
    fixtures::demo::stikproeve::load_sized(&db.ctx, aarhus(), "aarhus.projektleder", &checkers, 20, 14).await.unwrap();
    let view = stikproeve::view(&db.ctx, &anna, aarhus(), None).await.unwrap();
    assert_eq!(view.all.len(), 1, "idempotent");
    let s = view.current.unwrap();
    assert_eq!((s.items.len(), s.seed), (20, fixtures::demo::stikproeve::DEMO_SEED));
    assert_eq!(s.items.iter().filter(|i| i.checked.is_some()).count(), 14);
    let errors: u32 = s.results.iter().map(|r| r.tally.errors).sum();
    assert!((1..=4).contains(&errors), "a few errors: {errors}");
}
