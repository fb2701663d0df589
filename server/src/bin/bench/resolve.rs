//! Durable resolves through the real server function (HTTP, session cookie, the whole stack),
//! many caseworkers at once, against plain single-row fsync'd SQLite commits on the same disk.
//! Both use WAL with `synchronous=FULL`: an acknowledged write survives a power loss. On
//! PostgreSQL (`--pg`): two instances against `pgbench`'s simple-update on the same server.

use super::{Ctx, quantile};
use anyhow::Context;
use app::domain::resolve::ResolveInput;
use app::domain::{Defects, Kommunenr, Role};
use app::service::auth::{self, NewAccount};
use app::state::{AppContext, Settings};
use app::store::{Db, extract, tasks};
use serde_json::json;
use server::config::ServeOptions;
use server::startup::Application;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, Instant};

const RESOLVES: usize = 6_000;
const CONCURRENCY: usize = 64;
const CASEWORKERS: usize = 16;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let (baseline, baseline_what) = match ctx.pg {
        Some(_) => (pgbench_tps(ctx).await?, "pgbench simple-update"),
        None => (baseline_commits_per_s(ctx).await?, "single-row commits"),
    };
    let db = Db::connect(&ctx.db_url()).await?;
    let app_ctx = AppContext::new(db.clone(), Settings { secure_cookies: false, session_hours: 8 });
    let k = Kommunenr::parse("751")?;

    // Caseworkers with sessions, and open tasks with a valid answer for each.
    let mut cookies = Vec::new();
    for i in 0..CASEWORKERS {
        let username = format!("bench.sb{i}");
        {
            let mut conn = db.read.acquire().await?;
            if app::store::users::by_username(&mut conn, &username).await?.is_none() {
                auth::create_user(
                    &db,
                    NewAccount {
                        username: username.clone(),
                        display_name: format!("Bench {i}"),
                        password: "bench-kode-123".into(),
                        role: Role::Sagsbehandler,
                        kommune: Some(k),
                        fagfaellesskab: None,
                        is_demo: true,
                    },
                )
                .await?;
            }
        }
        let (token, _) = auth::login(&app_ctx, &username, "bench-kode-123", None).await?;
        cookies.push(format!("{}={token}", auth::SESSION_COOKIE));
    }
    let work = prepare(&db, k, RESOLVES).await?;
    anyhow::ensure!(work.len() == RESOLVES, "only {} open tasks to resolve", work.len());

    let opts = ServeOptions {
        addr: "127.0.0.1:0".parse()?,
        site_root: "target/site".into(),
        production: false,
        secure_cookies: false,
        session_hours: 8,
        ..ServeOptions::from_env()
    };
    // On PostgreSQL two instances, as behind a load balancer: the caseworkers take turns.
    let mut urls = Vec::new();
    for _ in 0..if ctx.pg.is_some() { 2 } else { 1 } {
        let app = Application::build(&ctx.db_url(), &opts).await?;
        urls.push(format!("http://127.0.0.1:{}/sf/resolve_task", app.port()));
        tokio::spawn(app.run_until_stopped());
    }
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONCURRENCY).build()?;

    let queue = std::sync::Arc::new(tokio::sync::Mutex::new(work.into_iter().enumerate().collect::<Vec<_>>()));
    let before = app::store::writer::stats();
    let start = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CONCURRENCY {
        let (queue, client, url, cookie) =
            (queue.clone(), client.clone(), urls[w % urls.len()].clone(), cookies[w % CASEWORKERS].clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            loop {
                let Some((_, (task_id, form))) = queue.lock().await.pop() else { break };
                let t = Instant::now();
                let res = client
                    .post(&url)
                    .header("cookie", &cookie)
                    .header("accept", "application/json")
                    .form(&form_fields(task_id, &form))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => latencies.push(t.elapsed().as_secs_f64() * 1e3),
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::new();
    let mut failures = 0;
    for w in workers {
        let (l, f) = w.await?;
        latencies.extend(l);
        failures += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let after = app::store::writer::stats();
    latencies.sort_by(f64::total_cmp);
    // Where the writer's time went: running jobs (savepoints, statements, counters) and the
    // commit (WAL write + fsync), as shares of the run; the rest it waited for work.
    let batches = (after.batches - before.batches).max(1) as f64;
    let share = |ns: u64| ns as f64 / 1e9 / elapsed;
    let per_s = latencies.len() as f64 / elapsed;
    ctx.record(json!({
        "bench": ctx.bench_name("resolve"),
        "instances": urls.len(),
        "baseline": baseline_what,
        "resolves": latencies.len(),
        "failures": failures,
        "concurrency": CONCURRENCY,
        "resolves_per_s": per_s,
        "p50_ms": quantile(&latencies, 0.5),
        "p99_ms": quantile(&latencies, 0.99),
        "baseline_commits_per_s": baseline,
        "ratio": per_s / baseline,
        "jobs_per_batch": (after.jobs - before.jobs) as f64 / batches,
        "writer_jobs_share": share(after.jobs_ns - before.jobs_ns),
        "writer_commit_share": share(after.commit_ns - before.commit_ns),
        "commit_ms": (after.commit_ns - before.commit_ns) as f64 / 1e6 / batches,
    }))?;
    Ok(())
}

fn form_fields(task_id: i64, i: &ResolveInput) -> Vec<(&'static str, String)> {
    vec![
        ("task_id", task_id.to_string()),
        ("input[bevilling_id]", i.bevilling_id.clone()),
        ("input[ydelsesreference]", i.ydelsesreference.clone()),
        ("input[kravtype]", i.kravtype.clone()),
        ("input[kravtype_bekraeftet]", i.kravtype_bekraeftet.to_string()),
        ("input[udbetalingsparagraf]", i.udbetalingsparagraf.clone()),
        ("input[tilbagebetalingsparagraf]", i.tilbagebetalingsparagraf.clone()),
    ]
}

/// Open tasks spread over the opgavepakker, each with an answer that validates.
async fn prepare(db: &Db, k: Kommunenr, n: usize) -> anyhow::Result<Vec<(i64, ResolveInput)>> {
    let mut conn = db.read.acquire().await?;
    let mut out = Vec::new();
    for id in tasks::sample_open_opret(&mut conn, k.get(), n as i64).await? {
        let Some(task) = tasks::get(&mut conn, id).await? else { continue };
        let defects = Defects::from_bits(task.defects);
        let bevilling = if defects.b {
            extract::bevillinger_of_person(&mut conn, k.get(), &task.cpr).await?.first().map(|b| b.bevilling_id.clone())
        } else {
            None
        };
        out.push((
            id,
            ResolveInput {
                bevilling_id: bevilling.unwrap_or_default(),
                ydelsesreference: format!("YR-2024-{id:06}"),
                kravtype: "Tilbagebetaling af kontanthjælp".into(),
                kravtype_bekraeftet: true,
                udbetalingsparagraf: "LAS § 25".into(),
                tilbagebetalingsparagraf: "LAS § 91".into(),
            },
        ));
    }
    Ok(out)
}

/// The floor on PostgreSQL: `pgbench`'s built-in simple-update script (an UPDATE, a SELECT and
/// an INSERT per transaction) with as many clients as caseworkers in flight, on the same server
/// (`synchronous_commit` on). Transactions per second.
async fn pgbench_tps(ctx: &Ctx) -> anyhow::Result<f64> {
    let url = ctx.fresh_pg_db("bench_pgbench").await?;
    let init = Command::new("pgbench").args(["-i", "-q", "-s", "10", &url]).output().context("pgbench")?;
    anyhow::ensure!(init.status.success(), "pgbench -i: {}", String::from_utf8_lossy(&init.stderr));
    let clients = CONCURRENCY.to_string();
    let out = Command::new("pgbench")
        .args(["-n", "-b", "simple-update", "-c", &clients, "-j", "2", "-T", "20", &url])
        .output()
        .context("pgbench")?;
    let text = String::from_utf8_lossy(&out.stdout);
    anyhow::ensure!(out.status.success(), "pgbench: {}", String::from_utf8_lossy(&out.stderr));
    text.lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|tps| tps.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no tps in pgbench's output: {text}"))
}

/// Single-row commits, each its own fsync'd transaction, one connection, on the same disk.
async fn baseline_commits_per_s(ctx: &Ctx) -> anyhow::Result<f64> {
    let file = ctx.work.join("baseline.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)").execute(&mut conn).await?;
    let n = 5_000;
    let start = Instant::now();
    for i in 0..n {
        let mut tx = conn.begin().await?;
        sqlx::query("INSERT INTO t (v) VALUES (?)").bind(format!("row {i}")).execute(&mut *tx).await?;
        tx.commit().await?;
    }
    let per_s = n as f64 / start.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(10)).await;
    Ok(per_s)
}
