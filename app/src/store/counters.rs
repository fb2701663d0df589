//! Open tasks per kommune × opgavepakke, kept in the same transaction as every change, with the
//! kommune's version bumped alongside so a client can tell a newer snapshot from an older one.

use super::Conn;
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
/// (`opgavepakke_dag`) and returns the new snapshot. Called by the writer once per kommune per
/// batch (`WriteTx::count` gathers the deltas).
pub async fn apply(conn: &mut Conn, kommune: Kommunenr, delta: &CountDelta) -> Result<OpgavepakkeCounts, sqlx::Error> {
    for (nr, by) in delta.0.iter().enumerate().filter(|(_, by)| **by != 0) {
        on_each!(conn, |cx| sqlx::query(
            "UPDATE opgavepakke_count SET open_tasks = open_tasks + $1 WHERE kommune = $2 AND opgavepakke = $3"
        )
        .bind(by)
        .bind(i64::from(kommune.get()))
        .bind(nr as i64)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    on_each!(conn, |cx| sqlx::query("UPDATE kommune SET version = version + 1 WHERE nr = $1")
        .bind(i64::from(kommune.get()))
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    super::fremdrift::record_day(conn, kommune.get(), &crate::clock::today().to_string()).await?;
    read(conn, kommune).await
}

/// The kept counts: 17 rows read by primary key, never a recount.
pub async fn read(conn: &mut Conn, kommune: Kommunenr) -> Result<OpgavepakkeCounts, sqlx::Error> {
    let rows: Vec<(i64, i64, i64, i64)> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT k.version, k.plan_version, c.opgavepakke, c.open_tasks
         FROM kommune k JOIN opgavepakke_count c ON c.kommune = k.nr
         WHERE k.nr = $1",
    )
    .bind(i64::from(kommune.get()))
    .fetch_all(cx)
    .await)?;
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
