//! What every request on the server can reach: the database, the live hub and the settings.
//! Provided to Leptos through context in both the page and the server-function handlers.

use crate::error::AppError;
use crate::live::LiveHub;
use crate::service::login_throttle::LoginThrottle;
use crate::store::audit::{self, AuditEntry};
use crate::store::{Db, WriteTx};
use futures::future::BoxFuture;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: Db,
    pub live: Arc<LiveHub>,
    pub settings: Arc<Settings>,
    /// Failed logins per username and address (kept in memory; see its module).
    pub login_throttle: Arc<LoginThrottle>,
    /// Idle timeout and audit retention (defaults unless `with_limits`).
    pub limits: Limits,
}

/// Settings the request handlers need (the server's typed config reduces to this).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Mark cookies `Secure` (the server sits behind TLS).
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_hours: i64,
}

/// Limits of issue 12 that the server's config sets (`ARBEJDSBORD_SESSION_IDLE_MINUTES`,
/// `ARBEJDSBORD_AUDIT_RETENTION_DAYS`). Apart from `Settings` so that the settings' literals in
/// tests and benches stay as they are; the absolute lifetime is `Settings::session_hours`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A session unused this long ends.
    pub session_idle_minutes: i64,
    /// Audit rows older than this are purged (`service::audit_search::purge`).
    pub audit_retention_days: i64,
}

impl Default for Limits {
    /// An hour away from the screen ends a session (a lunch break keeps it, just); an audit
    /// row is kept six months.
    fn default() -> Self {
        Limits { session_idle_minutes: 60, audit_retention_days: 183 }
    }
}

impl AppContext {
    pub fn new(db: Db, settings: Settings) -> Self {
        let live = db.live().clone();
        AppContext { db, live, settings: Arc::new(settings), login_throttle: Arc::default(), limits: Limits::default() }
    }

    /// The same context with other limits (each at least 1).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = Limits {
            session_idle_minutes: limits.session_idle_minutes.max(1),
            audit_retention_days: limits.audit_retention_days.max(1),
        };
        self
    }

    /// The one way to write (see `store::writer`): `work` runs in the next group-commit batch
    /// and this returns once it is durably committed; an `Err` undoes only `work`.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, Result<T, AppError>> + Send + 'static,
    {
        self.db.write(work).await
    }

    /// Writes audit rows through the write path; returns once they are durable (a read of a
    /// person's data is shown only after it is logged).
    pub async fn audit(&self, entries: Vec<AuditEntry>) -> Result<(), AppError> {
        if entries.is_empty() {
            return Ok(());
        }
        self.write(move |tx| Box::pin(async move { Ok(audit::record_all(tx, &entries).await?) })).await
    }
}
