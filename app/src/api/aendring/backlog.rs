//! The published backlog.

use crate::error::AppError;
use crate::model::aendring::Backlog;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::ctx;

/// The published backlog (no login needed).
#[server(prefix = "/sf", endpoint = "get_backlog")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_backlog(search: Option<String>) -> Result<Backlog, AppError> {
    crate::service::aendring::backlog::backlog(&ctx()?, search.as_deref()).await
}
