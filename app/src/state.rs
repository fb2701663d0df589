//! What every request on the server can reach: the database, the live hub and the settings.
//! Provided to Leptos through context in both the page and the server-function handlers.

use crate::live::LiveHub;
use crate::service::login_throttle::LoginThrottle;
use crate::store::Db;
use crate::store::group_commit::GroupCommit;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppContext {
    pub db: Db,
    /// Hot writes share one transaction (and one fsync) per batch.
    pub writer: GroupCommit,
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
        let writer = GroupCommit::start(db.write.clone());
        AppContext {
            db,
            writer,
            live: Arc::new(LiveHub::new()),
            settings: Arc::new(settings),
            login_throttle: Arc::default(),
        }
    }
}
