//! Who looked at whom (`/revisionslog`): the kommune's project lead and data-protection officer
//! search the audit log by CPR, user, period and action (a plain GET form: the search is in the
//! URL, works without JavaScript), page through it and download it as CSV.

use crate::api::audit_log::search_audit_log;
use crate::components::Loaded;
use crate::model::audit_log::{AuditLogPage, AuditQuery};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RevisionslogPage() -> impl IntoView {
    let q = use_query_map();
    let query = move || {
        let q = q.read();
        let text = |key: &str| q.get(key).unwrap_or_default();
        AuditQuery {
            cpr: text("cpr"),
            bruger: text("bruger"),
            fra: text("fra"),
            til: text("til"),
            handling: text("handling"),
            foer: q.get("foer").and_then(|f| f.parse().ok()),
        }
    };
    let page = Resource::new(query, search_audit_log);
    view! {
        <Title text="Revisionslog"/>
        <h1>"Revisionslog – hvem har set hvad"</h1>
        <SearchForm q=query()/>
        <Loaded resource=page view=move |p: AuditLogPage| view! { <Results p=p/> }/>
    }
}

#[component]
fn SearchForm(q: AuditQuery) -> impl IntoView {
    view! {
        <form method="get" action="/revisionslog" class="filters" role="search" aria-label="Søg i revisionsloggen">
            <label>"CPR-nummer"<input name="cpr" value=q.cpr inputmode="numeric" autocomplete="off"/></label>
            <label>"Bruger"<input name="bruger" value=q.bruger autocomplete="off"/></label>
            <label>"Fra dato"<input name="fra" value=q.fra placeholder="dd.mm.åååå"/></label>
            <label>"Til dato"<input name="til" value=q.til placeholder="dd.mm.åååå"/></label>
            <label>"Handling"<input name="handling" value=q.handling list="handlinger"/></label>
            <button type="submit" class="button">"Søg"</button>
        </form>
    }
}

#[component]
fn Results(p: AuditLogPage) -> impl IntoView {
    let k = p.kommune.get();
    let search = p.query.to_query_string();
    let export = format!(
        "/api/v1/kommuner/{k:03}/revisionslog?format=csv{}",
        if search.is_empty() { String::new() } else { format!("&{search}") }
    );
    let next =
        p.next.map(|id| format!("/revisionslog?{}{}foer={id}", search, if search.is_empty() { "" } else { "&" }));
    view! {
        <datalist id="handlinger">{p.actions.into_iter().map(|a| view! { <option value=a/> }).collect_view()}</datalist>
        <p class="lede">{format!(
            "{} Kommune. Poster gemmes i {} dage; ældre slettes hver nat. Din søgning og eksport bliver selv logget.",
            p.kommune.navn(), p.retention_days
        )}</p>
        {p.last_purge.map(|s| view! { <p class="muted" data-testid="sidste-sletning">"Sidste sletning: " {s}</p> })}
        <p><a class="button button--quiet" href=export download>"Hent som CSV"</a></p>
        {if p.rows.is_empty() {
            view! { <p class="notice" role="status">"Ingen poster passer til søgningen."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Poster i revisionsloggen">
                    <table class="table" data-testid="revisionslog">
                        <thead><tr>
                            <th scope="col">"Tidspunkt"</th><th scope="col">"Bruger"</th><th scope="col">"CPR"</th>
                            <th scope="col">"Handling"</th><th scope="col">"Detaljer"</th>
                        </tr></thead>
                        <tbody>
                            {p.rows.into_iter().map(|r| view! {
                                <tr>
                                    <td class="num">{r.at}</td><td>{r.actor}</td><td class="num">{r.cpr}</td>
                                    <td>{r.action}</td><td>{r.detail}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {next.map(|href| view! { <p><a href=href>"Ældre poster"</a></p> })}
    }
}
