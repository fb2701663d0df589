//! Completing an "Opret fordringssag" task: what the caseworker must supply for each defect,
//! validated the same way in the browser and on the server.

use super::defects::Defects;
use serde::{Deserialize, Serialize};

/// The resolve form as typed. Fields the task does not need are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResolveInput {
    pub bevilling_id: String,
    pub ydelsesreference: String,
    pub kravtype: String,
    pub kravtype_bekraeftet: bool,
    pub udbetalingsparagraf: String,
    pub tilbagebetalingsparagraf: String,
}

/// What a valid form changes on the fordring: `Some` only for the fields the defects asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub bevilling_id: Option<String>,
    pub ydelsesreference: Option<String>,
    pub kravtype: Option<String>,
    pub udbetalingsparagraf: Option<String>,
    pub tilbagebetalingsparagraf: Option<String>,
}

/// One field's problem, with the field named as in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.to_string(), message: message.into() }
    }
}

/// What the extract knows for the form: the choices it offers and the values it accepts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownValues {
    /// The person's bevillinger (the only valid choices for B).
    pub bevillinger: Vec<String>,
    /// The fordring's bevilling, when it has one.
    pub fordringens_bevilling: Option<String>,
    /// The ydelser of the person's bevillinger: a reference names one of the chosen bevilling's.
    pub ydelser: Vec<YdelseChoice>,
    /// The forms (`reference_shape`) of the references already on the kommune's fordringer.
    pub reference_shapes: Vec<String>,
    /// One of those references, for the message.
    pub reference_example: Option<String>,
    /// The kravtyper in use in the kommune and those of KY debitor (`KRAVTYPER`).
    pub kravtyper: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YdelseChoice {
    pub bevilling_id: String,
    pub ydelse_id: String,
    pub ydelsesart: String,
}

impl KnownValues {
    /// The ydelser of a bevilling.
    pub fn ydelser_of<'a>(&'a self, bevilling: &'a str) -> impl Iterator<Item = &'a YdelseChoice> + 'a {
        self.ydelser.iter().filter(move |y| y.bevilling_id == bevilling)
    }
}

/// The form of a reference: each letter `A`, each run of digits `9`, the rest as it is
/// ("YR-2020-000017" → "AA-9-9"), so references of another length of number still match.
pub fn reference_shape(value: &str) -> String {
    let mut out = String::new();
    for c in value.trim().chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('9') {
                out.push('9');
            }
        } else if c.is_alphabetic() {
            out.push('A');
        } else {
            out.push(c);
        }
    }
    out
}

/// A ydelsesreference: one of the bevilling's ydelser, or of the same form as the references the
/// kommune already has. `bevilling` is the one chosen in the form or the fordring's.
pub fn validate_reference(value: &str, known: &KnownValues, bevilling: Option<&str>) -> Result<String, String> {
    let v = value.trim();
    let ydelser: Vec<&YdelseChoice> = bevilling.map(|b| known.ydelser_of(b).collect()).unwrap_or_default();
    let expected = || {
        let mut parts = Vec::new();
        if !ydelser.is_empty() {
            let names: Vec<String> = ydelser.iter().map(|y| format!("{} {}", y.ydelse_id, y.ydelsesart)).collect();
            parts.push(format!("en af bevillingens ydelser ({})", names.join(", ")));
        }
        if let Some(example) = &known.reference_example {
            parts.push(format!("en reference i samme form som kommunens andre, fx \"{example}\""));
        }
        if parts.is_empty() { "referencen fra KMD Aktiv".to_string() } else { parts.join(" eller ") }
    };
    if v.is_empty() {
        return Err(format!("Angiv ydelsesreferencen: {}.", expected()));
    }
    if let Some(y) = ydelser.iter().find(|y| y.ydelse_id.eq_ignore_ascii_case(v)) {
        return Ok(y.ydelse_id.clone());
    }
    let plain = v.chars().count() <= 40 && v.chars().all(|c| c.is_ascii_alphanumeric() || "-/._".contains(c));
    if plain && known.reference_shapes.iter().any(|s| *s == reference_shape(v)) {
        return Ok(v.to_string());
    }
    Err(format!("\"{v}\" er ikke en kendt ydelsesreference. Angiv {}.", expected()))
}

/// The examples the form's hints give; the error messages use the same ones.
pub const UDBETALINGSPARAGRAF_EKSEMPEL: &str = "LAS § 25";
pub const TILBAGEBETALINGSPARAGRAF_EKSEMPEL: &str = "LAS § 91, stk. 1";

/// A paragraf: text with a §-sign and a number after it. `example` is the one the field's hint
/// shows (`UDBETALINGSPARAGRAF_EKSEMPEL` or `TILBAGEBETALINGSPARAGRAF_EKSEMPEL`).
pub fn validate_paragraf(value: &str, example: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("Angiv paragraffen, fx \"{example}\"."));
    }
    let after_sign = v.split_once('§').map(|(_, rest)| rest.trim_start());
    match after_sign {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) && v.chars().count() <= 60 => Ok(v.to_string()),
        _ => Err(format!("Skriv paragraffen med §-tegn og nummer, fx \"{example}\".")),
    }
}

/// A kravtype: one of those the kommune uses or KY debitor knows (case and spaces aside),
/// written as in that list.
pub fn validate_kravtype(value: &str, known: &KnownValues) -> Result<String, String> {
    let v = value.trim();
    let example = known.kravtyper.first().map(String::as_str).unwrap_or(KRAVTYPER[0]);
    if v.is_empty() {
        return Err(format!("Angiv kravtypen: vælg en af listen, fx \"{example}\"."));
    }
    let folded = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    match known.kravtyper.iter().find(|k| folded(k) == folded(v)) {
        Some(k) => Ok(k.clone()),
        None => Err(format!("\"{v}\" er ikke en kravtype, kommunen bruger. Vælg en af listen, fx \"{example}\".")),
    }
}

/// Checks the form against the task's defects and what the extract knows.
pub fn validate(defects: Defects, input: &ResolveInput, known: &KnownValues) -> Result<Resolution, Vec<FieldError>> {
    let candidates = &known.bevillinger;
    let mut errors = Vec::new();
    let mut out = Resolution::default();
    let mut check = |field: &str, result: Result<String, String>| match result {
        Ok(v) => Some(v),
        Err(msg) => {
            errors.push(FieldError::new(field, msg));
            None
        }
    };
    if defects.b {
        let chosen = input.bevilling_id.trim();
        out.bevilling_id = check(
            "bevilling_id",
            if chosen.is_empty() {
                Err("Vælg den KMD Aktiv bevilling, fordringen hører til.".into())
            } else if !candidates.iter().any(|c| c == chosen) {
                Err("Bevillingen hører ikke til borgerens sager.".into())
            } else {
                Ok(chosen.to_string())
            },
        );
    }
    if defects.r {
        let bevilling = if defects.b { out.bevilling_id.as_deref() } else { known.fordringens_bevilling.as_deref() };
        out.ydelsesreference = check("ydelsesreference", validate_reference(&input.ydelsesreference, known, bevilling));
    }
    if defects.k {
        out.kravtype = check("kravtype", validate_kravtype(&input.kravtype, known));
        if !input.kravtype_bekraeftet {
            check("kravtype_bekraeftet", Err("Bekræft, at kravtypen er kontrolleret.".into()));
        }
    }
    if defects.p {
        out.udbetalingsparagraf =
            check("udbetalingsparagraf", validate_paragraf(&input.udbetalingsparagraf, UDBETALINGSPARAGRAF_EKSEMPEL));
        out.tilbagebetalingsparagraf = check(
            "tilbagebetalingsparagraf",
            validate_paragraf(&input.tilbagebetalingsparagraf, TILBAGEBETALINGSPARAGRAF_EKSEMPEL),
        );
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Kravtyper of KY debitor used for suggestions in the form and in demo data.
pub const KRAVTYPER: [&str; 10] = [
    "Tilbagebetaling af kontanthjælp",
    "Tilbagebetaling af uddannelseshjælp",
    "Tilbagebetaling af ledighedsydelse",
    "Tilbagebetaling af ressourceforløbsydelse",
    "Tilbagebetaling af sygedagpenge",
    "Tilbagebetaling af enkeltydelse",
    "Lån til enkeltudgifter (LAS § 81)",
    "Lån til forfalden husleje (LAS § 85)",
    "Tilbagebetaling af revalideringsydelse",
    "Tilbagebetaling af integrationsydelse",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Defects {
        Defects { b: true, r: true, k: true, p: true, d: false }
    }

    fn known(bevillinger: &[&str]) -> KnownValues {
        KnownValues {
            bevillinger: bevillinger.iter().map(|b| b.to_string()).collect(),
            fordringens_bevilling: Some("B1".into()),
            ydelser: vec![YdelseChoice {
                bevilling_id: "B1".into(),
                ydelse_id: "Y1".into(),
                ydelsesart: "Kontanthjælp".into(),
            }],
            reference_shapes: vec![reference_shape("YR-2020-000017")],
            reference_example: Some("YR-2020-000017".into()),
            kravtyper: KRAVTYPER.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn an_empty_form_names_every_field_the_defects_ask_for() {
        let errors = validate(all(), &ResolveInput::default(), &known(&[])).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "bevilling_id",
                "ydelsesreference",
                "kravtype",
                "kravtype_bekraeftet",
                "udbetalingsparagraf",
                "tilbagebetalingsparagraf"
            ]
        );
    }

    #[test]
    fn only_the_defects_of_the_task_are_checked() {
        let r_only = Defects { r: true, ..Default::default() };
        let input = ResolveInput { ydelsesreference: "YR-2020-17".into(), ..Default::default() };
        let resolution = validate(r_only, &input, &known(&[])).unwrap();
        assert_eq!(resolution.ydelsesreference.as_deref(), Some("YR-2020-17"));
        assert_eq!(resolution.bevilling_id, None);
    }

    #[test]
    fn a_bevilling_outside_the_persons_cases_is_refused() {
        let b_only = Defects { b: true, ..Default::default() };
        let input = ResolveInput { bevilling_id: "B9".into(), ..Default::default() };
        let errors = validate(b_only, &input, &known(&["B1"])).unwrap_err();
        assert_eq!(fields(&errors), ["bevilling_id"]);
        assert!(validate(b_only, &ResolveInput { bevilling_id: "B1".into(), ..input }, &known(&["B1"])).is_ok());
    }

    #[test]
    fn paragraffer_need_a_section_sign_and_a_number() {
        assert!(validate_paragraf("AKL § 91, stk. 1", "x").is_ok());
        assert!(validate_paragraf("§91", "x").is_ok());
        assert_eq!(
            validate_paragraf("", UDBETALINGSPARAGRAF_EKSEMPEL).unwrap_err(),
            "Angiv paragraffen, fx \"LAS § 25\"."
        );
        for bad in ["", "91", "LAB §", "§ abc"] {
            assert!(validate_paragraf(bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn a_reference_is_one_of_the_bevillings_ydelser_or_of_the_kommunes_form() {
        let k = known(&["B1", "B2"]);
        assert_eq!(validate_reference("y1", &k, Some("B1")).unwrap(), "Y1");
        assert!(validate_reference("YR-2019-004711", &k, Some("B1")).is_ok());
        assert!(validate_reference("Y1", &k, Some("B2")).is_err(), "another bevilling's ydelse");
        let err = validate_reference("hej", &k, Some("B1")).unwrap_err();
        assert_eq!(
            err,
            "\"hej\" er ikke en kendt ydelsesreference. Angiv en af bevillingens ydelser (Y1 Kontanthjælp) eller en reference i samme form som kommunens andre, fx \"YR-2020-000017\"."
        );
        assert!(validate_reference("ÆØ-2019-004711", &k, Some("B1")).is_err());
        assert!(validate_reference(&format!("YR-{}", "1".repeat(40)), &k, Some("B1")).is_err());
    }

    #[test]
    fn a_kravtype_is_one_the_kommune_uses_written_as_in_the_list() {
        let k = known(&[]);
        assert_eq!(
            validate_kravtype("  tilbagebetaling af  KONTANTHJÆLP ", &k).unwrap(),
            "Tilbagebetaling af kontanthjælp"
        );
        assert_eq!(
            validate_kravtype("blabla", &k).unwrap_err(),
            "\"blabla\" er ikke en kravtype, kommunen bruger. Vælg en af listen, fx \"Tilbagebetaling af kontanthjælp\"."
        );
    }

    #[test]
    fn the_paragraf_messages_use_the_examples_of_the_hints() {
        for (example, hint) in
            [(UDBETALINGSPARAGRAF_EKSEMPEL, "LAS § 25"), (TILBAGEBETALINGSPARAGRAF_EKSEMPEL, "LAS § 91, stk. 1")]
        {
            assert_eq!(example, hint);
            assert!(validate_paragraf("LAB", example).unwrap_err().contains(&format!("fx \"{hint}\"")));
        }
    }
}
