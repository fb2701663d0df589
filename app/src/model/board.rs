//! The opgavepakke board of one kommune.

use crate::domain::Kommunenr;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Board {
    pub kommune: Kommunenr,
    pub counts: OpgavepakkeCounts,
    /// `25.01.2023`
    pub deadline_med: String,
    pub days_to_deadline_med: i64,
    pub deadline_uden: Option<String>,
    pub days_to_deadline_uden: Option<i64>,
    /// When uden cannot be met by the KLIK end date: the kommune's final uden deadline.
    pub deadline_uden_endelig: Option<String>,
    pub days_to_deadline_uden_endelig: Option<i64>,
    /// The approach (`Tilgang::label`) and what it means for a caseworker.
    pub tilgang: String,
    pub tilgang_text: String,
    /// The kommune has had tasks: when none are open any more, MI 38 is done.
    pub had_tasks: bool,
    /// UI 04's progress for those who read the review ("27 af 31 bevillingstyper besluttet, …").
    #[serde(default)]
    pub ui04_progress: Option<String>,
}
