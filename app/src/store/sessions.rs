//! Browser sessions: only a hash of the cookie's token is stored. A session is valid while it is
//! younger than its absolute lifetime (`expires_at`), was used within the idle timeout
//! (`last_seen_at`) and its user is not removed; the cut-offs are computed by the caller
//! (`service::auth`), so every instance applies the same rule to the same rows.

use super::Conn;
use super::users::UserRow;

/// A new session and where it was opened from (shown in the user's list of sessions).
#[derive(Clone, Debug)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub now: &'a str,
    pub expires_at: &'a str,
    pub user_agent: Option<&'a str>,
    pub client: Option<&'a str>,
}

/// One of a user's sessions, as their list shows it.
#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct SessionRow {
    pub token_hash: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
    pub user_agent: Option<String>,
    pub client: Option<String>,
}

pub async fn insert(conn: &mut Conn, s: &NewSession<'_>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO session (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent, client)
         VALUES ($1, $2, $3, $4, $3, $5, $6)"
    )
    .bind(s.token_hash)
    .bind(s.user_id)
    .bind(s.now)
    .bind(s.expires_at)
    .bind(s.user_agent)
    .bind(s.client)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The user of a valid session (see the module doc) and when the session was last used.
pub async fn user(
    conn: &mut Conn,
    token_hash: &str,
    now: &str,
    idle_cutoff: &str,
) -> Result<Option<(UserRow, String)>, sqlx::Error> {
    let row: Option<SessionUserRow> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.kommune, u.fagfaellesskab, u.is_demo,
                s.last_seen_at
         FROM session s JOIN app_user u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.removed_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .bind(idle_cutoff)
    .fetch_optional(cx)
    .await)?;
    Ok(row.map(|r| (r.user, r.last_seen_at)))
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    last_seen_at: String,
}

/// Records a use of the session, unless one was recorded after `stale_before` (so a session
/// costs at most one write a minute, however many requests it makes). Returns whether it wrote.
pub async fn touch(conn: &mut Conn, token_hash: &str, now: &str, stale_before: &str) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE session SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $3")
        .bind(token_hash)
        .bind(now)
        .bind(stale_before)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|n| n > 0)
}

/// A user's valid sessions, most recently used first.
pub async fn of_user(
    conn: &mut Conn,
    user_id: i64,
    now: &str,
    idle_cutoff: &str,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT token_hash, created_at, last_seen_at, expires_at, user_agent, client FROM session
         WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3
         ORDER BY last_seen_at DESC, created_at DESC",
    )
    .bind(user_id)
    .bind(now)
    .bind(idle_cutoff)
    .fetch_all(cx)
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

/// Ends one of the user's sessions (never another user's); returns whether there was one.
pub async fn delete_of_user(conn: &mut Conn, user_id: i64, token_hash: &str) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("DELETE FROM session WHERE user_id = $1 AND token_hash = $2")
        .bind(user_id)
        .bind(token_hash)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|n| n > 0)
}

/// Ends every session of the user but `keep` (all of them with `None`); returns how many.
pub async fn delete_all_of_user(conn: &mut Conn, user_id: i64, keep: Option<&str>) -> Result<u64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("DELETE FROM session WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
        .bind(user_id)
        .bind(keep)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
}

/// Removes sessions past their lifetime or idle timeout (they are refused anyway).
pub async fn delete_expired(conn: &mut Conn, now: &str, idle_cutoff: &str) -> Result<u64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("DELETE FROM session WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_cutoff)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
}
