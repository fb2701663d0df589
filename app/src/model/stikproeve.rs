//! Stikprøve on the wire: the results page (no CPR: it is read by everyone who follows the
//! stikprøve) and one item to check (with the fordring's facts and the person's CPR).

use crate::domain::stikproeve::{Kontrol, Tally};
use crate::domain::{Beloeb, Kommunenr};
use serde::{Deserialize, Serialize};

/// The page: the chosen stikprøve (by default the newest), the others, and what the user may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StikproeveView {
    pub kommune: Kommunenr,
    pub may_draw: bool,
    pub may_check: bool,
    /// Open tasks now: (paragrafkontrol, kravtypekontrol, either).
    pub population_now: (i64, i64, i64),
    pub current: Option<Stikproeve>,
    /// Every stikprøve of the kommune: (id, "drawn at").
    pub all: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stikproeve {
    pub id: i64,
    pub kommune: Kommunenr,
    pub paragrafkontrol: bool,
    pub kravtypekontrol: bool,
    pub seed: u32,
    pub population: i64,
    /// As asked for: "40 opgaver", "10 %".
    pub requested: String,
    pub drawn_by: String,
    pub drawn_at: String,
    pub results: Vec<ControlResult>,
    pub items: Vec<ItemSummary>,
}

/// One control's results: drawn, checked, errors, "4,2 % (1,3–12,8 %)".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlResult {
    pub kontrol: Kontrol,
    pub tally: Tally,
    pub rate: String,
}

/// A drawn task as the results list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub position: i64,
    pub task_id: i64,
    pub fordring_id: String,
    pub opgavepakke: String,
    pub is_open: bool,
    /// Per control the task fell to: (control, Some(the source is right)).
    pub answers: Vec<(Kontrol, Option<bool>)>,
    /// "Bruger X 30.11.2026 14:02".
    pub checked: Option<String>,
}

/// One drawn task to check, with the fordring's facts from KMD Aktiv.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDetail {
    pub stikproeve_id: i64,
    pub kommune: Kommunenr,
    pub task_id: i64,
    pub position: i64,
    pub count: i64,
    pub cpr: String,
    pub navn: String,
    pub fordring_id: String,
    pub opgavepakke: String,
    pub is_open: bool,
    pub kravtype: Option<String>,
    pub udbetalingsparagraf: Option<String>,
    pub tilbagebetalingsparagraf: Option<String>,
    /// "B123 (KTH)".
    pub bevilling: Option<String>,
    pub ydelsesreference: Option<String>,
    pub beloeb: Beloeb,
    pub answers: Vec<(Kontrol, Option<bool>)>,
    pub note: String,
    /// Who checked it and when ("Mette Kjær 30.11.2026 14:02").
    pub checked: Option<String>,
    /// The item's version: a save names the one it saw, so a check in between is detected.
    pub version: i64,
    /// The next item nobody has checked yet.
    pub next_unchecked: Option<i64>,
    pub may_check: bool,
}

/// A check as sent by the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInput {
    pub stikproeve_id: i64,
    pub task_id: i64,
    pub version: i64,
    /// "ja" / "nej" / "" for the controls the task fell to.
    #[serde(default)]
    pub paragraf: String,
    #[serde(default)]
    pub kravtype: String,
    #[serde(default)]
    pub note: String,
}
