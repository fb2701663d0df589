//! Rules for files the product hands out to be opened in a spreadsheet.

use std::borrow::Cow;

/// A text cell for a CSV file, safe to open in Excel or LibreOffice.
///
/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a formula
/// ("CSV injection": `=cmd|' /C calc'!A0` runs a program, `=HYPERLINK(...)` leaks data), so such
/// a cell gets a leading `'`, which the spreadsheet shows as text (OWASP's advice). Use it for every
/// text that comes from users or imports — titles, keys, names. Numbers the product formats itself
/// (a negative amount `-1.234,56`) are data, not text, and are written as they are.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_would_be_a_formula_is_shown_as_text() {
        for (cell, safe) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
        ] {
            assert_eq!(csv_cell(cell), safe);
        }
    }

    #[test]
    fn ordinary_text_is_left_alone_and_not_copied() {
        for cell in ["Ret paragraf", "AE-2024-00001", "", "1.234,56", "a=b", " =1"] {
            assert!(matches!(csv_cell(cell), Cow::Borrowed(c) if c == cell), "{cell:?}");
        }
    }
}
