//! "Plan for MI 38": the project lead chooses the approach and sees what it means for the
//! caseworkers, sets the deadlines, names who works MI 38 and their hours a week, and the
//! package order. Others of the kommune see the plan read-only. A saved change takes effect at
//! once for "Næste opgave" and reaches every open board live.

use super::kommune_param;
use crate::api::plan::{SavePlan, get_plan};
use crate::components::{ActionError, FieldMessages, Loaded, action_error};
use crate::domain::plan::{PlanForm, Ressourcer, Tilgang};
use crate::model::plan::PlanView;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

const PLAN_FIELDS: &[&str] = &[
    "tilgang",
    "deadline_med",
    "deadline_uden",
    "deadline_uden_endelig",
    "go_live",
    "ressourcer",
    "timer_pr_uge",
    "medarbejdere",
    "opgavepakke_order",
];

#[component]
pub fn PlanPage() -> impl IntoView {
    let kommune = kommune_param();
    let plan = Resource::new(kommune, get_plan);
    view! {
        <Title text="Plan for MI 38"/>
        <Loaded resource=plan view=move |p: PlanView| view! { <PlanEditor view=p/> }/>
    }
}

#[component]
fn PlanEditor(view: PlanView) -> impl IntoView {
    let k = view.kommune;
    let form = PlanForm::from_plan(&view.plan);
    let action = ServerAction::<SavePlan>::new();
    let messages = FieldMessages::new(action_error(action));
    let tilgang = RwSignal::new(view.plan.tilgang);
    let chosen = RwSignal::new(view.plan.medarbejdere.clone());
    let version = RwSignal::new(view.plan.version);
    Effect::new(move |_| {
        if let Some(Ok(saved)) = action.value().get() {
            version.set(saved.version);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match SavePlan::from_event(&ev) {
            Ok(args) => match args.form.to_plan() {
                Ok(_) => {
                    messages.checked(Vec::new());
                    action.dispatch(args);
                }
                Err(e) => messages.checked(e.field_errors().to_vec()),
            },
            Err(e) => messages.unreadable(e),
        }
    };
    let err = move |f: &'static str| messages.of(f);
    let disabled = !view.may_edit;
    let text_field = move |name: &'static str, label: &'static str, hint: &'static str, value: String| {
        let id = format!("p-{name}");
        let e = err(name);
        view! {
            <div class="field" class:field--invalid=move || e().is_some()>
                <label for=id.clone()>{label}</label>
                <p class="field__hint" id=format!("{id}-hint")>{hint}</p>
                <input type="text" id=id.clone() name=format!("form[{name}]") value=value disabled=disabled
                    aria-describedby=format!("{id}-hint {id}-err") aria-invalid=move || e().is_some().to_string()/>
                <p class="field__error" id=format!("{id}-err") role="alert">{e}</p>
            </div>
        }
    };
    let caseworkers = view.caseworkers.clone();
    view! {
        <h1>"Plan for MI 38 – " {k.navn()} " Kommune"</h1>
        <p class="lede">
            "Planen styrer, hvad \"Næste opgave\" giver sagsbehandlerne, og fristerne på opgavepakkerne. En ændring gælder med det samme og logges."
        </p>
        {disabled.then(|| view! { <p class="notice" role="status">"Kun kommunens projektleder kan ændre planen."</p> })}
        <form method="post" action=SavePlan::url() on:submit=on_submit class="panel panel--form" novalidate>
            <input type="hidden" name="kommune" value=k.get().to_string()/>
            <input type="hidden" name="form[version]" prop:value=move || version.get().to_string()/>
            <fieldset class="field" disabled=disabled>
                <legend>"Tilgang"</legend>
                {Tilgang::ALL.into_iter().map(|t| view! {
                    <label class="choice">
                        <input type="radio" name="form[tilgang]" value=t.key() checked=form.tilgang == t.key()
                            on:change=move |_| tilgang.set(t)/>
                        <span><strong>{t.label()}</strong>" – "{t.for_caseworkers()}</span>
                    </label>
                }).collect_view()}
                <p class="field__error" role="alert">{err("tilgang")}</p>
            </fieldset>
            <p class="notice" role="status" data-testid="tilgang-betydning">
                "For sagsbehandlerne betyder det: " {move || tilgang.get().for_caseworkers()}
                " Borgere med tilbageførsler (KLIK UI 50) kommer altid først."
            </p>
            {text_field("deadline_med", "Frist for fordringer med dækninger", "Skatteårets frist og KLIK-opgavens slutdato, fx 25.01.2027.", form.deadline_med.clone())}
            {text_field("deadline_uden", "Frist for fordringer uden dækninger", "Kommunens egen frist.", form.deadline_uden.clone())}
            {text_field("deadline_uden_endelig", "Endelig frist uden dækninger", "Kun hvis uden dækninger ikke kan nås inden KLIK-opgavens slutdato.", form.deadline_uden_endelig.clone())}
            {text_field("go_live", "Go-live i KY", "Kommunens bølge; KLIK-planen beregnes ud fra den.", form.go_live.clone())}
            <div class="field" class:field--invalid=move || err("ressourcer")().is_some()>
                <label for="p-ressourcer">"Hvem arbejder med MI 38"</label>
                <select id="p-ressourcer" name="form[ressourcer]" disabled=disabled>
                    {Ressourcer::ALL.into_iter().map(|r| view! {
                        <option value=r.key() selected=form.ressourcer == r.key()>{r.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field__error" role="alert">{err("ressourcer")}</p>
            </div>
            <fieldset class="field" class:field--invalid=move || err("medarbejdere")().is_some() disabled=disabled>
                <legend>"Navngivne medarbejdere (team, superbrugere eller vikarer)"</legend>
                <input type="hidden" name="form[medarbejdere]" prop:value=move || chosen.get().join(",")/>
                {caseworkers.into_iter().map(|(username, name)| {
                    let u = username.clone();
                    let checked = chosen.with_untracked(|c| c.iter().any(|m| m.eq_ignore_ascii_case(&username)));
                    view! {
                        <label class="choice">
                            <input type="checkbox" value=username.clone() checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|m| !m.eq_ignore_ascii_case(&u));
                                    if on { c.push(u.clone()); }
                                });
                            }/>
                            <span>{name}" ("{username}")"</span>
                        </label>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{err("medarbejdere")}</p>
            </fieldset>
            {text_field("timer_pr_uge", "Timer pr. uge pr. medarbejder", "Fx 7,5.", form.timer_pr_uge.clone())}
            {text_field("opgavepakke_order", "Rækkefølge af pakkerne", "Bruges af opgavepakkestyret og af \"Næste opgave\" på oversigten. Alle pakker undtagen 09.", form.opgavepakke_order.clone())}
            <ActionError error=messages.error() beside_fields=PLAN_FIELDS/>
            <div role="status" aria-live="polite">
                {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! {
                    <p class="notice notice--ok">"Planen er gemt. Den gælder fra nu af for \"Næste opgave\" og fristerne på oversigten."</p>
                })}
            </div>
            {(!disabled).then(|| view! {
                <button type="submit" class="button" disabled=move || action.pending().get()>"Gem planen"</button>
            })}
        </form>
    }
}
