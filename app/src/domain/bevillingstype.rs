//! UI 04 (seed 000, DOMAIN.md C): every KMD Aktiv bevillingstype the kommune uses gets one
//! decision — match to a KY ydelsestype, create as "anden ydelse", close (nedlæg) or move to
//! another system — with the owning department, a reason, who and when; decisions that need work
//! get plan items that are followed up.

use super::klik::KlikStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The four ways to handle a bevillingstype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Valg {
    Match,
    AndenYdelse,
    Nedlaeg,
    Flyt,
}

impl Valg {
    pub const ALL: [Valg; 4] = [Valg::Match, Valg::AndenYdelse, Valg::Nedlaeg, Valg::Flyt];

    /// The key in the API and the database (CONTRACT.md).
    pub fn key(self) -> &'static str {
        match self {
            Valg::Match => "match",
            Valg::AndenYdelse => "anden_ydelse",
            Valg::Nedlaeg => "nedlaeg",
            Valg::Flyt => "flyt",
        }
    }

    pub fn parse(key: &str) -> Option<Valg> {
        Valg::ALL.into_iter().find(|v| v.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Valg::Match => "Match til KY-ydelsestype",
            Valg::AndenYdelse => "Opret som \"anden ydelse\" i KY",
            Valg::Nedlaeg => "Nedlæg",
            Valg::Flyt => "Flyt til andet system",
        }
    }

    /// Whether the decision leaves work to plan (everything but a plain match).
    pub fn needs_plan(self) -> bool {
        self != Valg::Match
    }

    /// The seed's warnings for this choice.
    pub fn warnings(self) -> &'static [&'static str] {
        match self {
            Valg::Match => &[],
            Valg::AndenYdelse => &[
                "Ved andre ydelser er det alene kommunens ansvar, at lovgivningen overholdes.",
                "KY er ikke fra centralt hold sat op til at overholde fx kassationsreglerne for andre ydelser – overvej, om ydelsen hører bedre hjemme i et andet system.",
                "Andre ydelser omfatter typisk andre afdelinger, som skal konverteres i samme periode som KY's standardydelser – planlæg det.",
            ],
            Valg::Nedlaeg => &[
                "Afslut bevillingerne, før KY tages i brug, og aftal med afdelingen, hvad der sker med de aktive sager.",
            ],
            Valg::Flyt => &[
                "Flyt i god tid før go-live, så flytningen ikke skaber komplikationer, når KY tages i brug.",
                "Lav en plan for flytningen og følg op på den.",
            ],
        }
    }
}

/// A decision as the project lead types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeslutningForm {
    pub bevillingstype: String,
    pub valg: String,
    /// The KY ydelsestype (match).
    #[serde(default)]
    pub ky_ydelsestype: String,
    /// Where the type goes (flyt): "økonomisystemet" or a named system.
    #[serde(default)]
    pub system: String,
    #[serde(default)]
    pub afdeling: String,
    #[serde(default)]
    pub begrundelse: String,
    /// The version the editor read (0: no decision yet).
    #[serde(default)]
    pub version: i64,
}

/// A checked decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beslutning {
    pub bevillingstype: String,
    pub valg: Valg,
    pub ky_ydelsestype: Option<String>,
    pub system: Option<String>,
    pub afdeling: String,
    pub begrundelse: String,
    pub version: i64,
}

impl BeslutningForm {
    /// The decision, or what is wrong per field. `catalogue` holds the KY ydelsestyper's codes.
    pub fn check(&self, catalogue: &[String]) -> Result<Beslutning, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let valg = Valg::parse(self.valg.trim());
        if valg.is_none() {
            errors.push(("valg".into(), "Vælg, hvad der skal ske med bevillingstypen.".into()));
        }
        let ky = self.ky_ydelsestype.trim();
        if valg == Some(Valg::Match) {
            if ky.is_empty() {
                errors.push(("ky_ydelsestype".into(), "Vælg den KY-ydelsestype, typen matches til.".into()));
            } else if !catalogue.iter().any(|c| c == ky) {
                errors
                    .push(("ky_ydelsestype".into(), format!("«{ky}» er ikke i KOMBITs katalog over KY-ydelsestyper.")));
            }
        }
        let system = self.system.trim();
        if valg == Some(Valg::Flyt) && system.is_empty() {
            errors.push(("system".into(), "Skriv, hvor typen flyttes hen (fx økonomisystemet).".into()));
        }
        if self.afdeling.trim().is_empty() {
            errors.push(("afdeling".into(), "Skriv, hvilken afdeling der ejer typen.".into()));
        }
        if self.begrundelse.trim().is_empty() {
            errors.push(("begrundelse".into(), "Skriv en kort begrundelse.".into()));
        }
        for (field, value) in
            [("afdeling", &self.afdeling), ("begrundelse", &self.begrundelse), ("system", &self.system)]
        {
            if value.chars().count() > 2_000 {
                errors.push((field.into(), "Højst 2.000 tegn.".into()));
            }
        }
        match valg {
            Some(valg) if errors.is_empty() => Ok(Beslutning {
                bevillingstype: self.bevillingstype.trim().to_string(),
                valg,
                ky_ydelsestype: (valg == Valg::Match).then(|| ky.to_string()),
                system: (valg == Valg::Flyt).then(|| system.to_string()),
                afdeling: self.afdeling.trim().to_string(),
                begrundelse: self.begrundelse.trim().to_string(),
                version: self.version,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a bevillingstype is one the kommune made itself: KMD Aktiv's free codes NUL, NL1, NL2 …
pub fn kommune_made(code: &str) -> bool {
    let c = code.trim().to_ascii_uppercase();
    c == "NUL" || (c.len() == 3 && c.starts_with("NL") && c[2..].chars().all(|ch| ch.is_ascii_digit()))
}

/// A plan item as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanpunktForm {
    pub bevillingstype: String,
    pub hvad: String,
    pub hvem: String,
    /// 25.01.2027 or 2027-01-25; empty: the default inside UI 04's window.
    #[serde(default)]
    pub forfald: String,
}

/// A checked plan item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planpunkt {
    pub bevillingstype: String,
    pub hvad: String,
    pub hvem: String,
    pub forfald: NaiveDate,
}

impl PlanpunktForm {
    /// `default_due`: UI 04's end date, when the kommune has a go-live.
    pub fn check(&self, default_due: Option<NaiveDate>) -> Result<Planpunkt, Vec<(String, String)>> {
        let mut errors = Vec::new();
        if self.hvad.trim().is_empty() {
            errors.push(("hvad".into(), "Skriv, hvad der skal gøres.".into()));
        }
        if self.hvem.trim().is_empty() {
            errors.push(("hvem".into(), "Skriv, hvem der gør det.".into()));
        }
        let forfald = if self.forfald.trim().is_empty() {
            default_due.ok_or(())
        } else {
            super::plan::parse_date(self.forfald.trim()).ok_or(())
        };
        let forfald = match forfald {
            Ok(d) => Some(d),
            Err(()) => {
                let why = if self.forfald.trim().is_empty() {
                    "Skriv en dato (kommunen har ingen go-live endnu, så UI 04's slutdato kendes ikke)."
                } else {
                    "Skriv datoen som 25.01.2027."
                };
                errors.push(("forfald".into(), why.into()));
                None
            }
        };
        match forfald {
            Some(forfald) if errors.is_empty() => Ok(Planpunkt {
                bevillingstype: self.bevillingstype.trim().to_string(),
                hvad: self.hvad.trim().to_string(),
                hvem: self.hvem.trim().to_string(),
                forfald,
            }),
            _ => Err(errors),
        }
    }
}

/// The review's progress for the project lead's front page.
pub fn progress_text(types: usize, decided: usize, overdue_items: usize) -> String {
    let items = match overdue_items {
        0 => "ingen planpunkter forsinket".to_string(),
        1 => "1 planpunkt forsinket".to_string(),
        n => format!("{n} planpunkter forsinket"),
    };
    format!("{decided} af {types} bevillingstyper besluttet, {items}")
}

/// A plan item's status uses KLIK's three steps.
pub type PlanpunktStatus = KlikStatus;

#[cfg(test)]
mod tests {
    use super::*;

    fn form(valg: &str) -> BeslutningForm {
        BeslutningForm {
            bevillingstype: "NUL".into(),
            valg: valg.into(),
            afdeling: "Børn og Familie".into(),
            begrundelse: "Bruges til tilskud til pasning af barn i eget hjem".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_match_names_a_catalogue_type_and_a_move_names_the_system() {
        let catalogue = vec!["KTH".to_string()];
        let errs = form("match").check(&catalogue).unwrap_err();
        assert_eq!(errs[0].0, "ky_ydelsestype");
        let ok = BeslutningForm { ky_ydelsestype: "KTH".into(), ..form("match") }.check(&catalogue).unwrap();
        assert_eq!((ok.valg, ok.ky_ydelsestype.as_deref(), ok.system), (Valg::Match, Some("KTH"), None));
        assert_eq!(
            BeslutningForm { ky_ydelsestype: "XYZ".into(), ..form("match") }.check(&catalogue).unwrap_err()[0].0,
            "ky_ydelsestype"
        );
        assert_eq!(form("flyt").check(&catalogue).unwrap_err()[0].0, "system");
        let moved = BeslutningForm { system: "Økonomisystemet".into(), ..form("flyt") }.check(&catalogue).unwrap();
        assert_eq!(moved.system.as_deref(), Some("Økonomisystemet"));
        let fields: Vec<String> =
            BeslutningForm { afdeling: " ".into(), begrundelse: String::new(), ..form("nedlaeg") }
                .check(&catalogue)
                .unwrap_err()
                .into_iter()
                .map(|(f, _)| f)
                .collect();
        assert_eq!(fields, ["afdeling", "begrundelse"]);
        assert_eq!(form("noget").check(&catalogue).unwrap_err()[0].0, "valg");
    }

    #[test]
    fn kommune_made_types_are_nul_and_nl_digit() {
        for code in ["NUL", "nl1", "NL9"] {
            assert!(kommune_made(code), "{code}");
        }
        for code in ["KTH", "NLX", "NL10", "LED"] {
            assert!(!kommune_made(code), "{code}");
        }
    }

    #[test]
    fn andre_ydelser_and_moves_carry_the_seed_warnings() {
        assert!(Valg::AndenYdelse.warnings().iter().any(|w| w.contains("kassationsreglerne")));
        assert!(Valg::Flyt.warnings().iter().any(|w| w.contains("god tid før go-live")));
        assert!(Valg::Match.warnings().is_empty() && !Valg::Match.needs_plan());
    }

    #[test]
    fn a_plan_item_defaults_to_ui04s_end_and_needs_a_date_without_go_live() {
        let due = NaiveDate::from_ymd_opt(2027, 7, 14).unwrap();
        let f = PlanpunktForm {
            bevillingstype: "NUL".into(),
            hvad: "Flyt sager".into(),
            hvem: "Økonomi".into(),
            forfald: String::new(),
        };
        assert_eq!(f.check(Some(due)).unwrap().forfald, due);
        assert_eq!(f.check(None).unwrap_err()[0].0, "forfald");
        let typed = PlanpunktForm { forfald: "01.03.2027".into(), ..f.clone() };
        assert_eq!(typed.check(None).unwrap().forfald, NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
    }

    #[test]
    fn progress_reads_like_the_issue() {
        assert_eq!(progress_text(31, 27, 5), "27 af 31 bevillingstyper besluttet, 5 planpunkter forsinket");
        assert_eq!(progress_text(3, 3, 0), "3 af 3 bevillingstyper besluttet, ingen planpunkter forsinket");
    }
}
