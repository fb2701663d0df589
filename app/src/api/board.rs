//! The opgavepakke board.

use crate::error::AppError;
use crate::model::Board;
use leptos::prelude::*;

/// Counts and deadlines of a kommune's opgavepakker (default: the user's own kommune).
#[server(prefix = "/sf", endpoint = "get_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_board(kommune: Option<u16>) -> Result<Board, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::board::board(&ctx()?, &actor, k).await
}

/// The kommuner with MI 38 data (for KOMBIT's kommune picker).
#[server(prefix = "/sf", endpoint = "list_kommuner")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_kommuner() -> Result<Vec<(u16, String)>, AppError> {
    use super::context::{ctx, user};
    crate::service::board::kommuner(&ctx()?, &user().await?).await
}
