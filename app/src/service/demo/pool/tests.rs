//! Tests of the demo pool: deterministic, believable, and valid by the rules the product applies.

use super::*;
use crate::domain::aendring::{CriterionScores, DEFAULT_WEIGHTS, RankInput, Score, rank, validate_draft};
use std::collections::{HashMap, HashSet};

const N: usize = 2_700;

fn legacy() -> Vec<DemoRequest> {
    legacy_pool(2026, N)
}

#[test]
fn the_same_seed_gives_the_same_pool_and_another_seed_another() {
    assert_eq!(legacy_pool(7, 300), legacy_pool(7, 300));
    assert_ne!(legacy_pool(7, 300), legacy_pool(8, 300));
    assert_eq!(new_requests(7), new_requests(7));
}

#[test]
fn the_legacy_pool_has_the_size_asked_for_and_was_all_filed_before_the_new_process() {
    let pool = legacy();
    assert_eq!(pool.len(), N);
    let first = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
    assert!(pool.iter().all(|r| r.filed_at >= first && r.filed_at < new_process_start()));
    assert!(pool.windows(2).all(|w| w[0].filed_at <= w[1].filed_at), "sorted by filing");
    let waiting = pool.iter().filter(|r| r.status == Status::Visitering).count();
    assert!(waiting > N * 3 / 4, "most legacy requests await the clean-up: {waiting}");
}

#[test]
fn every_request_of_the_pool_passes_the_template_validation() {
    for r in legacy().iter().chain(&new_requests(2026)) {
        if let Err(errors) = validate_draft(&r.draft()) {
            panic!("{}: {errors:?}", r.key);
        }
    }
}

#[test]
fn a_few_percent_of_the_legacy_pool_concern_oeir() {
    let pool = legacy();
    let oeir = pool.iter().filter(|r| r.oeir).count();
    assert!((N / 100..=N * 6 / 100).contains(&oeir), "{oeir}");
    assert!(pool.iter().all(|r| r.oeir == (r.theme == OEIR_THEME)));
}

#[test]
fn the_pool_spreads_over_all_themes_and_many_kinds_of_request() {
    assert!(templates().count() >= 40);
    let pool = legacy();
    let mut per_theme: HashMap<&str, usize> = HashMap::new();
    for r in &pool {
        *per_theme.entry(r.theme.as_str()).or_default() += 1;
    }
    assert_eq!(per_theme.len(), 14, "{per_theme:?}");
    assert!(per_theme.values().all(|n| *n < N / 5), "{per_theme:?}");
    let beskrivelser: HashSet<&str> = pool.iter().map(|r| r.beskrivelse.as_str()).collect();
    assert!(beskrivelser.len() > 100, "{}", beskrivelser.len());
}

#[test]
fn the_same_wish_is_filed_by_several_kommuner_as_near_duplicates() {
    let pool = legacy();
    let mut kommuner: HashMap<&str, HashSet<u16>> = HashMap::new();
    for r in &pool {
        kommuner.entry(r.beskrivelse.as_str()).or_default().insert(r.kommune);
    }
    assert!(kommuner.values().any(|k| k.len() >= 5));
}

#[test]
fn keys_are_unique_across_old_and_new_requests_and_name_the_filing_year() {
    let all: Vec<DemoRequest> = legacy().into_iter().chain(new_requests(2026)).collect();
    let keys: HashSet<&str> = all.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys.len(), all.len());
    for r in &all {
        assert_eq!(&r.key[3..7], r.filed_at.year().to_string(), "{}", r.key);
        assert_eq!(r.key.len(), "AE-2019-00417".len());
    }
}

#[test]
fn kommuner_are_real_and_never_listed_twice_on_a_request() {
    for r in legacy().iter().chain(&new_requests(2026)) {
        assert!(POOL_KOMMUNER.contains(&r.kommune));
        assert!(!r.extra_kommuner.contains(&r.kommune), "{}", r.key);
        assert!(r.extra_kommuner.iter().all(|k| POOL_KOMMUNER.contains(k)));
        assert_eq!(r.status.is_closed(), r.closed_at.is_some(), "{}", r.key);
        assert!(r.closed_at.is_none_or(|c| c >= r.filed_at), "{}", r.key);
    }
}

fn scores_of(r: &DemoRequest) -> CriterionScores {
    r.scores.iter().map(|(c, v)| (*c, Score::new(*v).unwrap())).collect()
}

#[test]
fn new_requests_run_through_every_stage_of_the_process() {
    let new = new_requests(2026);
    assert!((55..=70).contains(&new.len()), "{}", new.len());
    let statuses: HashSet<Status> = new.iter().map(|r| r.status).collect();
    assert_eq!(statuses.len(), Status::ALL.len());
    let last = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    assert!(new.iter().all(|r| r.filed_at >= new_process_start() && r.filed_at <= last));
    assert!(new.iter().all(|r| !r.oeir));
}

#[test]
fn the_backlog_is_fully_scored_by_two_or_three_scorers_and_the_leverandoer() {
    let new = new_requests(2026);
    let backlog: Vec<&DemoRequest> = new.iter().filter(|r| r.status == Status::IBacklog).collect();
    assert_eq!(backlog.len(), 45);
    for r in &backlog {
        let s = scores_of(r);
        for c in Criterion::ALL {
            let n = s.of(c).len();
            let expected = if c.scored_by() == crate::domain::Role::Leverandoer { 1..=1 } else { 2..=3 };
            assert!(expected.contains(&n), "{} {c}: {n}", r.key);
        }
    }
    let inputs: Vec<RankInput> = new
        .iter()
        .enumerate()
        .map(|(i, r)| RankInput { id: i as i64, filed_at: r.filed_at.to_string(), means: scores_of(r).means() })
        .collect();
    let ranked = rank(&inputs, &DEFAULT_WEIGHTS);
    let ranked_ids: HashSet<i64> = ranked.iter().map(|r| r.id).collect();
    for (i, r) in new.iter().enumerate() {
        let should_rank = matches!(
            r.status,
            Status::IBacklog | Status::IUdvikling | Status::Lukket | Status::EndeligPrioritering | Status::Afvist
        ) && !r.scores.is_empty();
        assert_eq!(ranked_ids.contains(&(i as i64)), should_rank, "{} {:?}", r.key, r.status);
    }
    let spread = ranked.first().unwrap().score - ranked.last().unwrap().score;
    assert!(spread > 20.0, "the backlog should not be flat: {spread}");
}

#[test]
fn the_dublet_points_at_a_backlog_request_that_counts_its_kommune() {
    let new = new_requests(2026);
    let dublet = new.iter().find(|r| r.status == Status::Dublet).unwrap();
    let original = new.iter().find(|r| Some(&r.key) == dublet.duplicate_of.as_ref()).unwrap();
    assert_eq!(original.status, Status::IBacklog);
    assert_eq!(original.beskrivelse.split(' ').next(), dublet.beskrivelse.split(' ').next());
    assert!(original.kommune == dublet.kommune || original.extra_kommuner.contains(&dublet.kommune));
}
