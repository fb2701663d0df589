//! Tasks as lists and as the task page.

use crate::domain::{Beloeb, Defects, Kommunenr, Opgavepakke};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    /// Oldest fordring first (stiftet).
    #[default]
    Alder,
    /// Largest hovedstol first.
    Beloeb,
    Cpr,
}

impl SortKey {
    pub fn key(self) -> &'static str {
        match self {
            SortKey::Alder => "alder",
            SortKey::Beloeb => "beloeb",
            SortKey::Cpr => "cpr",
        }
    }

    pub fn parse(s: &str) -> SortKey {
        match s {
            "beloeb" => SortKey::Beloeb,
            "cpr" => SortKey::Cpr,
            _ => SortKey::Alder,
        }
    }
}

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub sort: SortKey,
    /// Digits of a CPR number (with or without dash), matched from the start.
    pub cpr: String,
    /// A caseworker's username.
    pub sagsbehandler: String,
    /// 0-based.
    pub page: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskListItem {
    pub id: i64,
    pub cpr: String,
    pub navn: String,
    pub fordring_id: String,
    pub hovedstol: Beloeb,
    pub stiftet: String,
    pub sagsbehandler: Option<String>,
    pub defects: Defects,
    pub claimed_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPage {
    pub kommune: Kommunenr,
    pub opgavepakke: Opgavepakke,
    pub items: Vec<TaskListItem>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
    pub caseworkers: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub cpr: String,
    pub navn: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FordringView {
    pub fordring_id: String,
    pub bevilling_id: Option<String>,
    pub ydelsesreference: Option<String>,
    pub kravtype: Option<String>,
    pub kravtype_bekraeftet: bool,
    pub udbetalingsparagraf: Option<String>,
    pub tilbagebetalingsparagraf: Option<String>,
    pub hovedstol: Beloeb,
    pub stiftet: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaekningView {
    pub daekning_id: String,
    pub art: String,
    pub beloeb: Beloeb,
    pub dato: String,
    pub modtaget: String,
    /// `None` while it waits in ventetrin (opgavepakke 09).
    pub behandlet: Option<String>,
    pub task_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BevillingView {
    pub bevilling_id: String,
    pub bevillingstype: String,
    pub status: String,
    pub fra: String,
    pub til: Option<String>,
    pub sagsmappe_id: String,
    pub sagsbehandler: Option<String>,
    pub ydelsesarter: Vec<String>,
    /// The fordring is tied to this bevilling.
    pub is_fordringens: bool,
}

/// What happened to a task (`task_history.event`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "TEXT", rename_all = "lowercase"))]
pub enum HistoryEvent {
    Oprettet,
    Flyttet,
    Loest,
    Behandlet,
    Afvist,
}

impl HistoryEvent {
    pub fn label(self) -> &'static str {
        match self {
            HistoryEvent::Oprettet => "oprettet",
            HistoryEvent::Flyttet => "flyttet",
            HistoryEvent::Loest => "løst",
            HistoryEvent::Behandlet => "behandlet",
            HistoryEvent::Afvist => "afvist",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub at: String,
    pub event: HistoryEvent,
    pub from_opgavepakke: Option<Opgavepakke>,
    pub to_opgavepakke: Option<Opgavepakke>,
    pub cause: String,
    pub actor: String,
}

/// Stored as `task.kind` ('opret' / 'daekning').
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "TEXT", rename_all = "lowercase"))]
pub enum TaskKind {
    /// "Opret fordringssag".
    Opret,
    /// "Dækninger og afskrivninger af KMD Aktiv fordringer" (opgavepakke 09).
    Daekning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub id: i64,
    pub kind: TaskKind,
    pub kommune: Kommunenr,
    pub opgavepakke: Opgavepakke,
    pub defects: Defects,
    pub is_open: bool,
    pub closed_by: Option<String>,
    pub closed_at: Option<String>,
    pub claimed_by: Option<String>,
    /// The claim is the viewer's own (else a colleague must take the task over to save it).
    #[serde(default)]
    pub claimed_by_me: bool,
    /// Until when the claim holds (kl. HH:MM).
    #[serde(default)]
    pub claimed_until: Option<String>,
    /// Take-overs of the task ("02.01.2027 10:00: Jonas Berg overtog opgaven fra Mette Kjær").
    #[serde(default)]
    pub take_overs: Vec<String>,
    /// The caseworker the person is handed to by the project lead (rapportstyret), by name.
    pub tildelt: Option<String>,
    pub person: PersonView,
    pub fordring: FordringView,
    pub daekninger: Vec<DaekningView>,
    pub bevillinger: Vec<BevillingView>,
    pub history: Vec<HistoryView>,
    /// For a 09 task: the Opret fordringssag task it waits for.
    pub waits_for: Option<i64>,
    /// What the form offers and accepts (bevillinger, their ydelser, reference forms, kravtyper).
    pub known: crate::domain::resolve::KnownValues,
    /// Why the task comes before others: the person had a tilbageførsel (KLIK UI 50).
    pub tilbagefoersel: bool,
    /// By whom and when the person was handed over (`Lise Leder 02.01.2027 10:00`).
    pub tildelt_af: Option<String>,
    /// Why the task sits where it does (`Defects::explain`, `ventetrin_explanation`).
    pub why: Vec<String>,
}

/// What a successful resolve reports back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    pub task_id: i64,
    pub opgavepakke: Opgavepakke,
    /// Ventetrin dækninger processed at once.
    pub processed_daekninger: usize,
    /// The person's other tasks that moved because "samme kravtype" changed with the answer.
    #[serde(default)]
    pub andre_flyttet: usize,
    /// … and those that closed because nothing is missing on them any more.
    #[serde(default)]
    pub andre_loest: usize,
}
