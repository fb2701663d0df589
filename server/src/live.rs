//! Server-sent events: a board subscribes to its kommune's counts and gets the current
//! snapshot at once, then every newer one. No polling per view.

use crate::api_v1::{ApiActor, ApiError, counts_json};
use crate::startup::AppState;
use app::domain::Kommunenr;
use app::error::AppError;
use app::service::require_kommune;
use app::store::counters;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures::Stream;
use futures::StreamExt;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::WatchStream;

pub fn routes() -> Router<AppState> {
    Router::new().route("/live/kommuner/{nr}/opgavepakker", get(counts_stream))
}

async fn counts_stream(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let k = Kommunenr::parse(&nr).map_err(|e| ApiError(AppError::NotFound(e.to_string())))?;
    require_kommune(&state.ctx, &actor, k, "live opgavepakker").await?;
    let initial = {
        let mut conn = state.ctx.db.read.acquire().await.map_err(AppError::from)?;
        counters::read(&mut conn, k).await.map_err(AppError::from)?
    };
    let rx = state.ctx.live.subscribe(k, initial);
    let events =
        WatchStream::new(rx).map(|counts| Ok(Event::default().event("counts").data(counts_json(&counts).to_string())));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
