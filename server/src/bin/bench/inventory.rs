//! UI 04's inventory at the bench's size: computing the kept figures per bevillingstype (what
//! the import does in its transaction, and "Opgør tallene igen") and reading the inventory as
//! the page does (through the service, 30 times). Target: the inventory ≤ 200 ms at 1,000,000
//! fordringer (~800,000 bevillinger).

use super::{Ctx, quantile};
use app::domain::Kommunenr;
use app::service::{Actor, bevillingstyper};
use app::state::{AppContext, Settings};
use app::store::{AnyConn, Db};
use serde_json::json;
use std::time::Instant;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let k = Kommunenr::parse("751")?;
    let db = Db::connect(&ctx.db_url()).await?;
    let app = AppContext::new(db.clone(), Settings::default());
    let bevillinger: i64 = sqlx::query_scalar("SELECT count(*) FROM bevilling WHERE kommune = ?")
        .bind(k.get())
        .fetch_one(db.read.acquire().await?.sqlite()?)
        .await?;
    let started = Instant::now();
    bevillingstyper::refresh(&app, &Actor::System, k).await?;
    let refresh_secs = started.elapsed().as_secs_f64();
    let mut times = Vec::new();
    let mut types = 0;
    for _ in 0..30 {
        let t = Instant::now();
        let inv = bevillingstyper::inventory(&app, &Actor::System, k).await?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        types = inv.rows.len();
    }
    times.sort_by(f64::total_cmp);
    let p50 = quantile(&times, 0.5);
    ctx.record(json!({
        "bench": "inventory",
        "bevillinger": bevillinger,
        "types": types,
        "refresh_seconds": refresh_secs,
        "inventory_p50_ms": p50,
        "inventory_p95_ms": quantile(&times, 0.95),
        "inventory_max_ms": quantile(&times, 1.0),
        "met": quantile(&times, 0.95) <= 200.0,
    }))?;
    Ok(())
}
