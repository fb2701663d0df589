//! Re-ranking 2,700 ændringsønsker × 9 criteria on a weight change, on the server (the browser's
//! figure is measured in Chromium by end2end/bench).

use super::{Ctx, quantile};
use app::domain::aendring::scoring::synthetic_rank_inputs;
use app::domain::aendring::{WHAT_IF_TOP, Weights, rank, what_if};
use serde_json::json;
use std::time::Instant;

pub fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let items = synthetic_rank_inputs(2_700);
    let base = rank(&items, &Weights { version: 1, weights: [1.0; 9] });
    let mut ms = Vec::new();
    for run in 0..200 {
        let mut w = Weights { version: 2, weights: [1.0; 9] };
        w.weights[run % 9] = 1.0 + (run % 5) as f64;
        let t = Instant::now();
        let ranked = rank(&items, &w);
        let _ = what_if(&base, &ranked, WHAT_IF_TOP);
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    ctx.record(json!({
        "bench": "rerank_server",
        "summary": format!("p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (rank + what-if, 200 runs)", quantile(&ms, 0.5), quantile(&ms, 0.95), quantile(&ms, 1.0)),
        "met": quantile(&ms, 0.95) <= 16.0,
    }))
}
