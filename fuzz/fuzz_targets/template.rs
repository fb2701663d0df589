//! The ændringsønske template's validation (the filing form, pool imports, elaboration): any
//! eight texts (split at U+001F) give either field errors or a valid ændringsønske, never a
//! panic; a valid one validates again to itself; a field error names one of the form's fields.
#![no_main]

use app::domain::aendring::template::{AendringDraft, FIELDS, validate_draft};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let mut parts = s.split('\u{1f}').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();
    let draft = AendringDraft {
        titel: next(),
        udfordring: next(),
        ydelsesarter: next(),
        omfang: next(),
        workaround: next(),
        type_: next(),
        beskrivelse: next(),
        minsupport_sagsid: next(),
    };
    match validate_draft(&draft) {
        Ok(valid) => {
            let again = validate_draft(&AendringDraft::from(&valid));
            assert_eq!(again.as_ref(), Ok(&valid), "{draft:?}");
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(FIELDS.iter().any(|(name, _)| *name == e.field), "{:?} for {draft:?}", e.field);
                assert!(!e.message.is_empty());
            }
        }
    }
});
