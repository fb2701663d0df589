//! The report's totals (per opgavepakke, per caseworker, per person) and the citizen ×
//! opgavepakke matrix: persons with open tasks in several opgavepakker, to be worked in one
//! sitting.

use crate::components::ErrorNotice;
use crate::domain::{Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::report::{MatrixPage, ReportTotals, TotalLine};
use crate::pages::fmt_count;
use leptos::prelude::*;

#[component]
pub fn Totals(totals: Resource<Result<ReportTotals, AppError>>) -> impl IntoView {
    view! {
        <section aria-labelledby="totaler-h">
            <h2 id="totaler-h">"Totaler"</h2>
            <Transition fallback=|| view! { <p class="loading">"Tæller …"</p> }>
                {move || Suspend::new(async move {
                    match totals.await {
                        Ok(t) => view! {
                            <p>
                                {format!(
                                    "{} åbne opgaver hos {} personer, heraf {} personer tildelt en sagsbehandler.",
                                    fmt_count(t.opgaver), fmt_count(t.personer), fmt_count(t.tildelte_personer)
                                )}
                            </p>
                            <div class="totals-grid">
                                <TotalTable caption="Pr. opgavepakke" key_head="Pakke" label_head="Opgavepakke" antal_head="Personer" lines=t.per_opgavepakke/>
                                <TotalTable caption="Pr. sagsbehandler" key_head="Brugernavn" label_head="Sagsbehandler" antal_head="Personer" lines=t.per_sagsbehandler/>
                                <TotalTable caption="Personer med flest opgaver" key_head="CPR-nummer" label_head="Navn" antal_head="Pakker" lines=t.per_person/>
                            </div>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TotalTable(
    caption: &'static str,
    key_head: &'static str,
    label_head: &'static str,
    antal_head: &'static str,
    lines: Vec<TotalLine>,
) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{key_head}</th>
                        <th scope="col">{label_head}</th>
                        <th scope="col" class="right">"Opgaver"</th>
                        <th scope="col" class="right">"Hovedstol"</th>
                        <th scope="col" class="right">{antal_head}</th>
                    </tr>
                </thead>
                <tbody>
                    {lines.into_iter().map(|l| view! {
                        <tr>
                            <td class="num">{l.key}</td>
                            <td>{l.label}</td>
                            <td class="right num">{fmt_count(l.opgaver)}</td>
                            <td class="right num">{l.hovedstol.to_string()}</td>
                            <td class="right num">{fmt_count(l.antal)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn Matrix(kommune: Kommunenr, matrix: Resource<Result<MatrixPage, AppError>>) -> impl IntoView {
    view! {
        <section aria-labelledby="matrix-h">
            <h2 id="matrix-h">"Borgere med opgaver i flere opgavepakker"</h2>
            <p class="hint">"Tag dem i ét hug: én sagsbehandler løser alle personens opgaver på én gang."</p>
            <Transition fallback=|| view! { <p class="loading">"Henter …"</p> }>
                {move || Suspend::new(async move {
                    match matrix.await {
                        Ok(m) => view! { <MatrixTable kommune m/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MatrixTable(kommune: Kommunenr, m: MatrixPage) -> impl IntoView {
    let pages = ((m.total + m.page_size - 1) / m.page_size).max(1);
    let link = move |to: i64, label: &'static str, rel: &'static str| {
        view! { <a href=format!("/rapport?kommune={kommune}&mside={}#matrix-h", to + 1) rel=rel class="button button--quiet">{label}</a> }
    };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table matrix">
                <caption>{format!("{} personer, side {} af {}", fmt_count(m.total), m.page + 1, fmt_count(pages))}</caption>
                <thead>
                    <tr>
                        <th scope="col">"CPR-nummer"</th>
                        <th scope="col">"Navn"</th>
                        {Opgavepakke::all().map(|p| view! { <th scope="col" title=p.title()>{p.code()}</th> }).collect_view()}
                        <th scope="col">"Tildelt"</th>
                    </tr>
                </thead>
                <tbody>
                    {m.rows.into_iter().map(|r| view! {
                        <tr>
                            <td class="num"><a href=format!("/rapport?kommune={kommune}&cpr={}", r.cpr)>{r.cpr.clone()}</a></td>
                            <td>{r.navn}</td>
                            {(1..=17).map(|i| {
                                let n = r.per_opgavepakke.get(i).copied().unwrap_or(0);
                                view! { <td class="cell num" class:cell--on={n > 0}>{(n > 0).then(|| fmt_count(n))}</td> }
                            }).collect_view()}
                            <td>{r.tildelt}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Sider i matrixen" class="pager">
            {(m.page > 0).then(|| link(m.page - 1, "← Forrige", "prev"))}
            <span>{format!("Side {} af {}", m.page + 1, fmt_count(pages))}</span>
            {(m.page + 1 < pages).then(|| link(m.page + 1, "Næste →", "next"))}
        </nav>
    }
}
