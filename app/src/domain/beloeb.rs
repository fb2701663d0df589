//! Amounts in kroner, held as whole øre so sums are exact.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Beloeb(pub i64);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BeloebError {
    #[error("beløbet skal være et tal med højst to decimaler, fx 1250,50")]
    Shape,
    #[error("beløbet er for stort")]
    TooLarge,
}

impl Beloeb {
    /// Parses `1250`, `1250,5`, `1250.50`, `-3,00`. No thousands separators (CONTRACT.md).
    pub fn parse(input: &str) -> Result<Self, BeloebError> {
        let s = input.trim();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = match s.find([',', '.']) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s, ""),
        };
        let digits_only = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_only(whole) || !digits_only(frac) || frac.len() > 2 {
            return Err(BeloebError::Shape);
        }
        if whole.len() > 13 {
            return Err(BeloebError::TooLarge);
        }
        let kroner: i64 = whole.parse().map_err(|_| BeloebError::Shape)?;
        let oere: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| BeloebError::Shape)? * 10,
            _ => frac.parse().map_err(|_| BeloebError::Shape)?,
        };
        let total = kroner * 100 + oere;
        Ok(Beloeb(if negative { -total } else { total }))
    }

    pub fn oere(self) -> i64 {
        self.0
    }

    /// `1250.00` — the plain machine form used in CSV exports.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", self.0.abs() / 100, self.0.abs() % 100)
    }
}

/// `12.345.678`: a whole number with Danish thousands separators.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `1.234,5` — a number with Danish thousands separators and decimal comma, rounded to
/// `places` decimals.
pub fn decimal(x: f64, places: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", places, x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b)) { "-" } else { "" };
    let whole = group_thousands(whole.parse().unwrap_or(0));
    if frac.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole},{frac}") }
}

/// Danish display: `1.250,00 kr.`
impl fmt::Display for Beloeb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{},{:02} kr.", group_thousands(self.0.abs() / 100), self.0.abs() % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_and_point_are_both_decimal_separators() {
        assert_eq!(Beloeb::parse("1250,00"), Ok(Beloeb(125_000)));
        assert_eq!(Beloeb::parse("1250.5"), Ok(Beloeb(125_050)));
        assert_eq!(Beloeb::parse("7"), Ok(Beloeb(700)));
        assert_eq!(Beloeb::parse("-3,01"), Ok(Beloeb(-301)));
    }

    #[test]
    fn thousands_separators_and_garbage_are_refused() {
        for bad in ["1.250,00", "", "abc", "1,234", ",5", "1 000"] {
            assert!(Beloeb::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn displays_the_danish_way() {
        assert_eq!(Beloeb(125_000).to_string(), "1.250,00 kr.");
        assert_eq!(Beloeb(99).to_string(), "0,99 kr.");
        assert_eq!(Beloeb(123_456_789).to_string(), "1.234.567,89 kr.");
        assert_eq!(Beloeb(-5_000).plain(), "-50.00");
    }

    #[test]
    fn decimals_the_danish_way() {
        assert_eq!(decimal(2.46, 1), "2,5");
        assert_eq!(decimal(1234.56, 2), "1.234,56");
        assert_eq!(decimal(83.333, 1), "83,3");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(-1.25, 1), "-1,2");
        assert_eq!(decimal(7.0, 0), "7");
        assert_eq!(decimal(f64::INFINITY, 1), "–");
    }
}
