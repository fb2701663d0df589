//! Picks up changes written by another process on SQLite (a CLI import into the same file): one
//! small query a second on the server, never one per open board (PostgreSQL notifies instead). Every ten
//! minutes it also removes expired sessions.

use app::domain::Kommunenr;
use app::state::AppContext;
use app::store::{counters, kommune};
use std::collections::HashMap;
use std::time::Duration;

pub fn spawn(ctx: AppContext) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen: HashMap<i64, i64> = HashMap::new();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut ticks: u64 = 0;
        loop {
            tick.tick().await;
            ticks += 1;
            // Expired sessions are refused anyway; removing them keeps the table small.
            if ticks.is_multiple_of(600) {
                let at = app::clock::now();
                let (now, idle) = (app::clock::stamp(at), app::service::auth::idle_cutoff(&ctx, at));
                let removed = ctx
                    .write(move |tx| {
                        Box::pin(async move { Ok(app::store::sessions::delete_expired(tx, &now, &idle).await?) })
                    })
                    .await;
                if let Err(error) = removed {
                    tracing::warn!(%error, "expired sessions not removed");
                }
            }
            if let Err(error) = check(&ctx, &mut seen).await {
                tracing::warn!(%error, "change watcher");
            }
        }
    })
}

async fn check(ctx: &AppContext, seen: &mut HashMap<i64, i64>) -> Result<(), sqlx::Error> {
    // PostgreSQL tells every instance of a change itself (LISTEN/NOTIFY, `store::postgres`).
    if ctx.db.is_postgres() {
        return Ok(());
    }
    let mut conn = ctx.db.read.acquire().await?;
    for row in kommune::list(&mut conn).await? {
        if seen.get(&row.nr) == Some(&row.version) {
            continue;
        }
        seen.insert(row.nr, row.version);
        if let Ok(k) = Kommunenr::try_from(row.nr as u16) {
            ctx.live.publish(k, counters::read(&mut conn, k).await?);
        }
    }
    Ok(())
}
