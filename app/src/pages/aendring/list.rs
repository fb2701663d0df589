//! Lists of ændringsønsker: a kommune's own ændringsønsker, KOMBIT's queues by status, the legacy pool and
//! the ØIR list.

use super::StatusBadge;
use crate::api::aendring::{AendringQuery, aendring_counts, list_aendringer};
use crate::app::use_user;
use crate::components::Loaded;
use crate::domain::Role;
use crate::domain::aendring::{AendringType, Status};
use crate::model::aendring::{AendringList, LIST_SORTS};
use crate::pages::fmt_count;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn query() -> impl Fn() -> AendringQuery + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || {
        let q = q.read();
        AendringQuery::from_params(|name| q.get(name))
    }
}

#[component]
pub fn AendringerPage() -> impl IntoView {
    let q = query();
    let list = Resource::new(q, list_aendringer);
    let counts = Resource::new(|| (), |_| aendring_counts());
    let user = use_user();
    view! {
        <Title text="Ændringsønsker"/>
        <div class="page-head">
            <h1>"Ændringsønsker"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.filter(|u| u.role == Role::Supportberettiget).map(|_| view! {
                        <a class="button" href="/aendringsoensker/ny">"Nyt ændringsønske"</a>
                    })
                })}
            </Suspense>
        </div>
        <nav aria-label="Status" class="tabs">
            <a href="/aendringsoensker" aria-current=move || q().status.is_empty().then_some("page")>"Alle"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let counts = counts.await.unwrap_or_default();
                    Status::ALL
                        .into_iter()
                        .filter_map(|s| counts.iter().find(|(c, _)| *c == s).map(|(_, n)| (s, *n)))
                        .map(|(s, n)| view! {
                            <a href=format!("/aendringsoensker?status={}", s.key()) aria-current=move || (q().status == s.key()).then_some("page")>
                                {s.label()} " " <span class="count">{fmt_count(n)}</span>
                            </a>
                        })
                        .collect_view()
                })}
            </Suspense>
        </nav>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                user.await.filter(|u| u.role == Role::Kombit).map(|_| view! { <QueueFilters query=q()/> })
            })}
        </Suspense>
        <Loaded resource=list view=move |l: AendringList| view! { <AendringTable list=l query=q()/> }/>
    }
}

#[component]
fn AendringTable(list: AendringList, query: AendringQuery) -> impl IntoView {
    let pages = ((list.total + list.page_size - 1) / list.page_size).max(1);
    let link = move |page: i64| query.url(page);
    view! {
        {list.waiting.map(|w| view! { <h2 data-testid="arbejdsliste">{w.label()}</h2> })}
        <div class="table-scroll" role="region" aria-label="Ændringsønsker" tabindex="0">
        <table class="table">
            <caption>{format!("{} ændringsønsker, side {} af {pages}", fmt_count(list.total), list.page + 1)}</caption>
            <thead>
                <tr>
                    <th scope="col">"Nøgle"</th><th scope="col">"Titel"</th><th scope="col">"Status"</th>
                    <th scope="col">"Kommune"</th><th scope="col" class="right">"Kommuner"</th>
                    <th scope="col">"Indmeldt"</th><th scope="col">"Fagfællesskab"</th>
                </tr>
            </thead>
            <tbody>
                {list.items.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/aendringsoensker/{}", r.id)>{r.key}</a></td>
                        <td>{r.titel}{r.oeir.then_some(" (ØIR)")}</td>
                        <td><StatusBadge status=r.status/></td>
                        <td>{r.kommune_navn}</td>
                        <td class="right num">{r.kommuner}</td>
                        <td>{r.filed_at}</td>
                        <td>{r.fagfaellesskab}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        <nav aria-label="Sider" class="pager">
            {(list.page > 0).then(|| view! { <a class="button button--quiet" rel="prev" href=link(list.page - 1)>"← Forrige"</a> })}
            <span>{format!("Side {} af {pages}", list.page + 1)}</span>
            {(list.page + 1 < pages).then(|| view! { <a class="button button--quiet" rel="next" href=link(list.page + 1)>"Næste →"</a> })}
        </nav>
    }
}

/// KOMBIT's search, filters and order for the queues (a GET form: works without JavaScript, and
/// the URL can be bookmarked or shared).
#[component]
fn QueueFilters(query: AendringQuery) -> impl IntoView {
    let kommune = query.kommune.map(|k| k.to_string()).unwrap_or_default();
    let age = query.older_than_days;
    view! {
        <form method="get" action="/aendringsoensker" class="filters panel" role="search" aria-label="Søg og filtrér">
            {(!query.status.is_empty()).then(|| view! { <input type="hidden" name="status" value=query.status.clone()/> })}
            {(!query.waiting.is_empty()).then(|| view! { <input type="hidden" name="venter" value=query.waiting.clone()/> })}
            <div class="field field--wide">
                <label for="s-q">"Søg i titel og tekst"</label>
                <input id="s-q" type="search" name="q" value=query.search.clone() placeholder="fx tilbagebetaling paragraf"/>
            </div>
            <div class="field">
                <label for="s-tema">"Tema"</label>
                <input id="s-tema" type="text" name="tema" value=query.theme.clone()/>
            </div>
            <div class="field">
                <label for="s-kommune">"Kommunenr."</label>
                <input id="s-kommune" type="text" inputmode="numeric" name="kommune" value=kommune size="4"/>
            </div>
            <div class="field">
                <label for="s-type">"Type"</label>
                <select id="s-type" name="type">
                    <option value="">"Alle"</option>
                    {AendringType::ALL.into_iter().map(|t| view! {
                        <option value=t.key() selected=query.aendring_type == t.key()>{t.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="s-alder">"Indmeldt for"</label>
                <select id="s-alder" name="alder">
                    <option value="">"Når som helst"</option>
                    {[(30, "Over 30 dage siden"), (90, "Over 90 dage siden"), (365, "Over et år siden")].into_iter().map(|(d, label)| view! {
                        <option value=d.to_string() selected=age == Some(d)>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="s-oeir">"ØIR"</label>
                <select id="s-oeir" name="oeir">
                    <option value="">"Alle"</option>
                    <option value="true" selected=query.oeir == Some(true)>"Kun ØIR"</option>
                    <option value="false" selected=query.oeir == Some(false)>"Uden ØIR"</option>
                </select>
            </div>
            <div class="field">
                <label for="s-sort">"Sortering"</label>
                <select id="s-sort" name="sortering">
                    {LIST_SORTS.into_iter().map(|(key, label)| view! {
                        <option value=key selected=query.sort == key>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">"Søg"</button>
            <a class="button button--quiet" href="/aendringsoensker">"Nulstil"</a>
        </form>
    }
}
