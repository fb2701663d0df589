//! KOMBIT's template for a new ændringsønske and for an appeal of a rejection, validated the same
//! way in the browser and on the server. An ændringsønske missing any required field is rejected at
//! visitering, so the form refuses it before it is filed.

use crate::domain::resolve::FieldError;
use serde::{Deserialize, Serialize};

pub const MAX_TITEL: usize = 120;
pub const MAX_TEXT: usize = 4000;
pub const MIN_BEGRUNDELSE: usize = 20;

/// "Er der tale om" on the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AendringType {
    Lovmedholdelig,
    Brugervenlighed,
    OekonomiskFokus,
    DriftsmaessigFokus,
}

impl AendringType {
    pub const ALL: [AendringType; 4] = [
        AendringType::Lovmedholdelig,
        AendringType::Brugervenlighed,
        AendringType::OekonomiskFokus,
        AendringType::DriftsmaessigFokus,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AendringType::Lovmedholdelig => "lovmedholdelig",
            AendringType::Brugervenlighed => "brugervenlighed",
            AendringType::OekonomiskFokus => "oekonomisk_fokus",
            AendringType::DriftsmaessigFokus => "driftsmaessig_fokus",
        }
    }

    pub fn parse(key: &str) -> Option<AendringType> {
        let key = key.trim();
        AendringType::ALL.into_iter().find(|t| t.key().eq_ignore_ascii_case(key))
    }

    pub fn label(self) -> &'static str {
        match self {
            AendringType::Lovmedholdelig => "Lovmedholdelig",
            AendringType::Brugervenlighed => "Brugervenlighed",
            AendringType::OekonomiskFokus => "Økonomisk fokus",
            AendringType::DriftsmaessigFokus => "Driftsmæssig fokus",
        }
    }
}

/// The form as typed; field names are the form's (and the error's `field`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AendringDraft {
    pub titel: String,
    /// The challenge experienced in KY.
    pub udfordring: String,
    /// Comma separated, e.g. "Kontanthjælp, Uddannelseshjælp".
    pub ydelsesarter: String,
    /// How often the challenge occurs / how many cases.
    pub omfang: String,
    pub workaround: String,
    #[serde(rename = "type")]
    pub type_: String,
    /// What should be developed in KY.
    pub beskrivelse: String,
    pub minsupport_sagsid: String,
}

/// A draft that passed the template's rules: trimmed, parsed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidAendring {
    pub titel: String,
    pub udfordring: String,
    pub ydelsesarter: Vec<String>,
    pub omfang: String,
    pub workaround: String,
    pub aendring_type: AendringType,
    pub beskrivelse: String,
    pub minsupport_sagsid: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppealDraft {
    pub sagsid: String,
    pub begrundelse: String,
}

/// The template's fields in the form's order: (form field, label).
pub const FIELDS: [(&str, &str); 8] = [
    ("titel", "Titel"),
    ("udfordring", "Udfordring"),
    ("ydelsesarter", "Ydelsesarter"),
    ("omfang", "Omfang"),
    ("workaround", "Workaround"),
    ("type", "Er der tale om"),
    ("beskrivelse", "Ønsket udvikling"),
    ("minsupport_sagsid", "MinSupport SagsID"),
];

impl AendringDraft {
    /// A field's text by its form name (`FIELDS`); the type as its label.
    pub fn field(&self, name: &str) -> String {
        match name {
            "titel" => self.titel.clone(),
            "udfordring" => self.udfordring.clone(),
            "ydelsesarter" => self.ydelsesarter.clone(),
            "omfang" => self.omfang.clone(),
            "workaround" => self.workaround.clone(),
            "type" => AendringType::parse(&self.type_).map_or_else(|| self.type_.clone(), |t| t.label().to_string()),
            "beskrivelse" => self.beskrivelse.clone(),
            "minsupport_sagsid" => self.minsupport_sagsid.clone(),
            _ => String::new(),
        }
    }
}

impl From<&ValidAendring> for AendringDraft {
    fn from(v: &ValidAendring) -> Self {
        AendringDraft {
            titel: v.titel.clone(),
            udfordring: v.udfordring.clone(),
            ydelsesarter: v.ydelsesarter.join(", "),
            omfang: v.omfang.clone(),
            workaround: v.workaround.clone(),
            type_: v.aendring_type.key().to_string(),
            beskrivelse: v.beskrivelse.clone(),
            minsupport_sagsid: v.minsupport_sagsid.clone().unwrap_or_default(),
        }
    }
}

/// The fields whose text differs between two versions of the template, in the form's order:
/// (form field, label). Whitespace at the ends does not count.
pub fn changed_fields(before: &AendringDraft, after: &AendringDraft) -> Vec<(&'static str, &'static str)> {
    FIELDS.into_iter().filter(|(name, _)| before.field(name).trim() != after.field(name).trim()).collect()
}

/// Collects every problem at once, so the user fixes the whole form in one go.
struct Check(Vec<FieldError>);

impl Check {
    fn text(&mut self, field: &str, value: &str, max: usize, missing: &str) -> String {
        let v = value.trim();
        if v.is_empty() {
            self.0.push(FieldError::new(field, missing));
        } else if v.chars().count() > max {
            self.0.push(FieldError::new(field, format!("Feltet må højst være {} tegn.", thousands(max))));
        }
        v.to_string()
    }
}

fn thousands(n: usize) -> String {
    if n >= 1000 { format!("{}.{:03}", n / 1000, n % 1000) } else { n.to_string() }
}

pub fn validate_draft(d: &AendringDraft) -> Result<ValidAendring, Vec<FieldError>> {
    let mut c = Check(Vec::new());
    let titel = c.text("titel", &d.titel, MAX_TITEL, "Giv ændringsønsket en kort, sigende titel.");
    let udfordring = c.text("udfordring", &d.udfordring, MAX_TEXT, "Beskriv den udfordring, I oplever i KY.");
    let ydelser = c.text(
        "ydelsesarter",
        &d.ydelsesarter,
        MAX_TEXT,
        "Angiv hvilke ydelsesarter ønsket vedrører, fx »Kontanthjælp, Uddannelseshjælp«.",
    );
    let ydelsesarter = parse_ydelsesarter(&ydelser);
    if !ydelser.is_empty() && ydelsesarter.is_empty() {
        c.0.push(FieldError::new("ydelsesarter", "Skriv ydelsesarterne adskilt af komma."));
    }
    let omfang = c.text(
        "omfang",
        &d.omfang,
        MAX_TEXT,
        "Angiv hvor ofte udfordringen opleves, eller hvor mange sager den vedrører.",
    );
    let workaround = c.text(
        "workaround",
        &d.workaround,
        MAX_TEXT,
        "Beskriv jeres workaround, eller skriv »Nej«, hvis der ikke er nogen.",
    );
    let aendring_type = AendringType::parse(&d.type_);
    if aendring_type.is_none() {
        c.0.push(FieldError::new(
            "type",
            "Vælg om ønsket er lovmedholdeligt, handler om brugervenlighed, har økonomisk fokus \
             eller driftsmæssigt fokus.",
        ));
    }
    let beskrivelse =
        c.text("beskrivelse", &d.beskrivelse, MAX_TEXT, "Beskriv grundigt, hvad der ønskes udviklet i KY.");
    let sagsid = d.minsupport_sagsid.trim();
    let minsupport_sagsid = if sagsid.is_empty() {
        None
    } else {
        if let Err(e) = validate_sagsid(sagsid) {
            c.0.push(FieldError::new("minsupport_sagsid", e));
        }
        Some(sagsid.to_string())
    };
    match aendring_type {
        Some(aendring_type) if c.0.is_empty() => Ok(ValidAendring {
            titel,
            udfordring,
            ydelsesarter,
            omfang,
            workaround,
            aendring_type,
            beskrivelse,
            minsupport_sagsid,
        }),
        _ => Err(c.0),
    }
}

/// "Kontanthjælp, , Uddannelseshjælp" → ["Kontanthjælp", "Uddannelseshjælp"].
pub fn parse_ydelsesarter(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// A MinSupport SagsID. Lenient on purpose: the format has changed over the years, so anything
/// of 4–20 letters, digits and dashes passes (e.g. "SAG-123456", "0417291").
pub fn validate_sagsid(value: &str) -> Result<String, String> {
    let v = value.trim();
    let n = v.chars().count();
    if (4..=20).contains(&n) && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(v.to_string())
    } else {
        Err("SagsID fra MinSupport skal være 4–20 tegn af bogstaver, tal og bindestreg, fx »SAG-123456«.".into())
    }
}

/// The appeal of a rejected ændringsønske: the ændringsønske's SagsID and why it is critical.
pub fn validate_appeal(d: &AppealDraft) -> Result<AppealDraft, Vec<FieldError>> {
    let mut c = Check(Vec::new());
    let sagsid = d.sagsid.trim().to_string();
    if sagsid.is_empty() {
        c.0.push(FieldError::new("sagsid", "Angiv SagsID på det afviste ændringsønske."));
    } else if let Err(e) = validate_sagsid(&sagsid) {
        c.0.push(FieldError::new("sagsid", e));
    }
    let begrundelse = c.text("begrundelse", &d.begrundelse, MAX_TEXT, "Forklar hvorfor ændringsønsket er kritisk.");
    if !begrundelse.is_empty() && begrundelse.chars().count() < MIN_BEGRUNDELSE {
        c.0.push(FieldError::new(
            "begrundelse",
            format!(
                "Uddyb begrundelsen (mindst {MIN_BEGRUNDELSE} tegn), så KOMBIT kan vurdere, hvorfor ønsket er kritisk."
            ),
        ));
    }
    if c.0.is_empty() { Ok(AppealDraft { sagsid, begrundelse }) } else { Err(c.0) }
}

#[cfg(test)]
mod tests;
