//! The opgavepakke board: kept counts and deadlines of one kommune.

use super::{Actor, require_kommune};
use crate::clock;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::model::Board;
use crate::state::AppContext;
use crate::store::{counters, kommune};
use chrono::NaiveDate;

pub async fn board(ctx: &AppContext, actor: &Actor, k: Kommunenr) -> Result<Board, AppError> {
    require_kommune(ctx, actor, k, "opgavepakker").await?;
    let mut conn = ctx.db.read.acquire().await?;
    let Some(row) = kommune::get(&mut conn, k).await? else {
        return Err(AppError::NotFound(format!("Kommune {k}")));
    };
    let counts = counters::read(&mut conn, k).await?;
    let today = clock::today();
    let days = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().map(|d| (d - today).num_days());
    Ok(Board {
        kommune: k,
        counts,
        deadline_med: clock::display_date(&row.deadline_med),
        days_to_deadline_med: days(&row.deadline_med).unwrap_or(0),
        deadline_uden: row.deadline_uden.as_deref().map(clock::display_date),
        days_to_deadline_uden: row.deadline_uden.as_deref().and_then(days),
    })
}
