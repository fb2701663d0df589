//! The UI 04 pages' data: the inventory of bevillingstyper with their decisions and plan items,
//! and the bevillinger of one type.

use crate::domain::Kommunenr;
use crate::domain::bevillingstype::Valg;
use crate::domain::klik::KlikStatus;
use serde::{Deserialize, Serialize};

/// One bevillingstype of the kommune's extract, computed from its data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InventoryRow {
    pub bevillingstype: String,
    pub bevillinger: i64,
    pub aktive: i64,
    pub personer: i64,
    pub aktive_personer: i64,
    /// The distinct ydelsesarter, sorted.
    pub ydelsesarter: Vec<String>,
    /// Udbetalinger in the 12 months up to the extract's latest udbetaling.
    pub udbetalinger: i64,
    /// In øre.
    pub udbetalt_oere: i64,
    pub open_tasks: i64,
    pub kommune_made: bool,
    pub beslutning: Option<BeslutningView>,
    pub planpunkter: Vec<PlanpunktView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeslutningView {
    pub valg: Valg,
    pub ky_ydelsestype: Option<String>,
    pub system: Option<String>,
    pub afdeling: String,
    pub begrundelse: String,
    pub decided_by: String,
    /// As stored (ISO); pages format it.
    pub decided_at: String,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanpunktView {
    pub id: i64,
    pub bevillingstype: String,
    pub hvad: String,
    pub hvem: String,
    /// ISO date.
    pub forfald: String,
    pub status: KlikStatus,
    pub overdue: bool,
}

/// The inventory page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub kommune: Kommunenr,
    pub rows: Vec<InventoryRow>,
    /// The extract's latest udbetaling (ISO), the end of the 12 months counted.
    pub udbetalinger_til: Option<String>,
    /// When the figures were computed (at import, or when the project lead asked), as shown.
    pub opgjort_at: Option<String>,
    /// (code, name) of KOMBIT's KY ydelsestyper, and whether the catalogue is illustrative.
    pub ky_ydelsestyper: Vec<(String, String)>,
    pub katalog_illustrativt: bool,
    /// UI 04's end date (ISO), the default due date of plan items; none without go-live.
    pub ui04_slut: Option<String>,
    pub may_edit: bool,
    /// "27 af 31 bevillingstyper besluttet, 5 planpunkter forsinket".
    pub progress: String,
}

/// One bevilling of a type, with its person (the drill-down; each view audited).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TypeBevilling {
    pub bevilling_id: String,
    pub status: String,
    pub fra: String,
    pub til: Option<String>,
    pub cpr: String,
    pub navn: String,
    pub ydelsesarter: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeDetail {
    pub kommune: Kommunenr,
    pub bevillingstype: String,
    pub bevillinger: Vec<TypeBevilling>,
    /// All of the type's bevillinger (the list shows at most `DRILL_LIMIT`).
    pub total: i64,
    /// Every version of the decision, newest first.
    pub history: Vec<BeslutningView>,
}

/// Bevillinger shown per drill-down.
pub const DRILL_LIMIT: i64 = 500;
