//! `arbejdsbord backup`: a consistent copy while writes go on, usable as a restore.

use app::domain::{Kommunenr, Opgavepakke};
use app::error::AppError;
use app::store::audit::{self, AuditAction, AuditEntry};
use app::store::backup::{self, BackupError};
use app::store::counters::{self, CountDelta};
use app::store::{Db, kommune};
use fixtures::testing::TestDb;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

fn aarhus() -> Kommunenr {
    Kommunenr::parse("751").unwrap()
}

/// Write `n`: an audit row "w{n}" and one more task in opgavepakke 01, in one job.
async fn write(db: &Db, n: usize) -> Result<(), AppError> {
    db.write(move |tx| {
        Box::pin(async move {
            let entry = AuditEntry {
                actor: "test".into(),
                kommune: Some(751),
                cpr: None,
                action: AuditAction::Refused,
                detail: format!("w{n}"),
            };
            audit::record(tx, &entry).await?;
            let mut delta = CountDelta::default();
            delta.add(Opgavepakke::new(1).unwrap(), 1);
            tx.count(aarhus(), &delta);
            Ok(())
        })
    })
    .await
}

#[tokio::test]
async fn a_backup_taken_during_writes_holds_every_acknowledged_one_and_restores() {
    let db = TestDb::new().await;
    db.ctx.write(|tx| Box::pin(async move { Ok::<_, AppError>(kommune::ensure(tx, aarhus()).await?) })).await.unwrap();

    // One caller writes without pause; each write is acknowledged (durable) before the next.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, acknowledged, stop) = (db.ctx.db.clone(), acknowledged.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Acquire) {
                write(&db, n).await.unwrap();
                n += 1;
                acknowledged.store(n, Ordering::Release);
            }
        })
    };
    while acknowledged.load(Ordering::Acquire) < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = acknowledged.load(Ordering::Acquire);
    let out = db.dir.path().join("kopi.db");
    let b = backup::write(&db.url(), &out).await.unwrap();
    let after = acknowledged.load(Ordering::Acquire);
    stop.store(true, Ordering::Release);
    writer.await.unwrap();
    assert!(b.bytes > 0);

    // Restore: the copy opens as the database of a server (migrated, writable).
    let restored = Db::connect(&format!("sqlite://{}", out.display())).await.unwrap();
    let mut conn = restored.read.acquire().await.unwrap();
    let mut held: Vec<usize> = audit::by_action(&mut conn, AuditAction::Refused)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.detail.trim_start_matches('w').parse().unwrap())
        .collect();
    held.sort();
    // One snapshot: the writes 0..n with no gap, every one acknowledged before the backup
    // began among them, none that was still to come after it ended.
    let n = held.len();
    assert_eq!(held, (0..n).collect::<Vec<_>>(), "no write missing in between");
    assert!(n >= before, "{n} writes in the copy, {before} acknowledged before it began");
    assert!(n <= after + 1, "{n} writes in the copy, only {after} acknowledged when it ended");
    let counts = counters::read(&mut conn, aarhus()).await.unwrap();
    assert_eq!(counts.counts[1] as usize, n, "the counters are of the same snapshot as the rows");
    drop(conn);
    write(&restored, 999_999).await.unwrap();
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file_and_names_what_is_wrong() {
    let db = TestDb::new().await;
    let out = db.dir.path().join("findes.db");
    std::fs::write(&out, b"vigtigt").unwrap();
    let e = backup::write(&db.url(), &out).await.unwrap_err();
    assert!(matches!(e, BackupError::Exists(_)), "{e}");
    assert!(e.to_string().contains("findes.db"), "{e}");
    assert_eq!(std::fs::read(&out).unwrap(), b"vigtigt", "the file is left alone");

    let e = backup::write(&db.url(), &db.dir.path().join("ingen/mappe/kopi.db")).await.unwrap_err();
    assert!(matches!(e, BackupError::NoFolder(_)), "{e}");
    let missing = format!("sqlite://{}", db.dir.path().join("ingen.db").display());
    let e = backup::write(&missing, &db.dir.path().join("kopi.db")).await.unwrap_err();
    assert!(matches!(e, BackupError::NoDatabase(_)), "{e}");
}
