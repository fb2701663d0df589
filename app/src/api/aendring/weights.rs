//! The criteria's weights: draft, adoption, and the ranking each version produced.

use crate::domain::aendring::Weights;
use crate::error::AppError;
use crate::model::aendring::WeightsView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

#[server(prefix = "/sf", endpoint = "get_weights")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_weights() -> Result<WeightsView, AppError> {
    crate::service::aendring::weights::view(&ctx()?, &user().await?).await
}

#[server(prefix = "/sf", endpoint = "save_weights_draft")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn save_weights_draft(weights: Weights) -> Result<(), AppError> {
    crate::service::aendring::weights::save_draft(&ctx()?, &user().await?, &weights).await
}

/// Adopts the weights as a new version (the styregruppe).
#[server(prefix = "/sf", endpoint = "adopt_weights")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn adopt_weights(weights: Weights, note: String) -> Result<i64, AppError> {
    crate::service::aendring::weights::adopt(&ctx()?, &user().await?, &weights, &note).await
}

/// The ranking a weight-set version produced: (id, key, titel, rank, score).
#[server(prefix = "/sf", endpoint = "get_ranking")]
pub async fn get_ranking(version: i64) -> Result<Vec<(i64, String, String, i64, f64)>, AppError> {
    user().await?;
    crate::service::aendring::weights::ranking(&ctx()?, version).await
}
