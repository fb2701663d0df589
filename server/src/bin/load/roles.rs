//! The servers and the virtual users: caseworkers with live boards, project leads, the finance
//! systems and the scorers. Each call goes over HTTP as the browser (server functions, session
//! cookie, `Accept: application/json`) or the integration (REST, bearer token) makes it.

use crate::Args;
use crate::probe::Probes;
use crate::stats::Stats;
use app::domain::Kommunenr;
use app::domain::aendring::Criterion;
use app::domain::resolve::ResolveInput;
use app::model::aendring::Matrix;
use app::model::task::TaskDetail;
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct Person {
    pub username: String,
    pub kommune: Option<Kommunenr>,
    /// `arbejdsbord_session=…`
    pub cookie: String,
}

#[derive(Clone)]
pub struct World {
    pub client: reqwest::Client,
    pub bases: Vec<String>,
    pub stats: Arc<Stats>,
    pub probes: Arc<Probes>,
    pub args: Args,
}

impl World {
    /// The instance a user is served by (as a load balancer with sticky sessions would).
    fn base(&self, n: u64) -> &str {
        &self.bases[n as usize % self.bases.len()]
    }

    /// A server function as the browser calls it; the answer as JSON, timed as `call`.
    async fn server_fn<T: DeserializeOwned>(
        &self,
        n: u64,
        person: &Person,
        call: &'static str,
        form: &[(&str, String)],
    ) -> Option<T> {
        let t = Instant::now();
        let res = self
            .client
            .post(format!("{}/sf/{call}", self.base(n)))
            .header("cookie", &person.cookie)
            .header("accept", "application/json")
            .form(form)
            .send()
            .await;
        self.answer(call, t, res).await
    }

    async fn answer<T: DeserializeOwned>(
        &self,
        call: &'static str,
        t: Instant,
        res: reqwest::Result<reqwest::Response>,
    ) -> Option<T> {
        let res = match res {
            Ok(r) => r,
            Err(e) => {
                self.stats.error(call, e.to_string());
                return None;
            }
        };
        let status = res.status();
        let body = res.bytes().await;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        match body {
            Ok(b) if status.is_success() => match serde_json::from_slice(&b) {
                Ok(v) => {
                    self.stats.ok(call, ms);
                    Some(v)
                }
                Err(e) => {
                    self.stats.error(call, format!("{e}: {}", String::from_utf8_lossy(&b[..b.len().min(200)])));
                    None
                }
            },
            Ok(b) if status == reqwest::StatusCode::CONFLICT && b.starts_with(b"{\"AlreadyResolved\"") => {
                self.stats.closed_meanwhile();
                None
            }
            Ok(b) => {
                self.stats.error(call, format!("{status}: {}", String::from_utf8_lossy(&b[..b.len().min(300)])));
                None
            }
            Err(e) => {
                self.stats.error(call, format!("{status}: {e}"));
                None
            }
        }
    }
}

/// Exponentially distributed, mean `mean_s`, at most four times the mean.
fn think(rng: &mut StdRng, mean_s: f64) -> Duration {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    Duration::from_secs_f64((-u.ln() * mean_s).min(4.0 * mean_s))
}

async fn sleep_until_or(until: Instant, d: Duration) -> bool {
    let wake = Instant::now() + d;
    tokio::time::sleep_until(wake.min(until).into()).await;
    Instant::now() < until
}

/// Every caseworker's board: a live stream of the kommune's counts, reopened when it drops.
pub struct Boards {
    tasks: Vec<tokio::task::JoinHandle<()>>,
    drops: Arc<AtomicUsize>,
}

impl Boards {
    pub fn drops(&self) -> usize {
        self.drops.load(Ordering::Relaxed)
    }
}

impl Drop for Boards {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

pub async fn open_boards(world: &Arc<World>, caseworkers: &[Person]) -> anyhow::Result<Boards> {
    let drops = Arc::new(AtomicUsize::new(0));
    let (ready_tx, mut ready) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut tasks = Vec::new();
    for (i, cw) in caseworkers.iter().enumerate() {
        let k = cw.kommune.ok_or_else(|| anyhow::anyhow!("{} has no kommune", cw.username))?;
        let board = world.probes.register(k);
        let url = format!("{}/live/kommuner/{k}/opgavepakker", world.base(i as u64));
        let (world, cookie, drops, ready_tx) = (world.clone(), cw.cookie.clone(), drops.clone(), ready_tx.clone());
        tasks.push(tokio::spawn(async move {
            let mut first = Some(ready_tx);
            loop {
                if let Ok(res) = world
                    .client
                    .get(&url)
                    .header("cookie", &cookie)
                    .timeout(Duration::from_secs(24 * 3600))
                    .send()
                    .await
                    && res.status().is_success()
                {
                    let mut stream = res.bytes_stream();
                    let mut buf = String::new();
                    while let Some(Ok(chunk)) = stream.next().await {
                        let at = Instant::now();
                        buf.push_str(&String::from_utf8_lossy(&chunk));
                        while let Some(end) = buf.find("\n\n") {
                            let event: String = buf.drain(..end + 2).collect();
                            let version = event
                                .lines()
                                .find_map(|l| l.strip_prefix("data: "))
                                .and_then(|d| serde_json::from_str::<Value>(d).ok())
                                .and_then(|v| v["version"].as_i64());
                            if let Some(v) = version {
                                world.probes.seen(k, board, v, at);
                                if let Some(tx) = first.take() {
                                    let _ = tx.send(());
                                }
                            }
                        }
                    }
                }
                drops.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
        if i % 100 == 99 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    drop(ready_tx);
    for n in 0..caseworkers.len() {
        tokio::time::timeout(Duration::from_secs(120), ready.recv())
            .await
            .map_err(|_| anyhow::anyhow!("only {n} of {} boards got their first counts", caseworkers.len()))?;
    }
    Ok(Boards { tasks, drops })
}

/// The answer a caseworker gives from what the task page shows: the person's bevilling when
/// the fordring has none, a ydelse of the chosen bevilling as reference, the kravtype confirmed,
/// the paragraffer as on the fordring or the usual ones.
fn answer(t: &TaskDetail) -> Vec<(&'static str, String)> {
    let f = &t.fordring;
    let bevilling = if t.defects.b { t.known.bevillinger.first().cloned().unwrap_or_default() } else { String::new() };
    let chosen = if t.defects.b { Some(bevilling.clone()) } else { f.bevilling_id.clone() };
    let reference = f.ydelsesreference.clone().filter(|r| !r.is_empty()).unwrap_or_else(|| {
        t.known
            .ydelser
            .iter()
            .find(|y| Some(&y.bevilling_id) == chosen.as_ref())
            .map(|y| y.ydelse_id.clone())
            .or_else(|| t.known.reference_example.clone())
            .unwrap_or_default()
    });
    let or = |v: &Option<String>, d: &str| v.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| d.to_string());
    let input = ResolveInput {
        bevilling_id: bevilling,
        ydelsesreference: reference,
        kravtype: or(&f.kravtype, "Tilbagebetaling af kontanthjælp"),
        kravtype_bekraeftet: true,
        udbetalingsparagraf: or(&f.udbetalingsparagraf, "LAS § 25"),
        tilbagebetalingsparagraf: or(&f.tilbagebetalingsparagraf, "LAS § 91"),
    };
    vec![
        ("task_id", t.id.to_string()),
        ("input[bevilling_id]", input.bevilling_id),
        ("input[ydelsesreference]", input.ydelsesreference),
        ("input[kravtype]", input.kravtype),
        ("input[kravtype_bekraeftet]", input.kravtype_bekraeftet.to_string()),
        ("input[udbetalingsparagraf]", input.udbetalingsparagraf),
        ("input[tilbagebetalingsparagraf]", input.tilbagebetalingsparagraf),
    ]
}

/// Next task, read it, think, resolve; now and then a look at an opgavepakke's list.
pub async fn caseworker(world: Arc<World>, me: Person, n: u64, until: Instant) {
    let mut rng = StdRng::seed_from_u64(n);
    let mean = world.args.think_secs;
    // Not everyone starts at the same second.
    if !sleep_until_or(until, Duration::from_secs_f64(rng.gen_range(0.0..mean))).await {
        return;
    }
    loop {
        let next: Option<Option<i64>> = world.server_fn(n, &me, "next_task", &[]).await;
        let Some(Some(task_id)) = next else {
            // None left for me (or the call failed, counted): look again in a while.
            if !sleep_until_or(until, Duration::from_secs(10)).await {
                return;
            }
            continue;
        };
        let task: Option<TaskDetail> = world.server_fn(n, &me, "get_task", &[("task_id", task_id.to_string())]).await;
        let Some(task) = task else { continue };
        if !sleep_until_or(until, think(&mut rng, mean)).await {
            return;
        }
        let _: Option<Value> = world.server_fn(n, &me, "resolve_task", &answer(&task)).await;
        if rng.gen_bool(0.1) {
            let nr = rng.gen_range(1..=17u8).to_string();
            let _: Option<Value> = world
                .server_fn(n, &me, "list_opgavepakke", &[("opgavepakke_nr", nr), ("query[page]", "0".into())])
                .await;
        }
        if !sleep_until_or(until, think(&mut rng, mean / 6.0)).await {
            return;
        }
    }
}

/// Report R2.1 (first page and totals) about once a minute.
pub async fn project_lead(world: Arc<World>, me: Person, n: u64, until: Instant) {
    let mut rng = StdRng::seed_from_u64(10_000 + n);
    while sleep_until_or(until, think(&mut rng, 60.0)).await {
        let _: Option<Value> = world.server_fn(n, &me, "list_report", &[("query[page]", "0".into())]).await;
        let _: Option<Value> = world.server_fn(n, &me, "get_report_totals", &[]).await;
    }
}

/// The kommune's finance system: a dækning every two seconds or so, to the first instance; each
/// one a change → count probe.
pub async fn finance(world: Arc<World>, k: Kommunenr, token: String, fordringer: Vec<String>, n: u64, until: Instant) {
    let mut rng = StdRng::seed_from_u64(20_000 + n);
    let base = world.bases[0].clone();
    // The last probes need time to arrive.
    let until = until - Duration::from_secs(10);
    let mut i = 0;
    while sleep_until_or(until, think(&mut rng, 2.0)).await && !fordringer.is_empty() {
        i += 1;
        let fordring = &fordringer[rng.gen_range(0..fordringer.len())];
        let body = json!({"daekning_id": format!("LOAD-{}-{k}-{i}", std::process::id()), "fordring_id": fordring,
                          "art": "daekning", "beloeb": "100,00", "dato": "2027-01-10"});
        let sent = Instant::now();
        let res = world
            .client
            .post(format!("{base}/api/v1/kommuner/{k}/daekninger"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await;
        let done: Option<Value> = world.answer("post_daekning", sent, res).await;
        if done.is_none() {
            continue;
        }
        let t = Instant::now();
        let res = world.client.get(format!("{base}/api/v1/kommuner/{k}/opgavepakker")).bearer_auth(&token).send().await;
        let counts: Option<Value> = world.answer("get_opgavepakker", t, res).await;
        if let Some(v) = counts.and_then(|c| c["version"].as_i64()) {
            world.probes.start(k, v, sent);
        }
    }
}

/// KOMBIT or a fagfællesskab member: the matrix, then one score where they may.
pub async fn scorer(world: Arc<World>, me: Person, n: u64, until: Instant) {
    let mut rng = StdRng::seed_from_u64(30_000 + n);
    while sleep_until_or(until, think(&mut rng, 10.0)).await {
        let matrix: Option<Matrix> = world.server_fn(n, &me, "get_matrix", &[]).await;
        let Some(m) = matrix else { continue };
        let cells: Vec<(i64, usize)> = m
            .rows
            .iter()
            .flat_map(|r| r.may_score.iter().enumerate().filter(|(_, may)| **may).map(move |(c, _)| (r.id, c)))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let (id, c) = cells[rng.gen_range(0..cells.len())];
        let form = [
            ("id", id.to_string()),
            ("criterion", Criterion::ALL[c].key().to_string()),
            ("score", rng.gen_range(1..=5u8).to_string()),
        ];
        let _: Option<Value> = world.server_fn(n, &me, "score_aendring", &form).await;
    }
}

/// The server processes, each on its own port, logging to the work folder.
pub struct Servers {
    pub bases: Vec<String>,
    children: Vec<tokio::process::Child>,
    pids: Vec<u32>,
}

impl Servers {
    pub async fn start(args: &Args) -> anyhow::Result<Servers> {
        let mut children = Vec::new();
        let mut bases = Vec::new();
        for i in 0..args.instances {
            let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
            let log = std::fs::File::create(args.work.join(format!("server-{i}.log")))?;
            children.push(
                tokio::process::Command::new(&args.server_bin)
                    .arg("serve")
                    .env("DATABASE_URL", args.db_url())
                    .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
                    .env("LEPTOS_SITE_ROOT", &args.site_root)
                    .env("RUST_LOG", "warn")
                    .stdout(log.try_clone()?)
                    .stderr(log)
                    .kill_on_drop(true)
                    .spawn()?,
            );
            bases.push(format!("http://127.0.0.1:{port}"));
        }
        let pids =
            children.iter().map(|c| c.id().ok_or_else(|| anyhow::anyhow!("server pid"))).collect::<Result<_, _>>()?;
        let client = reqwest::Client::new();
        for b in &bases {
            let mut up = false;
            for _ in 0..600 {
                if client.get(format!("{b}/health/ready")).send().await.is_ok_and(|r| r.status().is_success()) {
                    up = true;
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            anyhow::ensure!(up, "the server at {b} did not get ready (see {})", args.work.display());
        }
        Ok(Servers { bases, children, pids })
    }

    /// The servers' resident memory, summed, in MiB.
    pub fn rss_mb(&self) -> anyhow::Result<f64> {
        Ok(server::telemetry::rss_kib(&self.pids)? as f64 / 1024.0)
    }

    pub async fn stop(mut self) {
        for c in &mut self.children {
            let _ = c.kill().await;
        }
    }
}
