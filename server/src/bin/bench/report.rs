//! Renders BENCHMARKS.md from the newest result of each benchmark, with the machine and date,
//! each figure against its target, and plainly what is short.

use super::Ctx;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

struct Row {
    what: &'static str,
    measured: String,
    baseline: String,
    target: &'static str,
    met: Option<bool>,
}

pub fn write(ctx: &Ctx, out: &Path) -> anyhow::Result<()> {
    let mut latest: BTreeMap<String, Value> = BTreeMap::new();
    for line in std::fs::read_to_string(&ctx.results).unwrap_or_default().lines() {
        if let Ok(v) = serde_json::from_str::<Value>(line)
            && let Some(name) = v["bench"].as_str()
        {
            latest.insert(name.to_string(), v);
        }
    }
    let f = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let mut rows = Vec::new();
    if let Some(v) = latest.get("import") {
        rows.push(Row {
            what: "Import + classify (fordringer, dækninger → tasks)",
            measured: format!(
                "{:.1} s for {} fordringer, {} dækninger ({} rows, {} open tasks)",
                f(v, "ours_s"),
                v["fordringer"],
                v["daekninger"],
                v["rows"],
                v["tasks"]
            ),
            baseline: format!("sqlite3 `.import` into plain tables: {:.1} s", f(v, "floor_s")),
            target: "within 2× of the floor",
            met: Some(f(v, "ratio") <= 2.0),
        });
        if let Some(r) = rows.last_mut() {
            r.measured.push_str(&format!(" — **{:.2}×** the floor", f(v, "ratio")));
        }
    }
    if let Some(v) = latest.get("counts") {
        rows.push(Row {
            what: "Board counts read",
            measured: format!(
                "p50 {:.3} ms, p99 {:.3} ms over {} open tasks — **{:.0}×** faster than the recount",
                f(v, "read_p50_ms"),
                f(v, "read_p99_ms"),
                v["open_tasks"],
                f(v, "ratio")
            ),
            baseline: format!("`GROUP BY` recount: p50 {:.1} ms", f(v, "recount_p50_ms")),
            target: "≥ 100× faster, ≤ 1 ms",
            met: Some(f(v, "ratio") >= 100.0 && f(v, "read_p99_ms") <= 1.0),
        });
    }
    if let Some(v) = latest.get("resolve") {
        rows.push(Row {
            what: "Durable resolves through the server function",
            measured: format!("{} — **{:.2}×** the baseline", resolves(v), f(v, "ratio")),
            baseline: format!("single-row fsync'd commits: {:.0}/s", f(v, "baseline_commits_per_s")),
            target: "≥ 2,000 resolves/s, p99 ≤ 50 ms",
            met: Some(f(v, "resolves_per_s") >= 2000.0 && f(v, "p99_ms") <= 50.0),
        });
    }
    if let Some(v) = latest.get("live") {
        rows.push(Row {
            what: "Change → count visible in other subscribed clients",
            measured: format!(
                "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} deliveries ({} missed); server RSS {:.0} MB with {} subscribers (idle {:.0} MB)",
                f(v, "p50_ms"),
                f(v, "p95_ms"),
                f(v, "max_ms"),
                v["deliveries"],
                v["missed"],
                f(v, "rss_after_mb").max(f(v, "rss_connected_mb")),
                v["subscribers"],
                f(v, "rss_idle_mb")
            ),
            baseline: "–".into(),
            target: "p95 ≤ 200 ms with 2,000 subscribers; ≤ 256 MB RSS",
            met: Some(
                f(v, "p95_ms") <= 200.0
                    && f(v, "rss_after_mb").max(f(v, "rss_connected_mb")) <= 256.0
                    && v["missed"].as_i64() == Some(0)
                    && v["subscribers"].as_i64() >= Some(2000),
            ),
        });
    }
    if let Some(v) = latest.get("pg-import") {
        rows.push(Row {
            what: "PostgreSQL: import + classify",
            measured: format!(
                "{:.1} s for {} fordringer ({} rows, {} open tasks) — **{:.2}×** the floor",
                f(v, "ours_s"),
                v["fordringer"],
                v["rows"],
                v["tasks"],
                f(v, "ratio")
            ),
            baseline: format!("`psql \\copy` into plain tables: {:.1} s", f(v, "floor_s")),
            target: "within 2× of the floor",
            met: Some(f(v, "ratio") <= 2.0),
        });
    }
    if let Some(v) = latest.get("pg-resolve") {
        rows.push(Row {
            what: "PostgreSQL: durable resolves through the server function, two instances",
            measured: format!("{} — **{:.2}×** pgbench", resolves(v), f(v, "ratio")),
            baseline: format!("pgbench simple-update, same clients: {:.0} tps", f(v, "baseline_commits_per_s")),
            target: "≥ 0.5× pgbench, p99 ≤ 50 ms",
            met: Some(f(v, "ratio") >= 0.5 && f(v, "p99_ms") <= 50.0),
        });
    }
    if let Some(v) = latest.get("pg-live") {
        rows.push(Row {
            what: "PostgreSQL: change → count visible, two instances",
            measured: format!(
                "p95 {:.1} ms (subscribers of the other instance {:.1} ms), max {:.1} ms over {} deliveries ({} missed), {} subscribers; RSS {:.0} MB for both",
                f(v, "p95_ms"),
                f(v, "p95_other_instance_ms"),
                f(v, "max_ms"),
                v["deliveries"],
                v["missed"],
                v["subscribers"],
                f(v, "rss_after_mb").max(f(v, "rss_connected_mb")),
            ),
            baseline: "–".into(),
            target: "p95 ≤ 200 ms with 2,000 subscribers over two instances",
            met: Some(
                f(v, "p95_ms") <= 200.0
                    && f(v, "p95_other_instance_ms") <= 200.0
                    && v["missed"].as_i64() == Some(0)
                    && v["subscribers"].as_i64() >= Some(2000),
            ),
        });
    }
    if let Some(v) = latest.get("wasm") {
        // With split chunks the target is what one page's first load downloads (measured in the
        // browser); the shell alone when there is no browser figure.
        let route = latest.get("wasm_route");
        let measured = match route {
            Some(r) => format!(
                "heaviest page {} {:.0} KB brotli (shell {:.0} KB + its chunks); shell {:.0} KB raw; {} chunks, {:.0} KB brotli in all; JS glue {:.0} KB brotli",
                r["heaviest"].as_str().unwrap_or("?"),
                f(r, "max_kb"),
                f(r, "shell_kb"),
                f(v, "wasm_raw_kb"),
                v["chunks"].as_i64().unwrap_or(0),
                f(v, "chunks_brotli_kb"),
                f(v, "js_brotli_kb")
            ),
            None => format!(
                "{:.0} KB brotli ({:.0} KB raw); JS glue {:.0} KB brotli",
                f(v, "wasm_brotli_kb"),
                f(v, "wasm_raw_kb"),
                f(v, "js_brotli_kb")
            ),
        };
        let met = match route {
            Some(r) => f(r, "max_kb") <= 250.0,
            None => f(v, "wasm_brotli_kb") <= 250.0,
        };
        rows.push(Row {
            what: "WebAssembly downloaded for a page (first load)",
            measured,
            baseline: "–".into(),
            target: "≤ 250 KB brotli",
            met: Some(met),
        });
    }
    for (name, what, target) in [
        ("rerank_server", "Re-rank 2,700 ændringsønsker × 9 criteria (server)", "one frame, ≤ 16 ms"),
        ("rerank_browser", "Re-rank 2,700 ændringsønsker × 9 criteria (browser, WebAssembly)", "one frame, ≤ 16 ms"),
        ("matrix_live", "Score change → matrix updated in another browser", "p95 ≤ 200 ms"),
    ] {
        if let Some(v) = latest.get(name) {
            let measured = v["summary"].as_str().unwrap_or("").to_string();
            rows.push(Row { what, measured, baseline: "–".into(), target, met: v["met"].as_bool() });
        }
    }

    let mut md = String::from("# Benchmarks\n\n");
    let _ = writeln!(md, "Run: `./scripts/bench.sh` (writes this file). Measured {} on {}.\n", today(), machine());
    md.push_str(
        "Each figure is compared with its baseline *in the same run* on the same disk: this machine is shared \
         and noisy, so ratios travel better than absolute numbers.\n\n",
    );
    md.push_str("| what | measured | baseline (same run) | target | met |\n|---|---|---|---|---|\n");
    for r in &rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "–",
        };
        let _ = writeln!(md, "| {} | {} | {} | {} | {} |", r.what, r.measured, r.baseline, r.target, met);
    }
    let short: Vec<&Row> = rows.iter().filter(|r| r.met == Some(false)).collect();
    md.push_str("\n## Still short\n\n");
    if short.is_empty() {
        md.push_str("Nothing measured here misses its target.\n");
    } else {
        for r in short {
            let _ = writeln!(md, "- {}: {} (target {}).", r.what, r.measured, r.target);
        }
    }
    md.push_str(&std::fs::read_to_string("scripts/bench-notes.md").unwrap_or_default());
    std::fs::write(out, md)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// A resolve benchmark's figures: rate, latencies, how many, how many failed.
fn resolves(v: &Value) -> String {
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    format!(
        "{:.0} resolves/s, p50 {:.1} ms, p99 {:.1} ms ({} resolves, {} in flight, {} failed)",
        f("resolves_per_s"),
        f("p50_ms"),
        f("p99_ms"),
        v["resolves"],
        v["concurrency"],
        v["failures"]
    )
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem_gb:.0} GiB RAM, Linux {}", kernel.trim())
}
