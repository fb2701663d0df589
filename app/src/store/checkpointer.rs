//! Copies committed pages from the WAL into the database file, beside the writer instead of in
//! its way. SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages:
//! the writer then copies those pages and fsyncs the database file while every job of the
//! batch waits. With the automatic checkpoint off on the writer (`Db::connect`), this thread
//! runs a PASSIVE checkpoint on a connection of its own shortly after commits; it never blocks
//! the writer or a reader, and it writes no data — the writer stays the only one that changes
//! what the database says.

use sqlx::SqliteConnection;
use std::sync::Weak;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How often the thread looks for new commits.
const PAUSE: Duration = Duration::from_millis(100);

/// Starts the thread. `commits` is the writer's commit counter; the thread stops when the
/// writer is gone (the counter dropped).
pub fn start(conn: SqliteConnection, commits: Weak<AtomicU64>) {
    let spawned = std::thread::Builder::new().name("db-checkpoint".into()).spawn(move || {
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => runtime.block_on(checkpoint_loop(conn, commits)),
            Err(error) => tracing::error!(%error, "the WAL checkpointer could not start"),
        }
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "the WAL checkpointer could not start");
    }
}

async fn checkpoint_loop(mut conn: SqliteConnection, commits: Weak<AtomicU64>) {
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
    }
    let _ = sqlx::Connection::close(conn).await;
}
