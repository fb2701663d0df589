//! The one rule for free text arriving from outside (extract files, the REST API, forms): a
//! bounded length, and none of the characters that hide what a text says.
//!
//! Control characters (tabs and line breaks too) break the CSV and XLSX exports and the report
//! columns; bidi overrides and isolates make a text display differently from what it is (a name
//! or an id that reads as another); zero-width characters make two different ids look the same.
//! None of them has a place in a name, an id, a kravtype or a paragraf.

use std::fmt;

/// IDs from KMD Aktiv and the finance system.
pub const MAX_ID: usize = 64;
/// A person's name.
pub const MAX_NAVN: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("er {found} tegn lang; højst {max} tegn er tilladt")]
    TooLong { max: usize, found: usize },
    #[error("indeholder {} på tegnplads {at}; styretegn er ikke tilladt", Named(*ch))]
    Control { ch: char, at: usize },
    #[error(
        "indeholder en usynlig retningsstyring ({}) på tegnplads {at}; den kan få teksten til at se anderledes ud, end den er",
        Named(*ch)
    )]
    Direction { ch: char, at: usize },
    #[error("indeholder et usynligt tegn uden bredde ({}) på tegnplads {at}", Named(*ch))]
    Invisible { ch: char, at: usize },
}

/// Checks `value` (as it will be stored, i.e. already trimmed) against the rule; the first
/// problem found. Positions count characters from 1, as a person counts them.
pub fn check_text(value: &str, max_len: usize) -> Result<(), TextProblem> {
    // Most values are printable ASCII: one pass over the bytes settles them.
    if value.len() <= max_len && value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Ok(());
    }
    let mut found = 0;
    for (i, ch) in value.chars().enumerate() {
        let at = i + 1;
        if ch.is_control() || matches!(ch, '\u{2028}' | '\u{2029}') {
            return Err(TextProblem::Control { ch, at });
        }
        if is_direction(ch) {
            return Err(TextProblem::Direction { ch, at });
        }
        if is_invisible(ch) {
            return Err(TextProblem::Invisible { ch, at });
        }
        found = at;
    }
    if found > max_len { Err(TextProblem::TooLong { max: max_len, found }) } else { Ok(()) }
}

/// Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks.
fn is_direction(ch: char) -> bool {
    matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Zero width space, non-joiner, joiner, word joiner, and the BOM inside a text.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// `U+0009 (tabulator)`: the code a technician searches for, the name a caseworker knows.
struct Named(char);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            '\0' => "NUL-tegn",
            '\t' => "tabulator",
            '\n' | '\u{2028}' => "linjeskift",
            '\r' => "vognretur",
            '\u{2029}' => "afsnitsskift",
            '\u{202e}' => "højre-mod-venstre-tvang",
            '\u{200b}' => "mellemrum uden bredde",
            '\u{feff}' => "BOM",
            _ => "",
        };
        let code = self.0 as u32;
        if name.is_empty() { write!(f, "U+{code:04X}") } else { write!(f, "U+{code:04X} ({name})") }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_danish_text_passes() {
        for ok in ["Søren Ærø-Åberg", "LAS § 91, stk. 1", "Zainab Hussein", "B751-0000001-2", "", "Ã©"] {
            assert_eq!(check_text(ok, MAX_NAVN), Ok(()), "{ok}");
        }
    }

    #[test]
    fn each_hidden_character_is_refused_with_its_kind_and_place() {
        let cases = [
            ("Anne\tHansen", TextProblem::Control { ch: '\t', at: 5 }),
            ("A\0", TextProblem::Control { ch: '\0', at: 2 }),
            ("Bo\nBerg", TextProblem::Control { ch: '\n', at: 3 }),
            ("x\u{85}", TextProblem::Control { ch: '\u{85}', at: 2 }),
            ("\u{202e}nesnaH", TextProblem::Direction { ch: '\u{202e}', at: 1 }),
            ("F1\u{2066}", TextProblem::Direction { ch: '\u{2066}', at: 3 }),
            ("F\u{200b}1", TextProblem::Invisible { ch: '\u{200b}', at: 2 }),
            ("F1\u{200d}", TextProblem::Invisible { ch: '\u{200d}', at: 3 }),
            ("F\u{2060}1", TextProblem::Invisible { ch: '\u{2060}', at: 2 }),
            ("F\u{feff}1", TextProblem::Invisible { ch: '\u{feff}', at: 2 }),
        ];
        for (text, expected) in cases {
            assert_eq!(check_text(text, MAX_ID), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check_text(&"ø".repeat(64), MAX_ID), Ok(()));
        assert_eq!(check_text(&"ø".repeat(65), MAX_ID), Err(TextProblem::TooLong { max: 64, found: 65 }));
        assert_eq!(check_text(&"a".repeat(65), MAX_ID), Err(TextProblem::TooLong { max: 64, found: 65 }));
    }

    #[test]
    fn the_messages_are_danish_and_name_the_character() {
        let m = check_text("Anne\u{202e}", MAX_NAVN).unwrap_err().to_string();
        assert!(m.contains("U+202E") && m.contains("tegnplads 5"), "{m}");
        let m = check_text("a\tb", MAX_NAVN).unwrap_err().to_string();
        assert_eq!(m, "indeholder U+0009 (tabulator) på tegnplads 2; styretegn er ikke tilladt");
    }

    proptest! {
        #[test]
        fn a_text_passes_exactly_when_it_is_short_and_holds_no_hidden_character(
            s in prop_oneof!["(?s).{0,80}", "[aø §\\t\\x00\\n\\x{202E}\\x{2067}\\x{200B}\\x{FEFF}\\x{2028}]{0,80}"],
            max in 0usize..100,
        ) {
            let hidden = s.chars().any(|c| c.is_control() || is_direction(c) || is_invisible(c)
                || matches!(c, '\u{2028}' | '\u{2029}'));
            let fits = s.chars().count() <= max;
            prop_assert_eq!(check_text(&s, max).is_ok(), fits && !hidden);
        }
    }
}
