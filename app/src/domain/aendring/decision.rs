//! What a decision on an ændringsønske needs besides the right role and status: a reason when the
//! ændringsønske is rejected or returned, the original's key for a duplicate, the whole template
//! for an elaboration. Checked in the browser before the decision is sent, and on the server after
//! the flow has allowed the action, with the same messages.

use super::Action;
use super::template::{AendringDraft, validate_draft};
use crate::domain::resolve::FieldError;

/// The shortest reason a kommune is sent with a rejection or a return.
pub const MIN_REASON: usize = 10;

/// The fields of the decision form that `action` requires, as field errors (empty when fine).
pub fn check_decision(action: Action, note: &str, duplicate_of: &str, elaboration: &AendringDraft) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match action {
        Action::Afvis | Action::ReturnerTilUddybning if note.trim().chars().count() < MIN_REASON => {
            errors.push(FieldError::new("note", "Skriv en begrundelse (mindst 10 tegn) – den sendes til kommunen."));
        }
        Action::MarkerSomDublet if duplicate_of.trim().is_empty() => {
            errors.push(FieldError::new(
                "duplicate_of",
                "Angiv nøglen på det oprindelige ændringsønske, fx AE-2024-05003.",
            ));
        }
        // An elaboration may change every field of the template, and must still fill it in.
        Action::Uddyb => errors = validate_draft(elaboration).err().unwrap_or_default(),
        _ => {}
    }
    errors
}

/// KOMBIT's reply to an appeal goes to the kommune with the decision: at least `MIN_REASON`
/// characters.
pub fn check_appeal_reply(reply: &str) -> Vec<FieldError> {
    if reply.trim().chars().count() < MIN_REASON {
        vec![FieldError::new("reply", "Skriv et svar til kommunen (mindst 10 tegn) – det sendes med afgørelsen.")]
    } else {
        Vec::new()
    }
}

/// The leverandør's rough judgement at the changeboard of whether the solution can be built.
pub const GENNEMFOERLIGHED: [(&str, &str); 3] =
    [("realistisk", "Realistisk"), ("usikker", "Usikker – kræver afklaring"), ("urealistisk", "Urealistisk")];

/// The leverandør's changeboard assessment: the solution options discussed and a rough
/// feasibility (a `GENNEMFOERLIGHED` key). Field errors when something is missing.
pub fn check_assessment(loesning: &str, gennemfoerlighed: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if loesning.trim().chars().count() < MIN_REASON {
        errors.push(FieldError::new("loesning", "Beskriv løsningsmulighederne (mindst 10 tegn)."));
    }
    if !GENNEMFOERLIGHED.iter().any(|(key, _)| *key == gennemfoerlighed.trim()) {
        errors.push(FieldError::new("gennemfoerlighed", "Vælg gennemførligheden."));
    }
    errors
}

/// The label of a `GENNEMFOERLIGHED` key (the key itself when unknown).
pub fn gennemfoerlighed_label(key: &str) -> &str {
    GENNEMFOERLIGHED.iter().find(|(k, _)| *k == key).map_or(key, |(_, label)| label)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_assessment_needs_solution_options_and_a_feasibility() {
        assert_eq!(fields(check_assessment("kort", "")), ["loesning", "gennemfoerlighed"]);
        assert_eq!(
            fields(check_assessment("To muligheder: felt på fordringen eller regel", "måske")),
            ["gennemfoerlighed"]
        );
        assert!(check_assessment("To muligheder: felt på fordringen eller regel", "usikker").is_empty());
        assert_eq!(gennemfoerlighed_label("usikker"), "Usikker – kræver afklaring");
    }

    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_rejection_or_a_return_needs_a_reason_of_ten_characters() {
        for action in [Action::Afvis, Action::ReturnerTilUddybning] {
            assert_eq!(fields(check_decision(action, "  for kort ", "", &none())), ["note"]);
            assert!(check_decision(action, "Findes allerede i KY", "", &none()).is_empty());
        }
        assert!(check_decision(Action::Videresend, "", "", &none()).is_empty());
    }

    #[test]
    fn a_duplicate_needs_the_originals_key() {
        assert_eq!(fields(check_decision(Action::MarkerSomDublet, "", " ", &none())), ["duplicate_of"]);
        assert!(check_decision(Action::MarkerSomDublet, "", "AE-2024-05003", &none()).is_empty());
    }

    fn none() -> AendringDraft {
        AendringDraft::default()
    }

    #[test]
    fn an_elaboration_checks_the_whole_template() {
        let mut draft = AendringDraft {
            titel: "Ydelsesperiode i brevet".into(),
            udfordring: "Udfordringen".into(),
            ydelsesarter: "Kontanthjælp".into(),
            omfang: "Hver dag".into(),
            workaround: "Nej".into(),
            type_: "brugervenlighed".into(),
            beskrivelse: "Ønsket".into(),
            minsupport_sagsid: String::new(),
        };
        assert!(check_decision(Action::Uddyb, "", "", &draft).is_empty());
        draft.omfang = " ".into();
        draft.type_ = "andet".into();
        assert_eq!(fields(check_decision(Action::Uddyb, "", "", &draft)), ["omfang", "type"]);
    }
}
