//! The legacy clean-up rules: which requests are "legacy", and the standard answer a bulk
//! rejection sends (seed 004).

/// Requests filed before this date are reviewed by theme in the clean-up.
pub const NEW_PROCESS_FROM: &str = "2023-11-01";

/// The day the new process started (`NEW_PROCESS_FROM`).
pub fn new_process_start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2023, 11, 1).expect("valid date")
}

/// Filed before the new process started (`filed_at` as stored: a date or a timestamp).
pub fn is_legacy(filed_at: &str) -> bool {
    filed_at < NEW_PROCESS_FROM
}

/// The clean-up's theme for requests about ØIR.
pub const OEIR_THEME: &str = "Økonomi og ØIR-integration";

/// Whether a theme moves its requests to the ØIR list: the ØIR theme, or any theme naming ØIR.
pub fn is_oeir_theme(theme: &str) -> bool {
    theme == OEIR_THEME || theme.to_lowercase().contains("øir")
}

pub const STANDARD_ANSWER: &str = "Dit ændringsønske er indmeldt før 1. november 2023 og er gennemgået tematisk af KOMBIT sammen med \
fagfællesskaberne. Det er ikke blandt de ønsker, der går videre, og afvises derfor. Fremover vurderes ændringsønsker efter den nye \
proces: se den prioriterede backlog, før I indmelder et nyt ønske. Vurderer I ønsket som kritisk, kan I klage én gang med SagsID \
og begrundelse.";

/// The columns of the legacy pool file (CSV, `;`-separated, this header row first).
pub const POOL_COLUMNS: [&str; 15] = [
    "key",
    "titel",
    "udfordring",
    "ydelsesarter",
    "omfang",
    "workaround",
    "type",
    "beskrivelse",
    "minsupport_sagsid",
    "kommune",
    "indmeldt",
    "tema",
    "status",
    "lukket",
    "kommuner",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_means_filed_before_the_first_of_november_2023() {
        assert!(is_legacy("2023-10-31"));
        assert!(is_legacy("2023-10-31T23:59:59.000Z"));
        assert!(!is_legacy("2023-11-01"));
        assert!(!is_legacy("2026-11-22T09:00:00.000Z"));
        assert_eq!(new_process_start().to_string(), NEW_PROCESS_FROM);
    }

    #[test]
    fn the_oeir_list_takes_the_oeir_theme_and_any_theme_naming_oeir() {
        assert!(is_oeir_theme(OEIR_THEME));
        assert!(is_oeir_theme("ØIR-snitflader"));
        assert!(!is_oeir_theme("Breve og dokumenter"));
        assert!(!is_oeir_theme(""));
    }
}
