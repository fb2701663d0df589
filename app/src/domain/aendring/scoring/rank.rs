//! Ranking the backlog by priority, and comparing two rankings for the styregruppe's what-if
//! view. Runs in the browser on every weight change, so it avoids per-ændringsønske work beyond one
//! pass, one sort and the contribution list.

use super::{Contribution, Weights, contributions_with, score_with};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many places the what-if view compares: the prioritized backlog is meant to hold ~100.
pub const WHAT_IF_TOP: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankInput {
    pub id: i64,
    /// RFC 3339 timestamp or `YYYY-MM-DD`; compared as text, which orders both correctly as
    /// long as one backlog uses one form.
    pub filed_at: String,
    /// Mean score per criterion, indexed by `Criterion::index()`.
    pub means: [Option<f64>; 9],
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    pub id: i64,
    /// 1-based, without gaps.
    pub rank: usize,
    pub score: f64,
    pub contributions: Vec<Contribution>,
}

/// Ranked by priority descending; ties go to the earliest filing, then the lower id. Ændringsønsker
/// that cannot be ranked yet are left out.
pub fn rank(items: &[RankInput], weights: &Weights) -> Vec<Ranked> {
    let Some(shares) = weights.shares() else { return Vec::new() };
    let mut scored: Vec<(f64, &RankInput)> = Vec::with_capacity(items.len());
    for item in items {
        if let Some(score) = score_with(&item.means, weights, &shares) {
            scored.push((score, item));
        }
    }
    scored.sort_unstable_by(|(sa, a), (sb, b)| {
        sb.total_cmp(sa).then_with(|| a.filed_at.cmp(&b.filed_at)).then_with(|| a.id.cmp(&b.id))
    });
    scored
        .into_iter()
        .enumerate()
        .map(|(i, (score, item))| Ranked {
            id: item.id,
            rank: i + 1,
            score,
            contributions: contributions_with(&item.means, weights, &shares),
        })
        .collect()
}

/// One ændringsønske whose place differs between the two rankings. `None` = not ranked there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub id: i64,
    pub from: Option<usize>,
    pub to: Option<usize>,
    /// Places climbed (positive) or dropped (negative). An unranked side counts as the place
    /// just after the end of that ranking, so an ændringsønske that becomes rankable still shows a climb.
    pub delta: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhatIf {
    /// In the top `top` of the draft but not of the current ranking, in draft order.
    pub entering: Vec<i64>,
    /// In the top `top` of the current ranking but not of the draft, in current order.
    pub leaving: Vec<i64>,
    /// Every ændringsønske that changes place, largest move first.
    pub moves: Vec<Move>,
}

/// Compares the adopted ranking with the one a draft weight set would give.
pub fn what_if(current: &[Ranked], draft: &[Ranked], top: usize) -> WhatIf {
    let place_now: HashMap<i64, usize> = current.iter().map(|r| (r.id, r.rank)).collect();
    let place_draft: HashMap<i64, usize> = draft.iter().map(|r| (r.id, r.rank)).collect();
    let in_top = |place: Option<&usize>| place.is_some_and(|p| *p <= top);

    let entering = draft.iter().filter(|r| r.rank <= top && !in_top(place_now.get(&r.id))).map(|r| r.id).collect();
    let leaving = current.iter().filter(|r| r.rank <= top && !in_top(place_draft.get(&r.id))).map(|r| r.id).collect();

    let beyond = |ranking: &[Ranked]| ranking.len() as i64 + 1;
    let mut moves: Vec<Move> = Vec::new();
    let mut push = |id: i64| {
        let (from, to) = (place_now.get(&id).copied(), place_draft.get(&id).copied());
        if from != to {
            let from_place = from.map_or(beyond(current), |p| p as i64);
            let to_place = to.map_or(beyond(draft), |p| p as i64);
            moves.push(Move { id, from, to, delta: from_place - to_place });
        }
    };
    current.iter().for_each(|r| push(r.id));
    draft.iter().filter(|r| !place_now.contains_key(&r.id)).for_each(|r| push(r.id));
    moves.sort_by(|a, b| {
        b.delta
            .abs()
            .cmp(&a.delta.abs())
            .then_with(|| a.to.unwrap_or(usize::MAX).cmp(&b.to.unwrap_or(usize::MAX)))
            .then_with(|| a.id.cmp(&b.id))
    });
    WhatIf { entering, leaving, moves }
}
