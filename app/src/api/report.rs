//! Report R2.1 and rapportstyret: the project lead's server functions.

use crate::error::AppError;
use crate::model::report::{HandOverDone, MatrixPage, ReportPage, ReportQuery, ReportTotals};
use leptos::prelude::*;

/// One page of report R2.1: the open tasks matching the filter, sorted.
#[server(prefix = "/sf", endpoint = "list_report")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_report(kommune: Option<u16>, query: ReportQuery) -> Result<ReportPage, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::report::list(&ctx()?, &actor, k, &query).await
}

/// Open tasks per opgavepakke, per caseworker and per person (the kommune's whole report).
#[server(prefix = "/sf", endpoint = "get_report_totals")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_report_totals(kommune: Option<u16>) -> Result<ReportTotals, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::report::totals(&ctx()?, &actor, k).await
}

/// A page of the persons with open tasks in two or more opgavepakker.
#[server(prefix = "/sf", endpoint = "get_report_matrix")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_report_matrix(kommune: Option<u16>, page: i64) -> Result<MatrixPage, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::report::matrix(&ctx()?, &actor, k, page).await
}

/// Hands the persons (all their open tasks) to a caseworker of the kommune.
#[server(prefix = "/sf", endpoint = "hand_over_persons")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(cprs), err(level = "info")))]
pub async fn hand_over_persons(kommune: u16, cprs: Vec<String>, to_username: String) -> Result<HandOverDone, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::report::hand_over::hand_over(&ctx()?, &actor, k, &cprs, &to_username).await
}

/// Takes the persons back from whoever they were handed to.
#[server(prefix = "/sf", endpoint = "take_back_persons")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(cprs), err(level = "info")))]
pub async fn take_back_persons(kommune: u16, cprs: Vec<String>) -> Result<HandOverDone, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::report::hand_over::take_back(&ctx()?, &actor, k, &cprs).await
}
