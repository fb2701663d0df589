//! Who calls the REST API and the live streams (a bearer token or a session cookie), and how an
//! error is answered there: `{"error": "...", "field": "..."}` with the error's status.

use crate::state::AppState;
use app::error::AppError;
use app::service::{Actor, auth};
use axum::Json;
use axum::extract::FromRequestParts;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An `AppError` as the API answers it.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status_code();
        let body = match &self.0 {
            AppError::Invalid(errors) => json!({
                "error": errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "),
                "field": errors.first().map(|e| e.field.as_str()),
                "errors": errors,
            }),
            other => json!({ "error": other.to_string(), "field": null }),
        };
        (status, Json(body)).into_response()
    }
}

/// Every 4xx and 5xx body of the API (`ApiError`'s answer).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // describes the JSON `ApiError` writes
pub struct ApiErrorBody {
    /// What is wrong, in Danish, for a person to read.
    error: String,
    /// The field (body field or query parameter) at fault; null when it is not one field's.
    #[schema(required = true)]
    field: Option<String>,
    /// Every field at fault, when there are several.
    errors: Option<Vec<FieldErrorBody>>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FieldErrorBody {
    field: String,
    message: String,
}

/// `axum::extract::Path` answering a path it cannot read as the API answers: 404 with
/// `{"error","field"}` (no such resource), not axum's plain text.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        ApiError(AppError::NotFound(format!("Stien ({})", e.body_text())))
    }
}

/// `axum::extract::Query` answering a query it cannot read with 422 `{"error","field":"query"}`.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        ApiError(AppError::field("query", e.body_text()))
    }
}

/// The caller, required: 401 without valid credentials.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match auth::actor_from_headers(&state.ctx, &parts.headers).await? {
            Some(actor) => Ok(ApiActor(actor)),
            None => Err(ApiError(AppError::Unauthenticated)),
        }
    }
}
