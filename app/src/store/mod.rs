//! Every SQL statement of the product lives in this module (server only).
//!
//! Functions take a connection or a transaction (`&mut SqliteConnection`), so a caller composes
//! several of them into one transaction. `Db` holds two pools: many read-only connections and a
//! single writer, so writes queue in the pool instead of fighting over SQLite's lock, and every
//! commit is durable (WAL with `synchronous=FULL`).

pub mod aendring;
pub mod audit;
pub mod counters;
pub mod extract;
pub mod group_commit;
pub mod kommune;
pub mod sessions;
pub mod tasks;
pub mod tokens;
pub mod users;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub type Conn = sqlx::SqliteConnection;
pub type Tx = Transaction<'static, Sqlite>;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database: a read pool and a one-connection write pool on the same SQLite file.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
}

impl Db {
    /// Opens (creating the file and its folder if missing) and migrates the database.
    pub async fn connect(database_url: &str) -> Result<Db, sqlx::Error> {
        let base = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-65536"); // DEFAULT_CACHE_MIB
        if let Some(parent) = base.get_filename().parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
        }
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(120))
            .connect_with(base.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        optimize(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.read_only(true))
            .await?;
        Ok(Db { read, write })
    }

    /// A write transaction on the single writer connection.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        begin_immediate(&self.write).await
    }
}

/// `BEGIN IMMEDIATE`: takes the write lock at the start, waiting (busy timeout) while another
/// process — a CLI import, a second instance — writes. A deferred transaction that reads first
/// and then writes gets SQLITE_BUSY at once, without waiting, when someone else committed
/// meanwhile.
pub async fn begin_immediate(pool: &SqlitePool) -> Result<Tx, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// The page cache of the writer connection (MiB). A large import raises it for its one
/// transaction — SQLite spills dirty pages to the WAL and sorts new indexes in it — and sets it
/// back afterwards.
pub async fn set_cache_mib(conn: &mut Conn, mib: i64) -> Result<(), sqlx::Error> {
    let kib = mib.clamp(1, 16 * 1024) * 1024;
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}"))).execute(conn).await.map(|_| ())
}

/// The cache size every connection starts with (`Db::connect`).
pub const DEFAULT_CACHE_MIB: i64 = 64;

/// Copies the WAL into the database file and truncates it. After a bulk import the WAL holds
/// gigabytes that every reader would otherwise look through until the next checkpoint.
pub async fn checkpoint(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await.map(|_| ())
}

/// Refreshes the query planner's statistics (sampled, so it takes milliseconds even at millions
/// of rows). Without them SQLite scans a whole kommune where the store's queries mean an index
/// seek. Run at start and after every import.
pub async fn optimize(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA analysis_limit = 1000").execute(&mut *conn).await?;
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    Ok(())
}
