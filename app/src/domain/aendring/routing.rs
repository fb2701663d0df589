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
