//! Copies committed pages from the WAL into the database file, beside the writer instead of in
//! its way. SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages:
//! the writer then copies those pages and fsyncs the database file while every job of the
//! batch waits. With the automatic checkpoint off on the writer (`Db::connect`), this thread
//! runs a PASSIVE checkpoint on a connection of its own shortly after commits; it never blocks
//! the writer or a reader, and it writes no data — the writer stays the only one that changes
//! what the database says.
//!
//! PASSIVE alone never starts the WAL over while commits keep coming: SQLite restarts the log
//! only after a checkpoint that copied every frame while no reader still used one, and under a
//! steady load one of the two is always in the way (780 MB of WAL after 20 s of the crash proof,
//! and a start-up after a kill that reads all of it). So when the WAL has grown past
//! `RESTART_BYTES` the thread runs a TRUNCATE checkpoint instead: it waits (busy handler) for the
//! writer's batch and the readers' snapshots (`BUSY_WAIT` at most, then it tries again on a
//! later round), copies what is left — little, PASSIVE ran just before — and empties the file;
//! the next commit writes from its start.

use sqlx::SqliteConnection;
use std::path::PathBuf;
use std::sync::Weak;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How often the thread looks for new commits.
const PAUSE: Duration = Duration::from_millis(100);
/// A WAL larger than this is copied back in full and emptied.
pub const RESTART_BYTES: u64 = 64 << 20;
/// How long a TRUNCATE checkpoint waits for a reader's snapshot (holding writers off meanwhile)
/// before it gives up for this round: a long read (an XLSX export) must not stall the writer.
pub const BUSY_WAIT: Duration = Duration::from_millis(100);

/// Starts the thread. `commits` is the writer's commit counter; the thread stops when the
/// writer is gone (the counter dropped). `wal` is the database's `-wal` file.
pub fn start(conn: SqliteConnection, commits: Weak<AtomicU64>, wal: PathBuf) {
    let spawned = std::thread::Builder::new().name("db-checkpoint".into()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(checkpoint_loop(conn, commits, wal)),
            Err(error) => tracing::error!(%error, "the WAL checkpointer could not start"),
        }
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "the WAL checkpointer could not start");
    }
}

async fn checkpoint_loop(mut conn: SqliteConnection, commits: Weak<AtomicU64>, wal: PathBuf) {
    let mut seen = 0;
    loop {
        tokio::time::sleep(PAUSE).await;
        let Some(counter) = commits.upgrade() else { break };
        let now = counter.load(Ordering::Acquire);
        drop(counter);
        if now == seen {
            continue;
        }
        seen = now;
        // PASSIVE copies what no reader still needs and never waits; what it leaves is copied
        // on a later round. An error (another checkpoint running) is simply retried then.
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut conn).await {
            tracing::debug!(%error, "WAL checkpoint");
        }
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > RESTART_BYTES) {
            match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut conn).await {
                Ok((0, _, _)) => tracing::debug!("WAL emptied"),
                Ok(_) => tracing::debug!("WAL still in use; emptied on a later round"),
                Err(error) => tracing::debug!(%error, "WAL checkpoint (TRUNCATE)"),
            }
        }
    }
    let _ = sqlx::Connection::close(conn).await;
}
