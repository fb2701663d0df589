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
}

/// Settings the request handlers need (the server's typed config reduces to this).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Mark cookies `Secure` (the server sits behind TLS).
    pub secure_cookies: bool,
    /// How long a login lasts.
    pub session_hours: i64,
}

impl AppContext {
    pub fn new(db: Db, settings: Settings) -> Self {
        let live = db.live().clone();
        AppContext { db, live, settings: Arc::new(settings), login_throttle: Arc::default() }
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
