//! The nine scoring criteria of an ændringsønske, their groups and who scores them, and the
//! 1–5 score itself. The criterion keys are a fixed JSON/CSV contract (CONTRACT.md).

use crate::domain::Role;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    Anvendelighed,
    Faglighed,
    Ibrugtagning,
    Effekt,
    Effektivisering,
    Udbredelse,
    Kompleksitet,
    Baeredygtighed,
    Anskaffelsespris,
}

/// The three groups of the scoring sheet; the first two are scored by the fagfællesskaber,
/// the last by the leverandør.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionGroup {
    VaerdiForBrugeren,
    VaerdiForEjeren,
    Realiserbarhed,
}

impl CriterionGroup {
    pub const ALL: [CriterionGroup; 3] =
        [CriterionGroup::VaerdiForBrugeren, CriterionGroup::VaerdiForEjeren, CriterionGroup::Realiserbarhed];

    pub fn label(self) -> &'static str {
        match self {
            CriterionGroup::VaerdiForBrugeren => "Værdi for brugeren",
            CriterionGroup::VaerdiForEjeren => "Værdi for ejeren",
            CriterionGroup::Realiserbarhed => "Realiserbarhed",
        }
    }

    pub fn criteria(self) -> impl Iterator<Item = Criterion> {
        Criterion::ALL.into_iter().filter(move |c| c.group() == self)
    }
}

impl Criterion {
    /// In the order of the scoring sheet; `index()` is the position here.
    pub const ALL: [Criterion; 9] = [
        Criterion::Anvendelighed,
        Criterion::Faglighed,
        Criterion::Ibrugtagning,
        Criterion::Effekt,
        Criterion::Effektivisering,
        Criterion::Udbredelse,
        Criterion::Kompleksitet,
        Criterion::Baeredygtighed,
        Criterion::Anskaffelsespris,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn key(self) -> &'static str {
        match self {
            Criterion::Anvendelighed => "anvendelighed",
            Criterion::Faglighed => "faglighed",
            Criterion::Ibrugtagning => "ibrugtagning",
            Criterion::Effekt => "effekt",
            Criterion::Effektivisering => "effektivisering",
            Criterion::Udbredelse => "udbredelse",
            Criterion::Kompleksitet => "kompleksitet",
            Criterion::Baeredygtighed => "baeredygtighed",
            Criterion::Anskaffelsespris => "anskaffelsespris",
        }
    }

    pub fn parse(key: &str) -> Option<Criterion> {
        let key = key.trim();
        Criterion::ALL.into_iter().find(|c| c.key().eq_ignore_ascii_case(key))
    }

    pub fn label(self) -> &'static str {
        match self {
            Criterion::Anvendelighed => "Anvendelighed",
            Criterion::Faglighed => "Faglighed",
            Criterion::Ibrugtagning => "Ibrugtagning",
            Criterion::Effekt => "Effekt",
            Criterion::Effektivisering => "Effektivisering",
            Criterion::Udbredelse => "Udbredelse",
            Criterion::Kompleksitet => "Kompleksitet",
            Criterion::Baeredygtighed => "Bæredygtighed",
            Criterion::Anskaffelsespris => "Anskaffelsespris",
        }
    }

    /// The question the scorer answers, worded as on KOMBIT's scoring sheet.
    pub fn question(self) -> &'static str {
        match self {
            Criterion::Anvendelighed => "Gør ændringen det nemmere at bruge KY?",
            Criterion::Faglighed => "Sætter ændringen brugeren i stand til nemmere at levere en fagligt bedre service?",
            Criterion::Ibrugtagning => "Er ændringen nem at lære og tage i anvendelse?",
            Criterion::Effekt => "Giver ændringen en bedre service af borgerne?",
            Criterion::Effektivisering => {
                "Reducerer ændringen arbejdsmængden (øger automatisering, bedre prioritering, bedre planlægning)?"
            }
            Criterion::Udbredelse => "Løser ændringen et problem for mange slutbrugere?",
            Criterion::Kompleksitet => {
                "Fra et design-, udviklings- og testsynspunkt: Hvor nemt bliver det at levere ændringen, \
                 og hvor hurtigt kan det gøres?"
            }
            Criterion::Baeredygtighed => {
                "I hvor høj grad er ændringen bæredygtig i forhold til belastning af driftskapacitet \
                 og omkostninger til vedligeholdelse og support?"
            }
            Criterion::Anskaffelsespris => "Er ændringen billig at fremstille og implementere?",
        }
    }

    /// The label with soft hyphens where a narrow column header may break it (the matrix).
    pub fn label_hyphenated(self) -> &'static str {
        match self {
            Criterion::Anvendelighed => "Anvendelig\u{ad}hed",
            Criterion::Faglighed => "Faglighed",
            Criterion::Ibrugtagning => "Ibrugtag\u{ad}ning",
            Criterion::Effekt => "Effekt",
            Criterion::Effektivisering => "Effektivi\u{ad}sering",
            Criterion::Udbredelse => "Udbredelse",
            Criterion::Kompleksitet => "Kompleksi\u{ad}tet",
            Criterion::Baeredygtighed => "Bæredygtig\u{ad}hed",
            Criterion::Anskaffelsespris => "Anskaffelses\u{ad}pris",
        }
    }

    /// What 1 and 5 mean on this criterion (higher is always better for the backlog): shown
    /// where people score, so nobody reads 1 on anskaffelsespris as "cheap".
    pub fn scale(self) -> (&'static str, &'static str) {
        match self {
            Criterion::Anvendelighed => ("gør ikke KY nemmere at bruge", "gør KY meget nemmere at bruge"),
            Criterion::Faglighed => ("hjælper ikke fagligt", "giver en markant fagligt bedre service"),
            Criterion::Ibrugtagning => ("svær at lære og tage i brug", "lige til at tage i brug"),
            Criterion::Effekt => ("ingen mærkbar forskel for borgerne", "markant bedre service for borgerne"),
            Criterion::Effektivisering => ("sparer ikke arbejde", "sparer meget arbejde"),
            Criterion::Udbredelse => ("løser et problem for få brugere", "løser et problem for mange brugere"),
            Criterion::Kompleksitet => ("svær og langsom at levere", "nem og hurtig at levere"),
            Criterion::Baeredygtighed => ("dyr i drift og vedligehold", "let i drift og vedligehold"),
            Criterion::Anskaffelsespris => ("dyr at udvikle og implementere", "billig at udvikle og implementere"),
        }
    }

    /// `1 = dyr at udvikle …, 5 = billig at …`: the scale in one line.
    pub fn scale_text(self) -> String {
        let (low, high) = self.scale();
        format!("1 = {low}, 5 = {high}")
    }

    pub fn group(self) -> CriterionGroup {
        match self {
            Criterion::Anvendelighed | Criterion::Faglighed | Criterion::Ibrugtagning => {
                CriterionGroup::VaerdiForBrugeren
            }
            Criterion::Effekt | Criterion::Effektivisering | Criterion::Udbredelse => CriterionGroup::VaerdiForEjeren,
            Criterion::Kompleksitet | Criterion::Baeredygtighed | Criterion::Anskaffelsespris => {
                CriterionGroup::Realiserbarhed
            }
        }
    }

    pub fn scored_by(self) -> Role {
        match self.group() {
            CriterionGroup::VaerdiForBrugeren | CriterionGroup::VaerdiForEjeren => Role::Fagfaellesskab,
            CriterionGroup::Realiserbarhed => Role::Leverandoer,
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("ukendt kriterium {0:?}")]
pub struct CriterionError(pub String);

impl FromStr for Criterion {
    type Err = CriterionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Criterion::parse(s).ok_or_else(|| CriterionError(s.to_string()))
    }
}

/// One scorer's score of one criterion: 1 (lowest) to 5 (highest), higher is always better,
/// also for the realiserbarhed criteria (5 = simple, sustainable, cheap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("En score skal være et helt tal fra 1 til 5 (fik {0}).")]
pub struct ScoreError(pub u8);

impl Score {
    pub const MIN: Score = Score(1);
    pub const MAX: Score = Score(5);

    pub fn new(value: u8) -> Result<Score, ScoreError> {
        if (1..=5).contains(&value) { Ok(Score(value)) } else { Err(ScoreError(value)) }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = ScoreError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Score::new(value)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_criterion_key_parses_back_to_the_same_criterion_and_serializes_as_that_key() {
        for (i, c) in Criterion::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Criterion::parse(c.key()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.key()));
        }
        assert_eq!(Criterion::parse("Bæredygtighed"), None);
    }

    #[test]
    fn the_criterion_keys_are_exactly_the_published_contract() {
        let keys: Vec<&str> = Criterion::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(
            keys,
            [
                "anvendelighed",
                "faglighed",
                "ibrugtagning",
                "effekt",
                "effektivisering",
                "udbredelse",
                "kompleksitet",
                "baeredygtighed",
                "anskaffelsespris"
            ]
        );
    }

    #[test]
    fn the_fagfaellesskab_scores_value_and_the_leverandoer_scores_realiserbarhed() {
        let by: Vec<Role> = Criterion::ALL.iter().map(|c| c.scored_by()).collect();
        assert_eq!(&by[..6], &[Role::Fagfaellesskab; 6]);
        assert_eq!(&by[6..], &[Role::Leverandoer; 3]);
        assert_eq!(CriterionGroup::Realiserbarhed.criteria().count(), 3);
        assert_eq!(Criterion::Baeredygtighed.label(), "Bæredygtighed");
    }

    #[test]
    fn a_score_accepts_one_to_five_and_nothing_else() {
        for v in 0..=255u8 {
            assert_eq!(Score::new(v).is_ok(), (1..=5).contains(&v), "{v}");
        }
        assert!(serde_json::from_str::<Score>("6").is_err());
        assert_eq!(serde_json::from_str::<Score>("4").unwrap().get(), 4);
    }
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    #[test]
    fn every_criterion_says_what_1_and_5_mean_with_higher_better() {
        for c in Criterion::ALL {
            let (low, high) = c.scale();
            assert_ne!(low, high, "{c:?}");
        }
        assert_eq!(
            Criterion::Anskaffelsespris.scale_text(),
            "1 = dyr at udvikle og implementere, 5 = billig at udvikle og implementere"
        );
    }
}
