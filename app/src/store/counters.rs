//! Open tasks per kommune × opgavepakke, kept in the same transaction as every change, with the
//! kommune's version bumped alongside so a client can tell a newer snapshot from an older one.

use super::{Conn, Handle};
use crate::domain::opgavepakke::OpgavepakkeCounts;
use crate::domain::{Kommunenr, Opgavepakke};

/// Changes to apply to the counters, gathered while a transaction does its work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountDelta([i64; 18]);

impl CountDelta {
    pub fn add(&mut self, opgavepakke: Opgavepakke, by: i64) {
        self.0[usize::from(opgavepakke.nr())] += by;
    }

    pub fn moved(&mut self, from: Opgavepakke, to: Opgavepakke) {
        self.add(from, -1);
        self.add(to, 1);
    }

    pub fn merge(&mut self, other: &CountDelta) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            *mine += theirs;
        }
    }

    /// The counts as they will be once this delta is applied.
    pub fn apply_to(&self, counts: &mut OpgavepakkeCounts) {
        for (count, by) in counts.counts.iter_mut().zip(self.0.iter()) {
            *count += by;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|d| *d == 0)
    }
}

/// Applies the delta, bumps the kommune's version, keeps today's row of the burn-down
/// (`opgavepakke_dag`) and returns the new snapshot. Called once per kommune per batch by
/// SQLite's writer and once per job on PostgreSQL (`WriteTx::count` gathers the deltas).
///
/// On PostgreSQL the delta becomes rows of `opgavepakke_count_delta` instead: every caseworker
/// of a kommune would otherwise wait for the one before to commit, on the kommune's counter and
/// version rows (the hot row). Their ids are the new version; `fold` adds them to the kept counts
/// once a second. SQLite's single writer has no such wait and changes the kept rows directly.
pub async fn apply(conn: &mut Conn, kommune: Kommunenr, delta: &CountDelta) -> Result<OpgavepakkeCounts, sqlx::Error> {
    let k = i64::from(kommune.get());
    if let Handle::Postgres(cx) = conn.handle() {
        // Package 0 carries a version bump of a change that moved nothing.
        let (packages, by): (Vec<i64>, Vec<i64>) = match delta.0.iter().enumerate().filter(|(_, by)| **by != 0).count()
        {
            0 => (vec![0], vec![0]),
            _ => delta.0.iter().enumerate().filter(|(_, by)| **by != 0).map(|(nr, by)| (nr as i64, *by)).unzip(),
        };
        sqlx::query(
            "INSERT INTO opgavepakke_count_delta (kommune, opgavepakke, open_tasks, dag)
             SELECT $1, p, n, $4 FROM unnest($2::BIGINT[], $3::BIGINT[]) AS d (p, n)",
        )
        .bind(k)
        .bind(packages)
        .bind(by)
        .bind(crate::clock::today().to_string())
        .execute(&mut *cx)
        .await?;
        return read(conn, kommune).await;
    }
    for (nr, by) in delta.0.iter().enumerate().filter(|(_, by)| **by != 0) {
        on_each!(conn, |cx| sqlx::query(
            "UPDATE opgavepakke_count SET open_tasks = open_tasks + $1 WHERE kommune = $2 AND opgavepakke = $3"
        )
        .bind(by)
        .bind(k)
        .bind(nr as i64)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    on_each!(conn, |cx| sqlx::query("UPDATE kommune SET version = version + 1 WHERE nr = $1")
        .bind(k)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    super::fremdrift::record_day(conn, kommune.get(), &crate::clock::today().to_string()).await?;
    read(conn, kommune).await
}

/// PostgreSQL: adds the kommune's pending counter changes to the kept counts, sets its version
/// to the newest of them and keeps today's burn-down row — in the caller's transaction, which
/// holds the kommune's row (`FOR NO KEY UPDATE`) so folds on two instances take turns. Not `FOR
/// UPDATE`: every job inserting a row that refers to the kommune holds `FOR KEY SHARE` on it (the
/// foreign-key check) until it commits, and `FOR UPDATE` would wait for all of them while every
/// job after it queued behind the fold — a convoy each second (110 resolves/s against pgbench's
/// 5,600 in the first `bench --pg`). A change still
/// uncommitted is not seen and is folded the next time. Returns whether there was anything.
pub async fn fold(conn: &mut Conn, kommune: u16) -> Result<bool, sqlx::Error> {
    if !matches!(conn.handle(), Handle::Postgres(_)) {
        return Ok(false);
    }
    let k = i64::from(kommune);
    on_each!(conn, |cx| sqlx::query("SELECT nr FROM kommune WHERE nr = $1 FOR NO KEY UPDATE")
        .bind(k)
        .fetch_optional(cx)
        .await
        .map(|r| r.is_some()))?;
    let newest: Option<i64> =
        on_each!(conn, |cx| sqlx::query_scalar("SELECT max(id) FROM opgavepakke_count_delta WHERE kommune = $1")
            .bind(k)
            .fetch_one(cx)
            .await)?;
    let Some(newest) = newest else { return Ok(false) };
    // Day by day, so the burn-down keeps each day's count as it was when the day's changes were
    // made (SQLite records the day with every batch).
    let days: Vec<String> = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT DISTINCT dag FROM opgavepakke_count_delta WHERE kommune = $1 AND id <= $2 ORDER BY dag"
    )
    .bind(k)
    .bind(newest)
    .fetch_all(cx)
    .await)?;
    for dag in days {
        let changes: Vec<(i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
            "SELECT opgavepakke, CAST(sum(open_tasks) AS BIGINT) FROM opgavepakke_count_delta
             WHERE kommune = $1 AND id <= $2 AND dag = $3 GROUP BY opgavepakke"
        )
        .bind(k)
        .bind(newest)
        .bind(&dag)
        .fetch_all(cx)
        .await)?;
        for (opgavepakke, by) in changes.into_iter().filter(|(p, by)| *p > 0 && *by != 0) {
            on_each!(conn, |cx| sqlx::query(
                "UPDATE opgavepakke_count SET open_tasks = open_tasks + $1 WHERE kommune = $2 AND opgavepakke = $3"
            )
            .bind(by)
            .bind(k)
            .bind(opgavepakke)
            .execute(cx)
            .await
            .map(|r| r.rows_affected()))?;
        }
        super::fremdrift::record_day(conn, kommune, &dag).await?;
    }
    on_each!(conn, |cx| sqlx::query("DELETE FROM opgavepakke_count_delta WHERE kommune = $1 AND id <= $2")
        .bind(k)
        .bind(newest)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    on_each!(conn, |cx| sqlx::query(
        "UPDATE kommune SET version = CASE WHEN version >= $1 THEN version ELSE $1 END WHERE nr = $2"
    )
    .bind(newest)
    .bind(k)
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(true)
}

/// The kommuner with counter changes not yet folded (PostgreSQL).
pub async fn unfolded(conn: &mut Conn) -> Result<Vec<u16>, sqlx::Error> {
    let rows: Vec<i64> =
        on_each!(conn, |cx| sqlx::query_scalar("SELECT DISTINCT kommune FROM opgavepakke_count_delta")
            .fetch_all(cx)
            .await)?;
    rows.into_iter().map(|k| u16::try_from(k).map_err(|e| sqlx::Error::Decode(Box::new(e)))).collect()
}

/// The kept counts: 17 rows read by primary key, never a recount — plus, on PostgreSQL, the
/// changes of the last moments not yet folded into them (a handful of rows).
pub async fn read(conn: &mut Conn, kommune: Kommunenr) -> Result<OpgavepakkeCounts, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, i64)> = on_each!(conn, |cx| {
        sqlx::query_as(
        "SELECT CASE WHEN k.version >= COALESCE(p.newest, 0) THEN k.version ELSE p.newest END, k.plan_version, c.opgavepakke,
                c.open_tasks + COALESCE(d.open_tasks, 0)
         FROM kommune k
         JOIN opgavepakke_count c ON c.kommune = k.nr
         CROSS JOIN (SELECT max(id) AS newest FROM opgavepakke_count_delta WHERE kommune = $1) p
         LEFT JOIN (SELECT opgavepakke, CAST(sum(open_tasks) AS BIGINT) AS open_tasks
                    FROM opgavepakke_count_delta WHERE kommune = $1 GROUP BY opgavepakke) d
                ON d.opgavepakke = c.opgavepakke
         WHERE k.nr = $1",
    )
    .bind(i64::from(kommune.get()))
    .fetch_all(cx)
    .await
    })?;
    let mut counts = OpgavepakkeCounts::default();
    for (version, plan, opgavepakke, open) in rows {
        counts.version = version;
        counts.plan = plan;
        counts.counts[opgavepakke as usize] = open;
    }
    Ok(counts)
}

/// The counts recomputed from the tasks themselves (`GROUP BY`): for checks and benchmarks.
pub async fn recount(conn: &mut Conn, kommune: Kommunenr) -> Result<[i64; 18], sqlx::Error> {
    let rows: Vec<(i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT opgavepakke, count(*) FROM task WHERE kommune = $1 AND is_open GROUP BY opgavepakke"
    )
    .bind(i64::from(kommune.get()))
    .fetch_all(cx)
    .await)?;
    let mut counts = [0i64; 18];
    for (opgavepakke, n) in rows {
        counts[opgavepakke as usize] = n;
    }
    Ok(counts)
}
