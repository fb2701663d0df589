//! The styregruppe's weights: a draft edited with sliders; while they move, the browser ranks
//! every scored ændringsønske with the draft and with the adopted weights (the domain's formula,
//! compiled to WebAssembly) and shows who enters or leaves the top of the backlog, who would be left without a full scoring, and who moves how far.
//! Adopting makes a new version; each version's ranking stays available.

use crate::api::aendring::{AdoptWeights, SaveWeightsDraft, get_ranking, get_weights};
use crate::components::{ActionError, Loaded, action_error};
use crate::domain::aendring::flow::criteria_list;
use crate::domain::aendring::{Criterion, RankInput, WHAT_IF_TOP, check_adoption_note, left_incomplete, rank, what_if};
use crate::error::AppError;
use crate::model::aendring::WeightsView;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::HashMap;

#[component]
pub fn WeightsPage() -> impl IntoView {
    let view_data = Resource::new(|| (), |_| get_weights());
    view! {
        <Title text="Vægte"/>
        <h1>"Vægte for prioriteringen"</h1>
        <p class="lede">"Flyt vægtene: rangeringen med kladden beregnes med det samme her i browseren. Vedtag kladden som en ny version, når styregruppen er enig."</p>
        <Loaded resource=view_data view=move |v: WeightsView| view! { <WeightsEditor v/> }/>
    }
}

#[component]
fn WeightsEditor(v: WeightsView) -> impl IntoView {
    let current = v.current.clone();
    let draft = RwSignal::new(v.draft.clone().unwrap_or_else(|| current.clone()));
    let items = StoredValue::new(v.items.clone());
    let titles: HashMap<i64, (String, String)> =
        v.titles.iter().map(|(id, k, t)| (*id, (k.clone(), t.clone()))).collect();
    let titles = StoredValue::new(titles);
    let (current_version, backlog_size) = (v.current.version, v.backlog_ids.len());
    let base = StoredValue::new(rank(&v.items, &current));
    // The what-if speaks of the real backlog: its size (at most WHAT_IF_TOP) is the "top".
    let backlog: Vec<RankInput> = v.items.iter().filter(|i| v.backlog_ids.contains(&i.id)).cloned().collect();
    let top = rank(&backlog, &current).len().clamp(1, WHAT_IF_TOP);
    let backlog = StoredValue::new(backlog);
    let comparison = Memo::new(move |_| {
        let d = draft.get();
        let drafted = items.with_value(|i| rank(i, &d));
        base.with_value(|b| what_if(b, &drafted, top))
    });
    let incomplete = {
        let current = current.clone();
        Memo::new(move |_| draft.with(|d| backlog.with_value(|b| left_incomplete(b, &current, d))))
    };
    // Adopting changes the public ranking: a note, then a confirmation that says what it does.
    let confirming = RwSignal::new(false);
    let save = ServerAction::<SaveWeightsDraft>::new();
    let adopt = ServerAction::<AdoptWeights>::new();
    let note = RwSignal::new(String::new());
    // The server checks the weights with the same rule (`Weights::validate`); checking here
    // first answers at once, without a round trip.
    let invalid = RwSignal::new(None::<AppError>);
    let checked = move || {
        let w = draft.get_untracked();
        let errors = w.validate();
        let ok = errors.is_empty();
        invalid.set((!ok).then_some(AppError::Invalid(errors)));
        ok.then_some(w)
    };
    let (adopt_error, save_error) = (action_error(adopt), action_error(save));
    let error = Signal::derive(move || invalid.get().or_else(|| adopt_error.get()).or_else(|| save_error.get()));
    let name = move |id: i64| {
        titles.with_value(|t| t.get(&id).map(|(k, t)| format!("{k}: {t}")).unwrap_or_else(|| id.to_string()))
    };
    view! {
        <div class="task-grid">
            <section class="panel panel--form" aria-labelledby="kladde">
                <h2 id="kladde">{format!("Kladde (vedtaget nu: version {})", current.version)}</h2>
                {Criterion::ALL.into_iter().map(|c| {
                    let id = format!("w-{}", c.key());
                    let value = move || draft.with(|d| d.get(c));
                    view! {
                        <div class="field slider">
                            <label for=id.clone()>{c.label()}<span class="muted">{format!(" · {}", c.group().label())}</span></label>
                            <input type="range" id=id min="0" max="5" step="0.5" prop:value=move || value().to_string()
                                aria-valuetext=move || format!("vægt {}", value())
                                on:input=move |ev| {
                                    if let Ok(x) = event_target_value(&ev).parse::<f64>() {
                                        draft.update(|d| d.set(c, x));
                                    }
                                }/>
                            <output class="num">{move || crate::domain::beloeb::decimal(value(), 1)}</output>
                        </div>
                    }
                }).collect_view()}
                <div class="actions">
                    <button type="button" class="button button--quiet" on:click=move |_| {
                        if let Some(weights) = checked() {
                            save.dispatch(SaveWeightsDraft { weights });
                        }
                    }>"Gem kladde"</button>
                    <button type="button" class="button button--quiet" on:click=move |_| draft.set(current.clone())>"Nulstil til vedtagne"</button>
                </div>
                <div class="field">
                    <label for="w-note">"Bemærkning til vedtagelsen"</label>
                    <input id="w-note" type="text" bind:value=note/>
                </div>
                <button type="button" class="button" on:click=move |_| {
                    if checked().is_some() {
                        let missing = check_adoption_note(&note.get_untracked());
                        let ok = missing.is_empty();
                        invalid.set((!ok).then_some(AppError::Invalid(missing)));
                        confirming.set(ok);
                    }
                }>"Vedtag som ny version"</button>
                {move || confirming.get().then(|| {
                    let (w, lost) = (comparison.get(), incomplete.get());
                    view! {
                        <div class="notice" role="alertdialog" aria-labelledby="bekraeft-vaegte" data-testid="bekraeft-vaegte">
                            <p id="bekraeft-vaegte"><strong>{format!("Vedtag vægtsæt version {}?", current_version + 1)}</strong>
                                {format!(" Den offentlige backlog rangeres straks efter det: {} ønsker skifter plads", w.moves.len())}
                                {if lost.is_empty() { ".".to_string() } else { format!(", og {} ønsker i backloggen vil mangle scoring (de bliver stående, markeret).", lost.len()) }}</p>
                            <button type="button" class="button" on:click=move |_| {
                                confirming.set(false);
                                if let Some(weights) = checked() {
                                    adopt.dispatch(AdoptWeights { weights, note: note.get_untracked() });
                                }
                            }>"Ja, vedtag"</button>
                            " "
                            <button type="button" class="button button--quiet" on:click=move |_| confirming.set(false)>"Fortryd"</button>
                        </div>
                    }
                })}
                {move || adopt.value().get().and_then(Result::ok).map(|v| view! {
                    <div class="notice notice--ok" role="status"><p>{format!("Vægtsæt version {v} er vedtaget; backloggen rangeres nu efter det.")}</p></div>
                })}
                {move || save.value().get().and_then(Result::ok).map(|()| view! { <p class="muted" role="status">"Kladden er gemt."</p> })}
                <ActionError error/>
            </section>
            <section class="panel" aria-labelledby="hvisnu" aria-live="polite">
                <h2 id="hvisnu">"Hvis kladden blev vedtaget"</h2>
                <p class="muted">{format!("Backloggen har {} ønsker; {} ønsker i scoring og prioritering kan rangeres i alt.", backlog_size, base.with_value(|b| b.len()))}</p>
                {move || {
                    let w = comparison.get();
                    let lost = incomplete.get();
                    view! {
                        <h3>{format!("Ville mangle scoring ({})", lost.len())}</h3>
                        {lost.is_empty().then(|| view! { <p class="muted">"Ingen: alle ønsker i backloggen er scoret på de kriterier, kladden vægter."</p> })}
                        <ul data-testid="ville-mangle">{lost.iter().take(15).map(|(id, missing)| view! {
                            <li>{name(*id)}{format!(" – mangler scoring: {}", criteria_list(missing))}</li>
                        }).collect_view()}</ul>
                        <h3>{format!("Ind blandt de {top} øverste ({})", w.entering.len())}</h3>
                        <ul>{w.entering.iter().take(15).map(|id| view! { <li>{name(*id)}</li> }).collect_view()}</ul>
                        <h3>{format!("Ud af de {top} øverste ({})", w.leaving.len())}</h3>
                        <ul>{w.leaving.iter().take(15).map(|id| view! { <li>{name(*id)}</li> }).collect_view()}</ul>
                        <h3>"Største flytninger"</h3>
                        <table class="table">
                            <thead><tr><th scope="col">"Ændringsønske"</th><th scope="col" class="right">"Fra"</th><th scope="col" class="right">"Til"</th><th scope="col" class="right">"Flytning"</th></tr></thead>
                            <tbody>
                                {w.moves.iter().take(20).map(|m| view! {
                                    <tr>
                                        <td>{name(m.id)}</td>
                                        <td class="right num">{m.from.map(|x| x.to_string()).unwrap_or_else(|| "–".into())}</td>
                                        <td class="right num">{m.to.map(|x| x.to_string()).unwrap_or_else(|| "–".into())}</td>
                                        <td class="right num">{if m.delta > 0 { format!("▲ {}", m.delta) } else { format!("▼ {}", -m.delta) }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                }}
            </section>
        </div>
        <Versions versions=v.versions.clone()/>
    }
}

#[component]
fn Versions(versions: Vec<(i64, String, String, String)>) -> impl IntoView {
    let chosen = RwSignal::new(None::<i64>);
    let ranking = Resource::new(
        move || chosen.get(),
        |v| async move {
            match v {
                Some(v) => get_ranking(v).await,
                None => Ok(Vec::new()),
            }
        },
    );
    view! {
        <section class="section" aria-labelledby="versioner">
            <h2 id="versioner">"Vedtagne versioner"</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Vedtagne versioner">
            <table class="table">
                <thead><tr><th scope="col">"Version"</th><th scope="col">"Vedtaget"</th><th scope="col">"Af"</th><th scope="col">"Bemærkning"</th><th scope="col"><span class="visually-hidden">"Rangering"</span></th></tr></thead>
                <tbody>
                    {versions.into_iter().map(|(v, at, by, note)| view! {
                        <tr>
                            <td class="num">{v}</td><td>{at}</td><td>{by}</td><td>{note}</td>
                            <td><button type="button" class="button button--quiet" on:click=move |_| chosen.set(Some(v))>{format!("Vis rangering v{v}")}</button></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = ranking.await.unwrap_or_default();
                    (!rows.is_empty()).then(|| view! {
                        <h3>{format!("Rangeringen ved vedtagelsen af version {}", chosen.get_untracked().unwrap_or(0))}</h3>
                        <ol class="ranking">
                            {rows.into_iter().take(30).map(|(id, key, titel, _, score)| view! {
                                <li><a href=format!("/aendringsoensker/{id}")>{key}</a>" "{titel}" · "{crate::domain::beloeb::decimal(score, 1)}</li>
                            }).collect_view()}
                        </ol>
                    })
                })}
            </Transition>
        </section>
    }
}

#[cfg(feature = "hydrate")]
fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// `/vaegte/maaling`: re-ranks 2,700 ændringsønsker × 9 criteria here in the browser, repeatedly, and
/// shows the timings (read by the browser benchmark).
#[component]
pub fn RerankMeasurePage() -> impl IntoView {
    let result = RwSignal::new(None::<(usize, f64, f64, f64)>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use crate::domain::aendring::Weights;
        let items = crate::domain::aendring::scoring::synthetic_rank_inputs(2_700);
        let mut times = Vec::new();
        for run in 0..60 {
            let mut w = Weights { version: 1, weights: [1.0; 9] };
            w.weights[run % 9] = 1.0 + (run % 5) as f64;
            let t0 = now_ms();
            let ranked = rank(&items, &w);
            let _ = what_if(&ranked, &ranked, WHAT_IF_TOP);
            times.push(now_ms() - t0);
        }
        times.sort_by(f64::total_cmp);
        let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
        result.set(Some((items.len(), q(0.5), q(0.95), q(1.0))));
    });
    view! {
        <Title text="Måling af rangering"/>
        <h1>"Måling: rangering i browseren"</h1>
        <p data-testid="rerank-result">{move || match result.get() {
            Some((n, p50, p95, max)) => format!("n={n} p50={p50:.2} p95={p95:.2} max={max:.2}"),
            None => "måler …".into(),
        }}</p>
    }
}
