//! Accounts, sessions and API tokens. Passwords are hashed with argon2 (off the async threads);
//! session and API tokens are random, and only their SHA-256 is stored.

use crate::clock;
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::model::user::{DEMO_PASSWORD, DemoUsers};
use crate::service::login_throttle::Locked;
use crate::state::AppContext;
use crate::store::audit::{AuditAction, AuditEntry};
use crate::store::{Db, is_unique_violation, sessions, tokens, users};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::Instant;

pub const SESSION_COOKIE: &str = "arbejdsbord_session";

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

pub(crate) async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

pub fn to_session_user(row: users::UserRow) -> Option<SessionUser> {
    Some(SessionUser {
        id: row.id,
        username: row.username,
        display_name: row.display_name,
        role: row.role.parse::<Role>().ok()?,
        kommune: row.kommune.and_then(|k| Kommunenr::try_from(k as u16).ok()),
        fagfaellesskab: row.fagfaellesskab,
    })
}

/// Checks the password and opens a session; returns the cookie token and the user.
///
/// Wrong passwords in a row, per username and per client address, make the next attempt wait
/// (`login_throttle`); while it waits even the right password is refused with
/// `TooManyAttempts`. Every refusal and every new lock is written to the audit log.
pub async fn login(
    ctx: &AppContext,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<(String, SessionUser), AppError> {
    login_from(ctx, username, password, client, None).await
}

/// `login`, remembering the browser (`User-Agent`) with the session so its user can tell their
/// sessions apart (`service::sessions`).
pub async fn login_from(
    ctx: &AppContext,
    username: &str,
    password: &str,
    client: Option<IpAddr>,
    user_agent: Option<&str>,
) -> Result<(String, SessionUser), AppError> {
    let username = username.trim();
    let row = {
        let mut conn = ctx.db.read.acquire().await?;
        users::by_username(&mut conn, username).await?
    };
    let kommune = row.as_ref().and_then(|r| r.kommune).and_then(|k| u16::try_from(k).ok());
    let lock_if_wrong = match ctx.login_throttle.attempt(username, client, Instant::now()) {
        Ok(lock) => lock,
        Err(locked) => {
            tracing::warn!(username, ?client, wait = ?locked.wait, "login refused while locked");
            return Err(audit_lock(ctx, username, client, kommune, locked, "forsøg afvist").await);
        }
    };
    // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
    let (hash, row) = match row {
        Some(row) => (row.password_hash.clone(), Some(row)),
        None => (DUMMY_HASH.to_string(), None),
    };
    let ok = verify_password(password.to_string(), hash).await;
    let Some(user) = row.filter(|_| ok).and_then(to_session_user) else {
        tracing::info!(username, "login refused");
        return Err(match lock_if_wrong {
            Some(locked) => audit_lock(ctx, username, client, kommune, locked, "spærret efter forkerte forsøg").await,
            None => AppError::BadCredentials,
        });
    };
    ctx.login_throttle.succeeded(username, client);
    let token = random_token();
    let now = clock::now();
    let expires = now + chrono::Duration::hours(ctx.settings.session_hours.max(1));
    let (hash, user_id, now, until) = (hash_token(&token), user.id, clock::stamp(now), clock::stamp(expires));
    let user_agent: Option<String> = user_agent.map(|a| a.chars().filter(|c| !c.is_control()).take(200).collect());
    let client = client.map(|a| a.to_string());
    ctx.write(move |tx| {
        Box::pin(async move {
            let session = sessions::NewSession {
                token_hash: &hash,
                user_id,
                now: &now,
                expires_at: &until,
                user_agent: user_agent.as_deref(),
                client: client.as_deref(),
            };
            Ok(sessions::insert(tx, &session).await?)
        })
    })
    .await?;
    Ok((token, user))
}

/// Audits a locked login ("login spærret") and returns the error that tells the user when to
/// try again.
async fn audit_lock(
    ctx: &AppContext,
    username: &str,
    client: Option<IpAddr>,
    kommune: Option<u16>,
    locked: Locked,
    what: &str,
) -> AppError {
    let wait_secs = locked.wait.as_millis().div_ceil(1000).max(1) as u64;
    let until = clock::now() + chrono::Duration::seconds(wait_secs as i64);
    let actor = client.map_or_else(|| "anonym".to_string(), |a| format!("anonym@{a}"));
    let entry = AuditEntry {
        actor,
        kommune,
        cpr: None,
        action: AuditAction::LoginLocked,
        detail: format!(
            "Log ind som {username:?}: {what}; {} venter {wait_secs} s, til {}.",
            locked.by.label(),
            clock::display_stamp(&clock::stamp(until))
        ),
    };
    if let Err(e) = ctx.audit(vec![entry]).await {
        return e;
    }
    AppError::TooManyAttempts { wait_secs, until: clock::hh_dot_mm(until) }
}

/// A real hash of a random password, verified against when the username is unknown.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default().hash_password(random_token().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
});

/// The demo users to offer on the login page, with their password (none, and no password,
/// unless demo data is loaded).
pub async fn demo_logins(ctx: &AppContext) -> Result<DemoUsers, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let users = users::demo_logins(&mut conn).await?;
    let password = if users.is_empty() { String::new() } else { DEMO_PASSWORD.to_string() };
    Ok(DemoUsers { users, password })
}

/// The user of a valid session (`store::sessions`): asked on every request, so a removed user,
/// a changed role or an ended session counts at once, on every instance.
pub async fn session_user(ctx: &AppContext, token: &str) -> Result<Option<SessionUser>, AppError> {
    session_user_at(ctx, token, clock::now()).await
}

/// A session is touched at most this often (one write a minute per session, not per request).
pub const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

/// `session_user` as of `now`. When the session's last use is older than `TOUCH_EVERY` the new
/// use is recorded by a write job of its own, spawned so the request does not wait for it.
pub async fn session_user_at(
    ctx: &AppContext,
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<SessionUser>, AppError> {
    let hash = hash_token(token);
    let found = {
        let mut conn = ctx.db.read.acquire().await?;
        sessions::user(&mut conn, &hash, &clock::stamp(now), &idle_cutoff(ctx, now)).await?
    };
    let Some((row, last_seen)) = found else { return Ok(None) };
    let stale_before = clock::stamp(now - TOUCH_EVERY);
    if last_seen < stale_before {
        let (ctx, now) = (ctx.clone(), clock::stamp(now));
        tokio::spawn(async move {
            let touched = ctx
                .write(move |tx| Box::pin(async move { Ok(sessions::touch(tx, &hash, &now, &stale_before).await?) }));
            if let Err(error) = touched.await {
                tracing::warn!(%error, "session use not recorded");
            }
        });
    }
    Ok(to_session_user(row))
}

/// Whether the session is still valid, without recording a use: an open live stream is no
/// use (it must not keep a session alive past its idle timeout), but it ends when the session
/// does (`server::live`).
pub async fn session_still_valid(ctx: &AppContext, token: &str) -> Result<bool, AppError> {
    let now = clock::now();
    let mut conn = ctx.db.read.acquire().await?;
    Ok(sessions::user(&mut conn, &hash_token(token), &clock::stamp(now), &idle_cutoff(ctx, now)).await?.is_some())
}

/// Sessions last used at or before this have ended by the idle timeout.
pub fn idle_cutoff(ctx: &AppContext, now: chrono::DateTime<chrono::Utc>) -> String {
    clock::stamp(now - chrono::Duration::minutes(ctx.limits.session_idle_minutes))
}

pub async fn logout(ctx: &AppContext, token: &str) -> Result<(), AppError> {
    let hash = hash_token(token);
    ctx.write(move |tx| Box::pin(async move { Ok(sessions::delete(tx, &hash).await?) })).await
}

/// What `user add` needs; checked here so the CLI and demo loading share the rules.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub kommune: Option<Kommunenr>,
    pub fagfaellesskab: Option<String>,
    pub is_demo: bool,
}

pub async fn create_user(db: &Db, account: NewAccount) -> Result<i64, AppError> {
    let username = account.username.trim().to_string();
    if username.is_empty() || username.len() > 64 || username.contains(char::is_whitespace) {
        return Err(AppError::field("username", "Brugernavnet skal være 1–64 tegn uden mellemrum."));
    }
    if account.password.chars().count() < 8 {
        return Err(AppError::field("password", "Adgangskoden skal være mindst 8 tegn."));
    }
    if account.role.is_kommune_bound() && account.kommune.is_none() {
        return Err(AppError::field("kommune", format!("Rollen {} kræver --kommune.", account.role)));
    }
    if account.role == Role::Fagfaellesskab && account.fagfaellesskab.as_deref().is_none_or(str::is_empty) {
        return Err(AppError::field("fagfaellesskab", "Rollen fagfaellesskab kræver --fagfaellesskab."));
    }
    // Hashing takes ~100 ms: before the write, never inside it.
    let hash = hash_password(account.password).await?;
    let display_name =
        if account.display_name.trim().is_empty() { username.clone() } else { account.display_name.trim().to_string() };
    db.write(move |tx| {
        Box::pin(async move {
            if let Some(k) = account.kommune {
                crate::store::kommune::ensure(tx, k).await?;
            }
            let new = users::NewUser {
                username: &username,
                display_name: &display_name,
                password_hash: &hash,
                role: account.role.key(),
                kommune: account.kommune.map(Kommunenr::get),
                fagfaellesskab: account.fagfaellesskab.as_deref(),
                is_demo: account.is_demo,
            };
            // The username's UNIQUE constraint is the only one on the table that a new row can break.
            match users::insert(tx, &new).await {
                Err(e) if is_unique_violation(&e) => {
                    Err(AppError::field("username", format!("Brugernavnet {username:?} findes allerede.")))
                }
                other => Ok(other?),
            }
        })
    })
    .await
}

/// Creates an API token for a kommune's integration and returns it (shown once).
pub async fn create_token(db: &Db, kommune: Kommunenr, name: &str) -> Result<String, AppError> {
    let name = name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::field("name", "Giv tokenet et navn, fx \"oekonomisystem\"."));
    }
    let token = format!("ab_{}", random_token());
    let hash = hash_token(&token);
    db.write(move |tx| {
        Box::pin(async move {
            crate::store::kommune::ensure(tx, kommune).await?;
            // UNIQUE (kommune, name); the hash is random and never collides.
            match tokens::insert(tx, kommune.get(), &name, &hash).await {
                Err(e) if is_unique_violation(&e) => Err(AppError::field(
                    "name",
                    format!("Kommune {kommune} har allerede et token med navnet {name:?}."),
                )),
                other => Ok(other?),
            }
        })
    })
    .await?;
    Ok(token)
}

/// The integration a bearer token belongs to.
pub async fn token_actor(ctx: &AppContext, token: &str) -> Result<Option<super::Actor>, AppError> {
    let mut conn = ctx.db.read.acquire().await?;
    let found = tokens::lookup(&mut conn, &hash_token(token)).await?;
    Ok(found.and_then(|(token_id, k, name)| {
        Kommunenr::try_from(k as u16).ok().map(|kommune| super::Actor::Integration { kommune, name, token_id })
    }))
}

/// The session token from the request's cookies.
pub fn session_token(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// Who is calling: an integration by `Authorization: Bearer`, or a user by session cookie.
/// `Ok(None)` when neither is there (or valid).
pub async fn actor_from_headers(ctx: &AppContext, headers: &http::HeaderMap) -> Result<Option<super::Actor>, AppError> {
    let bearer = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let Some(token) = bearer {
        return token_actor(ctx, token).await;
    }
    match session_token(headers) {
        Some(token) => Ok(session_user(ctx, &token).await?.map(super::Actor::User)),
        None => Ok(None),
    }
}

/// The `Set-Cookie` value for a new session (or, with `None`, for logging out).
pub fn session_cookie(token: Option<&str>, secure: bool, hours: i64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(t) => format!("{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", hours * 3600),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}
