//! Ændringsønsker as the browser sees them: lists, the ændringsønske page, the scoring matrix, the
//! backlog, the weights view, and live updates.

use crate::domain::aendring::{
    Action, AendringType, AppealDecision, Contribution, Criterion, RankInput, Status, Weights,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AendringSummary {
    pub id: i64,
    pub key: String,
    pub titel: String,
    pub status: Status,
    pub kommune: u16,
    pub kommune_navn: String,
    /// How many kommuner want it.
    pub kommuner: i64,
    pub filed_at: String,
    pub theme: String,
    pub oeir: bool,
    pub legacy: bool,
    pub fagfaellesskab: String,
    pub decision_note: Option<String>,
}

/// Which ændringsønsker a list shows, as in its URL: a status tab, a worklist (`venter`), KOMBIT's
/// search and filters for the visitering queue, the order and the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AendringQuery {
    /// A status key, or "" for the default of the viewer's role.
    pub status: String,
    pub legacy: Option<bool>,
    pub oeir: Option<bool>,
    pub theme: String,
    /// Danish full-text search of title and texts.
    pub search: String,
    pub kommune: Option<u16>,
    /// An `AendringType` key.
    pub aendring_type: String,
    /// Filed more than this many days ago.
    pub older_than_days: Option<i64>,
    /// `nyeste` (default), `aeldste`, `kommuner`, `titel`.
    pub sort: String,
    /// A worklist key (`domain::aendring::worklist::Worklist`).
    pub waiting: String,
    pub page: i64,
}

/// The orders a list offers: (key, label).
pub const LIST_SORTS: [(&str, &str); 4] =
    [("nyeste", "Nyeste først"), ("aeldste", "Ældste først"), ("kommuner", "Flest kommuner"), ("titel", "Titel")];

impl AendringQuery {
    /// Reads the list's URL parameters (`get` gives a parameter's value).
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> AendringQuery {
        let flag = |name: &str| get(name).map(|v| v == "true");
        AendringQuery {
            status: get("status").unwrap_or_default(),
            legacy: flag("legacy"),
            oeir: flag("oeir"),
            theme: get("tema").unwrap_or_default(),
            search: get("q").unwrap_or_default(),
            kommune: get("kommune").and_then(|k| k.trim().parse().ok()),
            aendring_type: get("type").unwrap_or_default(),
            older_than_days: get("alder").and_then(|d| d.trim().parse().ok()),
            sort: get("sortering").unwrap_or_default(),
            waiting: get("venter").unwrap_or_default(),
            page: get("side").and_then(|s| s.parse::<i64>().ok()).map(|s| s - 1).unwrap_or(0).max(0),
        }
    }

    /// The list's URL for this query on page `page` (0-based).
    pub fn url(&self, page: i64) -> String {
        let mut params: Vec<(&str, String)> = Vec::new();
        let mut text = |name, value: &str| {
            if !value.is_empty() {
                params.push((name, value.to_string()));
            }
        };
        text("status", &self.status);
        text("tema", &self.theme);
        text("q", &self.search);
        text("type", &self.aendring_type);
        text("sortering", &self.sort);
        text("venter", &self.waiting);
        for (name, v) in [("legacy", self.legacy), ("oeir", self.oeir)] {
            if let Some(v) = v {
                params.push((name, v.to_string()));
            }
        }
        if let Some(k) = self.kommune {
            params.push(("kommune", k.to_string()));
        }
        if let Some(d) = self.older_than_days {
            params.push(("alder", d.to_string()));
        }
        if page > 0 {
            params.push(("side", (page + 1).to_string()));
        }
        let query: Vec<String> = params
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::domain::next_path::encode_query_value(&v)))
            .collect();
        if query.is_empty() { "/aendringsoensker".into() } else { format!("/aendringsoensker?{}", query.join("&")) }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AendringList {
    pub items: Vec<AendringSummary>,
    /// The worklist shown, if any (its label is the list's heading).
    pub waiting: Option<crate::domain::aendring::worklist::Worklist>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub from: Option<Status>,
    pub to: Option<Status>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealView {
    pub sagsid: String,
    pub reason: String,
    pub at: String,
    pub kommune: String,
    /// KOMBIT's decision and reply, once made.
    pub decision: Option<AppealDecision>,
    pub reply: Option<String>,
}

/// One appeal in KOMBIT's queue, with the original ændringsønske and its rejection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealQueueItem {
    pub id: i64,
    pub aendring_id: i64,
    pub key: String,
    pub titel: String,
    pub status: Status,
    pub rejection: String,
    pub rejected_at: Option<String>,
    pub kommune: String,
    pub sagsid: String,
    pub reason: String,
    pub at: String,
    pub decision: Option<AppealDecision>,
    pub reply: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

/// One criterion of one ændringsønske: the mean and the spread between its scorers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub mean: Option<f64>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    pub n: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AendringDetail {
    pub summary: AendringSummary,
    pub udfordring: String,
    pub ydelsesarter: Vec<String>,
    pub omfang: String,
    pub workaround: String,
    pub aendring_type: AendringType,
    pub beskrivelse: String,
    pub minsupport_sagsid: Option<String>,
    pub kommune_navne: Vec<String>,
    pub duplicate_of: Option<(i64, String, String)>,
    pub estimate_hours: Option<i64>,
    pub estimate_note: Option<String>,
    pub version: i64,
    pub events: Vec<EventView>,
    /// What the viewer may do now.
    pub actions: Vec<Action>,
    pub cells: [Cell; 9],
    /// The viewer's own scores, by criterion index.
    pub my_scores: [Option<u8>; 9],
    /// Criteria the viewer may score now, by index.
    pub may_score: [bool; 9],
    pub may_estimate: bool,
    /// The leverandør's changeboard assessment, once recorded.
    pub assessment: Option<AssessmentView>,
    /// The leverandør may record (or change) the assessment now.
    pub may_assess: bool,
    /// KOMBIT may confirm or change the fagfællesskab now (during visitering).
    pub may_route: bool,
    /// Why actions the viewer's role could take are not open yet (the step before is missing).
    pub waiting: Vec<String>,
    /// Every kommune's appeal of the rejection, with KOMBIT's decisions.
    pub appeals: Vec<AppealView>,
    pub may_appeal: bool,
    pub may_elaborate: bool,
    pub priority: Option<f64>,
    /// The template as it reads now (the elaboration form starts from it).
    pub template: crate::domain::aendring::AendringDraft,
    /// Every version of the template text after the first, with what changed.
    pub versions: Vec<TextVersionView>,
    /// Likely duplicates of it (KOMBIT, during visitering): best matches first.
    pub likely_duplicates: Vec<SimilarAendring>,
    /// The viewer's kommune may say "vi har også behovet" (join it).
    pub may_join: bool,
    /// The hearing answer it was made from ("Fra høring: …, svar nr. N").
    pub fra_hoering: Option<crate::model::hoering::HoeringOrigin>,
}

/// One version of an ændringsønske's template text: who changed what, field by field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextVersionView {
    pub nr: i64,
    pub at: String,
    pub by: String,
    pub changes: Vec<FieldChangeView>,
}

/// One changed field: the words kept, removed and added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChangeView {
    pub label: String,
    pub parts: Vec<DiffPart>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffPart {
    Same(String),
    Removed(String),
    Added(String),
}

/// The leverandør's changeboard assessment as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssessmentView {
    pub loesning: String,
    /// The feasibility key (`domain::aendring::decision::GENNEMFOERLIGHED`).
    pub gennemfoerlighed: String,
    pub by: String,
    pub at: String,
}

/// An ændringsønske like the one being typed: for the duplicate check while filing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimilarAendring {
    pub id: i64,
    pub key: String,
    pub titel: String,
    pub status: Status,
    pub decision_note: Option<String>,
    pub kommuner: i64,
    pub backlog_rank: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub id: i64,
    pub key: String,
    pub titel: String,
    pub status: Status,
    pub fagfaellesskab: String,
    pub filed_at: String,
    pub cells: [Cell; 9],
    pub my_scores: [Option<u8>; 9],
    pub may_score: [bool; 9],
}

impl MatrixRow {
    pub fn rank_input(&self) -> RankInput {
        RankInput { id: self.id, filed_at: self.filed_at.clone(), means: self.cells.map(|c| c.mean) }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub version: i64,
    pub weights: Weights,
    pub rows: Vec<MatrixRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacklogItem {
    pub id: i64,
    pub key: String,
    pub titel: String,
    pub ydelsesarter: Vec<String>,
    pub status: Status,
    pub kommuner: i64,
    /// `None` (with `rank`) while a weighted criterion has no score: listed, not ranked.
    pub rank: Option<usize>,
    pub score: Option<f64>,
    pub contributions: Vec<Contribution>,
    /// The weighted criteria without a score ("mangler scoring: effekt").
    pub missing: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backlog {
    pub version: i64,
    pub weights: Weights,
    pub items: Vec<BacklogItem>,
}

/// What the styregruppe's weights page works on: the adopted set, a draft, and every rankable
/// ændringsønske's criterion means (ranked in the browser on exactly the server's formula).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeightsView {
    pub current: Weights,
    pub draft: Option<Weights>,
    pub versions: Vec<(i64, String, String, String)>,
    pub items: Vec<RankInput>,
    pub titles: Vec<(i64, String, String)>,
    /// The ændringsønsker in the backlog (in development too): what the what-if speaks of.
    pub backlog_ids: Vec<i64>,
}

/// A change pushed to open matrices and backlogs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AendringEvent {
    pub version: i64,
    pub aendring_id: i64,
    /// A score changed: the criterion index and its new cell.
    pub cell: Option<(usize, Cell)>,
    /// The ændringsønske's status changed (or it was filed).
    pub status: Option<Status>,
    /// The adopted weights changed.
    pub weights_version: Option<i64>,
    /// Whether the public backlog may see it.
    pub public: bool,
    /// A hearing's answers changed (submitted or triaged): its pages refetch their summary.
    #[serde(default)]
    pub hoering: Option<i64>,
    /// The success criteria or their measurements changed: open dashboards load again.
    #[serde(default)]
    pub succes: bool,
}

/// What an upload of the legacy pool did: rows read and ændringsønsker added (known keys are
/// skipped), or every error found (file, line, column, reason; nothing was written then).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolImportReport {
    pub file: String,
    pub rows: usize,
    pub new: usize,
    pub errors: Vec<String>,
    /// Errors beyond those listed.
    pub more: usize,
}

/// A bulk rejection's dry run (or result): how many, which kommuner get notices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPreview {
    pub aendringer: usize,
    /// The ændringsønsker themselves (key, title), so KOMBIT sees what it rejects.
    pub items: Vec<(String, String)>,
    pub kommuner: Vec<(u16, String, usize)>,
    pub notices: usize,
    pub done: bool,
}

/// What the viewer decided, with what the decision needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    pub action: String,
    /// The version the viewer saw (concurrent decisions are detected, not overwritten).
    pub version: i64,
    /// Reason (required when rejecting or returning for elaboration), or a note.
    pub note: String,
    /// For "marker som dublet": the key of the original, e.g. AE-2024-05003.
    pub duplicate_of: String,
    /// For "uddyb": the whole template as the kommune elaborated it.
    pub elaboration: crate::domain::aendring::AendringDraft,
}

/// One in-app notice about the user's ændringsønsker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    pub id: i64,
    pub aendring_id: Option<i64>,
    pub at: String,
    pub subject: String,
    pub body: String,
    pub unread: bool,
}

/// A kommune's support set-up for ændringsønsker: its support address and who answers for how
/// many of its ændringsønsker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsibilityView {
    pub kommune: u16,
    pub kommune_navn: String,
    pub support_email: Option<String>,
    pub users: Vec<SupportUserView>,
    /// Ændringsønsker of the kommune nobody answers for (legacy ones): notices go to every
    /// supportberettiget and the support address.
    pub unowned: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportUserView {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub email: Option<String>,
    /// Ændringsønsker this user answers for (filed, or joined for the kommune).
    pub aendringer: i64,
}

/// A notice mail that could not be delivered, for KOMBIT to send again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMailView {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub at: String,
    pub error: String,
    pub kommune: Option<String>,
    pub aendring: Option<(i64, String)>,
}

/// One line of a role's worklist on the start page: what waits, how many, where to work it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorklistCount {
    pub label: String,
    pub count: i64,
    pub href: String,
}
