//! Stikprøver: the population to draw from, the recorded draw, its items with the fordring's
//! facts, and the guarded recording of a check.

use super::Conn;

/// Defect bits (`Defects::bits`): K = 4, P = 8.
const K_BIT: i64 = 4;
const P_BIT: i64 = 8;

/// The open Opret fordringssag tasks that fell to the chosen control(s), by id:
/// (task id, fell to paragrafkontrol, fell to kravtypekontrol).
pub async fn population(
    conn: &mut Conn,
    kommune: u16,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
) -> Result<Vec<(i64, bool, bool)>, sqlx::Error> {
    let mask = if paragrafkontrol { P_BIT } else { 0 } | if kravtypekontrol { K_BIT } else { 0 };
    let rows: Vec<(i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, defects FROM task
         WHERE kommune = $1 AND is_open AND kind = 'opret' AND (defects & $2) != 0 ORDER BY id",
    )
    .bind(i64::from(kommune))
    .bind(mask)
    .fetch_all(cx)
    .await)?;
    Ok(rows.into_iter().map(|(id, d)| (id, d & mask & P_BIT != 0, d & mask & K_BIT != 0)).collect())
}

/// Open tasks per control now: (paragrafkontrol, kravtypekontrol, either).
pub async fn population_sizes(conn: &mut Conn, kommune: u16) -> Result<(i64, i64, i64), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT count(*) FILTER (WHERE (defects & 8) <> 0), count(*) FILTER (WHERE (defects & 4) <> 0), count(*)
         FROM task WHERE kommune = $1 AND is_open AND kind = 'opret' AND (defects & 12) != 0",
    )
    .bind(i64::from(kommune))
    .fetch_one(cx)
    .await)
}

/// A drawn stikprøve as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StikproeveRow {
    pub id: i64,
    pub kommune: i64,
    pub paragrafkontrol: bool,
    pub kravtypekontrol: bool,
    pub seed: i64,
    pub population: i64,
    pub requested: String,
    pub drawn_by: String,
    pub drawn_at: String,
}

/// What a new draw records.
pub struct NewStikproeve<'a> {
    pub kommune: u16,
    pub paragrafkontrol: bool,
    pub kravtypekontrol: bool,
    pub seed: u32,
    pub population: i64,
    pub requested: &'a str,
    pub drawn_by: &'a str,
    pub drawn_at: &'a str,
}

/// Records the draw and its items (task id, p, k) in drawn order; returns its id.
pub async fn insert(conn: &mut Conn, s: &NewStikproeve<'_>, items: &[(i64, bool, bool)]) -> Result<i64, sqlx::Error> {
    let id: i64 = on_each!(conn, |cx| {
        sqlx::query_scalar(
        "INSERT INTO stikproeve (kommune, paragrafkontrol, kravtypekontrol, seed, population, requested, drawn_by, drawn_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(i64::from(s.kommune))
    .bind(s.paragrafkontrol)
    .bind(s.kravtypekontrol)
    .bind(i64::from(s.seed))
    .bind(s.population)
    .bind(s.requested)
    .bind(s.drawn_by)
    .bind(s.drawn_at)
    .fetch_one(cx).await
    })?;
    for (position, chunk) in items.chunks(150).enumerate() {
        on_each!(conn, |cx| {
            let mut qb =
                sqlx::QueryBuilder::new("INSERT INTO stikproeve_item (stikproeve_id, position, task_id, p, k) ");
            qb.push_values(chunk.iter().enumerate(), |mut row, (i, (task, p, k))| {
                row.push_bind(id)
                    .push_bind((position * 150 + i + 1) as i64)
                    .push_bind(*task)
                    .push_bind(*p)
                    .push_bind(*k);
            });
            qb.build().execute(cx).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(id)
}

const COLUMNS: &str = "id, kommune, paragrafkontrol, kravtypekontrol, seed, population, requested, drawn_by, drawn_at";

pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<StikproeveRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM stikproeve WHERE id = $1")))
        .bind(id)
        .fetch_optional(cx)
        .await)
}

/// The kommune's stikprøver, newest first.
pub async fn of_kommune(conn: &mut Conn, kommune: u16) -> Result<Vec<StikproeveRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM stikproeve WHERE kommune = $1 ORDER BY id DESC"
    )))
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

/// One drawn task with its answers and the fordring's facts.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ItemRow {
    pub position: i64,
    pub task_id: i64,
    pub p: bool,
    pub k: bool,
    pub p_correct: Option<bool>,
    pub k_correct: Option<bool>,
    pub note: Option<String>,
    pub checked_by: Option<String>,
    pub checked_at: Option<String>,
    pub version: i64,
    pub opgavepakke: i64,
    pub is_open: bool,
    pub fordring_id: String,
    pub cpr: String,
    pub kravtype: Option<String>,
    pub udbetalingsparagraf: Option<String>,
    pub tilbagebetalingsparagraf: Option<String>,
    pub bevilling_id: Option<String>,
    pub bevillingstype: Option<String>,
    pub ydelsesreference: Option<String>,
    pub hovedstol: i64,
}

const ITEM_SELECT: &str = "SELECT i.position, i.task_id, i.p, i.k, i.p_correct, i.k_correct, i.note, i.checked_by,
        i.checked_at, i.version, t.opgavepakke, t.is_open, f.fordring_id, f.cpr, f.kravtype,
        f.udbetalingsparagraf, f.tilbagebetalingsparagraf, f.bevilling_id, b.bevillingstype,
        f.ydelsesreference, f.hovedstol
    FROM stikproeve_item i
    JOIN task t ON t.id = i.task_id
    JOIN fordring f ON f.kommune = t.kommune AND f.fordring_id = t.fordring_id
    LEFT JOIN bevilling b ON b.kommune = f.kommune AND b.bevilling_id = f.bevilling_id";

pub async fn items(conn: &mut Conn, stikproeve_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.stikproeve_id = $1 ORDER BY i.position"
    )))
    .bind(stikproeve_id)
    .fetch_all(cx)
    .await)
}

pub async fn item(conn: &mut Conn, stikproeve_id: i64, task_id: i64) -> Result<Option<ItemRow>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ITEM_SELECT} WHERE i.stikproeve_id = $1 AND i.task_id = $2"
    )))
    .bind(stikproeve_id)
    .bind(task_id)
    .fetch_optional(cx)
    .await)
}

/// The answers of one check.
pub struct Check<'a> {
    pub p_correct: Option<bool>,
    pub k_correct: Option<bool>,
    pub note: Option<&'a str>,
    pub by: &'a str,
    pub at: &'a str,
}

/// Records a check if the item is still at `expected_version` (nobody saved in between);
/// returns whether it was recorded.
pub async fn record_check(
    conn: &mut Conn,
    stikproeve_id: i64,
    task_id: i64,
    expected_version: i64,
    c: &Check<'_>,
) -> Result<bool, sqlx::Error> {
    let done = on_each!(conn, |cx| sqlx::query(
        "UPDATE stikproeve_item SET p_correct = $1, k_correct = $2, note = $3, checked_by = $4, checked_at = $5,
             version = version + 1
         WHERE stikproeve_id = $6 AND task_id = $7 AND version = $8",
    )
    .bind(c.p_correct)
    .bind(c.k_correct)
    .bind(c.note)
    .bind(c.by)
    .bind(c.at)
    .bind(stikproeve_id)
    .bind(task_id)
    .bind(expected_version)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}
