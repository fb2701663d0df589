//! Browser sessions: only a hash of the cookie's token is stored.

use super::Conn;
use super::users::UserRow;
use crate::clock;

pub async fn insert(conn: &mut Conn, token_hash: &str, user_id: i64, expires_at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO session (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(clock::stamp(clock::now()))
    .bind(expires_at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The user of an unexpired session.
pub async fn user(conn: &mut Conn, token_hash: &str, now: &str) -> Result<Option<UserRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.kommune, u.fagfaellesskab, u.is_demo
         FROM session s JOIN app_user u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(cx)
    .await)
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("DELETE FROM session WHERE token_hash = $1")
        .bind(token_hash)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

pub async fn delete_expired(conn: &mut Conn, now: &str) -> Result<u64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("DELETE FROM session WHERE expires_at <= $1")
        .bind(now)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
}
