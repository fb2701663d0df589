//! Stikprøve (DOMAIN.md A, "Steering MI 38"): a random sample of the open Opret fordringssag
//! tasks that fell to paragraf- and/or kravtypekontrol, checked by hand, and the error rate per
//! control with its 95 % Wilson score interval. Pure: the server draws with exactly this code,
//! and the form validates with it in the browser.
//!
//! The draw is reproducible: each task gets the rank `key(seed, task id)` and the sample is the
//! `n` tasks of lowest rank. A task's rank depends only on the seed and its own id, so anyone
//! with the seed and the population can redraw the same sample.

use super::beloeb::decimal;
use super::resolve::FieldError;
use serde::{Deserialize, Serialize};

/// One of the two controls a stikprøve checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kontrol {
    Paragraf,
    Kravtype,
}

impl Kontrol {
    pub const ALL: [Kontrol; 2] = [Kontrol::Paragraf, Kontrol::Kravtype];

    /// "Paragrafkontrol" / "Kravtypekontrol".
    pub fn label(self) -> &'static str {
        match self {
            Kontrol::Paragraf => "Paragrafkontrol",
            Kontrol::Kravtype => "Kravtypekontrol",
        }
    }

    /// The question a checker answers for this control.
    pub fn question(self) -> &'static str {
        match self {
            Kontrol::Paragraf => "Er udbetalings- og tilbagebetalingsparagraffen på kilden rigtig?",
            Kontrol::Kravtype => "Er kravtypen på kilden rigtig?",
        }
    }
}

/// The size asked for: a number of tasks or a percentage of the population.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    Antal(u32),
    Procent(f64),
}

impl Size {
    /// The number of tasks to draw from a population of `population`.
    pub fn resolve(self, population: u32) -> Result<u32, FieldError> {
        if population == 0 {
            return Err(FieldError::new("kontrol", "Der er ingen åbne opgaver med den valgte kontrol at trække fra."));
        }
        let n = match self {
            Size::Antal(n) => n,
            // Rounded up: 5 % of 30 tasks is 2, never 0.
            Size::Procent(p) => ((p / 100.0) * f64::from(population)).ceil() as u32,
        };
        if n > population {
            return Err(FieldError::new(
                "stoerrelse",
                format!("Der er kun {population} opgaver i populationen; vælg højst {population}."),
            ));
        }
        Ok(n.max(1))
    }

    /// How the size was asked for, as the results page shows it ("40 opgaver", "10 %").
    pub fn describe(self) -> String {
        match self {
            Size::Antal(n) => format!("{n} opgaver"),
            Size::Procent(p) => format!("{} %", decimal(p, if p.fract() == 0.0 { 0 } else { 1 })),
        }
    }
}

/// The draw form as typed, so every bad value becomes a message at its field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawForm {
    #[serde(default)]
    pub paragrafkontrol: bool,
    #[serde(default)]
    pub kravtypekontrol: bool,
    /// "40" or "10" (with `enhed` = "procent"); a decimal comma is accepted.
    #[serde(default)]
    pub stoerrelse: String,
    /// "antal" or "procent".
    #[serde(default)]
    pub enhed: String,
    /// Empty: the server chooses one.
    #[serde(default)]
    pub seed: String,
}

/// A valid draw request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawSpec {
    pub paragrafkontrol: bool,
    pub kravtypekontrol: bool,
    pub size: Size,
    pub seed: Option<u32>,
}

impl DrawForm {
    pub fn parse(&self) -> Result<DrawSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !self.paragrafkontrol && !self.kravtypekontrol {
            errors.push(FieldError::new("kontrol", "Vælg paragrafkontrol, kravtypekontrol eller begge."));
        }
        let text = self.stoerrelse.trim().trim_end_matches('%').trim().replace(',', ".");
        let procent = self.enhed == "procent";
        let size = if text.is_empty() {
            errors.push(FieldError::new("stoerrelse", "Angiv hvor mange opgaver stikprøven skal have."));
            None
        } else if procent {
            match text.parse::<f64>() {
                Ok(p) if !p.is_finite() || p <= 0.0 => {
                    errors.push(FieldError::new("stoerrelse", "Procentdelen skal være større end 0."));
                    None
                }
                Ok(p) if p > 100.0 => {
                    errors.push(FieldError::new("stoerrelse", "En procentdel kan højst være 100."));
                    None
                }
                Ok(p) => Some(Size::Procent(p)),
                Err(_) => {
                    errors.push(FieldError::new("stoerrelse", "Skriv procentdelen som et tal, fx 10 eller 2,5."));
                    None
                }
            }
        } else {
            match text.parse::<u32>() {
                Ok(0) => {
                    errors.push(FieldError::new("stoerrelse", "Stikprøven skal have mindst 1 opgave."));
                    None
                }
                Ok(n) => Some(Size::Antal(n)),
                Err(_) => {
                    errors.push(FieldError::new("stoerrelse", "Skriv antallet som et helt tal, fx 40."));
                    None
                }
            }
        };
        let seed = match self.seed.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.push(FieldError::new("seed", "Frøet er et helt tal mellem 0 og 4294967295."));
                    None
                }
            },
        };
        match (errors.is_empty(), size) {
            (true, Some(size)) => Ok(DrawSpec {
                paragrafkontrol: self.paragrafkontrol,
                kravtypekontrol: self.kravtypekontrol,
                size,
                seed,
            }),
            _ => Err(errors),
        }
    }
}

/// SplitMix64's finaliser: a fixed, well-mixed permutation of `u64` (the same on every platform).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A task's rank in the draw with `seed`: a keyed hash of (seed, task id).
pub fn rank(seed: u32, task_id: i64) -> u64 {
    mix(mix(u64::from(seed)) ^ task_id as u64)
}

/// The `n` tasks of `population` with the lowest rank, in rank order (ties by id). Duplicates in
/// the population count once.
pub fn draw(seed: u32, population: &[i64], n: usize) -> Vec<i64> {
    let mut ranked: Vec<(u64, i64)> = population.iter().map(|&id| (rank(seed, id), id)).collect();
    ranked.sort_unstable();
    ranked.dedup_by_key(|(_, id)| *id);
    ranked.into_iter().take(n).map(|(_, id)| id).collect()
}

/// The 95 % Wilson score interval of `errors` in `n` checks, as fractions; `None` when n = 0.
pub fn wilson(errors: u32, n: u32) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    const Z: f64 = 1.959_963_984_540_054;
    let (e, n) = (f64::from(errors.min(n)), f64::from(n));
    let p = e / n;
    let z2 = Z * Z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The error rate and its interval in Danish: "4,2 % (1,3–12,8 %)"; "–" when nothing is checked.
pub fn rate_text(errors: u32, checked: u32) -> String {
    match wilson(errors, checked) {
        None => "–".to_string(),
        Some((lo, hi)) => format!(
            "{} % ({}–{} %)",
            decimal(100.0 * f64::from(errors) / f64::from(checked), 1),
            decimal(100.0 * lo, 1),
            decimal(100.0 * hi, 1)
        ),
    }
}

/// Per control: how many drawn, checked and wrong.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub drawn: u32,
    pub checked: u32,
    pub errors: u32,
}

impl Tally {
    /// Adds one item: `applies` = the task fell to this control; `answer` = Some(is right).
    pub fn add(&mut self, applies: bool, answer: Option<bool>) {
        if applies {
            self.drawn += 1;
            if let Some(right) = answer {
                self.checked += 1;
                self.errors += u32::from(!right);
            }
        }
    }

    pub fn rate_text(self) -> String {
        rate_text(self.errors, self.checked)
    }
}

#[cfg(test)]
mod tests;
