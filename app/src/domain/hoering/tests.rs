use super::*;
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn every_category_reads_back_from_its_key_and_has_the_slides_heading() {
    for t in Triage::ALL {
        assert_eq!(Triage::parse(t.key()), Some(t));
        assert_eq!(Triage::ALL[t.index()], t);
    }
    assert_eq!(Triage::parse("noget andet"), None);
    assert_eq!(
        Triage::IkkeYderligere(IkkeYderligere::AlleredeIMaterialet).reply_heading(),
        "Bearbejdes ikke yderligere i udbudsmaterialet fordi:"
    );
    assert_eq!(Triage::IndarbejdetStraks.reply_heading(), "Indarbejdet i udbudsmaterialet:");
    assert_eq!(Triage::KraeverAnalyse(Analyse::SenereVersion).reply_heading(), "KY version 2.X:");
    let only: Vec<_> = Triage::ALL.into_iter().filter(|t| t.makes_aendring()).collect();
    assert_eq!(only, [Triage::KraeverAnalyse(Analyse::SenereVersion)]);
}

#[test]
fn a_reply_is_the_quote_then_the_heading_then_the_working_groups_comment() {
    let text = format_reply(
        " Ferie for egen regning bør give en afbrydelse. ",
        Triage::KraeverAnalyse(Analyse::SenereVersion),
        "Jobcenter-snitfladen understøtter ikke dette.",
        Some("Man vil gerne se folk igen."),
    );
    assert_eq!(
        text,
        "'Ferie for egen regning bør give en afbrydelse.'\n\nKY version 2.X:\nJobcenter-snitfladen understøtter ikke \
         dette.\n\nArbejdsgruppen siger:\nMan vil gerne se folk igen."
    );
    assert_eq!(reply_parts(Triage::IndarbejdetStraks, "Bilag 3.", Some("  ")).len(), 1);
}

#[test]
fn writing_needs_the_kommunes_hoeringsansvarlig_a_draft_and_an_open_hearing() {
    let deadline = d(2027, 1, 25);
    let (before, on, after) = (d(2027, 1, 24), deadline, d(2027, 1, 26));
    use HoeringRefusal as R;
    use SvarState::{Indsendt, Kladde};
    for role in Role::ALL {
        for state in [Kladde, Indsendt] {
            for closed in [false, true] {
                for today in [before, on, after] {
                    for kommune in [Some(751), Some(101), None] {
                        let got = may_write(role, kommune, 751, state, closed, deadline, today);
                        let want = if role != Role::Hoeringsansvarlig {
                            Err(R::Role)
                        } else if kommune != Some(751) {
                            Err(R::OtherKommune)
                        } else if state == Indsendt {
                            Err(R::Locked)
                        } else if closed {
                            Err(R::Closed)
                        } else if today == after {
                            Err(R::PastDeadline)
                        } else {
                            Ok(())
                        };
                        assert_eq!(got, want, "{role:?} {kommune:?} {state:?} closed={closed} {today}");
                    }
                }
            }
        }
    }
    assert!(is_open(false, deadline, on));
    assert!(!is_open(false, deadline, after));
}

#[test]
fn only_kombit_triages_and_only_submitted_answers() {
    for role in Role::ALL {
        for state in [SvarState::Kladde, SvarState::Indsendt] {
            let want = match (role, state) {
                (Role::Kombit, SvarState::Indsendt) => Ok(()),
                (Role::Kombit, _) => Err(HoeringRefusal::NotSubmitted),
                _ => Err(HoeringRefusal::NotKombit),
            };
            assert_eq!(may_triage(role, state), want, "{role:?} {state:?}");
        }
    }
    assert!(HoeringRefusal::NotKombit.is_access() && !HoeringRefusal::Locked.is_access());
}

#[test]
fn the_reply_form_needs_a_category_and_a_reply() {
    let fields = |r: Result<Triage, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
    assert_eq!(fields(check_triage("", " ", "")), ["category", "reply"]);
    assert_eq!(check_triage("indarbejdet_straks", "Indarbejdet i bilag 3.", ""), Ok(Triage::IndarbejdetStraks));
    assert_eq!(fields(check_triage("indarbejdet_straks", "Ok", "a\u{0}b")), ["arbejdsgruppen"]);
}

#[test]
fn a_hearing_is_opened_with_numbered_sections_and_a_deadline_not_in_the_past() {
    let today = d(2026, 12, 1);
    let form = HoeringForm {
        title: "Høring over udbudsmaterialet".into(),
        material: "Kravspecifikation, bilag 1–5".into(),
        sections: "3 Sagsbehandling\n\n3.2 Udbetaling\n3.2.1. Straksudbetaling\n".into(),
        deadline: "25.01.2027".into(),
    };
    let v = validate_hoering(&form, today).unwrap();
    assert_eq!(v.deadline, d(2027, 1, 25));
    let numbers: Vec<_> = v.sections.iter().map(|s| s.number.as_str()).collect();
    assert_eq!(numbers, ["3", "3.2", "3.2.1"]);
    assert_eq!(v.sections[2].title, "Straksudbetaling");

    let bad = HoeringForm {
        title: " ".into(),
        material: "x".into(),
        sections: "Udbetaling\n3.2 A\n3.2 B".into(),
        deadline: "2026-11-30".into(),
    };
    let errors = validate_hoering(&bad, today).unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["title", "sections", "sections", "deadline"]);
    assert!(errors[2].message.contains("3.2 står to gange"));
}

#[test]
fn a_receipt_names_the_year_the_hearing_and_the_answer() {
    assert_eq!(receipt(2026, 1, 42), "HØ-2026-0001-0042");
}

#[test]
fn the_summary_counts_kommuner_answers_categories_and_what_is_incorporated() {
    // The seed's figures: 100/30/85/85/37/13 from 34 kommuner.
    let counts = [100, 30, 85, 85, 37, 13];
    let mut answers = Vec::new();
    for (i, n) in counts.iter().enumerate() {
        for j in 0..*n {
            answers.push((100 + (j % 34) as u16, Some(Triage::ALL[i])));
        }
    }
    answers.push((999, None));
    let s = Summary::of(answers);
    assert_eq!(s.answers, 351);
    assert_eq!(s.kommuner, 35);
    assert_eq!(s.per_category, counts);
    assert_eq!(s.untriaged, 1);
    assert_eq!(s.incorporated, 270);
    assert_eq!(s.in_group(|t| matches!(t, Triage::IkkeYderligere(_))), 130);
    assert_eq!(s.in_group(|t| matches!(t, Triage::KraeverAnalyse(_))), 135);
    assert_eq!(s.sentence(), "35 kommuner gav 351 høringssvar; 270 er indarbejdet i KY, og 1 venter på behandling.");
    assert_eq!(Summary::of([]).sentence(), "0 kommuner gav 0 høringssvar; 0 er indarbejdet i KY.");
}
