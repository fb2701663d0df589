//! Kommuner: created on first use, with their MI 38 settings.

use super::Conn;
use crate::domain::Kommunenr;

/// Creates the kommune and its 17 counters if they do not exist yet.
pub async fn ensure(conn: &mut Conn, kommune: Kommunenr) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO kommune (nr, navn) VALUES (?, ?) ON CONFLICT (nr) DO NOTHING")
        .bind(kommune.get())
        .bind(kommune.navn())
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "WITH RECURSIVE pakke (nr) AS (SELECT 1 UNION ALL SELECT nr + 1 FROM pakke WHERE nr < 17)
         INSERT INTO opgavepakke_count (kommune, opgavepakke, open_tasks)
         SELECT ?, nr, 0 FROM pakke WHERE true
         ON CONFLICT (kommune, opgavepakke) DO NOTHING",
    )
    .bind(kommune.get())
    .execute(&mut *conn)
    .await
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
    sqlx::query_as("SELECT nr, navn, version, deadline_med, deadline_uden, tilgang FROM kommune WHERE nr = ?")
        .bind(kommune.get())
        .fetch_optional(conn)
        .await
}

pub async fn list(conn: &mut Conn) -> Result<Vec<KommuneRow>, sqlx::Error> {
    sqlx::query_as("SELECT nr, navn, version, deadline_med, deadline_uden, tilgang FROM kommune ORDER BY nr")
        .fetch_all(conn)
        .await
}

/// Sets the kommune's deadlines: the tax-year deadline for "med dækninger" and its own for "uden".
pub async fn set_deadlines(
    conn: &mut Conn,
    kommune: Kommunenr,
    med: &str,
    uden: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE kommune SET deadline_med = ?, deadline_uden = ? WHERE nr = ?")
        .bind(med)
        .bind(uden)
        .bind(kommune.get())
        .execute(conn)
        .await
        .map(|_| ())
}

/// The kommune's own support address for ændringsønske notices, if it has set one.
pub async fn support_email(conn: &mut Conn, kommune: u16) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT support_email FROM kommune WHERE nr = ?")
        .bind(kommune)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// Sets (or with `None` clears) the kommune's support address.
pub async fn set_support_email(conn: &mut Conn, kommune: u16, email: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE kommune SET support_email = ? WHERE nr = ?")
        .bind(email)
        .bind(kommune)
        .execute(conn)
        .await
        .map(|_| ())
}
