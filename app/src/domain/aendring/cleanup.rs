//! The legacy clean-up rules: which requests are "legacy", and the standard answer a bulk
//! rejection sends (seed 004).

/// Requests filed before this date are reviewed by theme in the clean-up.
pub const NEW_PROCESS_FROM: &str = "2023-11-01";

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
