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
    let latest: Option<String> = sqlx::query_scalar("SELECT max(dato) FROM udbetaling WHERE kommune = ?")
        .bind(kommune)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query_as(
        "WITH b AS (
             SELECT bv.bevillingstype AS type, count(*) AS bevillinger, sum(bv.status = 'aktiv') AS aktive,
                    count(DISTINCT s.cpr) AS personer,
                    count(DISTINCT CASE WHEN bv.status = 'aktiv' THEN s.cpr END) AS aktive_personer
             FROM bevilling bv JOIN sagsmappe s ON s.kommune = bv.kommune AND s.sagsmappe_id = bv.sagsmappe_id
             WHERE bv.kommune = ?1 GROUP BY bv.bevillingstype),
         y AS (
             SELECT type, group_concat(ydelsesart, ',') AS arter FROM (
                 SELECT DISTINCT bv.bevillingstype AS type, y.ydelsesart
                 FROM ydelse y JOIN bevilling bv ON bv.kommune = y.kommune AND bv.bevilling_id = y.bevilling_id
                 WHERE y.kommune = ?1 ORDER BY 1, 2)
             GROUP BY type),
         u AS (
             SELECT bv.bevillingstype AS type, count(*) AS n, sum(u.beloeb) AS oere
             FROM udbetaling u
             JOIN ydelse y ON y.kommune = u.kommune AND y.ydelse_id = u.ydelse_id
             JOIN bevilling bv ON bv.kommune = y.kommune AND bv.bevilling_id = y.bevilling_id
             WHERE u.kommune = ?1 AND u.dato > date(?2, '-12 months')
             GROUP BY bv.bevillingstype),
         t AS (
             SELECT bv.bevillingstype AS type, count(*) AS n
             FROM task tk NOT INDEXED
             JOIN fordring f ON f.kommune = tk.kommune AND f.fordring_id = tk.fordring_id
             JOIN bevilling bv ON bv.kommune = f.kommune AND bv.bevilling_id = f.bevilling_id
             WHERE tk.kommune = ?1 AND tk.is_open = 1 AND tk.kind = 'opret' GROUP BY bv.bevillingstype)
         SELECT b.type, b.bevillinger, b.aktive, b.personer, b.aktive_personer, coalesce(y.arter, ''),
                coalesce(u.n, 0), coalesce(u.oere, 0), coalesce(t.n, 0)
         FROM b LEFT JOIN y ON y.type = b.type LEFT JOIN u ON u.type = b.type LEFT JOIN t ON t.type = b.type",
    )
    .bind(kommune)
    .bind(latest.as_deref())
    .fetch_all(&mut *conn)
    .await?;
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
    let newer: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM bevillingstype_opgjort WHERE kommune = ? AND opgjort_at > ?")
            .bind(kommune)
            .bind(at)
            .fetch_optional(&mut *conn)
            .await?;
    if newer.is_some() {
        return Ok(false);
    }
    sqlx::query("DELETE FROM bevillingstype_tal WHERE kommune = ?").bind(kommune).execute(&mut *conn).await?;
    for (type_, bevillinger, aktive, personer, aktive_personer, arter, udbetalinger, oere, open) in rows {
        sqlx::query(
            "INSERT INTO bevillingstype_tal (kommune, bevillingstype, bevillinger, aktive, personer, aktive_personer,
                                             ydelsesarter, udbetalinger, udbetalt_oere, open_tasks)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(kommune)
        .bind(type_)
        .bind(bevillinger)
        .bind(aktive)
        .bind(personer)
        .bind(aktive_personer)
        .bind(arter)
        .bind(udbetalinger)
        .bind(oere)
        .bind(open)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO bevillingstype_opgjort (kommune, opgjort_at, udbetalinger_til) VALUES (?, ?, ?)
         ON CONFLICT (kommune) DO UPDATE SET opgjort_at = excluded.opgjort_at, udbetalinger_til = excluded.udbetalinger_til",
    )
    .bind(kommune)
    .bind(at)
    .bind(latest)
    .execute(conn)
    .await?;
    Ok(true)
}

/// The kept figures per type (see `compute`).
pub async fn inventory(conn: &mut Conn, kommune: u16) -> Result<Vec<TypeAggregate>, sqlx::Error> {
    sqlx::query_as(
        "SELECT bevillingstype, bevillinger, aktive, personer, aktive_personer, ydelsesarter, udbetalinger,
                udbetalt_oere, open_tasks
         FROM bevillingstype_tal WHERE kommune = ?",
    )
    .bind(kommune)
    .fetch_all(conn)
    .await
}

/// When the figures were computed and the extract's latest udbetaling; `None` before the first time.
pub async fn opgjort(conn: &mut Conn, kommune: u16) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT opgjort_at, udbetalinger_til FROM bevillingstype_opgjort WHERE kommune = ?")
        .bind(kommune)
        .fetch_optional(conn)
        .await
}

/// How many bevillingstyper the kommune's extract holds.
pub async fn type_count(conn: &mut Conn, kommune: u16) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(DISTINCT bevillingstype) FROM bevilling WHERE kommune = ?")
        .bind(kommune)
        .fetch_one(conn)
        .await
}

/// Whether the kommune's extract has bevillinger.
pub async fn has_bevillinger(conn: &mut Conn, kommune: u16) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bevilling WHERE kommune = ?)").bind(kommune).fetch_one(conn).await
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
    let rows: Vec<DecisionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM bevillingstype_beslutning WHERE kommune = ? ORDER BY bevillingstype"
    )))
    .bind(kommune)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(DecisionRow::view).collect())
}

/// Every version of one type's decision, newest first.
pub async fn history(conn: &mut Conn, kommune: u16, bevillingstype: &str) -> Result<Vec<BeslutningView>, sqlx::Error> {
    let rows: Vec<DecisionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM bevillingstype_beslutning_historik
         WHERE kommune = ? AND bevillingstype = ? ORDER BY version DESC"
    )))
    .bind(kommune)
    .bind(bevillingstype)
    .fetch_all(conn)
    .await?;
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
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM bevillingstype_beslutning WHERE kommune = ? AND bevillingstype = ?")
            .bind(kommune)
            .bind(&b.bevillingstype)
            .fetch_optional(&mut *conn)
            .await?;
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
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO {table} (kommune, bevillingstype, valg, ky_ydelsestype, system, afdeling, begrundelse,
                                  decided_by, decided_at, version)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?){upsert}"
        )))
        .bind(kommune)
        .bind(&b.bevillingstype)
        .bind(b.valg.key())
        .bind(&b.ky_ydelsestype)
        .bind(&b.system)
        .bind(&b.afdeling)
        .bind(&b.begrundelse)
        .bind(by)
        .bind(at)
        .bind(version)
        .execute(&mut *conn)
        .await?;
    }
    Ok(Some(version))
}

/// Whether the kommune's extract holds the type.
pub async fn type_exists(conn: &mut Conn, kommune: u16, bevillingstype: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM bevilling WHERE kommune = ? AND bevillingstype = ?)")
        .bind(kommune)
        .bind(bevillingstype)
        .fetch_one(conn)
        .await
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
    let rows: Vec<PlanRow> = sqlx::query_as(
        "SELECT id, bevillingstype, hvad, hvem, forfald, status FROM bevillingstype_planpunkt
         WHERE kommune = ? ORDER BY bevillingstype, forfald, id",
    )
    .bind(kommune)
    .fetch_all(conn)
    .await?;
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
    sqlx::query_scalar(
        "INSERT INTO bevillingstype_planpunkt (kommune, bevillingstype, hvad, hvem, forfald, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(kommune)
    .bind(&p.bevillingstype)
    .bind(&p.hvad)
    .bind(&p.hvem)
    .bind(p.forfald.format("%Y-%m-%d").to_string())
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
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
    sqlx::query_scalar(
        "UPDATE bevillingstype_planpunkt SET status = ?, changed_by = ?, changed_at = ?
         WHERE kommune = ? AND id = ? RETURNING bevillingstype",
    )
    .bind(status.key())
    .bind(by)
    .bind(at)
    .bind(kommune)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// One type's bevillinger with their persons, at most `limit`, active first.
pub async fn bevillinger_of(
    conn: &mut Conn,
    kommune: u16,
    bevillingstype: &str,
    limit: i64,
) -> Result<Vec<TypeBevilling>, sqlx::Error> {
    sqlx::query_as(
        "SELECT bv.bevilling_id, bv.status, bv.fra, bv.til, p.cpr, p.navn,
                coalesce((SELECT group_concat(DISTINCT y.ydelsesart) FROM ydelse y
                          WHERE y.kommune = bv.kommune AND y.bevilling_id = bv.bevilling_id), '') AS ydelsesarter
         FROM bevilling bv
         JOIN sagsmappe s ON s.kommune = bv.kommune AND s.sagsmappe_id = bv.sagsmappe_id
         JOIN person p ON p.kommune = s.kommune AND p.cpr = s.cpr
         WHERE bv.kommune = ? AND bv.bevillingstype = ?
         ORDER BY bv.status = 'aktiv' DESC, bv.fra DESC, bv.bevilling_id LIMIT ?",
    )
    .bind(kommune)
    .bind(bevillingstype)
    .bind(limit)
    .fetch_all(conn)
    .await
}

pub async fn count_of_type(conn: &mut Conn, kommune: u16, bevillingstype: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM bevilling WHERE kommune = ? AND bevillingstype = ?")
        .bind(kommune)
        .bind(bevillingstype)
        .fetch_one(conn)
        .await
}

/// KOMBIT's KY ydelsestyper: (code, name, illustrative), by code.
pub async fn ky_ydelsestyper(conn: &mut Conn) -> Result<Vec<(String, String, bool)>, sqlx::Error> {
    sqlx::query_as("SELECT kode, navn, illustrativ FROM ky_ydelsestype ORDER BY kode").fetch_all(conn).await
}

/// Adds or renames a KY ydelsestype (KOMBIT's own: not illustrative).
pub async fn put_ky_ydelsestype(conn: &mut Conn, kode: &str, navn: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO ky_ydelsestype (kode, navn, illustrativ) VALUES (?, ?, 0)
         ON CONFLICT (kode) DO UPDATE SET navn = excluded.navn, illustrativ = 0",
    )
    .bind(kode)
    .bind(navn)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Adds an illustrative KY ydelsestype unless the code exists (the demo's catalogue).
pub async fn add_illustrative_ky_ydelsestype(conn: &mut Conn, kode: &str, navn: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO ky_ydelsestype (kode, navn, illustrativ) VALUES (?, ?, 1) ON CONFLICT DO NOTHING")
        .bind(kode)
        .bind(navn)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Active bevillinger per ydelsesart, each counted once (by its first ydelsesart): the cases
/// of the estimate from the kommune's own data.
pub async fn open_bevillinger_by_ydelsesart(conn: &mut Conn, kommune: u16) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT art, count(*) FROM (
             SELECT min(y.ydelsesart) AS art FROM bevilling bv
             JOIN ydelse y ON y.kommune = bv.kommune AND y.bevilling_id = bv.bevilling_id
             WHERE bv.kommune = ? AND bv.status = 'aktiv' GROUP BY bv.bevilling_id)
         GROUP BY art ORDER BY 2 DESC, 1",
    )
    .bind(kommune)
    .fetch_all(conn)
    .await
}
