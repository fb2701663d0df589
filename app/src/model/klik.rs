//! The KLIK plan page's and the estimate page's data.

use crate::domain::Kommunenr;
use crate::domain::estimat::{Estimat, Resultat};
use crate::domain::klik::{KlikOpgave, KlikStatus};
use serde::{Deserialize, Serialize};

/// One task of the kommune's KLIK plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlikRow {
    /// The catalogue row.
    pub id: i64,
    pub opgave: KlikOpgave,
    /// ISO dates; none until the kommune has a go-live.
    pub start: Option<String>,
    pub slut: Option<String>,
    pub status: KlikStatus,
    /// Whether the status follows from the work in the app (UI 04, MI 38).
    pub follows_app: bool,
    pub overdue: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlikPlan {
    pub kommune: Kommunenr,
    /// ISO.
    pub go_live: Option<String>,
    pub today: String,
    pub opgaver: Vec<KlikRow>,
    /// The kommune's project lead: sets go-live (on the plan page) and the statuses.
    pub may_edit: bool,
    /// KOMBIT: maintains the catalogue.
    pub may_edit_catalogue: bool,
}

/// The estimate page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EstimatView {
    pub kommune: Kommunenr,
    /// The calculator as saved (or the seed's national figures before the first save).
    pub input: Estimat,
    pub result: Resultat,
    pub saved: bool,
    /// The kommune's own extract: active bevillinger per ydelsesart and the case type each
    /// counts as, the estimate from them (same minutes and caution), and its result.
    pub ydelsesarter: Vec<(String, i64, usize)>,
    pub own: Estimat,
    pub own_result: Resultat,
    /// MI 38's hours left (Fremdrift) and the caseworkers planned for it.
    pub mi38_hours: f64,
    pub caseworkers: i64,
    pub hours_per_week: f64,
    pub may_edit: bool,
}

/// KOMBIT's catalogues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Katalog {
    pub klik: Vec<(i64, KlikOpgave)>,
    /// (code, name, illustrative)
    pub ky_ydelsestyper: Vec<(String, String, bool)>,
    pub may_edit: bool,
}
