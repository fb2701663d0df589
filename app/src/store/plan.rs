//! The kommune's MI 38 plan (`domain::plan`): its columns on `kommune` and the named people in
//! `mi38_medarbejder`.

use super::Conn;
use crate::domain::Kommunenr;
use crate::domain::plan::{Plan, Ressourcer, Tilgang, parse_order};

#[derive(sqlx::FromRow)]
struct PlanRow {
    tilgang: String,
    deadline_med: String,
    deadline_uden: Option<String>,
    deadline_uden_endelig: Option<String>,
    go_live: Option<String>,
    ressourcer: String,
    timer_pr_uge: f64,
    opgavepakke_order: String,
    plan_version: i64,
}

pub async fn get(conn: &mut Conn, kommune: Kommunenr) -> Result<Option<Plan>, sqlx::Error> {
    let Some(row): Option<PlanRow> = on_each!(conn, |cx| sqlx::query_as(
        "SELECT tilgang, deadline_med, deadline_uden, deadline_uden_endelig, go_live, ressourcer, timer_pr_uge,
                opgavepakke_order, plan_version
         FROM kommune WHERE nr = $1",
    )
    .bind(i64::from(kommune.get()))
    .fetch_optional(cx)
    .await)?
    else {
        return Ok(None);
    };
    let medarbejdere: Vec<String> = on_each!(conn, |cx| sqlx::query_scalar(
        "SELECT username FROM mi38_medarbejder WHERE kommune = $1 ORDER BY username"
    )
    .bind(i64::from(kommune.get()))
    .fetch_all(cx)
    .await)?;
    Ok(Some(Plan {
        // The CHECK constraints keep both columns to the known keys.
        tilgang: Tilgang::parse(&row.tilgang).unwrap_or(Tilgang::Opgavepakkestyret),
        deadline_med: row.deadline_med,
        deadline_uden: row.deadline_uden,
        deadline_uden_endelig: row.deadline_uden_endelig,
        go_live: row.go_live,
        ressourcer: Ressourcer::parse(&row.ressourcer).unwrap_or(Ressourcer::Alle),
        timer_pr_uge: row.timer_pr_uge,
        medarbejdere,
        opgavepakke_order: parse_order(&row.opgavepakke_order),
        version: row.plan_version,
    }))
}

/// Saves the plan if nobody changed it since `plan.version` was read; false when someone did.
/// Dates must be ISO already (the service normalises them).
pub async fn save(conn: &mut Conn, kommune: Kommunenr, plan: &Plan) -> Result<bool, sqlx::Error> {
    let order = plan.opgavepakke_order.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
    let changed = on_each!(conn, |cx| {
        sqlx::query(
        "UPDATE kommune SET tilgang = $1, deadline_med = $2, deadline_uden = $3, deadline_uden_endelig = $4, go_live = $5,
                ressourcer = $6, timer_pr_uge = $7, opgavepakke_order = $8, plan_version = plan_version + 1
         WHERE nr = $9 AND plan_version = $10",
    )
    .bind(plan.tilgang.key())
    .bind(&plan.deadline_med)
    .bind(&plan.deadline_uden)
    .bind(&plan.deadline_uden_endelig)
    .bind(&plan.go_live)
    .bind(plan.ressourcer.key())
    .bind(plan.timer_pr_uge)
    .bind(order)
    .bind(i64::from(kommune.get()))
    .bind(plan.version)
    .execute(cx).await.map(|r| r.rows_affected())
    })?;
    if changed == 0 {
        return Ok(false);
    }
    on_each!(conn, |cx| sqlx::query("DELETE FROM mi38_medarbejder WHERE kommune = $1")
        .bind(i64::from(kommune.get()))
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    for username in &plan.medarbejdere {
        on_each!(conn, |cx| sqlx::query(
            "INSERT INTO mi38_medarbejder (kommune, username) VALUES ($1, $2) ON CONFLICT DO NOTHING"
        )
        .bind(i64::from(kommune.get()))
        .bind(username)
        .execute(cx)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(true)
}

/// Sets the kommune's go-live when it has none (the demo's waves; `kommune set --go-live` and the
/// plan page go through `save`). Bumps the plan version so open pages fetch the plan again.
pub async fn set_go_live_if_unset(conn: &mut Conn, kommune: Kommunenr, go_live: &str) -> Result<bool, sqlx::Error> {
    Ok(on_each!(conn, |cx| sqlx::query(
        "UPDATE kommune SET go_live = $1, plan_version = plan_version + 1 WHERE nr = $2 AND go_live IS NULL"
    )
    .bind(go_live)
    .bind(i64::from(kommune.get()))
    .execute(cx)
    .await
    .map(|r| r.rows_affected()))?
        == 1)
}
