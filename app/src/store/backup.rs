//! A consistent copy of the database while the server runs (`arbejdsbord backup`).
//!
//! `VACUUM INTO` reads the whole database inside ONE read transaction: in WAL mode that is a
//! snapshot, so the copy holds every write committed before it began and nothing of what came
//! after or was half done, and writers are not held up (they append to the WAL meanwhile). The
//! copy is a compact, ordinary SQLite file; it is checked (`PRAGMA integrity_check`) before the
//! command says it is written. To restore: stop the server, put the file where `DATABASE_URL`
//! points (removing the old `-wal` and `-shm` files), start it.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// What a backup wrote.
#[derive(Debug)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} findes allerede; en sikkerhedskopi overskriver ikke en fil. Vælg et nyt filnavn.")]
    Exists(PathBuf),
    #[error("mappen {0} findes ikke")]
    NoFolder(PathBuf),
    #[error("databasen {0} findes ikke")]
    NoDatabase(String),
    #[error(
        "databasen er PostgreSQL: tag sikkerhedskopien med PostgreSQL's eget værktøj, fx `pg_dump --format=custom --file=FIL \"$DATABASE_URL\"` (ét konsistent øjebliksbillede, mens serveren kører), og læs den tilbage med `pg_restore`"
    )]
    Postgres,
    #[error("kopien {path} er skrevet, men integritetskontrollen fandt fejl: {found}")]
    Corrupt { path: PathBuf, found: String },
    #[error("{0}")]
    Sqlite(#[from] sqlx::Error),
}

/// Copies the database at `database_url` into the new file `out` and checks the copy.
pub async fn write(database_url: &str, out: &Path) -> Result<Backup, BackupError> {
    if super::postgres::is_postgres_url(database_url) {
        return Err(BackupError::Postgres);
    }
    if out.exists() {
        return Err(BackupError::Exists(out.to_path_buf()));
    }
    if let Some(folder) = out.parent()
        && !folder.as_os_str().is_empty()
        && !folder.is_dir()
    {
        return Err(BackupError::NoFolder(folder.to_path_buf()));
    }
    let source = SqliteConnectOptions::from_str(database_url)?;
    if !source.get_filename().exists() {
        return Err(BackupError::NoDatabase(source.get_filename().display().to_string()));
    }
    // Not read-only: SQLite opens the copy (attached by VACUUM INTO) with the connection's flags.
    let mut conn = source.create_if_missing(false).busy_timeout(Duration::from_secs(30)).connect().await?;
    let target = out.to_str().ok_or_else(|| BackupError::NoFolder(out.to_path_buf()))?;
    sqlx::query("VACUUM INTO ?").bind(target).execute(&mut conn).await?;
    conn.close().await?;
    let mut copy = SqliteConnectOptions::new().filename(out).read_only(true).connect().await?;
    let found: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut copy).await?;
    copy.close().await?;
    if found != ["ok"] {
        return Err(BackupError::Corrupt { path: out.to_path_buf(), found: found.join("; ") });
    }
    let bytes = std::fs::metadata(out).map_err(sqlx::Error::Io)?.len();
    Ok(Backup { path: out.to_path_buf(), bytes })
}
