//! Opening a file of the extract for reading rows: the scan first (`scan`: encoding, quotes),
//! then the CSV reader past a BOM, then the header.

use super::Parser;
use crate::service::import::ERROR_CAP;
use crate::service::import::columns::{Columns, FILES};
use crate::service::import::scan::{self, BOM};
use csv::StringRecord;
use indicatif::ProgressBar;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

pub(super) type CsvReader = csv::Reader<CountingReader<BufReader<File>>>;

impl Parser {
    /// Scans the file, then opens it for reading rows and maps its header; `None` (with the
    /// errors listed) when none of its rows can be read. Also the record, if any, whose
    /// unclosed quote runs to the end of the file.
    pub(super) fn open(&mut self, dir: &Path, index: usize) -> Option<(CsvReader, Columns, Option<u64>)> {
        let (name, required) = FILES[index];
        let path = dir.join(name);
        let scanned = match File::open(&path).and_then(|f| scan::scan(f, ERROR_CAP)) {
            Ok(s) => s,
            Err(e) => {
                self.error(name, 0, "-", format!("filen kan ikke åbnes: {e}"));
                return None;
            }
        };
        if let Some(f) = scanned.not_utf8 {
            self.error(name, f.line, "-", f.reason);
            return None;
        }
        for f in scanned.quotes {
            self.error(name, f.line, "-", f.reason);
        }
        if scanned.unclosed_record == Some(0) {
            return None;
        }
        let mut inner = match File::open(&path) {
            Ok(f) => BufReader::with_capacity(1 << 20, f),
            Err(e) => {
                self.error(name, 0, "-", format!("filen kan ikke åbnes: {e}"));
                return None;
            }
        };
        // Excel's "CSV UTF-8" starts with a BOM; `csv` would read it as part of the first header.
        if inner.fill_buf().is_ok_and(|b| b.starts_with(BOM)) {
            inner.consume(BOM.len());
        }
        let counted = CountingReader { inner, bar: self.progress.clone() };
        let mut reader =
            csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(counted);
        let mut header = StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => match Columns::from_header(name, required, &header) {
                Ok(columns) => Some((reader, columns, scanned.unclosed_record)),
                Err(errors) => {
                    for e in errors {
                        self.error(&e.file, e.line, &e.column, e.reason);
                    }
                    None
                }
            },
            Ok(false) => {
                self.error(name, 1, "-", "filen er tom (overskriften mangler)");
                None
            }
            Err(e) => {
                self.error(name, 1, "-", format!("overskriften kan ikke læses: {e}"));
                None
            }
        }
    }
}

/// Counts bytes read for the progress bar.
pub(super) struct CountingReader<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}
