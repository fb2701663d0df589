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

pub fn validate_reference(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("Angiv ydelsesreferencen fra KMD Aktiv.".into());
    }
    if v.chars().count() > 40 {
        return Err("Ydelsesreferencen må højst være 40 tegn.".into());
    }
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || "-/._".contains(c)) {
        return Err("Ydelsesreferencen må kun indeholde bogstaver, tal og - / . _".into());
    }
    Ok(v.to_string())
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

pub fn validate_kravtype(value: &str) -> Result<String, String> {
    let v = value.trim();
    match v.chars().count() {
        0 => Err("Angiv kravtypen.".into()),
        1..=80 => Ok(v.to_string()),
        _ => Err("Kravtypen må højst være 80 tegn.".into()),
    }
}

/// Checks the form against the task's defects. `candidates` are the bevilling IDs the person
/// has (the only valid choices for B).
pub fn validate(defects: Defects, input: &ResolveInput, candidates: &[String]) -> Result<Resolution, Vec<FieldError>> {
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
        out.ydelsesreference = check("ydelsesreference", validate_reference(&input.ydelsesreference));
    }
    if defects.k {
        out.kravtype = check("kravtype", validate_kravtype(&input.kravtype));
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

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn an_empty_form_names_every_field_the_defects_ask_for() {
        let errors = validate(all(), &ResolveInput::default(), &[]).unwrap_err();
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
        let resolution = validate(r_only, &input, &[]).unwrap();
        assert_eq!(resolution.ydelsesreference.as_deref(), Some("YR-2020-17"));
        assert_eq!(resolution.bevilling_id, None);
    }

    #[test]
    fn a_bevilling_outside_the_persons_cases_is_refused() {
        let b_only = Defects { b: true, ..Default::default() };
        let input = ResolveInput { bevilling_id: "B9".into(), ..Default::default() };
        let errors = validate(b_only, &input, &["B1".into()]).unwrap_err();
        assert_eq!(fields(&errors), ["bevilling_id"]);
        assert!(validate(b_only, &ResolveInput { bevilling_id: "B1".into(), ..input }, &["B1".into()]).is_ok());
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
    fn references_are_short_and_plain() {
        assert!(validate_reference("YR-2019-004711").is_ok());
        assert!(validate_reference("ÆØÅ").is_err());
        assert!(validate_reference(&"x".repeat(41)).is_err());
    }
}
