//! Progress (`domain::fremdrift`): the open tasks per day and opgavepakke, kept by the writer
//! with the counters, and the time from opening a task to saving it.

use super::Conn;
use crate::domain::fremdrift::RECENT_MEASUREMENTS;

/// Today's row per opgavepakke from the kept counters (called by `counters::apply`, in the
/// batch that changed them): the last write of a day is its end-of-day count.
pub async fn record_day(conn: &mut Conn, kommune: u16, dag: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO opgavepakke_dag (kommune, dag, opgavepakke, open_tasks)
         SELECT kommune, $1, opgavepakke, open_tasks FROM opgavepakke_count WHERE kommune = $2
         ON CONFLICT (kommune, dag, opgavepakke) DO UPDATE SET open_tasks = excluded.open_tasks",
    )
    .bind(dag)
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every kept (day, opgavepakke, open) of the kommune, oldest first.
pub async fn days(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, u8, i64)>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT dag, opgavepakke, open_tasks FROM opgavepakke_dag WHERE kommune = $1 ORDER BY dag, opgavepakke",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)?;
    rows.into_iter().map(|(dag, opgavepakke, open)| Ok((dag, super::small(opgavepakke)?, open))).collect()
}

/// A caseworker opened an open task: the time spent on it counts from here (the latest opening
/// counts, so a task looked at yesterday and done today is measured from today).
pub async fn opened(conn: &mut Conn, task_id: i64, username: &str, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO task_aabnet (task_id, username, at) SELECT id, $1, $2 FROM task WHERE id = $3 AND is_open
         ON CONFLICT (task_id, username) DO UPDATE SET at = excluded.at",
    )
    .bind(username)
    .bind(at)
    .bind(task_id)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The recent measured seconds per task of one opgavepakke, newest first.
pub async fn measured_seconds(conn: &mut Conn, kommune: u16, opgavepakke: u8) -> Result<Vec<f64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT seconds FROM arbejdstid WHERE kommune = $1 AND opgavepakke = $2 ORDER BY saved_at DESC LIMIT $3",
    )
    .bind(i64::from(kommune))
    .bind(i64::from(opgavepakke))
    .bind(RECENT_MEASUREMENTS)
    .fetch_all(cx)
    .await)
}
