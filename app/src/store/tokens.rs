//! API tokens for a kommune's integrations (only a hash is stored).

use super::Conn;
use crate::clock;

pub async fn insert(conn: &mut Conn, kommune: u16, name: &str, token_hash: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO api_token (kommune, name, token_hash, created_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(i64::from(kommune))
    .bind(name)
    .bind(token_hash)
    .bind(clock::stamp(clock::now()))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The id, kommune and name of a token.
pub async fn lookup(conn: &mut Conn, token_hash: &str) -> Result<Option<(i64, i64, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as("SELECT id, kommune, name FROM api_token WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(cx)
        .await)
}
