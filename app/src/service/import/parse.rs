//! The parser thread: reads the files in dependency order, validates each row, and streams
//! batches of new rows to the inserter. After the first error it stops sending (nothing will be
//! committed) but keeps validating, so one run lists every error. Each file is scanned first
//! (`scan`: encoding, quotes); the row handlers live in `rows`.

mod open;
mod rows;

use super::columns::{
    BEVILLINGER, Columns, DAEKNINGER, FILES, FORDRINGER, PERSONER, SAGSMAPPER, UDBETALINGER, YDELSER,
};
use super::follow_on::{FollowOn, FollowOns};
use super::fordringer::NewFordringer;
use super::{ERROR_CAP, FileStats, ImportError};
use crate::domain::Kommunenr;
use crate::domain::daekning::ValidDaekning;
use crate::store::Conn;
use crate::store::classify::{self, NewFordringRow};
use crate::store::extract::{
    self, BevillingRow, DaekningRow, KeyTable, PersonRow, SagsmappeRow, UdbetalingRow, YdelseRow,
};
use csv::StringRecord;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use tokio::sync::mpsc::Sender;

/// Rows per batch sent to the inserter.
const BATCH: usize = 4_000;

/// New rows of one table, ready to insert.
pub enum Batch {
    Person(Vec<PersonRow>),
    Sagsmappe(Vec<SagsmappeRow>),
    Bevilling(Vec<BevillingRow>),
    Ydelse(Vec<YdelseRow>),
    Udbetaling(Vec<UdbetalingRow>),
    Fordring(Vec<NewFordringRow>),
    Daekning(Vec<DaekningRow>),
}

impl Batch {
    pub async fn insert(self, conn: &mut Conn, kommune: u16) -> Result<(), sqlx::Error> {
        match self {
            Batch::Person(rows) => extract::insert_new_rows(conn, kommune, rows).await,
            Batch::Sagsmappe(rows) => extract::insert_new_rows(conn, kommune, rows).await,
            Batch::Bevilling(rows) => extract::insert_new_rows(conn, kommune, rows).await,
            Batch::Ydelse(rows) => extract::insert_new_rows(conn, kommune, rows).await,
            Batch::Udbetaling(rows) => extract::insert_new_rows(conn, kommune, rows).await,
            Batch::Fordring(rows) => classify::insert_new_fordringer(conn, kommune, rows).await,
            Batch::Daekning(rows) => extract::insert_new_rows(conn, kommune, rows).await,
        }
    }
}

/// What the database already holds for the kommune.
#[derive(Default)]
pub struct Known {
    persons: HashSet<String>,
    sagsmapper: HashMap<String, String>,
    bevillinger: HashMap<String, String>,
    ydelser: HashSet<String>,
    udbetalinger: HashSet<String>,
    daekninger: HashSet<String>,
    /// (fordring_id, cpr)
    fordringer: Vec<(String, String)>,
}

impl Known {
    pub async fn load(conn: &mut Conn, k: Kommunenr) -> Result<Known, sqlx::Error> {
        let k = k.get();
        let ids = |rows: Vec<(String, String)>| rows.into_iter().map(|(id, _)| id).collect::<HashSet<_>>();
        Ok(Known {
            persons: ids(extract::keys(conn, k, KeyTable::Person).await?),
            sagsmapper: extract::keys(conn, k, KeyTable::Sagsmappe).await?.into_iter().collect(),
            bevillinger: extract::keys(conn, k, KeyTable::Bevilling).await?.into_iter().collect(),
            ydelser: ids(extract::keys(conn, k, KeyTable::Ydelse).await?),
            udbetalinger: ids(extract::keys(conn, k, KeyTable::Udbetaling).await?),
            daekninger: ids(extract::keys(conn, k, KeyTable::Daekning).await?),
            fordringer: extract::keys(conn, k, KeyTable::Fordring).await?,
        })
    }
}

pub struct ParseOutcome {
    pub errors: Vec<ImportError>,
    pub more_errors: usize,
    /// Rows pointing at rows that could not be read, counted (after `errors`, which caused them).
    pub follow_ons: Vec<FollowOn>,
    pub files: Vec<FileStats>,
    /// New dækninger on fordringer the database already knew (applied by the caller).
    pub deferred_daekninger: Vec<ValidDaekning>,
    /// Persons with known fordringer who got new ones (their classification is checked again).
    pub affected_existing: Vec<String>,
}

struct Parser {
    stamp: String,
    sender: Sender<Batch>,
    errors: Vec<ImportError>,
    more_errors: usize,
    progress: ProgressBar,
    files: Vec<FileStats>,
    known: Known,
    /// cpr → caseworker of the person's first sagsmappe
    persons: HashMap<String, Option<String>>,
    /// sagsmappe → (cpr, caseworker)
    sagsmapper: HashMap<String, (String, Option<String>)>,
    /// bevilling → (cpr, caseworker)
    bevillinger: HashMap<String, (String, Option<String>)>,
    ydelser: HashSet<String>,
    fordringer: NewFordringer,
    follow_ons: FollowOns,
}

pub fn parse_extract(dir: &Path, mut known: Known, stamp: &str, progress: bool, sender: Sender<Batch>) -> ParseOutcome {
    let total: u64 = FILES.iter().filter_map(|(f, _)| std::fs::metadata(dir.join(f)).ok()).map(|m| m.len()).sum();
    let bar = if progress {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>18} [{bar:32}] {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut p = Parser {
        stamp: stamp.to_string(),
        sender,
        errors: Vec::new(),
        more_errors: 0,
        progress: bar,
        files: Vec::new(),
        fordringer: NewFordringer::new(std::mem::take(&mut known.fordringer)),
        persons: known.persons.iter().map(|c| (c.clone(), None)).collect(),
        sagsmapper: known.sagsmapper.iter().map(|(id, cpr)| (id.clone(), (cpr.clone(), None))).collect(),
        bevillinger: known.bevillinger.iter().map(|(id, cpr)| (id.clone(), (cpr.clone(), None))).collect(),
        ydelser: known.ydelser.clone(),
        known,
        follow_ons: FollowOns::default(),
    };
    p.file(dir, PERSONER, Parser::person);
    p.file(dir, SAGSMAPPER, Parser::sagsmappe);
    p.file(dir, BEVILLINGER, Parser::bevilling);
    p.file(dir, YDELSER, Parser::ydelse);
    p.file(dir, UDBETALINGER, Parser::udbetaling);
    p.file(dir, FORDRINGER, Parser::fordring);
    p.file(dir, DAEKNINGER, Parser::daekning);
    p.progress.finish_and_clear();
    ParseOutcome {
        errors: p.errors,
        more_errors: p.more_errors,
        follow_ons: std::mem::take(&mut p.follow_ons).into_lines(),
        files: p.files,
        deferred_daekninger: std::mem::take(&mut p.fordringer.deferred),
        affected_existing: p.fordringer.affected_existing(),
    }
}

/// What a row handler returns: a new row to insert, or a known one.
enum Row<T> {
    New(T),
    Known,
}

type Cell = (&'static str, String);

/// Why a row handler refused a row.
enum Refused {
    /// Its bad cells, each with why.
    Cells(Vec<Cell>),
    /// It points at a row that could not be read: counted, not listed (`follow_on`).
    FollowOn,
}

impl From<Vec<Cell>> for Refused {
    fn from(cells: Vec<Cell>) -> Self {
        Refused::Cells(cells)
    }
}

/// Validates one row of a file: a new row, a known one, or why not.
type RowHandler<P, T> = fn(&mut P, &Columns, &StringRecord) -> Result<Row<T>, Refused>;

impl Parser {
    fn error(&mut self, file: &str, line: u64, column: &str, reason: impl Into<String>) {
        if self.errors.len() < ERROR_CAP {
            self.errors.push(ImportError { file: file.into(), line, column: column.into(), reason: reason.into() });
        } else {
            self.more_errors += 1;
        }
    }

    fn send(&mut self, batch: Batch) {
        // A closed channel means the inserter failed; it reports that itself.
        let _ = self.sender.blocking_send(batch);
    }

    /// Reads one file through `handle`, sending new rows in batches.
    fn file<T>(&mut self, dir: &Path, index: usize, handle: RowHandler<Self, T>)
    where
        Batch: From<Vec<T>>,
    {
        let name = FILES[index].0;
        self.progress.set_message(name);
        let mut stats = FileStats { file: name, rows: 0, new_rows: 0 };
        let Some((mut reader, columns, unclosed_record)) = self.open(dir, index) else {
            self.follow_ons.lose_file(index);
            self.files.push(stats);
            return;
        };
        let mut record = StringRecord::new();
        let mut batch: Vec<T> = Vec::with_capacity(BATCH);
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    self.error(name, line, "-", format!("rækken kan ikke læses: {e}"));
                    self.follow_ons.lose_file(index);
                    break;
                }
            }
            let (line, at) = record.position().map(|p| (p.line(), p.record())).unwrap_or((0, 0));
            if unclosed_record == Some(at) {
                // It runs to the end of the file; the scan reported it.
                self.follow_ons.lose_file(index);
                break;
            }
            stats.rows += 1;
            if record.len() != columns.width() {
                self.error(
                    name,
                    line,
                    "-",
                    format!("rækken har {} felter, overskriften {}", record.len(), columns.width()),
                );
                self.lose_row(index, &columns, &record);
                continue;
            }
            let hidden = columns.hidden_or_too_long(&record);
            let handled = handle(self, &columns, &record);
            for (column, reason) in &hidden {
                self.error(name, line, column, reason.as_str());
            }
            match handled {
                Ok(Row::New(row)) if hidden.is_empty() => {
                    stats.new_rows += 1;
                    if self.errors.is_empty() {
                        batch.push(row);
                        if batch.len() == BATCH {
                            self.send(Batch::from(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))));
                        }
                    }
                }
                // Refused for its text alone, the row still names its key, so rows that point
                // at it find it and say nothing more.
                Ok(_) => {}
                Err(refused) => {
                    if let Refused::Cells(cells) = refused {
                        // a cell the text rule refused is named once, for that
                        for (column, reason) in cells.into_iter().filter(|(c, _)| hidden.iter().all(|(h, _)| h != c)) {
                            self.error(name, line, column, reason);
                        }
                    }
                    self.lose_row(index, &columns, &record);
                }
            }
        }
        if self.errors.is_empty() && !batch.is_empty() {
            self.send(Batch::from(batch));
        }
        self.files.push(stats);
    }

    /// A row of `file` was refused: rows elsewhere pointing at its key follow from that.
    fn lose_row(&mut self, file: usize, c: &Columns, r: &StringRecord) {
        if let Some(key) = Parser::key_of(file, c, r) {
            self.follow_ons.lose_row(file, key);
        }
    }
}

macro_rules! batch_from {
    ($($row:ident => $variant:ident),+) => {
        $(impl From<Vec<$row>> for Batch {
            fn from(rows: Vec<$row>) -> Self {
                Batch::$variant(rows)
            }
        })+
    };
}

batch_from!(
    PersonRow => Person, SagsmappeRow => Sagsmappe, BevillingRow => Bevilling, YdelseRow => Ydelse,
    UdbetalingRow => Udbetaling, NewFordringRow => Fordring, DaekningRow => Daekning
);
