//! One opgavepakke: its open tasks, paged, sortable and filterable, refreshed when the live
//! counts change; "Næste opgave" hands out the next task. Another kommune's opgavepakke is refused
//! by the server, and the page then shows the refusal and nothing else.

use super::{LiveBadge, fmt_count, kommune_param};
use crate::api::board::get_board;
use crate::api::tasks::list_opgavepakke;
use crate::app::use_user;
use crate::components::ErrorNotice;
use crate::components::live::use_live_counts;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use crate::domain::{Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::task::TaskPage;
use crate::model::{ListQuery, SortKey};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OpgavepakkePage() -> impl IntoView {
    let params = use_params_map();
    let opgavepakke = move || params.read().get("pakke").and_then(|s| Opgavepakke::parse(&s).ok());
    let user = use_user();
    let asked = kommune_param();
    // Links carry ?kommune=NNN, so the page normally knows its kommune at once (resources are
    // then created outside any Suspend); only a bare URL waits for the user's own kommune.
    move || {
        match (opgavepakke(), asked().and_then(|k| Kommunenr::try_from(k).ok())) {
        (None, _) => view! { <p class="notice notice--error" role="alert">"Opgavepakken findes ikke (01–17)."</p> }.into_any(),
        (Some(p), Some(k)) => view! { <OpgavepakkeLive opgavepakke=p kommune=k/> }.into_any(),
        (Some(p), None) => view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await.and_then(|u| u.kommune) {
                        Some(k) => view! { <leptos_router::components::Redirect path=format!("/opgavepakker/{}?kommune={k}", p.code())/> }.into_any(),
                        None => view! { <p class="notice" role="alert">"Vælg en kommune på " <a href="/opgavepakker">"oversigten"</a> "."</p> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any(),
    }
    }
}

fn query_from_url() -> impl Fn() -> ListQuery + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || {
        let q = q.read();
        ListQuery {
            sort: SortKey::parse(&q.get("sort").unwrap_or_default()),
            cpr: q.get("cpr").unwrap_or_default(),
            sagsbehandler: q.get("sagsbehandler").unwrap_or_default(),
            page: q.get("side").and_then(|s| s.parse::<i64>().ok()).map(|s| s - 1).unwrap_or(0).max(0),
        }
    }
}

/// The URL of a list view with the given query.
fn list_url(opgavepakke: Opgavepakke, kommune: Kommunenr, q: &ListQuery) -> String {
    let mut url = format!("/opgavepakker/{}?kommune={kommune}&sort={}", opgavepakke.code(), q.sort.key());
    if !q.cpr.is_empty() {
        url.push_str(&format!(
            "&cpr={}",
            q.cpr.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect::<String>()
        ));
    }
    if !q.sagsbehandler.is_empty() {
        url.push_str(&format!(
            "&sagsbehandler={}",
            q.sagsbehandler.chars().filter(|c| c.is_ascii_alphanumeric() || ".-_".contains(*c)).collect::<String>()
        ));
    }
    if q.page > 0 {
        url.push_str(&format!("&side={}", q.page + 1));
    }
    url
}

/// The page for one kommune's opgavepakke. The kommune's board is fetched first: its counts show at
/// once (before the live stream connects, and without JavaScript), and when the server refuses
/// the kommune the page shows that refusal alone — no counts, no list, no "Næste opgave", no
/// live stream that would be refused over and over.
#[component]
fn OpgavepakkeLive(opgavepakke: Opgavepakke, kommune: Kommunenr) -> impl IntoView {
    let board = Resource::new(|| (), move |_| get_board(Some(kommune.get())));
    let query = query_from_url();
    let list = Resource::new(query, move |q| async move {
        // After the board only: a refused kommune is asked (and audited) once, not twice.
        board.await?;
        list_opgavepakke(Some(kommune.get()), opgavepakke.nr(), q).await
    });
    view! {
        <Title text=format!("Opgavepakke {}", opgavepakke.code())/>
        <nav aria-label="Brødkrummer" class="crumbs">
            <a href=format!("/opgavepakker?kommune={kommune}")>"Opgavepakker"</a>
            " › " <span aria-current="page">{opgavepakke.code()}</span>
        </nav>
        <Suspense fallback=|| view! { <p class="loading" aria-live="polite">"Henter …"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <OpgavepakkeView opgavepakke kommune counts=b.counts list query/> }.into_any(),
                    Err(error) => view! { <h1>{opgavepakke.full_name()}</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OpgavepakkeView(
    opgavepakke: Opgavepakke,
    kommune: Kommunenr,
    counts: OpgavepakkeCounts,
    list: Resource<Result<TaskPage, AppError>>,
    query: impl Fn() -> ListQuery + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (counts, status) = use_live_counts(kommune, counts);
    let empty_notice = use_query_map();
    refetch_on_change(counts, list);
    view! {
        <div class="page-head">
            <h1>{opgavepakke.full_name()}</h1>
            <LiveBadge status/>
        </div>
        <div class="toolbar">
            <p class="toolbar__count">
                <span class="num" data-testid="pakke-antal">{move || fmt_count(counts.with(|c| c.get(opgavepakke)))}</span>
                " åbne opgaver i " {kommune.navn()}
            </p>
            <form method="post" action="/sf/next_task" class="toolbar__next">
                <input type="hidden" name="kommune" value=kommune.get().to_string()/>
                <input type="hidden" name="opgavepakke_nr" value=opgavepakke.nr().to_string()/>
                <button type="submit" class="button">"Næste opgave"</button>
            </form>
        </div>
        {move || empty_notice.read().get("tom").map(|_| view! {
            <div class="notice" role="status"><p>"Der er ingen ledige opgaver i pakken lige nu."</p></div>
        })}
        <Transition fallback=|| view! { <p class="loading">"Henter opgaver …"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => view! { <TaskTable page query=query()/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Refetches the list when the counts change (debounced, so a burst of changes is one fetch).
fn refetch_on_change(counts: ReadSignal<OpgavepakkeCounts>, list: Resource<Result<TaskPage, AppError>>) {
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |prev: Option<i64>| {
            let version = counts.with(|c| c.version);
            // Version 0 is the placeholder before the first snapshot arrives.
            if prev.is_some_and(|p| p != 0 && p != version) {
                pending.set_value(Some(gloo_timers::callback::Timeout::new(300, move || list.refetch())));
            }
            version
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (counts, list);
}

#[component]
fn TaskTable(page: TaskPage, query: ListQuery) -> impl IntoView {
    let (opgavepakke, kommune) = (page.opgavepakke, page.kommune);
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    let names = page.caseworkers.clone();
    let name_of = move |username: Option<String>| {
        username
            .map(|u| names.iter().find(|(n, _)| *n == u).map(|(_, name)| name.clone()).unwrap_or(u))
            .unwrap_or_default()
    };
    let sort_link = |key: SortKey, label: &'static str| {
        let q = ListQuery { sort: key, page: 0, ..query.clone() };
        let current = query.sort == key;
        view! {
            <a href=list_url(opgavepakke, kommune, &q) aria-current=current.then_some("true") class:sorted=current>{label}</a>
        }
    };
    let page_link = |to: i64, label: &'static str, rel: &'static str| {
        let q = ListQuery { page: to, ..query.clone() };
        view! { <a href=list_url(opgavepakke, kommune, &q) rel=rel class="button button--quiet">{label}</a> }
    };
    view! {
        <form method="get" action=format!("/opgavepakker/{}", opgavepakke.code()) class="filters" role="search">
            <input type="hidden" name="kommune" value=kommune.get().to_string()/>
            <div class="field field--inline">
                <label for="f-cpr">"CPR-nummer"</label>
                <input id="f-cpr" name="cpr" inputmode="numeric" value=query.cpr.clone() placeholder="fx 610585"/>
            </div>
            <div class="field field--inline">
                <label for="f-sb">"Sagsbehandler"</label>
                <select id="f-sb" name="sagsbehandler">
                    <option value="">"Alle"</option>
                    {page.caseworkers.iter().map(|(u, name)| view! {
                        <option value=u.clone() selected=query.sagsbehandler == *u>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--inline">
                <label for="f-sort">"Sortér efter"</label>
                <select id="f-sort" name="sort">
                    <option value="alder" selected=query.sort == SortKey::Alder>"Ældste fordring først"</option>
                    <option value="beloeb" selected=query.sort == SortKey::Beloeb>"Største beløb først"</option>
                    <option value="cpr" selected=query.sort == SortKey::Cpr>"CPR-nummer"</option>
                </select>
            </div>
            <button type="submit" class="button button--quiet">"Vis"</button>
        </form>
        <table class="table">
            <caption>{format!("{} opgaver, side {} af {pages}", fmt_count(page.total), page.page + 1)}</caption>
            <thead>
                <tr>
                    <th scope="col">{sort_link(SortKey::Cpr, "CPR-nummer")}</th>
                    <th scope="col">"Navn"</th>
                    <th scope="col">"Fordring"</th>
                    <th scope="col" class="right">{sort_link(SortKey::Beloeb, "Hovedstol")}</th>
                    <th scope="col">{sort_link(SortKey::Alder, "Stiftet")}</th>
                    <th scope="col">"Sagsbehandler"</th>
                    <th scope="col">"Mangler"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {page.items.is_empty().then(|| {
                    let filtered = !query.cpr.is_empty() || !query.sagsbehandler.is_empty();
                    let clear = list_url(opgavepakke, kommune, &ListQuery { sort: query.sort, ..ListQuery::default() });
                    view! {
                        <tr>
                            <td colspan="8" data-testid="tom-liste">
                                {if filtered {
                                    view! { "Ingen åbne opgaver passer til filteret. " <a href=clear>"Ryd filteret"</a> }.into_any()
                                } else {
                                    view! { "Der er ingen åbne opgaver i pakken." }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                })}
                {page.items.into_iter().map(|t| view! {
                    <tr>
                        <td><a href=format!("/opgaver/{}", t.id)>{t.cpr}</a></td>
                        <td>{t.navn}</td>
                        <td>{t.fordring_id}</td>
                        <td class="right num">{t.hovedstol.to_string()}</td>
                        <td>{t.stiftet}</td>
                        <td>{name_of(t.sagsbehandler)}</td>
                        <td><abbr class="defects" title=t.defects.explanation(false).join(" ")>{t.defects.letters()}</abbr></td>
                        <td>{t.claimed_by.map(|u| format!("I gang: {}", name_of(Some(u))))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <nav aria-label="Sider" class="pager">
            {(page.page > 0).then(|| page_link(page.page - 1, "← Forrige", "prev"))}
            <span>{format!("Side {} af {pages}", page.page + 1)}</span>
            {(page.page + 1 < pages).then(|| page_link(page.page + 1, "Næste →", "next"))}
        </nav>
    }
}
