//! CPR numbers: `DDMMYYSSSS`, with or without a dash after the sixth digit.
//!
//! Real numbers without a modulus-11 check digit exist since 2007, so the check digit is
//! reported (for synthetic test data) but never required.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cpr([u8; 10]);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CprError {
    #[error("CPR-nummeret skal have 10 cifre (DDMMÅÅ-LLLL)")]
    Shape,
    #[error("CPR-nummerets dato findes ikke")]
    Date,
}

const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

impl Cpr {
    /// Accepts `DDMMYYSSSS` and `DDMMYY-SSSS` (surrounding spaces ignored). The day may be a real
    /// day (1–31) or a synthetic one (61–91, day + 60).
    pub fn parse(input: &str) -> Result<Self, CprError> {
        let s = input.trim();
        let bytes = s.as_bytes();
        let digits: Vec<u8> = match bytes.len() {
            10 => bytes.to_vec(),
            11 if bytes[6] == b'-' => bytes[..6].iter().chain(&bytes[7..]).copied().collect(),
            _ => return Err(CprError::Shape),
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(CprError::Shape);
        }
        let mut out = [0u8; 10];
        for (o, d) in out.iter_mut().zip(&digits) {
            *o = d - b'0';
        }
        let cpr = Cpr(out);
        let day = cpr.day_of_month();
        let month = out[2] * 10 + out[3];
        if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
            return Err(CprError::Date);
        }
        Ok(cpr)
    }

    /// The day of birth, with the synthetic +60 removed.
    pub fn day_of_month(&self) -> u8 {
        let d = self.0[0] * 10 + self.0[1];
        if d > 60 { d - 60 } else { d }
    }

    /// Synthetic test numbers carry day + 60 (61–91).
    pub fn is_synthetic(&self) -> bool {
        self.0[0] * 10 + self.0[1] > 60
    }

    /// Whether the weighted digit sum is divisible by 11 (true of all numbers before 2007).
    pub fn has_modulus11(&self) -> bool {
        let sum: u32 = self.0.iter().zip(WEIGHTS).map(|(d, w)| u32::from(*d) * w).sum();
        sum.is_multiple_of(11)
    }

    /// The ten digits without dash, as stored.
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Builds a synthetic number (day + 60) for a birth date and a sequence, choosing the first
    /// serial at or after `serial` whose check digit satisfies modulus 11.
    pub fn synthetic(day: u8, month: u8, year: u8, serial: u16) -> Option<Self> {
        let mut s = serial % 10_000;
        for _ in 0..10_000 {
            let text = format!("{:02}{:02}{:02}{:04}", day + 60, month, year % 100, s);
            if let Ok(cpr) = Cpr::parse(&text)
                && cpr.has_modulus11()
            {
                return Some(cpr);
            }
            s = (s + 1) % 10_000;
        }
        None
    }
}

impl fmt::Display for Cpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}-{}", &d[..6], &d[6..])
    }
}

impl TryFrom<String> for Cpr {
    type Error = CprError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Cpr::parse(&value)
    }
}

impl From<Cpr> for String {
    fn from(value: Cpr) -> Self {
        value.digits()
    }
}

/// A CPR number as shown (`610585-3120`) from its stored digits; the text itself when it is not
/// a CPR number.
pub fn display(digits: &str) -> String {
    Cpr::parse(digits).map(|c| c.to_string()).unwrap_or_else(|_| digits.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_spellings_of_the_same_number() {
        assert_eq!(Cpr::parse("610585-3120"), Cpr::parse("6105853120"));
        assert_eq!(Cpr::parse("6105853120").unwrap().to_string(), "610585-3120");
    }

    #[test]
    fn the_brief_example_is_synthetic_with_a_valid_check_digit() {
        let cpr = Cpr::parse("610585-3120").unwrap();
        assert!(cpr.is_synthetic());
        assert!(cpr.has_modulus11());
        assert_eq!(cpr.day_of_month(), 1);
    }

    #[test]
    fn numbers_without_a_modulus11_check_digit_are_valid() {
        let cpr = Cpr::parse("0101901235").unwrap();
        assert!(!cpr.has_modulus11());
    }

    #[test]
    fn wrong_shapes_and_impossible_dates_are_refused() {
        for bad in ["", "12345", "010190123", "01019012345", "0101a01234", "010190+1234"] {
            assert_eq!(Cpr::parse(bad), Err(CprError::Shape), "{bad}");
        }
        for bad in ["3201901234", "0113901234", "0000901234", "9201901234"] {
            assert_eq!(Cpr::parse(bad), Err(CprError::Date), "{bad}");
        }
    }

    #[test]
    fn synthetic_numbers_are_synthetic_and_check_out() {
        for serial in [0, 17, 4711, 9999] {
            let cpr = Cpr::synthetic(5, 3, 84, serial).unwrap();
            assert!(cpr.is_synthetic() && cpr.has_modulus11(), "{cpr}");
        }
    }
}
