//! `/hoeringer/:id`: the material and its sections; a høringsansvarlig writes, saves and submits
//! the kommune's answers here and reads KOMBIT's replies; KOMBIT triages the queue (untriaged
//! first, filtered by category or section). The summary follows every submission and triage live
//! (the ændringsønsker' event stream carries the hearing's id; no polling).

use super::answer::{NewAnswer, OwnAnswer};
use super::summary::SummaryView;
use super::triage::TriageCard;
use crate::api::hoering::get_hoering;
use crate::components::Loaded;
use crate::components::live::use_aendring_events;
use crate::domain::hoering::Triage;
use crate::model::hoering::{HoeringView, SvarFilter};
use crate::pages::LiveBadge;
use crate::pages::aendring::debounced;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HoeringPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let filter = move || SvarFilter {
        category: query.read().get("kategori").unwrap_or_default(),
        afsnit_id: query.read().get("afsnit").and_then(|s| s.parse().ok()),
    };
    let tick = RwSignal::new(0u32);
    let hoering = Resource::new(move || (id(), filter(), tick.get()), |(id, filter, _)| get_hoering(id, filter));
    let reload = debounced(move || tick.update(|t| *t += 1));
    let status = use_aendring_events(false, move |ev| {
        if ev.is_none_or(|ev| ev.hoering == Some(id())) {
            reload();
        }
    });
    view! {
        <Title text="Høring"/>
        <Loaded resource=hoering view={move |h: HoeringView| view! {
            <div class="page-head">
                <h1>{h.title.clone()}</h1>
                <LiveBadge status/>
            </div>
            <HoeringBody h tick/>
        }}/>
    }
}

#[component]
fn HoeringBody(h: HoeringView, tick: RwSignal<u32>) -> impl IntoView {
    let refresh = move || tick.update(|t| *t += 1);
    let sections = h.sections.clone();
    view! {
        <p class="lede">{format!("Frist {} · {}", h.deadline, if h.open { "åben for svar" } else { "lukket for svar" })}</p>
        <p class="muted">{format!("Åbnet {}", h.opened)}" · "<a href=format!("/hoering/{}/svar", h.id)>"Offentlige svar (anonymiseret)"</a></p>
        <details class="panel">
            <summary>"Materialet og afsnittene"</summary>
            <p class="prose">{h.material.clone()}</p>
            <ul>{h.sections.iter().map(|a| view! { <li>{format!("{} {}", a.number, a.title)}</li> }).collect_view()}</ul>
        </details>
        <SummaryView summary=h.summary.clone()/>
        {h.may_answer.then(|| view! { <NewAnswer hoering_id=h.id sections=sections.clone() on_done=refresh/> })}
        {(!h.may_triage).then(|| view! {
            <section aria-labelledby="jeres-svar">
                <h2 id="jeres-svar">"Jeres svar"</h2>
                {h.answers.is_empty().then(|| view! { <p>"I har ingen svar i denne høring."</p> })}
                {h.answers.clone().into_iter().map(|a| view! { <OwnAnswer a sections=sections.clone() on_done=refresh/> }).collect_view()}
            </section>
        })}
        {h.may_triage.then(|| view! {
            <section aria-labelledby="behandling">
                <h2 id="behandling">"Behandling af høringssvar"</h2>
                <QueueFilter hoering_id=h.id sections=sections.clone()/>
                <p class="muted">{format!("{} svar vist, ubehandlede først.", h.answers.len())}</p>
                {h.answers.clone().into_iter().map(|a| view! { <TriageCard a on_done=refresh/> }).collect_view()}
            </section>
        })}
    }
}

/// A plain GET form, so the filter is in the URL and works without JavaScript.
#[component]
fn QueueFilter(hoering_id: i64, sections: Vec<crate::model::hoering::AfsnitView>) -> impl IntoView {
    let query = use_query_map();
    let current = move |key: &str| query.read().get(key).unwrap_or_default();
    view! {
        <form method="get" action=format!("/hoeringer/{hoering_id}") class="filters">
            <div class="field field--inline">
                <label for="kategori">"Kategori"</label>
                <select id="kategori" name="kategori">
                    <option value="" selected=move || current("kategori").is_empty()>"Alle"</option>
                    <option value="ubehandlet" selected=move || current("kategori") == "ubehandlet">"Ubehandlede"</option>
                    {Triage::ALL.into_iter().map(|t| view! {
                        <option value=t.key() selected=move || current("kategori") == t.key()>{t.full_label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--inline">
                <label for="afsnit">"Afsnit"</label>
                <select id="afsnit" name="afsnit">
                    <option value="" selected=move || current("afsnit").is_empty()>"Alle"</option>
                    {sections.into_iter().map(|a| {
                        let v = a.id.to_string();
                        let v2 = v.clone();
                        view! { <option value=v selected=move || current("afsnit") == v2>{format!("{} {}", a.number, a.title)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--quiet">"Vis"</button>
        </form>
    }
}
