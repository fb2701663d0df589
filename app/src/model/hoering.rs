//! Wire types of the hearing: the list, one hearing as its viewer sees it (KOMBIT: every answer
//! with its kommune; a høringsansvarlig: the own kommune's), and the public, anonymised answers.

use crate::domain::hoering::{Summary, SvarState, Triage};
use serde::{Deserialize, Serialize};

/// A hearing in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoeringItem {
    pub id: i64,
    pub title: String,
    /// "25.01.2027"
    pub deadline: String,
    pub open: bool,
    pub summary: Summary,
    /// The viewer's kommune's answers (drafts included), for a høringsansvarlig.
    pub own_answers: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfsnitView {
    pub id: i64,
    pub number: String,
    pub title: String,
}

/// One answer as KOMBIT or the answering kommune sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvarView {
    pub id: i64,
    /// Its number in the hearing, once submitted.
    pub nr: Option<i64>,
    pub afsnit_id: i64,
    /// "3.2 Udbetaling"
    pub afsnit: String,
    pub kommune: String,
    pub author: String,
    pub text: String,
    pub state: SvarState,
    pub submitted_at: Option<String>,
    pub receipt: Option<String>,
    pub version: i64,
    pub triage: Option<Triage>,
    pub reply: Option<String>,
    pub arbejdsgruppen: Option<String>,
    pub triaged: Option<String>,
    /// The ændringsønske made from it: (id, key).
    pub aendring: Option<(i64, String)>,
}

/// One hearing for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoeringView {
    pub id: i64,
    pub title: String,
    pub material: String,
    pub deadline: String,
    pub open: bool,
    pub opened: String,
    pub sections: Vec<AfsnitView>,
    /// KOMBIT: the triage queue (untriaged first, then by number); høringsansvarlig: the own
    /// kommune's answers, drafts first.
    pub answers: Vec<SvarView>,
    pub summary: Summary,
    pub may_answer: bool,
    pub may_triage: bool,
}

/// KOMBIT's filter of the triage queue (empty = all).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SvarFilter {
    /// A `Triage` key, "ubehandlet", or empty.
    pub category: String,
    pub afsnit_id: Option<i64>,
}

/// An answer as published: no kommune, no person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicSvar {
    pub nr: i64,
    pub afsnit: String,
    pub afsnit_titel: String,
    pub svar: String,
    /// The category key (`domain::hoering::Triage::key`), none while untriaged.
    pub kategori: Option<String>,
    pub kategori_tekst: Option<String>,
    pub overskrift: Option<String>,
    pub kommentar: Option<String>,
    pub arbejdsgruppen: Option<String>,
}

/// The published hearing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicHoering {
    pub id: i64,
    pub titel: String,
    pub frist: String,
    pub opsummering: Summary,
    pub svar: Vec<PublicSvar>,
}

/// Where an ændringsønske came from, when a hearing answer became it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoeringOrigin {
    pub hoering_id: i64,
    pub title: String,
    pub nr: i64,
}
