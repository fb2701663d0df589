//! The HTTP status of a failed server function comes from its error (`AppError::status_code`):
//! server_fn answers every error with 500 and the error serialised in the body, so this one
//! layer reads that body back and sets 400, 401, 403, 404, 409 or 422 — instead of a wrapper in
//! every server function. Only `/sf/` calls are touched; a page rendered on the server decides
//! itself what an error means (a login redirect, a message).

use app::error::AppError;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// Errors are small JSON objects; a larger body is not one of ours and is passed on untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_error(req: Request<Body>, next: Next) -> Response {
    if !req.uri().path().starts_with("/sf/") {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        tracing::error!(%path, "server function error body unreadable");
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
        if parts.status.is_server_error() {
            tracing::error!(%path, %error, "server function failed");
        } else {
            tracing::info!(%path, %error, status = parts.status.as_u16(), "server function refused");
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
