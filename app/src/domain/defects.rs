//! The defects of a KMD Aktiv fordring and the classification into opgavepakker (DOMAIN.md A).

use super::opgavepakke::Opgavepakke;
use serde::{Deserialize, Serialize};

/// What a fordring lacks. `d` is not a defect to fix but decides med/uden dækninger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Defects {
    /// No sagstilknytning: the KMD Aktiv bevilling must be chosen.
    pub b: bool,
    /// Missing ydelsesreference.
    pub r: bool,
    /// Kravtypekontrol: kravtype missing, or the same as another claim's.
    pub k: bool,
    /// Paragrafkontrol: udbetalings- or tilbagebetalingsparagraf missing.
    pub p: bool,
    /// The fordring has at least one dækning or afskrivning.
    pub d: bool,
}

const B: u8 = 1;
const R: u8 = 2;
const K: u8 = 4;
const P: u8 = 8;
const D: u8 = 16;

impl Defects {
    /// Everything a caseworker's form can supply (the task page offers every choice).
    pub const FORM: Defects = Defects { b: true, r: true, k: true, p: true, d: false };

    /// Whether anything must be supplied by a caseworker (D alone needs no task).
    pub fn needs_task(self) -> bool {
        self.b || self.r || self.k || self.p
    }

    /// The one opgavepakke an open "Opret fordringssag" task with these defects sits in, or `None`
    /// when there is nothing to fix.
    pub fn classify(self) -> Option<Opgavepakke> {
        let base = match (self.b, self.p, self.k, self.r) {
            (true, _, _, _) => 8,
            (false, false, false, true) => 1,
            (false, false, true, false) => 2,
            (false, true, false, false) => 3,
            (false, true, true, false) => 4,
            (false, true, false, true) => 5,
            (false, false, true, true) => 6,
            (false, true, true, true) => 7,
            (false, false, false, false) => return None,
        };
        Opgavepakke::new(if self.d { base } else { base + 9 })
    }

    pub fn bits(self) -> u8 {
        [(self.b, B), (self.r, R), (self.k, K), (self.p, P), (self.d, D)]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, bit)| bit)
            .sum()
    }

    /// The bits of what a caseworker must supply (without `d`, which a dækning may set at any
    /// time without changing what the answer must contain).
    pub fn to_fix_bits(self) -> u8 {
        self.bits() & !D
    }

    pub fn from_bits(bits: u8) -> Self {
        Defects { b: bits & B != 0, r: bits & R != 0, k: bits & K != 0, p: bits & P != 0, d: bits & D != 0 }
    }

    /// Letters as in the brief, e.g. `"P+R, D"`.
    pub fn letters(self) -> String {
        let fix: Vec<&str> = [(self.b, "B"), (self.p, "P"), (self.k, "K"), (self.r, "R")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, l)| *l)
            .collect();
        let mut out = fix.join("+");
        if self.d {
            out.push_str(if out.is_empty() { "D" } else { ", D" });
        }
        out
    }

    /// Why a task sits where it does, in the caseworker's words. `kravtype_known` tells a
    /// missing kravtype from one shared with another claim.
    pub fn explanation(self, kravtype_known: bool) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.b {
            out.push("Fordringen er ikke knyttet til en sag: vælg den KMD Aktiv bevilling, den hører til.");
        }
        if self.r {
            out.push("Fordringen mangler ydelsesreference.");
        }
        if self.k && kravtype_known {
            out.push("Borgeren har en anden fordring med samme kravtype på en anden bevilling (samme kravtype): kravtypen skal bekræftes eller rettes.");
        } else if self.k {
            out.push("Kravtypen mangler og skal angives.");
        }
        if self.p {
            out.push("Udbetalings- eller tilbagebetalingsparagraf mangler.");
        }
        out.push(if self.d {
            "Der er registreret dækninger på fordringen, så opgaven hører til \"med dækninger\" og skal løses før skatteårets frist."
        } else {
            "Der er ingen dækninger på fordringen (\"uden dækninger\")."
        });
        out
    }
}

/// What a task's explanation says besides its defects: the facts the classification read.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExplainFacts<'a> {
    pub kravtype: Option<&'a str>,
    /// Another fordring of the person with the same kravtype on another bevilling.
    pub samme_kravtype_som: Option<&'a str>,
    pub udbetalingsparagraf: Option<&'a str>,
    pub tilbagebetalingsparagraf: Option<&'a str>,
    /// Dækninger and afskrivninger registered on the fordring.
    pub daekninger: usize,
}

impl Defects {
    /// Why an Opret fordringssag task sits in its package, one line per defect, from the same
    /// facts the classification read (and only the defects the task still has: an automated
    /// control is not explained as missing).
    pub fn explain(self, f: &ExplainFacts) -> Vec<String> {
        let mut out = Vec::new();
        if self.b {
            out.push("Fordringen er ikke knyttet til en sag: vælg den KMD Aktiv bevilling, den hører til.".to_string());
        }
        if self.r {
            out.push("Fordringen mangler ydelsesreference.".to_string());
        }
        if self.k {
            out.push(match (missing(f.kravtype), f.samme_kravtype_som) {
                (true, _) => "Kravtypen mangler og skal angives (kravtypekontrol).".to_string(),
                (false, Some(other)) => format!(
                    "Borgeren har en anden fordring ({other}) med samme kravtype \"{}\" på en anden bevilling: kravtypen skal bekræftes eller rettes.",
                    f.kravtype.unwrap_or_default().trim()
                ),
                (false, None) => "Kravtypen skal bekræftes eller rettes (kravtypekontrol).".to_string(),
            });
        }
        if self.p {
            let which = match (missing(f.udbetalingsparagraf), missing(f.tilbagebetalingsparagraf)) {
                (true, true) => "Udbetalings- og tilbagebetalingsparagraf mangler.",
                (true, false) => "Udbetalingsparagraffen mangler.",
                (false, true) => "Tilbagebetalingsparagraffen mangler.",
                (false, false) => "Paragrafferne skal kontrolleres (paragrafkontrol).",
            };
            out.push(which.to_string());
        }
        out.push(match (self.d, f.daekninger) {
            (true, n) => format!(
                "Der er registreret {} på fordringen, så opgaven hører til \"med dækninger\" og skal løses før skatteårets frist.",
                if n == 1 { "1 dækning".to_string() } else { format!("{n} dækninger") }
            ),
            (false, _) => "Der er ingen dækninger på fordringen (\"uden dækninger\").".to_string(),
        });
        out
    }
}

/// Why a 09 task waits: its dækning came while the fordring's Opret fordringssag task was open.
pub fn ventetrin_explanation(daekning_id: &str, waits_for: Option<i64>) -> Vec<String> {
    vec![
        match waits_for {
            Some(t) => format!(
                "Dækningen {daekning_id} kom, mens fordringens Opret fordringssag-opgave (opgave {t}) var åben."
            ),
            None => format!("Dækningen {daekning_id} kom, mens fordringens Opret fordringssag-opgave var åben."),
        },
        "Den venter i ventetrin (09) og behandles automatisk, så snart den opgave er løst.".to_string(),
    ]
}

/// The facts about one fordring that its defects follow from.
#[derive(Clone, Copy, Debug, Default)]
pub struct FordringFacts<'a> {
    pub bevilling_id: Option<&'a str>,
    pub ydelsesreference: Option<&'a str>,
    pub kravtype: Option<&'a str>,
    /// A caseworker confirmed the kravtype despite a sibling with the same one.
    pub kravtype_bekraeftet: bool,
    pub udbetalingsparagraf: Option<&'a str>,
    pub tilbagebetalingsparagraf: Option<&'a str>,
    pub har_daekninger: bool,
}

/// Another fordring of the same person: its kravtype and bevilling.
#[derive(Clone, Copy, Debug)]
pub struct Sibling<'a> {
    pub kravtype: Option<&'a str>,
    pub bevilling_id: Option<&'a str>,
}

fn missing(v: Option<&str>) -> bool {
    v.is_none_or(|s| s.trim().is_empty())
}

/// Defects per CONTRACT.md. `siblings` are the person's *other* fordringer.
pub fn defects_of<'a>(f: &FordringFacts<'a>, siblings: impl IntoIterator<Item = Sibling<'a>>) -> Defects {
    let samme_kravtype = !f.kravtype_bekraeftet
        && !missing(f.kravtype)
        && siblings
            .into_iter()
            .any(|s| s.kravtype.map(str::trim) == f.kravtype.map(str::trim) && s.bevilling_id != f.bevilling_id);
    Defects {
        b: missing(f.bevilling_id),
        r: missing(f.ydelsesreference),
        k: missing(f.kravtype) || samme_kravtype,
        p: missing(f.udbetalingsparagraf) || missing(f.tilbagebetalingsparagraf),
        d: f.har_daekninger,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(letters: &str) -> Defects {
        Defects {
            b: letters.contains('B'),
            r: letters.contains('R'),
            k: letters.contains('K'),
            p: letters.contains('P'),
            d: letters.contains('D'),
        }
    }

    /// The table of DOMAIN.md, row by row, for every combination of the five defects.
    #[test]
    fn every_combination_lands_in_the_opgavepakke_of_the_table() {
        let table: [(&str, Option<u8>, Option<u8>); 9] = [
            // defects besides D, med dækninger, uden dækninger
            ("", None, None),
            ("R", Some(1), Some(10)),
            ("K", Some(2), Some(11)),
            ("P", Some(3), Some(12)),
            ("PK", Some(4), Some(13)),
            ("PR", Some(5), Some(14)),
            ("KR", Some(6), Some(15)),
            ("PKR", Some(7), Some(16)),
            ("B", Some(8), Some(17)),
        ];
        for (letters, med, uden) in table {
            assert_eq!(d(&format!("{letters}D")).classify().map(|p| p.nr()), med, "{letters}+D");
            assert_eq!(d(letters).classify().map(|p| p.nr()), uden, "{letters}");
        }
        // B dominates whatever else is missing.
        for rest in ["R", "K", "P", "PK", "PR", "KR", "PKR"] {
            assert_eq!(d(&format!("B{rest}D")).classify().map(|p| p.nr()), Some(8));
            assert_eq!(d(&format!("B{rest}")).classify().map(|p| p.nr()), Some(17));
        }
    }

    #[test]
    fn a_fordring_with_only_daekninger_needs_no_task() {
        assert_eq!(d("D").classify(), None);
        assert!(!d("D").needs_task());
    }

    #[test]
    fn empty_and_blank_fields_are_missing() {
        let f = FordringFacts {
            bevilling_id: Some("B1"),
            ydelsesreference: Some("  "),
            kravtype: Some("Tilbagebetaling"),
            udbetalingsparagraf: Some("AKL § 91"),
            tilbagebetalingsparagraf: None,
            ..Default::default()
        };
        assert_eq!(defects_of(&f, []), d("RP"));
    }

    #[test]
    fn the_same_kravtype_on_another_bevilling_is_a_k_defect_until_confirmed() {
        let mut f = FordringFacts {
            bevilling_id: Some("B1"),
            ydelsesreference: Some("Y1"),
            kravtype: Some("Tilbagebetaling"),
            udbetalingsparagraf: Some("§ 1"),
            tilbagebetalingsparagraf: Some("§ 2"),
            ..Default::default()
        };
        let other_bevilling = Sibling { kravtype: Some("Tilbagebetaling"), bevilling_id: Some("B2") };
        let same_bevilling = Sibling { kravtype: Some("Tilbagebetaling"), bevilling_id: Some("B1") };
        assert!(defects_of(&f, [other_bevilling]).k);
        assert!(!defects_of(&f, [same_bevilling]).k);
        f.kravtype_bekraeftet = true;
        assert!(!defects_of(&f, [other_bevilling]).k);
    }

    fn any_defects() -> impl Strategy<Value = Defects> {
        (0u8..32).prop_map(Defects::from_bits)
    }

    proptest! {
        #[test]
        fn bits_round_trip(x in any_defects()) {
            prop_assert_eq!(Defects::from_bits(x.bits()), x);
        }

        /// Every defective fordring lands in exactly one opgavepakke; which one follows from the
        /// defects alone; 09 is never a classification result.
        #[test]
        fn the_opgavepakke_follows_from_the_defects_alone(x in any_defects()) {
            let p = x.classify();
            prop_assert_eq!(p.is_some(), x.needs_task());
            if let Some(p) = p {
                prop_assert_ne!(p, Opgavepakke::VENTETRIN);
                prop_assert_eq!(p.med_daekninger(), x.d);
                prop_assert_eq!(p.nr() == 8 || p.nr() == 17, x.b);
            }
        }

        /// A dækning arriving moves a task exactly as re-classifying with D would.
        #[test]
        fn a_daekning_moves_a_task_to_its_med_twin(x in any_defects()) {
            let without = Defects { d: false, ..x };
            let with = Defects { d: true, ..x };
            prop_assert_eq!(without.classify().map(Opgavepakke::with_daekning), with.classify());
        }
    }

    /// Each package's explanation, pinned: the first line of the defect that puts a task there,
    /// and the dækninger line that tells med from uden.
    #[test]
    fn every_package_is_explained_from_its_facts() {
        let facts = ExplainFacts {
            kravtype: None,
            samme_kravtype_som: None,
            udbetalingsparagraf: None,
            tilbagebetalingsparagraf: Some("LAS § 91"),
            daekninger: 3,
        };
        let expect: [(&str, &[&str]); 8] = [
            ("R", &["Fordringen mangler ydelsesreference."]),
            ("K", &["Kravtypen mangler og skal angives (kravtypekontrol)."]),
            ("P", &["Udbetalingsparagraffen mangler."]),
            ("PK", &["Kravtypen mangler og skal angives (kravtypekontrol).", "Udbetalingsparagraffen mangler."]),
            ("PR", &["Fordringen mangler ydelsesreference.", "Udbetalingsparagraffen mangler."]),
            ("KR", &["Fordringen mangler ydelsesreference.", "Kravtypen mangler og skal angives (kravtypekontrol)."]),
            (
                "PKR",
                &[
                    "Fordringen mangler ydelsesreference.",
                    "Kravtypen mangler og skal angives (kravtypekontrol).",
                    "Udbetalingsparagraffen mangler.",
                ],
            ),
            ("B", &["Fordringen er ikke knyttet til en sag: vælg den KMD Aktiv bevilling, den hører til."]),
        ];
        for (letters, lines) in expect {
            for (with_d, last) in [
                (
                    true,
                    "Der er registreret 3 dækninger på fordringen, så opgaven hører til \"med dækninger\" og skal løses før skatteårets frist.",
                ),
                (false, "Der er ingen dækninger på fordringen (\"uden dækninger\")."),
            ] {
                let defects = d(&format!("{letters}{}", if with_d { "D" } else { "" }));
                let p = defects.classify().unwrap();
                let mut want: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                want.push(last.to_string());
                assert_eq!(defects.explain(&facts), want, "package {}", p.code());
            }
        }
        // 02 with a kravtype shared with another fordring names it
        let samme = ExplainFacts { kravtype: Some("Tilbagebetaling"), samme_kravtype_som: Some("F9"), ..facts };
        assert_eq!(
            d("KD").explain(&samme)[0],
            "Borgeren har en anden fordring (F9) med samme kravtype \"Tilbagebetaling\" på en anden bevilling: kravtypen skal bekræftes eller rettes."
        );
        // 09: the dækning waits for the task, never "no dækninger"
        let v = ventetrin_explanation("D7", Some(12));
        assert!(v[0].contains("D7") && v[0].contains("opgave 12") && v.iter().all(|l| !l.contains("ingen dækninger")));
    }
}
