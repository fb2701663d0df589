//! Tests of the priority formula (examples computed by hand), the ranking and the what-if view,
//! plus properties the backlog relies on.

use super::*;
use crate::domain::aendring::criteria::Criterion;
use proptest::prelude::*;

const N: Option<f64> = None;

/// Weights, criterion means, expected priority.
type Case = ([f64; 9], [Option<f64>; 9], Option<f64>);

fn w(weights: [f64; 9]) -> Weights {
    Weights { version: 7, weights }
}

fn input(id: i64, filed_at: &str, means: [Option<f64>; 9]) -> RankInput {
    RankInput { id, filed_at: filed_at.to_string(), means }
}

fn all(m: f64) -> [Option<f64>; 9] {
    [Some(m); 9]
}

#[test]
fn the_priority_follows_the_contract_formula_in_hand_computed_examples() {
    let s = Some;
    #[rustfmt::skip]
    let cases: [Case; 9] = [
        ([1.0; 9], all(1.0), Some(0.0)),
        ([1.0; 9], all(5.0), Some(100.0)),
        ([1.0; 9], all(3.0), Some(50.0)),
        // (15 + 3 + 9) / 9 = 3
        ([1.0; 9], [s(5.0), s(5.0), s(5.0), s(1.0), s(1.0), s(1.0), s(3.0), s(3.0), s(3.0)], Some(50.0)),
        // (10 + 5·3) / 7 = 25/7; (25/7 − 1) / 4 · 100 = 64.285714…
        ([2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0], [s(5.0), s(3.0), s(3.0), s(3.0), s(3.0), s(3.0), N, N, N],
            Some(450.0 / 7.0)),
        // (3·4 + 1·2) / 4 = 3.5 → 62.5; the unweighted, unscored criteria do not block
        ([3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], [s(4.0), N, N, N, N, N, N, N, s(2.0)], Some(62.5)),
        // (2.5 + 8·4) / 9 = 3.8333… → 70.8333…
        ([1.0; 9], [s(2.5), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0)], Some(425.0 / 6.0)),
        // a weighted criterion without a score blocks ranking
        ([1.0; 9], [s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), s(4.0), N], None),
        // no weight at all: nothing can be ranked
        ([0.0; 9], all(4.0), None),
    ];
    for (i, (weights, means, expected)) in cases.into_iter().enumerate() {
        let got = priority(&means, &w(weights));
        match (got, expected) {
            (Some(g), Some(e)) => assert!((g - e).abs() < 1e-9, "case {i}: {g} ≠ {e}"),
            _ => assert_eq!(got, expected, "case {i}"),
        }
    }
}

#[test]
fn a_aendring_is_ranked_only_when_every_weighted_criterion_has_a_score() {
    let mut weights = DEFAULT_WEIGHTS;
    let mut means = all(4.0);
    means[Criterion::Anskaffelsespris.index()] = None;
    let items = [input(1, "2024-01-01", means), input(2, "2024-02-01", all(2.0))];
    assert_eq!(rank(&items, &weights).iter().map(|r| r.id).collect::<Vec<_>>(), [2]);
    weights.set(Criterion::Anskaffelsespris, 0.0);
    assert_eq!(rank(&items, &weights).iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn equal_scores_are_ranked_by_earliest_filing_then_by_lower_id() {
    let items = [
        input(5, "2024-03-01", all(3.0)),
        input(4, "2023-12-01", all(3.0)),
        input(3, "2024-03-01", all(3.0)),
        input(9, "2026-01-01", all(4.0)),
    ];
    let ranked = rank(&items, &DEFAULT_WEIGHTS);
    let order: Vec<(i64, usize)> = ranked.iter().map(|r| (r.id, r.rank)).collect();
    assert_eq!(order, [(9, 1), (4, 2), (3, 3), (5, 4)]);
}

#[test]
fn the_contributions_explain_the_score_criterion_by_criterion() {
    let weights = w([3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    let mut means = [None; 9];
    means[0] = Some(4.0);
    means[8] = Some(2.0);
    let c = contributions(&means, &weights).unwrap();
    assert_eq!(c.len(), 9);
    // 3/4 · (4 − 1)/4 · 100 = 56.25 and 1/4 · (2 − 1)/4 · 100 = 6.25; together 62.5
    assert_eq!(
        (c[0].criterion, c[0].weight, c[0].mean, c[0].points),
        (Criterion::Anvendelighed, 3.0, Some(4.0), 56.25)
    );
    assert_eq!(c[8].points, 6.25);
    assert!(c[1..8].iter().all(|c| c.points == 0.0 && c.mean.is_none()));
}

#[test]
fn the_scores_of_one_criterion_show_their_mean_and_spread() {
    let mut scores = CriterionScores::new();
    for v in [2, 5, 4] {
        scores.add(Criterion::Faglighed, Score::new(v).unwrap());
    }
    assert_eq!(scores.mean(Criterion::Faglighed), Some(11.0 / 3.0));
    assert_eq!(scores.spread(Criterion::Faglighed), Some((2, 5)));
    assert_eq!(scores.mean(Criterion::Effekt), None);
    assert_eq!(scores.spread(Criterion::Effekt), None);
    assert!(!scores.is_complete(&DEFAULT_WEIGHTS));
}

#[test]
fn weights_are_validated_per_criterion_and_need_one_positive_weight() {
    assert!(DEFAULT_WEIGHTS.validate().is_empty());
    let mut bad = w([1.0, -1.0, f64::NAN, 2000.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["faglighed", "ibrugtagning", "effekt"]);
    bad.weights = [0.0; 9];
    assert_eq!(bad.validate()[0].field, "weights");
}

#[test]
fn what_if_names_who_enters_and_leaves_the_top_and_who_moves_how_far() {
    let items = [input(1, "2024-01-01", all(5.0)), input(2, "2024-01-02", all(4.0)), input(3, "2024-01-03", all(3.0))];
    let mut items_draft = items.clone();
    items_draft[2].means = all(4.5);
    let now = rank(&items, &DEFAULT_WEIGHTS);
    let draft = rank(&items_draft, &DEFAULT_WEIGHTS);
    let result = what_if(&now, &draft, 2);
    assert_eq!(result.entering, [3]);
    assert_eq!(result.leaving, [2]);
    assert_eq!(
        result.moves,
        [Move { id: 3, from: Some(3), to: Some(2), delta: 1 }, Move { id: 2, from: Some(2), to: Some(3), delta: -1 }]
    );
}

#[test]
fn a_aendring_that_becomes_rankable_in_the_draft_counts_as_climbing_from_beyond_the_end() {
    let mut unscored = all(5.0);
    unscored[8] = None;
    let items = [input(1, "2024-01-01", all(4.0)), input(2, "2024-01-02", unscored)];
    let now = rank(&items, &DEFAULT_WEIGHTS);
    let mut weights = DEFAULT_WEIGHTS;
    weights.set(Criterion::Anskaffelsespris, 0.0);
    let draft = rank(&items, &weights);
    let result = what_if(&now, &draft, WHAT_IF_TOP);
    assert_eq!(result.entering, [2]);
    assert_eq!(result.moves[0], Move { id: 2, from: None, to: Some(1), delta: 1 });
}

fn means_strategy() -> impl Strategy<Value = [Option<f64>; 9]> {
    proptest::array::uniform9(proptest::collection::vec(1u8..=5, 1..4))
        .prop_map(|lists| lists.map(|l| Some(l.iter().map(|v| f64::from(*v)).sum::<f64>() / l.len() as f64)))
}

fn weights_strategy() -> impl Strategy<Value = Weights> {
    proptest::array::uniform9(prop_oneof![Just(0.0), 0.0f64..10.0])
        .prop_filter("one weight must be positive", |w| w.iter().any(|w| *w > 0.0))
        .prop_map(w)
}

fn items_strategy() -> impl Strategy<Value = Vec<RankInput>> {
    proptest::collection::vec((means_strategy(), 0u32..40), 0..60).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (means, day))| input(i as i64 + 1, &format!("2024-01-{:02}", day % 28 + 1), means))
            .collect()
    })
}

proptest! {
    #[test]
    fn the_score_is_always_between_0_and_100(means in means_strategy(), weights in weights_strategy()) {
        let score = priority(&means, &weights).unwrap();
        prop_assert!((0.0..=100.0 + 1e-9).contains(&score), "{score}");
    }

    #[test]
    fn the_points_sum_to_the_score(means in means_strategy(), weights in weights_strategy()) {
        let score = priority(&means, &weights).unwrap();
        let points: f64 = contributions(&means, &weights).unwrap().iter().map(|c| c.points).sum();
        prop_assert!((score - points).abs() < 1e-9, "{score} vs {points}");
    }

    #[test]
    fn ranks_run_from_1_to_n_without_gaps(items in items_strategy(), weights in weights_strategy()) {
        let ranked = rank(&items, &weights);
        prop_assert_eq!(ranked.len(), items.len());
        for (i, r) in ranked.iter().enumerate() {
            prop_assert_eq!(r.rank, i + 1);
        }
        prop_assert!(ranked.windows(2).all(|p| p[0].score >= p[1].score));
    }

    #[test]
    fn raising_one_weight_never_reorders_two_aendringer_with_identical_means(
        means in means_strategy(), weights in weights_strategy(), c in 0usize..9, extra in 0.1f64..10.0,
        (day_a, day_b) in (1u32..28, 1u32..28),
    ) {
        let items = [input(1, &format!("2024-02-{day_a:02}"), means), input(2, &format!("2024-02-{day_b:02}"), means)];
        let before: Vec<i64> = rank(&items, &weights).iter().map(|r| r.id).collect();
        let mut raised = weights.clone();
        raised.weights[c] += extra;
        let after: Vec<i64> = rank(&items, &raised).iter().map(|r| r.id).collect();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn raising_a_weight_on_which_the_leader_scores_at_least_as_well_keeps_it_ahead(
        a in means_strategy(), b in means_strategy(), weights in weights_strategy(), pick in 0usize..9,
        extra in 0.1f64..10.0,
    ) {
        let (sa, sb) = (priority(&a, &weights).unwrap(), priority(&b, &weights).unwrap());
        prop_assume!((sa - sb).abs() > 1e-9);
        let (leader, other) = if sa > sb { (a, b) } else { (b, a) };
        // The leader is ahead on some weighted criterion, so there is always one to raise.
        let fair: Vec<usize> = (0..9).filter(|i| leader[*i] >= other[*i]).collect();
        let c = fair[pick % fair.len()];
        let mut raised = weights.clone();
        raised.weights[c] += extra;
        prop_assert!(priority(&leader, &raised).unwrap() > priority(&other, &raised).unwrap());
    }
}

#[test]
fn a_new_weight_on_an_unscored_criterion_leaves_an_aendring_incomplete_and_says_which() {
    let mut means = [Some(3.0); 9];
    means[Criterion::Effekt.index()] = None;
    let mut current = default_weights();
    current.set(Criterion::Effekt, 0.0);
    assert!(missing_scores(&means, &current).is_empty());
    let draft = default_weights();
    assert_eq!(missing_scores(&means, &draft), [Criterion::Effekt]);
    let items = [
        RankInput { id: 1, filed_at: "2025-01-01".into(), means },
        RankInput { id: 2, filed_at: "2025-01-02".into(), means: [Some(2.0); 9] },
    ];
    assert_eq!(left_incomplete(&items, &current, &draft), [(1, vec![Criterion::Effekt])]);
    assert!(left_incomplete(&items, &draft, &current).is_empty());
}
