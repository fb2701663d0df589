//! Progress (`domain::fremdrift`): the open tasks per day and opgavepakke, kept by the writer
//! with the counters, and the time from opening a task to saving it.

use super::Conn;
use crate::domain::fremdrift::RECENT_MEASUREMENTS;

/// Today's row per opgavepakke from the kept counters (called by `counters::apply`, in the
/// batch that changed them): the last write of a day is its end-of-day count.
pub async fn record_day(conn: &mut Conn, kommune: u16, dag: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO opgavepakke_dag (kommune, dag, opgavepakke, open_tasks)
         SELECT kommune, ?, opgavepakke, open_tasks FROM opgavepakke_count WHERE kommune = ?
         ON CONFLICT (kommune, dag, opgavepakke) DO UPDATE SET open_tasks = excluded.open_tasks",
    )
    .bind(dag)
    .bind(kommune)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every kept (day, opgavepakke, open) of the kommune, oldest first.
pub async fn days(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, u8, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT dag, opgavepakke, open_tasks FROM opgavepakke_dag WHERE kommune = ? ORDER BY dag, opgavepakke",
    )
    .bind(kommune)
    .fetch_all(conn)
    .await
}

/// A caseworker opened an open task: the time spent on it counts from here (the latest opening
/// counts, so a task looked at yesterday and done today is measured from today).
pub async fn opened(conn: &mut Conn, task_id: i64, username: &str, at: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO task_aabnet (task_id, username, at) SELECT id, ?, ? FROM task WHERE id = ? AND is_open = 1
         ON CONFLICT (task_id, username) DO UPDATE SET at = excluded.at",
    )
    .bind(username)
    .bind(at)
    .bind(task_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The recent measured seconds per task of one opgavepakke, newest first.
pub async fn measured_seconds(conn: &mut Conn, kommune: u16, opgavepakke: u8) -> Result<Vec<f64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT seconds FROM arbejdstid WHERE kommune = ? AND opgavepakke = ? ORDER BY saved_at DESC LIMIT ?",
    )
    .bind(kommune)
    .bind(opgavepakke)
    .bind(RECENT_MEASUREMENTS)
    .fetch_all(conn)
    .await
}
