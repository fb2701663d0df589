//! Progress against the deadlines, as the page "Fremdrift" shows it.

use crate::domain::fremdrift::{EffortBasis, Staffing};
use crate::domain::{Kommunenr, Opgavepakke};
use serde::{Deserialize, Serialize};

/// Open tasks per day since the import, with the line to the deadline and where the recent
/// pace leads. Days are ISO (`2026-11-30`), one per calendar day, the last one today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Burn {
    pub days: Vec<String>,
    pub open: Vec<i64>,
    /// Tasks finished per day over the last 14 days (`domain::fremdrift::recent_pace`).
    pub pace: Option<f64>,
    /// When the open tasks reach zero at that pace.
    pub finish: Option<String>,
    pub deadline: Option<String>,
}

impl Burn {
    pub fn open_now(&self) -> i64 {
        self.open.last().copied().unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupProgress {
    /// `med` or `uden`.
    pub key: String,
    pub title: String,
    pub burn: Burn,
    pub hours_left: f64,
    /// Against the group's deadline; `None` when the kommune has not set one.
    pub staffing: Option<Staffing>,
    /// "I mangler 2,5 sagsbehandlere for at nå fristen 25.01. …", or why it cannot be said.
    pub sentence: String,
    /// The day the group last reached zero open tasks (ISO).
    pub zero_reached: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackageProgress {
    pub opgavepakke: Opgavepakke,
    pub burn: Burn,
    /// The day the package was emptied (ISO), while it is empty.
    pub zero_reached: Option<String>,
    pub minutes_per_task: f64,
    pub basis: EffortBasis,
    pub hours_left: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fremdrift {
    pub kommune: Kommunenr,
    /// The counts version it was computed at (the page refetches on a newer one).
    pub version: i64,
    pub today: String,
    pub groups: Vec<GroupProgress>,
    pub packages: Vec<PackageProgress>,
    /// Who works MI 38 under the plan ("Alle sagsbehandlere", "Et team", …), how many, hours a week.
    pub ressourcer: String,
    pub planned: u32,
    pub hours_per_week: f64,
    /// No Opret fordringssag and no 09 task left, after there were some: MI 38 can be marked
    /// fuldført in KLIK.
    pub done: bool,
}
