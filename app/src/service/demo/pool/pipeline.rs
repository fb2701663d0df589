//! The requests filed since 1 November 2023 through the new process, spread over every status,
//! with the scores each stage would have produced by now.

use super::{DEMO_KOMMUNER, DemoRequest, OEIR_THEME, assign_keys, compose, other_kommuner, pick_kommune, variants};
use crate::domain::aendring::{Criterion, CriterionGroup, Status};
use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// How many requests are in each status. The backlog comes first, so the dublet can point at
/// the first backlog request.
const PLAN: [(Status, usize); 12] = [
    (Status::IBacklog, 45),
    (Status::IUdvikling, 2),
    (Status::Lukket, 1),
    (Status::EndeligPrioritering, 1),
    (Status::Scoring, 2),
    (Status::Estimering, 1),
    (Status::Changeboard, 1),
    (Status::Visitering, 2),
    (Status::ReturneretTilUddybning, 1),
    (Status::Oprettet, 1),
    (Status::Afvist, 2),
    (Status::Dublet, 1),
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The further along a request is, the earlier it was filed.
fn filed_window(status: Status) -> (NaiveDate, NaiveDate) {
    match status {
        Status::IUdvikling | Status::Lukket => (date(2023, 11, 1), date(2024, 9, 30)),
        Status::IBacklog => (date(2023, 11, 1), date(2025, 12, 31)),
        Status::Afvist => (date(2024, 1, 1), date(2026, 6, 30)),
        Status::EndeligPrioritering | Status::Scoring => (date(2025, 10, 1), date(2026, 7, 31)),
        Status::Estimering | Status::Changeboard => (date(2026, 5, 1), date(2026, 9, 15)),
        Status::Dublet => (date(2026, 3, 1), date(2026, 9, 30)),
        Status::Visitering | Status::ReturneretTilUddybning => (date(2026, 8, 15), date(2026, 10, 20)),
        Status::Oprettet => (date(2026, 10, 1), date(2026, 10, 31)),
    }
}

fn between(rng: &mut StdRng, (from, to): (NaiveDate, NaiveDate)) -> NaiveDate {
    from + Duration::days(rng.gen_range(0..=(to - from).num_days()))
}

/// One scorer's score around the request's underlying value; scorers disagree by about one.
fn around(rng: &mut StdRng, value: f64) -> u8 {
    (value + rng.gen_range(-1.0..1.0)).round().clamp(1.0, 5.0) as u8
}

/// Scores from `scorers` fagfællesskab members over the first `ff_criteria` value criteria, and
/// the leverandør's over the first `lev_criteria` realiserbarhed criteria (scorer-major).
fn scores(
    rng: &mut StdRng,
    value: f64,
    scorers: usize,
    ff_criteria: usize,
    lev_criteria: usize,
) -> Vec<(Criterion, u8)> {
    let realiserbarhed = rng.gen_range(1.5..4.8);
    let mut out = Vec::new();
    for _ in 0..scorers {
        for c in Criterion::ALL.into_iter().filter(|c| c.group() != CriterionGroup::Realiserbarhed).take(ff_criteria) {
            out.push((c, around(rng, value)));
        }
    }
    for c in CriterionGroup::Realiserbarhed.criteria().take(lev_criteria) {
        out.push((c, around(rng, realiserbarhed)));
    }
    out
}

/// What the stage has produced: nothing before estimering, the leverandør's realiserbarhed
/// (partly) during it, all of realiserbarhed and some value scores during scoring, all after.
fn stage_scores(rng: &mut StdRng, status: Status, rejected_late: bool) -> Vec<(Criterion, u8)> {
    let value = rng.gen_range(1.8..4.6);
    let scorers = rng.gen_range(2..=3);
    match status {
        Status::IBacklog | Status::IUdvikling | Status::Lukket | Status::EndeligPrioritering => {
            scores(rng, value, scorers, 6, 3)
        }
        Status::Afvist if rejected_late => scores(rng, 1.7, scorers, 6, 3),
        Status::Scoring => {
            let done = rng.gen_range(1..=5);
            scores(rng, value, 1, done, 3)
        }
        Status::Estimering => scores(rng, value, 0, 0, 1),
        _ => Vec::new(),
    }
}

/// Requests filed since 1 November 2023 through the whole process, ~60 of them, 45 in the
/// prioritized backlog and fully scored.
pub fn new_requests(seed: u64) -> Vec<DemoRequest> {
    let mut rng = StdRng::seed_from_u64(seed);
    // Each new request is a different wish; ØIR requests go to KOMBIT's separate list instead.
    let mut kinds: Vec<_> = variants().into_iter().filter(|(t, _)| t.theme != OEIR_THEME).collect();
    kinds.shuffle(&mut rng);
    let mut kinds = kinds.into_iter();
    let mut out: Vec<DemoRequest> = Vec::new();
    let first_kind = kinds.next().expect("enough kinds");
    let mut dublet = None;
    for (status, count) in PLAN {
        for i in 0..count {
            let (t, slot) = match (status, out.is_empty()) {
                (Status::IBacklog, true) | (Status::Dublet, _) => first_kind,
                _ => kinds.next().expect("enough kinds"),
            };
            let mut r = compose(&mut rng, t, slot, false);
            r.kommune = pick_kommune(&mut rng, &DEMO_KOMMUNER, 0.4);
            r.status = status;
            r.filed_at = between(&mut rng, filed_window(status));
            r.scores = stage_scores(&mut rng, status, status == Status::Afvist && i == 0);
            if status.is_closed() {
                // One rejection is recent, so a demo kommune still sees it and can appeal it.
                let closed = if status == Status::Afvist && i == 1 {
                    r.kommune = DEMO_KOMMUNER[0];
                    date(2026, 10, 25)
                } else {
                    r.filed_at + Duration::days(rng.gen_range(60..400))
                };
                r.closed_at = Some(closed.min(date(2026, 10, 31)));
            }
            if status == Status::IBacklog && rng.gen_bool(0.5) {
                let n = rng.gen_range(1..=8);
                r.extra_kommuner = other_kommuner(&mut rng, r.kommune, n);
            }
            if status == Status::Dublet {
                dublet = Some(out.len());
            }
            out.push(r);
        }
    }
    assign_keys(&mut out, 5001);
    if let Some(d) = dublet {
        let (key, kommune) = (out[0].key.clone(), out[d].kommune);
        out[d].duplicate_of = Some(key);
        if kommune != out[0].kommune && !out[0].extra_kommuner.contains(&kommune) {
            out[0].extra_kommuner.push(kommune);
            out[0].extra_kommuner.sort_unstable();
        }
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}
