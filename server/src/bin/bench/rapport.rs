//! Report R2.1 over HTTP on the bench database: the first page as the page asks for it (the
//! server function, with a project lead's session), the other sorts and the totals for
//! comparison, and full exports (XLSX, CSV) with the server's memory sampled while they run.
//! The server runs in this process (`Application` on port 0), so its RSS is this process's.
//! Targets: first page ≤ 200 ms, XLSX export ≤ 30 s in bounded memory.

use super::{Ctx, quantile};
use app::domain::{Kommunenr, Role};
use app::service::auth::{self, NewAccount};
use app::store::counters;
use futures::StreamExt;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench-rapport-adgang";

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let k = Kommunenr::parse("751")?;
    let opts = server::config::ServeOptions {
        addr: "127.0.0.1:0".parse()?,
        site_root: "target/site".into(),
        production: false,
        secure_cookies: false,
        trust_proxy: false,
        session_hours: 1,
        smtp_url: None,
        mail_from: "bench@arbejdsbord.invalid".into(),
    };
    let app = server::startup::Application::build(&ctx.db_url(), &opts).await?;
    let port = app.port();
    let actx = app.context();
    let username = format!("bench.pl.{}", std::process::id());
    auth::create_user(
        &actx.db,
        NewAccount {
            username: username.clone(),
            display_name: "Bench Projektleder".into(),
            password: PASSWORD.into(),
            role: Role::Projektleder,
            kommune: Some(k),
            fagfaellesskab: None,
            is_demo: false,
        },
    )
    .await?;
    let (token, _) = auth::login(&actx, &username, PASSWORD, None).await?;
    let open_tasks = {
        let mut conn = actx.db.read.acquire().await?;
        counters::read(&mut conn, k).await?.total()
    };
    tokio::spawn(app.run_until_stopped());
    let base = format!("http://127.0.0.1:{port}");
    let cookie = format!("{}={token}", auth::SESSION_COOKIE);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(600)).build()?;

    let page = |body: String| {
        let (client, cookie, url) = (client.clone(), cookie.clone(), format!("{base}/sf/list_report"));
        async move {
            let t = Instant::now();
            let res = client
                .post(url)
                .header("cookie", cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await?;
            anyhow::ensure!(res.status().is_success(), "list_report: {} {}", res.status(), res.text().await?);
            let value: serde_json::Value = res.json().await?;
            anyhow::ensure!(value["rows"].as_array().is_some_and(|r| !r.is_empty()), "no rows: {value}");
            Ok::<f64, anyhow::Error>(t.elapsed().as_secs_f64() * 1e3)
        }
    };
    let mut first = Vec::new();
    for _ in 0..30 {
        first.push(page("kommune=751&query[page]=0".into()).await?);
    }
    first.sort_by(f64::total_cmp);
    let mut other = serde_json::Map::new();
    for (name, body) in [
        ("page_50_ms", "kommune=751&query[page]=49"),
        ("sort_cpr_ms", "kommune=751&query[sort]=cpr"),
        ("sort_beloeb_ms", "kommune=751&query[sort]=beloeb"),
        ("sort_sagsbehandler_ms", "kommune=751&query[sort]=sagsbehandler"),
        ("filter_min_beloeb_ms", "kommune=751&query[min_beloeb]=10000"),
        ("filter_opgavepakke_ms", "kommune=751&query[opgavepakke]=03"),
    ] {
        other.insert(name.into(), json!(page(body.into()).await?));
    }
    for (name, endpoint, body) in
        [("totals_ms", "get_report_totals", "kommune=751"), ("matrix_ms", "get_report_matrix", "kommune=751&page=0")]
    {
        let t = Instant::now();
        let res = client
            .post(format!("{base}/sf/{endpoint}"))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "{endpoint}: {}", res.status());
        res.bytes().await?;
        other.insert(name.into(), json!(t.elapsed().as_secs_f64() * 1e3));
    }

    let mut exports = serde_json::Map::new();
    for format in ["xlsx", "csv"] {
        let rss_before = server::telemetry::rss_kib(&["self"])?;
        let peak = Arc::new(AtomicU64::new(rss_before));
        let sampling = {
            let peak = peak.clone();
            tokio::spawn(async move {
                loop {
                    if let Ok(kb) = server::telemetry::rss_kib(&["self"]) {
                        peak.fetch_max(kb, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            })
        };
        let t = Instant::now();
        let res = client
            .get(format!("{base}/api/v1/kommuner/751/rapport?format={format}"))
            .header("cookie", &cookie)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "export {format}: {}", res.status());
        let first_byte = t.elapsed().as_secs_f64();
        let mut stream = res.bytes_stream();
        let (mut bytes, mut head, mut first_chunk) = (0u64, Vec::new(), None);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            // The XLSX's first bytes come when the rows are written and the zip begins.
            first_chunk.get_or_insert_with(|| t.elapsed().as_secs_f64());
            if head.len() < 4 {
                head.extend_from_slice(&chunk[..chunk.len().min(4)]);
            }
            bytes += chunk.len() as u64;
        }
        let secs = t.elapsed().as_secs_f64();
        sampling.abort();
        match format {
            "xlsx" => anyhow::ensure!(head.starts_with(b"PK"), "not a zip"),
            _ => anyhow::ensure!(head.starts_with(b"\xEF\xBB\xBF"), "no BOM"),
        }
        exports.insert(
            format.into(),
            json!({
                "seconds": secs,
                "first_byte_s": first_byte,
                "first_chunk_s": first_chunk,
                "mb": bytes as f64 / 1e6,
                "rss_before_mb": rss_before as f64 / 1024.0,
                "rss_peak_mb": peak.load(Ordering::Relaxed) as f64 / 1024.0,
            }),
        );
    }

    ctx.record(json!({
        "bench": "rapport",
        "open_tasks": open_tasks,
        "first_page_p50_ms": quantile(&first, 0.5),
        "first_page_p95_ms": quantile(&first, 0.95),
        "first_page_max_ms": quantile(&first, 1.0),
        "other": other,
        "export": exports,
    }))?;
    Ok(())
}
