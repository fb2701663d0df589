//! `arbejdsbord import`: a KMD Aktiv extract (CONTRACT.md) into one kommune, all or nothing.
//!
//! A parser thread streams the CSV files (blocking IO stays off the async threads), validates
//! every row against the rows before it and what the database already knows, and sends batches
//! of new rows; this side inserts them in one transaction. Any error: the parser keeps going to
//! list every error (up to a cap) and the transaction is rolled back. Re-importing the same
//! extract changes nothing; a later extract adds what is new.

mod columns;
mod follow_on;
mod fordringer;
mod parse;
mod scan;

pub use columns::FILES;
pub use follow_on::FollowOn;

use crate::clock;
use crate::domain::Kommunenr;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use crate::error::AppError;
use crate::service::daekning::apply_to_open_task;
use crate::store::classify;
use crate::store::counters::{self, CountDelta};
use crate::store::extract::{self, DaekningRow, DroppedIndex};
use crate::store::{Conn, Db, WriteTx, kommune};
use parse::{Batch, Known, ParseOutcome};
use std::fmt;
use std::path::{Path, PathBuf};

/// Above this many fordringer (estimated from the file), into a database holding fewer, the
/// import drops and rebuilds the secondary indexes.
const BULK_ROWS: i64 = 100_000;
/// The writer's page cache during a bulk import.
pub(crate) const BULK_CACHE_MIB: i64 = 1024;

/// Errors listed in full; beyond this only a count.
pub const ERROR_CAP: usize = 200;

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub progress: bool,
    /// Overrides `BULK_ROWS` (tests exercise the bulk path with small extracts).
    pub bulk_rows: Option<i64>,
}

/// One bad cell (or row, or file), located for the person fixing the extract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: kolonne {}: {}", self.file, self.line, self.column, self.reason)
    }
}

#[derive(Debug)]
pub enum ImportFailure {
    /// The extract has errors; nothing was written.
    Invalid {
        errors: Vec<ImportError>,
        /// Rows that only point at rows the errors kept from being read, counted per file.
        follow_ons: Vec<FollowOn>,
        more: usize,
    },
    Internal(AppError),
}

/// How the import's write job ends without committing.
enum Unwritten {
    Failed(ImportFailure),
    /// A dry run went through without errors; everything it wrote is rolled back.
    DryRun(Box<ImportSummary>),
}

impl<E: Into<ImportFailure>> From<E> for Unwritten {
    #[track_caller]
    fn from(e: E) -> Self {
        Unwritten::Failed(e.into())
    }
}

impl From<AppError> for ImportFailure {
    fn from(e: AppError) -> Self {
        ImportFailure::Internal(e)
    }
}

impl From<sqlx::Error> for ImportFailure {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        ImportFailure::Internal(AppError::from(e))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileStats {
    pub file: &'static str,
    pub rows: u64,
    pub new_rows: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub kommune: Option<Kommunenr>,
    pub dry_run: bool,
    pub files: Vec<FileStats>,
    /// New tasks per opgavepakke (index 1..=17).
    pub created: [i64; 18],
    /// Known tasks moved to "med dækninger" by new dækninger.
    pub moved: i64,
    /// Open tasks per opgavepakke after the import.
    pub counts: OpgavepakkeCounts,
}

/// Reads the extract in `dir` as an import into an empty kommune would — every file, every row,
/// every check — without a database, and returns the errors an import would report (the root
/// causes first, then the follow-ons). Blocking; not for an async thread. The fuzzer
/// (`fuzz/fuzz_targets/extract.rs`) drives the parser through it.
pub fn check_extract(dir: &Path) -> Vec<ImportError> {
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Batch>(4);
    let drain = std::thread::spawn(move || while batches.blocking_recv().is_some() {});
    let outcome = parse::parse_extract(dir, Known::default(), "check", false, sender);
    let _ = drain.join();
    outcome.errors
}

/// Imports the extract in `dir` as one write job (all or nothing). The writer applies the new
/// counts with the job's batch and pushes them to open boards; a dry run rolls back.
pub async fn import_extract(
    db: &Db,
    k: Kommunenr,
    dir: &Path,
    opts: &ImportOptions,
) -> Result<ImportSummary, ImportFailure> {
    // A large import into a (nearly) empty database builds its indexes once, at the end.
    let estimated_rows = std::fs::metadata(dir.join("fordringer.csv")).map(|m| m.len() / 64).unwrap_or(0) as i64;
    let bulk = estimated_rows > opts.bulk_rows.unwrap_or(BULK_ROWS) && {
        let mut conn = db.read.acquire().await?;
        let held = extract::count_fordringer(&mut conn).await?;
        // On PostgreSQL a dropped index or key locks its table against every reader until the
        // import commits: only when nobody has data to read (`drop_secondary_indexes`).
        if db.is_postgres() { held == 0 } else { estimated_rows > held }
    };
    if bulk {
        db.set_cache_mib(BULK_CACHE_MIB).await?;
        // The parser checks every reference the foreign keys would (naming file and line).
        db.set_foreign_keys(false).await?;
    }
    let (dir, opts_in) = (dir.to_path_buf(), opts.clone());
    let started = std::time::Instant::now();
    let outcome = db.write_as(move |tx| Box::pin(import_in(tx, k, dir, opts_in, bulk))).await;
    let committed = started.elapsed();
    if bulk {
        db.set_foreign_keys(true).await?;
        db.set_cache_mib(crate::store::DEFAULT_CACHE_MIB).await?;
    }
    let mut summary = match outcome {
        Ok(summary) => summary,
        Err(Unwritten::DryRun(summary)) => return Ok(*summary),
        Err(Unwritten::Failed(e)) => return Err(e),
    };
    // The counts as committed (the writer applied the import's delta with its batch).
    summary.counts = counters::read(&mut db.read.acquire().await?, k).await?;
    if bulk {
        db.checkpoint().await?;
    }
    let checkpointed = started.elapsed();
    db.optimize().await?;
    let analyzed = started.elapsed();
    crate::service::bevillingstyper::refresh_figures(db, k).await?;
    tracing::debug!(?committed, ?checkpointed, ?analyzed, inventory = ?started.elapsed(), "import finished");
    Ok(summary)
}

/// The write job: parse (on a thread of its own) and insert, classify (in SQLite), count.
async fn import_in(
    tx: &mut WriteTx,
    k: Kommunenr,
    dir: PathBuf,
    opts: ImportOptions,
    bulk: bool,
) -> Result<ImportSummary, Unwritten> {
    kommune::ensure(tx, k).await?;
    let known = Known::load(tx, k).await?;
    let deferred = if bulk { extract::drop_secondary_indexes(tx).await? } else { Vec::new() };
    // The task indexes are built after the tasks; the others first, for the classification.
    let (task_indexes, other_indexes): (Vec<DroppedIndex>, _) = deferred.into_iter().partition(|i| i.table == "task");
    classify::begin(tx).await?;
    let now = clock::now();
    let started = std::time::Instant::now();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Batch>(4);
    let parser = {
        let stamp = clock::stamp(now);
        let progress = opts.progress;
        std::thread::spawn(move || parse::parse_extract(&dir, known, &stamp, progress, sender))
    };
    while let Some(batch) = receiver.recv().await {
        batch.insert(tx, k.get()).await?;
    }
    let outcome: ParseOutcome = parser.join().map_err(|_| {
        tracing::error!("import parser thread panicked");
        ImportFailure::Internal(AppError::Internal)
    })?;
    if !outcome.errors.is_empty() {
        return Err(ImportFailure::Invalid {
            errors: outcome.errors,
            follow_ons: outcome.follow_ons,
            more: outcome.more_errors,
        }
        .into());
    }
    let parsed = started.elapsed();
    extract::recreate_indexes(tx, &other_indexes).await?;
    let indexed = started.elapsed();
    let stamp = clock::stamp(now);
    let created = classify::create_tasks(tx, k.get(), &stamp).await?;
    classify::end(tx).await?;
    let classified = started.elapsed();
    extract::recreate_indexes(tx, &task_indexes).await?;
    // RUST_LOG=app::service::import=debug shows where a large import spends its time.
    tracing::debug!(?parsed, ?indexed, ?classified, tasks_indexed = ?started.elapsed(), "import phases");

    let mut delta = CountDelta::default();
    for (nr, n) in created.iter().enumerate().skip(1) {
        if let Some(p) = crate::domain::Opgavepakke::new(nr as u8) {
            delta.add(p, *n);
        }
    }
    let moved = apply_deferred(tx, k, &outcome, now, &mut delta).await?;
    fordringer::reconcile_existing(tx, k, &outcome.affected_existing, &stamp, &mut delta).await?;
    crate::service::automation::reapply(tx, k, &stamp, &mut delta).await?;
    let mut counts = counters::read(tx, k).await?;
    delta.apply_to(&mut counts);
    tx.count(k, &delta);
    let summary =
        ImportSummary { kommune: Some(k), dry_run: opts.dry_run, files: outcome.files.clone(), created, moved, counts };
    if opts.dry_run {
        return Err(Unwritten::DryRun(Box::new(summary)));
    }
    Ok(summary)
}

/// Dækninger on fordringer the database already knew: moved and parked exactly as if the
/// finance system had reported them through the API.
async fn apply_deferred(
    tx: &mut Conn,
    k: Kommunenr,
    outcome: &ParseOutcome,
    now: chrono::DateTime<chrono::Utc>,
    delta: &mut CountDelta,
) -> Result<i64, ImportFailure> {
    let stamp = clock::stamp(now);
    let mut moved = 0;
    for d in &outcome.deferred_daekninger {
        let (foer, efter) = apply_to_open_task(tx, k, d, "import", &stamp, &clock::hh_mm(now), delta).await?;
        if foer != efter {
            moved += 1;
        }
        extract::insert_rows(
            tx,
            k.get(),
            vec![DaekningRow {
                daekning_id: d.daekning_id.clone(),
                fordring_id: d.fordring_id.clone(),
                art: d.art.key().to_string(),
                beloeb: d.beloeb.oere(),
                dato: d.dato.to_string(),
                modtaget: stamp.clone(),
                kilde: "udtraek".into(),
                behandlet: if foer.is_some() { None } else { Some(stamp.clone()) },
                opgavepakke_foer: foer.map(|p| i64::from(p.nr())),
                opgavepakke_efter: efter.map(|p| i64::from(p.nr())),
            }],
        )
        .await?;
    }
    Ok(moved)
}
