//! Filing a request, and the duplicate check while typing.

use crate::domain::aendring::RequestDraft;
use crate::error::AppError;
use crate::model::aendring::SimilarRequest;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

/// Files the request from the template; every field but the SagsID is required.
#[server(prefix = "/sf", endpoint = "file_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(draft), err(level = "info")))]
pub async fn file_request(draft: RequestDraft) -> Result<i64, AppError> {
    crate::service::aendring::file::file_request(&ctx()?, &user().await?, &draft).await
}

/// Requests like the text being typed (duplicate check).
#[server(prefix = "/sf", endpoint = "similar_requests")]
pub async fn similar_requests(text: String) -> Result<Vec<SimilarRequest>, AppError> {
    crate::service::aendring::file::similar(&ctx()?, Some(&user().await?), &text).await
}
