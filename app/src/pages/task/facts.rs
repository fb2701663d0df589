//! The read-only parts of the task page: person and fordring, why here, dækninger,
//! bevillinger (with the guarded "Afslut bevilling"), and the history of moves.

use crate::api::tasks::CloseBevilling;
use crate::components::{ActionError, action_error};
use crate::domain::{Defects, Kommunenr, Opgavepakke};
use crate::error::AppError;
use crate::model::TaskDetail;
use crate::model::task::{BevillingView, DaekningView, FordringView, HistoryView, PersonView};
use leptos::prelude::*;

fn or_missing(v: Option<String>) -> AnyView {
    match v {
        Some(v) => view! { <span>{v}</span> }.into_any(),
        None => view! { <span class="missing">"mangler"</span> }.into_any(),
    }
}

#[component]
pub fn FordringFacts(person: PersonView, fordring: FordringView, defects: Defects) -> impl IntoView {
    let kravtype_note = (defects.k && fordring.kravtype.is_some()).then_some(" (samme kravtype som en anden fordring)");
    view! {
        <section class="panel" aria-labelledby="borger">
            <h2 id="borger">"Borger"</h2>
            <dl class="facts">
                <dt>"CPR-nummer"</dt><dd class="num" data-testid="cpr">{person.cpr}</dd>
                <dt>"Navn"</dt><dd>{person.navn}</dd>
            </dl>
        </section>
        <section class="panel" aria-labelledby="fordring">
            <h2 id="fordring">"Fordring"</h2>
            <dl class="facts">
                <dt>"Fordring"</dt><dd>{fordring.fordring_id}</dd>
                <dt>"Hovedstol"</dt><dd class="num">{fordring.hovedstol.to_string()}</dd>
                <dt>"Stiftet"</dt><dd>{fordring.stiftet}</dd>
                <dt>"KMD Aktiv bevilling"</dt><dd>{or_missing(fordring.bevilling_id)}</dd>
                <dt>"Ydelsesreference"</dt><dd>{or_missing(fordring.ydelsesreference)}</dd>
                <dt>"Kravtype"</dt><dd>{or_missing(fordring.kravtype)}{kravtype_note}</dd>
                <dt>"Udbetalingsparagraf"</dt><dd>{or_missing(fordring.udbetalingsparagraf)}</dd>
                <dt>"Tilbagebetalingsparagraf"</dt><dd>{or_missing(fordring.tilbagebetalingsparagraf)}</dd>
            </dl>
        </section>
    }
}

#[component]
pub fn Why(why: Vec<String>, opgavepakke: Opgavepakke) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="hvorfor">
            <h2 id="hvorfor">{format!("Hvorfor ligger opgaven i pakke {}?", opgavepakke.code())}</h2>
            <ul class="why">
                {why.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn Daekninger(daekninger: Vec<DaekningView>) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="daekninger">
            <h2 id="daekninger">{format!("Dækninger og afskrivninger ({})", daekninger.len())}</h2>
            {if daekninger.is_empty() {
                view! { <p>"Ingen dækninger på fordringen."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">"Id"</th><th scope="col">"Art"</th><th scope="col" class="right">"Beløb"</th>
                                <th scope="col">"Dato"</th><th scope="col">"Modtaget"</th><th scope="col">"Status"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {daekninger.into_iter().map(|d| view! {
                                <tr>
                                    <td>{d.daekning_id}</td>
                                    <td>{if d.art == "afskrivning" { "Afskrivning" } else { "Dækning" }}</td>
                                    <td class="right num">{d.beloeb.to_string()}</td>
                                    <td>{d.dato}</td>
                                    <td>{d.modtaget}</td>
                                    <td>{match (d.behandlet, d.task_id) {
                                        (Some(at), _) => view! { <span>{format!("Behandlet {at}")}</span> }.into_any(),
                                        (None, Some(t)) => view! { <a href=format!("/opgaver/{t}")>"Venter (09)"</a> }.into_any(),
                                        (None, None) => view! { <span>"Venter"</span> }.into_any(),
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
pub fn Bevillinger(
    kommune: Kommunenr,
    bevillinger: Vec<BevillingView>,
    refresh: Resource<Result<TaskDetail, AppError>>,
) -> impl IntoView {
    let close = ServerAction::<CloseBevilling>::new();
    // "Afslut bevilling" cannot be undone here: the first click asks, the second acts.
    let asking = RwSignal::new(None::<String>);
    // The question closes once the answer is in (not on the click: that would take the form
    // out of the page before it is sent).
    Effect::new(move |_| {
        if close.version().get() > 0 && !close.pending().get() {
            asking.set(None);
        }
    });
    Effect::new(move |_| {
        if close.value().with(|v| matches!(v, Some(Ok(_)))) {
            refresh.refetch();
        }
    });
    view! {
        <section class="section" aria-labelledby="bevillinger">
            <h2 id="bevillinger">"Borgerens KMD Aktiv bevillinger"</h2>
            <div aria-live="polite">
                {move || close.value().get().and_then(Result::ok).map(|()| view! {
                    <div class="notice notice--ok" role="status"><p>"Bevillingen er afsluttet."</p></div>
                })}
            </div>
            <ActionError error=action_error(close)/>
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"Bevilling"</th><th scope="col">"Type"</th><th scope="col">"Ydelsesarter"</th>
                        <th scope="col">"Periode"</th><th scope="col">"Sagsmappe"</th><th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Handling"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {bevillinger.into_iter().map(|b| {
                        let active = b.status == "aktiv";
                        let id = b.bevilling_id.clone();
                        view! {
                            <tr class:current=b.is_fordringens>
                                <td>{b.bevilling_id.clone()}{b.is_fordringens.then_some(" (fordringens)")}</td>
                                <td>{b.bevillingstype}</td>
                                <td>{b.ydelsesarter.join(", ")}</td>
                                <td>{format!("{} – {}", b.fra, b.til.unwrap_or_default())}</td>
                                <td>{format!("{} ({})", b.sagsmappe_id, b.sagsbehandler.unwrap_or_default())}</td>
                                <td>{if active { "Aktiv" } else { "Afsluttet" }}</td>
                                <td>
                                    {active.then(|| {
                                        let asked = id.clone();
                                        let this = id.clone();
                                        let shown = StoredValue::new(id.clone());
                                        let shown = move || shown.get_value();
                                        view! {
                                            <Show when=move || asking.get().as_deref() == Some(this.as_str()) fallback=move || {
                                                let asked = asked.clone();
                                                view! {
                                                    <button type="button" class="button button--quiet" aria-label=format!("Afslut bevilling {asked}")
                                                        on:click=move |_| asking.set(Some(asked.clone()))>
                                                        "Afslut bevilling"
                                                    </button>
                                                }
                                            }>
                                                <div role="alertdialog" aria-label="Bekræft afslutning" class="confirm">
                                                    <p>{format!("Afslut bevilling {}? Den lukkes i KMD Aktiv og kan ikke genåbnes herfra.", shown())}</p>
                                                    <ActionForm action=close>
                                                        <input type="hidden" name="kommune" value=kommune.get().to_string()/>
                                                        <input type="hidden" name="bevilling_id" value=shown()/>
                                                        <button type="submit" class="button" disabled=move || close.pending().get()>"Ja, afslut bevillingen"</button>
                                                        " " <button type="button" class="button button--quiet" on:click=move |_| asking.set(None)>"Fortryd"</button>
                                                    </ActionForm>
                                                </div>
                                            </Show>
                                        }
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
pub fn History(history: Vec<HistoryView>) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="historik">
            <h2 id="historik">"Historik"</h2>
            <ol class="history" data-testid="historik">
                {history.into_iter().map(|h| {
                    let mv = match (h.from_opgavepakke, h.to_opgavepakke) {
                        (Some(f), Some(t)) => format!("{f} → {t}"),
                        (None, Some(t)) => format!("→ {t}"),
                        (Some(f), None) => format!("{f} →"),
                        _ => String::new(),
                    };
                    view! {
                        <li>
                            <span class="history__at">{h.at}</span>
                            <span class="history__move">{mv}</span>
                            <span class="history__cause">{h.cause}</span>
                            <span class="history__actor">{h.actor}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
