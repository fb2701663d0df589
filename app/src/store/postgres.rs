//! PostgreSQL: its migrations, its pool, and its write path — each job in a transaction of its
//! own (PostgreSQL does the group commit of concurrent transactions itself), its counter
//! changes applied last, and a notification sent in the same transaction so every instance on
//! the database hears of the change when it commits (`live_listener`).

use super::WriteTx;
use super::counters;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::live::LiveHub;
use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use std::panic::AssertUnwindSafe;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations_pg");

/// The channel the write path notifies on: the payload is the kommune whose counts changed.
pub const COUNTS_CHANNEL: &str = "arbejdsbord_counts";

/// Whether a database URL names PostgreSQL.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Connects and migrates. Several instances may start at once: sqlx's migrator takes an
/// advisory lock, so one migrates and the others wait and find the work done.
pub async fn connect(url: &str) -> Result<PgPool, sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1))
        .application_name("arbejdsbord");
    let pool =
        PgPoolOptions::new().max_connections(32).acquire_timeout(Duration::from_secs(30)).connect_with(options).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Runs `work` in a transaction of its own and commits it; an `Err` (or a panic) rolls it back.
/// Counter changes are applied just before the commit, so the kommune's counter rows are
/// locked only for the commit itself.
pub async fn write<T, E, F>(pool: &PgPool, live: &LiveHub, work: F) -> Result<T, E>
where
    T: Send + 'static,
    E: From<AppError> + Send + 'static,
    F: for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
{
    let mut tx = WriteTx::postgres(pool.begin().await.map_err(AppError::from)?);
    let value = match AssertUnwindSafe(work(&mut tx)).catch_unwind().await {
        Ok(Ok(value)) => value,
        // Dropping the transaction rolls it back.
        Ok(Err(error)) => return Err(error),
        Err(_) => {
            tracing::error!("a write job panicked; it is rolled back");
            return Err(E::from(AppError::Internal));
        }
    };
    let snapshots = finish(&mut tx).await.map_err(AppError::from)?;
    let Some(tx) = tx.into_postgres() else { return Err(E::from(AppError::Internal)) };
    tx.commit().await.map_err(AppError::from)?;
    for (kommune, snapshot) in snapshots {
        live.publish(kommune, snapshot);
    }
    Ok(value)
}

/// Applies the job's counter changes and notifies the other instances (delivered on commit).
async fn finish(
    tx: &mut WriteTx,
) -> Result<Vec<(Kommunenr, crate::domain::opgavepakke::OpgavepakkeCounts)>, sqlx::Error> {
    let mut snapshots = Vec::new();
    for (kommune, delta) in tx.take_counts() {
        snapshots.push((kommune, counters::apply(tx, kommune, &delta).await?));
        notify(tx, COUNTS_CHANNEL, &kommune.get().to_string()).await?;
    }
    Ok(snapshots)
}

/// `NOTIFY` inside the caller's transaction (PostgreSQL folds equal notifications of one
/// transaction into one).
pub async fn notify(tx: &mut WriteTx, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    on_each!(tx, |cx| {
        if PG {
            sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(cx).await.map(|_| ())
        } else {
            Ok(())
        }
    })
}

/// Listens for changes made through any instance and publishes them to this instance's open
/// boards: a notification names a kommune; its counts are read and published if newer.
/// Reconnects (with a pause) when the database goes away.
pub fn live_listener(pool: PgPool, live: Arc<LiveHub>) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = listen(&pool, &live).await {
                tracing::warn!(%error, "lost the database's notifications; listening again shortly");
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}

async fn listen(pool: &PgPool, live: &LiveHub) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(COUNTS_CHANNEL).await?;
    // What changed while nobody listened (a start or a reconnect) is read once.
    refresh_all(pool, live).await?;
    loop {
        // A burst of changes is read once per kommune: the next notification and every one
        // already buffered behind it.
        let mut changed = std::collections::BTreeSet::new();
        changed.insert(listener.recv().await?.payload().to_string());
        while let Some(more) = listener.next_buffered() {
            changed.insert(more.payload().to_string());
        }
        let mut conn = pool.acquire().await?;
        for payload in changed {
            if let Ok(Ok(kommune)) = payload.parse::<u16>().map(Kommunenr::try_from) {
                live.publish(kommune, counters::read(&mut conn, kommune).await?);
            }
        }
    }
}

/// How often the pending counter changes are folded into the kept counts.
const FOLD_EVERY: Duration = Duration::from_secs(1);

/// Folds every kommune's pending counter changes into its kept counts (`counters::apply` tells
/// why they are rows of their own on PostgreSQL), once a second, through the write path. Every
/// instance runs one; a kommune's fold holds its row, so two never fold the same changes.
pub fn count_folder(db: super::Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(FOLD_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(error) = fold_all(&db).await {
                tracing::warn!(%error, "folding the counter changes failed; trying again shortly");
            }
        }
    });
}

async fn fold_all(db: &super::Db) -> Result<(), AppError> {
    let kommuner = counters::unfolded(&mut db.read.acquire().await?).await?;
    for kommune in kommuner {
        db.write(move |tx| Box::pin(async move { Ok(counters::fold(tx, kommune).await?) })).await?;
    }
    Ok(())
}

async fn refresh_all(pool: &PgPool, live: &LiveHub) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    for kommune in live.kommuner() {
        live.publish(kommune, counters::read(&mut conn, kommune).await?);
    }
    Ok(())
}
