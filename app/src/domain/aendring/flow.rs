//! The life of an ændringsønske: its statuses, the actions that move it on and who may take
//! them, the automatic notice the requester gets on every change, appeals of rejections, and
//! when a closed ændringsønske disappears from the kommuners' views.

mod notice;
#[cfg(test)]
mod tests;

pub use notice::notice_text;

use super::Criterion;
use crate::domain::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Days a closed ændringsønske stays visible to the kommuner (KOMBIT keeps seeing it).
pub const VISIBLE_DAYS_AFTER_CLOSING: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Oprettet,
    ReturneretTilUddybning,
    Visitering,
    Changeboard,
    Estimering,
    Scoring,
    EndeligPrioritering,
    IBacklog,
    IUdvikling,
    Lukket,
    Afvist,
    Dublet,
}

impl Status {
    pub const ALL: [Status; 12] = [
        Status::Oprettet,
        Status::ReturneretTilUddybning,
        Status::Visitering,
        Status::Changeboard,
        Status::Estimering,
        Status::Scoring,
        Status::EndeligPrioritering,
        Status::IBacklog,
        Status::IUdvikling,
        Status::Lukket,
        Status::Afvist,
        Status::Dublet,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::Oprettet => "oprettet",
            Status::ReturneretTilUddybning => "returneret_til_uddybning",
            Status::Visitering => "visitering",
            Status::Changeboard => "changeboard",
            Status::Estimering => "estimering",
            Status::Scoring => "scoring",
            Status::EndeligPrioritering => "endelig_prioritering",
            Status::IBacklog => "i_backlog",
            Status::IUdvikling => "i_udvikling",
            Status::Lukket => "lukket",
            Status::Afvist => "afvist",
            Status::Dublet => "dublet",
        }
    }

    pub fn parse(key: &str) -> Option<Status> {
        let key = key.trim();
        Status::ALL.into_iter().find(|s| s.key().eq_ignore_ascii_case(key))
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Oprettet => "Oprettet",
            Status::ReturneretTilUddybning => "Returneret til uddybning",
            Status::Visitering => "Visitering",
            Status::Changeboard => "Changeboard",
            Status::Estimering => "Estimering",
            Status::Scoring => "Scoring",
            Status::EndeligPrioritering => "Endelig prioritering",
            Status::IBacklog => "I backlog",
            Status::IUdvikling => "I udvikling",
            Status::Lukket => "Lukket",
            Status::Afvist => "Afvist",
            Status::Dublet => "Dublet",
        }
    }

    /// Closed ændringsønsker are passive: nothing more happens to them, and the kommuner stop seeing
    /// them `VISIBLE_DAYS_AFTER_CLOSING` days after they closed.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Lukket | Status::Afvist | Status::Dublet)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Indsend,
    ReturnerTilUddybning,
    Afvis,
    MarkerSomDublet,
    Videresend,
    SendTilScoring,
    SaetIBacklog,
    StartUdvikling,
    Luk,
    /// The kommune answers a return for elaboration; the ændringsønske goes back to visitering.
    Uddyb,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::Indsend,
        Action::ReturnerTilUddybning,
        Action::Afvis,
        Action::MarkerSomDublet,
        Action::Videresend,
        Action::SendTilScoring,
        Action::SaetIBacklog,
        Action::StartUdvikling,
        Action::Luk,
        Action::Uddyb,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Action::Indsend => "indsend",
            Action::ReturnerTilUddybning => "returner_til_uddybning",
            Action::Afvis => "afvis",
            Action::MarkerSomDublet => "marker_som_dublet",
            Action::Videresend => "videresend",
            Action::SendTilScoring => "send_til_scoring",
            Action::SaetIBacklog => "saet_i_backlog",
            Action::StartUdvikling => "start_udvikling",
            Action::Luk => "luk",
            Action::Uddyb => "uddyb",
        }
    }

    pub fn parse(key: &str) -> Option<Action> {
        let key = key.trim();
        Action::ALL.into_iter().find(|a| a.key().eq_ignore_ascii_case(key))
    }

    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            Action::Indsend => "Indsend",
            Action::ReturnerTilUddybning => "Returnér til uddybning",
            Action::Afvis => "Afvis",
            Action::MarkerSomDublet => "Markér som dublet",
            Action::Videresend => "Send videre",
            Action::SendTilScoring => "Send til scoring",
            Action::SaetIBacklog => "Sæt i backlog",
            Action::StartUdvikling => "Start udvikling",
            Action::Luk => "Luk som udviklet",
            Action::Uddyb => "Send uddybning",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

use Action as A;
use Role::{Kombit, Leverandoer, Supportberettiget};
use Status as S;

/// The shortest way from filing to `target`: the moves an ændringsønske made to get there (for demo
/// histories and imported pipelines).
pub fn path_to(target: Status) -> Vec<(Status, Action, Status)> {
    let mut paths: Vec<Vec<(Status, Action, Status)>> = vec![Vec::new()];
    let mut seen = vec![Status::Oprettet];
    while !paths.is_empty() {
        let mut next = Vec::new();
        for path in paths {
            let at = path.last().map(|(_, _, to)| *to).unwrap_or(Status::Oprettet);
            if at == target {
                return path;
            }
            for (from, action, to, _) in TRANSITIONS {
                if *from == at && !seen.contains(to) {
                    seen.push(*to);
                    let mut longer = path.clone();
                    longer.push((*from, *action, *to));
                    next.push(longer);
                }
            }
        }
        paths = next;
    }
    Vec::new()
}

/// Every allowed move, with the roles that may make it (DOMAIN.md section B).
pub const TRANSITIONS: &[(Status, Action, Status, &[Role])] = &[
    (S::Oprettet, A::Indsend, S::Visitering, &[Supportberettiget]),
    (S::Visitering, A::ReturnerTilUddybning, S::ReturneretTilUddybning, &[Kombit]),
    (S::Visitering, A::Afvis, S::Afvist, &[Kombit]),
    (S::Visitering, A::MarkerSomDublet, S::Dublet, &[Kombit]),
    (S::Visitering, A::Videresend, S::Changeboard, &[Kombit]),
    (S::ReturneretTilUddybning, A::Uddyb, S::Visitering, &[Supportberettiget]),
    // The changeboard is one meeting: the leverandør records its assessment (`may_assess`),
    // KOMBIT records the joint decision (`precondition`: the assessment must be there).
    (S::Changeboard, A::Videresend, S::Estimering, &[Kombit]),
    (S::Changeboard, A::Afvis, S::Afvist, &[Kombit]),
    (S::Estimering, A::SendTilScoring, S::Scoring, &[Leverandoer]),
    (S::Scoring, A::Videresend, S::EndeligPrioritering, &[Kombit]),
    (S::EndeligPrioritering, A::SaetIBacklog, S::IBacklog, &[Kombit]),
    (S::EndeligPrioritering, A::Afvis, S::Afvist, &[Kombit]),
    (S::IBacklog, A::StartUdvikling, S::IUdvikling, &[Kombit]),
    // KOMBIT may still drop an ændringsønske from the backlog.
    (S::IBacklog, A::Afvis, S::Afvist, &[Kombit]),
    (S::IUdvikling, A::Luk, S::Lukket, &[Kombit]),
];

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("»{}« kan ikke bruges, når ændringsønsket har status »{}«.", .action.label(), .from.label())]
    NotAllowedInStatus { from: Status, action: Action },
    #[error("»{}« kan kun udføres af {}.", .action.label(), role_list(.allowed))]
    WrongRole { action: Action, allowed: Vec<Role> },
    #[error("Kun afviste ændringsønsker kan påklages; dette har status »{}«.", .status.label())]
    AppealNotRejected { status: Status },
    #[error("Jeres kommune har allerede klaget over afvisningen. Der kan klages én gang pr. ændringsønske og kommune.")]
    AlreadyAppealed,
    #[error("Klagen er allerede afgjort.")]
    AppealDecided,
    #[error("Kun KOMBIT afgør klager.")]
    AppealWrongRole,
    #[error("Fagfællesskabet vælges under visiteringen; ændringsønsket har status »{}«.", .status.label())]
    RoutingNotInVisitering { status: Status },
    #[error("Kun KOMBIT vælger fagfællesskab.")]
    RoutingWrongRole,
    #[error(
        "Changeboardets beslutning kræver leverandørens vurdering (løsningsmuligheder og gennemførlighed). Leverandøren registrerer den først."
    )]
    NeedsAssessment,
    #[error("Scoringen kan først begynde, når leverandørens estimat er registreret.")]
    NeedsEstimate,
    #[error("Ændringsønsket kan først komme i backloggen, når alle vægtede kriterier er scoret. Mangler scoring: {}.", criteria_list(.missing))]
    NeedsScores { missing: Vec<Criterion> },
    #[error("Leverandørens vurdering registreres på changeboardet; ændringsønsket har status »{}«.", .status.label())]
    AssessmentNotAtChangeboard { status: Status },
    #[error("Kun leverandøren registrerer changeboardets vurdering.")]
    AssessmentWrongRole,
    #[error("Kun en kommunes supportberettigede kan melde, at kommunen også har behovet.")]
    JoinWrongRole,
    #[error("Ændringsønsket har status »{}«; der kan ikke længere meldes behov til det.", .status.label())]
    JoinClosed { status: Status },
    #[error("Jeres kommune står allerede på ændringsønsket.")]
    AlreadyJoined,
}

/// `effekt, udbredelse` — criteria as the UI names them, lower case.
pub fn criteria_list(criteria: &[Criterion]) -> String {
    criteria.iter().map(|c| c.label().to_lowercase()).collect::<Vec<_>>().join(", ")
}

/// What the steps before have left on an ændringsønske, which some actions need (DOMAIN.md B:
/// "each step follows the one before").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// The leverandør's estimate is recorded.
    pub estimate: bool,
    /// The leverandør's changeboard assessment is recorded.
    pub assessment: bool,
    /// Criteria that carry weight in the adopted set and have no score yet.
    pub unscored: Vec<Criterion>,
}

/// Whether what `action` needs from the steps before is there.
pub fn precondition(from: Status, action: Action, facts: &Facts) -> Result<(), FlowError> {
    match (from, action) {
        (S::Changeboard, A::Videresend | A::Afvis) if !facts.assessment => Err(FlowError::NeedsAssessment),
        (S::Estimering, A::SendTilScoring) if !facts.estimate => Err(FlowError::NeedsEstimate),
        (S::EndeligPrioritering, A::SaetIBacklog) if !facts.unscored.is_empty() => {
            Err(FlowError::NeedsScores { missing: facts.unscored.clone() })
        }
        _ => Ok(()),
    }
}

/// The whole rule for an action: status and role (`transition`), then what the steps before
/// must have left (`precondition`).
pub fn decide(from: Status, action: Action, role: Role, facts: &Facts) -> Result<Status, FlowError> {
    let to = transition(from, action, role)?;
    precondition(from, action, facts)?;
    Ok(to)
}

/// KOMBIT confirms or changes the fagfællesskab (and theme) the keywords suggested while it
/// visits the ændringsønske; after visitering the community scoring it stays.
pub fn may_route(status: Status, role: Role) -> Result<(), FlowError> {
    if role != Kombit {
        return Err(FlowError::RoutingWrongRole);
    }
    if status != S::Visitering {
        return Err(FlowError::RoutingNotInVisitering { status });
    }
    Ok(())
}

/// The leverandør records its changeboard assessment while the ændringsønske is at the changeboard.
pub fn may_assess(status: Status, role: Role) -> Result<(), FlowError> {
    if role != Leverandoer {
        return Err(FlowError::AssessmentWrongRole);
    }
    if status != S::Changeboard {
        return Err(FlowError::AssessmentNotAtChangeboard { status });
    }
    Ok(())
}

fn role_list(roles: &[Role]) -> String {
    let labels: Vec<&str> = roles.iter().map(|r| r.label()).collect();
    match labels.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} eller {last}", rest.join(", ")),
        _ => labels.concat(),
    }
}

/// The status after `action`, or why `role` may not take it now.
pub fn transition(from: Status, action: Action, role: Role) -> Result<Status, FlowError> {
    let (_, _, to, roles) = TRANSITIONS
        .iter()
        .find(|(f, a, _, _)| *f == from && *a == action)
        .ok_or(FlowError::NotAllowedInStatus { from, action })?;
    if roles.contains(&role) { Ok(*to) } else { Err(FlowError::WrongRole { action, allowed: roles.to_vec() }) }
}

/// The buttons to show `role` on an ændringsønske in status `from`, in process order.
pub fn allowed_actions(from: Status, role: Role) -> Vec<Action> {
    TRANSITIONS.iter().filter(|(f, _, _, roles)| *f == from && roles.contains(&role)).map(|(_, a, _, _)| *a).collect()
}

/// KOMBIT's answer to an appeal: the rejection stands (with a reply), or the ændringsønske is
/// reopened into visitering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealDecision {
    Fasthold,
    Genoptag,
}

impl AppealDecision {
    pub const ALL: [AppealDecision; 2] = [AppealDecision::Fasthold, AppealDecision::Genoptag];

    pub fn key(self) -> &'static str {
        match self {
            AppealDecision::Fasthold => "fasthold",
            AppealDecision::Genoptag => "genoptag",
        }
    }

    pub fn parse(key: &str) -> Option<AppealDecision> {
        AppealDecision::ALL.into_iter().find(|d| d.key() == key.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            AppealDecision::Fasthold => "Afvisningen fastholdes",
            AppealDecision::Genoptag => "Genoptaget til visitering",
        }
    }
}

/// The status after KOMBIT's decision on an appeal of an ændringsønske in `status`: upheld, it
/// stays as it is; reopened, a rejected one goes back to visitering (an ændringsønske another
/// kommune's appeal reopened already stays where it is now).
pub fn decide_appeal(
    status: Status,
    already_decided: bool,
    role: Role,
    decision: AppealDecision,
) -> Result<Status, FlowError> {
    if role != Kombit {
        return Err(FlowError::AppealWrongRole);
    }
    if already_decided {
        return Err(FlowError::AppealDecided);
    }
    Ok(match (decision, status) {
        (AppealDecision::Genoptag, S::Afvist) => S::Visitering,
        _ => status,
    })
}

/// A kommune may appeal a rejection it finds critical, once per ændringsønske and kommune.
pub fn may_appeal(status: Status, already_appealed: bool) -> Result<(), FlowError> {
    if status != Status::Afvist {
        return Err(FlowError::AppealNotRejected { status });
    }
    if already_appealed {
        return Err(FlowError::AlreadyAppealed);
    }
    Ok(())
}

/// "Vi har også behovet": a kommune's support user adds their kommune to an open ændringsønske
/// another kommune filed (counted like a merged duplicate, and told of its changes).
pub fn may_join(status: Status, role: Role, already_wanted: bool) -> Result<(), FlowError> {
    if role != Role::Supportberettiget {
        return Err(FlowError::JoinWrongRole);
    }
    if status.is_closed() || status == Status::Oprettet {
        return Err(FlowError::JoinClosed { status });
    }
    if already_wanted {
        return Err(FlowError::AlreadyJoined);
    }
    Ok(())
}

/// Whether kommune users still see the ændringsønske. A closed ændringsønske is hidden from the 30th day
/// after closing (closed 1 March → last seen 30 March). A closed ændringsønske without a closing date
/// stays visible: hiding it would lose a kommune's ændringsønske on a data error.
pub fn visible_to_kommuner(status: Status, closed_at: Option<NaiveDate>, today: NaiveDate) -> bool {
    match (status.is_closed(), closed_at) {
        (true, Some(closed)) => closed >= first_visible_closing_day(today),
        _ => true,
    }
}

/// The earliest closing date whose ændringsønsker kommune users still see `today`: the lists
/// filter on it (`closed_at >= …`), so they and `visible_to_kommuner` are one rule.
pub fn first_visible_closing_day(today: NaiveDate) -> NaiveDate {
    today - chrono::Duration::days(VISIBLE_DAYS_AFTER_CLOSING - 1)
}
