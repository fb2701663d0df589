//! The small parsers every import row and form goes through: CPR, amounts, dates, kommune
//! numbers, a login's `next` path. None may panic, and what each accepts must survive its own
//! printed form unchanged (or, for `next`, stay on this site).
#![no_main]

use app::domain::{Beloeb, Cpr, Kommunenr, daekning, plan, safe_next_path};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(cpr) = Cpr::parse(s) {
        assert_eq!(Cpr::parse(&cpr.to_string()), Ok(cpr), "{s:?}");
        assert_eq!(Cpr::parse(&cpr.digits()), Ok(cpr), "{s:?}");
    }
    if let Ok(b) = Beloeb::parse(s) {
        assert_eq!(Beloeb::parse(&b.plain()), Ok(b), "{s:?}");
    }
    if let Ok(d) = daekning::parse_date(s) {
        assert!(daekning::YEARS.contains(&chrono_year(&d.to_string())), "{s:?}");
        assert_eq!(daekning::parse_date(&d.to_string()), Ok(d), "{s:?}");
    }
    if let Some(d) = plan::parse_date(s) {
        assert_eq!(plan::parse_date(&d.to_string()), Some(d), "{s:?}");
    }
    if let Ok(k) = Kommunenr::parse(s) {
        assert_eq!(Kommunenr::parse(&k.to_string()).ok(), Some(k), "{s:?}");
    }
    if let Some(next) = safe_next_path(s) {
        let b = next.as_bytes();
        assert!(b.first() == Some(&b'/') && !matches!(b.get(1), Some(b'/' | b'\\')), "{s:?} -> {next:?}");
        assert!(!next.chars().any(|c| c.is_control()), "{s:?} -> {next:?}");
    }
});

/// The year of a `YYYY-MM-DD` date as `NaiveDate` prints it.
fn chrono_year(iso: &str) -> i32 {
    iso.get(..4).and_then(|y| y.parse().ok()).unwrap_or(i32::MIN)
}
