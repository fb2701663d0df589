//! Import + classify N fordringer (~2 dækninger each) against the raw-load floor: the sqlite3
//! CLI's `.import` (on PostgreSQL `psql \copy`) of the same CSV files into plain tables, on the
//! same disk.

use super::Ctx;
use anyhow::Context;
use app::domain::Kommunenr;
use app::service::import::{FILES, ImportFailure, ImportOptions, import_extract};
use app::store::Db;
use fixtures::demo::{DemoExtractOptions, write_demo_extract};
use serde_json::json;
use std::path::Path;
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

    let floor = match ctx.pg {
        Some(_) => pg_floor(ctx, &dir).await?,
        None => sqlite_floor(ctx, &dir)?,
    };

    // The product: a fresh database, created and migrated, then the real import.
    if ctx.pg.is_some() {
        ctx.fresh_pg_db("bench_arbejdsbord").await?;
    } else {
        let db_file = ctx.work.join("arbejdsbord.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db_file.display()));
        }
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
        "bench": ctx.bench_name("import"),
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

/// The floor on SQLite: the sqlite3 CLI's `.import` into plain tables (no keys, no indexes, no
/// checks), in one transaction, WAL with `synchronous=FULL`. Seconds.
fn sqlite_floor(ctx: &Ctx, dir: &Path) -> anyhow::Result<f64> {
    let floor_db = ctx.work.join("floor.db");
    let _ = std::fs::remove_file(&floor_db);
    let mut script =
        String::from(".mode csv\n.separator ;\nPRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nBEGIN;\n");
    for (file, _) in FILES {
        script.push_str(&format!(".import '{}' {}\n", dir.join(file).display(), file.trim_end_matches(".csv")));
    }
    script.push_str("COMMIT;\n");
    timed_script("sqlite3", &[floor_db.display().to_string()], &script, "sqlite3 CLI (apt-get install sqlite3)")
}

/// The floor on PostgreSQL: `psql \copy` of the same files into plain tables (every column
/// text; no keys, no indexes, no checks), in one transaction. Seconds.
async fn pg_floor(ctx: &Ctx, dir: &Path) -> anyhow::Result<f64> {
    let url = ctx.fresh_pg_db("bench_floor").await?;
    let mut script = String::from("\\set ON_ERROR_STOP on\nBEGIN;\n");
    for (file, _) in FILES {
        let path = dir.join(file);
        let header = std::fs::read_to_string(&path)?
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches('\u{feff}')
            .to_string();
        let columns: Vec<String> = header.split(';').map(|c| format!("\"{}\" text", c.trim())).collect();
        let table = file.trim_end_matches(".csv");
        script.push_str(&format!("CREATE TABLE {table} ({});\n", columns.join(", ")));
        script.push_str(&format!(
            "\\copy {table} FROM '{}' WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')\n",
            path.display()
        ));
    }
    script.push_str("COMMIT;\n");
    timed_script("psql", &["-X".into(), "-q".into(), url], &script, "psql (scripts/pg.sh installs PostgreSQL)")
}

/// Runs `program args` with `script` on its standard input; the seconds it took.
fn timed_script(program: &str, args: &[String], script: &str, what: &str) -> anyhow::Result<f64> {
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().expect("stdin").write_all(script.as_bytes())?;
            child.wait()
        })
        .context(what.to_string())?;
    anyhow::ensure!(out.success(), "{program} failed");
    Ok(start.elapsed().as_secs_f64())
}
