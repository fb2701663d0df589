//! Weight sets (versioned; the newest is in force), the ranking each adoption produced, and the
//! styregruppe's drafts.

use crate::store::Conn;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WeightSetRow {
    pub version: i64,
    /// JSON array of 9 numbers in criterion order.
    pub weights: String,
    pub adopted_at: String,
    pub adopted_by: String,
    pub note: String,
}

pub async fn current(conn: &mut Conn) -> Result<WeightSetRow, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT version, weights, adopted_at, adopted_by, note FROM weight_set ORDER BY version DESC LIMIT 1",
    )
    .fetch_one(cx)
    .await)
}

pub async fn get(conn: &mut Conn, version: i64) -> Result<Option<WeightSetRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT version, weights, adopted_at, adopted_by, note FROM weight_set WHERE version = $1"
    )
    .bind(version)
    .fetch_optional(cx)
    .await)
}

pub async fn all(conn: &mut Conn) -> Result<Vec<WeightSetRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT version, weights, adopted_at, adopted_by, note FROM weight_set ORDER BY version DESC"
    )
    .fetch_all(cx)
    .await)
}

/// Adopts a new set; returns its version.
pub async fn adopt(conn: &mut Conn, weights_json: &str, by: &str, at: &str, note: &str) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO weight_set (version, weights, adopted_at, adopted_by, note)
         VALUES ((SELECT coalesce(max(version), 0) + 1 FROM weight_set), $1, $2, $3, $4) RETURNING version",
    )
    .bind(weights_json)
    .bind(at)
    .bind(by)
    .bind(note)
    .fetch_one(cx)
    .await)
}

/// Keeps the ranking a weight set produced when adopted.
pub async fn save_ranking(conn: &mut Conn, version: i64, ranked: &[(i64, i64, f64)]) -> Result<(), sqlx::Error> {
    for chunk in ranked.chunks(2_000) {
        on_each!(conn, |cx| {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO ranking (weights_version, aendring_id, rank, score) ");
            qb.push_values(chunk, |mut row, (id, rank, score)| {
                row.push_bind(version).push_bind(*id).push_bind(*rank).push_bind(*score);
            });
            qb.build().execute(cx).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// (ændringsønske id, rank, score) of a stored ranking.
pub async fn ranking(conn: &mut Conn, version: i64) -> Result<Vec<(i64, i64, f64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT aendring_id, rank, score FROM ranking WHERE weights_version = $1 ORDER BY rank"
    )
    .bind(version)
    .fetch_all(cx)
    .await)
}

pub async fn draft(conn: &mut Conn, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT weights FROM weight_draft WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(cx)
        .await)
}

pub async fn save_draft(conn: &mut Conn, user_id: i64, weights_json: &str, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO weight_draft (user_id, weights, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET weights = excluded.weights, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(weights_json)
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}
