//! Lists of ændringsønsker: a kommune's own ændringsønsker, KOMBIT's queues by status, the legacy pool and
//! the ØIR list.

use super::StatusBadge;
use crate::api::aendring::{AendringQuery, aendring_counts, list_aendringer};
use crate::app::use_user;
use crate::components::Loaded;
use crate::domain::Role;
use crate::domain::aendring::Status;
use crate::model::aendring::AendringList;
use crate::pages::fmt_count;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn query() -> impl Fn() -> AendringQuery + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || {
        let q = q.read();
        let flag = |name: &str| q.get(name).map(|v| v == "true");
        AendringQuery {
            status: q.get("status").unwrap_or_default(),
            legacy: flag("legacy"),
            oeir: flag("oeir"),
            theme: q.get("tema").unwrap_or_default(),
            page: q.get("side").and_then(|s| s.parse::<i64>().ok()).map(|s| s - 1).unwrap_or(0).max(0),
        }
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
        <Loaded resource=list view=move |l: AendringList| view! { <AendringTable list=l query=q()/> }/>
    }
}

#[component]
fn AendringTable(list: AendringList, query: AendringQuery) -> impl IntoView {
    let pages = ((list.total + list.page_size - 1) / list.page_size).max(1);
    let link = move |page: i64| {
        let mut url = format!("/aendringsoensker?side={}", page + 1);
        if !query.status.is_empty() {
            url.push_str(&format!("&status={}", query.status));
        }
        for (name, v) in [("legacy", query.legacy), ("oeir", query.oeir)] {
            if let Some(v) = v {
                url.push_str(&format!("&{name}={v}"));
            }
        }
        url
    };
    view! {
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
        <nav aria-label="Sider" class="pager">
            {(list.page > 0).then(|| view! { <a class="button button--quiet" rel="prev" href=link(list.page - 1)>"← Forrige"</a> })}
            <span>{format!("Side {} af {pages}", list.page + 1)}</span>
            {(list.page + 1 < pages).then(|| view! { <a class="button button--quiet" rel="next" href=link(list.page + 1)>"Næste →"</a> })}
        </nav>
    }
}
