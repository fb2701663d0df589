//! Reading a board's counts: the kept counters against a `GROUP BY` recount over the tasks.

use super::{Ctx, quantile};
use app::domain::Kommunenr;
use app::store::{Db, counters};
use serde_json::json;
use std::time::Instant;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let db = Db::connect(&ctx.db_url()).await?;
    let k = Kommunenr::parse("751")?;
    let mut conn = db.read.acquire().await?;
    let kept = counters::read(&mut conn, k).await?;
    let recount = counters::recount(&mut conn, k).await?;
    anyhow::ensure!(kept.counts == recount, "counters differ from the recount");

    let mut read_ms = Vec::new();
    for _ in 0..2_000 {
        let t = Instant::now();
        counters::read(&mut conn, k).await?;
        read_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mut recount_ms = Vec::new();
    for _ in 0..30 {
        let t = Instant::now();
        counters::recount(&mut conn, k).await?;
        recount_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    read_ms.sort_by(f64::total_cmp);
    recount_ms.sort_by(f64::total_cmp);
    let (read_p50, recount_p50) = (quantile(&read_ms, 0.5), quantile(&recount_ms, 0.5));
    ctx.record(json!({
        "bench": "counts",
        "open_tasks": kept.total(),
        "read_p50_ms": read_p50,
        "read_p99_ms": quantile(&read_ms, 0.99),
        "recount_p50_ms": recount_p50,
        "ratio": recount_p50 / read_p50,
    }))?;
    Ok(())
}
