//! The benchmarks behind BENCHMARKS.md. Each measures the product and its baseline in the same
//! run on the same machine and reports the ratio, because this machine is shared and noisy.
//!
//!   cargo run --release -p server --bin bench -- [--fordringer N] [--only NAME,...]
//!
//! Results are appended as JSON lines to `<work>/results.jsonl`; `report` renders BENCHMARKS.md.

#![recursion_limit = "512"]

mod automation;
mod counts;
mod import;
mod inventory;
mod live;
mod rapport;
mod report;
mod rerank;
mod resolve;
mod wasm;

use clap::Parser;

/// mimalloc: much less time in malloc/free for imports of millions of rows, and less memory
/// fragmentation with thousands of open live connections.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;

#[derive(Parser, Debug)]
struct Args {
    /// Size of the extract for the import and the database the other benchmarks use.
    #[arg(long, default_value_t = 1_000_000)]
    fordringer: usize,
    /// Where extracts and databases go.
    #[arg(long, default_value = "data/bench")]
    work: PathBuf,
    /// Comma-separated subset: import,counts,resolve,live,wasm,rerank,report; also rapport
    /// (report R2.1: first page and full exports over HTTP), which is not in the default set.
    #[arg(long, default_value = "import,counts,resolve,live,wasm,rerank,report")]
    only: String,
    /// The release server binary (for the live benchmark, which measures its memory).
    #[arg(long, env = "ARBEJDSBORD_BIN")]
    server_bin: Option<PathBuf>,
    /// The built site (wasm size).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    site_root: PathBuf,
    /// Subscribers for the live benchmark.
    #[arg(long, default_value_t = 2_000)]
    subscribers: usize,
    /// Where the report goes.
    #[arg(long, default_value = "BENCHMARKS.md")]
    out: PathBuf,
    /// A PostgreSQL server (any database on it, e.g. `scripts/pg.sh url`): import, resolve and
    /// live then run there — against `psql \copy` and `pgbench` — with two instances, and are
    /// recorded as pg-import, pg-resolve and pg-live. The databases they make start with `bench`.
    #[arg(long)]
    pg: Option<String>,
}

pub struct Ctx {
    pub work: PathBuf,
    pub fordringer: usize,
    pub results: PathBuf,
    pub pg: Option<String>,
}

impl Ctx {
    /// The database the import benchmark produced (the others run on it).
    pub fn db_url(&self) -> String {
        match &self.pg {
            Some(_) => self.pg_url("bench_arbejdsbord"),
            None => format!("sqlite://{}", self.work.join("arbejdsbord.db").display()),
        }
    }

    /// The URL of database `name` on the PostgreSQL server of `--pg`.
    pub fn pg_url(&self, name: &str) -> String {
        let server = self.pg.as_deref().unwrap_or_default();
        let server = server.split('?').next().unwrap_or(server);
        format!("{}/{name}", server.rsplit_once('/').map_or(server, |(s, _)| s))
    }

    /// An empty database `name` on the PostgreSQL server (dropped first if it exists); its URL.
    pub async fn fresh_pg_db(&self, name: &str) -> anyhow::Result<String> {
        use sqlx::{AssertSqlSafe, Connection, raw_sql};
        let mut admin = sqlx::PgConnection::connect(&self.pg_url("postgres")).await?;
        raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))).execute(&mut admin).await?;
        raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\""))).execute(&mut admin).await?;
        Ok(self.pg_url(name))
    }

    /// The name a result is recorded under: `pg-` in front on PostgreSQL.
    pub fn bench_name(&self, name: &str) -> String {
        if self.pg.is_some() { format!("pg-{name}") } else { name.to_string() }
    }

    pub fn record(&self, value: serde_json::Value) -> anyhow::Result<()> {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&self.results)?;
        writeln!(f, "{value}")?;
        println!("{value}");
        Ok(())
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::telemetry::init(false);
    let args = Args::parse();
    std::fs::create_dir_all(&args.work)?;
    let ctx = Ctx {
        work: args.work.clone(),
        fordringer: args.fordringer,
        results: args.work.join("results.jsonl"),
        pg: args.pg.clone(),
    };
    let only: Vec<&str> = args.only.split(',').map(str::trim).collect();
    if only.contains(&"import") {
        import::run(&ctx).await?;
    }
    if only.contains(&"counts") {
        counts::run(&ctx).await?;
    }
    if only.contains(&"resolve") {
        resolve::run(&ctx).await?;
    }
    if only.contains(&"rapport") {
        rapport::run(&ctx).await?;
    }
    if only.contains(&"live") {
        let bin = args.server_bin.clone().ok_or_else(|| anyhow::anyhow!("--server-bin (ARBEJDSBORD_BIN) is needed"))?;
        live::run(&ctx, &bin, args.subscribers).await?;
    }
    if only.contains(&"wasm") {
        wasm::run(&ctx, &args.site_root)?;
    }
    if only.contains(&"rerank") {
        rerank::run(&ctx)?;
    }
    if only.contains(&"automation") {
        automation::run(&ctx).await?;
    }
    if only.contains(&"inventory") {
        inventory::run(&ctx).await?;
    }
    if only.contains(&"report") {
        report::write(&ctx, &args.out)?;
    }
    Ok(())
}

/// The value at quantile `q` (0..=1) of sorted samples.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[i]
}
