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

use super::counters::{self, CountDelta};
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::live::LiveHub;
use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::Executor;
use sqlx::SqliteConnection as Conn;
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
    conn: TxConn,
    counts: BTreeMap<Kommunenr, CountDelta>,
    /// The same SQLite connection seen through rusqlite, for synchronous jobs; made at the first
    /// one and used only while sqlx's worker thread is locked out (`lock_handle`).
    sync: Option<rusqlite::Connection>,
}

/// The connection a write job runs on: SQLite's one writer, or a PostgreSQL transaction.
pub(super) enum TxConn {
    Sqlite(Conn),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl WriteTx {
    pub(super) fn postgres(tx: sqlx::Transaction<'static, sqlx::Postgres>) -> WriteTx {
        WriteTx { conn: TxConn::Postgres(tx), counts: BTreeMap::new(), sync: None }
    }

    /// The counter changes the job made, taken for the commit.
    pub(super) fn take_counts(&mut self) -> BTreeMap<Kommunenr, CountDelta> {
        std::mem::take(&mut self.counts)
    }

    /// The PostgreSQL transaction, for its commit.
    pub(super) fn into_postgres(self) -> Option<sqlx::Transaction<'static, sqlx::Postgres>> {
        match self.conn {
            TxConn::Postgres(tx) => Some(tx),
            TxConn::Sqlite(_) => None,
        }
    }

    /// SQLite's writing connection (the writer thread makes every `WriteTx` it runs with one).
    fn writer_conn(&mut self) -> &mut Conn {
        match &mut self.conn {
            TxConn::Sqlite(conn) => conn,
            TxConn::Postgres(_) => unreachable!("SQLite's writer runs on a SQLite connection"),
        }
    }

    /// Adds to a kommune's opgavepakke counters; applied with the batch, published after commit.
    pub fn count(&mut self, kommune: Kommunenr, delta: &CountDelta) {
        add_count(&mut self.counts, kommune, delta);
    }

    /// Publishes the kommune's snapshot after commit although no count changed (its version is
    /// bumped): open boards then fetch what changed beside the counts, e.g. the plan.
    pub fn touch(&mut self, kommune: Kommunenr) {
        self.counts.entry(kommune).or_default();
    }
}

fn add_count(counts: &mut BTreeMap<Kommunenr, CountDelta>, kommune: Kommunenr, delta: &CountDelta) {
    if !delta.is_empty() {
        counts.entry(kommune).or_default().merge(delta);
    }
}

/// What a synchronous job writes through (`Writer::run_sync`): the writer's own SQLite
/// connection, driven by rusqlite on the handle sqlx lends while its worker thread is locked
/// out, inside the batch's transaction. No statement crosses to another thread, which is what
/// a write on sqlx's connection costs per statement (BENCHMARKS.md); the hottest write, a
/// resolve, runs this way.
pub struct SyncTx<'a> {
    pub db: &'a rusqlite::Connection,
    counts: &'a mut BTreeMap<Kommunenr, CountDelta>,
}

impl SyncTx<'_> {
    /// As `WriteTx::count`.
    pub fn count(&mut self, kommune: Kommunenr, delta: &CountDelta) {
        add_count(self.counts, kommune, delta);
    }
}

impl super::AnyConn for WriteTx {
    fn handle(&mut self) -> super::Handle<'_> {
        match &mut self.conn {
            TxConn::Sqlite(conn) => super::Handle::Sqlite(conn),
            TxConn::Postgres(tx) => super::Handle::Postgres(tx),
        }
    }
}

/// Runs after the batch with whether it committed.
type Completion = Box<dyn FnOnce(bool) + Send>;
type TxJob = Box<dyn for<'c> FnOnce(&'c mut WriteTx) -> BoxFuture<'c, (bool, Completion)> + Send>;
type SyncJob = Box<dyn for<'a, 'b> FnOnce(&'a mut SyncTx<'b>) -> (bool, Completion) + Send>;
/// Work that must run outside any transaction (checkpoint, ANALYZE, cache size).
type ConnJob = Box<dyn for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, ()> + Send>;

enum Job {
    Tx(TxJob),
    Sync(SyncJob),
    Conn(ConnJob),
}

/// A job of a batch: on sqlx's connection, or synchronous on its handle.
enum BatchJob {
    Tx(TxJob),
    Sync(SyncJob),
}

/// The job's outcome and what tells its caller after the commit.
fn completion<T, E>(reply: oneshot::Sender<Result<T, E>>, result: Result<T, E>) -> (bool, Completion)
where
    T: Send + 'static,
    E: From<AppError> + Send + 'static,
{
    let ok = result.is_ok();
    let done: Completion = Box::new(move |committed| {
        let _ = reply.send(match result {
            Ok(_) if !committed => Err(E::from(AppError::Internal)),
            other => other,
        });
    });
    (ok, done)
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
        let job: TxJob = Box::new(move |tx| Box::pin(async move { completion(reply, work(tx).await) }));
        self.send(Job::Tx(job)).await?;
        answer.await.map_err(|_| E::from(AppError::Internal))?
    }

    /// `run` for a job written as synchronous statements on the writer's own SQLite handle
    /// (`SyncTx`): same batch, savepoint and commit, without a hop to sqlx's worker thread per
    /// statement. For hot writes; everything else uses `run`.
    pub async fn run_sync<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<AppError> + Send + 'static,
        F: for<'a, 'b> FnOnce(&'a mut SyncTx<'b>) -> Result<T, E> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, E>>();
        let job: SyncJob = Box::new(move |tx| completion(reply, work(tx)));
        self.send(Job::Sync(job)).await?;
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
    let mut tx = WriteTx { conn: TxConn::Sqlite(conn), counts: BTreeMap::new(), sync: None };
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
                work(tx.writer_conn()).await;
                continue;
            }
            Job::Tx(job) => BatchJob::Tx(job),
            Job::Sync(job) => BatchJob::Sync(job),
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(Job::Tx(job)) => batch.push(BatchJob::Tx(job)),
                Ok(Job::Sync(job)) => batch.push(BatchJob::Sync(job)),
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
    // rusqlite's statements are finalized while sqlx's worker is locked out, before the close.
    if let Some(sync) = tx.sync.take()
        && let Ok(_locked) = tx.writer_conn().lock_handle().await
    {
        drop(sync);
    }
    // Closing lets SQLite checkpoint the WAL and remove it.
    if let TxConn::Sqlite(conn) = tx.conn {
        let _ = sqlx::Connection::close(conn).await;
    }
}

/// One transaction for the batch. If anything fails outside the jobs themselves (the begin, a
/// savepoint, the counters, the commit), the whole batch is rolled back and nobody is told it
/// was written.
async fn run_batch(tx: &mut WriteTx, batch: Vec<BatchJob>, live: &LiveHub) {
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
            if let Err(error) = tx.writer_conn().execute("ROLLBACK").await {
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
    batch: Vec<BatchJob>,
    done: &mut Vec<Completion>,
    counts: &mut BTreeMap<Kommunenr, CountDelta>,
) -> Result<Vec<(Kommunenr, crate::domain::opgavepakke::OpgavepakkeCounts)>, sqlx::Error> {
    // A lone job needs no savepoint: if it fails, the transaction holds nothing else. Otherwise
    // each job runs in a savepoint; a succeeded job's RELEASE goes with the next job's SAVEPOINT
    // (one round trip to the connection's worker thread instead of two).
    let mut savepoints = Savepoints { alone: batch.len() == 1, to_release: false, wrote: false };
    let started = std::time::Instant::now();
    BATCHES.fetch_add(1, Ordering::Relaxed);
    JOBS.fetch_add(batch.len() as u64, Ordering::Relaxed);
    tx.writer_conn().execute("BEGIN IMMEDIATE").await?;
    let mut jobs = batch.into_iter().peekable();
    while let Some(job) = jobs.next() {
        match job {
            BatchJob::Tx(job) => {
                if let Some(open) = savepoints.open() {
                    tx.writer_conn().execute(open).await?;
                }
                tx.counts.clear();
                // A panicking job must not take the writer down with it: it counts as failed
                // (its caller sees an internal error when its reply is dropped).
                let outcome = AssertUnwindSafe(job(tx)).catch_unwind().await.unwrap_or_else(|_| panicked());
                if let Some(undo) = savepoints.finish(outcome.0) {
                    tx.writer_conn().execute(undo).await?;
                }
                let changed = std::mem::take(&mut tx.counts);
                finish_job(outcome, changed, done, counts);
            }
            BatchJob::Sync(first) => {
                // The run of synchronous jobs that starts here, on one lock of sqlx's worker.
                let mut run = vec![first];
                while let Some(BatchJob::Sync(_)) = jobs.peek() {
                    if let Some(BatchJob::Sync(job)) = jobs.next() {
                        run.push(job);
                    }
                }
                run_sync_jobs(tx, run, &mut savepoints, done, counts).await?;
            }
        }
    }
    if savepoints.to_release {
        tx.writer_conn().execute("RELEASE job").await?;
    }
    if !savepoints.wrote {
        tx.writer_conn().execute("ROLLBACK").await?;
        return Ok(Vec::new());
    }
    let mut snapshots = Vec::with_capacity(counts.len());
    for (kommune, delta) in counts.iter() {
        snapshots.push((*kommune, counters::apply(tx, *kommune, delta).await?));
    }
    let committing = std::time::Instant::now();
    tx.writer_conn().execute("COMMIT").await?;
    JOBS_NS.fetch_add((committing - started).as_nanos() as u64, Ordering::Relaxed);
    COMMIT_NS.fetch_add(committing.elapsed().as_nanos() as u64, Ordering::Relaxed);
    Ok(snapshots)
}

/// The batch's savepoints: one per job unless the job is alone, a succeeded job's RELEASE
/// fused with the next job's SAVEPOINT.
struct Savepoints {
    alone: bool,
    to_release: bool,
    wrote: bool,
}

impl Savepoints {
    /// What opens the next job's savepoint, if anything.
    fn open(&mut self) -> Option<&'static str> {
        if self.alone {
            return None;
        }
        let open = if self.to_release { "RELEASE job; SAVEPOINT job" } else { "SAVEPOINT job" };
        self.to_release = false;
        Some(open)
    }

    /// After a job: what undoes it if it failed.
    fn finish(&mut self, ok: bool) -> Option<&'static str> {
        if ok {
            self.wrote = true;
            self.to_release = !self.alone;
            None
        } else if !self.alone {
            Some("ROLLBACK TO job; RELEASE job")
        } else {
            None
        }
    }
}

fn panicked() -> (bool, Completion) {
    tracing::error!("a write job panicked; it is rolled back");
    (false, Box::new(|_| ()))
}

/// Keeps the job's completion, and its counter changes when it succeeded.
fn finish_job(
    (ok, completion): (bool, Completion),
    changed: BTreeMap<Kommunenr, CountDelta>,
    done: &mut Vec<Completion>,
    counts: &mut BTreeMap<Kommunenr, CountDelta>,
) {
    done.push(completion);
    if ok {
        for (kommune, delta) in changed {
            counts.entry(kommune).or_default().merge(&delta);
        }
    }
}

/// Runs synchronous jobs on the writer's own SQLite handle: one lock of sqlx's worker thread
/// for the whole run, and every statement on this thread.
async fn run_sync_jobs(
    tx: &mut WriteTx,
    run: Vec<SyncJob>,
    savepoints: &mut Savepoints,
    done: &mut Vec<Completion>,
    counts: &mut BTreeMap<Kommunenr, CountDelta>,
) -> Result<(), sqlx::Error> {
    let TxConn::Sqlite(conn) = &mut tx.conn else { return Err(super::not_on_postgres()) };
    let mut handle = conn.lock_handle().await?;
    if tx.sync.is_none() {
        // SAFETY: the rusqlite connection is only ever used while `handle` (a lock on sqlx's
        // worker thread) is held, as here, and is dropped under such a lock (`writer_loop`).
        // `from_handle` does not take ownership: it never closes the SQLite connection.
        let db = unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) };
        let db = db.map_err(super::rusqlite_error)?;
        // Room for every statement of the synchronous jobs (a resolve has 14).
        db.set_prepared_statement_cache_capacity(64);
        tx.sync = Some(db);
    }
    let Some(db) = tx.sync.as_ref() else { return Err(sqlx::Error::PoolClosed) };
    for job in run {
        if let Some(open) = savepoints.open() {
            db.execute_batch(open).map_err(super::rusqlite_error)?;
        }
        let mut changed = BTreeMap::new();
        let outcome = {
            let mut stx = SyncTx { db, counts: &mut changed };
            std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut stx))).unwrap_or_else(|_| panicked())
        };
        if let Some(undo) = savepoints.finish(outcome.0) {
            db.execute_batch(undo).map_err(super::rusqlite_error)?;
        }
        finish_job(outcome, changed, done, counts);
    }
    drop(handle);
    Ok(())
}
