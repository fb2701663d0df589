//! Progress against the deadlines, against a real SQLite file: the open tasks per day kept with
//! the counters (days in the past replayed with a pinned clock), the time from opening a task to
//! saving it, the staffing sentence, the day a group reached zero and MI 38 done, and refusals.
//!
//! The clock is process-wide: every test here holds `CLOCK` (each pins it while importing).

use app::clock;
use app::domain::fremdrift::EffortBasis;
use app::domain::resolve::ResolveInput;
use app::domain::{Kommunenr, Opgavepakke, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{Actor, board, fremdrift, resolve, task_view};
use app::store::audit::{self, AuditAction};
use chrono::{Days, NaiveTime};
use fixtures::testing::{ExtractBuilder, TestDb};
use tokio::sync::Mutex;

static CLOCK: Mutex<()> = Mutex::const_new(());

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

/// Pins the clock `days_ago` (counted from the real today) at `hour:minute` UTC.
fn pin(days_ago: u64, hour: u32, minute: u32) {
    clock::pin(None);
    let day = clock::today() - Days::new(days_ago);
    clock::pin(Some(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap()).and_utc()));
}

/// Six fordringer missing paragraffer, uden dækninger (package 12), imported `days_ago`.
async fn imported(days_ago: u64) -> (TestDb, Actor, Vec<String>) {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let p = x.person("Anne A", "mette");
    let b = x.bevilling(&p, "KTH");
    let fordringer: Vec<String> = (0..6).map(|_| x.fordring(&p, &b, "P")).collect();
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    pin(days_ago, 8, 0);
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    clock::pin(None);
    let mette = db.user("mette", Role::Sagsbehandler, Some(751)).await;
    (db, mette, fordringer)
}

fn paragraffer() -> ResolveInput {
    ResolveInput {
        udbetalingsparagraf: "LAS § 25".into(),
        tilbagebetalingsparagraf: "LAS § 91, stk. 1".into(),
        ..Default::default()
    }
}

async fn task_of(db: &TestDb, fordring: &str) -> i64 {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    app::store::tasks::opret_of_fordring(&mut conn, 751, fordring).await.unwrap().unwrap()
}

/// Opens the task at `hour:minute` `days_ago` and saves it `minutes` later.
async fn work(db: &TestDb, who: &Actor, task: i64, days_ago: u64, hour: u32, minute: u32, minutes: u32) {
    pin(days_ago, hour, minute);
    task_view::task_detail(&db.ctx, who, task).await.unwrap();
    pin(days_ago, hour, minute + minutes);
    resolve::resolve_task(&db.ctx, who, task, &paragraffer()).await.unwrap();
    clock::pin(None);
}

#[tokio::test]
async fn the_burn_down_keeps_each_days_count_and_the_median_time_per_task() {
    let _clock = CLOCK.lock().await;
    let (db, mette, fordringer) = imported(10).await;
    let mut tasks = Vec::new();
    for f in &fordringer {
        tasks.push(task_of(&db, f).await);
    }
    // Five days ago two tasks of 4 and 6 minutes; two days ago three, one of them left open
    // over lunch (70 minutes).
    work(&db, &mette, tasks[0], 5, 9, 0, 4).await;
    work(&db, &mette, tasks[1], 5, 9, 10, 6).await;
    work(&db, &mette, tasks[2], 2, 9, 0, 5).await;
    work(&db, &mette, tasks[3], 2, 10, 0, 5).await;
    pin(2, 11, 0);
    task_view::task_detail(&db.ctx, &mette, tasks[4]).await.unwrap();
    pin(2, 12, 10);
    resolve::resolve_task(&db.ctx, &mette, tasks[4], &paragraffer()).await.unwrap();
    clock::pin(None);

    let f = fremdrift::fremdrift(&db.ctx, &mette, aarhus()).await.unwrap();
    let p12 = f.packages.iter().find(|p| p.opgavepakke == Opgavepakke::new(12).unwrap()).unwrap();
    // import day .. today: 11 days; 6 open, 4 from five days ago, 1 from two days ago
    assert_eq!(p12.burn.days.len(), 11);
    assert_eq!(p12.burn.open, [6, 6, 6, 6, 6, 4, 4, 4, 1, 1, 1]);
    assert_eq!(p12.burn.days.last().unwrap(), &clock::today().to_string());
    // the median of 4, 6, 5, 5, 70 minutes is 5: the lunch does not count
    assert_eq!(p12.basis, EffortBasis::Measured(5));
    assert!((p12.minutes_per_task - 5.0).abs() < 0.01, "{}", p12.minutes_per_task);
    assert!((p12.hours_left - 5.0 / 60.0).abs() < 0.001);
    let uden = f.groups.iter().find(|g| g.key == "uden").unwrap();
    assert_eq!(uden.burn.open, p12.burn.open);
    // 5 done over the last 11 days: the pace is positive and the finish is in sight
    assert!(uden.burn.pace.unwrap() > 0.0);
    assert!(uden.burn.finish.is_some());
    assert_eq!(uden.zero_reached, None);
    assert!(!f.done);
}

#[tokio::test]
async fn the_sentence_counts_the_caseworkers_it_takes() {
    let _clock = CLOCK.lock().await;
    let (db, mette, _) = imported(0).await;
    db.user("jonas", Role::Sagsbehandler, Some(751)).await;
    let f = fremdrift::fremdrift(&db.ctx, &mette, aarhus()).await.unwrap();
    let uden = f.groups.iter().find(|g| g.key == "uden").unwrap();
    // "alle": both caseworkers of the kommune; nothing measured yet: 10 minutes a task
    assert_eq!(f.planned, 2);
    let p12 = f.packages.iter().find(|p| p.opgavepakke == Opgavepakke::new(12).unwrap()).unwrap();
    assert_eq!(p12.basis, EffortBasis::Assumed);
    assert!((uden.hours_left - 1.0).abs() < 1e-9, "6 tasks × 10 minutes");
    assert!(uden.staffing.is_some() || uden.sentence.contains("frist"), "{}", uden.sentence);
}

#[tokio::test]
async fn a_group_that_reaches_zero_keeps_the_day_and_mi38_is_done() {
    let _clock = CLOCK.lock().await;
    let (db, mette, fordringer) = imported(4).await;
    for (i, f) in fordringer.iter().enumerate() {
        let task = task_of(&db, f).await;
        work(&db, &mette, task, 3, 9, i as u32 * 8, 5).await;
    }
    let f = fremdrift::fremdrift(&db.ctx, &mette, aarhus()).await.unwrap();
    let uden = f.groups.iter().find(|g| g.key == "uden").unwrap();
    let day = (clock::today() - Days::new(3)).to_string();
    assert_eq!(uden.zero_reached.as_deref(), Some(day.as_str()));
    assert!(f.done, "no Opret fordringssag and no 09 task left");
    let b = board::board(&db.ctx, &mette, aarhus()).await.unwrap();
    assert!(b.had_tasks);
    assert_eq!(b.counts.total(), 0);
}

#[tokio::test]
async fn another_kommunes_project_lead_is_refused_and_it_is_audited() {
    let _clock = CLOCK.lock().await;
    let (db, _, _) = imported(0).await;
    let odense = db.user("odense.lead", Role::Projektleder, Some(461)).await;
    let err = fremdrift::fremdrift(&db.ctx, &odense, aarhus()).await.unwrap_err();
    assert!(matches!(err, AppError::OtherKommune(_)), "{err:?}");
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let refused = audit::by_action(&mut conn, AuditAction::Refused).await.unwrap();
    assert!(refused.iter().any(|r| r.actor == "odense.lead" && r.detail.contains("fremdrift")), "{refused:?}");
}
