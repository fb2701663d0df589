//! Time as the product shows and stores it: UTC RFC 3339 in the database, Danish local time on
//! screen (formatted on the server, so the browser needs no time-zone tables).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Copenhagen;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the epoch while the clock is pinned; `i64::MIN` when it runs.
static PINNED: AtomicI64 = AtomicI64::new(i64::MIN);

pub fn now() -> DateTime<Utc> {
    match PINNED.load(Ordering::Relaxed) {
        i64::MIN => Utc::now(),
        ms => DateTime::from_timestamp_millis(ms).unwrap_or_else(Utc::now),
    }
}

/// Pins `now()` for the whole process to `at` (`None` lets it run again). Only the demo loader
/// does this, to replay weeks of casework on the days it happened, so the demo's history went
/// through the same services as real work; the running product never pins the clock.
pub fn pin(at: Option<DateTime<Utc>>) {
    PINNED.store(at.map_or(i64::MIN, |t| t.timestamp_millis()), Ordering::Relaxed);
}

/// The stored form: `2026-11-22T09:42:07.123Z`.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// The wall-clock time in Copenhagen (for date cells in workbooks).
pub fn local(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&Copenhagen).naive_local()
}

/// `10:42` in Copenhagen time.
pub fn hh_mm(at: DateTime<Utc>) -> String {
    at.with_timezone(&Copenhagen).format("%H:%M").to_string()
}

/// `10.42` in Copenhagen time, as a Danish sentence writes it ("kl. 10.42").
pub fn hh_dot_mm(at: DateTime<Utc>) -> String {
    at.with_timezone(&Copenhagen).format("%H.%M").to_string()
}

/// `22.11.2026 10:42` in Copenhagen time; the stored text itself if it does not parse.
pub fn display_stamp(text: &str) -> String {
    parse_stamp(text)
        .map(|t| t.with_timezone(&Copenhagen).format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|| text.to_string())
}

/// `25.01.2023` from `2023-01-25`.
pub fn display_date(text: &str) -> String {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| text.to_string())
}

/// The start of `day` in Copenhagen (midnight local time), as a UTC instant.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Copenhagen.from_local_datetime(&midnight).earliest().map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

pub fn today() -> NaiveDate {
    now().with_timezone(&Copenhagen).date_naive()
}
