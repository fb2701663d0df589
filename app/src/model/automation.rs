//! Automation of paragraf- and kravtypekontrol: the requests and the switch's result.

use crate::domain::Kommunenr;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use serde::{Deserialize, Serialize};

/// A kommune's request to the supplier, as filed in MinSupport (Tabel 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationRequest {
    pub id: i64,
    pub kommune: Kommunenr,
    pub paragrafkontrol: bool,
    pub kravtypekontrol: bool,
    pub titel: String,
    pub beskrivelse: String,
    /// Who asked, and when (`12.01.2027 09:30`).
    pub requested_by: String,
    pub requested_at: String,
    pub done: Option<String>,
}

/// What switching automation on did to the kommune's packages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutomationResult {
    pub kommune: Kommunenr,
    pub before: OpgavepakkeCounts,
    pub after: OpgavepakkeCounts,
    pub moved: i64,
    pub closed: i64,
    pub ventetrin_processed: i64,
    /// Nothing was switched on: the controls asked for were on already.
    pub unchanged: bool,
}

/// The controls in words: "paragrafkontrol", "kravtypekontrol" or both.
pub fn controls(paragrafkontrol: bool, kravtypekontrol: bool) -> &'static str {
    match (paragrafkontrol, kravtypekontrol) {
        (true, true) => "paragraf- og kravtypekontrol",
        (true, false) => "paragrafkontrol",
        _ => "kravtypekontrol",
    }
}

/// The MinSupport request of Tabel 2, filled in for the kommune.
pub fn minsupport_request(kommune: Kommunenr, paragrafkontrol: bool, kravtypekontrol: bool) -> (String, String) {
    let which = controls(paragrafkontrol, kravtypekontrol);
    (
        "[KMD Aktiv fordringer]: Automatisering af fordringer med Paragraf- og kravtypekontrol".to_string(),
        format!(
            "Sagstype: Supportsag. Komponent: Fordringer – KMD Aktiv. Prioritet: B. Beskrivelse: Automatisering af fordringer {which} {} Kommune ({kommune}). Kommunen har på grundlag af en stikprøve besluttet, at {which} kan automatiseres.",
            kommune.navn()
        ),
    )
}
