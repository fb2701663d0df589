//! The audit-log search (`/revisionslog`): who looked at whom in a kommune.

use crate::domain::Kommunenr;
use serde::{Deserialize, Serialize};

/// The search as typed (the page's GET form; the export takes the same fields). Every field
/// may be empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    /// A CPR number, with or without the dash.
    pub cpr: String,
    /// A username (or `api:…`/`cli:…` as the log names them).
    pub bruger: String,
    /// First and last day, `25.01.2027` or `2027-01-25`, both included.
    pub fra: String,
    pub til: String,
    /// One action's text, as `AuditLogPage::actions` lists them.
    pub handling: String,
    /// Page on: rows older than this row id.
    pub foer: Option<i64>,
}

impl AuditQuery {
    /// The query string of the search (without `foer`), for the export link and paging.
    pub fn to_query_string(&self) -> String {
        let pairs = [
            ("cpr", &self.cpr),
            ("bruger", &self.bruger),
            ("fra", &self.fra),
            ("til", &self.til),
            ("handling", &self.handling),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", crate::domain::next_path::encode_query_value(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLogPage {
    pub kommune: Kommunenr,
    pub query: AuditQuery,
    /// Newest first.
    pub rows: Vec<AuditLine>,
    /// The `foer` of the next page, when there are more rows.
    pub next: Option<i64>,
    /// Every action's text, for the filter.
    pub actions: Vec<String>,
    pub retention_days: i64,
    /// "07.12.2026 03:00: 1.204 rækker ældre end 07.06.2026 slettet", when a purge has run.
    pub last_purge: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    /// Danish local time, `07.12.2026 09:14:03`.
    pub at: String,
    pub actor: String,
    /// `610585-3120`, or "".
    pub cpr: String,
    pub action: String,
    pub detail: String,
}
