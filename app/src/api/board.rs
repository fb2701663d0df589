//! The opgavepakke board.

use crate::error::AppError;
use crate::model::Board;
use leptos::prelude::*;

/// Counts and deadlines of a kommune's opgavepakker (default: the user's own kommune).
#[server(prefix = "/sf", endpoint = "get_board")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn get_board(kommune: Option<u16>) -> Result<Board, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::board::board(&ctx()?, &actor, k).await
}

/// The kommuner with MI 38 data (for KOMBIT's kommune picker).
#[server(prefix = "/sf", endpoint = "list_kommuner")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn list_kommuner() -> Result<Vec<(u16, String)>, AppError> {
    use super::context::{ctx, user};
    let user = user().await?;
    let mut conn = ctx()?.db.read.acquire().await?;
    let rows = crate::store::kommune::list(&mut conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| crate::domain::Kommunenr::try_from(r.nr as u16).ok())
        .filter(|k| user.may_see_kommune(*k))
        .map(|k| (k.get(), k.navn().to_string()))
        .collect())
}
