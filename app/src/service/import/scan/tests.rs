use super::*;

fn scanned(bytes: &[u8]) -> Scan {
    scan(bytes, 200).unwrap()
}

/// Hands out one byte per read, so every character is split across reads.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
        buf[0] = *first;
        self.0 = rest;
        Ok(1)
    }
}

/// What `csv` (as the import configures it) says is the last record's index.
fn csv_last_record(bytes: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut last = 0;
    while reader.read_byte_record(&mut record).unwrap() {
        last = record.position().unwrap().record();
    }
    last
}

#[test]
fn a_clean_utf8_file_has_no_findings_even_when_read_a_byte_at_a_time() {
    let text = "cpr;navn\n0101851234;Søren Ærø-Åberg\n0101851235;\"Hansen; \"\"Bulder\"\"\"\n0101851236;5\" skærm\n";
    assert_eq!(scanned(text.as_bytes()), Scan::default());
    assert_eq!(scan(Trickle(text.as_bytes()), 200).unwrap(), Scan::default());
}

#[test]
fn a_windows_1252_file_names_the_line_and_the_character_as_ansi() {
    let s = scanned(b"cpr;navn\n0101851234;Anne\n0101851235;S\xF8ren Hansen\n0101851236;\xC6bel\n");
    let f = s.not_utf8.expect("not UTF-8");
    assert_eq!(f.line, 3);
    assert!(f.reason.contains("\"ø\" (i \"Søren Hansen\")"), "{}", f.reason);
    assert!(f.reason.contains("Windows-1252/ANSI"), "{}", f.reason);
    assert!(f.reason.contains("\"Gem som\" → \"CSV UTF-8 (kommasepareret) (*.csv)\""), "{}", f.reason);
    assert!(s.quotes.is_empty());
}

#[test]
fn a_byte_windows_1252_leaves_undefined_is_shown_as_a_byte() {
    let f = scanned(b"a;b\n1;\x81\n").not_utf8.unwrap();
    assert_eq!(f.line, 2);
    assert!(f.reason.contains("0x81"), "{}", f.reason);
}

#[test]
fn a_character_cut_off_at_the_end_of_the_file_is_not_utf8() {
    assert_eq!(scanned(b"a;b\n1;\xC3").not_utf8.unwrap().line, 2);
}

#[test]
fn utf16_from_excels_unicode_text_is_named() {
    let f = scanned(b"\xFF\xFEc\0p\0r\0").not_utf8.unwrap();
    assert!(f.reason.contains("UTF-16"), "{}", f.reason);
}

#[test]
fn the_bom_is_skipped_so_a_quoted_first_header_opens_a_quote() {
    assert_eq!(scanned(b"\xEF\xBB\xBF\"cpr\";navn\r\n0101851234;Anne\r\n"), Scan::default());
    let s = scanned(b"\xEF\xBB\xBF\"cpr;navn\r\n");
    assert_eq!(s.unclosed_record, Some(0));
}

#[test]
fn an_unclosed_quote_on_the_last_line_is_found_with_its_line_and_record() {
    let text = b"cpr;navn\n0101851234;Anne\n0101851235;\"Bo Berg\n";
    let s = scanned(text);
    assert_eq!(s.unclosed_record, Some(2));
    assert_eq!(s.unclosed_record, Some(csv_last_record(text)), "the record csv reads to the end");
    assert_eq!(s.quotes.len(), 1);
    assert_eq!(s.quotes[0].line, 3);
    assert!(s.quotes[0].reason.contains("lukkes aldrig"), "{}", s.quotes[0].reason);
}

#[test]
fn an_unclosed_quote_earlier_swallows_the_rest_and_blank_lines_do_not_count_as_records() {
    let text = b"a;b\r\n\r\n1;x\r\n\n2;\"y\r\n3;z\r\n4;w\r\n";
    let s = scanned(text);
    assert_eq!(s.unclosed_record, Some(2));
    assert_eq!(s.unclosed_record, Some(csv_last_record(text)));
    assert_eq!(s.quotes[0].line, 5);
}

#[test]
fn text_after_a_closing_quote_is_a_quote_error_on_its_line_but_spaces_are_not() {
    let s = scanned(b"a;b\n\"x\"  ;2\n\"x\"y;2\n3;\"z\" w\n");
    let lines: Vec<u64> = s.quotes.iter().map(|f| f.line).collect();
    assert_eq!(lines, [3, 4]);
    assert_eq!(s.unclosed_record, None);
}

#[test]
fn a_quoted_field_may_hold_line_ends_and_the_lines_after_it_keep_their_numbers() {
    let s = scanned(b"a;b\n\"x\ny\";2\n\"q\"r;3\n");
    assert_eq!(s.quotes.iter().map(|f| f.line).collect::<Vec<_>>(), [4]);
}
