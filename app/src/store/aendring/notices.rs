//! The in-app inbox, and the e-mail outbox (sent by SMTP when configured).

use crate::store::Conn;

pub async fn insert(
    conn: &mut Conn,
    user_id: i64,
    aendring_id: Option<i64>,
    at: &str,
    subject: &str,
    body: &str,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO notice (user_id, aendring_id, at, subject, body) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(user_id)
    .bind(aendring_id)
    .bind(at)
    .bind(subject)
    .bind(body)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub aendring_id: Option<i64>,
    pub at: String,
    pub subject: String,
    pub body: String,
    pub read_at: Option<String>,
}

pub async fn for_user(conn: &mut Conn, user_id: i64, limit: i64) -> Result<Vec<NoticeRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, aendring_id, at, subject, body, read_at FROM notice WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(cx)
    .await)
}

pub async fn unread(conn: &mut Conn, user_id: i64) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM notice WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(cx)
        .await)
}

pub async fn mark_read(conn: &mut Conn, user_id: i64, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE notice SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(at)
        .bind(user_id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

pub async fn count_for_aendring(conn: &mut Conn, aendring_id: i64) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM notice WHERE aendring_id = $1")
        .bind(aendring_id)
        .fetch_one(cx)
        .await)
}

pub async fn queue_mail(conn: &mut Conn, to: &str, subject: &str, body: &str, at: &str) -> Result<(), sqlx::Error> {
    queue(conn, &Mail { to, subject, body, at, kommune: None, aendring_id: None, error: None }).await
}

/// A mail for the outbox; with `error` it is kept as undeliverable from the start (no address).
#[derive(Clone, Copy, Debug)]
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub at: &'a str,
    pub kommune: Option<u16>,
    pub aendring_id: Option<i64>,
    pub error: Option<&'a str>,
}

pub async fn queue(conn: &mut Conn, m: &Mail<'_>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO outbox (to_address, subject, body, created_at, kommune, aendring_id, error) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(m.to)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.at)
    .bind(m.kommune.map(i64::from))
    .bind(m.aendring_id)
    .bind(m.error)
    .execute(cx).await.map(|r| r.rows_affected()))
    .map(|_| ())
}

/// A mail that could not be delivered, as KOMBIT sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FailedMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub attempts: i64,
    pub error: String,
    pub kommune: Option<i64>,
    pub aendring_id: Option<i64>,
}

/// Mail given up on (a permanent refusal, retries used up, or no address), newest first.
pub async fn failed(conn: &mut Conn, limit: i64) -> Result<Vec<FailedMail>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, to_address, subject, body, created_at, attempts, error, kommune, aendring_id FROM outbox
         WHERE error IS NOT NULL ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(cx)
    .await)
}

pub async fn count_failed(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM outbox WHERE error IS NOT NULL").fetch_one(cx).await)
}

/// Sends an undeliverable mail again, to `to`; `false` when it is no longer undeliverable.
pub async fn resend(conn: &mut Conn, id: i64, to: &str) -> Result<bool, sqlx::Error> {
    Ok(on_each!(conn, |cx| sqlx::query(
        "UPDATE outbox SET to_address = $1, error = NULL, attempts = 0, next_attempt_at = NULL
         WHERE id = $2 AND error IS NOT NULL",
    )
    .bind(to)
    .bind(id)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}

/// One mail waiting in the outbox.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Claims up to `limit` mails due at `now`, oldest first, until `lease_until`: another instance
/// on the same database skips them meanwhile, and a sender that dies before it records the
/// outcome leaves them to whoever looks after the lease (sent at least once, never twice by two
/// live senders). A write: run it in a write job.
pub async fn claim_due_mail(
    conn: &mut Conn,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> Result<Vec<OutboxMail>, sqlx::Error> {
    let mut claimed: Vec<OutboxMail> = on_each!(conn, |cx| {
        sqlx::query_as(if PG {
        "UPDATE outbox SET next_attempt_at = $2 WHERE id IN (
             SELECT id FROM outbox WHERE sent_at IS NULL AND error IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
             ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, to_address, subject, body, attempts"
    } else {
        // One writer: the claim is atomic as it is.
        "UPDATE outbox SET next_attempt_at = $2 WHERE id IN (
             SELECT id FROM outbox WHERE sent_at IS NULL AND error IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
             ORDER BY id LIMIT $3)
         RETURNING id, to_address, subject, body, attempts"
    })
    .bind(now)
    .bind(lease_until)
    .bind(limit)
    .fetch_all(cx)
    .await
    })?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

pub async fn mark_sent(conn: &mut Conn, id: i64, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, next_attempt_at = NULL WHERE id = $2"
    )
    .bind(at)
    .bind(id)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// A failed attempt: try again at `retry_at`, or give up (`retry_at` None) and keep the error.
pub async fn mark_failed(conn: &mut Conn, id: i64, error: &str, retry_at: Option<&str>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, \
         error = CASE WHEN $1 IS NULL THEN $2 ELSE NULL END WHERE id = $3",
    )
    .bind(retry_at)
    .bind(error)
    .bind(id)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// (sent, waiting, failed) — for the sender's log line and the tests.
pub async fn outbox_state(conn: &mut Conn) -> Result<(i64, i64, i64), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT count(sent_at), count(*) FILTER (WHERE sent_at IS NULL AND error IS NULL), count(error) FROM outbox",
    )
    .fetch_one(cx)
    .await)
}
