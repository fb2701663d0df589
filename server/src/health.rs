//! Health for a load balancer or an orchestrator: `/health/live` (the process answers) and
//! `/health/ready` (the database answers and carries every migration this binary knows; not
//! while the server is stopping, so traffic moves to another instance first).

use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new().route("/health/live", get(live)).route("/health/ready", get(ready))
}

async fn live() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if *state.stopping.borrow() {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "stopping" })));
    }
    match state.ctx.db.readiness().await {
        Ok(schema) => (StatusCode::OK, Json(json!({ "status": "ok", "schema": schema }))),
        Err(why) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "error": why }))),
    }
}
