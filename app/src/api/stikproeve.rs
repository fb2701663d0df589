//! Stikprøve: draw (the project lead), the results, and checking the drawn items.

use crate::domain::stikproeve::DrawForm;
use crate::error::AppError;
use crate::model::stikproeve::{CheckInput, ItemDetail, Stikproeve, StikproeveView};
use leptos::prelude::*;

/// The results page of a kommune's stikprøve `id` (default: the newest).
#[server(prefix = "/sf", endpoint = "get_stikproeve")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_stikproeve(kommune: Option<u16>, id: Option<i64>) -> Result<StikproeveView, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::stikproeve::view(&ctx()?, &actor, k, id).await
}

/// The kommune's project lead draws a stikprøve (seed recorded).
#[server(prefix = "/sf", endpoint = "draw_stikproeve")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn draw_stikproeve(kommune: u16, form: DrawForm) -> Result<Stikproeve, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::stikproeve::draw(&ctx()?, &actor, k, &form).await
}

/// One drawn item to check, with the fordring's facts (the read is audited).
#[server(prefix = "/sf", endpoint = "get_stikproeve_item")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_stikproeve_item(stikproeve: i64, task: i64) -> Result<ItemDetail, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::stikproeve::item(&ctx()?, &actor, stikproeve, task).await
}

/// Records a check of one item (guarded against a colleague's check in between).
#[server(prefix = "/sf", endpoint = "check_stikproeve_item")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input), err(level = "info")))]
pub async fn check_stikproeve_item(input: CheckInput) -> Result<ItemDetail, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::stikproeve::check(&ctx()?, &actor, &input).await
}
