//! KOMBIT's success criteria (succeskriterier, seed 003): per objective (målsætning A, B, C …)
//! numbered criteria with a target as a threshold ("≥ 95 pct."), a source and the measuring
//! points (måletidspunkter) at which they are measured. Here: whether the latest measurement
//! meets the target, KOMBIT's forms read with Danish numbers and dates, and which measuring
//! point is due next.

use crate::domain::plan::parse_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// How a measurement is compared with the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sammenligning {
    /// At least the target (≥): "95 pct. tilkendegiver …".
    Mindst,
    /// At most the target (≤): "fejlandelen er uændret eller reduceret".
    Hoejst,
}

impl Sammenligning {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            ">=" | "≥" | "mindst" => Some(Sammenligning::Mindst),
            "<=" | "≤" | "hoejst" | "højst" => Some(Sammenligning::Hoejst),
            _ => None,
        }
    }

    /// The stored form.
    pub fn code(self) -> &'static str {
        match self {
            Sammenligning::Mindst => ">=",
            Sammenligning::Hoejst => "<=",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Sammenligning::Mindst => "≥",
            Sammenligning::Hoejst => "≤",
        }
    }
}

/// A criterion's target: "≥ 95 pct.", "≤ 4,5 pct.", "≥ 98 pct." (oppetid).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Maal {
    pub sammenligning: Sammenligning,
    pub vaerdi: f64,
    /// "pct.", "timer", "minutter" …
    pub enhed: String,
}

impl Maal {
    pub fn met_by(&self, value: f64) -> bool {
        match self.sammenligning {
            Sammenligning::Mindst => value >= self.vaerdi,
            Sammenligning::Hoejst => value <= self.vaerdi,
        }
    }

    /// "≥ 95 pct."
    pub fn text(&self) -> String {
        format!("{} {} {}", self.sammenligning.symbol(), format_tal(self.vaerdi), self.enhed)
    }

    pub fn is_percent(&self) -> bool {
        is_percent(&self.enhed)
    }
}

fn is_percent(enhed: &str) -> bool {
    matches!(enhed.trim(), "pct." | "pct" | "%" | "procent")
}

/// Met, not met, or not measured yet — judged on the latest measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Opfyldelse {
    Opfyldt,
    IkkeOpfyldt,
    IkkeMaalt,
}

impl Opfyldelse {
    pub fn of(maal: &Maal, latest: Option<f64>) -> Self {
        match latest {
            None => Opfyldelse::IkkeMaalt,
            Some(v) if maal.met_by(v) => Opfyldelse::Opfyldt,
            Some(_) => Opfyldelse::IkkeOpfyldt,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Opfyldelse::Opfyldt => "Opfyldt",
            Opfyldelse::IkkeOpfyldt => "Ikke opfyldt",
            Opfyldelse::IkkeMaalt => "Ikke målt endnu",
        }
    }
}

/// A number as KOMBIT types it: "83,3", "83.3", "95", "1.250,5" is refused (no thousands here).
pub fn parse_tal(text: &str) -> Option<f64> {
    let t = text.trim().replace('\u{2212}', "-");
    if t.is_empty() || t.matches([',', '.']).count() > 1 {
        return None;
    }
    let v: f64 = t.replace(',', ".").parse().ok()?;
    v.is_finite().then_some(v)
}

/// A number the Danish way, at most one decimal: 83.25 → "83,3" (rounded), 95.0 → "95".
pub fn format_tal(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}").replace('.', ",") }
}

/// KOMBIT's form for one measurement (all text, as posted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaalingForm {
    pub kriterium_id: String,
    pub maalepunkt: String,
    pub vaerdi: String,
    #[serde(default)]
    pub stikproeve: String,
    pub maalt: String,
    pub kilde: String,
}

/// A measurement that passed the form's checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NyMaaling {
    pub kriterium_id: i64,
    pub maalepunkt: i64,
    pub vaerdi: f64,
    pub stikproeve: Option<i64>,
    /// ISO date.
    pub maalt: NaiveDate,
    pub kilde: String,
}

/// (field, Danish message).
pub type FormErrors = Vec<(String, String)>;

impl MaalingForm {
    /// The measurement, or what is wrong per field. `enhed` is the criterion's unit (a
    /// percentage lies in 0–100); a measurement cannot be dated after `today`.
    pub fn to_maaling(&self, enhed: &str, today: NaiveDate) -> Result<NyMaaling, FormErrors> {
        let mut errors: FormErrors = Vec::new();
        let mut err = |f: &str, m: &str| errors.push((f.to_string(), m.to_string()));
        let kriterium_id = self.kriterium_id.trim().parse::<i64>().unwrap_or_else(|_| {
            err("kriterium_id", "Vælg et succeskriterium.");
            0
        });
        let maalepunkt = self.maalepunkt.trim().parse::<i64>().unwrap_or_else(|_| {
            err("maalepunkt", "Vælg et måletidspunkt.");
            0
        });
        let vaerdi = match parse_tal(&self.vaerdi) {
            None if self.vaerdi.trim().is_empty() => {
                err("vaerdi", "Skriv den målte værdi, fx 83,3.");
                0.0
            }
            None => {
                err("vaerdi", "Værdien skal være et tal, fx 83,3.");
                0.0
            }
            Some(v) if is_percent(enhed) && !(0.0..=100.0).contains(&v) => {
                err("vaerdi", "En procentdel ligger mellem 0 og 100.");
                v
            }
            Some(v) if v < 0.0 => {
                err("vaerdi", "Værdien kan ikke være negativ.");
                v
            }
            Some(v) => v,
        };
        let stikproeve = match self.stikproeve.trim() {
            "" => None,
            t => match t.replace('.', "").parse::<i64>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    err("stikproeve", "Stikprøvens størrelse er et helt tal på mindst 1 (eller tom).");
                    None
                }
            },
        };
        let maalt = match parse_date(&self.maalt) {
            Some(d) if d > today => {
                err("maalt", "Målingen kan ikke være foretaget i fremtiden.");
                None
            }
            Some(d) => Some(d),
            None if self.maalt.trim().is_empty() => {
                err("maalt", "Skriv datoen for målingen, fx 25.01.2027.");
                None
            }
            None => {
                err("maalt", "Angiv en dato som dd.mm.åååå, fx 25.01.2027.");
                None
            }
        };
        let kilde = self.kilde.trim().to_string();
        if kilde.is_empty() {
            err("kilde", "Skriv målingens kilde, fx spørgeskema til sagsbehandlere.");
        } else if kilde.chars().count() > 500 {
            err("kilde", "Højst 500 tegn.");
        }
        match maalt {
            Some(maalt) if errors.is_empty() => {
                Ok(NyMaaling { kriterium_id, maalepunkt, vaerdi, stikproeve, maalt, kilde })
            }
            _ => Err(errors),
        }
    }
}

/// KOMBIT's form for a criterion: a new one (`id` empty) or a change of one it has seen at
/// `version`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KriteriumForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub version: String,
    pub maalsaetning: String,
    pub nummer: String,
    pub tekst: String,
    pub sammenligning: String,
    pub maal: String,
    pub enhed: String,
    pub kilde: String,
    /// The measuring points' numbers, "3, 4".
    #[serde(default)]
    pub maalepunkter: String,
}

/// A criterion that passed the form's checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kriterium {
    /// None: a new criterion.
    pub id: Option<i64>,
    /// The version the change was made on (0 for a new criterion).
    pub version: i64,
    pub maalsaetning: String,
    /// "A1", "C10".
    pub nummer: String,
    pub tekst: String,
    pub maal: Maal,
    pub kilde: String,
    pub maalepunkter: Vec<i64>,
}

impl KriteriumForm {
    pub fn to_kriterium(&self) -> Result<Kriterium, FormErrors> {
        let mut errors: FormErrors = Vec::new();
        let mut err = |f: &str, m: &str| errors.push((f.to_string(), m.to_string()));
        let id = match self.id.trim() {
            "" => None,
            t => t.parse::<i64>().ok().or_else(|| {
                err("id", "Ukendt succeskriterium.");
                None
            }),
        };
        let version = match (id, self.version.trim().parse::<i64>()) {
            (None, _) => 0,
            (Some(_), Ok(v)) if v >= 1 => v,
            _ => {
                err("version", "Genindlæs siden og prøv igen.");
                0
            }
        };
        let maalsaetning = self.maalsaetning.trim().to_uppercase();
        if !is_bogstav(&maalsaetning) {
            err("maalsaetning", "Vælg målsætningen (et bogstav, fx A).");
        }
        let nummer = self.nummer.trim().to_uppercase();
        if !nummer.starts_with(maalsaetning.as_str())
            || nummer.len() < 2
            || !nummer[maalsaetning.len()..].chars().all(|c| c.is_ascii_digit())
        {
            err("nummer", "Nummeret er målsætningens bogstav og et tal, fx A1.");
        }
        let tekst = self.tekst.trim().to_string();
        if tekst.is_empty() {
            err("tekst", "Skriv succeskriteriet.");
        }
        let sammenligning = Sammenligning::parse(&self.sammenligning).unwrap_or_else(|| {
            err("sammenligning", "Vælg mindst (≥) eller højst (≤).");
            Sammenligning::Mindst
        });
        let enhed = self.enhed.trim().to_string();
        if enhed.is_empty() || enhed.chars().count() > 20 {
            err("enhed", "Skriv enheden, fx pct., timer eller minutter.");
        }
        let vaerdi = match parse_tal(&self.maal) {
            Some(v) if is_percent(&enhed) && !(0.0..=100.0).contains(&v) => {
                err("maal", "En procentdel ligger mellem 0 og 100.");
                v
            }
            Some(v) if v >= 0.0 => v,
            _ => {
                err("maal", "Målet skal være et tal, fx 95 eller 4,5.");
                0.0
            }
        };
        let kilde = self.kilde.trim().to_string();
        if kilde.is_empty() {
            err("kilde", "Skriv kilden, fx kommunalt ledelsestilsyn.");
        }
        let maalepunkter = match parse_numbers(&self.maalepunkter) {
            Some(v) if !v.is_empty() => v,
            _ => {
                err("maalepunkter", "Skriv måletidspunkternes numre, fx 3, 4.");
                Vec::new()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Kriterium {
            id,
            version,
            maalsaetning,
            nummer,
            tekst,
            maal: Maal { sammenligning, vaerdi, enhed },
            kilde,
            maalepunkter,
        })
    }
}

fn is_bogstav(t: &str) -> bool {
    t.chars().count() == 1 && t.chars().all(|c| c.is_alphabetic())
}

/// "3, 4" or "3 4" → [3, 4] (sorted, each once); None when something is not a number.
fn parse_numbers(text: &str) -> Option<Vec<i64>> {
    let mut v = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<i64>().ok().filter(|n| *n >= 1))
        .collect::<Option<Vec<i64>>>()?;
    v.sort_unstable();
    v.dedup();
    Some(v)
}

/// KOMBIT's form for an objective.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaalsaetningForm {
    pub bogstav: String,
    pub titel: String,
}

impl MaalsaetningForm {
    /// (letter, title).
    pub fn to_maalsaetning(&self) -> Result<(String, String), FormErrors> {
        let mut errors: FormErrors = Vec::new();
        let bogstav = self.bogstav.trim().to_uppercase();
        if !is_bogstav(&bogstav) {
            errors.push(("bogstav".into(), "Målsætningens bogstav, fx A.".into()));
        }
        let titel = self.titel.trim().to_string();
        if titel.is_empty() {
            errors.push(("titel".into(), "Skriv målsætningen.".into()));
        }
        if errors.is_empty() { Ok((bogstav, titel)) } else { Err(errors) }
    }
}

/// KOMBIT's form for a measuring point: its number (the order), name and planned date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaalepunktForm {
    pub nr: String,
    pub navn: String,
    #[serde(default)]
    pub planlagt: String,
}

/// A measuring point: "Før kommunal ibrugtagning", planned 25.01.2027.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maalepunkt {
    pub nr: i64,
    pub navn: String,
    pub planlagt: Option<NaiveDate>,
}

impl MaalepunktForm {
    pub fn to_maalepunkt(&self) -> Result<Maalepunkt, FormErrors> {
        let mut errors: FormErrors = Vec::new();
        let nr = self.nr.trim().parse::<i64>().ok().filter(|n| (1..=99).contains(n)).unwrap_or_else(|| {
            errors.push(("nr".into(), "Nummeret er et helt tal fra 1 til 99.".into()));
            0
        });
        let navn = self.navn.trim().to_string();
        if navn.is_empty() {
            errors.push(("navn".into(), "Skriv måletidspunktets navn.".into()));
        }
        let planlagt = match self.planlagt.trim() {
            "" => None,
            t => parse_date(t).or_else(|| {
                errors.push(("planlagt".into(), "Angiv en dato som dd.mm.åååå, fx 25.01.2027.".into()));
                None
            }),
        };
        if errors.is_empty() { Ok(Maalepunkt { nr, navn, planlagt }) } else { Err(errors) }
    }
}

/// The measuring point a criterion waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NaesteMaaling {
    pub maalepunkt: Maalepunkt,
    /// Its planned date has passed without a measurement.
    pub overdue: bool,
}

/// What is due next for a criterion: of its measuring points (`applicable`, by number) those
/// without a measurement, the one planned first (points without a date after the dated ones,
/// by number). None when every point is measured.
pub fn naeste_maaling(
    points: &[Maalepunkt],
    applicable: &[i64],
    measured: &[i64],
    today: NaiveDate,
) -> Option<NaesteMaaling> {
    points
        .iter()
        .filter(|p| applicable.contains(&p.nr) && !measured.contains(&p.nr))
        .min_by_key(|p| (p.planlagt.is_none(), p.planlagt, p.nr))
        .map(|p| NaesteMaaling { overdue: p.planlagt.is_some_and(|d| d < today), maalepunkt: p.clone() })
}
