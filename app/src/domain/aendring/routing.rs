//! Which fagfællesskab scores an ændringsønske: Debitor for claims and set-off, Økonomi for payments,
//! finance and ØIR, Kontanthjælp for the casework of the benefits themselves.

/// The expert communities that score value for user and owner.
pub const FAGFAELLESSKABER: [&str; 3] = ["Kontanthjælp", "Økonomi", "Debitor"];

/// The community an ændringsønske is routed to, from its theme and what it says.
pub fn route(theme: &str, text: &str) -> &'static str {
    let t = format!("{theme} {text}").to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if any(&["fordring", "debitor", "modregning", "tilbagebetaling", "afskrivning", "inddrivelse"]) {
        "Debitor"
    } else if any(&["økonomi", "øir", "udbetaling", "kontering", "finans", "eindkomst", "skat", "bogføring"]) {
        "Økonomi"
    } else {
        "Kontanthjælp"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_go_to_debitor_payments_to_oekonomi_and_the_rest_to_kontanthjaelp() {
        assert_eq!(route("Fordringer og debitor", "Ret tilbagebetalingsparagraf"), "Debitor");
        assert_eq!(route("Økonomi og ØIR-integration", "Kontering af udbetalinger"), "Økonomi");
        assert_eq!(route("Breve og skabeloner", "Flettefelt i afgørelsesbrev"), "Kontanthjælp");
    }
}

/// KOMBIT's routing form: a known fagfællesskab and a reason (it is recorded in the history).
pub fn check_routing(fagfaellesskab: &str, reason: &str) -> Vec<crate::domain::resolve::FieldError> {
    use crate::domain::resolve::FieldError;
    let mut errors = Vec::new();
    if !FAGFAELLESSKABER.contains(&fagfaellesskab.trim()) {
        errors.push(FieldError::new("fagfaellesskab", "Vælg et af fagfællesskaberne."));
    }
    if reason.trim().chars().count() < 10 {
        errors.push(FieldError::new("reason", "Skriv hvorfor (mindst 10 tegn) – det står i ønskets forløb."));
    }
    errors
}

#[cfg(test)]
mod routing_form_tests {
    use super::*;

    #[test]
    fn a_routing_needs_a_known_community_and_a_reason() {
        let fields = |e: Vec<crate::domain::resolve::FieldError>| e.into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(check_routing("Ukendt", "kort")), ["fagfaellesskab", "reason"]);
        assert!(check_routing("Debitor", "Handler om modregning i fordringer").is_empty());
    }
}
