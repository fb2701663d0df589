//! How report R2.1 writes its cells for a Danish spreadsheet: amounts with a decimal comma and
//! thousands points (`1.234,56`), dates as `25.01.2027`, CSV fields separated by `;` and quoted
//! only when they must be.

use super::beloeb::group_thousands;

/// `1.234,56` from 123456 øre; `-0,05` from -5.
pub fn danish_decimal(oere: i64) -> String {
    let sign = if oere < 0 { "-" } else { "" };
    let abs = oere.unsigned_abs();
    format!("{sign}{},{:02}", group_thousands((abs / 100) as i64), abs % 100)
}

/// Appends one CSV field: quoted (inner quotes doubled) when it holds `;`, `"` or a line break.
/// The text must already be neutralised (`csv_cell`) where it comes from users or imports.
pub fn push_csv_field(out: &mut String, field: &str) {
    if field.contains([';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// The report's columns, in the order of CONTRACT.md (the CSV header and the XLSX header row).
pub const COLUMNS: [&str; 12] = [
    "opgavepakke",
    "opgave_id",
    "type",
    "cpr",
    "navn",
    "fordring_id",
    "hovedstol",
    "daekninger",
    "sagsbehandler",
    "tildelt",
    "tilbagefoersel",
    "oprettet",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_a_decimal_comma_and_thousands_points() {
        assert_eq!(danish_decimal(123_456), "1.234,56");
        assert_eq!(danish_decimal(500_000_000), "5.000.000,00");
        assert_eq!(danish_decimal(7), "0,07");
        assert_eq!(danish_decimal(-123_456), "-1.234,56");
        assert_eq!(danish_decimal(0), "0,00");
    }

    #[test]
    fn a_field_is_quoted_only_when_it_must_be() {
        let mut out = String::new();
        for f in ["Anne Hansen", "Hansen; Anne", "Ole \"Bjørn\" Holm", "a\nb"] {
            push_csv_field(&mut out, f);
            out.push('|');
        }
        assert_eq!(out, "Anne Hansen|\"Hansen; Anne\"|\"Ole \"\"Bjørn\"\" Holm\"|\"a\nb\"|");
    }
}
