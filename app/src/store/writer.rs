//! The one way to write. Every change to the database — a resolve, a dækning, an audit row, an
//! import, a score — is a job handed to `Writer::run`. One thread owns the only writing
//! connection and runs whatever has queued up as ONE transaction (group commit): each job in its
//! own savepoint, so a failing job undoes only itself, then one commit and one fsync for all.
//! A job is acknowledged only after that commit, so an acknowledged write survives a crash or a
//! power loss (WAL, `synchronous=FULL`).
//!
//! Why a thread of its own: the writer's many short waits on SQLite (sqlx runs each statement on
//! the connection's worker thread) would otherwise queue behind every HTTP request in the
//! server's runtime; on its own current-thread runtime each statement costs one hop, not one
//! scheduling round.
//!
//! Opgavepakke counters are batched too: a job adds its `CountDelta` with `WriteTx::count`; the
//! batch applies the sum once per kommune before it commits (one version bump per kommune per
//! batch) and publishes the new snapshots to the live hub after the commit.

use super::Conn;
use super::counters::{self, CountDelta};
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::live::LiveHub;
use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::Executor;
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use tokio::sync::{mpsc, oneshot};

/// What the writers of this process have done so far: batches, jobs, and the time spent running
/// jobs and committing (the benchmark reads it to show whether the writer is the wall).
#[derive(Clone, Copy, Debug, Default)]
pub struct WriterStats {
    pub batches: u64,
    pub jobs: u64,
    pub jobs_ns: u64,
    pub commit_ns: u64,
}

static BATCHES: AtomicU64 = AtomicU64::new(0);
static JOBS: AtomicU64 = AtomicU64::new(0);
static JOBS_NS: AtomicU64 = AtomicU64::new(0);
static COMMIT_NS: AtomicU64 = AtomicU64::new(0);

pub fn stats() -> WriterStats {
    WriterStats {
        batches: BATCHES.load(Ordering::Relaxed),
        jobs: JOBS.load(Ordering::Relaxed),
        jobs_ns: JOBS_NS.load(Ordering::Relaxed),
        commit_ns: COMMIT_NS.load(Ordering::Relaxed),
    }
}

/// Jobs in one batch at most (bounds the latency of the last one in it).
const MAX_BATCH: usize = 256;

/// What a job writes through: the writer's connection inside the batch's transaction (it derefs
/// to a connection, so every `store` function takes it), and the counter changes it makes.
pub struct WriteTx {
    conn: Conn,
    counts: BTreeMap<Kommunenr, CountDelta>,
}

impl WriteTx {
    /// Adds to a kommune's opgavepakke counters; applied with the batch, published after commit.
    pub fn count(&mut self, kommune: Kommunenr, delta: &CountDelta) {
        if !delta.is_empty() {
            self.counts.entry(kommune).or_default().merge(delta);
        }
    }

    /// Publishes the kommune's snapshot after commit although no count changed (its version is
    /// bumped): open boards then fetch what changed beside the counts, e.g. the plan.
    pub fn touch(&mut self, kommune: Kommunenr) {
        self.counts.entry(kommune).or_default();
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

/// Runs after the batch with whether it committed.
type Completion = Box<dyn FnOnce(bool) + Send>;
type TxJob = Box<dyn for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, (bool, Completion)> + Send>;
/// Work that must run outside any transaction (checkpoint, ANALYZE, cache size).
type ConnJob = Box<dyn for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, ()> + Send>;

enum Job {
    Tx(TxJob),
    Conn(ConnJob),
}

/// The handle every writer holds; cheap to clone.
#[derive(Clone, Debug)]
pub struct Writer {
    queue: mpsc::Sender<Job>,
    /// Batches committed so far (the checkpointer follows it).
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Moves the connection to the writer thread. Snapshots of changed counters go to `live`.
    pub fn start(conn: Conn, live: Arc<LiveHub>) -> Writer {
        let (queue, jobs) = mpsc::channel::<Job>(4_096);
        let commits = Arc::new(AtomicU64::new(0));
        let counter = commits.clone();
        std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                match runtime {
                    Ok(runtime) => runtime.block_on(writer_loop(conn, jobs, live, counter)),
                    Err(error) => tracing::error!(%error, "the database writer could not start"),
                }
            })
            .expect("spawn the database writer thread");
        Writer { queue, commits }
    }

    /// The commit counter, for the checkpointer; it lives as long as the writer thread.
    pub(super) fn commits(&self) -> Weak<AtomicU64> {
        Arc::downgrade(&self.commits)
    }

    /// Runs `work` in the next batch's transaction and returns its result once the batch has
    /// committed. An `Err` from `work` rolls back only what `work` wrote.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<AppError> + Send + 'static,
        F: for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, E>>();
        let job: TxJob = Box::new(move |tx| {
            Box::pin(async move {
                let result = work(tx).await;
                let ok = result.is_ok();
                let done: Completion = Box::new(move |committed| {
                    let _ = reply.send(match result {
                        Ok(_) if !committed => Err(E::from(AppError::Internal)),
                        other => other,
                    });
                });
                (ok, done)
            })
        });
        self.send(Job::Tx(job)).await?;
        answer.await.map_err(|_| E::from(AppError::Internal))?
    }

    /// Runs `work` on the writer's connection between batches, outside any transaction.
    pub(super) async fn run_outside<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<T, sqlx::Error>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: ConnJob = Box::new(move |conn| {
            Box::pin(async move {
                let _ = reply.send(work(conn).await);
            })
        });
        self.send(Job::Conn(job)).await?;
        Ok(answer.await.map_err(|_| AppError::Internal)??)
    }

    async fn send(&self, job: Job) -> Result<(), AppError> {
        self.queue.send(job).await.map_err(|_| {
            tracing::error!("the database writer has stopped");
            AppError::Internal
        })
    }
}

async fn writer_loop(conn: Conn, mut jobs: mpsc::Receiver<Job>, live: Arc<LiveHub>, commits: Arc<AtomicU64>) {
    let mut tx = WriteTx { conn, counts: BTreeMap::new() };
    let mut waiting: Option<Job> = None;
    loop {
        let first = match waiting.take() {
            Some(job) => job,
            None => match jobs.recv().await {
                Some(job) => job,
                None => break,
            },
        };
        let first = match first {
            Job::Conn(work) => {
                work(&mut tx.conn).await;
                continue;
            }
            Job::Tx(job) => job,
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(Job::Tx(job)) => batch.push(job),
                Ok(other) => {
                    waiting = Some(other);
                    break;
                }
                Err(_) => break,
            }
        }
        run_batch(&mut tx, batch, &live).await;
        commits.fetch_add(1, Ordering::Release);
    }
    // Closing lets SQLite checkpoint the WAL and remove it.
    let _ = sqlx::Connection::close(tx.conn).await;
}

/// One transaction for the batch. If anything fails outside the jobs themselves (the begin, a
/// savepoint, the counters, the commit), the whole batch is rolled back and nobody is told it
/// was written.
async fn run_batch(tx: &mut WriteTx, batch: Vec<TxJob>, live: &LiveHub) {
    let mut done: Vec<Completion> = Vec::with_capacity(batch.len());
    let mut counts = BTreeMap::<Kommunenr, CountDelta>::new();
    let outcome = run_jobs(tx, batch, &mut done, &mut counts).await;
    let committed = match outcome {
        Ok(snapshots) => {
            for (kommune, snapshot) in snapshots {
                live.publish(kommune, snapshot);
            }
            true
        }
        Err(error) => {
            tracing::error!(%error, "a write batch failed; it is rolled back");
            if let Err(error) = tx.conn.execute("ROLLBACK").await {
                tracing::debug!(%error, "rollback after a failed batch");
            }
            false
        }
    };
    for d in done {
        d(committed);
    }
}

async fn run_jobs(
    tx: &mut WriteTx,
    batch: Vec<TxJob>,
    done: &mut Vec<Completion>,
    counts: &mut BTreeMap<Kommunenr, CountDelta>,
) -> Result<Vec<(Kommunenr, crate::domain::opgavepakke::OpgavepakkeCounts)>, sqlx::Error> {
    // A lone job needs no savepoint: if it fails, the transaction holds nothing else. Otherwise
    // each job runs in a savepoint; a succeeded job's RELEASE goes with the next job's SAVEPOINT
    // (one round trip to the connection's worker thread instead of two).
    let alone = batch.len() == 1;
    let started = std::time::Instant::now();
    BATCHES.fetch_add(1, Ordering::Relaxed);
    JOBS.fetch_add(batch.len() as u64, Ordering::Relaxed);
    tx.conn.execute("BEGIN IMMEDIATE").await?;
    let mut wrote = false;
    let mut to_release = false;
    for job in batch {
        if !alone {
            let open = if to_release { "RELEASE job; SAVEPOINT job" } else { "SAVEPOINT job" };
            tx.conn.execute(open).await?;
            to_release = false;
        }
        tx.counts.clear();
        // A panicking job must not take the writer down with it: it counts as failed (its caller
        // sees an internal error when its reply is dropped).
        let (ok, completion) = match AssertUnwindSafe(job(tx)).catch_unwind().await {
            Ok(outcome) => outcome,
            Err(_) => {
                tracing::error!("a write job panicked; it is rolled back");
                (false, Box::new(|_| ()) as Completion)
            }
        };
        done.push(completion);
        if ok {
            wrote = true;
            for (kommune, delta) in std::mem::take(&mut tx.counts) {
                counts.entry(kommune).or_default().merge(&delta);
            }
            to_release = !alone;
        } else if !alone {
            tx.conn.execute("ROLLBACK TO job; RELEASE job").await?;
        }
    }
    if to_release {
        tx.conn.execute("RELEASE job").await?;
    }
    if !wrote {
        tx.conn.execute("ROLLBACK").await?;
        return Ok(Vec::new());
    }
    let mut snapshots = Vec::with_capacity(counts.len());
    for (kommune, delta) in counts.iter() {
        snapshots.push((*kommune, counters::apply(&mut tx.conn, *kommune, delta).await?));
    }
    let committing = std::time::Instant::now();
    tx.conn.execute("COMMIT").await?;
    JOBS_NS.fetch_add((committing - started).as_nanos() as u64, Ordering::Relaxed);
    COMMIT_NS.fetch_add(committing.elapsed().as_nanos() as u64, Ordering::Relaxed);
    Ok(snapshots)
}
