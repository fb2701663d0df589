//! UI 04: the inventory of bevillingstyper computed from the kommune's extract, the decisions
//! (latest and every version), the plan items, the drill-down to one type's bevillinger, and
//! KOMBIT's catalogue of KY ydelsestyper.

use super::Conn;
use crate::domain::bevillingstype::{Beslutning, Planpunkt, Valg};
use crate::domain::klik::KlikStatus;
use crate::model::bevillingstyper::{BeslutningView, PlanpunktView, TypeBevilling};

/// The figures of one bevillingstype as `compute` finds them: (type, bevillinger, aktive,
/// personer, aktive personer, ydelsesarter comma-separated, udbetalinger, udbetalt øre, open
/// Opret fordringssag tasks).
pub type TypeAggregate = (String, i64, i64, i64, i64, String, i64, i64, i64);

/// Computes the kommune's figures per bevillingstype from its extract and open tasks
/// (udbetalinger counted for the 12 months up to the extract's latest), and that latest date.
/// A read: run it on a read connection and keep the result with `save`, so the single writer
/// is not held for the seconds this takes at a million fordringer. The open tasks are counted by
/// scanning `task` in table order (`NOT INDEXED`): the partial open-task indexes would send
/// every row through a lookup, four times slower.
pub async fn compute(conn: &mut Conn, kommune: u16) -> Result<(Vec<TypeAggregate>, Option<String>), sqlx::Error> {
    let latest: Option<String> =
        on_each!(conn, |cx| sqlx::query_scalar("SELECT max(dato) FROM udbetaling WHERE kommune = $1")
            .bind(i64::from(kommune))
            .fetch_one(cx)
            .await)?;
    // Twelve months before the latest udbetaling (chrono's calendar: 29.02 − 12 months = 28.02).
    let since = latest
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .and_then(|d| d.checked_sub_months(chrono::Months::new(12)).map(|d| d.format("%Y-%m-%d").to_string()));
    let rows = on_each!(conn, |cx| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "WITH b AS (
             SELECT bv.bevillingstype AS type, count(*) AS bevillinger, count(*) FILTER (WHERE bv.status = 'aktiv') AS aktive,
                    count(DISTINCT s.cpr) AS personer,
                    count(DISTINCT CASE WHEN bv.status = 'aktiv' THEN s.cpr END) AS aktive_personer
             FROM bevilling bv JOIN sagsmappe s ON s.kommune = bv.kommune AND s.sagsmappe_id = bv.sagsmappe_id
             WHERE bv.kommune = $1 GROUP BY bv.bevillingstype),
         y AS (
             SELECT type, string_agg(ydelsesart, ',' ORDER BY ydelsesart) AS arter FROM (
                 SELECT DISTINCT bv.bevillingstype AS type, y.ydelsesart
                 FROM ydelse y JOIN bevilling bv ON bv.kommune = y.kommune AND bv.bevilling_id = y.bevilling_id
                 WHERE y.kommune = $1) AS d
             GROUP BY type),
         u AS (
             SELECT bv.bevillingstype AS type, count(*) AS n, CAST(sum(u.beloeb) AS BIGINT) AS oere
             FROM udbetaling u
             JOIN ydelse y ON y.kommune = u.kommune AND y.ydelse_id = u.ydelse_id
             JOIN bevilling bv ON bv.kommune = y.kommune AND bv.bevilling_id = y.bevilling_id
             WHERE u.kommune = $1 AND u.dato > $2
             GROUP BY bv.bevillingstype),
         t AS (
             SELECT bv.bevillingstype AS type, count(*) AS n
             FROM task tk {not_indexed}
             JOIN fordring f ON f.kommune = tk.kommune AND f.fordring_id = tk.fordring_id
             JOIN bevilling bv ON bv.kommune = f.kommune AND bv.bevilling_id = f.bevilling_id
             WHERE tk.kommune = $1 AND tk.is_open AND tk.kind = 'opret' GROUP BY bv.bevillingstype)
         SELECT b.type, b.bevillinger, b.aktive, b.personer, b.aktive_personer, coalesce(y.arter, ''),
                coalesce(u.n, 0), coalesce(u.oere, 0), coalesce(t.n, 0)
         FROM b LEFT JOIN y ON y.type = b.type LEFT JOIN u ON u.type = b.type LEFT JOIN t ON t.type = b.type",
        not_indexed = if PG { "" } else { "NOT INDEXED" },
    )))
    .bind(i64::from(kommune))
    .bind(since)
    .fetch_all(cx)
    .await
    })?;
    Ok((rows, latest))
}

/// Keeps figures from `compute`, computed at `at`, unless figures computed later are kept
/// already (two computations overlapping keep the newer). Returns whether they were kept.
pub async fn save(
    conn: &mut Conn,
    kommune: u16,
    at: &str,
    rows: &[TypeAggregate],
    latest: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let newer: Option<i64> = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT CAST(1 AS BIGINT) FROM bevillingstype_opgjort WHERE kommune = $1 AND opgjort_at > $2"
    )
    .bind(i64::from(kommune))
    .bind(at)
    .fetch_optional(cx)
    .await)?;
    if newer.is_some() {
        return Ok(false);
    }
    on_each!(conn, |cx| sqlx::query("DELETE FROM bevillingstype_tal WHERE kommune = $1")
        .bind(i64::from(kommune))
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    for (type_, bevillinger, aktive, personer, aktive_personer, arter, udbetalinger, oere, open) in rows {
        on_each!(conn, |cx| sqlx::query(
            "INSERT INTO bevillingstype_tal (kommune, bevillingstype, bevillinger, aktive, personer, aktive_personer,
                                             ydelsesarter, udbetalinger, udbetalt_oere, open_tasks)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(i64::from(kommune))
        .bind(type_)
        .bind(bevillinger)
        .bind(aktive)
        .bind(personer)
        .bind(aktive_personer)
        .bind(arter)
        .bind(udbetalinger)
        .bind(oere)
        .bind(open)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    on_each!(conn, |cx| {
        sqlx::query(
        "INSERT INTO bevillingstype_opgjort (kommune, opgjort_at, udbetalinger_til) VALUES ($1, $2, $3)
         ON CONFLICT (kommune) DO UPDATE SET opgjort_at = excluded.opgjort_at, udbetalinger_til = excluded.udbetalinger_til",
    )
    .bind(i64::from(kommune))
    .bind(at)
    .bind(latest)
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    Ok(true)
}

/// The kept figures per type (see `compute`).
pub async fn inventory(conn: &mut Conn, kommune: u16) -> Result<Vec<TypeAggregate>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT bevillingstype, bevillinger, aktive, personer, aktive_personer, ydelsesarter, udbetalinger,
                udbetalt_oere, open_tasks
         FROM bevillingstype_tal WHERE kommune = $1",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}

/// When the figures were computed and the extract's latest udbetaling; `None` before the first time.
pub async fn opgjort(conn: &mut Conn, kommune: u16) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT opgjort_at, udbetalinger_til FROM bevillingstype_opgjort WHERE kommune = $1"
    )
    .bind(i64::from(kommune))
    .fetch_optional(cx)
    .await)
}

/// How many bevillingstyper the kommune's extract holds.
pub async fn type_count(conn: &mut Conn, kommune: u16) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(DISTINCT bevillingstype) FROM bevilling WHERE kommune = $1")
        .bind(i64::from(kommune))
        .fetch_one(cx)
        .await)
}

/// Whether the kommune's extract has bevillinger.
pub async fn has_bevillinger(conn: &mut Conn, kommune: u16) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bevilling WHERE kommune = $1)")
        .bind(i64::from(kommune))
        .fetch_one(cx)
        .await)
}

#[derive(sqlx::FromRow)]
struct DecisionRow {
    bevillingstype: String,
    valg: String,
    ky_ydelsestype: Option<String>,
    system: Option<String>,
    afdeling: String,
    begrundelse: String,
    decided_by: String,
    decided_at: String,
    version: i64,
}

impl DecisionRow {
    fn view(self) -> Option<(String, BeslutningView)> {
        Some((
            self.bevillingstype,
            BeslutningView {
                valg: Valg::parse(&self.valg)?,
                ky_ydelsestype: self.ky_ydelsestype,
                system: self.system,
                afdeling: self.afdeling,
                begrundelse: self.begrundelse,
                decided_by: self.decided_by,
                decided_at: self.decided_at,
                version: self.version,
            },
        ))
    }
}

const DECISION_COLUMNS: &str =
    "bevillingstype, valg, ky_ydelsestype, system, afdeling, begrundelse, decided_by, decided_at, version";

/// The kommune's current decisions by type.
pub async fn decisions(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, BeslutningView)>, sqlx::Error> {
    let rows: Vec<DecisionRow> = on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM bevillingstype_beslutning WHERE kommune = $1 ORDER BY bevillingstype"
    )))
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)?;
    Ok(rows.into_iter().filter_map(DecisionRow::view).collect())
}

/// Every version of one type's decision, newest first.
pub async fn history(conn: &mut Conn, kommune: u16, bevillingstype: &str) -> Result<Vec<BeslutningView>, sqlx::Error> {
    let rows: Vec<DecisionRow> = on_each!(conn, |cx| sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM bevillingstype_beslutning_historik
         WHERE kommune = $1 AND bevillingstype = $2 ORDER BY version DESC"
    )))
    .bind(i64::from(kommune))
    .bind(bevillingstype)
    .fetch_all(cx)
    .await)?;
    Ok(rows.into_iter().filter_map(DecisionRow::view).map(|(_, b)| b).collect())
}

/// Saves a decision if nobody changed it since `b.version` was read (0: none yet); the new
/// version, or `None` when someone did. Every version is kept in the history.
pub async fn decide(
    conn: &mut Conn,
    kommune: u16,
    b: &Beslutning,
    by: &str,
    at: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let current: Option<i64> = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT version FROM bevillingstype_beslutning WHERE kommune = $1 AND bevillingstype = $2"
    )
    .bind(i64::from(kommune))
    .bind(&b.bevillingstype)
    .fetch_optional(cx)
    .await)?;
    if current.unwrap_or(0) != b.version {
        return Ok(None);
    }
    let version = b.version + 1;
    for table in ["bevillingstype_beslutning", "bevillingstype_beslutning_historik"] {
        let upsert = if table == "bevillingstype_beslutning" {
            " ON CONFLICT (kommune, bevillingstype) DO UPDATE SET valg = excluded.valg,
                 ky_ydelsestype = excluded.ky_ydelsestype, system = excluded.system, afdeling = excluded.afdeling,
                 begrundelse = excluded.begrundelse, decided_by = excluded.decided_by,
                 decided_at = excluded.decided_at, version = excluded.version"
        } else {
            ""
        };
        on_each!(conn, |cx| sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (kommune, bevillingstype, valg, ky_ydelsestype, system, afdeling, begrundelse,
                                  decided_by, decided_at, version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10){upsert}"
        )))
        .bind(i64::from(kommune))
        .bind(&b.bevillingstype)
        .bind(b.valg.key())
        .bind(&b.ky_ydelsestype)
        .bind(&b.system)
        .bind(&b.afdeling)
        .bind(&b.begrundelse)
        .bind(by)
        .bind(at)
        .bind(version)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(Some(version))
}

/// Whether the kommune's extract holds the type.
pub async fn type_exists(conn: &mut Conn, kommune: u16, bevillingstype: &str) -> Result<bool, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM bevilling WHERE kommune = $1 AND bevillingstype = $2)"
    )
    .bind(i64::from(kommune))
    .bind(bevillingstype)
    .fetch_one(cx)
    .await)
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    bevillingstype: String,
    hvad: String,
    hvem: String,
    forfald: String,
    status: String,
}

/// The kommune's plan items, by type and due date; `today` marks the overdue ones.
pub async fn plan_items(
    conn: &mut Conn,
    kommune: u16,
    today: chrono::NaiveDate,
) -> Result<Vec<PlanpunktView>, sqlx::Error> {
    let rows: Vec<PlanRow> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT id, bevillingstype, hvad, hvem, forfald, status FROM bevillingstype_planpunkt
         WHERE kommune = $1 ORDER BY bevillingstype, forfald, id",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = KlikStatus::parse(&r.status).unwrap_or(KlikStatus::IkkeStartet);
            let due = chrono::NaiveDate::parse_from_str(&r.forfald, "%Y-%m-%d").ok();
            PlanpunktView {
                id: r.id,
                overdue: due.is_some_and(|d| crate::domain::klik::overdue(d, status, today)),
                bevillingstype: r.bevillingstype,
                hvad: r.hvad,
                hvem: r.hvem,
                forfald: r.forfald,
                status,
            }
        })
        .collect())
}

pub async fn add_plan_item(
    conn: &mut Conn,
    kommune: u16,
    p: &Planpunkt,
    by: &str,
    at: &str,
) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "INSERT INTO bevillingstype_planpunkt (kommune, bevillingstype, hvad, hvem, forfald, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(i64::from(kommune))
    .bind(&p.bevillingstype)
    .bind(&p.hvad)
    .bind(&p.hvem)
    .bind(p.forfald.format("%Y-%m-%d").to_string())
    .bind(by)
    .bind(at)
    .fetch_one(cx)
    .await)
}

/// Sets a plan item's status; the item's type, or `None` when the kommune has no such item.
pub async fn set_plan_status(
    conn: &mut Conn,
    kommune: u16,
    id: i64,
    status: KlikStatus,
    by: &str,
    at: &str,
) -> Result<Option<String>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar(
        "UPDATE bevillingstype_planpunkt SET status = $1, changed_by = $2, changed_at = $3
         WHERE kommune = $4 AND id = $5 RETURNING bevillingstype",
    )
    .bind(status.key())
    .bind(by)
    .bind(at)
    .bind(i64::from(kommune))
    .bind(id)
    .fetch_optional(cx)
    .await)
}

/// One type's bevillinger with their persons, at most `limit`, active first.
pub async fn bevillinger_of(
    conn: &mut Conn,
    kommune: u16,
    bevillingstype: &str,
    limit: i64,
) -> Result<Vec<TypeBevilling>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT bv.bevilling_id, bv.status, bv.fra, bv.til, p.cpr, p.navn,
                coalesce((SELECT string_agg(d.ydelsesart, ',') FROM (SELECT DISTINCT y.ydelsesart FROM ydelse y
                          WHERE y.kommune = bv.kommune AND y.bevilling_id = bv.bevilling_id) AS d), '') AS ydelsesarter
         FROM bevilling bv
         JOIN sagsmappe s ON s.kommune = bv.kommune AND s.sagsmappe_id = bv.sagsmappe_id
         JOIN person p ON p.kommune = s.kommune AND p.cpr = s.cpr
         WHERE bv.kommune = $1 AND bv.bevillingstype = $2
         ORDER BY bv.status = 'aktiv' DESC, bv.fra DESC, bv.bevilling_id LIMIT $3",
    )
    .bind(i64::from(kommune))
    .bind(bevillingstype)
    .bind(limit)
    .fetch_all(cx)
    .await)
}

pub async fn count_of_type(conn: &mut Conn, kommune: u16, bevillingstype: &str) -> Result<i64, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_scalar("SELECT count(*) FROM bevilling WHERE kommune = $1 AND bevillingstype = $2")
        .bind(i64::from(kommune))
        .bind(bevillingstype)
        .fetch_one(cx)
        .await)
}

/// KOMBIT's KY ydelsestyper: (code, name, illustrative), by code.
pub async fn ky_ydelsestyper(conn: &mut Conn) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as("SELECT kode, navn, illustrativ FROM ky_ydelsestype ORDER BY kode")
        .fetch_all(cx)
        .await)
}

/// Adds or renames a KY ydelsestype (KOMBIT's own: not illustrative).
pub async fn put_ky_ydelsestype(conn: &mut Conn, kode: &str, navn: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO ky_ydelsestype (kode, navn, illustrativ) VALUES ($1, $2, FALSE)
         ON CONFLICT (kode) DO UPDATE SET navn = excluded.navn, illustrativ = FALSE",
    )
    .bind(kode)
    .bind(navn)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Adds an illustrative KY ydelsestype unless the code exists (the demo's catalogue).
pub async fn add_illustrative_ky_ydelsestype(conn: &mut Conn, kode: &str, navn: &str) -> Result<(), sqlx::Error> {
    on_each!(conn, |cx| sqlx::query(
        "INSERT INTO ky_ydelsestype (kode, navn, illustrativ) VALUES ($1, $2, TRUE) ON CONFLICT DO NOTHING"
    )
    .bind(kode)
    .bind(navn)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))
    .map(|_| ())
}

/// Active bevillinger per ydelsesart, each counted once (by its first ydelsesart): the cases
/// of the estimate from the kommune's own data.
pub async fn open_bevillinger_by_ydelsesart(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, i64)>, sqlx::Error> {
    on_each!(conn, |cx| sqlx::query_as(
        "SELECT art, count(*) FROM (
             SELECT min(y.ydelsesart) AS art FROM bevilling bv
             JOIN ydelse y ON y.kommune = bv.kommune AND y.bevilling_id = bv.bevilling_id
             WHERE bv.kommune = $1 AND bv.status = 'aktiv' GROUP BY bv.bevilling_id) AS first_art
         GROUP BY art ORDER BY 2 DESC, 1",
    )
    .bind(i64::from(kommune))
    .fetch_all(cx)
    .await)
}
