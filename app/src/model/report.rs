//! Report R2.1 "KMD Aktiv fordringers opgavepakker" as the browser sees it: one row per open
//! task, the totals, the citizen × opgavepakke matrix, and the project lead's hand-over of
//! persons (rapportstyret).

use crate::domain::{Beloeb, Kommunenr, Opgavepakke};
use crate::model::task::TaskKind;
use serde::{Deserialize, Serialize};

/// Rows per page of the report and of the matrix.
pub const REPORT_PAGE_SIZE: i64 = 50;

/// Above this many matching rows the page says "more than" instead of counting on (a count
/// under an unindexed filter reads every open task of the kommune).
pub const COUNT_CAP: i64 = 100_000;

/// At most this many persons are handed over or taken back in one go.
pub const MAX_PERSONS_PER_HAND_OVER: usize = 1_000;

/// The report's sortable columns. Each sorts one way (the useful one: largest amount first,
/// tilbageførsler first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportSort {
    /// Opgavepakke, then oldest fordring (the order "Næste opgave" hands them out).
    #[default]
    Opgavepakke,
    Cpr,
    /// Largest hovedstol first.
    Beloeb,
    Sagsbehandler,
    Tildelt,
    /// Tasks of persons with a tilbageførsel first.
    Tilbagefoersel,
}

impl ReportSort {
    pub const ALL: [ReportSort; 6] = [
        ReportSort::Opgavepakke,
        ReportSort::Cpr,
        ReportSort::Beloeb,
        ReportSort::Sagsbehandler,
        ReportSort::Tildelt,
        ReportSort::Tilbagefoersel,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReportSort::Opgavepakke => "opgavepakke",
            ReportSort::Cpr => "cpr",
            ReportSort::Beloeb => "beloeb",
            ReportSort::Sagsbehandler => "sagsbehandler",
            ReportSort::Tildelt => "tildelt",
            ReportSort::Tilbagefoersel => "tilbagefoersel",
        }
    }

    /// An unknown key sorts by opgavepakke.
    pub fn parse(key: &str) -> ReportSort {
        ReportSort::ALL.into_iter().find(|s| s.key() == key).unwrap_or_default()
    }
}

/// `tildelt` filter value for "not handed to anyone".
pub const NOT_HANDED_OVER: &str = "-";

/// Filters, sort and page of the report. Text fields hold what the user typed; the server
/// parses them (`service::report::Filter`) and answers a field error naming the bad one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    /// `"03"` or `"3"`; empty = every opgavepakke.
    pub opgavepakke: String,
    /// The caseworker of the person's sagsmappe (username); empty = all.
    pub sagsbehandler: String,
    /// Who the person is handed to (username), `NOT_HANDED_OVER` for nobody; empty = all.
    pub tildelt: String,
    /// The start of a CPR number, with or without dash.
    pub cpr: String,
    /// Smallest hovedstol in kroner (`1250` or `1250,50`).
    pub min_beloeb: String,
    pub kun_tilbagefoersel: bool,
    pub sort: ReportSort,
    /// 0-based.
    pub page: i64,
}

/// One open task in the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRowView {
    pub opgave_id: i64,
    pub opgavepakke: Opgavepakke,
    pub kind: TaskKind,
    /// `610585-3120`
    pub cpr: String,
    pub navn: String,
    pub fordring_id: String,
    pub hovedstol: Beloeb,
    pub daekninger: i64,
    pub sagsbehandler: Option<String>,
    pub tildelt: Option<String>,
    pub tilbagefoersel: bool,
    /// `25.01.2027`
    pub oprettet: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPage {
    pub kommune: Kommunenr,
    pub rows: Vec<ReportRowView>,
    /// Rows matching the filter (at most `COUNT_CAP`; see `capped`).
    pub total: i64,
    pub capped: bool,
    pub page: i64,
    pub page_size: i64,
    /// The kommune's caseworkers (username, name): the filters' choices and hand-over targets.
    pub caseworkers: Vec<(String, String)>,
    /// The counts version the rows were read at.
    pub version: i64,
}

/// One line of a totals table: open tasks, their hovedstol and the persons they belong to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalLine {
    /// The opgavepakke code, the caseworker's username (empty: none) or the CPR number.
    pub key: String,
    /// A name to show beside the key (the opgavepakke's title, the caseworker's or person's name).
    pub label: String,
    pub opgaver: i64,
    pub hovedstol: Beloeb,
    /// Persons (per opgavepakke and caseworker) or opgavepakker (per person).
    pub antal: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTotals {
    pub per_opgavepakke: Vec<TotalLine>,
    pub per_sagsbehandler: Vec<TotalLine>,
    /// The persons with the most open tasks (`TOP_PERSONS`).
    pub per_person: Vec<TotalLine>,
    pub opgaver: i64,
    pub personer: i64,
    pub tildelte_personer: i64,
}

/// How many persons the per-person totals list.
pub const TOP_PERSONS: i64 = 25;

/// A person with open tasks in two or more opgavepakker, and how many in each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub cpr: String,
    pub navn: String,
    /// Open tasks per opgavepakke, index 1–17 (0 unused).
    pub per_opgavepakke: Vec<i64>,
    pub tildelt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixPage {
    pub rows: Vec<MatrixRow>,
    /// All persons with tasks in two or more opgavepakker.
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// What a hand-over or take-back did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandOverDone {
    pub personer: usize,
    /// Their open tasks now handed over (or back).
    pub opgaver: i64,
    /// The caseworker's name (hand-over only).
    pub til: Option<String>,
}
