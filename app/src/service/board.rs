//! The opgavepakke board: kept counts and deadlines of one kommune.

use super::{Actor, require_kommune};
use crate::clock;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::model::Board;
use crate::state::AppContext;
use crate::store::{counters, kommune, plan, tasks};
use chrono::NaiveDate;

pub async fn board(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<Board, AppError> {
    require_kommune(ctx, actor, k, "opgavepakker").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let Some(row) = kommune::get(&mut conn, k).await? else {
        return Err(AppError::NotFound(format!("Kommune {k}")));
    };
    let counts = counters::read(&mut conn, k).await?;
    let plan = plan::get(&mut conn, k).await?.ok_or_else(|| AppError::NotFound(format!("Kommune {k}")))?;
    let today = clock::today();
    let days = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(|d| (d - today).num_days());
    Ok(Board {
        kommune: k,
        counts,
        deadline_med: clock::display_date(&row.deadline_med),
        days_to_deadline_med: days(&row.deadline_med).unwrap_or(0),
        deadline_uden: row.deadline_uden.as_deref().map(clock::display_date),
        days_to_deadline_uden: row.deadline_uden.as_deref().and_then(days),
        deadline_uden_endelig: plan.deadline_uden_endelig.as_deref().map(clock::display_date),
        days_to_deadline_uden_endelig: plan.deadline_uden_endelig.as_deref().and_then(days),
        tilgang: plan.tilgang.label().to_string(),
        tilgang_text: plan.tilgang.for_caseworkers().to_string(),
        had_tasks: tasks::any(&mut conn, k.get()).await?,
        ui04_progress: {
            drop(conn);
            super::bevillingstyper::progress(ctx, actor, k).await?
        },
    })
}

/// The kommuner with MI 38 data that the user may see: (number, name).
pub async fn kommuner(ctx: &AppContext, user: &crate::model::SessionUser) -> Result<Vec<(u16, String)>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let rows = kommune::list(&mut conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Kommunenr::try_from(r.nr as u16).ok())
        .filter(|k| user.may_see_kommune(*k))
        .map(|k| (k.get(), k.navn().to_string()))
        .collect())
}
