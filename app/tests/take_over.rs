//! A task held by one caseworker is theirs: a colleague's save is refused (audited) until they
//! take it over explicitly; the take-over is recorded on the task and audited.

use app::domain::resolve::ResolveInput;
use app::domain::{Kommunenr, Opgavepakke, Role};
use app::error::AppError;
use app::service::import::{ImportOptions, import_extract};
use app::service::{resolve, take_over, task_view};
use app::store::audit::{self, AuditAction};
use fixtures::testing::{ExtractBuilder, TestDb};

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

fn paragraffer() -> ResolveInput {
    ResolveInput {
        udbetalingsparagraf: "LAS § 25".into(),
        tilbagebetalingsparagraf: "LAS § 91".into(),
        ..Default::default()
    }
}

async fn fixture() -> TestDb {
    let db = TestDb::new().await;
    let mut x = ExtractBuilder::new();
    let cpr = x.person("Anne Hansen", "mette");
    let b = x.bevilling(&cpr, "KTH");
    x.fordring(&cpr, &b, "P"); // 12
    let dir = db.dir.path().join("x");
    x.write(&dir).unwrap();
    import_extract(&db.ctx.db, aarhus(), &dir, &ImportOptions::default()).await.unwrap();
    db
}

#[tokio::test]
async fn a_colleague_cannot_save_a_held_task_until_taking_it_over_which_is_recorded() {
    let db = fixture().await;
    let mette = db.user("mette", Role::Sagsbehandler, Some(751)).await;
    let jonas = db.user("jonas", Role::Sagsbehandler, Some(751)).await;
    let task =
        task_view::next_task(&db.ctx, &mette, aarhus(), Some(Opgavepakke::new(12).unwrap())).await.unwrap().unwrap();

    // Jonas sees who has it …
    let seen = task_view::task_detail(&db.ctx, &jonas, task).await.unwrap();
    assert_eq!(seen.claimed_by.as_deref(), Some("Bruger mette"));
    assert!(!seen.claimed_by_me);
    assert!(task_view::task_detail(&db.ctx, &mette, task).await.unwrap().claimed_by_me);

    // … and cannot save it without a word.
    let Err(AppError::Refused(msg)) = resolve::resolve_task(&db.ctx, &jonas, task, &paragraffer()).await else {
        panic!("a held task must be refused")
    };
    assert!(msg.starts_with("Opgaven er i gang hos Bruger mette (til kl. "), "{msg}");
    assert!(msg.contains("Overtag opgaven"), "{msg}");
    assert!(task_view::task_detail(&db.ctx, &jonas, task).await.unwrap().is_open);
    {
        let mut conn = db.ctx.db.read.acquire().await.unwrap();
        let refused = audit::by_action(&mut conn, AuditAction::Refused).await.unwrap();
        assert!(refused.iter().any(|r| r.actor == "jonas" && r.detail.contains("i gang hos mette")), "{refused:?}");
    }

    // The take-over, explicit and recorded; then Jonas saves, and Mette is the one refused.
    take_over::take_over(&db.ctx, &jonas, task).await.unwrap();
    let after = task_view::task_detail(&db.ctx, &jonas, task).await.unwrap();
    assert!(after.claimed_by_me);
    assert_eq!(after.take_overs.len(), 1);
    assert!(after.take_overs[0].ends_with("Bruger jonas overtog opgaven fra Bruger mette"), "{:?}", after.take_overs);
    {
        let mut conn = db.ctx.db.read.acquire().await.unwrap();
        let taken = audit::by_action(&mut conn, AuditAction::TakeOverTask).await.unwrap();
        assert_eq!(taken.len(), 1);
        assert_eq!(taken[0].actor, "jonas");
        assert!(taken[0].detail.contains("overtaget fra mette"), "{}", taken[0].detail);
    }
    assert!(matches!(
        resolve::resolve_task(&db.ctx, &mette, task, &paragraffer()).await,
        Err(AppError::Refused(m)) if m.starts_with("Opgaven er i gang hos Bruger jonas")
    ));
    resolve::resolve_task(&db.ctx, &jonas, task, &paragraffer()).await.unwrap();
}

#[tokio::test]
async fn taking_over_is_refused_when_nobody_holds_the_task_or_from_another_kommune() {
    let db = fixture().await;
    let jonas = db.user("jonas", Role::Sagsbehandler, Some(751)).await;
    let odense = db.user("odense", Role::Sagsbehandler, Some(461)).await;
    let task = {
        let mut conn = db.ctx.db.read.acquire().await.unwrap();
        app::on_each!(&mut conn, |cx| sqlx::query_scalar::<_, i64>("SELECT id FROM task LIMIT 1").fetch_one(cx).await)
            .unwrap()
    };
    assert!(matches!(
        take_over::take_over(&db.ctx, &jonas, task).await,
        Err(AppError::Refused(m)) if m.starts_with("Opgaven er ikke i gang hos en anden")
    ));
    let err = take_over::take_over(&db.ctx, &odense, task).await.unwrap_err();
    assert!(matches!(err, AppError::OtherKommune(_)), "{err:?}");
    // An unheld task is saved as before.
    resolve::resolve_task(&db.ctx, &jonas, task, &paragraffer()).await.unwrap();
}

/// The held-task check is part of the write itself, not only of the read before it: a claim
/// taken by a colleague after the check (here: between the read and the write) makes the
/// resolve's guarded statements write nothing, and the task stays open and theirs.
#[tokio::test]
async fn a_claim_taken_between_the_check_and_the_write_stops_the_write() {
    let db = fixture().await;
    let mette = db.user("mette", Role::Sagsbehandler, Some(751)).await;
    let task =
        task_view::next_task(&db.ctx, &mette, aarhus(), Some(Opgavepakke::new(12).unwrap())).await.unwrap().unwrap();
    let (fordring_id, cpr, bits) = {
        let mut conn = db.ctx.db.read.acquire().await.unwrap();
        let row = app::store::tasks::get(&mut conn, task).await.unwrap().unwrap();
        (row.fordring_id, row.cpr, app::domain::Defects::from_bits(row.defects).to_fix_bits())
    };
    let record =
        |actor: &'static str| write_resolution(db.ctx.db.clone(), task, bits, fordring_id.clone(), cpr.clone(), actor);
    assert_eq!(record("jonas").await.unwrap(), None, "held by mette: nothing written");
    {
        let mut conn = db.ctx.db.read.acquire().await.unwrap();
        let row = app::store::tasks::get(&mut conn, task).await.unwrap().unwrap();
        assert!(row.is_open);
        assert_eq!(row.claimed_by.as_deref(), Some("mette"));
        let f = app::store::extract::fordring(&mut conn, 751, &fordring_id).await.unwrap().unwrap();
        assert_eq!(f.udbetalingsparagraf, None, "the fordring is untouched");
    }
    let written = record("mette").await.unwrap().expect("the holder's own write goes through");
    assert_eq!(written.opgavepakke, 12);
}

/// A resolve's statements as the service writes them: SQLite's synchronous path, or
/// PostgreSQL's transaction through sqlx.
async fn write_resolution(
    store: app::store::Db,
    task: i64,
    bits: u8,
    fordring_id: String,
    cpr: String,
    actor: &'static str,
) -> Result<Option<app::store::resolution::Written>, AppError> {
    use app::store::resolution;
    let at = app::clock::stamp(app::clock::now());
    if store.is_postgres() {
        store
            .write(move |tx| {
                Box::pin(async move {
                    let r = paragraf_answer(task, bits, &fordring_id, &cpr, &at, actor);
                    Ok(resolution::record_async(tx, r).await?)
                })
            })
            .await
    } else {
        store
            .write_sync(move |tx| {
                Ok(resolution::record(tx.db, paragraf_answer(task, bits, &fordring_id, &cpr, &at, actor))?)
            })
            .await
    }
}

/// The answer "LAS § 25" to a task that misses its paragraffer.
fn paragraf_answer<'a>(
    task: i64,
    bits: u8,
    fordring_id: &'a str,
    cpr: &'a str,
    at: &'a str,
    actor: &'a str,
) -> app::store::resolution::Resolution<'a> {
    app::store::resolution::Resolution {
        kommune: 751,
        task_id: task,
        to_fix_bits: bits,
        fordring_id,
        cpr,
        at,
        actor,
        summary: "Løst: paragraffer",
        processed_cause: "behandlet",
        audit_detail: "test",
        update: app::store::extract::FordringUpdate {
            udbetalingsparagraf: Some("LAS § 25".into()),
            ..Default::default()
        },
        reclassify_because: None,
    }
}
