//! Switching paragraf- and kravtypekontrol to automatic over every open task of the bench's
//! kommune: one transaction through the real use case, on a copy of the bench database (the
//! switch cannot be undone). Target: ≤ 10 s at 1,000,000 fordringer, counters == recount after.

use super::Ctx;
use app::domain::Kommunenr;
use app::service::{Actor, automation};
use app::state::{AppContext, Settings};
use app::store::{Db, counters};
use serde_json::json;
use std::time::Instant;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let k = Kommunenr::parse("751")?;
    let source = ctx.work.join("arbejdsbord.db");
    let copy = ctx.work.join("automation.db");
    {
        // Everything in the main file before copying it.
        let db = Db::connect(&ctx.db_url()).await?;
        db.checkpoint().await?;
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    std::fs::copy(&source, &copy)?;
    let db = Db::connect(&format!("sqlite://{}", copy.display())).await?;
    let app = AppContext::new(db.clone(), Settings::default());
    let open_before = {
        let mut conn = db.read.acquire().await?;
        counters::read(&mut conn, k).await?.total()
    };
    let started = Instant::now();
    let r = automation::switch_on(&app, &Actor::System, k, true, true).await?;
    let secs = started.elapsed().as_secs_f64();
    let mut conn = db.read.acquire().await?;
    let kept = counters::read(&mut conn, k).await?;
    anyhow::ensure!(kept.counts == counters::recount(&mut conn, k).await?, "counters differ from the recount");
    drop(conn);
    drop(app);
    drop(db);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
    ctx.record(json!({
        "bench": "automation",
        "open_tasks_before": open_before,
        "moved": r.moved,
        "closed": r.closed,
        "ventetrin_processed": r.ventetrin_processed,
        "seconds": secs,
        "counters_equal_recount": true,
        "met": secs <= 10.0,
    }))?;
    Ok(())
}
