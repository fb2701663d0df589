//! What a decision on an ændringsønske needs besides the right role and status: a reason when the
//! ændringsønske is rejected or returned, the original's key for a duplicate, both texts for an
//! elaboration. Checked in the browser before the decision is sent, and on the server after
//! the flow has allowed the action, with the same messages.

use super::Action;
use crate::domain::resolve::FieldError;

/// The shortest reason a kommune is sent with a rejection or a return.
pub const MIN_REASON: usize = 10;

/// The fields of the decision form that `action` requires, as field errors (empty when fine).
pub fn check_decision(
    action: Action,
    note: &str,
    duplicate_of: &str,
    udfordring: &str,
    beskrivelse: &str,
) -> Vec<FieldError> {
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
        Action::Uddyb => {
            for (field, text) in [("udfordring", udfordring), ("beskrivelse", beskrivelse)] {
                if text.trim().is_empty() {
                    errors.push(FieldError::new(field, "Uddyb feltet."));
                }
            }
        }
        _ => {}
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_rejection_or_a_return_needs_a_reason_of_ten_characters() {
        for action in [Action::Afvis, Action::ReturnerTilUddybning] {
            assert_eq!(fields(check_decision(action, "  for kort ", "", "", "")), ["note"]);
            assert!(check_decision(action, "Findes allerede i KY", "", "", "").is_empty());
        }
        assert!(check_decision(Action::Videresend, "", "", "", "").is_empty());
    }

    #[test]
    fn a_duplicate_needs_the_originals_key() {
        assert_eq!(fields(check_decision(Action::MarkerSomDublet, "", " ", "", "")), ["duplicate_of"]);
        assert!(check_decision(Action::MarkerSomDublet, "", "AE-2024-05003", "", "").is_empty());
    }

    #[test]
    fn an_elaboration_needs_both_texts() {
        assert_eq!(fields(check_decision(Action::Uddyb, "", "", " ", "")), ["udfordring", "beskrivelse"]);
        assert!(check_decision(Action::Uddyb, "", "", "Udfordringen", "Ønsket").is_empty());
    }
}
