//! Import + classify N fordringer (~2 dækninger each) against the raw-load floor: the sqlite3
//! CLI's `.import` of the same CSV files into plain tables, on the same disk.

use super::Ctx;
use anyhow::Context;
use app::domain::Kommunenr;
use app::service::import::{FILES, ImportFailure, ImportOptions, import_extract};
use app::store::Db;
use fixtures::demo::{DemoExtractOptions, write_demo_extract};
use serde_json::json;
use std::process::Command;
use std::time::Instant;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let k = Kommunenr::parse("751")?;
    let dir = ctx.work.join(format!("extract-{}", ctx.fordringer));
    if !dir.join("daekninger.csv").exists() {
        println!("writing a demo extract of {} fordringer to {}", ctx.fordringer, dir.display());
        write_demo_extract(&dir, &DemoExtractOptions { kommune: k, seed: 1, fordringer: ctx.fordringer })?;
    }
    let rows: usize = FILES
        .iter()
        .map(|(f, _)| std::fs::read_to_string(dir.join(f)).map(|t| t.lines().count().saturating_sub(1)).unwrap_or(0))
        .sum();
    let daekninger = std::fs::read_to_string(dir.join("daekninger.csv"))?.lines().count() - 1;

    // The floor: sqlite3 .import into plain tables (no keys, no indexes, no checks).
    let floor_db = ctx.work.join("floor.db");
    let _ = std::fs::remove_file(&floor_db);
    let mut script =
        String::from(".mode csv\n.separator ;\nPRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nBEGIN;\n");
    for (file, _) in FILES {
        script.push_str(&format!(".import '{}' {}\n", dir.join(file).display(), file.trim_end_matches(".csv")));
    }
    script.push_str("COMMIT;\n");
    let start = Instant::now();
    let out = Command::new("sqlite3")
        .arg(&floor_db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(script.as_bytes())?;
            child.wait()
        })
        .context("sqlite3 CLI (apt-get install sqlite3)")?;
    anyhow::ensure!(out.success(), "sqlite3 .import failed");
    let floor = start.elapsed().as_secs_f64();

    // The product: a fresh database, created and migrated, then the real import.
    let db_file = ctx.work.join("arbejdsbord.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db_file.display()));
    }
    let db = Db::connect(&ctx.db_url()).await?;
    let start = Instant::now();
    let summary = import_extract(&db, k, &dir, &ImportOptions::default()).await.map_err(|e| match e {
        ImportFailure::Invalid { errors, .. } => {
            anyhow::anyhow!("extract invalid: {:?}", &errors[..errors.len().min(5)])
        }
        ImportFailure::Internal(e) => anyhow::anyhow!("import failed: {e}"),
    })?;
    let ours = start.elapsed().as_secs_f64();
    ctx.record(json!({
        "bench": "import",
        "fordringer": ctx.fordringer,
        "daekninger": daekninger,
        "rows": rows,
        "tasks": summary.counts.total(),
        "floor_s": floor,
        "ours_s": ours,
        "ratio": ours / floor,
    }))?;
    Ok(())
}
