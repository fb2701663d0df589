//! Ændringsønsker: filing, the flow, scoring, weights, the backlog, notices, the clean-up.

use crate::domain::aendring::{AppealDraft, RequestDraft, Status, Weights};
use crate::error::AppError;
use crate::model::aendring::{Backlog, Cell, Matrix, RequestDetail, RequestList, SimilarRequest, WeightsView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{ctx, current_user, user};

pub use crate::model::aendring::AendringEvent;

/// Which list (see `service::aendring::view::ListQuery`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestQuery {
    pub status: String,
    pub legacy: Option<bool>,
    pub oeir: Option<bool>,
    pub theme: String,
    pub page: i64,
}

#[server(prefix = "/sf", endpoint = "list_requests")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn list_requests(query: RequestQuery) -> Result<RequestList, AppError> {
    use crate::service::aendring::view;
    let q = view::ListQuery {
        status: query.status,
        legacy: query.legacy,
        oeir: query.oeir,
        theme: query.theme,
        page: query.page,
    };
    view::list(&ctx()?, &user().await?, &q).await
}

/// Counts of requests per status (KOMBIT's queues).
#[server(prefix = "/sf", endpoint = "request_counts")]
pub async fn request_counts() -> Result<Vec<(Status, i64)>, AppError> {
    let u = user().await?;
    let mut conn = ctx()?.db.read.acquire().await?;
    let kommune = u.role.is_kommune_bound().then_some(u.kommune).flatten().map(|k| k.get());
    let rows = crate::store::aendring::requests::status_counts(&mut conn, kommune).await?;
    Ok(rows.into_iter().filter_map(|(s, n)| Status::parse(&s).map(|s| (s, n))).collect())
}

#[server(prefix = "/sf", endpoint = "get_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn get_request(id: i64) -> Result<RequestDetail, AppError> {
    crate::service::aendring::view::detail(&ctx()?, current_user().await?.as_ref(), id).await
}

/// Files the request from the template; every field but the SagsID is required.
#[server(prefix = "/sf", endpoint = "file_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(draft), err))]
pub async fn file_request(draft: RequestDraft) -> Result<i64, AppError> {
    crate::service::aendring::file::file_request(&ctx()?, &user().await?, &draft).await
}

/// Requests like the text being typed (duplicate check).
#[server(prefix = "/sf", endpoint = "similar_requests")]
pub async fn similar_requests(text: String) -> Result<Vec<SimilarRequest>, AppError> {
    crate::service::aendring::file::similar(&ctx()?, Some(&user().await?), &text).await
}

pub use crate::model::aendring::Decision;

/// Takes an action of the flow (the server checks role and status).
#[server(prefix = "/sf", endpoint = "act_on_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn act_on_request(id: i64, decision: Decision) -> Result<Status, AppError> {
    crate::service::aendring::act::act(&ctx()?, &user().await?, id, &decision).await
}

#[server(prefix = "/sf", endpoint = "appeal_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn appeal_request(id: i64, appeal: AppealDraft) -> Result<(), AppError> {
    crate::service::aendring::act::appeal(&ctx()?, &user().await?, id, &appeal).await
}

#[server(prefix = "/sf", endpoint = "estimate_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn estimate_request(id: i64, hours: i64, note: String) -> Result<(), AppError> {
    crate::service::aendring::act::estimate(&ctx()?, &user().await?, id, hours, &note).await
}

/// One score (1–5) on one criterion; the cell's new mean and spread come back.
#[server(prefix = "/sf", endpoint = "score_request")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn score_request(id: i64, criterion: String, score: u8) -> Result<Cell, AppError> {
    crate::service::aendring::score::score(&ctx()?, &user().await?, id, &criterion, score).await
}

#[server(prefix = "/sf", endpoint = "get_matrix")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn get_matrix() -> Result<Matrix, AppError> {
    crate::service::aendring::view::matrix(&ctx()?, &user().await?).await
}

/// The published backlog (no login needed).
#[server(prefix = "/sf", endpoint = "get_backlog")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn get_backlog(search: Option<String>) -> Result<Backlog, AppError> {
    crate::service::aendring::backlog::backlog(&ctx()?, search.as_deref()).await
}

#[server(prefix = "/sf", endpoint = "get_weights")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn get_weights() -> Result<WeightsView, AppError> {
    crate::service::aendring::weights::view(&ctx()?, &user().await?).await
}

#[server(prefix = "/sf", endpoint = "save_weights_draft")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn save_weights_draft(weights: Weights) -> Result<(), AppError> {
    crate::service::aendring::weights::save_draft(&ctx()?, &user().await?, &weights).await
}

/// Adopts the weights as a new version (the styregruppe).
#[server(prefix = "/sf", endpoint = "adopt_weights")]
#[cfg_attr(feature = "ssr", tracing::instrument(err))]
pub async fn adopt_weights(weights: Weights, note: String) -> Result<i64, AppError> {
    crate::service::aendring::weights::adopt(&ctx()?, &user().await?, &weights, &note).await
}

/// The ranking a weight-set version produced: (id, key, titel, rank, score).
#[server(prefix = "/sf", endpoint = "get_ranking")]
pub async fn get_ranking(version: i64) -> Result<Vec<(i64, String, String, i64, f64)>, AppError> {
    user().await?;
    crate::service::aendring::weights::ranking(&ctx()?, version).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub aendring_id: Option<i64>,
    pub at: String,
    pub subject: String,
    pub body: String,
    pub unread: bool,
}

#[server(prefix = "/sf", endpoint = "get_notices")]
pub async fn get_notices() -> Result<Vec<NoticeView>, AppError> {
    let u = user().await?;
    let mut conn = ctx()?.db.read.acquire().await?;
    let rows = crate::store::aendring::notices::for_user(&mut conn, u.id, 100).await?;
    Ok(rows
        .into_iter()
        .map(|n| NoticeView {
            id: n.id,
            aendring_id: n.aendring_id,
            at: crate::clock::display_stamp(&n.at),
            subject: n.subject,
            body: n.body,
            unread: n.read_at.is_none(),
        })
        .collect())
}

#[server(prefix = "/sf", endpoint = "mark_notices_read")]
pub async fn mark_notices_read() -> Result<(), AppError> {
    let u = user().await?;
    crate::service::aendring::notices_read(&ctx()?, &u).await
}

#[server(prefix = "/sf", endpoint = "cleanup_themes")]
pub async fn cleanup_themes() -> Result<Vec<(String, i64)>, AppError> {
    crate::service::aendring::require_role(&user().await?, &[crate::domain::Role::Kombit])?;
    let mut conn = ctx()?.db.read.acquire().await?;
    Ok(crate::store::aendring::requests::open_legacy_themes(&mut conn).await?)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkInput {
    pub themes: Vec<String>,
    /// Keys to keep, one per line or comma-separated.
    pub keep: String,
    pub answer: String,
}

pub use crate::model::aendring::BulkPreview;

/// The legacy clean-up's bulk rejection: `run = false` is the dry run.
#[server(prefix = "/sf", endpoint = "bulk_reject")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input), err))]
pub async fn bulk_reject(input: BulkInput, run: bool) -> Result<BulkPreview, AppError> {
    use crate::service::aendring::cleanup::{self, BulkRejection};
    let b = BulkRejection {
        themes: input.themes,
        keep: input.keep.split([',', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
        answer: input.answer,
    };
    let u = user().await?;
    if run { cleanup::reject(&ctx()?, &u, &b).await } else { cleanup::preview(&ctx()?, &u, &b).await }
}

/// Tags requests (keys) with a theme; the ØIR theme moves them to the ØIR list.
#[server(prefix = "/sf", endpoint = "tag_theme")]
pub async fn tag_theme(keys: String, theme: String) -> Result<u64, AppError> {
    let keys: Vec<String> =
        keys.split([',', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    crate::service::aendring::cleanup::tag(&ctx()?, &user().await?, &keys, &theme).await
}

pub use crate::model::aendring::PoolImportReport;

/// The largest pool file accepted (the 2,700-request demo pool is about 2 MB).
pub const MAX_POOL_FILE_BYTES: usize = 50 * 1024 * 1024;

/// KOMBIT uploads the legacy pool (CSV, the columns of `pool_import::COLUMNS`): all or nothing;
/// the report lists every error by line and column.
#[server(prefix = "/sf", endpoint = "import_pool_csv", input = server_fn::codec::MultipartFormData)]
pub async fn import_pool_csv(data: server_fn::codec::MultipartData) -> Result<PoolImportReport, AppError> {
    let u = user().await?;
    // The service checks again; this refuses others before their upload is read.
    crate::service::aendring::require_role(&u, &[crate::domain::Role::Kombit])?;
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
