//! The kommune's plan for MI 38.

use crate::domain::plan::{Plan, PlanForm};
use crate::error::AppError;
use crate::model::plan::PlanView;
use leptos::prelude::*;

/// The plan of a kommune (default: the user's own).
#[server(prefix = "/sf", endpoint = "get_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_plan(kommune: Option<u16>) -> Result<PlanView, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::plan::get_plan(&ctx()?, &actor, k).await
}

/// Saves the plan (the kommune's project lead only).
#[server(prefix = "/sf", endpoint = "save_plan")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn save_plan(kommune: u16, form: PlanForm) -> Result<Plan, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    let ctx = ctx()?;
    crate::service::plan::require_editor(&ctx, &actor, k).await?;
    crate::service::plan::save_plan(&ctx, &actor, k, form.to_plan()?).await
}
