//! The legacy pool's clean-up: themes, bulk rejection, tagging, the pool upload.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

#[server(prefix = "/sf", endpoint = "cleanup_themes")]
pub async fn cleanup_themes() -> Result<Vec<(String, i64)>, AppError> {
    crate::service::aendring::cleanup::themes(&ctx()?, &user().await?).await
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkInput {
    pub themes: Vec<String>,
    /// Keys to keep, one per line or comma-separated.
    pub keep: String,
    pub answer: String,
    /// The number of ændringsønsker the dry run showed (the run confirms it).
    pub expected: Option<usize>,
}

pub use crate::model::aendring::BulkPreview;

/// The legacy clean-up's bulk rejection: `run = false` is the dry run.
#[server(prefix = "/sf", endpoint = "bulk_reject")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input), err(level = "info")))]
pub async fn bulk_reject(input: BulkInput, run: bool) -> Result<BulkPreview, AppError> {
    use crate::service::aendring::cleanup::{self, BulkRejection};
    let b = BulkRejection {
        themes: input.themes,
        keep: crate::domain::aendring::cleanup::parse_keys(&input.keep),
        answer: input.answer,
        expected: input.expected,
    };
    let u = user().await?;
    if run { cleanup::reject(&ctx()?, &u, &b).await } else { cleanup::preview(&ctx()?, &u, &b).await }
}

/// Tags ændringsønsker (keys) with a theme; the ØIR theme moves them to the ØIR list.
#[server(prefix = "/sf", endpoint = "tag_theme")]
pub async fn tag_theme(keys: String, theme: String) -> Result<u64, AppError> {
    let keys = crate::domain::aendring::cleanup::parse_keys(&keys);
    crate::service::aendring::cleanup::tag(&ctx()?, &user().await?, &keys, &theme).await
}

pub use crate::model::aendring::PoolImportReport;

/// The largest pool file accepted (the 2,700-ændringsønske demo pool is about 2 MB).
pub const MAX_POOL_FILE_BYTES: usize = 50 * 1024 * 1024;

/// KOMBIT uploads the legacy pool (CSV, the columns of `pool_import::COLUMNS`): all or nothing;
/// the report lists every error by line and column.
#[server(prefix = "/sf", endpoint = "import_pool_csv", input = server_fn::codec::MultipartFormData)]
pub async fn import_pool_csv(data: server_fn::codec::MultipartData) -> Result<PoolImportReport, AppError> {
    let u = user().await?;
    // The service checks again; this refuses others before their upload is read.
    crate::service::aendring::require_role(&ctx()?, &u, &[crate::domain::Role::Kombit], "puljeimport").await?;
    let mut form = data.into_inner().ok_or(AppError::Internal)?;
    fn unreadable(e: impl std::fmt::Display) -> AppError {
        AppError::field("fil", format!("Filen kunne ikke læses: {e}"))
    }
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        if field.name() != Some("fil") {
            continue;
        }
        let name = field.file_name().unwrap_or("puljen.csv").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_POOL_FILE_BYTES {
                return Err(AppError::field("fil", "Filen er større end 50 MB."));
            }
        }
        if bytes.is_empty() {
            return Err(AppError::field("fil", "Filen er tom."));
        }
        return crate::service::aendring::pool_import::import_pool_as(&ctx()?, &u, &name, &bytes).await;
    }
    Err(AppError::field("fil", "Vælg en CSV-fil."))
}
