//! Lists of ændringsønsker, the counts per status, the viewer's worklists, one ændringsønske's page.

use crate::domain::aendring::Status;
use crate::error::AppError;
use crate::model::aendring::{AendringDetail, AendringList, WorklistCount};
use leptos::prelude::*;

pub use crate::model::aendring::AendringQuery;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, current_user, user};

#[server(prefix = "/sf", endpoint = "list_aendringer")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_aendringer(query: AendringQuery) -> Result<AendringList, AppError> {
    crate::service::aendring::view::list(&ctx()?, &user().await?, &query).await
}

/// Counts of ændringsønsker per status (KOMBIT's queues).
#[server(prefix = "/sf", endpoint = "aendring_counts")]
pub async fn aendring_counts() -> Result<Vec<(Status, i64)>, AppError> {
    crate::service::aendring::view::status_counts(&ctx()?, &user().await?).await
}

/// What waits for the viewer, counted (the start page).
#[server(prefix = "/sf", endpoint = "aendring_worklists")]
pub async fn aendring_worklists() -> Result<Vec<WorklistCount>, AppError> {
    crate::service::aendring::view::worklists(&ctx()?, &user().await?).await
}

#[server(prefix = "/sf", endpoint = "get_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_aendring(id: i64) -> Result<AendringDetail, AppError> {
    crate::service::aendring::view::detail(&ctx()?, current_user().await?.as_ref(), id).await
}
