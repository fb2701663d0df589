//! Progress against the deadlines.

use crate::error::AppError;
use crate::model::fremdrift::Fremdrift;
use leptos::prelude::*;

/// Burn-down, pace, projection and staffing of a kommune (default: the user's own kommune).
#[server(prefix = "/sf", endpoint = "get_fremdrift")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_fremdrift(kommune: Option<u16>) -> Result<Fremdrift, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::fremdrift::fremdrift(&ctx()?, &actor, k).await
}
