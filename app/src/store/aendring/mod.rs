//! Ændringsønsker: ændringsønsker and their kommuner, events, search, scores, weight sets and
//! rankings, notices and appeals.

pub mod aendringer;
pub mod notices;
pub mod scores;
pub mod weights;

use super::Conn;

/// Bumps the version clients follow live and returns it (same transaction as the change).
pub async fn bump_version(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "UPDATE change_counter SET version = version + 1 WHERE name = 'aendringer' RETURNING version"
    )
    .fetch_one(cx)
    .await)
}

pub async fn version(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT version FROM change_counter WHERE name = 'aendringer'")
        .fetch_one(cx)
        .await)
}
