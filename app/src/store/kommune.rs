//! Kommuner: created on first use, with their MI 38 settings.

use super::Conn;
use crate::domain::Kommunenr;

/// Creates the kommune and its 17 counters if they do not exist yet.
pub async fn ensure(conn: &mut Conn, kommune: Kommunenr) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("INSERT INTO kommune (nr, navn) VALUES ($1, $2) ON CONFLICT (nr) DO NOTHING")
        .bind(i64::from(kommune.get()))
        .bind(kommune.navn())
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "WITH RECURSIVE pakke (nr) AS (SELECT 1 UNION ALL SELECT nr + 1 FROM pakke WHERE nr < 17)
         INSERT INTO opgavepakke_count (kommune, opgavepakke, open_tasks)
         SELECT $1, nr, 0 FROM pakke WHERE true
         ON CONFLICT (kommune, opgavepakke) DO NOTHING",
    )
    .bind(i64::from(kommune.get()))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct KommuneRow {
    pub nr: i64,
    pub navn: String,
    pub version: i64,
    pub deadline_med: String,
    pub deadline_uden: Option<String>,
    pub tilgang: String,
}

pub async fn get(conn: &mut Conn, kommune: Kommunenr) -> Result<Option<KommuneRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT nr, navn, version, deadline_med, deadline_uden, tilgang FROM kommune WHERE nr = $1"
    )
    .bind(i64::from(kommune.get()))
    .fetch_optional(cx)
    .await)
}

pub async fn list(conn: &mut Conn) -> Result<Vec<KommuneRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT nr, navn, version, deadline_med, deadline_uden, tilgang FROM kommune ORDER BY nr"
    )
    .fetch_all(cx)
    .await)
}

/// Sets the kommune's deadlines: the tax-year deadline for "med dækninger" and its own for "uden".
pub async fn set_deadlines(
    conn: &mut Conn,
    kommune: Kommunenr,
    med: &str,
    uden: Option<&str>,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE kommune SET deadline_med = $1, deadline_uden = $2 WHERE nr = $3")
        .bind(med)
        .bind(uden)
        .bind(i64::from(kommune.get()))
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The kommune's own support address for ændringsønske notices, if it has set one.
pub async fn support_email(conn: &mut Conn, kommune: u16) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT support_email FROM kommune WHERE nr = $1")
        .bind(i64::from(kommune))
        .fetch_optional(cx)
        .await)
    .map(Option::flatten)
}

/// Sets (or with `None` clears) the kommune's support address.
pub async fn set_support_email(conn: &mut Conn, kommune: u16, email: Option<&str>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE kommune SET support_email = $1 WHERE nr = $2")
        .bind(email)
        .bind(i64::from(kommune))
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}
