//! The audit log: every read or change of a person's data, and every refused access.

use super::Conn;
use crate::clock;

#[derive(Clone, Debug)]
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub kommune: Option<u16>,
    pub cpr: Option<&'a str>,
    pub action: &'a str,
    pub detail: String,
}

pub async fn record(conn: &mut Conn, entry: &AuditEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (at, actor, kommune, cpr, action, detail) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(clock::stamp(clock::now()))
        .bind(entry.actor)
        .bind(entry.kommune)
        .bind(entry.cpr)
        .bind(entry.action)
        .bind(&entry.detail)
        .execute(conn)
        .await
        .map(|_| ())
}

/// One entry per person shown, all in one statement.
pub async fn record_many(
    conn: &mut Conn,
    actor: &str,
    kommune: u16,
    cprs: &[String],
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    if cprs.is_empty() {
        return Ok(());
    }
    let at = clock::stamp(clock::now());
    let mut qb = sqlx::QueryBuilder::new("INSERT INTO audit_log (at, actor, kommune, cpr, action, detail) ");
    qb.push_values(cprs, |mut row, cpr| {
        row.push_bind(at.clone())
            .push_bind(actor.to_string())
            .push_bind(kommune)
            .push_bind(cpr.clone())
            .push_bind(action.to_string())
            .push_bind(detail.to_string());
    });
    qb.build().execute(conn).await.map(|_| ())
}

#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub kommune: Option<i64>,
    pub cpr: Option<String>,
    pub action: String,
    pub detail: String,
}

pub async fn for_cpr(conn: &mut Conn, cpr: &str) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as("SELECT at, actor, kommune, cpr, action, detail FROM audit_log WHERE cpr = ? ORDER BY id")
        .bind(cpr)
        .fetch_all(conn)
        .await
}

pub async fn by_action(conn: &mut Conn, action: &str) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as("SELECT at, actor, kommune, cpr, action, detail FROM audit_log WHERE action = ? ORDER BY id")
        .bind(action)
        .fetch_all(conn)
        .await
}
