//! Who calls the REST API and the live streams (a bearer token or a session cookie), and how an
//! error is answered there: `{"error": "...", "field": "..."}` with the error's status.

use crate::state::AppState;
use app::error::AppError;
use app::service::{Actor, auth};
use axum::Json;
use axum::extract::FromRequestParts;
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
