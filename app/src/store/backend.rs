//! One store, two databases: SQLite (the embedded default: a file, one writer, group commit) and
//! PostgreSQL (several instances on one database server).
//!
//! A store function takes `&mut Conn` — any connection of either database, seen through
//! `AnyConn` — and writes its statement once for both with `on_each!`, which runs the same body
//! against the concrete sqlx connection of whichever database it is (so every bind and every
//! decoded column is type-checked against both). Where the dialects must differ, the body picks
//! the text by the `PG` constant `on_each!` defines:
//!
//! ```ignore
//! pub async fn version(conn: &mut Conn, kommune: i64) -> Result<i64, sqlx::Error> {
//!     on_each!(conn, |cx| sqlx::query_scalar("SELECT version FROM kommune WHERE nr = $1")
//!         .bind(kommune)
//!         .fetch_one(c)
//!         .await)
//! }
//! ```
//!
//! Placeholders are `$1 … $N` in both (sqlx binds SQLite's `$NNN` by number). A function not yet
//! written for PostgreSQL says so with `conn.sqlite()?`, which refuses on PostgreSQL with an
//! error naming the gap instead of running SQLite's SQL there.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};

/// The database a connection belongs to, as `on_each!` takes it apart.
pub enum Handle<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// A connection to either database: a pooled reader, a transaction, the writer's connection.
pub trait AnyConn: Send {
    fn handle(&mut self) -> Handle<'_>;

    /// This connection as SQLite's, for a statement that exists only for SQLite.
    fn sqlite(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        match self.handle() {
            Handle::Sqlite(c) => Ok(c),
            Handle::Postgres(_) => Err(not_on_postgres()),
        }
    }

    fn is_postgres(&mut self) -> bool {
        matches!(self.handle(), Handle::Postgres(_))
    }
}

/// What a store function takes: a connection of either database.
pub type Conn = dyn AnyConn;

pub fn not_on_postgres() -> sqlx::Error {
    sqlx::Error::Protocol("denne funktion findes endnu ikke på PostgreSQL (kun SQLite)".into())
}

/// Runs `body` with `c` bound to the concrete connection of `conn`'s database, once written,
/// compiled for each; `PG` tells the body which one it is.
#[macro_export]
macro_rules! on_each {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $crate::store::AnyConn::handle($conn) {
            $crate::store::Handle::Sqlite($c) => {
                #[allow(dead_code)]
                const PG: bool = false;
                $body
            }
            $crate::store::Handle::Postgres($c) => {
                #[allow(dead_code)]
                const PG: bool = true;
                $body
            }
        }
    };
}

impl AnyConn for SqliteConnection {
    fn handle(&mut self) -> Handle<'_> {
        Handle::Sqlite(self)
    }
}

impl AnyConn for PgConnection {
    fn handle(&mut self) -> Handle<'_> {
        Handle::Postgres(self)
    }
}

impl AnyConn for PoolConnection<Sqlite> {
    fn handle(&mut self) -> Handle<'_> {
        Handle::Sqlite(self)
    }
}

impl AnyConn for PoolConnection<Postgres> {
    fn handle(&mut self) -> Handle<'_> {
        Handle::Postgres(self)
    }
}

impl AnyConn for Transaction<'_, Sqlite> {
    fn handle(&mut self) -> Handle<'_> {
        Handle::Sqlite(self)
    }
}

impl AnyConn for Transaction<'_, Postgres> {
    fn handle(&mut self) -> Handle<'_> {
        Handle::Postgres(self)
    }
}

/// Pushes `(v1, v2, …)`, one bind per value: an `IN` list for either database.
pub fn push_list<DB: sqlx::Database, T>(qb: &mut sqlx::QueryBuilder<DB>, values: impl IntoIterator<Item = T>)
where
    T: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push("(");
    let mut sep = qb.separated(", ");
    for value in values {
        sep.push_bind(value);
    }
    qb.push(")");
}

/// A small stored number (a score, an opgavepakke, defect bits) as the `u8` it was written
/// from: both databases hand integers back as 64-bit.
pub fn small(n: i64) -> Result<u8, sqlx::Error> {
    u8::try_from(n).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// The read-only connections: SQLite's pool of readers on the file, or PostgreSQL's pool.
#[derive(Clone, Debug)]
pub enum Readers {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// A reader taken from `Readers` (returned to the pool when dropped).
pub enum Reader {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Readers {
    pub async fn acquire(&self) -> Result<Reader, sqlx::Error> {
        Ok(match self {
            Readers::Sqlite(p) => Reader::Sqlite(p.acquire().await?),
            Readers::Postgres(p) => Reader::Postgres(p.acquire().await?),
        })
    }

    /// A read transaction: one snapshot for several statements.
    pub async fn begin(&self) -> Result<ReadTx, sqlx::Error> {
        Ok(match self {
            Readers::Sqlite(p) => ReadTx::Sqlite(p.begin().await?),
            Readers::Postgres(p) => ReadTx::Postgres(p.begin().await?),
        })
    }

    /// SQLite's pool, for what only SQLite has (the report's export through rusqlite, backups).
    pub fn sqlite(&self) -> Result<&sqlx::SqlitePool, sqlx::Error> {
        match self {
            Readers::Sqlite(p) => Ok(p),
            Readers::Postgres(_) => Err(not_on_postgres()),
        }
    }
}

impl AnyConn for Reader {
    fn handle(&mut self) -> Handle<'_> {
        match self {
            Reader::Sqlite(c) => Handle::Sqlite(c),
            Reader::Postgres(c) => Handle::Postgres(c),
        }
    }
}

/// A read transaction of either database (rolled back when dropped: it only reads).
pub enum ReadTx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl AnyConn for ReadTx {
    fn handle(&mut self) -> Handle<'_> {
        match self {
            ReadTx::Sqlite(c) => Handle::Sqlite(c),
            ReadTx::Postgres(c) => Handle::Postgres(c),
        }
    }
}
