//! Browser sessions: only a hash of the cookie's token is stored.

use super::Conn;
use super::users::UserRow;
use crate::clock;

pub async fn insert(conn: &mut Conn, token_hash: &str, user_id: i64, expires_at: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash)
        .bind(user_id)
        .bind(clock::stamp(clock::now()))
        .bind(expires_at)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The user of an unexpired session.
pub async fn user(conn: &mut Conn, token_hash: &str, now: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.kommune, u.fagfaellesskab, u.is_demo
         FROM session s JOIN app_user u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ?",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE token_hash = ?").bind(token_hash).execute(conn).await.map(|_| ())
}

pub async fn delete_expired(conn: &mut Conn, now: &str) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM session WHERE expires_at <= ?").bind(now).execute(conn).await.map(|r| r.rows_affected())
}
