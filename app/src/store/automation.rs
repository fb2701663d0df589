//! Automatic paragraf- and kravtypekontrol for a kommune: the P and/or K defect counts as met.
//! `apply` re-sorts every open Opret fordringssag task of the kommune in a few set-based
//! statements — a task moves to the package of what is still missing, or closes when nothing is
//! (its ventetrin dækninger are then booked and their 09 tasks closed) — and records each move
//! in the task history with its cause. The caller adds the returned change to the counters.

use super::Conn;
use super::counters::CountDelta;
use crate::clock;
use crate::domain::{Defects, Kommunenr, Opgavepakke};
use crate::model::automation::AutomationRequest;

/// The defect bits the switched-on controls take away (`Defects::bits`: K = 4, P = 8).
pub fn mask(paragrafkontrol: bool, kravtypekontrol: bool) -> u8 {
    let p = Defects { p: true, ..Defects::default() }.bits();
    let k = Defects { k: true, ..Defects::default() }.bits();
    (if paragrafkontrol { p } else { 0 }) | (if kravtypekontrol { k } else { 0 })
}

/// The kommune's switched-on controls: (paragrafkontrol since, kravtypekontrol since).
pub async fn state(conn: &mut Conn, kommune: u16) -> Result<(Option<String>, Option<String>), sqlx::Error> {
    Ok(on_each!(conn, |cx| sqlx::query_as("SELECT auto_paragraf, auto_kravtype FROM kommune WHERE nr = $1")
        .bind(i64::from(kommune))
        .fetch_optional(cx)
        .await)?
    .unwrap_or((None, None)))
}

/// Records that a control is switched on (left as it was when it already is).
pub async fn switch_on(
    conn: &mut Conn,
    kommune: u16,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
    since: &str,
) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "UPDATE kommune SET auto_paragraf = CASE WHEN $1 THEN coalesce(auto_paragraf, $2) ELSE auto_paragraf END,
                            auto_kravtype = CASE WHEN $3 THEN coalesce(auto_kravtype, $4) ELSE auto_kravtype END
         WHERE nr = $5",
    )
    .bind(paragrafkontrol)
    .bind(since)
    .bind(kravtypekontrol)
    .bind(since)
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// What `apply` changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub moved: i64,
    pub closed: i64,
    pub ventetrin_processed: i64,
}

/// `CASE x WHEN bits THEN opgavepakke …` for every defect combination that needs a task: the
/// classification of `domain::defects` as SQL (typed values only, so inlining them is safe).
pub(crate) fn package_case(x: &str) -> String {
    let arms: String = (0u8..32)
        .filter_map(|bits| Defects::from_bits(bits).classify().map(|p| format!(" WHEN {bits} THEN {}", p.nr())))
        .collect();
    format!("CASE {x}{arms} END")
}

/// Above this many open tasks in the kommune the open-task indexes are dropped and built again
/// (one sort each) instead of updated row by row; measured at a million fordringer (2,35 mio.
/// open tasks) the statements take ~17 s that way against ~25 s (BENCHMARKS.md).
const REBUILD_INDEXES_ABOVE: i64 = 200_000;

/// Takes the `mask` defects off every open Opret fordringssag task of the kommune.
pub async fn apply(
    conn: &mut Conn,
    kommune: u16,
    mask: u8,
    at: &str,
    cause: &str,
    delta: &mut CountDelta,
) -> Result<Applied, sqlx::Error> {
    if mask == 0 {
        return Ok(Applied::default());
    }
    let keep = !mask & 31;
    let open = match Kommunenr::try_from(kommune) {
        Ok(k) => super::counters::read(conn, k).await?.total(),
        Err(_) => 0,
    };
    let dropped =
        if open > REBUILD_INDEXES_ABOVE { super::extract::drop_open_task_indexes(conn).await? } else { Vec::new() };
    // (SQLite: `INTEGER PRIMARY KEY` is the rowid itself.)
    on_each!(conn, |cx| sqlx::raw_sql(if PG {
        "DROP TABLE IF EXISTS auto_move;
         CREATE TEMP TABLE auto_move (
             id BIGINT PRIMARY KEY, fordring_id TEXT NOT NULL, from_p BIGINT NOT NULL,
             new_defects BIGINT NOT NULL, to_p BIGINT)"
    } else {
        "DROP TABLE IF EXISTS auto_move;
         CREATE TEMP TABLE auto_move (
             id INTEGER PRIMARY KEY, fordring_id TEXT NOT NULL, from_p INTEGER NOT NULL,
             new_defects INTEGER NOT NULL, to_p INTEGER)"
    })
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO auto_move (id, fordring_id, from_p, new_defects, to_p)
         SELECT id, fordring_id, opgavepakke, defects & {keep}, {}
         FROM task WHERE kommune = $1 AND is_open AND kind = 'opret' AND (defects & {mask}) != 0",
        package_case(&format!("(defects & {keep})"))
    )))
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
         SELECT id, $1, CASE WHEN to_p IS NULL THEN 'loest' ELSE 'flyttet' END, from_p, to_p, $2, 'system'
         FROM auto_move WHERE to_p IS NULL OR to_p != from_p ORDER BY id",
    )
    .bind(at)
    .bind(cause)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "UPDATE task SET defects = m.new_defects, opgavepakke = coalesce(m.to_p, task.opgavepakke),
             is_open = (m.to_p IS NOT NULL),
             closed_at = CASE WHEN m.to_p IS NULL THEN $1 ELSE task.closed_at END,
             closed_by = CASE WHEN m.to_p IS NULL THEN 'system' ELSE task.closed_by END,
             claimed_by = CASE WHEN m.to_p IS NULL THEN NULL ELSE task.claimed_by END,
             claimed_until = CASE WHEN m.to_p IS NULL THEN NULL ELSE task.claimed_until END
         FROM auto_move m WHERE task.id = m.id",
    )
    .bind(at)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    // The closed tasks' ventetrin dækninger are processed now, as after a caseworker's resolve.
    // Their 09 tasks are found once (by fordring, `task_daekning_by_fordring`) into a temp table.
    on_each!(conn, |cx| sqlx::raw_sql(if PG {
        "DROP TABLE IF EXISTS auto_released;
         CREATE TEMP TABLE auto_released (id BIGINT PRIMARY KEY, daekning_id TEXT NOT NULL)"
    } else {
        "DROP TABLE IF EXISTS auto_released;
         CREATE TEMP TABLE auto_released (id INTEGER PRIMARY KEY, daekning_id TEXT NOT NULL)"
    })
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO auto_released (id, daekning_id)
         SELECT t.id, t.daekning_id FROM auto_move m
         JOIN task t ON t.kommune = $1 AND t.fordring_id = m.fordring_id AND t.kind = 'daekning' AND t.is_open
         WHERE m.to_p IS NULL",
    )
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO task_history (task_id, at, event, from_opgavepakke, to_opgavepakke, cause, actor)
         SELECT id, $1, 'behandlet', $2, NULL, $3, 'system' FROM auto_released ORDER BY id",
    )
    .bind(at)
    .bind(i64::from(Opgavepakke::VENTETRIN.nr()))
    .bind(format!("Behandlet automatisk: fordringens Opret fordringssag-opgave blev lukket ({cause})."))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "UPDATE daekning SET behandlet = $1 WHERE kommune = $2 AND behandlet IS NULL
             AND daekning_id IN (SELECT daekning_id FROM auto_released)",
    )
    .bind(at)
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    let ventetrin = on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE task SET is_open = FALSE, closed_by = 'system', closed_at = $1, claimed_by = NULL, claimed_until = NULL
         WHERE id IN (SELECT id FROM auto_released)",
    )
    .bind(at)
    .execute(cx).await.map(|r| r.rows_affected())
    })? as i64;
    let changes: Vec<(i64, Option<i64>, i64)> =
        on_each!(conn, |cx| sqlx::query_as("SELECT from_p, to_p, count(*) FROM auto_move GROUP BY from_p, to_p")
            .fetch_all(cx)
            .await)?;
    let mut applied = Applied { ventetrin_processed: ventetrin, ..Applied::default() };
    for (from, to, n) in changes {
        if to == Some(from) {
            continue;
        }
        if let Some(p) = Opgavepakke::new(from as u8) {
            delta.add(p, -n);
        }
        match to.and_then(|t| Opgavepakke::new(t as u8)) {
            Some(p) => {
                delta.add(p, n);
                applied.moved += n;
            }
            None => applied.closed += n,
        }
    }
    delta.add(Opgavepakke::VENTETRIN, -ventetrin);
    on_each!(conn, |cx| sqlx::raw_sql("DROP TABLE auto_move; DROP TABLE auto_released")
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    super::extract::recreate_indexes(conn, &dropped).await?;
    Ok(applied)
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: i64,
    kommune: i64,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
    titel: String,
    beskrivelse: String,
    requested_by: String,
    requested_at: String,
    done_by: Option<String>,
    done_at: Option<String>,
}

impl RequestRow {
    fn view(self) -> Option<AutomationRequest> {
        Some(AutomationRequest {
            id: self.id,
            kommune: Kommunenr::try_from(self.kommune as u16).ok()?,
            paragrafkontrol: self.paragrafkontrol,
            kravtypekontrol: self.kravtypekontrol,
            titel: self.titel,
            beskrivelse: self.beskrivelse,
            requested_by: self.requested_by,
            requested_at: clock::display_stamp(&self.requested_at),
            done: self
                .done_at
                .map(|at| format!("{} af {}", clock::display_stamp(&at), self.done_by.unwrap_or_default())),
        })
    }
}

/// Which requests to read.
pub enum RequestFilter {
    All,
    Kommune(u16),
    Id(i64),
}

/// Requests, open ones first, newest first.
pub async fn requests(conn: &mut Conn, filter: RequestFilter) -> Result<Vec<AutomationRequest>, sqlx::Error> {
    let (clause, value) = match filter {
        RequestFilter::All => ("$1 = 1", 1),
        RequestFilter::Kommune(k) => ("kommune = $1", i64::from(k)),
        RequestFilter::Id(id) => ("id = $1", id),
    };
    let rows: Vec<RequestRow> = on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, kommune, paragrafkontrol, kravtypekontrol, titel, beskrivelse, requested_by, requested_at,
                done_by, done_at
         FROM automation_request WHERE {clause} ORDER BY done_at IS NOT NULL, id DESC"
    )))
    .bind(value)
    .fetch_all(cx)
    .await)?;
    Ok(rows.into_iter().filter_map(RequestRow::view).collect())
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_request(
    conn: &mut Conn,
    kommune: u16,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
    titel: &str,
    beskrivelse: &str,
    by: &str,
    at: &str,
) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO automation_request (kommune, paragrafkontrol, kravtypekontrol, titel, beskrivelse,
             requested_by, requested_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(i64::from(kommune))
    .bind(paragrafkontrol)
    .bind(kravtypekontrol)
    .bind(titel)
    .bind(beskrivelse)
    .bind(by)
    .bind(at)
    .fetch_one(cx)
    .await)
}

/// Who asked first among the kommune's open requests.
pub async fn first_open_requester(conn: &mut Conn, kommune: u16) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT requested_by FROM automation_request WHERE kommune = $1 AND done_at IS NULL ORDER BY id LIMIT 1",
    )
    .bind(i64::from(kommune))
    .fetch_optional(cx)
    .await)
}

pub async fn mark_requests_done(conn: &mut Conn, kommune: u16, by: &str, at: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "UPDATE automation_request SET done_by = $1, done_at = $2 WHERE kommune = $3 AND done_at IS NULL"
    )
    .bind(by)
    .bind(at)
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}
