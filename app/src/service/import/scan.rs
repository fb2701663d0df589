//! A first pass over a file's bytes, before any of its rows is read: is it UTF-8, and is every
//! quoted field closed.
//!
//! Both are checked here because reading rows cannot say them well. A file Excel saved as
//! "CSV (semikolonsepareret)" is Windows-1252, and every row with an æ, ø or å would fail on its
//! own; the person fixing it needs one sentence about the file instead. And the `csv` crate
//! accepts an unclosed quote silently, reading the rest of the file as one field, and drops a
//! quote followed by more text (`"a"b` reads as `ab`). The quote rules below mirror `csv-core`'s
//! reader exactly (a quote opens a field only as its first byte; `""` inside is one quote), so
//! what is reported here is what the rows would have been read as.

use std::io::{self, Read};

/// The UTF-8 byte-order mark Excel writes at the start of "CSV UTF-8".
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

const CHUNK: usize = 1 << 16;

/// A problem at a line of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub line: u64,
    pub reason: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// The file is not UTF-8: the one thing to say about it (nothing of it can be read).
    pub not_utf8: Option<Finding>,
    /// Text after a closing quote, and an unclosed quote, in file order.
    pub quotes: Vec<Finding>,
    /// The record (0 = the header) whose quote never closes: `csv` reads it to the end of the file.
    pub unclosed_record: Option<u64>,
}

/// Scans the file; at most `cap` quote findings are kept (the import lists no more anyway).
pub fn scan(mut input: impl Read, cap: usize) -> io::Result<Scan> {
    let mut quotes = Quotes { cap, line: 1, at_record_start: true, ..Quotes::default() };
    let mut buf = vec![0u8; CHUNK + 4];
    // Bytes of a character split by the chunk boundary, carried to the front of the next chunk.
    let mut carry = 0;
    let mut first = true;
    loop {
        let n = input.read(&mut buf[carry..carry + CHUNK])?;
        if n == 0 {
            if carry > 0 {
                return Ok(Scan { not_utf8: Some(not_utf8(&buf[..carry], 0, quotes.line)), ..Scan::default() });
            }
            break;
        }
        let filled = carry + n;
        let mut start = 0;
        if first {
            first = false;
            if buf[..filled].starts_with(b"\xFF\xFE") || buf[..filled].starts_with(b"\xFE\xFF") {
                return Ok(Scan { not_utf8: Some(utf16()), ..Scan::default() });
            }
            if buf[..filled].starts_with(BOM) {
                start = BOM.len();
            }
        }
        let data = &buf[start..filled];
        match std::str::from_utf8(data) {
            Ok(_) => {
                quotes.feed(data);
                carry = 0;
            }
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                quotes.feed(&data[..valid]);
                carry = data.len() - valid;
                buf.copy_within(start + valid..filled, 0);
            }
            Err(e) => {
                let valid = e.valid_up_to();
                quotes.feed(&data[..valid]);
                return Ok(Scan { not_utf8: Some(not_utf8(data, valid, quotes.line)), ..Scan::default() });
            }
        }
    }
    Ok(quotes.finish())
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    #[default]
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: a second one is an escaped quote, a delimiter ends the field.
    QuoteInQuoted,
    /// Spaces after a closing quote (harmless: cells are trimmed).
    AfterClose,
}

#[derive(Default)]
struct Quotes {
    cap: usize,
    state: State,
    line: u64,
    records: u64,
    at_record_start: bool,
    /// (line, record) where the quoted field being read opened.
    open: (u64, u64),
    found: Vec<Finding>,
}

impl Quotes {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let ends_field = matches!(b, b';' | b'\r' | b'\n');
            // Most bytes sit inside an unquoted field and change nothing.
            if self.state == State::Unquoted && !ends_field {
                continue;
            }
            self.state = match self.state {
                State::Quoted if b == b'"' => State::QuoteInQuoted,
                State::Quoted => State::Quoted,
                State::QuoteInQuoted if b == b'"' => State::Quoted,
                State::QuoteInQuoted | State::AfterClose if b == b' ' => State::AfterClose,
                State::QuoteInQuoted | State::AfterClose if !ends_field => {
                    self.stray();
                    State::Unquoted
                }
                State::FieldStart if self.at_record_start && matches!(b, b'\r' | b'\n') => State::FieldStart,
                State::FieldStart if b == b'"' => {
                    self.start_record();
                    self.open = (self.line, self.records - 1);
                    State::Quoted
                }
                State::FieldStart if !ends_field => {
                    self.start_record();
                    State::Unquoted
                }
                // a delimiter or a line end outside quotes
                _ => {
                    self.start_record();
                    self.at_record_start = b != b';';
                    State::FieldStart
                }
            };
            if b == b'\n' {
                self.line += 1;
            }
        }
    }

    /// `csv-core` skips line ends between records; any other byte begins one.
    fn start_record(&mut self) {
        if self.at_record_start {
            self.records += 1;
            self.at_record_start = false;
        }
    }

    fn stray(&mut self) {
        if self.found.len() < self.cap {
            self.found.push(Finding {
                line: self.line,
                reason: "efter et felts afsluttende anførselstegn (\") står mere tekst i feltet; et anførselstegn \
                         inde i et felt i anførselstegn skrives dobbelt (\"\")"
                    .into(),
            });
        }
    }

    fn finish(mut self) -> Scan {
        let mut unclosed_record = None;
        if self.state == State::Quoted {
            let (line, record) = self.open;
            unclosed_record = Some(record);
            self.found.push(Finding {
                line,
                reason: format!(
                    "et felt begynder med anførselstegn (\"), men anførselstegnet lukkes aldrig, så resten af filen \
                     ville blive læst som ét felt; rækkerne fra linje {line} og frem er ikke læst. Luk \
                     anførselstegnet, eller skriv et anførselstegn inde i feltet dobbelt (\"\")"
                ),
            });
        }
        Scan { not_utf8: None, quotes: self.found, unclosed_record }
    }
}

const SAVE_AS_UTF8: &str =
    "Åbn filen i Excel, vælg \"Gem som\" → \"CSV UTF-8 (kommasepareret) (*.csv)\", og indlæs udtrækket igen.";

fn utf16() -> Finding {
    Finding {
        line: 1,
        reason: format!(
            "filen er gemt som UTF-16 (fx Excels \"Unicode-tekst\"), ikke som UTF-8, og kan ikke læses. {SAVE_AS_UTF8}"
        ),
    }
}

/// The file breaks UTF-8 at `data[bad]`, on `line`: what that byte most likely is.
fn not_utf8(data: &[u8], bad: usize, line: u64) -> Finding {
    let byte = data[bad];
    let reason = match windows_1252(byte) {
        Some(ch) => format!(
            "filen er ikke gemt som UTF-8 og kan ikke læses. Det første tegn, der ikke kan læses, står på linje {line} \
             og er sandsynligvis \"{ch}\" (i \"{}\"): filen ser ud til at være gemt som Windows-1252/ANSI, fx med \
             Excels \"CSV (semikolonsepareret)\". {SAVE_AS_UTF8}",
            cell_around(data, bad)
        ),
        None => format!(
            "filen er ikke gemt som UTF-8 og kan ikke læses: linje {line} indeholder byten 0x{byte:02X}, som hverken \
             er UTF-8 eller Windows-1252/ANSI. {SAVE_AS_UTF8}"
        ),
    };
    Finding { line, reason }
}

/// The cell holding `data[at]`, decoded as Windows-1252, at most 40 characters.
fn cell_around(data: &[u8], at: usize) -> String {
    let is_end = |b: &u8| matches!(b, b';' | b'\r' | b'\n');
    let from = data[..at].iter().rposition(is_end).map_or(0, |i| i + 1).max(at.saturating_sub(60));
    let to = data[at..].iter().position(is_end).map_or(data.len(), |i| at + i).min(at + 60);
    let text: String = data[from..to].iter().map(|&b| windows_1252(b).unwrap_or('?')).collect();
    let text = text.trim().trim_matches('"');
    if text.chars().count() > 40 { format!("{}…", text.chars().take(40).collect::<String>()) } else { text.into() }
}

/// The character Windows-1252 gives a byte; `None` for the five bytes it leaves undefined.
fn windows_1252(b: u8) -> Option<char> {
    const HIGH: [char; 32] = [
        '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0', '‘', '’', '“', '”',
        '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => Some(HIGH[usize::from(b - 0x80)]).filter(|c| *c != '\0'),
        _ => Some(char::from(b)),
    }
}

#[cfg(test)]
mod tests;
