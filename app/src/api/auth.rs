//! Logging in and out, and who is logged in.

use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::user::DemoUsers;
use leptos::prelude::*;

/// Checks the password, sets the session cookie and sends the user on: to `next` when it is a
/// path on this site (`domain::safe_next_path`), else to their start page.
/// Works as a plain form post too (no JavaScript needed).
#[server(prefix = "/sf", endpoint = "login")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(password), err(level = "info")))]
pub async fn login(username: String, password: String, next: Option<String>) -> Result<SessionUser, AppError> {
    use super::context::{accepts_html, client_addr, ctx, set_cookie, set_header};
    use crate::domain::next_path::{encode_query_value, safe_next_path};
    let ctx = ctx()?;
    let next = next.as_deref().and_then(safe_next_path).filter(|n| n != "/");
    let user_agent = super::context::header(http::header::USER_AGENT);
    match crate::service::auth::login_from(&ctx, &username, &password, client_addr(), user_agent.as_deref()).await {
        Ok((token, user)) => {
            let target = next.unwrap_or_else(|| crate::model::user::home_of(user.role).to_string());
            set_cookie(&crate::service::auth::session_cookie(
                Some(&token),
                ctx.settings.secure_cookies,
                ctx.settings.session_hours.max(1),
            ));
            leptos_axum::redirect(&target);
            Ok(user)
        }
        Err(e) => {
            if let AppError::TooManyAttempts { wait_secs, .. } = &e {
                set_header(http::header::RETRY_AFTER, &wait_secs.to_string());
            }
            if !accepts_html() {
                return Err(e);
            }
            // A plain form post goes back to the login page, which then says what went wrong.
            let next = encode_query_value(next.as_deref().unwrap_or("/"));
            let fejl = match &e {
                AppError::TooManyAttempts { wait_secs, until } => format!("spaerret&vent={wait_secs}&kl={until}"),
                _ => "1".to_string(),
            };
            leptos_axum::redirect(&format!("/login?fejl={fejl}&next={next}"));
            Err(e)
        }
    }
}

/// Ends the session and returns to the login page.
#[server(prefix = "/sf", endpoint = "logout")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn logout() -> Result<(), AppError> {
    use super::context::{ctx, session_token, set_cookie};
    let ctx = ctx()?;
    if let Some(token) = session_token() {
        crate::service::auth::logout(&ctx, &token).await?;
    }
    set_cookie(&crate::service::auth::session_cookie(None, ctx.settings.secure_cookies, 0));
    leptos_axum::redirect("/login");
    Ok(())
}

/// The logged-in user, or `None`.
#[server(prefix = "/sf", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    super::context::current_user().await
}

/// The demo users and their password, to show on the login page (empty unless demo data is
/// loaded).
#[server(prefix = "/sf", endpoint = "demo_logins")]
pub async fn demo_logins() -> Result<DemoUsers, AppError> {
    crate::service::auth::demo_logins(&super::context::ctx()?).await
}
