//! The published, prioritized backlog — no login. Each rank is explained: weight × score per
//! criterion. Updates itself when scores or weights change.

use super::{StatusBadge, debounced};
use crate::api::aendring::get_backlog;
use crate::components::Loaded;
use crate::components::live::use_aendring_events;
use crate::model::aendring::{Backlog, BacklogItem};
use crate::pages::LiveBadge;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BacklogPage() -> impl IntoView {
    let query = use_query_map();
    let search = move || query.read().get("q").filter(|s| !s.is_empty());
    let backlog = Resource::new(search, get_backlog);
    let reload = debounced(move || backlog.refetch());
    let status = use_aendring_events(true, move |_| reload());
    view! {
        <Title text="Prioriteret backlog"/>
        <div class="page-head">
            <h1>"Prioriteret backlog for KY"</h1>
            <LiveBadge status/>
        </div>
        <p class="lede">
            "Ændringsønsker, der er prioriteret til udvikling, rangeret efter den kommunale styregruppes vægte. "
            "Se listen igennem, før I melder et nyt ønske ind – måske er det her allerede."
        </p>
        <form method="get" action="/backlog" class="filters" role="search">
            <div class="field field--inline">
                <label for="q">"Søg i backlog"</label>
                <input id="q" name="q" value=move || search().unwrap_or_default() placeholder="fx fordring, brev, modregning"/>
            </div>
            <button type="submit" class="button button--quiet">"Søg"</button>
            <a class="button button--quiet" href="/api/v1/backlog?format=csv" download>"Hent som CSV"</a>
            <a class="button button--quiet" href="/api/v1/backlog">"JSON"</a>
        </form>
        <Loaded resource=backlog view=move |b: Backlog| view! { <BacklogTable backlog=b/> }/>
    }
}

#[component]
fn BacklogTable(backlog: Backlog) -> impl IntoView {
    let weights = backlog.weights.clone();
    view! {
        <p class="muted">
            {format!("{} ændringsønsker · vægtsæt version {} · målet er ca. 100", backlog.items.len(), weights.version)}
        </p>
        <table class="table backlog">
            <caption class="visually-hidden">"Prioriteret backlog"</caption>
            <thead>
                <tr>
                    <th scope="col" class="right">"Nr."</th>
                    <th scope="col">"Ændringsønske"</th>
                    <th scope="col">"Ydelsesarter"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="right">"Kommuner"</th>
                    <th scope="col">"Score (0–100) og hvorfor"</th>
                </tr>
            </thead>
            <tbody>
                {backlog.items.into_iter().map(|i| view! { <BacklogRow item=i/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn BacklogRow(item: BacklogItem) -> impl IntoView {
    let id = item.id;
    view! {
        <tr data-testid=format!("backlog-{}", item.key)>
            <td class="right num rank" data-testid=format!("backlog-rank-{}", item.key)>{item.rank.map_or_else(|| "–".to_string(), |r| r.to_string())}</td>
            <td><a href=format!("/aendringsoensker/{id}")>{item.key.clone()}</a><br/>{item.titel.clone()}</td>
            <td data-label="Ydelsesarter">{item.ydelsesarter.join(", ")}</td>
            <td data-label="Status"><StatusBadge status=item.status/></td>
            <td class="right num" data-label="Kommuner">{item.kommuner}</td>
            <td class="why-cell">
                {(!item.missing.is_empty()).then(|| view! {
                    <p class="badge badge--warn" data-testid=format!("mangler-{}", item.key)>
                        {format!("Mangler scoring: {}", crate::domain::aendring::flow::criteria_list(&item.missing))}
                    </p>
                })}
                // An SVG bar, not a `style` attribute: the Content-Security-Policy allows no inline styles.
                <svg class="scorebar" viewBox="0 0 100 1" preserveAspectRatio="none" role="img" aria-label=score_text(item.score, " af 100")>
                    <rect width=format!("{:.1}", item.score.unwrap_or(0.0).clamp(0.0, 100.0)) height="1"></rect>
                </svg>
                <details>
                    <summary><strong class="num">{score_text(item.score, "")}</strong>" – sådan er scoren regnet"</summary>
                    <table class="explain">
                        <thead>
                            <tr><th scope="col">"Kriterium"</th><th scope="col" class="right">"Vægt"</th><th scope="col" class="right">"Score (1–5)"</th><th scope="col" class="right">"Point"</th></tr>
                        </thead>
                        <tbody>
                            {item.contributions.iter().map(|c| view! {
                                <tr>
                                    <td>{c.criterion.label()}</td>
                                    <td class="right num">{format!("{}", c.weight)}</td>
                                    <td class="right num">{c.mean.map(|m| crate::domain::beloeb::decimal(m, 2)).unwrap_or_else(|| "–".into())}</td>
                                    <td class="right num">{crate::domain::beloeb::decimal(c.points, 1)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </td>
        </tr>
    }
}

/// `Score 83,3 af 100`, or that there is none yet.
fn score_text(score: Option<f64>, suffix: &str) -> String {
    match score {
        Some(s) if suffix.is_empty() => crate::domain::beloeb::decimal(s, 1),
        Some(s) => format!("Score {}{suffix}", crate::domain::beloeb::decimal(s, 1)),
        None => "Ingen score endnu".into(),
    }
}
