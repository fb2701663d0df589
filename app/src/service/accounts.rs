//! What an administrator does to an account (the CLI's `user remove|set-role|set-password`):
//! each change ends every session of the user in the same write job, and is audited there. The
//! session check reads the user on every request (`auth::session_user`), so a removed user or
//! a changed role counts on the very next request, on every instance.

use crate::clock;
use crate::domain::{Kommunenr, Role};
use crate::error::AppError;
use crate::service::auth::hash_password;
use crate::store::audit::{self, AuditAction, AuditEntry};
use crate::store::{Db, sessions, users};

fn unknown(username: &str) -> AppError {
    AppError::field("username", format!("Der er ingen aktiv bruger {username:?}."))
}

fn entry(by: &str, kommune: Option<i64>, action: AuditAction, detail: String) -> AuditEntry {
    AuditEntry {
        actor: by.to_string(),
        kommune: kommune.and_then(|k| u16::try_from(k).ok()),
        cpr: None,
        action,
        detail,
    }
}

/// Removes a user: they can no longer log in and every session of theirs ends at once. The row
/// stays (history and audit name the user). Returns how many sessions were ended.
pub async fn remove_user(db: &Db, by: &str, username: &str) -> Result<u64, AppError> {
    let (by, username) = (by.to_string(), username.trim().to_string());
    db.write(move |tx| {
        Box::pin(async move {
            let Some(before) = users::by_username(tx, &username).await? else { return Err(unknown(&username)) };
            users::remove(tx, &username, &clock::stamp(clock::now())).await?.ok_or_else(|| unknown(&username))?;
            let ended = sessions::delete_all_of_user(tx, before.id, None).await?;
            let detail = format!("Bruger {username:?} ({}) fjernet; {ended} sessioner afsluttet.", before.role);
            audit::record(tx, &entry(&by, before.kommune, AuditAction::UserRemoved, detail)).await?;
            Ok(ended)
        })
    })
    .await
}

/// The role (with its kommune or fagfællesskab) an administrator gives a user.
#[derive(Clone, Debug)]
pub struct RoleChange {
    pub role: Role,
    pub kommune: Option<Kommunenr>,
    pub fagfaellesskab: Option<String>,
}

/// Gives a user another role; every session of theirs ends (they log in again under the new
/// role). Returns how many sessions were ended.
pub async fn set_role(db: &Db, by: &str, username: &str, change: RoleChange) -> Result<u64, AppError> {
    if change.role.is_kommune_bound() && change.kommune.is_none() {
        return Err(AppError::field("kommune", format!("Rollen {} kræver --kommune.", change.role)));
    }
    let fagfaellesskab = change.fagfaellesskab.filter(|f| !f.trim().is_empty());
    if change.role == Role::Fagfaellesskab && fagfaellesskab.is_none() {
        return Err(AppError::field("fagfaellesskab", "Rollen fagfaellesskab kræver --fagfaellesskab."));
    }
    let (by, username) = (by.to_string(), username.trim().to_string());
    db.write(move |tx| {
        Box::pin(async move {
            let Some(before) = users::by_username(tx, &username).await? else { return Err(unknown(&username)) };
            if let Some(k) = change.kommune {
                crate::store::kommune::ensure(tx, k).await?;
            }
            let kommune = change.kommune.map(Kommunenr::get);
            users::set_role(tx, &username, change.role.key(), kommune, fagfaellesskab.as_deref())
                .await?
                .ok_or_else(|| unknown(&username))?;
            let ended = sessions::delete_all_of_user(tx, before.id, None).await?;
            let place = kommune.map(|k| format!(", kommune {k:03}")).unwrap_or_default();
            let detail = format!(
                "Bruger {username:?}: rolle {} → {}{place}; {ended} sessioner afsluttet.",
                before.role,
                change.role.key()
            );
            let kommune = kommune.map(i64::from).or(before.kommune);
            audit::record(tx, &entry(&by, kommune, AuditAction::RoleChanged, detail)).await?;
            Ok(ended)
        })
    })
    .await
}

/// Sets a user's password; every session of theirs ends. Returns how many sessions were ended.
pub async fn set_password(db: &Db, by: &str, username: &str, password: String) -> Result<u64, AppError> {
    check_password(&password)?;
    // Hashing takes ~100 ms: before the write, never inside it.
    let hash = hash_password(password).await?;
    let (by, username) = (by.to_string(), username.trim().to_string());
    db.write(move |tx| {
        Box::pin(async move {
            let Some(before) = users::by_username(tx, &username).await? else { return Err(unknown(&username)) };
            users::set_password(tx, &username, &hash).await?.ok_or_else(|| unknown(&username))?;
            let ended = sessions::delete_all_of_user(tx, before.id, None).await?;
            let detail = format!("Adgangskode for {username:?} ændret; {ended} sessioner afsluttet.");
            audit::record(tx, &entry(&by, before.kommune, AuditAction::PasswordChanged, detail)).await?;
            Ok(ended)
        })
    })
    .await
}

/// The rule for a new password (the same as `auth::create_user`'s).
pub fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < 8 {
        return Err(AppError::field("password", "Adgangskoden skal være mindst 8 tegn."));
    }
    Ok(())
}
