//! The caller's own sessions and password (every role; only ever their own).

use crate::error::AppError;
use crate::model::session::MySessions;
use leptos::prelude::*;

/// The caller's valid sessions, this one marked.
#[server(prefix = "/sf", endpoint = "get_my_sessions")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_my_sessions() -> Result<MySessions, AppError> {
    use super::context::{ctx, session_token, user};
    let user = user().await?;
    let token = session_token().ok_or(AppError::Unauthenticated)?;
    crate::service::sessions::my_sessions(&ctx()?, &user, &token).await
}

/// Ends one of the caller's sessions (`id` as listed).
#[server(prefix = "/sf", endpoint = "end_session")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(id), err(level = "info")))]
pub async fn end_session(id: String) -> Result<(), AppError> {
    use super::context::{ctx, user};
    let user = user().await?;
    crate::service::sessions::end_session(&ctx()?, &user, id).await
}

/// Ends every session of the caller but this one; returns how many.
#[server(prefix = "/sf", endpoint = "end_other_sessions")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn end_other_sessions() -> Result<u64, AppError> {
    use super::context::{ctx, session_token, user};
    let user = user().await?;
    let token = session_token().ok_or(AppError::Unauthenticated)?;
    crate::service::sessions::end_other_sessions(&ctx()?, &user, &token).await
}

/// The caller changes their password; their other sessions end. Returns how many ended.
#[server(prefix = "/sf", endpoint = "change_password")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(old, new), err(level = "info")))]
pub async fn change_password(old: String, new: String) -> Result<u64, AppError> {
    use super::context::{ctx, session_token, user};
    let user = user().await?;
    let token = session_token().ok_or(AppError::Unauthenticated)?;
    crate::service::sessions::change_password(&ctx()?, &user, &token, old, new).await
}
