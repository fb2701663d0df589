//! Report R2.1 "KMD Aktiv fordringers opgavepakker" (`/rapport`), the project lead's steering
//! view: the open tasks filtered and sorted (`table`), the hand-over of persons (`hand_over`),
//! totals and the citizen × opgavepakke matrix (`totals`), and the CSV/XLSX downloads. It
//! refetches when the kommune's live counts change, like the opgavepakke lists.

mod hand_over;
mod table;
mod totals;

use super::{LiveBadge, kommune_param};
use crate::api::board::get_board;
use crate::api::report::{HandOverPersons, TakeBackPersons};
use crate::api::report::{get_report_matrix, get_report_totals, list_report};
use crate::app::use_user;
use crate::components::ErrorNotice;
use crate::components::live::use_live_counts;
use crate::domain::Kommunenr;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use crate::error::AppError;
use crate::model::report::{MatrixPage, ReportPage, ReportQuery, ReportSort, ReportTotals};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportPage() -> impl IntoView {
    let user = use_user();
    let asked = kommune_param();
    move || {
        match asked().and_then(|k| Kommunenr::try_from(k).ok()) {
        Some(k) => view! { <ReportLive kommune=k/> }.into_any(),
        None => view! {
            <Title text="Rapport R2.1"/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await.and_then(|u| u.kommune) {
                        Some(k) => view! { <leptos_router::components::Redirect path=format!("/rapport?kommune={k}")/> }.into_any(),
                        None => view! { <p class="notice" role="alert">"Vælg en kommune på " <a href="/opgavepakker">"oversigten"</a> "."</p> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any(),
    }
    }
}

/// The report's filters, sort and page from the URL (`?pakke=03&sagsbehandler=…&side=2`).
fn query_from_url() -> impl Fn() -> ReportQuery + Copy + Send + Sync + 'static {
    let q = use_query_map();
    move || {
        let q = q.read();
        let text = |key: &str| q.get(key).unwrap_or_default();
        ReportQuery {
            opgavepakke: text("pakke"),
            sagsbehandler: text("sagsbehandler"),
            tildelt: text("tildelt"),
            cpr: text("cpr"),
            min_beloeb: text("min"),
            kun_tilbagefoersel: q.get("tilbagefoersel").is_some_and(|v| v == "1"),
            sort: ReportSort::parse(&text("sort")),
            page: q.get("side").and_then(|s| s.parse::<i64>().ok()).map(|s| s - 1).unwrap_or(0).max(0),
        }
    }
}

/// The query string of a report view (also the download links' filter).
pub fn query_string(kommune: Kommunenr, q: &ReportQuery) -> String {
    let clean = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric() || ".-_,".contains(*c)).collect::<String>();
    let mut url = format!("kommune={kommune}");
    for (key, value) in [
        ("pakke", &q.opgavepakke),
        ("sagsbehandler", &q.sagsbehandler),
        ("tildelt", &q.tildelt),
        ("cpr", &q.cpr),
        ("min", &q.min_beloeb),
    ] {
        let v = clean(value);
        if !v.is_empty() {
            url.push_str(&format!("&{key}={v}"));
        }
    }
    if q.kun_tilbagefoersel {
        url.push_str("&tilbagefoersel=1");
    }
    if q.sort != ReportSort::default() {
        url.push_str(&format!("&sort={}", q.sort.key()));
    }
    if q.page > 0 {
        url.push_str(&format!("&side={}", q.page + 1));
    }
    url
}

/// The REST download of the rows matching `q` (all pages).
pub fn download_url(kommune: Kommunenr, q: &ReportQuery, format: &str) -> String {
    let p = ReportQuery { page: 0, ..q.clone() };
    let rest = query_string(kommune, &p);
    let filters = rest.split_once('&').map(|(_, f)| f).unwrap_or("");
    let filters = filters
        .replace("pakke=", "opgavepakke=")
        .replace("min=", "min_beloeb=")
        .replace("tilbagefoersel=1", "kun_tilbagefoersel=1");
    let sep = if filters.is_empty() { "" } else { "&" };
    format!("/api/v1/kommuner/{kommune}/rapport?format={format}{sep}{filters}")
}

#[component]
fn ReportLive(kommune: Kommunenr) -> impl IntoView {
    let board = Resource::new(|| (), move |_| get_board(Some(kommune.get())));
    let query = query_from_url();
    let hand = ServerAction::<HandOverPersons>::new();
    let back = ServerAction::<TakeBackPersons>::new();
    // Every resource reloads when a hand-over or take-back finished (and on live changes).
    let changed = move || hand.version().get() + back.version().get();
    let list = Resource::new(
        move || (query(), changed()),
        move |(q, _)| async move {
            // After the board only: a refused kommune is asked (and audited) once, not four times.
            board.await?;
            list_report(Some(kommune.get()), q).await
        },
    );
    let totals = Resource::new(changed, move |_| async move {
        board.await?;
        get_report_totals(Some(kommune.get())).await
    });
    let matrix_page = {
        let q = use_query_map();
        move || q.read().get("mside").and_then(|s| s.parse::<i64>().ok()).map(|s| s - 1).unwrap_or(0).max(0)
    };
    let matrix = Resource::new(
        move || (matrix_page(), changed()),
        move |(page, _)| async move {
            board.await?;
            get_report_matrix(Some(kommune.get()), page).await
        },
    );
    view! {
        <Title text="Rapport R2.1"/>
        <Suspense fallback=|| view! { <p class="loading" aria-live="polite">"Henter …"</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => view! { <ReportView kommune counts=b.counts query data=Data { list, totals, matrix, hand, back }/> }.into_any(),
                    Err(error) => view! { <h1>"Rapport R2.1"</h1><ErrorNotice error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The page's resources and actions.
#[derive(Clone, Copy)]
struct Data {
    list: Resource<Result<ReportPage, AppError>>,
    totals: Resource<Result<ReportTotals, AppError>>,
    matrix: Resource<Result<MatrixPage, AppError>>,
    hand: ServerAction<HandOverPersons>,
    back: ServerAction<TakeBackPersons>,
}

#[component]
fn ReportView(
    kommune: Kommunenr,
    counts: OpgavepakkeCounts,
    query: impl Fn() -> ReportQuery + Copy + Send + Sync + 'static,
    data: Data,
) -> impl IntoView {
    let Data { list, totals, matrix, hand, back } = data;
    let (counts, status) = use_live_counts(kommune, counts);
    refetch_on_change(counts, 300, move || list.refetch());
    // Totals and matrix read every open task: at most every few seconds while people work.
    refetch_on_change(counts, 5_000, move || {
        totals.refetch();
        matrix.refetch();
    });
    view! {
        <div class="page-head">
            <h1>"KMD Aktiv fordringers opgavepakker R2.1"</h1>
            <LiveBadge status/>
        </div>
        <p class="lead">
            "Alle åbne opgaver i " {kommune.navn()} " — filtrér, sortér, tildel personer til sagsbehandlere og hent rapporten til Excel."
        </p>
        <table::ReportTable kommune query list hand back/>
        <totals::Totals totals/>
        <totals::Matrix kommune matrix/>
    }
}

/// Calls `refetch` when the counts change, debounced by `ms` (a burst of changes is one fetch).
pub(crate) fn refetch_on_change(counts: ReadSignal<OpgavepakkeCounts>, ms: u32, refetch: impl Fn() + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |prev: Option<i64>| {
            let version = counts.with(|c| c.version);
            // Version 0 is the placeholder before the first snapshot arrives.
            if prev.is_some_and(|p| p != 0 && p != version) && pending.with_value(|p| p.is_none()) {
                let refetch = refetch.clone();
                pending.set_value(Some(gloo_timers::callback::Timeout::new(ms, move || {
                    pending.set_value(None);
                    refetch();
                })));
            }
            version
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (counts, ms, refetch);
}
