//! Rapportstyret on the report page: hand the checked persons to a caseworker, or take them
//! back — each after a confirmation that says what will happen.

use crate::api::report::{HandOverPersons, TakeBackPersons};
use crate::components::ActionError;
use crate::domain::Kommunenr;
use crate::error::AppError;
use crate::pages::fmt_count;
use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Debug, PartialEq)]
enum Confirm {
    HandOver { to: String, name: String },
    TakeBack,
}

fn persons(n: usize) -> String {
    if n == 1 { "1 person".into() } else { format!("{} personer", fmt_count(n as i64)) }
}

/// What the panel keeps across refetches of the report (the table is rendered anew on each):
/// the chosen caseworker and the outcome of the last hand-over or take-back.
#[derive(Clone, Copy)]
pub struct HandOverState {
    target: RwSignal<String>,
    outcome: RwSignal<Option<Result<String, AppError>>>,
}

impl HandOverState {
    pub fn new(
        hand: ServerAction<HandOverPersons>,
        back: ServerAction<TakeBackPersons>,
        selected: RwSignal<BTreeSet<String>>,
    ) -> HandOverState {
        let target = RwSignal::new(String::new());
        // The outcome of the last action: a success clears the selection and is announced.
        let outcome = RwSignal::new(None::<Result<String, AppError>>);
        Effect::new(move |prev: Option<usize>| {
            let v = hand.version().get();
            if prev.is_some_and(|p| p != v)
                && let Some(r) = hand.value().get_untracked()
            {
                outcome.set(Some(r.map(|d| {
                    format!(
                        "{} ({} åbne opgaver) er tildelt {}.",
                        persons(d.personer),
                        fmt_count(d.opgaver),
                        d.til.unwrap_or_default()
                    )
                })));
            }
            v
        });
        Effect::new(move |prev: Option<usize>| {
            let v = back.version().get();
            if prev.is_some_and(|p| p != v)
                && let Some(r) = back.value().get_untracked()
            {
                outcome.set(Some(
                    r.map(|d| format!("{} er taget tilbage og ikke længere tildelt nogen.", persons(d.personer))),
                ));
            }
            v
        });
        Effect::new(move |_| {
            if outcome.with(|o| matches!(o, Some(Ok(_)))) {
                selected.set(BTreeSet::new());
            }
        });
        HandOverState { target, outcome }
    }
}

#[component]
pub fn HandOverPanel(
    kommune: Kommunenr,
    selected: RwSignal<BTreeSet<String>>,
    caseworkers: Vec<(String, String)>,
    hand: ServerAction<HandOverPersons>,
    back: ServerAction<TakeBackPersons>,
    state: HandOverState,
) -> impl IntoView {
    let HandOverState { target, outcome } = state;
    let confirm = RwSignal::new(None::<Confirm>);
    let count = move || selected.with(BTreeSet::len);
    let names = StoredValue::new(caseworkers.clone());
    let ask_hand_over = move |_| {
        let to = target.get();
        let name = names.with_value(|n| n.iter().find(|(u, _)| *u == to).map(|(_, name)| name.clone()));
        if let Some(name) = name {
            confirm.set(Some(Confirm::HandOver { to, name }));
        }
    };
    let run = move |_| {
        let cprs: Vec<String> = selected.get().into_iter().collect();
        match confirm.get() {
            Some(Confirm::HandOver { to, .. }) => {
                hand.dispatch(HandOverPersons { kommune: kommune.get(), cprs, to_username: to });
            }
            Some(Confirm::TakeBack) => {
                back.dispatch(TakeBackPersons { kommune: kommune.get(), cprs });
            }
            None => {}
        }
        confirm.set(None);
    };
    let error = Signal::derive(move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().err().cloned())));
    let done = move || outcome.with(|o| o.as_ref().and_then(|r| r.as_ref().ok().cloned()));
    view! {
        <section class="panel hand-over" aria-labelledby="tildel-h">
            <h2 id="tildel-h">"Tildel personer"</h2>
            <p class="hint">
                "Markér personer i tabellen (alle deres åbne opgaver følger med), vælg en sagsbehandler og tildel. "
                <span data-testid="valgte">{move || format!("Valgt: {}.", persons(count()))}</span>
            </p>
            <div class="hand-over__row">
                <label for="tildel-til">"Sagsbehandler"</label>
                <select id="tildel-til" on:change=move |ev| target.set(event_target_value(&ev)) prop:value=move || target.get()>
                    <option value="">"Vælg …"</option>
                    {caseworkers.into_iter().map(|(u, name)| view! { <option value=u>{name}</option> }).collect_view()}
                </select>
                <button type="button" class="button"
                    disabled=move || count() == 0 || target.with(String::is_empty) || hand.pending().get()
                    on:click=ask_hand_over>"Tildel valgte personer til …"</button>
                <button type="button" class="button button--quiet"
                    disabled=move || count() == 0 || back.pending().get()
                    on:click=move |_| confirm.set(Some(Confirm::TakeBack))>"Tag tilbage"</button>
            </div>
            {move || confirm.get().map(|c| {
                let text = match &c {
                    Confirm::HandOver { name, .. } => format!(
                        "Tildel {} til {name}? Alle deres åbne opgaver bliver tildelt {name}, som får dem i \"Næste opgave\", når kommunen arbejder rapportstyret. Er en person allerede tildelt en anden, flyttes personen til {name}.",
                        persons(count())
                    ),
                    Confirm::TakeBack => format!(
                        "Tag {} tilbage? Deres åbne opgaver er derefter ikke tildelt nogen og kan fordeles igen.",
                        persons(count())
                    ),
                };
                let yes = match c { Confirm::HandOver { .. } => "Ja, tildel", Confirm::TakeBack => "Ja, tag tilbage" };
                view! {
                    <div class="notice confirm" role="alertdialog" aria-labelledby="bekraeft-tekst">
                        <p id="bekraeft-tekst">{text}</p>
                        <button type="button" class="button" on:click=run>{yes}</button>
                        " "
                        <button type="button" class="button button--quiet" on:click=move |_| confirm.set(None)>"Fortryd"</button>
                    </div>
                }
            })}
            <div role="status" class="hand-over__done">{move || done().map(|t| view! { <p class="notice notice--ok">{t}</p> })}</div>
            <ActionError error/>
        </section>
    }
}
