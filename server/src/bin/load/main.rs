//! A day's load (issue 12 part 4): thousands of virtual caseworkers over real HTTP against the
//! real server binary — not a mock. Each holds a live board (server-sent events), takes the next
//! task, reads it, resolves it after a think time with the answer a caseworker would give from
//! what the task shows, and now and then lists an opgavepakke; project leads open report R2.1;
//! each kommune's finance system posts dækninger; KOMBIT and the fagfællesskaber score
//! ændringsønsker. Bounded in time. Reported: errors (target 0), p50/p95/p99 of each call, p95
//! change → count visible on the boards (target ≤ 200 ms), the servers' memory.
//!
//!   scripts/load.sh [--pg] [--minutes 15] [--caseworkers 2000]    (builds nothing; see README)
//!
//! The database is set up in-process first (the demo for ændringsønsker and their scorers, plus
//! `--kommuner` kommuner of `--fordringer` fordringer each for the caseworkers); then
//! `--instances` server processes serve it (PostgreSQL: two, the caseworkers split between them,
//! the finance systems posting to the first — so half the boards see changes made elsewhere).

#![recursion_limit = "512"]

mod probe;
mod roles;
mod stats;

use anyhow::Context;
use app::domain::{Kommunenr, Role};
use app::service::auth::{self, NewAccount};
use app::service::import::{ImportOptions, import_extract};
use app::state::{AppContext, Settings};
use app::store::{Db, users};
use clap::Parser;
use fixtures::demo::extract::{DemoExtractOptions, write_demo_extract};
use futures::StreamExt;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The load's own kommuner (none of the demo's), in this order.
const KOMMUNER: [u16; 10] = [101, 147, 155, 157, 159, 161, 163, 165, 167, 169];
const PASSWORD: &str = "load-kode-2027";

#[derive(Parser, Debug, Clone)]
pub struct Args {
    /// `sqlite://FILE` or `postgres://…/DB` (made and migrated if new). Default: a SQLite file
    /// in `--work`.
    #[arg(long)]
    database_url: Option<String>,
    /// Where the extracts, the default database and the servers' logs go.
    #[arg(long, default_value = "data/load")]
    work: PathBuf,
    /// The release server binary.
    #[arg(long, env = "ARBEJDSBORD_BIN")]
    server_bin: PathBuf,
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    site_root: PathBuf,
    #[arg(long, default_value_t = 2_000)]
    caseworkers: usize,
    /// How long the day is played, after everyone is connected.
    #[arg(long, default_value_t = 15.0)]
    minutes: f64,
    /// A caseworker's mean think time on a task, in seconds (exponentially distributed).
    #[arg(long, default_value_t = 30.0)]
    think_secs: f64,
    /// Server processes on the one database (PostgreSQL only for more than one).
    #[arg(long, default_value_t = 1)]
    instances: usize,
    /// Kommuner the caseworkers are spread over.
    #[arg(long, default_value_t = 5)]
    kommuner: usize,
    /// Fordringer per kommune in its extract.
    #[arg(long, default_value_t = 30_000)]
    fordringer: usize,
    /// Scorers (KOMBIT and the fagfællesskaber's members, round robin) scoring now and then.
    #[arg(long, default_value_t = 20)]
    scorers: usize,
    /// A JSON line with the figures is appended here.
    #[arg(long)]
    results: Option<PathBuf>,
}

impl Args {
    fn db_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| format!("sqlite://{}", self.work.join("load.db").display()))
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.kommuner >= 1 && args.kommuner <= KOMMUNER.len(), "--kommuner 1–{}", KOMMUNER.len());
    anyhow::ensure!(args.instances == 1 || args.db_url().starts_with("postgres"), "several instances need PostgreSQL");
    std::fs::create_dir_all(&args.work)?;
    let kommuner: Vec<Kommunenr> =
        KOMMUNER[..args.kommuner].iter().map(|&nr| Kommunenr::try_from(nr)).collect::<Result<_, _>>()?;

    let t = Instant::now();
    let people = setup(&args, &kommuner).await?;
    eprintln!("load: set up in {:.0} s", t.elapsed().as_secs_f64());

    let servers = roles::Servers::start(&args).await?;
    let stats = Arc::new(stats::Stats::default());
    let probes = Arc::new(probe::Probes::new(&kommuner));
    let client = reqwest::Client::builder().pool_max_idle_per_host(256).timeout(Duration::from_secs(60)).build()?;
    let world = Arc::new(roles::World {
        client,
        bases: servers.bases.clone(),
        stats: stats.clone(),
        probes,
        args: args.clone(),
    });

    // Everyone connects first (boards open), then the day starts.
    let boards = roles::open_boards(&world, &people.caseworkers).await?;
    let rss_connected = servers.rss_mb()?;
    eprintln!("load: {} boards open, the servers hold {rss_connected:.0} MiB", people.caseworkers.len());
    let start = Instant::now();
    let until = start + Duration::from_secs_f64(args.minutes * 60.0);
    let mut actors = Vec::new();
    for (i, cw) in people.caseworkers.iter().enumerate() {
        actors.push(tokio::spawn(roles::caseworker(world.clone(), cw.clone(), i as u64, until)));
    }
    for (i, lead) in people.leads.iter().enumerate() {
        actors.push(tokio::spawn(roles::project_lead(world.clone(), lead.clone(), i as u64, until)));
    }
    for (i, f) in people.finance.into_iter().enumerate() {
        actors.push(tokio::spawn(roles::finance(world.clone(), f.kommune, f.token, f.fordringer, i as u64, until)));
    }
    for (i, s) in people.scorers.iter().enumerate() {
        actors.push(tokio::spawn(roles::scorer(world.clone(), s.clone(), i as u64, until)));
    }
    let mut rss_max = rss_connected;
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(5)).await;
        rss_max = rss_max.max(servers.rss_mb()?);
        eprint!("\rload: {:>4.0} s  {}", start.elapsed().as_secs_f64(), stats.progress());
    }
    eprintln!();
    for a in actors {
        a.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let board_drops = boards.drops();
    drop(boards);
    let rss_after = servers.rss_mb()?;
    servers.stop().await;

    let visible = world.probes.latencies();
    let report = json!({
        "bench": "load",
        "database": if args.db_url().starts_with("postgres") { "postgresql" } else { "sqlite" },
        "instances": args.instances,
        "caseworkers": args.caseworkers,
        "kommuner": args.kommuner,
        "fordringer_per_kommune": args.fordringer,
        "think_secs": args.think_secs,
        "seconds": elapsed,
        "calls": stats.summary(),
        "errors": stats.errors(),
        "closed_meanwhile": stats.closed_meanwhile_count(),
        "error_examples": stats.error_examples(),
        "board_drops": board_drops,
        "change_to_count": {
            "probes": world.probes.count(),
            "deliveries": visible.len(),
            "missed": world.probes.missed(),
            "p50_ms": stats::quantile(&visible, 0.5),
            "p95_ms": stats::quantile(&visible, 0.95),
            "max_ms": stats::quantile(&visible, 1.0),
        },
        "rss_connected_mb": rss_connected,
        "rss_max_mb": rss_max,
        "rss_after_mb": rss_after,
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    if let Some(path) = &args.results {
        use std::io::Write as _;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        writeln!(f, "{}", serde_json::to_string(&report)?)?;
    }
    let errors = stats.errors();
    anyhow::ensure!(errors == 0, "{errors} calls failed");
    Ok(())
}

/// Who plays, with their session cookies and tokens.
struct People {
    caseworkers: Vec<roles::Person>,
    leads: Vec<roles::Person>,
    scorers: Vec<roles::Person>,
    finance: Vec<Finance>,
}

/// A kommune's finance system: its token and fordringer it posts dækninger to.
struct Finance {
    kommune: Kommunenr,
    token: String,
    fordringer: Vec<String>,
}

async fn setup(args: &Args, kommuner: &[Kommunenr]) -> anyhow::Result<People> {
    let db = Db::connect(&args.db_url()).await.with_context(|| args.db_url())?;
    let ctx = AppContext::new(db.clone(), Settings { secure_cookies: false, session_hours: 24 });
    let fresh = {
        let mut conn = db.read.acquire().await?;
        !app::store::tasks::any(&mut conn, kommuner[0].get()).await?
    };
    if fresh {
        eprintln!(
            "load: the demo (ændringsønsker, scorers) and {} kommuner × {} fordringer",
            kommuner.len(),
            args.fordringer
        );
        fixtures::demo::load_demo(&ctx, &args.work.join("demo"))
            .await
            .map_err(|e| anyhow::anyhow!("demo-load: {e:?}"))?;
        for (i, &k) in kommuner.iter().enumerate() {
            let dir = args.work.join(format!("extract-{k}"));
            write_demo_extract(
                &dir,
                &DemoExtractOptions { kommune: k, seed: 7 + i as u64, fordringer: args.fordringer },
            )?;
            import_extract(&db, k, &dir, &ImportOptions::default())
                .await
                .map_err(|e| anyhow::anyhow!("import {k}: {e:?}"))?;
        }
    }
    let mut finance = Vec::new();
    for &k in kommuner {
        let token = auth::create_token(&db, k, &format!("load-{}", std::process::id())).await?;
        let mut conn = db.read.acquire().await?;
        let mut fordringer = Vec::new();
        for id in app::store::tasks::sample_open_opret(&mut conn, k.get(), 500).await? {
            if let Some(t) = app::store::tasks::get(&mut conn, id).await? {
                fordringer.push(t.fordring_id);
            }
        }
        finance.push(Finance { kommune: k, token, fordringer });
    }
    let account = |username: String, role: Role, k: Option<Kommunenr>| NewAccount {
        display_name: username.clone(),
        username,
        password: PASSWORD.into(),
        role,
        kommune: k,
        fagfaellesskab: None,
        is_demo: true,
    };
    let mut wanted = Vec::new();
    for i in 0..args.caseworkers {
        let k = kommuner[i % kommuner.len()];
        wanted.push((account(format!("load.{k}.sb{i}"), Role::Sagsbehandler, Some(k)), PASSWORD));
    }
    for &k in kommuner {
        wanted.push((account(format!("load.{k}.projektleder"), Role::Projektleder, Some(k)), PASSWORD));
    }
    // The demo's scorers: KOMBIT and three members of each fagfællesskab.
    let mut scorer_names = vec!["kombit".to_string()];
    for ff in app::domain::aendring::routing::FAGFAELLESSKABER {
        scorer_names.extend(fixtures::demo::aendringer::scorer_usernames(ff));
    }
    // Sessions, four logins at a time (each hashes a password: the server's own cost).
    let sessions = futures::stream::iter(wanted.into_iter().map(|(acc, pw)| {
        let (db, ctx) = (db.clone(), ctx.clone());
        async move {
            let username = acc.username.clone();
            let k = acc.kommune;
            let exists = {
                let mut conn = db.read.acquire().await?;
                users::by_username(&mut conn, &username).await?.is_some()
            };
            if !exists {
                auth::create_user(&db, acc).await?;
            }
            let (token, _) = auth::login(&ctx, &username, pw, None).await?;
            Ok::<_, anyhow::Error>(roles::Person {
                username,
                kommune: k,
                cookie: format!("{}={token}", auth::SESSION_COOKIE),
            })
        }
    }))
    .buffer_unordered(4)
    .collect::<Vec<_>>()
    .await
    .into_iter()
    .collect::<anyhow::Result<Vec<_>>>()?;
    let mut scorers = Vec::new();
    for name in scorer_names.iter().cycle().take(args.scorers) {
        let (token, _) = auth::login(&ctx, name, fixtures::demo::DEMO_PASSWORD, None).await?;
        scorers.push(roles::Person {
            username: name.clone(),
            kommune: None,
            cookie: format!("{}={token}", auth::SESSION_COOKIE),
        });
    }
    let (leads, caseworkers): (Vec<_>, Vec<_>) =
        sessions.into_iter().partition(|p| p.username.ends_with(".projektleder"));
    drop((ctx, db));
    Ok(People { caseworkers, leads, scorers, finance })
}
