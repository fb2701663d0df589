//! The plan page's data.

use crate::domain::Kommunenr;
use crate::domain::plan::Plan;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanView {
    pub kommune: Kommunenr,
    pub plan: Plan,
    /// (username, name) of the kommune's caseworkers, to name who works MI 38.
    pub caseworkers: Vec<(String, String)>,
    /// Whether the caller may change the plan (the kommune's project lead).
    pub may_edit: bool,
}
