//! The report's rows: the filter form (a GET form, so it works before hydration), sortable
//! column heads, paging, the download links, and a checkbox per row that selects the person for
//! a hand-over.

use super::hand_over::{HandOverPanel, HandOverState};
use super::{download_url, query_string};
use crate::api::report::{HandOverPersons, TakeBackPersons};
use crate::components::ErrorNotice;
use crate::domain::{Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::report::{NOT_HANDED_OVER, ReportPage, ReportQuery, ReportSort};
use crate::model::task::TaskKind;
use crate::pages::fmt_count;
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn ReportTable(
    kommune: Kommunenr,
    query: impl Fn() -> ReportQuery + Copy + Send + Sync + 'static,
    list: Resource<Result<ReportPage, AppError>>,
    hand: ServerAction<HandOverPersons>,
    back: ServerAction<TakeBackPersons>,
) -> impl IntoView {
    // The persons (CPR as shown) checked for a hand-over; kept across pages and refetches.
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let state = HandOverState::new(hand, back, selected);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Henter rapporten …"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => view! {
                        <Filters kommune query=query() caseworkers=page.caseworkers.clone()/>
                        <Downloads kommune query=query()/>
                        <HandOverPanel kommune selected caseworkers=page.caseworkers.clone() hand back state/>
                        <Rows page query=query() selected/>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Filters(kommune: Kommunenr, query: ReportQuery, caseworkers: Vec<(String, String)>) -> impl IntoView {
    let chosen_pakke = Opgavepakke::parse(&query.opgavepakke).ok();
    view! {
        <form method="get" action="/rapport" class="filters" role="search" aria-label="Filtrér rapporten">
            <input type="hidden" name="kommune" value=kommune.get().to_string()/>
            <div class="field field--inline">
                <label for="r-pakke">"Opgavepakke"</label>
                <select id="r-pakke" name="pakke">
                    <option value="">"Alle"</option>
                    {Opgavepakke::all().map(|p| view! {
                        <option value=p.code() selected=chosen_pakke == Some(p)>{format!("{} {}", p.code(), p.title())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--inline">
                <label for="r-sb">"Sagsbehandler (sagsmappe)"</label>
                <input id="r-sb" name="sagsbehandler" list="r-sagsbehandlere" value=query.sagsbehandler.clone() placeholder="brugernavn"/>
                <datalist id="r-sagsbehandlere">
                    {caseworkers.iter().map(|(u, name)| view! { <option value=u.clone()>{name.clone()}</option> }).collect_view()}
                </datalist>
            </div>
            <div class="field field--inline">
                <label for="r-tildelt">"Tildelt"</label>
                <select id="r-tildelt" name="tildelt">
                    <option value="">"Alle"</option>
                    <option value=NOT_HANDED_OVER selected=query.tildelt == NOT_HANDED_OVER>"Ikke tildelt"</option>
                    {caseworkers.iter().map(|(u, name)| view! {
                        <option value=u.clone() selected=query.tildelt.eq_ignore_ascii_case(u)>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field field--inline">
                <label for="r-cpr">"CPR-nummer"</label>
                <input id="r-cpr" name="cpr" inputmode="numeric" value=query.cpr.clone() placeholder="fx 610585"/>
            </div>
            <div class="field field--inline">
                <label for="r-min">"Mindste hovedstol (kr.)"</label>
                <input id="r-min" name="min" inputmode="decimal" value=query.min_beloeb.clone() placeholder="fx 5000"/>
            </div>
            <div class="field field--inline field--check">
                <input id="r-tf" type="checkbox" name="tilbagefoersel" value="1" checked=query.kun_tilbagefoersel/>
                <label for="r-tf">"Kun tilbageførsler"</label>
            </div>
            <input type="hidden" name="sort" value=query.sort.key()/>
            <button type="submit" class="button button--quiet">"Vis"</button>
            <a class="button button--quiet" href=format!("/rapport?kommune={kommune}")>"Nulstil"</a>
        </form>
    }
}

#[component]
fn Downloads(kommune: Kommunenr, query: ReportQuery) -> impl IntoView {
    view! {
        <p class="downloads">
            "Hent alle rækker med dette filter: "
            <a href=download_url(kommune, &query, "xlsx") download="">"Excel (XLSX)"</a>
            " · "
            <a href=download_url(kommune, &query, "csv") download="">"CSV"</a>
            <span class="hint">" — hver hentning med CPR-numre bliver logget."</span>
        </p>
    }
}

#[component]
fn Rows(page: ReportPage, query: ReportQuery, selected: RwSignal<BTreeSet<String>>) -> impl IntoView {
    let kommune = page.kommune;
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    let names = page.caseworkers.clone();
    let name_of = move |u: &Option<String>| {
        u.as_ref().map(|u| {
            names.iter().find(|(n, _)| n.eq_ignore_ascii_case(u)).map(|(_, name)| name.clone()).unwrap_or(u.clone())
        })
    };
    let sort_head = |key: ReportSort, label: &'static str| {
        let q = ReportQuery { sort: key, page: 0, ..query.clone() };
        let current = query.sort == key;
        view! {
            <th scope="col" aria-sort=if current { "ascending" } else { "none" }>
                <a href=format!("/rapport?{}", query_string(kommune, &q)) class:sorted=current>{label}</a>
            </th>
        }
    };
    let page_link = |to: i64, label: &'static str, rel: &'static str| {
        let q = ReportQuery { page: to, ..query.clone() };
        view! { <a href=format!("/rapport?{}", query_string(kommune, &q)) rel=rel class="button button--quiet">{label}</a> }
    };
    let on_page: Vec<String> = page.rows.iter().map(|r| r.cpr.clone()).collect();
    let caption = format!(
        "{}{} åbne opgaver, side {} af {}{}",
        if page.capped { "Over " } else { "" },
        fmt_count(page.total),
        page.page + 1,
        if page.capped { "mange".to_string() } else { fmt_count(pages) },
        if page.capped { " (afgræns med et filter)" } else { "" },
    );
    view! {
        <div class="selection-bar">
            <button type="button" class="button button--quiet" on:click=move |_| {
                selected.update(|s| s.extend(on_page.iter().cloned()));
            }>"Vælg alle personer på siden"</button>
            <button type="button" class="button button--quiet" on:click=move |_| selected.set(BTreeSet::new())>"Ryd valget"</button>
        </div>
        <div class="table-scroll" tabindex="0">
            <table class="table report-table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Vælg person"</span></th>
                        {sort_head(ReportSort::Opgavepakke, "Pakke")}
                        {sort_head(ReportSort::Cpr, "CPR-nummer")}
                        <th scope="col">"Navn"</th>
                        <th scope="col">"Fordring"</th>
                        <th scope="col">"Type"</th>
                        {sort_head(ReportSort::Beloeb, "Hovedstol")}
                        <th scope="col" class="right">"Dækninger"</th>
                        {sort_head(ReportSort::Sagsbehandler, "Sagsbehandler")}
                        {sort_head(ReportSort::Tildelt, "Tildelt")}
                        {sort_head(ReportSort::Tilbagefoersel, "Tilbageførsel")}
                        <th scope="col">"Oprettet"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.rows.into_iter().map(|r| {
                        let cpr = r.cpr.clone();
                        let check = cpr.clone();
                        let label = format!("Vælg {} ({})", r.navn, r.cpr);
                        view! {
                            <tr data-cpr=r.cpr.clone()>
                                <td>
                                    <input type="checkbox" aria-label=label
                                        prop:checked=move || selected.with(|s| s.contains(&check))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            selected.update(|s| { if on { s.insert(cpr.clone()); } else { s.remove(&cpr); } });
                                        }/>
                                </td>
                                <td><a href=format!("/opgavepakker/{}?kommune={kommune}", r.opgavepakke.code())>{r.opgavepakke.code()}</a></td>
                                <td class="num"><a href=format!("/opgaver/{}", r.opgave_id)>{r.cpr.clone()}</a></td>
                                <td>{r.navn.clone()}</td>
                                <td>{r.fordring_id.clone()}</td>
                                <td>{match r.kind { TaskKind::Opret => "Opret fordringssag", TaskKind::Daekning => "Dækning (ventetrin)" }}</td>
                                <td class="right num">{r.hovedstol.to_string()}</td>
                                <td class="right num">{fmt_count(r.daekninger)}</td>
                                <td>{name_of(&r.sagsbehandler)}</td>
                                <td data-testid="tildelt">{name_of(&r.tildelt)}</td>
                                <td>{r.tilbagefoersel.then_some("Ja")}</td>
                                <td>{r.oprettet.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Sider i rapporten" class="pager">
            {(page.page > 0).then(|| page_link(page.page - 1, "← Forrige", "prev"))}
            <span>{format!("Side {}", page.page + 1)}</span>
            {(page.capped || page.page + 1 < pages).then(|| page_link(page.page + 1, "Næste →", "next"))}
        </nav>
    }
}
