//! The daily purge of audit rows past the retention period (`ARBEJDSBORD_AUDIT_RETENTION_DAYS`),
//! on every instance: the first a minute after start, then every 24 hours. Several instances
//! purging the same day is harmless (the later ones find nothing and say so in their audit row).

use app::service::audit_log;
use app::state::AppContext;
use std::time::Duration;

/// Who the audit log names for the scheduled purge.
pub const ACTOR: &str = "system:sletning";

pub fn spawn(ctx: AppContext) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let day = Duration::from_secs(24 * 3600);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + Duration::from_secs(60), day);
        loop {
            tick.tick().await;
            match audit_log::purge(&ctx.db, ACTOR, ctx.limits.audit_retention_days).await {
                Ok(p) => tracing::info!(deleted = p.deleted, before = %p.before, "revisionslog slettet efter frist"),
                Err(error) => tracing::warn!(%error, "audit purge"),
            }
        }
    })
}
