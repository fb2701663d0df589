//! What a server function needs from the request: the app context and the caller. (The HTTP
//! status of an error is set from `AppError::status_code` by the server's `sf_status` layer.)

use crate::error::AppError;
use crate::model::SessionUser;
use crate::service::{Actor, auth};
use crate::state::AppContext;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub fn ctx() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(|| {
        tracing::error!("AppContext missing from the Leptos context");
        AppError::Internal
    })
}

fn headers() -> http::HeaderMap {
    use_context::<http::request::Parts>().map(|p| p.headers).unwrap_or_default()
}

/// The logged-in user, if any.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let ctx = ctx()?;
    match auth::session_token(&headers()) {
        Some(token) => auth::session_user(&ctx, &token).await,
        None => Ok(None),
    }
}

/// The logged-in user, or `Unauthenticated`.
pub async fn user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthenticated)
}

pub async fn actor() -> Result<Actor, AppError> {
    Ok(Actor::User(user().await?))
}

/// A request header as text (`None` when missing or not visible ASCII).
pub fn header(name: http::HeaderName) -> Option<String> {
    headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

pub fn session_token() -> Option<String> {
    auth::session_token(&headers())
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(value)) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

pub fn set_header(name: http::HeaderName, value: &str) {
    if let (Some(res), Ok(v)) = (use_context::<ResponseOptions>(), http::HeaderValue::from_str(value)) {
        res.insert_header(name, v);
    }
}

/// The caller's address, as the server determined it (see `ClientAddr`).
pub fn client_addr() -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::service::login_throttle::ClientAddr>().copied())
        .map(|a| a.0)
}

/// Whether the request is a plain HTML form post (no JavaScript), which expects a redirect.
pub fn accepts_html() -> bool {
    headers().get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}
