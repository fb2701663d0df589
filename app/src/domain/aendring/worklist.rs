//! Each role's worklist: what waits for it in the flow. The start page counts each list and the
//! ændringsønske list shows it (`?venter=KEY`) with the same filter, so a count is what it lists.

use super::{Criterion, Status};
use crate::domain::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Worklist {
    /// KOMBIT: filed or elaborated, waiting for visitering.
    Visitering,
    /// KOMBIT: at the changeboard with the leverandør's assessment — ready for the decision.
    ChangeboardDecision,
    /// KOMBIT: scored, waiting for the final prioritization.
    FinalPrioritization,
    /// Leverandør: at the changeboard without its assessment.
    Assessment,
    /// Leverandør: in estimering without an estimate.
    Estimate,
    /// Leverandør: realiserbarhed criteria it has not scored.
    Realiserbarhed,
    /// Fagfællesskab member: in scoring in the member's community, criteria the member has not scored.
    Score,
    /// Supportberettiget: returned to the kommune for elaboration.
    Elaboration,
}

impl Worklist {
    pub const ALL: [Worklist; 8] = [
        Worklist::Visitering,
        Worklist::ChangeboardDecision,
        Worklist::FinalPrioritization,
        Worklist::Assessment,
        Worklist::Estimate,
        Worklist::Realiserbarhed,
        Worklist::Score,
        Worklist::Elaboration,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Worklist::Visitering => "visitering",
            Worklist::ChangeboardDecision => "changeboard",
            Worklist::FinalPrioritization => "prioritering",
            Worklist::Assessment => "vurdering",
            Worklist::Estimate => "estimat",
            Worklist::Realiserbarhed => "realiserbarhed",
            Worklist::Score => "score",
            Worklist::Elaboration => "uddybning",
        }
    }

    pub fn parse(key: &str) -> Option<Worklist> {
        Worklist::ALL.into_iter().find(|w| w.key() == key.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Worklist::Visitering => "Venter på visitering",
            Worklist::ChangeboardDecision => "Klar til changeboardets beslutning",
            Worklist::FinalPrioritization => "Klar til endelig prioritering",
            Worklist::Assessment => "Venter på min changeboard-vurdering",
            Worklist::Estimate => "Venter på mit estimat",
            Worklist::Realiserbarhed => "Venter på min scoring af realiserbarhed",
            Worklist::Score => "Venter på min scoring",
            Worklist::Elaboration => "Returneret til uddybning hos os",
        }
    }

    /// Whose list it is.
    pub fn role(self) -> Role {
        match self {
            Worklist::Visitering | Worklist::ChangeboardDecision | Worklist::FinalPrioritization => Role::Kombit,
            Worklist::Assessment | Worklist::Estimate | Worklist::Realiserbarhed => Role::Leverandoer,
            Worklist::Score => Role::Fagfaellesskab,
            Worklist::Elaboration => Role::Supportberettiget,
        }
    }

    pub fn for_role(role: Role) -> impl Iterator<Item = Worklist> {
        Worklist::ALL.into_iter().filter(move |w| w.role() == role)
    }

    /// The statuses the list holds.
    pub fn statuses(self) -> &'static [Status] {
        match self {
            Worklist::Visitering => &[Status::Visitering],
            Worklist::ChangeboardDecision | Worklist::Assessment => &[Status::Changeboard],
            Worklist::FinalPrioritization => &[Status::EndeligPrioritering],
            Worklist::Estimate => &[Status::Estimering],
            Worklist::Realiserbarhed => &[Status::Estimering, Status::Scoring, Status::EndeligPrioritering],
            Worklist::Score => &[Status::Scoring],
            Worklist::Elaboration => &[Status::ReturneretTilUddybning],
        }
    }

    /// The criteria the viewer still owes a score on, for the scoring lists.
    pub fn owed_criteria(self) -> Vec<Criterion> {
        match self {
            Worklist::Realiserbarhed => {
                Criterion::ALL.into_iter().filter(|c| c.scored_by() == Role::Leverandoer).collect()
            }
            Worklist::Score => Criterion::ALL.into_iter().filter(|c| c.scored_by() == Role::Fagfaellesskab).collect(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_worklist_has_one_role_a_key_and_statuses_the_role_acts_in() {
        for w in Worklist::ALL {
            assert_eq!(Worklist::parse(w.key()), Some(w));
            assert!(!w.statuses().is_empty());
            assert!(Worklist::for_role(w.role()).any(|x| x == w));
        }
        assert_eq!(Worklist::Score.owed_criteria().len(), 6);
        assert_eq!(Worklist::Realiserbarhed.owed_criteria().len(), 3);
        assert_eq!(Worklist::for_role(Role::Styregruppe).count(), 0);
    }
}
