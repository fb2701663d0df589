//! The leverandør's rough estimate of an ændringsønske, in whole hours. The estimate form reads the
//! typed text with this rule in the browser, and the server reads it with the same rule, so an
//! empty or mistyped field is a field message, never an unreadable ændringsønske.

use crate::domain::resolve::FieldError;

/// The largest estimate taken (an ændringsønske beyond it is not a change ændringsønske but a project).
pub const MAX_ESTIMATE_HOURS: i64 = 100_000;

/// The form's name of the field.
pub const HOURS_FIELD: &str = "hours";

/// The hours as typed: a whole number from 1 to 100.000. Surrounding spaces are ignored; a
/// decimal, a thousands separator or a unit is refused rather than guessed at ("1.500" could be
/// one and a half or fifteen hundred).
pub fn parse_estimate_hours(input: &str) -> Result<i64, FieldError> {
    let range = || FieldError::new(HOURS_FIELD, "Angiv et groft estimat i timer (1–100.000).");
    let v = input.trim();
    match v.parse::<i64>() {
        Ok(hours) if (1..=MAX_ESTIMATE_HOURS).contains(&hours) => Ok(hours),
        Ok(_) => Err(range()),
        // Empty, or digits too many for any estimate.
        Err(_) if v.bytes().all(|b| b.is_ascii_digit()) => Err(range()),
        Err(_) => Err(FieldError::new(HOURS_FIELD, "Skriv et helt antal timer med cifre, fx 40.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_hours_from_one_to_a_hundred_thousand_are_read() {
        for (typed, hours) in [("1", 1), ("40", 40), (" 250 ", 250), ("100000", 100_000), ("007", 7)] {
            assert_eq!(parse_estimate_hours(typed), Ok(hours), "{typed:?}");
        }
    }

    #[test]
    fn an_empty_or_out_of_range_estimate_asks_for_the_range() {
        for typed in ["", "   ", "0", "-5", "100001", "99999999999999999999999"] {
            let err = parse_estimate_hours(typed).unwrap_err();
            assert_eq!(
                (err.field.as_str(), err.message.as_str()),
                ("hours", "Angiv et groft estimat i timer (1–100.000).")
            );
        }
    }

    #[test]
    fn a_decimal_a_separator_or_a_unit_asks_for_whole_hours() {
        for typed in ["1.5", "1,5", "1.500", "40 timer", "fyrre", "4e2"] {
            let err = parse_estimate_hours(typed).unwrap_err();
            assert_eq!(err.message, "Skriv et helt antal timer med cifre, fx 40.", "{typed:?}");
        }
    }
}
