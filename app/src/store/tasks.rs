//! Tasks (Opret fordringssag and opgavepakke-09 dækning tasks) and their history.

use super::Conn;
use crate::domain::Opgavepakke;
use crate::model::task::{HistoryEvent, ListQuery, PAGE_SIZE, SortKey, TaskKind};

/// A new task; `daekning_id` only for opgavepakke 09.
#[derive(Clone, Debug)]
pub struct NewTask<'a> {
    pub kommune: u16,
    pub kind: TaskKind,
    pub fordring_id: &'a str,
    pub daekning_id: Option<&'a str>,
    pub opgavepakke: Opgavepakke,
    pub defects: u8,
    pub created_at: &'a str,
    pub cpr: &'a str,
    pub hovedstol: i64,
    pub stiftet: &'a str,
    pub sagsbehandler: Option<&'a str>,
}

pub async fn insert(conn: &mut Conn, t: &NewTask<'_>) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO task (kommune, kind, fordring_id, daekning_id, opgavepakke, defects, created_at,
                           cpr, hovedstol, stiftet, sagsbehandler)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(i64::from(t.kommune))
    .bind(t.kind)
    .bind(t.fordring_id)
    .bind(t.daekning_id)
    .bind(i64::from(t.opgavepakke.nr()))
    .bind(i64::from(t.defects))
    .bind(t.created_at)
    .bind(t.cpr)
    .bind(t.hovedstol)
    .bind(t.stiftet)
    .bind(t.sagsbehandler)
    .fetch_one(cx)
    .await)
}

#[derive(Clone, Debug)]
pub struct HistoryEntry<'a> {
    pub task_id: i64,
    pub at: &'a str,
    pub event: HistoryEvent,
    pub from: Option<Opgavepakke>,
    pub to: Option<Opgavepakke>,
    pub cause: &'a str,
    pub actor: &'a str,
}

pub async fn record_history(conn: &mut Conn, h: &HistoryEntry<'_>) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(h.task_id)
    .bind(h.at)
    .bind(h.event)
    .bind(h.from.map(|o| i64::from(o.nr())))
    .bind(h.to.map(|o| i64::from(o.nr())))
    .bind(h.cause)
    .bind(h.actor)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// PostgreSQL: holds every open task of a person — of the person of `task_id`, or whose
/// fordring `fordring_id` is — until the transaction ends. A resolve (which reclassifies the
/// person's other tasks) and a dækning (which moves its fordring's task) on the same person then
/// take turns, whichever instance they arrive at, and each statement after the lock sees what
/// the other committed (READ COMMITTED). Always in id order, so two of them never deadlock.
/// SQLite's single writer needs nothing.
pub async fn lock_person(conn: &mut Conn, kommune: u16, of: PersonOf<'_>) -> Result<(), sqlx::Error> {
    let super::Handle::Postgres(cx) = conn.handle() else { return Ok(()) };
    let person = match of {
        PersonOf::Task(_) => "(SELECT cpr FROM task WHERE id = $2)",
        PersonOf::Fordring(_) => "(SELECT cpr FROM fordring WHERE kommune = $1 AND fordring_id = $2)",
    };
    // The open ones (what a resolve or a dækning changes), through the partial index
    // `task_open_by_cpr`: without `is_open` every resolve scanned the whole task table (35
    // resolves/s at 200,000 fordringer in `bench --pg`).
    let sql = format!("SELECT id FROM task WHERE kommune = $1 AND cpr = {person} AND is_open ORDER BY id FOR UPDATE");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(i64::from(kommune));
    let query = match of {
        PersonOf::Task(id) => query.bind(id),
        PersonOf::Fordring(id) => query.bind(id.to_string()),
    };
    query.execute(&mut *cx).await.map(|_| ())
}

/// Whose tasks `lock_person` holds.
#[derive(Clone, Copy, Debug)]
pub enum PersonOf<'a> {
    Task(i64),
    Fordring(&'a str),
}

/// The open Opret fordringssag task of a fordring: (id, opgavepakke, defect bits).
pub async fn open_opret_of_fordring(
    conn: &mut Conn,
    kommune: u16,
    fordring_id: &str,
) -> Result<Option<(i64, u8, u8)>, sqlx::Error> {
    let row: Option<(i64, i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, opgavepakke, defects FROM task
         WHERE kommune = $1 AND fordring_id = $2 AND kind = 'opret' AND is_open",
    )
    .bind(i64::from(kommune))
    .bind(fordring_id)
    .fetch_optional(cx)
    .await)?;
    row.map(|(id, opgavepakke, defects)| Ok((id, super::small(opgavepakke)?, super::small(defects)?))).transpose()
}

pub async fn move_to(conn: &mut Conn, task_id: i64, opgavepakke: Opgavepakke, defects: u8) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query("UPDATE task SET opgavepakke = $1, defects = $2 WHERE id = $3")
        .bind(i64::from(opgavepakke.nr()))
        .bind(i64::from(defects))
        .bind(task_id)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Closes the task if it is still open; false when someone else closed it first.
pub async fn close_if_open(conn: &mut Conn, task_id: i64, by: &str, at: &str) -> Result<bool, sqlx::Error> {
    let done = on_each!(conn, |cx| sqlx::query(
        "UPDATE task SET is_open = FALSE, closed_by = $1, closed_at = $2, claimed_by = NULL, claimed_until = NULL
         WHERE id = $3 AND is_open",
    )
    .bind(by)
    .bind(at)
    .bind(task_id)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub kommune: i64,
    pub kind: TaskKind,
    pub fordring_id: String,
    pub daekning_id: Option<String>,
    #[sqlx(try_from = "i64")]
    pub opgavepakke: u8,
    #[sqlx(try_from = "i64")]
    pub defects: u8,
    pub is_open: bool,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub cpr: String,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<String>,
    pub tilbagefoersel: bool,
}

pub async fn get(conn: &mut Conn, task_id: i64) -> Result<Option<TaskRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, kommune, kind, fordring_id, daekning_id, opgavepakke, defects, is_open, created_at,
                closed_at, closed_by, cpr, claimed_by, claimed_until, tilbagefoersel
         FROM task WHERE id = $1",
    )
    .bind(task_id)
    .fetch_optional(cx)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub cpr: String,
    pub navn: String,
    pub fordring_id: String,
    pub hovedstol: i64,
    pub stiftet: String,
    pub sagsbehandler: Option<String>,
    #[sqlx(try_from = "i64")]
    pub defects: u8,
    pub claimed_by: Option<String>,
}

/// One page of an opgavepakke's open tasks, and how many match the filter.
pub async fn list_open(
    conn: &mut Conn,
    kommune: u16,
    opgavepakke: Opgavepakke,
    q: &ListQuery,
    now: &str,
) -> Result<(Vec<ListRow>, i64), sqlx::Error> {
    let order = match q.sort {
        SortKey::Alder => "t.stiftet, t.id",
        SortKey::Beloeb => "t.hovedstol DESC, t.id",
        SortKey::Cpr => "t.cpr, t.id",
    };
    let cpr_prefix = format!("{}%", q.cpr.replace('-', "").trim());
    let filter = "t.kommune = $1 AND t.opgavepakke = $2 AND t.is_open
                  AND t.cpr LIKE $3 AND ($4 = '' OR t.sagsbehandler = $4)";
    let rows = on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT t.id, t.cpr, p.navn, t.fordring_id, t.hovedstol, t.stiftet, t.sagsbehandler, t.defects,
                CASE WHEN t.claimed_until > $5 THEN t.claimed_by END AS claimed_by
         FROM task t JOIN person p ON p.kommune = t.kommune AND p.cpr = t.cpr
         WHERE {filter} ORDER BY {order} LIMIT $6 OFFSET $7"
    )))
    .bind(i64::from(kommune))
    .bind(i64::from(opgavepakke.nr()))
    .bind(&cpr_prefix)
    .bind(q.sagsbehandler.trim())
    .bind(now)
    .bind(PAGE_SIZE)
    .bind(q.page.max(0) * PAGE_SIZE)
    .fetch_all(cx)
    .await)?;
    let total = on_each!(conn, |cx| sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT count(*) FROM task t WHERE {filter} AND $5 = $5"
    )))
    .bind(i64::from(kommune))
    .bind(i64::from(opgavepakke.nr()))
    .bind(&cpr_prefix)
    .bind(q.sagsbehandler.trim())
    .bind(now)
    .fetch_one(cx)
    .await)?;
    Ok((rows, total))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct HistoryRow {
    pub at: String,
    pub event: HistoryEvent,
    pub from_opgavepakke: Option<i64>,
    pub to_opgavepakke: Option<i64>,
    pub cause: String,
    pub actor: String,
}

pub async fn history(conn: &mut Conn, task_id: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_as(
        "SELECT at, event, from_opgavepakke, to_opgavepakke, cause, actor FROM task_history WHERE task_id = $1 ORDER BY id",
    )
    .bind(task_id)
    .fetch_all(cx).await
    })
}

/// Open Opret fordringssag tasks that hang on a bevilling: fordringer tied to it, and
/// fordringer of its person still waiting for a bevilling to be chosen. Starts from the
/// person's fordringer (an index seek), whatever the size of the kommune.
pub async fn open_blocking_bevilling(
    conn: &mut Conn,
    kommune: u16,
    bevilling_id: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT t.id
         FROM fordring f {} CROSS JOIN task t
         WHERE t.kommune = f.kommune AND t.fordring_id = f.fordring_id AND t.kind = 'opret'
           AND f.kommune = $1
           AND f.cpr = (SELECT s.cpr FROM bevilling b CROSS JOIN sagsmappe s
                        WHERE s.kommune = b.kommune AND s.sagsmappe_id = b.sagsmappe_id
                          AND b.kommune = $1 AND b.bevilling_id = $2)
           AND (f.bevilling_id = $2 OR f.bevilling_id IS NULL)
           AND t.is_open
         ORDER BY t.id",
        super::classify::indexed_by(PG, "fordring_by_cpr"),
    )))
    .bind(i64::from(kommune))
    .bind(bevilling_id)
    .fetch_all(cx)
    .await)
}

/// The task of each dækning of a fordring (opgavepakke-09 tasks), by dækning id.
pub async fn ventetrin_tasks_of_fordring(
    conn: &mut Conn,
    kommune: u16,
    fordring_id: &str,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT daekning_id, id FROM task WHERE kommune = $1 AND fordring_id = $2 AND kind = 'daekning'"
    )
    .bind(i64::from(kommune))
    .bind(fordring_id)
    .fetch_all(cx)
    .await)
}

/// The Opret fordringssag task of a fordring (open or not).
/// Whether the kommune has any task, open or closed.
pub async fn any(conn: &mut Conn, kommune: u16) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM task WHERE kommune = $1)")
        .bind(i64::from(kommune))
        .fetch_one(cx)
        .await)
}

/// How many of the kommune's tasks are closed.
pub async fn count_closed(conn: &mut Conn, kommune: u16) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM task WHERE kommune = $1 AND NOT is_open")
        .bind(i64::from(kommune))
        .fetch_one(cx)
        .await)
}

pub async fn opret_of_fordring(conn: &mut Conn, kommune: u16, fordring_id: &str) -> Result<Option<i64>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT id FROM task WHERE kommune = $1 AND fordring_id = $2 AND kind = 'opret'"
    )
    .bind(i64::from(kommune))
    .bind(fordring_id)
    .fetch_optional(cx)
    .await)
}

/// Open Opret fordringssag tasks spread over the kommune's opgavepakker (for benchmarks).
pub async fn sample_open_opret(conn: &mut Conn, kommune: u16, n: i64) -> Result<Vec<i64>, sqlx::Error> {
    on_each!(conn, |cx| {
        sqlx::query_scalar(
        "SELECT id FROM task WHERE kommune = $1 AND kind = 'opret' AND is_open ORDER BY (id * 2654435761) % 1000003 LIMIT $2",
    )
    .bind(i64::from(kommune))
    .bind(n)
    .fetch_all(cx).await
    })
}

/// Hands a task claimed by `from` to `to` (held until `until`) and records the take-over;
/// false when it is no longer open and claimed by `from` (nothing written).
pub async fn take_over(
    conn: &mut Conn,
    task_id: i64,
    from: &str,
    to: &str,
    at: &str,
    until: &str,
) -> Result<bool, sqlx::Error> {
    let moved = on_each!(conn, |cx| sqlx::query(
        "UPDATE task SET claimed_by = $1, claimed_until = $2 WHERE id = $3 AND is_open AND claimed_by = $4",
    )
    .bind(to)
    .bind(until)
    .bind(task_id)
    .bind(from)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    if moved == 0 {
        return Ok(false);
    }
    on_each!(conn, |cx| sqlx::query("INSERT INTO task_overtagelse (task_id, at, fra, til) VALUES ($1, $2, $3, $4)")
        .bind(task_id)
        .bind(at)
        .bind(from)
        .bind(to)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(true)
}

/// The task's take-overs, oldest first: (at, from, to) as usernames.
pub async fn take_overs(conn: &mut Conn, task_id: i64) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as("SELECT at, fra, til FROM task_overtagelse WHERE task_id = $1 ORDER BY id")
        .bind(task_id)
        .fetch_all(cx)
        .await)
}
