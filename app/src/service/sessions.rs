//! A user's own sessions: the list, ending one or all the others, and changing their password
//! (which ends the others too). Only ever the caller's own sessions.

use crate::clock;
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::session::{MySessions, SessionInfo};
use crate::service::accounts::check_password;
use crate::service::auth::{self, hash_password, hash_token, verify_password};
use crate::state::AppContext;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{sessions, users};

/// The caller's valid sessions; `current_token` is the cookie of the request.
pub async fn my_sessions(ctx: &AppContext, user: &SessionUser, current_token: &str) -> Result<MySessions, AppError> {
    let now = clock::now();
    let rows = {
        let mut conn = ctx.db.read.acquire().await?;
        sessions::of_user(&mut conn, user.id, &clock::stamp(now), &auth::idle_cutoff(ctx, now)).await?
    };
    let current = hash_token(current_token);
    let idle = chrono::Duration::minutes(ctx.limits.session_idle_minutes);
    let sessions = rows
        .into_iter()
        .map(|r| {
            let idle_end = clock::parse_stamp(&r.last_seen_at).map(|t| clock::stamp(t + idle)).unwrap_or_default();
            let ends = if idle_end.is_empty() || r.expires_at < idle_end { r.expires_at.clone() } else { idle_end };
            SessionInfo {
                current: r.token_hash == current,
                id: r.token_hash,
                browser: browser_label(r.user_agent.as_deref().unwrap_or("")),
                client: r.client.unwrap_or_default(),
                opened: clock::display_stamp(&r.created_at),
                last_used: clock::display_stamp(&r.last_seen_at),
                ends: clock::display_stamp(&ends),
            }
        })
        .collect();
    Ok(MySessions { sessions, idle_minutes: ctx.limits.session_idle_minutes, max_hours: ctx.settings.session_hours })
}

/// Ends one of the caller's own sessions (`id` as listed); another user's is `NotFound`.
pub async fn end_session(ctx: &AppContext, user: &SessionUser, id: String) -> Result<(), AppError> {
    let (user_id, by) = (user.id, user.username.clone());
    ctx.write(move |tx| {
        Box::pin(async move {
            if !sessions::delete_of_user(tx, user_id, &id).await? {
                return Err(AppError::NotFound("Sessionen".to_string()));
            }
            audit::record(tx, &ended(&by, "En af egne sessioner afsluttet.".to_string())).await?;
            Ok(())
        })
    })
    .await
}

/// Ends every session of the caller but the one making the request; returns how many.
pub async fn end_other_sessions(ctx: &AppContext, user: &SessionUser, current_token: &str) -> Result<u64, AppError> {
    let (user_id, by, keep) = (user.id, user.username.clone(), hash_token(current_token));
    ctx.write(move |tx| {
        Box::pin(async move {
            let n = sessions::delete_all_of_user(tx, user_id, Some(&keep)).await?;
            audit::record(tx, &ended(&by, format!("Egne andre sessioner afsluttet: {n}."))).await?;
            Ok(n)
        })
    })
    .await
}

/// The caller changes their password: the current one must be right; every other session of
/// theirs ends (this one goes on). Returns how many ended.
pub async fn change_password(
    ctx: &AppContext,
    user: &SessionUser,
    current_token: &str,
    old: String,
    new: String,
) -> Result<u64, AppError> {
    check_password(&new)?;
    let row = {
        let mut conn = ctx.db.read.acquire().await?;
        users::by_username(&mut conn, &user.username).await?
    };
    let Some(row) = row else { return Err(AppError::Unauthenticated) };
    if !verify_password(old, row.password_hash).await {
        return Err(AppError::field("old", "Den nuværende adgangskode er forkert."));
    }
    let hash = hash_password(new).await?;
    let (user_id, username, keep) = (user.id, user.username.clone(), hash_token(current_token));
    let kommune = user.kommune.map(crate::domain::Kommunenr::get);
    ctx.write(move |tx| {
        Box::pin(async move {
            users::set_password(tx, &username, &hash).await?.ok_or(AppError::Unauthenticated)?;
            let n = sessions::delete_all_of_user(tx, user_id, Some(&keep)).await?;
            let entry = AuditEntry {
                actor: username.clone(),
                kommune,
                cpr: None,
                action: AuditAction::PasswordChanged,
                detail: format!("Egen adgangskode ændret; {n} andre sessioner afsluttet."),
            };
            audit::record(tx, &entry).await?;
            Ok(n)
        })
    })
    .await
}

fn ended(by: &str, detail: String) -> AuditEntry {
    AuditEntry { actor: by.to_string(), kommune: None, cpr: None, action: AuditAction::SessionsEnded, detail }
}

/// "Firefox på Windows" from a User-Agent; "Ukendt browser" when it says nothing we know.
pub fn browser_label(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.is_empty() {
        return "Ukendt browser".to_string();
    } else {
        "Anden browser"
    };
    let system = if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        return browser.to_string();
    };
    format!("{browser} på {system}")
}

#[cfg(test)]
mod tests {
    use super::browser_label;

    #[test]
    fn a_user_agent_becomes_a_browser_and_a_system() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox på Windows"),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
                "Edge på Windows",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
                "Safari på iOS",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                "Chrome på Linux",
            ),
            ("curl/8.5.0", "Anden browser"),
            ("", "Ukendt browser"),
        ];
        for (ua, want) in cases {
            assert_eq!(browser_label(ua), want, "{ua}");
        }
    }
}
