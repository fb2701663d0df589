//! Dækninger and afskrivninger arriving on a fordring: validation and the causes recorded when
//! they move a task.

use super::beloeb::Beloeb;
use super::opgavepakke::Opgavepakke;
use super::resolve::FieldError;
use super::text_input::{MAX_ID, check_text};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Art {
    Daekning,
    Afskrivning,
}

impl Art {
    pub fn parse(s: &str) -> Option<Art> {
        match s.trim().to_lowercase().as_str() {
            "daekning" | "dækning" => Some(Art::Daekning),
            "afskrivning" => Some(Art::Afskrivning),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Art::Daekning => "daekning",
            Art::Afskrivning => "afskrivning",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Art::Daekning => "dækning",
            Art::Afskrivning => "afskrivning",
        }
    }
}

/// A dækning as received (API body or CSV row), all text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaekningInput {
    pub daekning_id: String,
    pub fordring_id: String,
    pub art: String,
    pub beloeb: String,
    pub dato: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidDaekning {
    pub daekning_id: String,
    pub fordring_id: String,
    pub art: Art,
    pub beloeb: Beloeb,
    pub dato: NaiveDate,
}

/// The years a date in this domain can fall in. Placeholders such as 0000-01-01 and 9999-12-31
/// ("no end") and typing errors such as 2203 fall outside and are refused, not stored.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Exactly `YYYY-MM-DD` within `YEARS` (parsed by hand: it runs for millions of rows in an import).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r.clone())?.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let date = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((num(0..4)?, num(5..7)?, num(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d));
    match date {
        Some(d) if YEARS.contains(&d.year()) => Ok(d),
        Some(d) => Err(format!(
            "{t:?}: året {:04} ligger uden for {}–{}; skriv den rigtige dato, eller lad feltet stå tomt, hvis der ikke er nogen",
            d.year(),
            YEARS.start(),
            YEARS.end()
        )),
        None => Err(format!("{t:?} er ikke en dato på formen ÅÅÅÅ-MM-DD")),
    }
}

/// An ID: present, at most `MAX_ID` characters, no hidden characters (`text_input`).
pub fn validate_id(s: &str) -> Result<String, String> {
    let v = s.trim();
    if v.is_empty() {
        return Err("mangler".into());
    }
    check_text(v, MAX_ID).map(|()| v.to_string()).map_err(|p| p.to_string())
}

pub fn validate(input: &DaekningInput) -> Result<ValidDaekning, Vec<FieldError>> {
    let mut errors = Vec::new();
    let daekning_id = validate_id(&input.daekning_id).map_err(|m| errors.push(FieldError::new("daekning_id", m))).ok();
    let fordring_id = validate_id(&input.fordring_id).map_err(|m| errors.push(FieldError::new("fordring_id", m))).ok();
    let art = Art::parse(&input.art);
    if art.is_none() {
        errors.push(FieldError::new("art", "skal være \"daekning\" eller \"afskrivning\""));
    }
    let beloeb = match Beloeb::parse(&input.beloeb) {
        Ok(b) if b.oere() > 0 => Some(b),
        Ok(_) => {
            errors.push(FieldError::new("beloeb", "skal være større end 0"));
            None
        }
        Err(e) => {
            errors.push(FieldError::new("beloeb", e.to_string()));
            None
        }
    };
    let dato = parse_date(&input.dato).map_err(|m| errors.push(FieldError::new("dato", m))).ok();
    match (daekning_id, fordring_id, art, beloeb, dato) {
        (Some(daekning_id), Some(fordring_id), Some(art), Some(beloeb), Some(dato)) if errors.is_empty() => {
            Ok(ValidDaekning { daekning_id, fordring_id, art, beloeb, dato })
        }
        _ => Err(errors),
    }
}

/// "Flyttet fra 12 til 03, fordi dækning 4711 på 1.250,00 kr. blev modtaget kl. 10:42."
pub fn move_cause(from: Opgavepakke, to: Opgavepakke, d: &ValidDaekning, hh_mm: &str) -> String {
    format!(
        "Flyttet fra {from} til {to}, fordi {} {} på {} blev modtaget kl. {hh_mm}.",
        d.art.label(),
        d.daekning_id,
        d.beloeb
    )
}

/// The cause on an opgavepakke-09 task processed when its fordring's task was resolved.
pub fn processed_cause(opret_task: i64) -> String {
    format!("Behandlet automatisk, da opgave {opret_task} (Opret fordringssag) blev løst.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DaekningInput {
        DaekningInput {
            daekning_id: "4711".into(),
            fordring_id: "F-1".into(),
            art: "daekning".into(),
            beloeb: "1250,00".into(),
            dato: "2026-11-20".into(),
        }
    }

    #[test]
    fn dates_are_exactly_year_month_day() {
        assert_eq!(parse_date(" 2023-01-25 "), Ok(NaiveDate::from_ymd_opt(2023, 1, 25).unwrap()));
        for bad in ["2023-1-25", "2023-02-30", "25-01-2023", "2023/01/25", "+023-01-25", ""] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn placeholder_years_and_years_outside_1900_to_2100_are_refused() {
        for bad in ["0000-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2203-05-01"] {
            let m = parse_date(bad).unwrap_err();
            assert!(m.contains("uden for 1900–2100"), "{bad}: {m}");
        }
        for ok in ["1900-01-01", "2100-12-31"] {
            assert!(parse_date(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn an_id_follows_the_text_rule() {
        assert_eq!(validate_id(" F-1 "), Ok("F-1".to_string()));
        assert_eq!(validate_id("  "), Err("mangler".to_string()));
        assert!(validate_id(&"x".repeat(65)).unwrap_err().contains("højst 64"));
        assert!(validate_id("F\u{200b}1").unwrap_err().contains("U+200B"));
        assert!(validate_id("F\u{202e}1").unwrap_err().contains("retningsstyring"));
    }

    #[test]
    fn a_good_daekning_validates() {
        let d = validate(&input()).unwrap();
        assert_eq!(d.beloeb, Beloeb(125_000));
        assert_eq!(d.art, Art::Daekning);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = DaekningInput {
            daekning_id: "".into(),
            art: "betaling".into(),
            beloeb: "0".into(),
            dato: "20-11-2026".into(),
            ..input()
        };
        let fields: Vec<String> = validate(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["daekning_id", "art", "beloeb", "dato"]);
    }

    #[test]
    fn the_move_cause_says_what_arrived_and_when() {
        let d = validate(&input()).unwrap();
        let from = Opgavepakke::new(12).unwrap();
        assert_eq!(
            move_cause(from, from.with_daekning(), &d, "10:42"),
            "Flyttet fra 12 til 03, fordi dækning 4711 på 1.250,00 kr. blev modtaget kl. 10:42."
        );
    }
}
