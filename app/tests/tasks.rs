//! Working tasks against a real SQLite file: resolve, concurrent resolve, dækninger arriving,
//! ventetrin processing, the "Afslut bevilling" guard — with counters checked against a recount.

use app::domain::daekning::DaekningInput;
use app::domain::resolve::ResolveInput;
use app::domain::{Kommunenr, Opgavepakke, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, bevilling, daekning, resolve, task_view};
use app::store::counters;
use fixtures::testing::{ExtractBuilder, TestDb};

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

struct Fixture {
    db: TestDb,
    mette: Actor,
    cpr: String,
    bevilling: String,
    /// fordring lacking paragraffer, no dækninger: opgavepakke 12
    f12: String,
    /// fordring lacking reference with two dækninger: opgavepakke 01 + two in 09
    f01: String,
}

async fn fixture() -> Fixture {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let bevilling = x.bevilling(&cpr, "KTH");
    let f12 = x.fordring(&cpr, &bevilling, "P");
    let f01 = x.fordring_with_kravtype(&cpr, &bevilling, "R", "Tilbagebetaling af enkeltydelse");
    x.daekning(&f01, "100,00");
    x.daekning(&f01, "200,00");
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    let mette = db.user("mette", Role::Sagsbehandler, Some(751)).await;
    Fixture { db, mette, cpr, bevilling, f12, f01 }
}

impl Fixture {
    async fn task_of(&self, fordring: &str) -> i64 {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        app::store::tasks::opret_of_fordring(&mut conn, 751, fordring).await.unwrap().unwrap()
    }

    async fn counts(&self) -> app::domain::opgavepakke::OpgavepakkeCounts {
        let mut conn = self.db.ctx.db.read.acquire().await.unwrap();
        let kept = counters::read(&mut conn, aarhus()).await.unwrap();
        assert_eq!(kept.counts, counters::recount(&mut conn, aarhus()).await.unwrap(), "counters == GROUP BY");
        kept
    }

    fn daekning(&self, id: &str, fordring: &str) -> DaekningInput {
        DaekningInput {
            daekning_id: id.into(),
            fordring_id: fordring.into(),
            art: "daekning".into(),
            beloeb: "1250,00".into(),
            dato: "2026-11-20".into(),
        }
    }
}

fn paragraffer() -> ResolveInput {
    ResolveInput {
        udbetalingsparagraf: "LAS § 25".into(),
        tilbagebetalingsparagraf: "LAS § 91".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn resolving_the_last_defect_closes_the_task_and_processes_its_ventetrin() {
    let fx = fixture().await;
    let task = fx.task_of(&fx.f01).await;
    let before = fx.counts().await;
    assert_eq!((before.get(Opgavepakke::new(1).unwrap()), before.get(Opgavepakke::VENTETRIN)), (1, 2));

    let mut rx = fx.db.ctx.live.subscribe(aarhus(), before.clone());
    let input = ResolveInput { ydelsesreference: "YR-F42".into(), ..Default::default() };
    let done = resolve::resolve_task(&fx.db.ctx, &fx.mette, task, &input).await.unwrap();
    assert_eq!(done.processed_daekninger, 2);

    let after = fx.counts().await;
    assert_eq!((after.get(Opgavepakke::new(1).unwrap()), after.get(Opgavepakke::VENTETRIN)), (0, 0));
    assert!(after.version > before.version);
    assert!(rx.has_changed().unwrap(), "the new counts are pushed to subscribers");
    assert_eq!(rx.borrow_and_update().counts, after.counts);

    let detail = task_view::task_detail(&fx.db.ctx, &fx.mette, task).await.unwrap();
    assert!(!detail.is_open);
    assert_eq!(detail.fordring.ydelsesreference.as_deref(), Some("YR-F42"));
    assert!(detail.daekninger.iter().all(|d| d.behandlet.is_some()), "ventetrin dækninger are booked");
}

#[tokio::test]
async fn an_incomplete_form_names_each_missing_field_and_changes_nothing() {
    let fx = fixture().await;
    let task = fx.task_of(&fx.f12).await;
    let input = ResolveInput { udbetalingsparagraf: "25".into(), ..Default::default() };
    let Err(AppError::Invalid(errors)) = resolve::resolve_task(&fx.db.ctx, &fx.mette, task, &input).await else {
        panic!("expected field errors")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["udbetalingsparagraf", "tilbagebetalingsparagraf"]);
    assert_eq!(fx.counts().await.get(Opgavepakke::new(12).unwrap()), 1);
}

#[tokio::test]
async fn two_caseworkers_saving_the_same_task_exactly_one_wins_and_the_other_learns_who() {
    let fx = fixture().await;
    let jonas = fx.db.user("jonas", Role::Sagsbehandler, Some(751)).await;
    let task = fx.task_of(&fx.f12).await;
    let input = paragraffer();
    let (a, b) = tokio::join!(
        resolve::resolve_task(&fx.db.ctx, &fx.mette, task, &input),
        resolve::resolve_task(&fx.db.ctx, &jonas, task, &input),
    );
    let (wins, losses): (Vec<_>, Vec<_>) = [a, b].into_iter().partition(Result::is_ok);
    assert_eq!((wins.len(), losses.len()), (1, 1));
    let Err(AppError::AlreadyResolved { by, .. }) = &losses[0] else {
        panic!("expected AlreadyResolved, got {losses:?}")
    };
    assert!(by == "Bruger mette" || by == "Bruger jonas", "{by}");
    assert_eq!(fx.counts().await.get(Opgavepakke::new(12).unwrap()), 0, "counted once");
    // The loser's write left nothing behind: one "løst" in the history, one audit row.
    let detail = app::service::task_view::task_detail(&fx.db.ctx, &fx.mette, task).await.unwrap();
    let solved = detail.history.iter().filter(|h| h.event == app::model::task::HistoryEvent::Loest).count();
    assert_eq!(solved, 1);
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    let resolves = app::store::audit::by_action(&mut conn, app::store::audit::AuditAction::ResolveTask).await.unwrap();
    assert_eq!(resolves.len(), 1, "{resolves:?}");
}

#[tokio::test]
async fn a_daekning_on_a_opgavepakke_12_task_moves_it_to_03_and_says_why() {
    let fx = fixture().await;
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    let task = fx.task_of(&fx.f12).await;
    let done = daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("4711", &fx.f12)).await.unwrap();
    assert!(done.created);
    assert_eq!(
        (done.opgavepakke_foer.unwrap().code(), done.opgavepakke_efter.unwrap().code()),
        ("12".into(), "03".into())
    );
    let counts = fx.counts().await;
    assert_eq!((counts.get(Opgavepakke::new(12).unwrap()), counts.get(Opgavepakke::new(3).unwrap())), (0, 1));
    assert_eq!(counts.get(Opgavepakke::VENTETRIN), 3);

    let detail = task_view::task_detail(&fx.db.ctx, &fx.mette, task).await.unwrap();
    assert_eq!(detail.opgavepakke.code(), "03");
    let moved = detail
        .history
        .iter()
        .find(|h| h.event == app::model::task::HistoryEvent::Flyttet)
        .expect("a move in the history");
    assert!(
        moved.cause.starts_with("Flyttet fra 12 til 03, fordi dækning 4711 på 1.250,00 kr. blev modtaget kl. "),
        "{}",
        moved.cause
    );

    // the same dækning again: 200, nothing counted twice
    let again = daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("4711", &fx.f12)).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.opgavepakke_efter, done.opgavepakke_efter);
    assert_eq!(fx.counts().await.counts, counts.counts);

    // resolving the task processes the parked dækning
    let resolved = resolve::resolve_task(&fx.db.ctx, &fx.mette, task, &paragraffer()).await.unwrap();
    assert_eq!(resolved.processed_daekninger, 1);
    assert_eq!(fx.counts().await.get(Opgavepakke::VENTETRIN), 2);
}

#[tokio::test]
async fn the_same_daekning_posted_to_two_instances_at_once_is_counted_once() {
    let fx = fixture().await;
    // A second instance on the same database: its own pool (and, on SQLite, its own writer).
    let other = app::state::AppContext::new(
        app::store::Db::connect(&fx.db.url()).await.unwrap(),
        app::state::Settings { secure_cookies: false, session_hours: 8 },
    );
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    let before = fx.counts().await;
    let input = fx.daekning("4712", &fx.f12);
    let (a, b) = tokio::join!(
        daekning::ingest(&fx.db.ctx, &system, aarhus(), &input),
        daekning::ingest(&other, &system, aarhus(), &input),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!([a.created, b.created].iter().filter(|c| **c).count(), 1, "{a:?} {b:?}");
    assert_eq!(a.opgavepakke_efter, b.opgavepakke_efter);
    let after = fx.counts().await;
    let (p12, p03) = (Opgavepakke::new(12).unwrap(), Opgavepakke::new(3).unwrap());
    assert_eq!((after.get(p12), after.get(p03)), (before.get(p12) - 1, before.get(p03) + 1));
    assert_eq!(after.get(Opgavepakke::VENTETRIN), before.get(Opgavepakke::VENTETRIN) + 1);
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    assert_eq!(counters::recount(&mut conn, aarhus()).await.unwrap(), after.counts);
}

#[tokio::test]
async fn folding_the_counter_changes_keeps_the_counts_and_their_version() {
    let fx = fixture().await;
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("4713", &fx.f12)).await.unwrap();
    let before = fx.counts().await;
    let folded = fx.db.ctx.db.write(|tx| Box::pin(async move { Ok(counters::fold(tx, 751).await?) })).await.unwrap();
    // PostgreSQL keeps counter changes as rows until folded (its folder may have been first);
    // SQLite changes the kept counts directly and has nothing to fold.
    assert!(!folded || fx.db.is_postgres());
    let after = fx.counts().await;
    assert_eq!(after.counts, before.counts);
    assert!(after.version >= before.version, "{} < {}", after.version, before.version);
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    assert!(counters::unfolded(&mut conn).await.unwrap().is_empty());
}

/// PostgreSQL: a fold does not wait for the jobs in flight. Each holds `FOR KEY SHARE` on its
/// kommune's row (the foreign-key check of a row it inserted) until it commits; the fold must not
/// take a lock that waits for those (and makes every later job queue behind it).
#[tokio::test]
async fn a_fold_does_not_wait_for_jobs_in_flight() {
    let fx = fixture().await;
    if !fx.db.is_postgres() {
        return;
    }
    use sqlx::Connection as _;
    let mut in_flight = sqlx::PgConnection::connect(&fx.db.url()).await.unwrap();
    sqlx::query("BEGIN").execute(&mut in_flight).await.unwrap();
    sqlx::query("SELECT nr FROM kommune WHERE nr = 751 FOR KEY SHARE").execute(&mut in_flight).await.unwrap();
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("4714", &fx.f12)).await.unwrap();
    let fold = fx.db.ctx.db.write(|tx| Box::pin(async move { Ok(counters::fold(tx, 751).await?) }));
    let folded = tokio::time::timeout(std::time::Duration::from_secs(10), fold).await;
    sqlx::query("ROLLBACK").execute(&mut in_flight).await.unwrap();
    folded.expect("the fold waited for a job in flight").unwrap();
    let mut conn = fx.db.ctx.db.read.acquire().await.unwrap();
    assert!(counters::unfolded(&mut conn).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_same_daekning_id_with_other_values_is_refused() {
    let fx = fixture().await;
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("77", &fx.f12)).await.unwrap();
    let changed = DaekningInput { beloeb: "1,00".into(), ..fx.daekning("77", &fx.f12) };
    let err = daekning::ingest(&fx.db.ctx, &system, aarhus(), &changed).await.unwrap_err();
    assert_eq!(err.field_errors()[0].field, "daekning_id");
}

#[tokio::test]
async fn a_daekning_on_a_fordring_without_an_open_task_is_booked_at_once() {
    let fx = fixture().await;
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    let task = fx.task_of(&fx.f12).await;
    resolve::resolve_task(&fx.db.ctx, &fx.mette, task, &paragraffer()).await.unwrap();
    let before = fx.counts().await;
    let done = daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("99", &fx.f12)).await.unwrap();
    assert_eq!((done.opgavepakke_foer, done.opgavepakke_efter), (None, None));
    assert_eq!(fx.counts().await.counts, before.counts);
}

#[tokio::test]
async fn closing_a_bevilling_with_an_open_task_is_refused_with_the_reason() {
    let fx = fixture().await;
    let err = bevilling::close_bevilling(&fx.db.ctx, &fx.mette, aarhus(), &fx.bevilling).await.unwrap_err();
    let AppError::Refused(reason) = err else { panic!("expected a refusal") };
    assert!(reason.contains("åben Opret fordringssag-opgave"), "{reason}");

    // once both tasks are resolved, it may close
    let t12 = fx.task_of(&fx.f12).await;
    let t01 = fx.task_of(&fx.f01).await;
    resolve::resolve_task(&fx.db.ctx, &fx.mette, t12, &paragraffer()).await.unwrap();
    let input = ResolveInput { ydelsesreference: "YR-F1".into(), ..Default::default() };
    resolve::resolve_task(&fx.db.ctx, &fx.mette, t01, &input).await.unwrap();
    bevilling::close_bevilling(&fx.db.ctx, &fx.mette, aarhus(), &fx.bevilling).await.unwrap();
}

#[tokio::test]
async fn next_task_hands_out_different_tasks_to_two_caseworkers() {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    for i in 0..3 {
        let cpr = x.person(&format!("P{i}"), "someone");
        let b = x.bevilling(&cpr, "KTH");
        x.fordring(&cpr, &b, "P");
    }
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    let a = db.user("a", Role::Sagsbehandler, Some(751)).await;
    let b = db.user("b", Role::Sagsbehandler, Some(751)).await;
    let p12 = Opgavepakke::new(12).unwrap();
    let ta = task_view::next_task(&db.ctx, &a, aarhus(), Some(p12)).await.unwrap().unwrap();
    let tb = task_view::next_task(&db.ctx, &b, aarhus(), Some(p12)).await.unwrap().unwrap();
    assert_ne!(ta, tb);
    // asking again gives each their own task back
    assert_eq!(task_view::next_task(&db.ctx, &a, aarhus(), Some(p12)).await.unwrap(), Some(ta));
}

#[tokio::test]
async fn counters_equal_a_recount_after_a_mixed_sequence_of_changes() {
    let fx = fixture().await;
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    for i in 0..5 {
        daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning(&format!("X{i}"), &fx.f12)).await.unwrap();
        fx.counts().await;
    }
    let t12 = fx.task_of(&fx.f12).await;
    resolve::resolve_task(&fx.db.ctx, &fx.mette, t12, &paragraffer()).await.unwrap();
    daekning::ingest(&fx.db.ctx, &system, aarhus(), &fx.daekning("late", &fx.f01)).await.unwrap();
    let c = fx.counts().await;
    assert_eq!(c.get(Opgavepakke::VENTETRIN), 3);
    let _ = fx.cpr;
}

#[tokio::test]
async fn a_write_by_another_process_makes_a_daekning_wait_not_fail() {
    use sqlx::Connection;
    let fx = fixture().await;
    let system = Actor::Integration { kommune: aarhus(), name: "oekonomi".into(), token_id: 1 };
    // Another process (a CLI import, a second instance) writes while the dækning arrives:
    // SQLite's file is locked, PostgreSQL's kommune row.
    let (mut other, begin): (Box<dyn app::store::AnyConn>, _) = if fx.db.is_postgres() {
        (Box::new(sqlx::PgConnection::connect(&fx.db.url()).await.unwrap()), "BEGIN")
    } else {
        (Box::new(sqlx::SqliteConnection::connect(&fx.db.url()).await.unwrap()), "BEGIN IMMEDIATE")
    };
    let mut run = async |sql: &'static str| {
        app::on_each!(&mut *other, |cx| sqlx::raw_sql(sql).execute(cx).await.map(|_| ())).unwrap();
    };
    run(begin).await;
    run("UPDATE kommune SET navn = navn WHERE nr = 751").await;
    let ingest = {
        let ctx = fx.db.ctx.clone();
        let d = fx.daekning("busy", &fx.f12);
        tokio::spawn(async move { daekning::ingest(&ctx, &system, aarhus(), &d).await })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    run("COMMIT").await;
    let done = ingest.await.unwrap().expect("waits for the other writer, then succeeds");
    assert_eq!(done.opgavepakke_efter.unwrap().code(), "03");
}
