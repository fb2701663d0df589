//! The one write path (`store::writer`): group commit with a savepoint per job.

use app::domain::{Kommunenr, Opgavepakke};
use app::error::AppError;
use app::store::audit::{self, AuditAction, AuditEntry};
use app::store::counters::{self, CountDelta};
use app::store::writer::SyncTx;
use app::store::{WriteTx, kommune};
use fixtures::testing::TestDb;
use futures::future::BoxFuture;
use tokio::sync::oneshot;

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

/// A write that logs `detail` and adds one task to opgavepakke 01, then fails if asked to.
fn job(
    detail: &'static str,
    fail: bool,
) -> impl for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, Result<(), AppError>> {
    move |tx| {
        Box::pin(async move {
            let entry = AuditEntry {
                actor: "test".into(),
                kommune: Some(751),
                cpr: None,
                action: AuditAction::Refused,
                detail: detail.into(),
            };
            audit::record(tx, &entry).await?;
            let mut delta = CountDelta::default();
            delta.add(Opgavepakke::new(1).unwrap(), 1);
            tx.count(aarhus(), &delta);
            if fail { Err(AppError::Refused("nej".into())) } else { Ok(()) }
        })
    }
}

async fn details(db: &TestDb) -> Vec<String> {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    audit::by_action(&mut conn, AuditAction::Refused).await.unwrap().into_iter().map(|r| r.detail).collect()
}

async fn counts(db: &TestDb) -> (i64, i64) {
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    let c = counters::read(&mut conn, aarhus()).await.unwrap();
    (c.version, c.counts[1])
}

#[tokio::test]
async fn a_failing_write_in_a_batch_leaves_the_others_committed() {
    let db = TestDb::new().await;
    db.ctx.write(|tx| Box::pin(async move { Ok::<_, AppError>(kommune::ensure(tx, aarhus()).await?) })).await.unwrap();
    let before = counts(&db).await;

    // Hold the writer inside a job, so the next three queue up and run as one batch.
    let (started, is_started) = oneshot::channel::<()>();
    let (release, released) = oneshot::channel::<()>();
    let ctx = db.ctx.clone();
    let holder = tokio::spawn(async move {
        ctx.write(move |_tx| {
            Box::pin(async move {
                let _ = started.send(());
                let _ = released.await;
                Ok::<_, AppError>(())
            })
        })
        .await
    });
    is_started.await.unwrap();
    let (a, b, c, ()) = tokio::join!(
        db.ctx.write(job("a", false)),
        db.ctx.write(job("b", true)),
        db.ctx.write(job("c", false)),
        async {
            // Every write above is queued once each has been polled once.
            tokio::task::yield_now().await;
            let _ = release.send(());
        }
    );
    holder.await.unwrap().unwrap();

    assert_eq!(a, Ok(()));
    assert_eq!(b, Err(AppError::Refused("nej".into())));
    assert_eq!(c, Ok(()));
    assert_eq!(details(&db).await, ["a", "c"], "b's row is rolled back, a's and c's are committed");
    let after = counts(&db).await;
    assert_eq!(after.1, before.1 + 2, "the counters hold a's and c's change, not b's");
    assert_eq!(after.0, before.0 + 1, "one batch: the kommune's version moved once for both");
}

/// As `job`, but synchronous on the writer's own SQLite handle (`Db::write_sync`); `panic`
/// makes it panic after its insert.
fn sync_job(
    detail: &'static str,
    fail: bool,
    panic: bool,
) -> impl for<'a, 'b> FnOnce(&'a mut SyncTx<'b>) -> Result<(), AppError> + Send + 'static {
    move |tx| {
        tx.db
            .execute(
                "INSERT INTO audit_log (at, actor, kommune, cpr, action, detail) VALUES ('x', 'test', 751, NULL, 'adgang nægtet', ?)",
                [detail],
            )
            .map_err(|_| AppError::Internal)?;
        assert!(!panic, "a bug in a synchronous write job");
        let mut delta = CountDelta::default();
        delta.add(Opgavepakke::new(1).unwrap(), 1);
        tx.count(aarhus(), &delta);
        if fail { Err(AppError::Refused("nej".into())) } else { Ok(()) }
    }
}

/// Synchronous jobs (the resolve's kind) share the batch with the others: each in its own
/// savepoint, a failing or panicking one undone alone, their counters applied with the batch.
#[tokio::test]
async fn synchronous_and_other_jobs_share_a_batch_and_fail_alone() {
    let db = TestDb::new().await;
    db.ctx.write(|tx| Box::pin(async move { Ok::<_, AppError>(kommune::ensure(tx, aarhus()).await?) })).await.unwrap();
    let before = counts(&db).await;
    let (started, is_started) = oneshot::channel::<()>();
    let (release, released) = oneshot::channel::<()>();
    let ctx = db.ctx.clone();
    let holder = tokio::spawn(async move {
        ctx.write(move |_tx| {
            Box::pin(async move {
                let _ = started.send(());
                let _ = released.await;
                Ok::<_, AppError>(())
            })
        })
        .await
    });
    is_started.await.unwrap();
    let w = &db.ctx.db;
    let (a, b, c, d, e, f, ()) = tokio::join!(
        w.write_sync(sync_job("a", false, false)),
        w.write_sync(sync_job("b", true, false)),
        db.ctx.write(job("c", false)),
        w.write_sync(sync_job("d", false, true)),
        w.write_sync(sync_job("e", false, false)),
        db.ctx.write(job("f", true)),
        async {
            tokio::task::yield_now().await;
            let _ = release.send(());
        }
    );
    holder.await.unwrap().unwrap();
    assert_eq!((a, c, e), (Ok(()), Ok(()), Ok(())));
    assert_eq!(b, Err(AppError::Refused("nej".into())));
    assert_eq!(d, Err(AppError::Internal), "a panicking job fails");
    assert_eq!(f, Err(AppError::Refused("nej".into())));
    let mut kept = details(&db).await;
    kept.sort();
    assert_eq!(kept, ["a", "c", "e"], "b's, d's and f's rows are rolled back");
    let after = counts(&db).await;
    assert_eq!(after.1, before.1 + 3, "the counters hold a's, c's and e's change");
    assert_eq!(after.0, before.0 + 1, "one batch");
    // The writer goes on, and a lone synchronous job commits.
    w.write_sync(sync_job("g", false, false)).await.unwrap();
    assert_eq!(details(&db).await.len(), 4);
}

#[tokio::test]
async fn a_write_that_fails_alone_leaves_nothing_behind() {
    let db = TestDb::new().await;
    db.ctx.write(|tx| Box::pin(async move { Ok::<_, AppError>(kommune::ensure(tx, aarhus()).await?) })).await.unwrap();
    let before = counts(&db).await;
    assert!(db.ctx.write(job("alone", true)).await.is_err());
    assert!(details(&db).await.is_empty());
    assert_eq!(counts(&db).await, before);
}

#[tokio::test]
async fn a_panicking_write_fails_and_the_writer_goes_on() {
    let db = TestDb::new().await;
    let panicked = db
        .ctx
        .write(|_tx| -> BoxFuture<'_, Result<(), AppError>> { Box::pin(async move { panic!("a bug in a write job") }) })
        .await;
    assert_eq!(panicked, Err(AppError::Internal));
    db.ctx.write(|tx| Box::pin(async move { Ok::<_, AppError>(kommune::ensure(tx, aarhus()).await?) })).await.unwrap();
    db.ctx.write(job("after", false)).await.unwrap();
    assert_eq!(details(&db).await, ["after"]);
}

#[tokio::test]
async fn audit_rows_of_reads_are_durable_before_the_read_returns() {
    let db = TestDb::new().await;
    let entries =
        AuditEntry::per_cpr("mette", 751, ["0101011234", "0202021234"], AuditAction::ShowTaskList, "opgavepakke 01");
    db.ctx.audit(entries).await.unwrap();
    let mut conn = db.ctx.db.read.acquire().await.unwrap();
    assert_eq!(audit::for_cpr(&mut conn, "0202021234").await.unwrap().len(), 1);
}

/// One commit of 100 audit rows of about a page each.
async fn write_audit_rows(db: &TestDb, round: usize, text: &str) {
    let text = text.to_string();
    db.ctx
        .write(move |tx| {
            Box::pin(async move {
                for i in 0..100 {
                    let entry = AuditEntry {
                        actor: "test".into(),
                        kommune: Some(751),
                        cpr: None,
                        action: AuditAction::Refused,
                        detail: format!("{round}.{i} {text}"),
                    };
                    audit::record(tx, &entry).await?;
                }
                Ok::<_, AppError>(())
            })
        })
        .await
        .unwrap();
}

/// The writer never checkpoints (its automatic checkpoint is off); the checkpointer thread copies
/// the WAL back into the database file behind it, so the WAL is reused instead of growing with
/// every write.
#[tokio::test]
async fn the_checkpointer_keeps_the_wal_from_growing() {
    let db = TestDb::new().await;
    let wal = db.dir.path().join("test.db-wal");
    let big = "x".repeat(3_000);
    // ~60 MB of audit rows in 200 commits (each row about a page).
    for round in 0..200 {
        write_audit_rows(&db, round, &big).await;
        if round % 20 == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        }
    }
    let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(size < 30_000_000, "the WAL grew to {size} bytes for 60 MB written");
    assert_eq!(details(&db).await.len(), 20_000);
}

/// Under a steady load the WAL is never fully copied back while readers keep snapshots, so
/// SQLite would never start it over (780 MB after 20 s of the crash proof). Past
/// `RESTART_BYTES` the checkpointer empties it as soon as the readers let it — and a reader
/// that holds its snapshot for long (an export) holds up neither the writes nor, once it ends,
/// the emptying.
#[tokio::test]
async fn the_wal_starts_over_after_a_long_read_without_holding_up_writes() {
    use app::store::checkpointer::RESTART_BYTES;
    let db = TestDb::new().await;
    let wal = db.dir.path().join("test.db-wal");
    let wal_size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    // A long read: a snapshot held while everything below is written.
    let mut reader = db.ctx.db.read.acquire().await.unwrap();
    let app::store::Reader::Sqlite(conn) = &mut reader else { return }; // SQLite only
    sqlx::query("BEGIN").execute(&mut **conn).await.unwrap();
    let _: (i64,) = sqlx::query_as("SELECT count(*) FROM sqlite_master").fetch_one(&mut **conn).await.unwrap();
    let big = "x".repeat(3_000);
    let mut slowest = std::time::Duration::ZERO;
    let mut round = 0;
    while wal_size() <= RESTART_BYTES + (8 << 20) {
        let started = std::time::Instant::now();
        write_audit_rows(&db, round, &big).await;
        slowest = slowest.max(started.elapsed());
        round += 1;
        assert!(round < 1_000, "the WAL did not grow past {RESTART_BYTES} bytes");
    }
    // Not the 30 s a writer waits for a lock: the checkpointer gave up after its short wait.
    assert!(slowest < std::time::Duration::from_secs(5), "a write waited {slowest:?}");
    sqlx::query("COMMIT").execute(&mut **conn).await.unwrap();
    drop(reader);
    // The reader is gone: the next rounds empty the WAL, and later commits write from its start.
    for _ in 0..50 {
        db.ctx
            .write(|tx| Box::pin(async move { Ok::<_, AppError>(kommune::ensure(tx, aarhus()).await?) }))
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if wal_size() < RESTART_BYTES / 4 {
            return;
        }
    }
    panic!("the WAL is still {} bytes after the reader ended", wal_size());
}
