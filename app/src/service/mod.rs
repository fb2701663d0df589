//! Use cases on the server: each opens its transaction, checks who may do what, applies the
//! domain rules through the store, commits, and then publishes live updates. Server functions
//! and the REST API are thin wrappers around these.

pub mod accounts;
pub mod aendring;
pub mod audit_log;
pub mod auth;
pub mod automation;
pub mod bevilling;
pub mod bevillingstyper;
pub mod board;
pub mod daekning;
pub mod fremdrift;
pub mod hoering;
pub mod import;
pub mod klik;
pub mod login_throttle;
pub mod plan;
pub mod report;
pub mod resolve;
pub mod sessions;
pub mod stikproeve;
pub mod succeskriterium;
pub mod take_over;
pub mod task_view;

use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::model::SessionUser;
use crate::state::AppContext;
use crate::store::audit::{AuditAction, AuditEntry};

/// Who acts: a logged-in user, an integration's token, or the system itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    User(SessionUser),
    /// A kommune's integration, by its API token (`token_id` is the token's row).
    Integration {
        kommune: Kommunenr,
        name: String,
        token_id: i64,
    },
    System,
}

impl Actor {
    /// The name written to history and audit.
    pub fn name(&self) -> String {
        match self {
            Actor::User(u) => u.username.clone(),
            // Token names repeat across kommuner ("oekonomisystem"): the kommune and the token's
            // id make the entry point at exactly one token.
            Actor::Integration { kommune, name, token_id } => format!("api:{kommune}:{name}#{token_id}"),
            Actor::System => "system".to_string(),
        }
    }

    /// The kommune's project lead (and the system: the CLI, the demo) — who changes the
    /// kommune's plan, UI 04 review, KLIK statuses and estimate.
    pub fn is_project_lead_of(&self, kommune: Kommunenr) -> bool {
        match self {
            Actor::User(u) => u.role == crate::domain::Role::Projektleder && u.kommune == Some(kommune),
            Actor::System => true,
            Actor::Integration { .. } => false,
        }
    }

    /// KOMBIT (and the system) — who maintains the national catalogues.
    pub fn is_kombit(&self) -> bool {
        match self {
            Actor::User(u) => u.role == crate::domain::Role::Kombit,
            Actor::System => true,
            Actor::Integration { .. } => false,
        }
    }

    pub fn may_see_kommune(&self, kommune: Kommunenr) -> bool {
        match self {
            Actor::User(u) => u.may_see_kommune(kommune),
            Actor::Integration { kommune: k, .. } => *k == kommune,
            Actor::System => true,
        }
    }
}

/// Refuses access to another kommune's data, and writes the refusal to the audit log.
pub async fn require_kommune(ctx: &AppContext, actor: &Actor, kommune: Kommunenr, what: &str) -> Result<(), AppError> {
    if actor.may_see_kommune(kommune) {
        return Ok(());
    }
    refuse_kommune(ctx, actor, kommune, what).await
}

/// Records a refused access to `kommune`'s data and returns `OtherKommune`, which names it.
pub async fn refuse_kommune<T>(ctx: &AppContext, actor: &Actor, kommune: Kommunenr, what: &str) -> Result<T, AppError> {
    record_refusal(ctx, actor, Some(kommune), None, what).await?;
    Err(AppError::OtherKommune(kommune))
}

/// Records a refused access and returns `Forbidden`.
pub async fn refuse<T>(
    ctx: &AppContext,
    actor: &Actor,
    kommune: Option<Kommunenr>,
    cpr: Option<&str>,
    what: &str,
) -> Result<T, AppError> {
    record_refusal(ctx, actor, kommune, cpr, what).await?;
    Err(AppError::Forbidden)
}

pub(crate) async fn record_refusal(
    ctx: &AppContext,
    actor: &Actor,
    kommune: Option<Kommunenr>,
    cpr: Option<&str>,
    what: &str,
) -> Result<(), AppError> {
    tracing::warn!(actor = %actor.name(), kommune = ?kommune.map(|k| k.get()), what, "access refused");
    ctx.audit(vec![AuditEntry {
        actor: actor.name(),
        kommune: kommune.map(Kommunenr::get),
        cpr: cpr.map(str::to_string),
        action: AuditAction::Refused,
        detail: what.to_string(),
    }])
    .await
}
