//! Kommunenumre: the 98 Danish municipalities, each a 3-digit number.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Kommunenr(u16);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} er ikke et kommunenummer (tre cifre, fx 751 for Aarhus)")]
pub struct KommunenrError(pub String);

impl Kommunenr {
    pub fn parse(input: &str) -> Result<Self, KommunenrError> {
        let s = input.trim();
        let err = || KommunenrError(s.to_string());
        if s.len() != 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        Kommunenr::try_from(s.parse::<u16>().map_err(|_| err())?)
    }

    pub fn get(self) -> u16 {
        self.0
    }

    pub fn navn(self) -> &'static str {
        KOMMUNER.iter().find(|(nr, _)| *nr == self.0).map(|(_, navn)| *navn).unwrap_or("ukendt kommune")
    }

    /// The name of a kommune number as stored (an integer column); empty when it is no kommune.
    pub fn name_of(nr: i64) -> &'static str {
        u16::try_from(nr).ok().and_then(|k| Kommunenr::try_from(k).ok()).map_or("", Kommunenr::navn)
    }

    pub fn all() -> impl Iterator<Item = Kommunenr> {
        KOMMUNER.iter().map(|(nr, _)| Kommunenr(*nr))
    }
}

impl TryFrom<u16> for Kommunenr {
    type Error = KommunenrError;
    fn try_from(nr: u16) -> Result<Self, Self::Error> {
        if KOMMUNER.iter().any(|(k, _)| *k == nr) { Ok(Kommunenr(nr)) } else { Err(KommunenrError(format!("{nr:03}"))) }
    }
}

impl From<Kommunenr> for u16 {
    fn from(k: Kommunenr) -> u16 {
        k.0
    }
}

impl fmt::Display for Kommunenr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

const KOMMUNER: [(u16, &str); 98] = [
    (101, "København"),
    (147, "Frederiksberg"),
    (151, "Ballerup"),
    (153, "Brøndby"),
    (155, "Dragør"),
    (157, "Gentofte"),
    (159, "Gladsaxe"),
    (161, "Glostrup"),
    (163, "Herlev"),
    (165, "Albertslund"),
    (167, "Hvidovre"),
    (169, "Høje-Taastrup"),
    (173, "Lyngby-Taarbæk"),
    (175, "Rødovre"),
    (183, "Ishøj"),
    (185, "Tårnby"),
    (187, "Vallensbæk"),
    (190, "Furesø"),
    (201, "Allerød"),
    (210, "Fredensborg"),
    (217, "Helsingør"),
    (219, "Hillerød"),
    (223, "Hørsholm"),
    (230, "Rudersdal"),
    (240, "Egedal"),
    (250, "Frederikssund"),
    (253, "Greve"),
    (259, "Køge"),
    (260, "Halsnæs"),
    (265, "Roskilde"),
    (269, "Solrød"),
    (270, "Gribskov"),
    (306, "Odsherred"),
    (316, "Holbæk"),
    (320, "Faxe"),
    (326, "Kalundborg"),
    (329, "Ringsted"),
    (330, "Slagelse"),
    (336, "Stevns"),
    (340, "Sorø"),
    (350, "Lejre"),
    (360, "Lolland"),
    (370, "Næstved"),
    (376, "Guldborgsund"),
    (390, "Vordingborg"),
    (400, "Bornholm"),
    (410, "Middelfart"),
    (420, "Assens"),
    (430, "Faaborg-Midtfyn"),
    (440, "Kerteminde"),
    (450, "Nyborg"),
    (461, "Odense"),
    (479, "Svendborg"),
    (480, "Nordfyns"),
    (482, "Langeland"),
    (492, "Ærø"),
    (510, "Haderslev"),
    (530, "Billund"),
    (540, "Sønderborg"),
    (550, "Tønder"),
    (561, "Esbjerg"),
    (563, "Fanø"),
    (573, "Varde"),
    (575, "Vejen"),
    (580, "Aabenraa"),
    (607, "Fredericia"),
    (615, "Horsens"),
    (621, "Kolding"),
    (630, "Vejle"),
    (657, "Herning"),
    (661, "Holstebro"),
    (665, "Lemvig"),
    (671, "Struer"),
    (706, "Syddjurs"),
    (707, "Norddjurs"),
    (710, "Favrskov"),
    (727, "Odder"),
    (730, "Randers"),
    (740, "Silkeborg"),
    (741, "Samsø"),
    (746, "Skanderborg"),
    (751, "Aarhus"),
    (756, "Ikast-Brande"),
    (760, "Ringkøbing-Skjern"),
    (766, "Hedensted"),
    (773, "Morsø"),
    (779, "Skive"),
    (787, "Thisted"),
    (791, "Viborg"),
    (810, "Brønderslev"),
    (813, "Frederikshavn"),
    (820, "Vesthimmerlands"),
    (825, "Læsø"),
    (840, "Rebild"),
    (846, "Mariagerfjord"),
    (849, "Jammerbugt"),
    (851, "Aalborg"),
    (860, "Hjørring"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_98_distinct_kommuner() {
        let mut nrs: Vec<u16> = KOMMUNER.iter().map(|(n, _)| *n).collect();
        nrs.dedup();
        assert_eq!(nrs.len(), 98);
    }

    #[test]
    fn parses_three_digit_numbers_of_real_kommuner_only() {
        assert_eq!(Kommunenr::parse("751").unwrap().navn(), "Aarhus");
        assert_eq!(Kommunenr::parse(" 101 ").unwrap().to_string(), "101");
        for bad in ["75", "7510", "abc", "999", "411", ""] {
            assert!(Kommunenr::parse(bad).is_err(), "{bad}");
        }
    }
}
