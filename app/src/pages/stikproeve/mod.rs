//! "Stikprøve": the project lead draws a random sample of the open tasks that fell to paragraf-
//! and/or kravtypekontrol; caseworkers check each item (`item.rs`); this page shows the results
//! per control — drawn, checked, errors, the error rate with its 95 % Wilson interval — and the
//! items with their status. It follows the kommune's live counts: a saved check publishes a
//! snapshot, and the page refetches its results.

mod draw;
mod item;

pub use item::StikproeveItemPage;

use super::{LiveBadge, kommune_param, with_kommune};
use crate::api::stikproeve::{DrawStikproeve, get_stikproeve};
use crate::app::use_user;
use crate::components::Loaded;
use crate::components::live::use_live_counts;
use crate::domain::Kommunenr;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use crate::domain::stikproeve::Kontrol;
use crate::model::stikproeve::{ItemSummary, Stikproeve, StikproeveView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StikproevePage() -> impl IntoView {
    let kommune = kommune_param();
    let query = use_query_map();
    let selected = RwSignal::new(query.with_untracked(|q| q.get("id").and_then(|s| s.parse::<i64>().ok())));
    Effect::new(move |_| {
        let id = query.with(|q| q.get("id").and_then(|s| s.parse::<i64>().ok()));
        selected.set(id);
    });
    let draw = ServerAction::<DrawStikproeve>::new();
    Effect::new(move |_| {
        if let Some(Ok(s)) = draw.value().get() {
            selected.set(Some(s.id));
        }
    });
    let data = Resource::new(move || (kommune(), selected.get()), |(k, id)| get_stikproeve(k, id));
    // The draw form's own load: the results refetch on every live change, and re-rendering the
    // form then would wipe what the project lead is typing.
    let form = Resource::new(move || (kommune(), draw.version().get()), |(k, _)| get_stikproeve(k, None));
    let user = use_user();
    view! {
        <Title text="Stikprøve"/>
        <div class="page-head">
            <h1>"Stikprøve af paragraf- og kravtypekontrol"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let k = kommune().and_then(|k| Kommunenr::try_from(k).ok()).or(user.await.and_then(|u| u.kommune));
                    k.map(|k| view! { <Follow kommune=k refetch=move || data.refetch()/> })
                })}
            </Suspense>
        </div>
        <p class="lede">
            "En tilfældig stikprøve af de åbne opgaver, der er faldet til paragraf- og/eller kravtypekontrol. Sagsbehandlerne kontrollerer hver opgave mod KMD Aktiv; ud fra fejlraten beslutter kommunen, om kontrollen skal automatiseres."
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                form.await.ok().filter(|v| v.may_draw).map(|v| view! {
                    <draw::DrawForm kommune=v.kommune population=v.population_now draw/>
                })
            })}
        </Suspense>
        <Loaded resource=data view=move |v: StikproeveView| view! { <Results view=v own=kommune()/> }/>
    }
}

/// The kommune's live counts; a new snapshot (a saved check, a resolved task) refetches.
#[component]
fn Follow(kommune: Kommunenr, refetch: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let (counts, status) = use_live_counts(kommune, OpgavepakkeCounts::default());
    crate::components::live::refetch_on_change(counts, 300, refetch);
    view! { <LiveBadge status/> }
}

#[component]
fn Results(view: StikproeveView, own: Option<u16>) -> impl IntoView {
    view! {
        {match view.current {
            None => view! {
                <p class="notice" role="status">{if view.may_draw {
                    "Der er ikke trukket nogen stikprøve endnu. Træk den første ovenfor."
                } else {
                    "Der er ikke trukket nogen stikprøve endnu. Projektlederen trækker den."
                }}</p>
            }.into_any(),
            Some(s) => view! { <Current s may_check=view.may_check own/> }.into_any(),
        }}
        {(view.all.len() > 1).then(|| view! {
            <section class="section" aria-labelledby="alle">
                <h2 id="alle">"Alle stikprøver"</h2>
                <ul>
                    {view.all.into_iter().map(|(id, at)| view! {
                        <li><a href=with_kommune(&format!("/stikproeve?id={id}"), own)>{format!("Stikprøve {id}, trukket {at}")}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

fn answer_text(answers: &[(Kontrol, Option<bool>)]) -> String {
    answers
        .iter()
        .map(|(kontrol, a)| {
            let what = match kontrol {
                Kontrol::Paragraf => "paragraf",
                Kontrol::Kravtype => "kravtype",
            };
            match a {
                Some(true) => format!("{what} rigtig"),
                Some(false) => format!("{what} forkert"),
                None => format!("{what} ikke kontrolleret"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn Current(s: Stikproeve, may_check: bool, own: Option<u16>) -> impl IntoView {
    let id = s.id;
    view! {
        <section class="section" aria-labelledby="resultater">
            <h2 id="resultater">{format!("Resultater – stikprøve {id}")}</h2>
            <p class="muted" data-testid="stikproeve-meta">
                {format!(
                    "Trukket {} af {} · {} af {} åbne opgaver ({}) · frø {}",
                    s.drawn_at, s.drawn_by, s.items.len(), super::fmt_count(s.population), s.requested, s.seed
                )}
            </p>
            <div class="table-scroll" tabindex="0">
                <table class="table" data-testid="resultater">
                    <caption class="visually-hidden">"Resultater pr. kontrol"</caption>
                    <thead><tr>
                        <th scope="col">"Kontrol"</th>
                        <th scope="col" class="num">"Trukket"</th>
                        <th scope="col" class="num">"Kontrolleret"</th>
                        <th scope="col" class="num">"Fejl"</th>
                        <th scope="col">"Fejlrate (95 %-interval)"</th>
                    </tr></thead>
                    <tbody>
                        {s.results.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.kontrol.label()}</th>
                                <td class="num">{r.tally.drawn}</td>
                                <td class="num">{r.tally.checked}</td>
                                <td class="num">{r.tally.errors}</td>
                                <td>{r.rate}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="muted">"Intervallet er et 95 %-Wilson-interval: den sande fejlrate blandt alle opgaverne ligger med 95 % sikkerhed inden for det. Jo flere kontrollerede, jo smallere."</p>
        </section>
        <section class="section" aria-labelledby="punkter">
            <h2 id="punkter">"Opgaverne i stikprøven"</h2>
            <div class="table-scroll" tabindex="0">
                <table class="table" data-testid="punkter">
                    <thead><tr>
                        <th scope="col" class="num">"Nr."</th>
                        <th scope="col">"Fordring"</th>
                        <th scope="col">"Pakke"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Handling"</span></th>
                    </tr></thead>
                    <tbody>
                        {s.items.into_iter().map(|i: ItemSummary| {
                            let href = with_kommune(&format!("/stikproeve/{id}/opgaver/{}", i.task_id), own);
                            let done = i.checked.is_some();
                            view! {
                                <tr data-testid="punkt">
                                    <td class="num">{i.position}</td>
                                    <td>{i.fordring_id}</td>
                                    <td>{i.opgavepakke}{(!i.is_open).then_some(" (lukket)")}</td>
                                    <td>
                                        {answer_text(&i.answers)}
                                        {i.checked.map(|c| view! { <br/><span class="muted">{c}</span> })}
                                    </td>
                                    <td>{may_check.then(|| view! {
                                        <a href=href>{if done { "Se kontrol" } else { "Kontrollér" }}</a>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
