//! Every SQL statement of the product lives in this module (server only).
//!
//! Functions take a connection (`&mut SqliteConnection`), so a caller composes several of them
//! into one transaction. `Db` holds a pool of read-only connections and the one writer
//! (`writer.rs`): every write is a job on `Db::write`, run in a group-commit batch on the single
//! writing connection, and acknowledged only when durable (WAL with `synchronous=FULL`).

#[macro_use]
mod backend;
pub mod aendring;
pub mod audit;
pub mod automation;
pub mod backup;
pub mod bevillingstyper;
pub mod checkpointer;
pub mod classify;
pub mod counters;
pub mod distribution;
pub mod extract;
pub mod fremdrift;
pub mod hoering;
pub mod klik;
pub mod known;
pub mod kommune;
pub mod plan;
pub mod postgres;
pub mod report;
pub mod resolution;
pub mod sessions;
pub mod stikproeve;
pub mod succeskriterium;
pub mod tasks;
pub mod tokens;
pub mod users;
pub mod writer;

use crate::error::AppError;
use crate::live::LiveHub;
use futures::future::BoxFuture;
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
pub use writer::WriteTx;

pub use backend::{AnyConn, Conn, Handle, ReadTx, Reader, Readers, not_on_postgres, push_list, small};

/// An error of rusqlite, which drives sqlx's own SQLite handle where a hop to sqlx's worker
/// thread per row or statement is too dear (the report's export, synchronous writes), as an
/// error of the store.
pub(crate) fn rusqlite_error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("SQLite: {e}"))
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database: a pool of read-only connections, and the one way to write (`Db::write`) —
/// SQLite's single writer on the same file, or PostgreSQL's transactions. Nothing else writes.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: Readers,
    writes: Writes,
    live: Arc<LiveHub>,
}

/// Where writes go.
#[derive(Clone, Debug)]
enum Writes {
    /// The writer thread with its group commit.
    Sqlite(writer::Writer),
    /// A transaction per job on the pool.
    Postgres(sqlx::PgPool),
}

impl Db {
    /// Opens and migrates the database the URL names: `postgres://…` is PostgreSQL, anything
    /// else SQLite (the file and its folder are created if missing).
    pub async fn connect(database_url: &str) -> Result<Db, sqlx::Error> {
        if postgres::is_postgres_url(database_url) {
            let pool = postgres::connect(database_url).await?;
            let live = Arc::new(LiveHub::new());
            postgres::live_listener(pool.clone(), live.clone());
            let db = Db { read: Readers::Postgres(pool.clone()), writes: Writes::Postgres(pool), live };
            postgres::count_folder(db.clone());
            return Ok(db);
        }
        let base = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("temp_store", "memory")
            .pragma("cache_size", format!("-{}", DEFAULT_CACHE_MIB * 1024))
            .pragma("mmap_size", MMAP_BYTES.to_string());
        if let Some(parent) = base.get_filename().parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
        // The writer leaves checkpoints to the checkpointer thread (see `checkpointer`).
        let mut conn = base.clone().pragma("wal_autocheckpoint", "0").connect().await?;
        MIGRATOR.run(&mut conn).await?;
        analyze(&mut conn).await?;
        let live = Arc::new(LiveHub::new());
        let writer = writer::Writer::start(conn, live.clone());
        let mut wal = base.get_filename().as_os_str().to_owned();
        wal.push("-wal");
        // A short busy wait: a TRUNCATE checkpoint holds writers off while it waits for readers,
        // so it gives up soon (and tries again on a later round) rather than stall the writer.
        let checkpoints = base.clone().busy_timeout(checkpointer::BUSY_WAIT).connect().await?;
        checkpointer::start(checkpoints, writer.commits(), wal.into());
        // Readers map the file instead of copying pages into a cache of their own: in WAL mode
        // every commit by the writer empties each reader's page cache (SQLite cannot tell which
        // pages changed), so a large reader cache is refilled by `pread` and emptied again on
        // every write. Mapped pages cost nothing to drop and nothing to find again.
        let readers = base.read_only(true).pragma("cache_size", format!("-{}", READER_CACHE_MIB * 1024));
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            // A local file does not go away under an open connection: no ping (a round trip to
            // the connection's worker thread) before every use.
            .test_before_acquire(false)
            .connect_with(readers)
            .await?;
        Ok(Db { read: Readers::Sqlite(read), writes: Writes::Sqlite(writer), live })
    }

    /// The one way to write: `work` runs in the next group-commit batch, in its own savepoint,
    /// and this returns once the batch is durably committed. An `Err` undoes only `work`.
    ///
    /// ```ignore
    /// db.write(move |tx| Box::pin(async move { store::tasks::close_if_open(tx, id, &by, &at).await }))
    /// ```
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, Result<T, AppError>> + Send + 'static,
    {
        self.write_as(work).await
    }

    /// `write` for a hot job written as synchronous statements on the writer's own SQLite
    /// handle (`writer::SyncTx`): the same batch, savepoint and commit, no hop per statement.
    pub async fn write_sync<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'a, 'b> FnOnce(&'a mut writer::SyncTx<'b>) -> Result<T, AppError> + Send + 'static,
    {
        match &self.writes {
            Writes::Sqlite(writer) => writer.run_sync(work).await,
            Writes::Postgres(_) => Err(AppError::from(not_on_postgres())),
        }
    }

    /// `write` for a job with an error type of its own (an import's list of bad rows).
    pub async fn write_as<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<AppError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        match &self.writes {
            Writes::Sqlite(writer) => writer.run(work).await,
            Writes::Postgres(pool) => postgres::write(pool, &self.live, work).await,
        }
    }

    /// Whether this is PostgreSQL (a few operations exist only on SQLite: backup by
    /// `VACUUM INTO`, the checkpoint, the bulk import's pragmas).
    pub fn is_postgres(&self) -> bool {
        matches!(self.writes, Writes::Postgres(_))
    }

    /// SQLite's writer, for maintenance that only SQLite has; `None` on PostgreSQL.
    fn sqlite_writer(&self) -> Option<&writer::Writer> {
        match &self.writes {
            Writes::Sqlite(writer) => Some(writer),
            Writes::Postgres(_) => None,
        }
    }

    /// Where the writer publishes changed opgavepakke counts (and services their other events).
    pub fn live(&self) -> &Arc<LiveHub> {
        &self.live
    }

    /// Copies the WAL into the database file and truncates it. After a bulk import the WAL holds
    /// gigabytes that every reader would otherwise look through until the next checkpoint.
    /// While the checkpointer thread is copying (it starts after commits) SQLite answers "busy"
    /// at once instead of waiting, so this waits for it and tries again (for a few seconds; a
    /// WAL left behind is copied by the checkpointer later, so giving up loses nothing).
    /// PostgreSQL checkpoints on its own: nothing to do there.
    pub async fn checkpoint(&self) -> Result<(), AppError> {
        let Some(writer) = self.sqlite_writer() else { return Ok(()) };
        for _ in 0..250 {
            let busy = writer
                .run_outside(|conn| {
                    Box::pin(async move {
                        let (busy, _, _): (i64, i64, i64) =
                            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(conn).await?;
                        Ok(busy != 0)
                    })
                })
                .await?;
            if !busy {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tracing::warn!("the WAL could not be truncated: a checkpoint or a reader kept it busy");
        Ok(())
    }

    /// Refreshes the query planner's statistics (see `analyze`).
    /// The newest migration applied (`arbejdsbord migrate` says it).
    pub async fn schema_version(&self) -> Result<i64, AppError> {
        let mut conn = self.read.acquire().await?;
        Ok(on_each!(&mut conn, |cx| sqlx::query_scalar(
            "SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success"
        )
        .fetch_one(cx)
        .await)?)
    }

    /// Whether the database answers and carries every migration this binary knows (the newest
    /// version, or why not) — `/health/ready`.
    pub async fn readiness(&self) -> Result<i64, String> {
        let migrator = if self.is_postgres() { &postgres::MIGRATOR } else { &MIGRATOR };
        let newest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied = self.schema_version().await.map_err(|e| format!("databasen svarer ikke: {e}"))?;
        if applied < newest {
            return Err(format!("databasen er migreret til {applied}, programmet kræver {newest}"));
        }
        Ok(applied)
    }

    pub async fn optimize(&self) -> Result<(), AppError> {
        match self.sqlite_writer() {
            Some(writer) => writer.run_outside(|conn| Box::pin(analyze(conn))).await,
            None => self.write(|tx| Box::pin(async move { Ok(analyze(tx).await?) })).await,
        }
    }

    /// Switches the writer's foreign-key checks (on by default). A bulk import whose parser
    /// has checked every reference itself switches them off for its transaction: otherwise each
    /// of its millions of rows costs a lookup of its parent.
    pub async fn set_foreign_keys(&self, on: bool) -> Result<(), AppError> {
        let sql = if on { "PRAGMA foreign_keys = ON" } else { "PRAGMA foreign_keys = OFF" };
        // PostgreSQL keeps its foreign keys checked.
        let Some(writer) = self.sqlite_writer() else { return Ok(()) };
        writer.run_outside(move |conn| Box::pin(async move { sqlx::query(sql).execute(conn).await.map(|_| ()) })).await
    }

    /// Sets the writer's page cache (MiB) — a bulk import raises it for its transaction.
    pub async fn set_cache_mib(&self, mib: i64) -> Result<(), AppError> {
        // PostgreSQL's memory is its server's setting.
        let Some(writer) = self.sqlite_writer() else { return Ok(()) };
        writer.run_outside(move |conn| Box::pin(set_cache_mib(conn, mib))).await
    }
}

/// Whether a write broke a UNIQUE or PRIMARY KEY constraint (by SQLite's error code, never by
/// its message). A caller turns it into a field error where only one such constraint applies.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// Refreshes the query planner's statistics (sampled, so it takes milliseconds even at millions
/// of rows). Without them SQLite scans a whole kommune where the store's queries mean an index
/// seek. Run at start and after every import.
async fn analyze(conn: &mut Conn) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| {
        if !PG {
            sqlx::query("PRAGMA analysis_limit = 1000").execute(&mut *cx).await?;
        }
        sqlx::query("ANALYZE").execute(cx).await.map(|_| ())
    })
}

/// The page cache of the writer connection (MiB). A large import raises it for its one
/// transaction — SQLite spills dirty pages to the WAL and sorts new indexes in it — and sets it
/// back afterwards.
async fn set_cache_mib(conn: &mut sqlx::SqliteConnection, mib: i64) -> Result<(), sqlx::Error> {
    let kib = mib.clamp(1, 16 * 1024) * 1024;
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}"))).execute(conn).await.map(|_| ())
}

/// The cache size the writer starts with (`Db::connect`).
pub const DEFAULT_CACHE_MIB: i64 = 8;

/// The page cache of each read connection (MiB): small, since readers read through `mmap`.
const READER_CACHE_MIB: i64 = 2;

/// How much of the database file the readers map (SQLite caps it at its compile-time limit).
const MMAP_BYTES: i64 = 8 << 30;
