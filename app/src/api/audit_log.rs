//! The kommune's audit log: search (projektleder, databeskyttelse). The CSV export is
//! `GET /api/v1/kommuner/{nr}/revisionslog?format=csv` (server, `api_audit.rs`).

use crate::error::AppError;
use crate::model::audit_log::{AuditLogPage, AuditQuery};
use leptos::prelude::*;

/// A page of the caller's kommune's audit log matching `query` (the search is audited).
#[server(prefix = "/sf", endpoint = "search_audit_log")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn search_audit_log(query: AuditQuery) -> Result<AuditLogPage, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::audit_log::search(&ctx()?, &actor, &query).await
}
