//! The 17 opgavepakker of MI 38 (seed 002): 01–08 med dækninger, 09 ventetrin, 10–17 uden.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Opgavepakke(u8);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} er ikke en opgavepakke (01–17)")]
pub struct OpgavepakkeError(pub String);

/// Which of the three groups of the board an opgavepakke sits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gruppe {
    MedDaekninger,
    Ventetrin,
    UdenDaekninger,
}

const TITLES: [&str; 8] = [
    "Manglende reference",
    "Samme kravtype",
    "Manglende udbetalings- og tilbagebetalingsparagraf",
    "Manglende udbetalings- og tilbagebetalingsparagraf og kravtype",
    "Manglende udbetalings- og tilbagebetalingsparagraf og reference",
    "Manglende kravtype og reference",
    "Manglende udbetalings- og tilbagebetalingsparagraf, kravtype og reference",
    "Vælg KMD Aktiv bevilling",
];

impl Opgavepakke {
    pub const VENTETRIN: Opgavepakke = Opgavepakke(9);

    /// All 17, in board order.
    pub fn all() -> impl Iterator<Item = Opgavepakke> {
        (1..=17).map(Opgavepakke)
    }

    pub fn new(nr: u8) -> Option<Self> {
        (1..=17).contains(&nr).then_some(Opgavepakke(nr))
    }

    /// The opgavepakke a database column holds (an integer of either database).
    pub fn from_stored(nr: i64) -> Option<Self> {
        u8::try_from(nr).ok().and_then(Self::new)
    }

    pub fn parse(code: &str) -> Result<Self, OpgavepakkeError> {
        let err = || OpgavepakkeError(code.to_string());
        let nr: u8 = code.trim().parse().map_err(|_| err())?;
        Opgavepakke::new(nr).ok_or_else(err)
    }

    pub fn nr(self) -> u8 {
        self.0
    }

    /// `"01"` … `"17"`, the key used in JSON and URLs.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }

    pub fn gruppe(self) -> Gruppe {
        match self.0 {
            1..=8 => Gruppe::MedDaekninger,
            9 => Gruppe::Ventetrin,
            _ => Gruppe::UdenDaekninger,
        }
    }

    pub fn med_daekninger(self) -> bool {
        self.gruppe() == Gruppe::MedDaekninger
    }

    /// The opgavepakke the same defects land in once the fordring has a dækning (12 → 03).
    /// Opgavepakker already med dækninger (and 09) stay where they are.
    pub fn with_daekning(self) -> Opgavepakke {
        match self.gruppe() {
            Gruppe::UdenDaekninger => Opgavepakke(self.0 - 9),
            _ => self,
        }
    }

    /// The short title, without the med/uden suffix.
    pub fn title(self) -> &'static str {
        match self.0 {
            9 => "Dækning/Afskrivning på KMD Aktiv fordring i ventetrin",
            1..=8 => TITLES[usize::from(self.0 - 1)],
            _ => TITLES[usize::from(self.0 - 10)],
        }
    }

    /// The full name as in the guide: `03 - Manglende ... (med dækninger)`.
    pub fn full_name(self) -> String {
        match self.gruppe() {
            Gruppe::MedDaekninger => format!("{} - {} (med dækninger)", self.code(), self.title()),
            Gruppe::UdenDaekninger => format!("{} - {} (uden dækninger)", self.code(), self.title()),
            Gruppe::Ventetrin => format!("{} - {}", self.code(), self.title()),
        }
    }
}

impl fmt::Display for Opgavepakke {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl TryFrom<u8> for Opgavepakke {
    type Error = OpgavepakkeError;
    fn try_from(nr: u8) -> Result<Self, Self::Error> {
        Opgavepakke::new(nr).ok_or_else(|| OpgavepakkeError(nr.to_string()))
    }
}

impl From<Opgavepakke> for u8 {
    fn from(p: Opgavepakke) -> u8 {
        p.0
    }
}

/// Open tasks per opgavepakke, indexed 1..=17 (index 0 unused), plus the kommune's version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpgavepakkeCounts {
    pub version: i64,
    pub counts: [i64; 18],
    /// The kommune's plan version: a board fetches the deadlines again when it changes.
    pub plan: i64,
}

impl OpgavepakkeCounts {
    pub fn get(&self, opgavepakke: Opgavepakke) -> i64 {
        self.counts[usize::from(opgavepakke.nr())]
    }

    pub fn sum(&self, gruppe: Gruppe) -> i64 {
        Opgavepakke::all().filter(|p| p.gruppe() == gruppe).map(|p| self.get(p)).sum()
    }

    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_out_of_range_is_refused() {
        for p in Opgavepakke::all() {
            assert_eq!(Opgavepakke::parse(&p.code()), Ok(p));
        }
        for bad in ["0", "18", "x", ""] {
            assert!(Opgavepakke::parse(bad).is_err());
        }
    }

    #[test]
    fn uden_opgavepakker_move_to_their_med_twin_and_others_stay() {
        for nr in 10..=17 {
            assert_eq!(Opgavepakke(nr).with_daekning(), Opgavepakke(nr - 9));
        }
        for nr in 1..=9 {
            assert_eq!(Opgavepakke(nr).with_daekning(), Opgavepakke(nr));
        }
    }

    #[test]
    fn full_names_follow_the_guide() {
        assert_eq!(
            Opgavepakke(12).full_name(),
            "12 - Manglende udbetalings- og tilbagebetalingsparagraf (uden dækninger)"
        );
        assert_eq!(Opgavepakke(8).full_name(), "08 - Vælg KMD Aktiv bevilling (med dækninger)");
    }
}
