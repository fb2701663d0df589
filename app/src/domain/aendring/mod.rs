//! Ændringsønsker (change ændringsønsker to KY) and the prioritized backlog: the scoring criteria, the
//! priority formula and ranking, the process from filing to backlog and what a decision needs,
//! KOMBIT's ændringsønske template, the leverandør's estimate, and Danish-aware search text. Pure
//! rules: they run in the browser (what-if ranking, form validation) exactly as on the server.

pub mod cleanup;
pub mod criteria;
pub mod decision;
pub mod estimate;
pub mod flow;
pub mod recipients;
pub mod routing;
pub mod scoring;
pub mod template;
pub mod text;
pub mod worklist;

pub use criteria::{Criterion, CriterionGroup, Score, ScoreError};
pub use decision::{check_assessment, check_decision};
pub use estimate::parse_estimate_hours;
pub use flow::{
    Action, AppealDecision, Facts, FlowError, Status, allowed_actions, decide, decide_appeal, may_appeal, may_assess,
    may_join, may_route, notice_text, path_to, transition, visible_to_kommuner,
};
pub use scoring::{
    Contribution, CriterionScores, DEFAULT_WEIGHTS, Move, RankInput, Ranked, WHAT_IF_TOP, Weights, WhatIf,
    check_adoption_note, default_weights, left_incomplete, missing_scores, priority, rank, what_if,
};
pub use template::{
    AendringDraft, AendringType, AppealDraft, ValidAendring, changed_fields, validate_appeal, validate_draft,
};
