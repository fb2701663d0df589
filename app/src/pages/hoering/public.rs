//! `/hoering/:id/svar`: the published hearing — every submitted answer and KOMBIT's reply,
//! without kommune or person, no login. Also as JSON and CSV (`/api/v1/hoeringer/{id}/svar`).

use super::answer::Reply;
use super::summary::SummaryView;
use crate::api::hoering::get_public_hoering;
use crate::components::Loaded;
use crate::domain::hoering::Triage;
use crate::model::hoering::PublicHoering;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PublicHoeringPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let hoering = Resource::new(id, get_public_hoering);
    view! {
        <Title text="Høringssvar"/>
        <Loaded resource=hoering view={move |h: PublicHoering| view! {
            <h1>{format!("Høringssvar: {}", h.titel)}</h1>
            <p class="lede">{format!("Alle indsendte svar og KOMBITs bemærkninger, anonymiseret. Frist {}.", h.frist)}</p>
            <p>
                <a class="button button--quiet" href=format!("/api/v1/hoeringer/{}/svar?format=csv", h.id) download>"Hent som CSV"</a>
                " "
                <a class="button button--quiet" href=format!("/api/v1/hoeringer/{}/svar", h.id)>"JSON"</a>
            </p>
            <SummaryView summary=h.opsummering.clone()/>
            <ol class="cards hoering-public">
                {h.svar.into_iter().map(|s| view! {
                    <li class="panel" id=format!("svar-{}", s.nr) data-testid=format!("offentligt-svar-{}", s.nr)>
                        <h2>{format!("Svar nr. {} · {} {}", s.nr, s.afsnit, s.afsnit_titel)}</h2>
                        <blockquote class="prose">{format!("'{}'", s.svar)}</blockquote>
                        {match s.kategori.as_deref().and_then(Triage::parse) {
                            Some(t) => view! { <Reply triage=t reply=s.kommentar.clone().unwrap_or_default() arbejdsgruppen=s.arbejdsgruppen.clone()/> }.into_any(),
                            None => view! { <p class="muted">"Afventer KOMBITs behandling."</p> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ol>
        }}/>
    }
}
