//! Server-sent events: a board subscribes to its kommune's counts and gets the current
//! snapshot at once, then every newer one. No polling per view.

use crate::caller::{ApiActor, ApiError};
use crate::state::AppState;
use app::domain::Kommunenr;
use app::error::AppError;
use app::live::CountsSnapshot;
use app::service::aendring::require_viewer;
use app::service::{auth, require_kommune};
use app::store::counters;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures::Stream;
use futures::StreamExt;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::WatchStream;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/live/kommuner/{nr}/opgavepakker", get(counts_stream))
        .route("/live/aendringer", get(aendringer_stream))
        .route("/live/backlog", get(backlog_stream))
}

/// Every score, status and weight change, for logged-in users (the lists and the scoring
/// matrix); an integration's token is refused (`require_viewer`).
async fn aendringer_stream(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    require_viewer(&state.ctx, &actor, "live ændringsønsker").await?;
    let end = ended(&state, &headers);
    Ok(aendring_events(state.ctx.live.subscribe_aendringer(), false, end))
}

/// Changes that touch the published backlog, for anyone.
async fn backlog_stream(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    aendring_events(state.ctx.live.subscribe_aendringer(), true, Box::pin(stopped(state.stopping.clone())))
}

/// Forwards events in version order; a subscriber that fell behind gets a `resync` event and
/// reloads (it would otherwise see a gap in the versions anyway).
fn aendring_events(
    receiver: tokio::sync::broadcast::Receiver<std::sync::Arc<app::model::aendring::AendringEvent>>,
    public_only: bool,
    end: EndOfStream,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    use tokio_stream::wrappers::BroadcastStream;
    use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
    let events = BroadcastStream::new(receiver).filter_map(move |item| async move {
        match item {
            Ok(ev) if public_only && !ev.public => None,
            Ok(ev) => serde_json::to_string(&*ev).ok().map(|json| Ok(Event::default().event("aendring").data(json))),
            Err(BroadcastStreamRecvError::Lagged(_)) => Some(Ok(Event::default().event("resync").data("{}"))),
        }
    });
    let events = events.take_until(end);
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn counts_stream(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(nr): Path<String>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let k = Kommunenr::parse(&nr).map_err(|e| ApiError(AppError::NotFound(e.to_string())))?;
    require_kommune(&state.ctx, &actor, k, "live opgavepakker").await?;
    // The hub holds the newest snapshot once anyone has subscribed or written; only the first
    // subscriber of a kommune reads the kept counters.
    let rx = match state.ctx.live.try_subscribe(k) {
        Some(rx) => rx,
        None => {
            let mut conn = state.ctx.db.read.acquire().await.map_err(AppError::from)?;
            let initial = counters::read(&mut conn, k).await.map_err(AppError::from)?;
            state.ctx.live.subscribe(k, initial)
        }
    };
    let events = WatchStream::new(rx).map(|counts| {
        Ok(Event::default().event("counts").json_data(CountsSnapshot::from(&*counts)).unwrap_or_default())
    });
    let events = events.take_until(ended(&state, &headers));
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// What ends a stream: the server stopping, or the caller's session ending.
type EndOfStream = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// How often an open stream of a session user asks whether the session still holds (ended,
/// user removed, role or password changed): one primary-key read per stream per interval.
const SESSION_CHECK: Duration = Duration::from_secs(15);

/// Resolves when the server stops or, for a caller by session cookie, when that session has
/// ended (checked every `SESSION_CHECK`, without counting as a use). The browser's reconnect
/// is then refused with 401 and the page sends the user to log in.
fn ended(state: &AppState, headers: &HeaderMap) -> EndOfStream {
    let stop = stopped(state.stopping.clone());
    let bearer = headers.contains_key(axum::http::header::AUTHORIZATION);
    let Some(token) = auth::session_token(headers).filter(|_| !bearer) else { return Box::pin(stop) };
    let ctx = state.ctx.clone();
    let session_ended = async move {
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + SESSION_CHECK, SESSION_CHECK);
        loop {
            tick.tick().await;
            // A failed read keeps the stream: the next request decides.
            if let Ok(false) = auth::session_still_valid(&ctx, &token).await {
                return;
            }
        }
    };
    Box::pin(async move {
        tokio::select! {
            () = stop => {}
            () = session_ended => {}
        }
    })
}

/// Resolves when the server starts to stop: a live stream then ends, and the browser's
/// reconnect (with backoff) finds another instance.
async fn stopped(mut stopping: tokio::sync::watch::Receiver<bool>) {
    let _ = stopping.wait_for(|s| *s).await;
}
