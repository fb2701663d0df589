//! Every (status × action × role) combination checked against the process as written in
//! DOMAIN.md, kept here as plain text so a slip in `TRANSITIONS` cannot hide in both places.

use super::*;
use std::str::FromStr;

/// from, action, to, roles allowed.
const PROCESS: &str = "
    oprettet                 indsend                 visitering               supportberettiget
    visitering               returner_til_uddybning  returneret_til_uddybning kombit
    visitering               afvis                   afvist                   kombit
    visitering               marker_som_dublet       dublet                   kombit
    visitering               videresend              changeboard              kombit
    returneret_til_uddybning uddyb                   visitering               supportberettiget
    changeboard              videresend              estimering               kombit
    changeboard              afvis                   afvist                   kombit
    estimering               send_til_scoring        scoring                  leverandoer
    scoring                  videresend              endelig_prioritering     kombit
    endelig_prioritering     saet_i_backlog          i_backlog                kombit
    endelig_prioritering     afvis                   afvist                   kombit
    i_backlog                start_udvikling         i_udvikling              kombit
    i_backlog                afvis                   afvist                   kombit
    i_udvikling              luk                     lukket                   kombit
";

fn process() -> Vec<(Status, Action, Status, Vec<Role>)> {
    PROCESS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let roles = cols[3].split(',').map(|r| Role::from_str(r).unwrap()).collect();
            (Status::parse(cols[0]).unwrap(), Action::parse(cols[1]).unwrap(), Status::parse(cols[2]).unwrap(), roles)
        })
        .collect()
}

#[test]
fn every_status_action_and_role_combination_follows_the_process() {
    let process = process();
    let mut allowed = 0;
    for from in Status::ALL {
        for action in Action::ALL {
            let row = process.iter().find(|(f, a, _, _)| *f == from && *a == action);
            for role in Role::ALL {
                let expected = match row {
                    None => Err(FlowError::NotAllowedInStatus { from, action }),
                    Some((_, _, to, roles)) if roles.contains(&role) => Ok(*to),
                    Some((_, _, _, roles)) => Err(FlowError::WrongRole { action, allowed: roles.clone() }),
                };
                allowed += usize::from(expected.is_ok());
                assert_eq!(transition(from, action, role), expected, "{from:?} --{action:?}--> as {role:?}");
            }
        }
    }
    assert_eq!(allowed, 15, "15 transitions, each for one role");
}

#[test]
fn the_buttons_shown_are_exactly_the_actions_that_would_succeed() {
    for from in Status::ALL {
        for role in Role::ALL {
            let shown = allowed_actions(from, role);
            let succeed: Vec<Action> = Action::ALL.into_iter().filter(|a| transition(from, *a, role).is_ok()).collect();
            let mut sorted = shown.clone();
            sorted.sort_by_key(|a| Action::ALL.iter().position(|x| x == a));
            assert_eq!(sorted, succeed, "{from:?} as {role:?}");
        }
    }
    assert_eq!(allowed_actions(Status::Lukket, Role::Kombit), []);
    assert_eq!(allowed_actions(Status::Changeboard, Role::Leverandoer), []);
    assert_eq!(allowed_actions(Status::Changeboard, Role::Kombit), [Action::Videresend, Action::Afvis]);
}

#[test]
fn closed_statuses_have_no_way_out() {
    for from in Status::ALL.into_iter().filter(|s| s.is_closed()) {
        assert!(Role::ALL.iter().all(|r| allowed_actions(from, *r).is_empty()), "{from:?}");
    }
    let closed: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_closed()).collect();
    assert_eq!(closed, [Status::Lukket, Status::Afvist, Status::Dublet]);
}

#[test]
fn refusals_explain_themselves_in_danish() {
    let e = transition(Status::Changeboard, Action::Afvis, Role::Supportberettiget).unwrap_err();
    assert_eq!(e.to_string(), "»Afvis« kan kun udføres af KOMBIT.");
    let e = transition(Status::Lukket, Action::Afvis, Role::Kombit).unwrap_err();
    assert_eq!(e.to_string(), "»Afvis« kan ikke bruges, når ændringsønsket har status »Lukket«.");
}

#[test]
fn every_transition_sends_a_specific_notice_to_the_requester() {
    for (from, _, to, _) in process() {
        let text = notice_text(from, to);
        assert!(
            text.starts_with("Dit ændringsønske")
                || text.starts_with("Tak")
                || text.starts_with("KOMBIT")
                || text.starts_with("Udviklingen"),
            "{text}"
        );
        assert!(!text.contains("skiftet status"), "{from:?} → {to:?} fell through to the generic text");
    }
    assert_eq!(
        notice_text(Status::Visitering, Status::Changeboard),
        "Dit ændringsønske er sendt videre til changeboard, hvor KOMBIT og leverandøren drøfter løsningsmuligheder."
    );
    assert!(notice_text(Status::Visitering, Status::Afvist).contains("klage"));
}

#[test]
fn only_a_rejected_aendring_may_be_appealed_and_only_once() {
    assert_eq!(may_appeal(Status::Afvist, false), Ok(()));
    assert_eq!(may_appeal(Status::Afvist, true), Err(FlowError::AlreadyAppealed));
    for status in Status::ALL.into_iter().filter(|s| *s != Status::Afvist) {
        assert_eq!(may_appeal(status, false), Err(FlowError::AppealNotRejected { status }));
    }
}

#[test]
fn a_closed_aendring_disappears_for_kommuner_30_days_after_closing() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let closed = Some(d("2024-03-01"));
    for status in [Status::Lukket, Status::Afvist, Status::Dublet] {
        assert!(visible_to_kommuner(status, closed, d("2024-03-01")));
        assert!(visible_to_kommuner(status, closed, d("2024-03-30")));
        assert!(!visible_to_kommuner(status, closed, d("2024-03-31")));
        assert!(visible_to_kommuner(status, None, d("2030-01-01")));
    }
    assert!(visible_to_kommuner(Status::IBacklog, closed, d("2030-01-01")));
}

#[test]
fn status_and_action_keys_round_trip_and_match_their_serde_names() {
    for s in Status::ALL {
        assert_eq!(Status::parse(s.key()), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.key()));
    }
    for a in Action::ALL {
        assert_eq!(Action::parse(a.key()), Some(a));
        assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.key()));
    }
    assert_eq!(Status::IBacklog.key(), "i_backlog");
    assert_eq!(Status::parse("ukendt"), None);
}

#[test]
fn the_path_to_the_backlog_goes_through_every_step_of_the_process() {
    let path: Vec<Status> = super::path_to(Status::IBacklog).into_iter().map(|(_, _, to)| to).collect();
    assert_eq!(
        path,
        [
            Status::Visitering,
            Status::Changeboard,
            Status::Estimering,
            Status::Scoring,
            Status::EndeligPrioritering,
            Status::IBacklog
        ]
    );
    assert_eq!(super::path_to(Status::Afvist).len(), 2);
    assert!(super::path_to(Status::Oprettet).is_empty());
}

/// Every transition × role × precondition: an action the role may take in the status succeeds
/// exactly when what it needs from the step before is there; the refusal says what is missing.
#[test]
fn each_step_needs_the_step_before() {
    let all_facts = [
        Facts::default(),
        Facts { estimate: true, ..Facts::default() },
        Facts { assessment: true, ..Facts::default() },
        Facts { unscored: vec![Criterion::Effekt], ..Facts::default() },
        Facts { estimate: true, assessment: true, unscored: Vec::new() },
    ];
    for (from, action, to, roles) in process() {
        for role in Role::ALL {
            for facts in &all_facts {
                let needed = match (from, action) {
                    (Status::Changeboard, _) => (!facts.assessment).then_some(FlowError::NeedsAssessment),
                    (Status::Estimering, Action::SendTilScoring) => {
                        (!facts.estimate).then_some(FlowError::NeedsEstimate)
                    }
                    (Status::EndeligPrioritering, Action::SaetIBacklog) => {
                        (!facts.unscored.is_empty()).then(|| FlowError::NeedsScores { missing: facts.unscored.clone() })
                    }
                    _ => None,
                };
                let expected = if !roles.contains(&role) {
                    Err(FlowError::WrongRole { action, allowed: roles.clone() })
                } else if let Some(e) = needed {
                    Err(e)
                } else {
                    Ok(to)
                };
                assert_eq!(
                    decide(from, action, role, facts),
                    expected,
                    "{from:?} --{action:?}--> as {role:?} with {facts:?}"
                );
            }
        }
    }
    let e = decide(
        Status::EndeligPrioritering,
        Action::SaetIBacklog,
        Role::Kombit,
        &Facts { unscored: vec![Criterion::Effekt, Criterion::Udbredelse], ..Facts::default() },
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Ændringsønsket kan først komme i backloggen, når alle vægtede kriterier er scoret. Mangler scoring: effekt, udbredelse."
    );
}

#[test]
fn only_the_leverandoer_assesses_and_only_at_the_changeboard() {
    assert_eq!(may_assess(Status::Changeboard, Role::Leverandoer), Ok(()));
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Leverandoer) {
        assert_eq!(may_assess(Status::Changeboard, role), Err(FlowError::AssessmentWrongRole));
    }
    for status in Status::ALL.into_iter().filter(|s| *s != Status::Changeboard) {
        assert_eq!(may_assess(status, Role::Leverandoer), Err(FlowError::AssessmentNotAtChangeboard { status }));
    }
}

#[test]
fn kombit_decides_an_appeal_once_and_only_a_rejection_is_reopened() {
    use AppealDecision::{Fasthold, Genoptag};
    assert_eq!(decide_appeal(Status::Afvist, false, Role::Kombit, Genoptag), Ok(Status::Visitering));
    assert_eq!(decide_appeal(Status::Afvist, false, Role::Kombit, Fasthold), Ok(Status::Afvist));
    // reopened by another kommune's appeal already: it stays where it is
    assert_eq!(decide_appeal(Status::Scoring, false, Role::Kombit, Genoptag), Ok(Status::Scoring));
    assert_eq!(decide_appeal(Status::Afvist, true, Role::Kombit, Fasthold), Err(FlowError::AppealDecided));
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Kombit) {
        assert_eq!(decide_appeal(Status::Afvist, false, role, Genoptag), Err(FlowError::AppealWrongRole));
    }
    assert_eq!(AppealDecision::parse("genoptag"), Some(Genoptag));
}

#[test]
fn only_kombit_routes_and_only_during_visitering() {
    assert_eq!(may_route(Status::Visitering, Role::Kombit), Ok(()));
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Kombit) {
        assert_eq!(may_route(Status::Visitering, role), Err(FlowError::RoutingWrongRole));
    }
    for status in Status::ALL.into_iter().filter(|s| *s != Status::Visitering) {
        assert_eq!(may_route(status, Role::Kombit), Err(FlowError::RoutingNotInVisitering { status }));
    }
}

#[test]
fn only_a_support_user_joins_an_open_aendring_once() {
    for status in Status::ALL {
        for role in Role::ALL {
            let allowed = role == Role::Supportberettiget && !status.is_closed() && status != Status::Oprettet;
            assert_eq!(may_join(status, role, false).is_ok(), allowed, "{status:?} {role:?}");
        }
    }
    assert_eq!(may_join(Status::Visitering, Role::Supportberettiget, true), Err(FlowError::AlreadyJoined));
    assert_eq!(
        may_join(Status::Afvist, Role::Supportberettiget, false),
        Err(FlowError::JoinClosed { status: Status::Afvist })
    );
}
