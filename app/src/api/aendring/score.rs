//! The scoring matrix and one score.

use crate::error::AppError;
use crate::model::aendring::{Cell, Matrix};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

/// One score (1–5) on one criterion; the cell's new mean and spread come back.
#[server(prefix = "/sf", endpoint = "score_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn score_aendring(id: i64, criterion: String, score: u8) -> Result<Cell, AppError> {
    crate::service::aendring::score::score(&ctx()?, &user().await?, id, &criterion, score).await
}

#[server(prefix = "/sf", endpoint = "get_matrix")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_matrix() -> Result<Matrix, AppError> {
    crate::service::aendring::view::matrix(&ctx()?, &user().await?).await
}
