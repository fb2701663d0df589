//! What resolving a task writes, as ONE multi-statement round trip to the writer's connection:
//! the answer on the fordring, the task's history, the ventetrin dækninger it releases
//! (history, booked, closed), the audit row, the time spent on it (from its opening, for
//! "Fremdrift"), and the task closed. Each statement is a round
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
    /// The defects the answer was checked against (`Defects::to_fix_bits`).
    pub to_fix_bits: u8,
    pub fordring_id: &'a str,
    pub cpr: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    /// The history cause ("Løst: …").
    pub summary: &'a str,
    /// The ventetrin history cause.
    pub processed_cause: &'a str,
    pub audit_detail: &'a str,
    pub update: FordringUpdate,
}

/// Every statement but the last is guarded by the task still being open with the defects the
/// answer was checked against (`GUARD`); the last closes it. So the whole resolve is one round
/// trip, and a task closed or changed meanwhile is left alone by all of them (the writer runs one
/// job at a time, so nothing changes between the statements). Parameters are plain `?`, bound in
/// order across the statements: sqlx numbers `?NNN` per statement and skips unnamed gaps.
const SQL: &str = "
UPDATE fordring SET
    bevilling_id = coalesce(?, bevilling_id),
    ydelsesreference = coalesce(?, ydelsesreference),
    kravtype = coalesce(?, kravtype),
    kravtype_bekraeftet = max(kravtype_bekraeftet, ?),
    udbetalingsparagraf = coalesce(?, udbetalingsparagraf),
    tilbagebetalingsparagraf = coalesce(?, tilbagebetalingsparagraf)
WHERE kommune = ? AND fordring_id = ?
  AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?);
INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
    SELECT id, ?, ?, opgavepakke, NULL, ?, ? FROM task
    WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?;
INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
    SELECT id, ?, ?, ?, NULL, ?, 'system' FROM task
    WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open = 1
      AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?)
    ORDER BY id;
UPDATE daekning SET behandlet = ?
    WHERE kommune = ? AND behandlet IS NULL AND daekning_id IN
        (SELECT daekning_id FROM task WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open = 1)
      AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?);
INSERT INTO audit_log (at, actor, kommune, cpr, action, detail)
    SELECT ?, ?, ?, ?, ?, ?
    WHERE EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?);
INSERT INTO arbejdstid (kommune, task_id, opgavepakke, username, seconds, saved_at)
    SELECT t.kommune, t.id, t.opgavepakke, o.username, (julianday(?) - julianday(o.at)) * 86400.0, ?
    FROM task t JOIN task_aabnet o ON o.task_id = t.id AND o.username = ?
    WHERE t.id = ? AND t.is_open = 1 AND t.kind = 'opret' AND (t.defects & 15) = ?;
DELETE FROM task_aabnet WHERE task_id = ?;
UPDATE task SET is_open = 0, closed_by = 'system', closed_at = ?, claimed_by = NULL, claimed_until = NULL
    WHERE kommune = ? AND fordring_id = ? AND kind = 'daekning' AND is_open = 1
      AND EXISTS (SELECT 1 FROM task WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?)
    RETURNING 0;
UPDATE task SET is_open = 0, closed_by = ?, closed_at = ?, claimed_by = NULL, claimed_until = NULL
    WHERE id = ? AND is_open = 1 AND kind = 'opret' AND (defects & 15) = ?
    RETURNING opgavepakke";

/// What one resolve wrote: `None` when the task was closed or changed since it was checked
/// (nothing was written); else its opgavepakke and how many ventetrin tasks it closed.
pub async fn record(conn: &mut Conn, r: Resolution<'_>) -> Result<Option<(u8, usize)>, sqlx::Error> {
    let u = r.update;
    // One row per ventetrin task closed (0), then the task's opgavepakke if it was closed.
    let (k, f, t, bits) = (r.kommune, r.fordring_id, r.task_id, r.to_fix_bits);
    let rows: Vec<(i64,)> = sqlx::query_as(SQL)
        // the fordring
        .bind(u.bevilling_id)
        .bind(u.ydelsesreference)
        .bind(u.kravtype)
        .bind(u.kravtype_bekraeftet)
        .bind(u.udbetalingsparagraf)
        .bind(u.tilbagebetalingsparagraf)
        .bind(k)
        .bind(f)
        .bind(t)
        .bind(bits)
        // the task's history
        .bind(r.at)
        .bind(HistoryEvent::Loest)
        .bind(r.summary)
        .bind(r.actor)
        .bind(t)
        .bind(bits)
        // the ventetrin tasks' history
        .bind(r.at)
        .bind(HistoryEvent::Behandlet)
        .bind(Opgavepakke::VENTETRIN.nr())
        .bind(r.processed_cause)
        .bind(k)
        .bind(f)
        .bind(t)
        .bind(bits)
        // their dækninger booked
        .bind(r.at)
        .bind(k)
        .bind(k)
        .bind(f)
        .bind(t)
        .bind(bits)
        // the audit row
        .bind(r.at)
        .bind(r.actor)
        .bind(k)
        .bind(r.cpr)
        .bind(AuditAction::ResolveTask)
        .bind(r.audit_detail)
        .bind(t)
        .bind(bits)
        // the time from opening to saving, when the saver opened it here
        .bind(r.at)
        .bind(r.at)
        .bind(r.actor)
        .bind(t)
        .bind(bits)
        .bind(t)
        // the ventetrin tasks closed
        .bind(r.at)
        .bind(k)
        .bind(f)
        .bind(t)
        .bind(bits)
        // the task closed
        .bind(r.actor)
        .bind(r.at)
        .bind(t)
        .bind(bits)
        .fetch_all(conn)
        .await?;
    Ok(match rows.split_last() {
        Some(((opgavepakke,), ventetrin)) if *opgavepakke > 0 => Some((*opgavepakke as u8, ventetrin.len())),
        _ => None,
    })
}
