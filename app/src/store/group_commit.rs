//! Group commit: hot writes (resolving tasks, receiving dækninger) queue here, and one writer
//! runs whatever has queued up in ONE transaction — each write in its own savepoint, so one
//! failing write does not undo the others — then commits once. Every write is acknowledged only
//! after that commit, so an acknowledged write survives a crash or power loss (WAL,
//! `synchronous=FULL`), while the disk's fsync is shared by the whole batch.

use super::Conn;
use crate::error::AppError;
use futures::future::BoxFuture;
use sqlx::Connection;
use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

/// Writes in one batch at most (bounds the latency of the last one in it).
const MAX_BATCH: usize = 256;

/// Runs after the batch's commit with whether it committed.
type Completion = Box<dyn FnOnce(bool) + Send>;
type Job = Box<dyn for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, (bool, Completion)> + Send>;

#[derive(Clone, Debug)]
pub struct GroupCommit {
    queue: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the writer on the (single-connection) write pool.
    pub fn start(pool: SqlitePool) -> GroupCommit {
        let (queue, jobs) = mpsc::channel::<Job>(4_096);
        tokio::spawn(writer(pool, jobs));
        GroupCommit { queue }
    }

    /// Runs `work` inside the next batch's transaction; returns its result once committed.
    /// An `Err` from `work` rolls back only its own savepoint.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<T, AppError>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, AppError>>();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = work(conn).await;
                let ok = result.is_ok();
                let done: Completion = Box::new(move |committed| {
                    let _ = reply.send(match result {
                        Ok(_) if !committed => Err(AppError::Internal),
                        other => other,
                    });
                });
                (ok, done)
            })
        });
        self.queue.send(job).await.map_err(|_| {
            tracing::error!("group commit writer has stopped");
            AppError::Internal
        })?;
        answer.await.map_err(|_| AppError::Internal)?
    }
}

async fn writer(pool: SqlitePool, mut jobs: mpsc::Receiver<Job>) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let completions = run_batch(&pool, batch).await;
        let committed = completions.is_ok();
        if let Ok(done) = completions {
            for d in done {
                d(committed);
            }
        }
    }
}

/// One transaction for the batch. On a failed commit nothing is acknowledged (the callers get
/// an internal error and nothing was written).
async fn run_batch(pool: &SqlitePool, batch: Vec<Job>) -> Result<Vec<Completion>, ()> {
    let mut done = Vec::with_capacity(batch.len());
    let mut failed_before_commit = Vec::new();
    let outcome: Result<(), sqlx::Error> = async {
        let mut tx = super::begin_immediate(pool).await?;
        for job in batch {
            let mut savepoint = tx.begin().await?;
            let (ok, completion) = job(&mut savepoint).await;
            if ok {
                savepoint.commit().await?;
            } else {
                savepoint.rollback().await?;
            }
            done.push(completion);
        }
        tx.commit().await
    }
    .await;
    match outcome {
        Ok(()) => Ok(done),
        Err(error) => {
            tracing::error!(%error, "group commit failed; the batch is rolled back");
            failed_before_commit.append(&mut done);
            for d in failed_before_commit {
                d(false);
            }
            Err(())
        }
    }
}
