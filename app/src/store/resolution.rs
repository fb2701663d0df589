//! What resolving a task writes once its close has succeeded, as ONE multi-statement round trip
//! to the writer's connection: the answer on the fordring, the task's history, the ventetrin
//! dækninger it releases (history, booked, closed) and the audit row. Each statement is a round
//! trip to sqlx's SQLite worker thread otherwise, and resolving is the hottest write there is
//! (see BENCHMARKS.md); sqlx binds the arguments across the statements in order.

use super::Conn;
use super::audit::AuditAction;
use super::extract::FordringUpdate;
use crate::domain::Opgavepakke;
use crate::model::task::HistoryEvent;

/// The written facts of one resolve.
pub struct Resolution<'a> {
    pub kommune: u16,
    pub task_id: i64,
    pub fordring_id: &'a str,
    pub cpr: &'a str,
    pub pakke: Opgavepakke,
    pub at: &'a str,
    pub actor: &'a str,
    /// The history cause ("Løst: …").
    pub summary: &'a str,
    /// The ventetrin history cause.
    pub processed_cause: &'a str,
    pub audit_detail: &'a str,
    pub update: FordringUpdate,
}

const SQL: &str = "
UPDATE fordring SET
    bevilling_id = coalesce(?, bevilling_id),
    ydelsesreference = coalesce(?, ydelsesreference),
    kravtype = coalesce(?, kravtype),
    kravtype_bekraeftet = max(kravtype_bekraeftet, ?),
    udbetalingsparagraf = coalesce(?, udbetalingsparagraf),
    tilbagebetalingsparagraf = coalesce(?, tilbagebetalingsparagraf)
WHERE kommune = ? AND fordring_id = ?;
INSERT INTO task_history (task_id, at, event, from_pakke, to_pakke, cause, actor) VALUES (?, ?, ?, ?, NULL, ?, ?);
INSERT INTO task_history (task_id, at, event, from_pakke, to_pakke, cause, actor)
    SELECT id, ?, ?, ?, NULL, ?, 'system' FROM task
    WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open = 1 ORDER BY id;
UPDATE daekning SET behandlet = ?
    WHERE kommune = ? AND behandlet IS NULL AND daekning_id IN
        (SELECT daekning_id FROM task WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open = 1);
INSERT INTO audit_log (at, actor, kommune, cpr, action, detail) VALUES (?, ?, ?, ?, ?, ?);
UPDATE task SET is_open = 0, closed_by = 'system', closed_at = ?, claimed_by = NULL, claimed_until = NULL
    WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open = 1
    RETURNING id";

/// Writes the resolution; returns how many ventetrin tasks it closed.
pub async fn record(conn: &mut Conn, r: Resolution<'_>) -> Result<usize, sqlx::Error> {
    let u = r.update;
    let closed: Vec<(i64,)> = sqlx::query_as(SQL)
        // the fordring
        .bind(u.bevilling_id)
        .bind(u.ydelsesreference)
        .bind(u.kravtype)
        .bind(u.kravtype_bekraeftet)
        .bind(u.udbetalingsparagraf)
        .bind(u.tilbagebetalingsparagraf)
        .bind(r.kommune)
        .bind(r.fordring_id)
        // the task's history
        .bind(r.task_id)
        .bind(r.at)
        .bind(HistoryEvent::Loest)
        .bind(r.pakke.nr())
        .bind(r.summary)
        .bind(r.actor)
        // the ventetrin tasks' history
        .bind(r.at)
        .bind(HistoryEvent::Behandlet)
        .bind(Opgavepakke::VENTETRIN.nr())
        .bind(r.processed_cause)
        .bind(r.kommune)
        .bind(r.fordring_id)
        // their dækninger booked
        .bind(r.at)
        .bind(r.kommune)
        .bind(r.kommune)
        .bind(r.fordring_id)
        // the audit row
        .bind(r.at)
        .bind(r.actor)
        .bind(r.kommune)
        .bind(r.cpr)
        .bind(AuditAction::ResolveTask)
        .bind(r.audit_detail)
        // the ventetrin tasks closed
        .bind(r.at)
        .bind(r.kommune)
        .bind(r.fordring_id)
        .fetch_all(conn)
        .await?;
    Ok(closed.len())
}
