//! The success criteria dashboard's data (KOMBIT and the styregruppe).

use crate::domain::succeskriterium::{Maal, Maalepunkt, NaesteMaaling, Opfyldelse};
use serde::{Deserialize, Serialize};

/// One measurement as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaalingView {
    pub maalepunkt: i64,
    pub maalepunkt_navn: String,
    pub vaerdi: f64,
    pub stikproeve: Option<i64>,
    /// ISO date.
    pub maalt: String,
    pub kilde: String,
    pub recorded_by: String,
}

/// One criterion with its measurements (oldest first), the verdict on the latest, and the
/// measuring point it waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KriteriumView {
    pub id: i64,
    pub nummer: String,
    pub tekst: String,
    pub maal: Maal,
    pub kilde: String,
    pub version: i64,
    /// The numbers of its measuring points.
    pub maalepunkter: Vec<i64>,
    pub maalinger: Vec<MaalingView>,
    pub opfyldelse: Opfyldelse,
    pub naeste: Option<NaesteMaaling>,
}

impl KriteriumView {
    pub fn latest(&self) -> Option<&MaalingView> {
        self.maalinger.last()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MaalsaetningView {
    pub bogstav: String,
    pub titel: String,
    pub kriterier: Vec<KriteriumView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Succeskriterier {
    /// ISO.
    pub today: String,
    pub maalsaetninger: Vec<MaalsaetningView>,
    pub maalepunkter: Vec<Maalepunkt>,
    /// KOMBIT: records measurements and edits objectives, criteria and measuring points.
    pub may_edit: bool,
}
