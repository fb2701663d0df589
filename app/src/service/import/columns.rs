//! The files of an extract, their columns, and reading a row's cells by column name
//! (columns in any order, header names case-insensitive).

use super::ImportError;
use csv::StringRecord;

/// Each file and its required columns, in the order they are imported.
pub const FILES: [(&str, &[&str]); 7] = [
    ("personer.csv", &["cpr", "navn"]),
    ("sagsmapper.csv", &["sagsmappe_id", "cpr", "sagsbehandler"]),
    ("bevillinger.csv", &["bevilling_id", "sagsmappe_id", "bevillingstype", "status", "fra", "til"]),
    ("ydelser.csv", &["ydelse_id", "bevilling_id", "ydelsesart", "sats"]),
    ("udbetalinger.csv", &["udbetaling_id", "ydelse_id", "dato", "beloeb"]),
    (
        "fordringer.csv",
        &[
            "fordring_id",
            "cpr",
            "bevilling_id",
            "ydelsesreference",
            "kravtype",
            "udbetalingsparagraf",
            "tilbagebetalingsparagraf",
            "hovedstol",
            "stiftet",
        ],
    ),
    ("daekninger.csv", &["daekning_id", "fordring_id", "art", "beloeb", "dato"]),
];

/// Where each required column sits in a file.
#[derive(Clone, Debug)]
pub struct Columns {
    names: &'static [&'static str],
    positions: Vec<usize>,
    width: usize,
}

impl Columns {
    /// Maps the header row; every missing required column is an error on line 1.
    pub fn from_header(
        file: &'static str,
        names: &'static [&'static str],
        header: &StringRecord,
    ) -> Result<Self, Vec<ImportError>> {
        let normalized: Vec<String> =
            header.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase()).collect();
        let mut positions = Vec::with_capacity(names.len());
        let mut errors = Vec::new();
        for name in names {
            match normalized.iter().position(|h| h == name) {
                Some(i) => positions.push(i),
                None => errors.push(ImportError {
                    file: file.to_string(),
                    line: 1,
                    column: (*name).to_string(),
                    reason: format!("kolonnen mangler i overskriften (fundet: {})", normalized.join(";")),
                }),
            }
        }
        if errors.is_empty() { Ok(Columns { names, positions, width: header.len() }) } else { Err(errors) }
    }

    /// The trimmed cell, `None` when empty (an empty field is a missing value).
    pub fn get<'r>(&self, record: &'r StringRecord, name: &str) -> Option<&'r str> {
        let i = self.names.iter().position(|n| *n == name)?;
        record.get(self.positions[i]).map(str::trim).filter(|s| !s.is_empty())
    }

    /// The cell as text, "" when empty.
    pub fn text<'r>(&self, record: &'r StringRecord, name: &str) -> &'r str {
        self.get(record, name).unwrap_or("")
    }

    pub fn width(&self) -> usize {
        self.width
    }
}
