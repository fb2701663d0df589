//! What the axum handlers share: the Leptos options and the app context.

use app::state::AppContext;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: AppContext,
    /// Turns true when the server starts to stop: live streams end (browsers reconnect to
    /// another instance) and `/health/ready` answers 503.
    pub stopping: tokio::sync::watch::Receiver<bool>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
