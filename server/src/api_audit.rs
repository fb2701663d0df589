//! `GET /api/v1/kommuner/{nr}/revisionslog?format=csv&cpr=…&bruger=…&fra=…&til=…&handling=…`:
//! the kommune's audit log as CSV for its project lead and data-protection officer (the
//! search page's "Hent som CSV"). Refusals and the export itself are audited by the service.

use crate::caller::{ApiActor, ApiError};
use crate::state::AppState;
use app::domain::Kommunenr;
use app::error::AppError;
use app::model::audit_log::AuditQuery;
use app::service::audit_log;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/kommuner/{nr}/revisionslog", get(get_revisionslog))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Params {
    format: Option<String>,
    #[serde(flatten)]
    query: AuditQuery,
}

async fn get_revisionslog(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, ApiError> {
    let k = Kommunenr::parse(&nr).map_err(|e| ApiError(AppError::NotFound(format!("Kommune {nr:?} ({e})"))))?;
    if !matches!(p.format.as_deref(), None | Some("csv")) {
        return Err(ApiError(AppError::field("format", "Revisionsloggen hentes som csv.")));
    }
    let body = audit_log::export_csv(&state.ctx, &actor, k, &p.query).await?;
    let name = format!("revisionslog-{k}-{}.csv", app::clock::today().format("%Y-%m-%d"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response())
}
