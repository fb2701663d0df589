//! Change → count visible in other browsers: the real server binary with N subscribers to a
//! kommune's counts (server-sent events), dækninger posted one at a time through the API; the
//! time from the POST until each subscriber has the new version, and the server's memory.

use super::{Ctx, quantile};
use app::domain::Kommunenr;
use app::service::auth;
use app::store::{Db, tasks};
use futures::StreamExt;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const CHANGES: usize = 20;

pub async fn run(ctx: &Ctx, bin: &Path, subscribers: usize) -> anyhow::Result<()> {
    let k = Kommunenr::parse("751")?;
    let db = Db::connect(&ctx.db_url()).await?;
    let token = auth::create_token(&db, k, &format!("bench-live-{}", std::process::id())).await?;
    let fordringer: Vec<String> = {
        let mut conn = db.read.acquire().await?;
        let mut out = Vec::new();
        for id in tasks::sample_open_opret(&mut conn, k.get(), CHANGES as i64).await? {
            if let Some(t) = tasks::get(&mut conn, id).await? {
                out.push(t.fordring_id);
            }
        }
        out
    };
    drop(db);

    // On PostgreSQL two instances: subscribers alternate between them, changes go to the first,
    // so half the subscribers see a change made through the other instance.
    let instances = if ctx.pg.is_some() { 2 } else { 1 };
    let mut servers = Vec::new();
    let mut bases = Vec::new();
    for _ in 0..instances {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        servers.push(
            tokio::process::Command::new(bin)
                .arg("serve")
                .env("DATABASE_URL", ctx.db_url())
                .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                .env("RUST_LOG", "warn")
                .kill_on_drop(true)
                .spawn()?,
        );
        bases.push(format!("http://127.0.0.1:{port}"));
    }
    let pids: Vec<u32> =
        servers.iter().map(|s| s.id().ok_or_else(|| anyhow::anyhow!("server pid"))).collect::<Result<_, _>>()?;
    let base = bases[0].clone();
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
    for b in &bases {
        for _ in 0..300 {
            if client.get(format!("{b}/health/ready")).send().await.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let rss_idle = server::telemetry::rss_kib(&pids)?;

    let (tx, mut rx) = mpsc::unbounded_channel::<(usize, i64, Instant)>();
    for chunk in (0..subscribers).collect::<Vec<_>>().chunks(100) {
        let mut opening = Vec::new();
        for &i in chunk {
            let url = format!("{}/live/kommuner/751/opgavepakker", bases[i % instances]);
            let (tx, token) = (tx.clone(), token.clone());
            let client = reqwest::Client::new();
            opening.push(tokio::spawn(async move {
                let res = client.get(url).bearer_auth(token).send().await?;
                anyhow::ensure!(res.status().is_success(), "subscribe: {}", res.status());
                let mut stream = res.bytes_stream();
                tokio::spawn(async move {
                    let mut buf = String::new();
                    while let Some(Ok(chunk)) = stream.next().await {
                        buf.push_str(&String::from_utf8_lossy(&chunk));
                        while let Some(end) = buf.find("\n\n") {
                            let event: String = buf.drain(..end + 2).collect();
                            if let Some(v) = event
                                .lines()
                                .find_map(|l| l.strip_prefix("data: "))
                                .and_then(|d| serde_json::from_str::<Value>(d).ok())
                                .and_then(|v| v["version"].as_i64())
                            {
                                let _ = tx.send((i, v, Instant::now()));
                            }
                        }
                    }
                });
                Ok(())
            }));
        }
        for o in opening {
            o.await??;
        }
    }
    // every subscriber has its first snapshot
    let mut latest = vec![0i64; subscribers];
    let mut have = 0;
    while have < subscribers {
        let (i, v, _) = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await?.expect("channel");
        if latest[i] == 0 {
            have += 1;
        }
        latest[i] = latest[i].max(v);
    }
    let rss_connected = server::telemetry::rss_kib(&pids)?;

    let mut latencies = Vec::new();
    let mut other_instance = Vec::new();
    let mut missed = 0usize;
    for (n, fordring) in fordringer.iter().enumerate() {
        let before = *latest.iter().max().unwrap_or(&0);
        let body = json!({"daekning_id": format!("BENCH-LIVE-{}-{n}", std::process::id()), "fordring_id": fordring,
                          "art": "daekning", "beloeb": "100,00", "dato": "2026-11-20"});
        let t0 = Instant::now();
        let res = client
            .post(format!("{base}/api/v1/kommuner/751/daekninger"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await?;
        anyhow::ensure!(res.status() == 201, "post dækning: {}", res.status());
        let mut arrived = vec![false; subscribers];
        let mut count = 0;
        let deadline = Instant::now() + Duration::from_secs(5);
        while count < subscribers {
            let Ok(Some((i, v, at))) = tokio::time::timeout_at(deadline.into(), rx.recv()).await else { break };
            latest[i] = latest[i].max(v);
            if v > before && !arrived[i] {
                arrived[i] = true;
                count += 1;
                let ms = at.duration_since(t0).as_secs_f64() * 1e3;
                latencies.push(ms);
                if i % instances != 0 {
                    other_instance.push(ms);
                }
            }
        }
        missed += subscribers - count;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let rss_after = server::telemetry::rss_kib(&pids)?;
    for mut server in servers {
        let _ = server.kill().await;
    }
    latencies.sort_by(f64::total_cmp);
    other_instance.sort_by(f64::total_cmp);
    ctx.record(json!({
        "bench": ctx.bench_name("live"),
        "instances": instances,
        "p95_other_instance_ms": quantile(&other_instance, 0.95),
        "subscribers": subscribers,
        "changes": fordringer.len(),
        "deliveries": latencies.len(),
        "missed": missed,
        "p50_ms": quantile(&latencies, 0.5),
        "p95_ms": quantile(&latencies, 0.95),
        "max_ms": quantile(&latencies, 1.0),
        "rss_idle_mb": rss_idle as f64 / 1024.0,
        "rss_connected_mb": rss_connected as f64 / 1024.0,
        "rss_after_mb": rss_after as f64 / 1024.0,
    }))?;
    Ok(())
}
