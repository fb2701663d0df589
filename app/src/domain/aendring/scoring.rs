//! The priority of an ændringsønske: the styregruppe's versioned weights, the scorers' scores per
//! criterion, and the one formula that turns them into a 0–100 priority. The ranking of the
//! whole backlog and the what-if comparison live in `scoring/rank.rs`.
//!
//! The formula (the product's contract): over the criteria with a non-zero weight,
//! `m = Σ w_c · mean_c / Σ w_c`, and `priority = (m − 1) / 4 · 100`, so all 1s give 0 and all 5s
//! give 100. An ændringsønske is ranked only when every weighted criterion has at least one score.

mod rank;

#[cfg(test)]
mod tests;

pub use rank::{Move, RankInput, Ranked, WHAT_IF_TOP, WhatIf, rank, what_if};

use super::criteria::{Criterion, Score};
use crate::domain::resolve::FieldError;
use serde::{Deserialize, Serialize};

/// The largest weight accepted: far above any sensible weighting, and low enough that sums of
/// weights never lose precision.
pub const MAX_WEIGHT: f64 = 1000.0;

/// One adopted (or draft) weight set of the styregruppe. `weights` is indexed by
/// `Criterion::index()`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub version: i64,
    pub weights: [f64; 9],
}

/// Equal weights: what applies until the styregruppe adopts its first weight set.
pub const DEFAULT_WEIGHTS: Weights = Weights { version: 1, weights: [1.0; 9] };

pub fn default_weights() -> Weights {
    DEFAULT_WEIGHTS
}

impl Default for Weights {
    fn default() -> Self {
        DEFAULT_WEIGHTS
    }
}

impl Weights {
    pub fn get(&self, c: Criterion) -> f64 {
        self.weights[c.index()]
    }

    pub fn set(&mut self, c: Criterion, weight: f64) {
        self.weights[c.index()] = weight;
    }

    /// Whether the criterion counts in the priority (and so must be scored before ranking).
    pub fn is_weighted(&self, c: Criterion) -> bool {
        self.get(c) > 0.0
    }

    /// Field errors keyed by criterion; the "at least one weight" rule has no single criterion
    /// to blame, so it is reported on the field `weights`.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for c in Criterion::ALL {
            let w = self.get(c);
            if !w.is_finite() {
                errors.push(FieldError::new(c.key(), "Vægten skal være et tal."));
            } else if w < 0.0 {
                errors.push(FieldError::new(c.key(), "Vægten må ikke være negativ."));
            } else if w > MAX_WEIGHT {
                errors.push(FieldError::new(c.key(), "Vægten må højst være 1.000."));
            }
        }
        if errors.is_empty() && !Criterion::ALL.iter().any(|c| self.is_weighted(*c)) {
            errors.push(FieldError::new("weights", "Mindst ét kriterium skal have en vægt større end 0."));
        }
        errors
    }

    /// Each criterion's share of the total weight (0 for unweighted ones), or `None` when no
    /// criterion is weighted. Computed once per ranking, not once per ændringsønske.
    fn shares(&self) -> Option<[f64; 9]> {
        let total: f64 = self.weights.iter().filter(|w| **w > 0.0).sum();
        if !(total > 0.0 && total.is_finite()) {
            return None;
        }
        Some(self.weights.map(|w| if w > 0.0 { w / total } else { 0.0 }))
    }
}

/// All scorers' scores of one ændringsønske, per criterion. The matrix cell shows `mean` and `spread`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScores {
    scores: [Vec<Score>; 9],
}

impl CriterionScores {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, c: Criterion, score: Score) {
        self.scores[c.index()].push(score);
    }

    pub fn of(&self, c: Criterion) -> &[Score] {
        &self.scores[c.index()]
    }

    pub fn mean(&self, c: Criterion) -> Option<f64> {
        let s = self.of(c);
        if s.is_empty() {
            return None;
        }
        Some(s.iter().map(|s| f64::from(s.get())).sum::<f64>() / s.len() as f64)
    }

    /// Lowest and highest score, so a wide disagreement between scorers is visible.
    pub fn spread(&self, c: Criterion) -> Option<(u8, u8)> {
        let s = self.of(c);
        Some((s.iter().min()?.get(), s.iter().max()?.get()))
    }

    pub fn means(&self) -> [Option<f64>; 9] {
        Criterion::ALL.map(|c| self.mean(c))
    }

    /// Every weighted criterion has a score, i.e. the ændringsønske can be ranked.
    pub fn is_complete(&self, weights: &Weights) -> bool {
        Criterion::ALL.iter().all(|c| !weights.is_weighted(*c) || !self.of(*c).is_empty())
    }
}

impl FromIterator<(Criterion, Score)> for CriterionScores {
    fn from_iter<I: IntoIterator<Item = (Criterion, Score)>>(iter: I) -> Self {
        let mut out = CriterionScores::new();
        for (c, s) in iter {
            out.add(c, s);
        }
        out
    }
}

/// One criterion's part of an ændringsønske's priority: the UI's "weight × score".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub criterion: Criterion,
    pub weight: f64,
    /// Mean of the scorers; may be missing for an unweighted criterion.
    pub mean: Option<f64>,
    /// This criterion's share of the 0–100 priority; the points of an ændringsønske sum to its priority.
    pub points: f64,
}

/// The criteria that carry weight and have no score: why an ændringsønske cannot be ranked
/// ("mangler scoring: effekt"). Empty when it can.
pub fn missing_scores(means: &[Option<f64>; 9], weights: &Weights) -> Vec<Criterion> {
    Criterion::ALL.into_iter().filter(|c| weights.is_weighted(*c) && means[c.index()].is_none()).collect()
}

/// Ændringsønsker complete under `current` that `draft` would leave incomplete, with what
/// they would miss: what adopting the draft would take out of the ranking.
pub fn left_incomplete(items: &[RankInput], current: &Weights, draft: &Weights) -> Vec<(i64, Vec<Criterion>)> {
    items
        .iter()
        .filter(|i| missing_scores(&i.means, current).is_empty())
        .filter_map(|i| {
            let missing = missing_scores(&i.means, draft);
            (!missing.is_empty()).then_some((i.id, missing))
        })
        .collect()
}

/// An adoption changes the public ranking: it needs a note for the version history.
pub fn check_adoption_note(note: &str) -> Vec<FieldError> {
    if note.trim().chars().count() < 10 {
        vec![FieldError::new(
            "note",
            "Skriv en bemærkning til vedtagelsen (mindst 10 tegn), fx hvilket møde der besluttede den.",
        )]
    } else {
        Vec::new()
    }
}

/// The priority 0–100, or `None` while a weighted criterion has no score.
pub fn priority(means: &[Option<f64>; 9], weights: &Weights) -> Option<f64> {
    score_with(means, weights, &weights.shares()?)
}

/// Every criterion's contribution (in `Criterion::ALL` order), or `None` when unranked.
pub fn contributions(means: &[Option<f64>; 9], weights: &Weights) -> Option<Vec<Contribution>> {
    let shares = weights.shares()?;
    score_with(means, weights, &shares)?;
    Some(contributions_with(means, weights, &shares))
}

/// The formula itself, written as the contract states it so the number is reproducible by hand.
fn score_with(means: &[Option<f64>; 9], weights: &Weights, shares: &[f64; 9]) -> Option<f64> {
    let (mut weighted, mut total) = (0.0, 0.0);
    for i in 0..9 {
        if shares[i] > 0.0 {
            let m = means[i].filter(|m| m.is_finite())?;
            weighted += weights.weights[i] * m;
            total += weights.weights[i];
        }
    }
    let m = weighted / total;
    Some((m - 1.0) / 4.0 * 100.0)
}

fn contributions_with(means: &[Option<f64>; 9], weights: &Weights, shares: &[f64; 9]) -> Vec<Contribution> {
    Criterion::ALL
        .iter()
        .map(|&c| {
            let i = c.index();
            let points = match means[i] {
                Some(m) if shares[i] > 0.0 => shares[i] * (m - 1.0) / 4.0 * 100.0,
                _ => 0.0,
            };
            Contribution { criterion: c, weight: weights.weights[i], mean: means[i], points }
        })
        .collect()
}

/// Deterministic synthetic ændringsønsker with every criterion scored: the re-rank benchmark's input,
/// the same on the server and in the browser.
pub fn synthetic_rank_inputs(n: usize) -> Vec<RankInput> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| RankInput {
            id: i as i64,
            filed_at: format!("2024-{:02}-{:02}", 1 + next() % 12, 1 + next() % 28),
            means: std::array::from_fn(|_| Some(1.0 + (next() % 400) as f64 / 100.0)),
        })
        .collect()
}
