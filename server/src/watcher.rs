//! Picks up changes written by another process (a CLI import into the same database, a second
//! instance): one small query a second on the server, never one per open board.

use app::domain::Kommunenr;
use app::state::AppContext;
use app::store::{counters, kommune};
use std::collections::HashMap;
use std::time::Duration;

pub fn spawn(ctx: AppContext) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen: HashMap<i64, i64> = HashMap::new();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(error) = check(&ctx, &mut seen).await {
                tracing::warn!(%error, "change watcher");
            }
        }
    })
}

async fn check(ctx: &AppContext, seen: &mut HashMap<i64, i64>) -> Result<(), sqlx::Error> {
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
