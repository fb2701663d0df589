//! The scoring matrix: ændringsønsker × criteria, each cell the mean with the spread between scorers.
//! Scores by others arrive live (server-sent events) and the ranking is recomputed in the
//! browser with the domain's own formula. Members score right in the matrix.

use super::{StatusBadge, debounced};
use crate::api::aendring::{ScoreAendring, get_matrix};
use crate::components::live::use_aendring_events;
use crate::components::{ActionError, ErrorNotice, action_error};
use crate::domain::aendring::{Criterion, CriterionGroup, rank};
use crate::model::aendring::{AendringEvent, Matrix};
use crate::pages::LiveBadge;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashMap;

#[component]
pub fn MatrixPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| get_matrix());
    view! {
        <Title text="Scoringsmatrix"/>
        <Suspense fallback=|| view! { <p class="loading">"Henter matrix …"</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(m) => view! { <LiveMatrix initial=m/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Applies a live event to the matrix; false when the client must reload (a gap in versions,
/// or a change the event does not carry).
fn apply(m: &mut Matrix, ev: &AendringEvent) -> bool {
    if ev.version <= m.version {
        return true;
    }
    if ev.version != m.version + 1 {
        return false;
    }
    m.version = ev.version;
    match (ev.cell, ev.status, ev.weights_version) {
        (Some((i, cell)), None, None) => {
            if let Some(row) = m.rows.iter_mut().find(|r| r.id == ev.aendring_id)
                && i < 9
            {
                row.cells[i] = cell;
            }
            true
        }
        // A hearing's answers changed: nothing in the matrix.
        (None, None, None) if ev.hoering.is_some() => true,
        _ => false,
    }
}

#[component]
fn LiveMatrix(initial: Matrix) -> impl IntoView {
    let matrix = RwSignal::new(initial);
    let reload = debounced(move || {
        leptos::task::spawn_local(async move {
            if let Ok(m) = get_matrix().await {
                matrix.set(m);
            }
        })
    });
    let status = use_aendring_events(false, move |ev| {
        let ok = ev.is_some_and(|ev| matrix.try_update(|m| apply(m, &ev)).unwrap_or(true));
        if !ok {
            reload();
        }
    });
    // Rank and score per ændringsønske, on exactly the server's formula.
    let ranking = Memo::new(move |_| {
        matrix.with(|m| {
            let inputs: Vec<_> = m.rows.iter().map(|r| r.rank_input()).collect();
            rank(&inputs, &m.weights)
                .into_iter()
                .map(|r| (r.id, (r.rank, r.score)))
                .collect::<HashMap<i64, (usize, f64)>>()
        })
    });
    let order = Memo::new(move |_| {
        let ranking = ranking.get();
        let mut ids: Vec<(i64, Option<usize>)> =
            matrix.with(|m| m.rows.iter().map(|r| (r.id, ranking.get(&r.id).map(|x| x.0))).collect());
        ids.sort_by_key(|(id, rank)| (rank.unwrap_or(usize::MAX), *id));
        ids.into_iter().map(|(id, _)| id).collect::<Vec<_>>()
    });
    let score = ServerAction::<ScoreAendring>::new();
    view! {
        <div class="page-head">
            <h1>"Scoringsmatrix"</h1>
            <LiveBadge status/>
        </div>
        <p class="lede">
            "Middelværdi pr. kriterium (1–5) med spredningen mellem scorerne. Rangen regnes med de vedtagne vægte (version "
            {move || matrix.with(|m| m.weights.version)} ") og opdateres, mens der scores."
        </p>
        <details class="panel scale-legend">
            <summary>"Sådan scores kriterierne (1–5, højere er altid bedre)"</summary>
            <dl class="facts">
                {Criterion::ALL.into_iter().map(|c| view! { <dt>{c.label()}</dt><dd>{c.scale_text()}</dd> }).collect_view()}
            </dl>
        </details>
        <ActionError error=action_error(score)/>
        <div class="table-scroll" tabindex="0">
            <table class="table matrix">
                <caption class="visually-hidden">"Ændringsønsker og kriterier"</caption>
                <thead>
                    <tr>
                        <th scope="col" rowspan="2" class="right">"Rang"</th>
                        <th scope="col" rowspan="2">"Ændringsønske"</th>
                        {CriterionGroup::ALL.into_iter().map(|g| view! { <th scope="colgroup" colspan="3">{g.label()}</th> }).collect_view()}
                        <th scope="col" rowspan="2" class="right">"Score"</th>
                    </tr>
                    <tr>
                        {Criterion::ALL.into_iter().map(|c| view! { <th scope="col" title=format!("{} {}", c.question(), c.scale_text())>{c.label_hyphenated()}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || order.get() key=|id| *id let:id>
                        <MatrixRowView id matrix ranking score/>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MatrixRowView(
    id: i64,
    matrix: RwSignal<Matrix>,
    ranking: Memo<HashMap<i64, (usize, f64)>>,
    score: ServerAction<ScoreAendring>,
) -> impl IntoView {
    let row = move || matrix.with(|m| m.rows.iter().find(|r| r.id == id).cloned());
    let Some(r) = matrix.with_untracked(|m| m.rows.iter().find(|r| r.id == id).cloned()) else { return ().into_any() };
    let key = r.key.clone();
    view! {
        <tr>
            <td class="right num" data-testid=format!("rank-{key}")>
                {move || ranking.with(|x| x.get(&id).map(|(rank, _)| rank.to_string()).unwrap_or_else(|| "–".into()))}
            </td>
            <th scope="row">
                <a href=format!("/aendringsoensker/{id}")>{r.key.clone()}</a>" "<StatusBadge status=r.status/><br/>
                <span class="matrix__title">{r.titel.clone()}</span>
            </th>
            {Criterion::ALL.into_iter().map(|c| {
                let i = c.index();
                let cell = move || row().map(|r| r.cells[i]).unwrap_or_default();
                let may = r.may_score[i];
                let mine = r.my_scores[i];
                let label = format!("Din score for {} på {}", c.label(), r.key);
                view! {
                    <td class="cell" data-testid=format!("cell-{}-{}", key, c.key())>
                        <span class="cell__mean num">{move || cell().mean.map(|m| crate::domain::beloeb::decimal(m, 1)).unwrap_or_else(|| "–".into())}</span>
                        <span class="cell__spread">{move || {
                            let c = cell();
                            c.min.zip(c.max).map(|(lo, hi)| if lo == hi { format!("{} scorer", c.n) } else { format!("{lo}–{hi} · {} scorer", c.n) })
                        }}</span>
                        {may.then(|| view! {
                            <select class="score-select" aria-label=label on:change=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                                    score.dispatch(ScoreAendring { id, criterion: c.key().into(), score: v });
                                }
                            }>
                                <option value="" selected=mine.is_none()>"–"</option>
                                {(1..=5u8).map(|v| view! { <option value=v.to_string() selected=mine == Some(v)>{v}</option> }).collect_view()}
                            </select>
                        })}
                    </td>
                }
            }).collect_view()}
            <td class="right num" data-testid=format!("score-{key}")>
                {move || ranking.with(|x| x.get(&id).map(|(_, s)| crate::domain::beloeb::decimal(*s, 1)).unwrap_or_else(|| "–".into()))}
            </td>
        </tr>
    }
    .into_any()
}
