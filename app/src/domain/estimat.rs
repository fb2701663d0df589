//! The manual-entry estimate (seed 003, DOMAIN.md C): cases to be keyed into KY by hand, per
//! case type a count and minutes per case as a range, a caution factor on top, spread over the
//! caseworkers. Low / middle / high use the range's low end, middle and high end.

use serde::{Deserialize, Serialize};

/// One case type of the calculator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sagstype {
    pub navn: String,
    pub antal: i64,
    pub minutter_min: f64,
    pub minutter_max: f64,
}

/// The calculator's input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimat {
    pub sagstyper: Vec<Sagstype>,
    /// Caution on top, in percent (seed: 15).
    pub forsigtighed_pct: f64,
    pub sagsbehandlere: i64,
}

/// Hours for one case type or the total: (low, middle, high).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timer {
    pub lav: f64,
    pub midt: f64,
    pub hoej: f64,
}

impl Timer {
    fn add(self, o: Timer) -> Timer {
        Timer { lav: self.lav + o.lav, midt: self.midt + o.midt, hoej: self.hoej + o.hoej }
    }

    fn scale(self, f: f64) -> Timer {
        Timer { lav: self.lav * f, midt: self.midt * f, hoej: self.hoej * f }
    }
}

/// What the calculator shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resultat {
    /// Per case type, before caution.
    pub pr_sagstype: Vec<Timer>,
    pub foer_forsigtighed: Timer,
    pub i_alt: Timer,
    /// `i_alt` per caseworker; `None` without caseworkers.
    pub pr_sagsbehandler: Option<Timer>,
}

impl Sagstype {
    pub fn timer(&self) -> Timer {
        let h = |min: f64| self.antal as f64 * min / 60.0;
        Timer {
            lav: h(self.minutter_min),
            midt: h((self.minutter_min + self.minutter_max) / 2.0),
            hoej: h(self.minutter_max),
        }
    }
}

/// Why an estimate cannot be computed, per field (`sagstyper.2.antal`, `forsigtighed_pct`, …).
pub fn validate(e: &Estimat) -> Vec<(String, String)> {
    let mut errors = Vec::new();
    for (i, s) in e.sagstyper.iter().enumerate() {
        if s.navn.trim().is_empty() {
            errors.push((format!("sagstyper.{i}.navn"), "Giv sagstypen et navn.".into()));
        }
        if s.antal < 0 {
            errors.push((format!("sagstyper.{i}.antal"), "Antallet kan ikke være negativt.".into()));
        }
        if !(s.minutter_min > 0.0 && s.minutter_min.is_finite()) {
            errors.push((format!("sagstyper.{i}.minutter_min"), "Minutter pr. sag skal være over 0.".into()));
        } else if !(s.minutter_max >= s.minutter_min && s.minutter_max.is_finite()) {
            errors.push((
                format!("sagstyper.{i}.minutter_max"),
                "Højeste antal minutter skal være mindst det laveste.".into(),
            ));
        }
    }
    if !(0.0..=200.0).contains(&e.forsigtighed_pct) {
        errors.push(("forsigtighed_pct".into(), "Forsigtighed skal være mellem 0 og 200 %.".into()));
    }
    if e.sagsbehandlere < 0 {
        errors.push(("sagsbehandlere".into(), "Antal sagsbehandlere kan ikke være negativt.".into()));
    }
    errors
}

pub fn beregn(e: &Estimat) -> Resultat {
    let pr_sagstype: Vec<Timer> = e.sagstyper.iter().map(Sagstype::timer).collect();
    let foer = pr_sagstype.iter().fold(Timer::default(), |a, t| a.add(*t));
    let i_alt = foer.scale(1.0 + e.forsigtighed_pct / 100.0);
    let pr_sagsbehandler = (e.sagsbehandlere > 0).then(|| i_alt.scale(1.0 / e.sagsbehandlere as f64));
    Resultat { pr_sagstype, foer_forsigtighed: foer, i_alt, pr_sagsbehandler }
}

/// The national figures of seed 003 (network meeting, "Manuel indtastning i KY").
pub fn landstal() -> Estimat {
    let t = |navn: &str, antal, lo, hi| Sagstype { navn: navn.into(), antal, minutter_min: lo, minutter_max: hi };
    Estimat {
        sagstyper: vec![
            t("Simple sager (fx enkeltydelser)", 230_000, 4.0, 5.0),
            t("Mellem komplicerede sager (fx ledighedsydelse)", 140_600, 7.0, 13.0),
            t("Komplicerede sager – administrationssager", 15_000, 20.0, 20.0),
        ],
        forsigtighed_pct: 15.0,
        sagsbehandlere: 2_000,
    }
}

/// Which case type an open bevilling's ydelsesart counts as (index into the kommune's
/// `sagstyper`), by the project lead's mapping; unmapped ydelsesarter count as the first type.
pub fn sagstype_for(mapping: &[(String, usize)], ydelsesart: &str, types: usize) -> usize {
    mapping
        .iter()
        .find(|(art, _)| art.eq_ignore_ascii_case(ydelsesart))
        .map(|(_, i)| *i)
        .filter(|i| *i < types)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    #[test]
    fn the_seed_figures_come_out_as_the_network_meeting_said() {
        let r = beregn(&landstal());
        // "(46.000) ca. 53.000" and "27 timer pr. medarbejder", within the seed's rounding
        assert!(near(r.foer_forsigtighed.midt, 46_000.0, 500.0), "{:?}", r.foer_forsigtighed);
        assert!(near(r.i_alt.midt, 53_000.0, 500.0), "{:?}", r.i_alt);
        assert!(near(r.pr_sagsbehandler.unwrap().midt, 27.0, 1.0), "{:?}", r.pr_sagsbehandler);
        // the complex cases: 15.000 × 20 minutter = 5.000 timer exactly
        assert_eq!(r.pr_sagstype[2], Timer { lav: 5_000.0, midt: 5_000.0, hoej: 5_000.0 });
        assert!(r.i_alt.lav < r.i_alt.midt && r.i_alt.midt < r.i_alt.hoej);
    }

    #[test]
    fn bad_input_is_named_per_field() {
        let mut e = landstal();
        e.sagstyper[1].minutter_max = 3.0;
        e.sagstyper[2].navn = " ".into();
        e.forsigtighed_pct = -1.0;
        let fields: Vec<String> = validate(&e).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["sagstyper.1.minutter_max", "sagstyper.2.navn", "forsigtighed_pct"]);
        assert!(beregn(&Estimat { sagsbehandlere: 0, ..landstal() }).pr_sagsbehandler.is_none());
    }

    #[test]
    fn ydelsesarter_map_to_case_types() {
        let mapping = vec![("Ledighedsydelse".to_string(), 1), ("Husleje".to_string(), 2)];
        assert_eq!(sagstype_for(&mapping, "ledighedsydelse", 3), 1);
        assert_eq!(sagstype_for(&mapping, "Enkeltydelse", 3), 0);
        assert_eq!(sagstype_for(&mapping, "Husleje", 2), 0, "a mapping past the types falls back");
    }
}
