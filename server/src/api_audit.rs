//! `GET /api/v1/kommuner/{nr}/revisionslog?format=csv&cpr=…&bruger=…&fra=…&til=…&handling=…`:
//! the kommune's audit log as CSV for its project lead and data-protection officer (the
//! search page's "Hent som CSV"). Refusals and the export itself are audited by the service.

use crate::caller::{ApiActor, ApiError, ApiErrorBody, ApiPath, ApiQuery};
use crate::state::AppState;
use app::error::AppError;
use app::model::audit_log::AuditQuery;
use app::service::audit_log;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/kommuner/{nr}/revisionslog", get(get_revisionslog))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct Params {
    format: Option<String>,
    #[serde(flatten)]
    query: AuditQuery,
}

/// The audit log's search as `?` parameters (the page's fields); each empty = all.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // `Params` reads them; described here
pub struct RevisionslogParams {
    /// `csv`, the only format.
    #[param(pattern = "^csv$")]
    format: Option<String>,
    /// Whose data was read or changed.
    cpr: Option<String>,
    /// Who did it (username).
    bruger: Option<String>,
    /// "YYYY-MM-DD" or "25.01.2027", from and including.
    fra: Option<String>,
    /// To and including.
    til: Option<String>,
    /// The kind of act.
    handling: Option<String>,
}

/// The kommune's audit log as CSV, for its project lead and data-protection officer; the
/// export is itself audited.
#[utoipa::path(
    get,
    path = "/api/v1/kommuner/{nr}/revisionslog",
    tag = "Drift",
    params(crate::api_v1::KommunePath, RevisionslogParams),
    responses(
        (status = 200, description = "The entries as CSV (`;`, a byte-order mark)", body = String, content_type = "text/csv"),
        (status = 401, description = "No valid token or session", body = ApiErrorBody),
        (status = 403, description = "Another kommune's, or not its project lead or data-protection role", body = ApiErrorBody),
        (status = 404, description = "No such kommune", body = ApiErrorBody),
        (status = 422, description = "Another format, or a search field that cannot be read", body = ApiErrorBody),
    )
)]
pub(crate) async fn get_revisionslog(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(crate::api_v1::KommunePath { nr }): ApiPath<crate::api_v1::KommunePath>,
    ApiQuery(p): ApiQuery<Params>,
) -> Result<Response, ApiError> {
    let k = crate::api_v1::kommune(&nr)?;
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
