//! The files of an extract, their columns, and reading a row's cells by column name
//! (columns in any order, header names case-insensitive).

use super::ImportError;
use crate::domain::text_input::{MAX_ID, MAX_NAVN, check_text};
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

/// Columns a file may have besides the required ones (CONTRACT.md): fordringer.csv's
/// `tilbagefoersel` (`ja`/`nej`/empty).
pub const OPTIONAL: [&[&str]; 7] = [&[], &[], &[], &[], &[], &["tilbagefoersel"], &[]];

/// Each file's place in `FILES`.
pub const PERSONER: usize = 0;
pub const SAGSMAPPER: usize = 1;
pub const BEVILLINGER: usize = 2;
pub const YDELSER: usize = 3;
pub const UDBETALINGER: usize = 4;
pub const FORDRINGER: usize = 5;
pub const DAEKNINGER: usize = 6;

/// What one row of each file is called in an error (`FILES` order).
pub const SINGULAR: [&str; 7] =
    ["personen", "sagsmappen", "bevillingen", "ydelsen", "udbetalingen", "fordringen", "dækningen"];
/// What the rows of each file are called when rows elsewhere point at them.
pub const PLURAL: [&str; 7] =
    ["personer", "sagsmapper", "bevillinger", "ydelser", "udbetalinger", "fordringer", "dækninger"];

/// The most characters a cell of the column may hold. Where a form of this product edits the
/// same value, the same bound (`domain::resolve`); a caseworker's username as `service::auth`.
/// Dates, amounts, CPR and codes have strict parsers of their own; their bound only keeps a
/// runaway cell out of the error message.
fn max_chars(column: &str) -> usize {
    match column {
        "navn" | "ydelsesart" => MAX_NAVN,
        "kravtype" => 80,
        "udbetalingsparagraf" | "tilbagebetalingsparagraf" => 60,
        _ => MAX_ID,
    }
}

/// Where each required column sits in a file.
#[derive(Clone, Debug)]
pub struct Columns {
    names: &'static [&'static str],
    positions: Vec<usize>,
    /// Optional columns the header has, with their positions.
    optional: Vec<(&'static str, usize)>,
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
        let optional = FILES
            .iter()
            .position(|(f, _)| *f == file)
            .map(|i| OPTIONAL[i])
            .unwrap_or_default()
            .iter()
            .filter_map(|name| normalized.iter().position(|h| h == name).map(|i| (*name, i)))
            .collect();
        if errors.is_empty() { Ok(Columns { names, positions, optional, width: header.len() }) } else { Err(errors) }
    }

    /// The trimmed cell, `None` when empty (an empty field is a missing value).
    pub fn get<'r>(&self, record: &'r StringRecord, name: &str) -> Option<&'r str> {
        let at = match self.names.iter().position(|n| *n == name) {
            Some(i) => self.positions[i],
            None => self.optional.iter().find(|(n, _)| *n == name)?.1,
        };
        record.get(at).map(str::trim).filter(|s| !s.is_empty())
    }

    /// The cell as text, "" when empty.
    pub fn text<'r>(&self, record: &'r StringRecord, name: &str) -> &'r str {
        self.get(record, name).unwrap_or("")
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// The raw cell of the file's key column (its first required column), if the row has one.
    pub fn key<'r>(&self, record: &'r StringRecord) -> Option<&'r str> {
        record.get(self.positions[0]).map(str::trim).filter(|s| !s.is_empty())
    }

    /// Every required cell that breaks the text rule (`domain::text_input`), named by column.
    pub fn hidden_or_too_long(&self, record: &StringRecord) -> Vec<(&'static str, String)> {
        self.names
            .iter()
            .zip(&self.positions)
            .filter_map(|(name, &i)| {
                let cell = record.get(i)?.trim();
                check_text(cell, max_chars(name)).err().map(|p| (*name, p.to_string()))
            })
            .collect()
    }
}
