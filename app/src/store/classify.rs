//! An import's new fordringer and their tasks, built inside SQLite: the rules of
//! `domain::defects` written as SQL over the inserted rows (`tests` proves the two agree).
//!
//! The parser's new fordringer are staged in the connection's temp table `import_fordring` and
//! copied into `fordring` batch by batch, so after the last file the staged rows are exactly the
//! import's new fordringer. `create_tasks` then classifies them in a few set-based statements
//! (the K rule looks at all of a person's fordringer, known and new) instead of binding millions
//! of task rows one by one.

use super::Conn;
use super::extract::{ExtractRow, insert_rows};
use crate::domain::{Defects, Opgavepakke};
use crate::model::task::TaskKind;
use sqlx::Sqlite;
use std::sync::LazyLock;

crate::store::extract::extract_row!(NewFordringRow, "temp.import_fordring", [
    fordring_id: String, cpr: String, bevilling_id: Option<String>, ydelsesreference: Option<String>,
    kravtype: Option<String>, udbetalingsparagraf: Option<String>, tilbagebetalingsparagraf: Option<String>,
    hovedstol: i64, stiftet: String, tilbagefoersel: bool,
    // the caseworker its tasks get (not a column of `fordring`)
    sagsbehandler: Option<String>,
]);

/// Creates the (empty) staging table for one import's new fordringer.
pub async fn begin(conn: &mut Conn) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "DROP TABLE IF EXISTS temp.import_fordring;
         CREATE TEMP TABLE import_fordring (
             kommune INTEGER NOT NULL, fordring_id TEXT NOT NULL, cpr TEXT NOT NULL, bevilling_id TEXT,
             ydelsesreference TEXT, kravtype TEXT, udbetalingsparagraf TEXT, tilbagebetalingsparagraf TEXT,
             hovedstol INTEGER NOT NULL, stiftet TEXT NOT NULL, tilbagefoersel INTEGER NOT NULL, sagsbehandler TEXT,
             kravtype_bekraeftet INTEGER NOT NULL DEFAULT 0,
             defects INTEGER, opgavepakke INTEGER
         );
         DROP TABLE IF EXISTS temp.import_samme_kravtype;
         CREATE TEMP TABLE import_samme_kravtype (
             cpr TEXT NOT NULL, kravtype TEXT NOT NULL, PRIMARY KEY (cpr, kravtype)
         ) WITHOUT ROWID",
    )
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Drops the staging tables (their rows are the import's, nothing else reads them).
pub async fn end(conn: &mut Conn) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "DROP TABLE IF EXISTS temp.import_fordring; DROP TABLE IF EXISTS temp.import_samme_kravtype"
    )
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Stages a batch of new fordringer and inserts them into `fordring` (dækninger that follow
/// point at them).
pub async fn insert_new_fordringer(
    conn: &mut Conn,
    kommune: u16,
    rows: Vec<NewFordringRow>,
) -> Result<(), sqlx::Error> {
    let staged: Option<i64> =
        on_each!(conn, |cx| sqlx::query_scalar("SELECT max(rowid) FROM temp.import_fordring").fetch_one(cx).await)?;
    insert_rows(conn, kommune, rows).await?;
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO fordring (kommune, fordring_id, cpr, bevilling_id, ydelsesreference, kravtype,
             udbetalingsparagraf, tilbagebetalingsparagraf, hovedstol, stiftet, tilbagefoersel)
         SELECT kommune, fordring_id, cpr, bevilling_id, ydelsesreference, kravtype,
             udbetalingsparagraf, tilbagebetalingsparagraf, hovedstol, stiftet, tilbagefoersel
         FROM temp.import_fordring WHERE rowid > $1 ORDER BY rowid",
    )
    .bind(staged.unwrap_or(0))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// The tasks `create_tasks` made: how many per opgavepakke (index 1..=17).
pub type Created = [i64; 18];

/// Classifies every staged fordring and creates its tasks: an "Opret fordringssag" task in the
/// opgavepakke of its defects, and one ventetrin task (09) per dækning of a fordring that got one.
/// Dækninger on the other new fordringer are booked at once (`behandlet`). Expects the staged
/// fordringer and their dækninger (inserted with `behandlet` NULL) in the tables, and the
/// index of dækninger by fordring in place. `INDEXED BY` pins the plans: right after a
/// bulk load the planner has no statistics and would scan a whole kommune per row by the
/// primary key (seconds turn into hours at a million fordringer).
pub async fn create_tasks(conn: &mut Conn, kommune: u16, stamp: &str) -> Result<Created, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(SAMME_KRAVTYPE.as_str())
        .bind(i64::from(kommune))
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(CLASSIFY.as_str()).execute(cx).await.map(|r| r.rows_affected()))?;
    super::known::add_kravtyper_from_import(conn).await?;
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO task (kommune, kind, fordring_id, daekning_id, opgavepakke, defects, created_at, cpr,
             hovedstol, stiftet, sagsbehandler)
         SELECT kommune, $1, fordring_id, NULL, opgavepakke, defects, $2, cpr, hovedstol, stiftet, sagsbehandler
         FROM temp.import_fordring WHERE opgavepakke IS NOT NULL ORDER BY rowid",
    )
    .bind(TaskKind::Opret)
    .bind(stamp)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    let ventetrin = on_each!(conn, |cx| {
        sqlx::query(
        "INSERT INTO task (kommune, kind, fordring_id, daekning_id, opgavepakke, defects, created_at, cpr,
             hovedstol, stiftet, sagsbehandler)
         SELECT f.kommune, $1, f.fordring_id, d.daekning_id, $2, 0, $3, f.cpr, d.beloeb, d.dato, f.sagsbehandler
         FROM temp.import_fordring f CROSS JOIN daekning d INDEXED BY daekning_by_fordring ON d.kommune = f.kommune AND d.fordring_id = f.fordring_id
         WHERE f.opgavepakke IS NOT NULL ORDER BY f.rowid, d.daekning_id",
    )
    .bind(TaskKind::Daekning)
    .bind(i64::from(Opgavepakke::VENTETRIN.nr()))
    .bind(stamp)
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE daekning INDEXED BY daekning_by_fordring SET behandlet = $1
         WHERE kommune = $2 AND fordring_id IN (SELECT fordring_id FROM temp.import_fordring WHERE opgavepakke IS NULL)",
    )
    .bind(stamp)
    .bind(i64::from(kommune))
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    let per_opgavepakke: Vec<(i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT opgavepakke, count(*) FROM temp.import_fordring WHERE opgavepakke IS NOT NULL GROUP BY opgavepakke",
    )
    .fetch_all(cx)
    .await)?;
    let mut created = [0; 18];
    for (opgavepakke, n) in per_opgavepakke {
        created[usize::from(super::small(opgavepakke)?)] = n;
    }
    created[usize::from(Opgavepakke::VENTETRIN.nr())] = ventetrin as i64;
    // A person with a tilbageførsel on any fordring (known or new) comes first with every task
    // (the partial index `fordring_tilbagefoersel` makes this free when there are none).
    on_each!(conn, |cx| sqlx::query(
        "UPDATE task SET tilbagefoersel = TRUE
         WHERE kommune = $1 AND is_open AND NOT tilbagefoersel AND cpr IN (
             SELECT f.cpr FROM fordring f INDEXED BY fordring_tilbagefoersel
             WHERE f.kommune = $2 AND f.tilbagefoersel AND f.cpr IN (SELECT cpr FROM temp.import_fordring))",
    )
    .bind(i64::from(kommune))
    .bind(i64::from(kommune))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(created)
}

/// Every character Rust's `str::trim` removes (`char::is_whitespace`), for SQLite's `trim(x, set)`:
/// "missing" must mean the same on both sides.
pub(crate) static WHITESPACE: LazyLock<String> =
    LazyLock::new(|| (0..=u32::from(char::MAX)).filter_map(char::from_u32).filter(|c| c.is_whitespace()).collect());

/// `x` is missing as `domain::defects` says: NULL or nothing but whitespace.
pub(crate) fn missing(x: &str) -> String {
    format!("coalesce(trim({x}, '{ws}') = '', 1)", ws = WHITESPACE.as_str())
}

/// "Samme kravtype": the (person, kravtype) pairs of the import's persons that occur on two or
/// more different bevillinger (no bevilling counts as one value), over all their fordringer,
/// known and new. A fordring has a sibling with its kravtype on another bevilling exactly when
/// its pair is one of these (it is in the group itself, so a second value is another's). One
/// pass over the kommune's fordringer in key order and a sort, instead of a lookup per sibling;
/// grouping by kravtype first keeps the planner on that pass.
static SAMME_KRAVTYPE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO temp.import_samme_kravtype (cpr, kravtype)
         SELECT s.cpr, trim(s.kravtype, '{ws}') FROM fordring s
         WHERE s.kommune = $1 AND NOT {missing_k} AND +s.cpr IN (SELECT cpr FROM temp.import_fordring)
         GROUP BY 2, 1
         HAVING count(DISTINCT s.bevilling_id) + max(s.bevilling_id IS NULL) >= 2",
        ws = WHITESPACE.as_str(),
        missing_k = missing("s.kravtype"),
    )
});

/// `defects_of` as SQL on the staged row `f`, then `Defects::classify` as a `CASE` generated
/// from the domain function itself (so the table of opgavepakker has one source).
static CLASSIFY: LazyLock<String> = LazyLock::new(|| {
    let ws = WHITESPACE.as_str();
    let none = Defects::default();
    let b = Defects { b: true, ..none }.bits();
    let r = Defects { r: true, ..none }.bits();
    let k = Defects { k: true, ..none }.bits();
    let p = Defects { p: true, ..none }.bits();
    let d = Defects { d: true, ..none }.bits();
    let opgavepakke: String = (0..32u8)
        .filter_map(|bits| Defects::from_bits(bits).classify().map(|p| format!(" WHEN {bits} THEN {}", p.nr())))
        .collect();
    format!(
        "UPDATE temp.import_fordring AS f SET defects =
             {missing_b} * {b}
           + {missing_r} * {r}
           + CASE WHEN {missing_k} THEN 1 WHEN f.kravtype_bekraeftet THEN 0 ELSE EXISTS (
                 SELECT 1 FROM temp.import_samme_kravtype x WHERE x.cpr = f.cpr AND x.kravtype = trim(f.kravtype, '{ws}')
             ) END * {k}
           + ({missing_u} OR {missing_t}) * {p}
           + EXISTS (SELECT 1 FROM daekning d INDEXED BY daekning_by_fordring WHERE d.kommune = f.kommune AND d.fordring_id = f.fordring_id) * {d};
         UPDATE temp.import_fordring SET opgavepakke = CASE defects{opgavepakke} END",
        missing_b = missing("f.bevilling_id"),
        missing_r = missing("f.ydelsesreference"),
        missing_k = missing("f.kravtype"),
        missing_u = missing("f.udbetalingsparagraf"),
        missing_t = missing("f.tilbagebetalingsparagraf"),
    )
});

#[cfg(test)]
mod tests;
