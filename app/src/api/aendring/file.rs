//! Filing an ændringsønske, and the duplicate check while typing.

use crate::domain::aendring::AendringDraft;
use crate::error::AppError;
use crate::model::aendring::SimilarAendring;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

/// Files the ændringsønske from the template; every field but the SagsID is required.
#[server(prefix = "/sf", endpoint = "file_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(draft), err(level = "info")))]
pub async fn file_aendring(draft: AendringDraft) -> Result<i64, AppError> {
    crate::service::aendring::file::file_aendring(&ctx()?, &user().await?, &draft).await
}

/// Ændringsønsker like the text being typed (duplicate check).
#[server(prefix = "/sf", endpoint = "similar_aendringer")]
pub async fn similar_aendringer(text: String) -> Result<Vec<SimilarAendring>, AppError> {
    crate::service::aendring::file::similar(&ctx()?, Some(&user().await?), &text).await
}
