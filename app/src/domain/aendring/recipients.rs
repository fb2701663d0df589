//! Who answers for a kommune's ændringsønsker: the kommune's support address and handing a
//! support user's ændringsønsker to a colleague. Checked in the browser and on the server alike.

use crate::domain::resolve::FieldError;

/// The kommune's support address: empty clears it; otherwise one plain address
/// (`navn@domæne.dk`), which notices go to when no person answers for an ændringsønske.
pub fn check_support_email(value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError::new("support_email", "Skriv én e-mailadresse, fx »ky-support@aarhus.dk«.");
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "._+-".contains(c));
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(plain);
    if v.chars().count() > 254 || !plain(local) || !labels_ok || domain.contains("..") {
        return Err(bad());
    }
    Ok(Some(v.to_lowercase()))
}

/// A hand-over moves every ændringsønske of one support user to another; the count the user
/// confirmed must still be the count (someone may have filed or handed over in between).
pub fn check_hand_over(from: i64, to: i64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if from <= 0 {
        errors.push(FieldError::new("from", "Vælg hvem ændringsønskerne skal overdrages fra."));
    }
    if to <= 0 {
        errors.push(FieldError::new("to", "Vælg hvem der skal overtage ændringsønskerne."));
    } else if from == to {
        errors.push(FieldError::new("to", "Vælg en anden end den, ændringsønskerne overdrages fra."));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_support_address_is_one_plain_address_or_nothing() {
        assert_eq!(check_support_email("  "), Ok(None));
        assert_eq!(check_support_email(" KY-Support@Aarhus.dk "), Ok(Some("ky-support@aarhus.dk".into())));
        for bad in ["aarhus.dk", "a@b", "a@@b.dk", "a b@c.dk", "a@b..dk", "a@b.dk, c@d.dk", "<a@b.dk>"] {
            assert!(check_support_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_hand_over_needs_two_different_people() {
        let fields = |e: Vec<FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(check_hand_over(0, 0)), ["from", "to"]);
        assert_eq!(fields(check_hand_over(3, 3)), ["to"]);
        assert!(check_hand_over(3, 4).is_empty());
    }
}
