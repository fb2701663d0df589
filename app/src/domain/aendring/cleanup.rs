//! The legacy clean-up rules: which ændringsønsker are "legacy", the standard answer a bulk
//! rejection sends (seed 004), and what the tagging form needs.

use crate::domain::resolve::FieldError;

/// Ændringsønsker filed before this date are reviewed by theme in the clean-up.
pub const NEW_PROCESS_FROM: &str = "2023-11-01";

/// The day the new process started (`NEW_PROCESS_FROM`).
pub fn new_process_start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2023, 11, 1).expect("valid date")
}

/// Filed before the new process started (`filed_at` as stored: a date or a timestamp).
pub fn is_legacy(filed_at: &str) -> bool {
    filed_at < NEW_PROCESS_FROM
}

/// The clean-up's theme for ændringsønsker about ØIR.
pub const OEIR_THEME: &str = "Økonomi og ØIR-integration";

/// Whether a theme moves its ændringsønsker to the ØIR list: the ØIR theme, or any theme naming ØIR.
pub fn is_oeir_theme(theme: &str) -> bool {
    theme == OEIR_THEME || theme.to_lowercase().contains("øir")
}

pub const STANDARD_ANSWER: &str = "Dit ændringsønske er indmeldt før 1. november 2023 og er gennemgået tematisk af KOMBIT sammen med \
fagfællesskaberne. Det er ikke blandt de ønsker, der går videre, og afvises derfor. Fremover vurderes ændringsønsker efter den nye \
proces: se den prioriterede backlog, før I indmelder et nyt ønske. Vurderer I ønsket som kritisk, kan I klage én gang med SagsID \
og begrundelse.";

/// Ændringsønske keys as typed in the clean-up's forms: separated by commas, spaces or line breaks.
pub fn parse_keys(text: &str) -> Vec<String> {
    text.split([',', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The tagging form: at least one key and a theme. Returns the theme as it is stored (trimmed).
pub fn validate_tagging(keys: &[String], theme: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    if keys.is_empty() {
        errors.push(FieldError::new("keys", "Angiv nøglerne på de ønsker, der skal have temaet, fx AE-2019-00042."));
    }
    let theme = theme.trim();
    if theme.is_empty() {
        errors.push(FieldError::new("theme", "Angiv et tema."));
    }
    if errors.is_empty() { Ok(theme.to_string()) } else { Err(errors) }
}

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
    fn keys_are_split_on_commas_spaces_and_line_breaks() {
        assert_eq!(parse_keys(" AE-1, AE-2\nAE-3  AE-4,,"), ["AE-1", "AE-2", "AE-3", "AE-4"]);
        assert!(parse_keys(" ,\n ").is_empty());
    }

    #[test]
    fn tagging_needs_a_key_and_a_theme() {
        let fields = |keys: &[&str], theme: &str| match validate_tagging(
            &keys.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            theme,
        ) {
            Ok(theme) => vec![theme],
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        };
        assert_eq!(fields(&[], " "), ["keys", "theme"]);
        assert_eq!(fields(&["AE-1"], ""), ["theme"]);
        assert_eq!(fields(&["AE-1"], " Breve "), ["Breve"]);
    }

    #[test]
    fn the_oeir_list_takes_the_oeir_theme_and_any_theme_naming_oeir() {
        assert!(is_oeir_theme(OEIR_THEME));
        assert!(is_oeir_theme("ØIR-snitflader"));
        assert!(!is_oeir_theme("Breve og dokumenter"));
        assert!(!is_oeir_theme(""));
    }
}
