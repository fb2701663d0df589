//! The resolve form: one field per defect of the task. Checked in the browser with
//! `domain::resolve::validate` (the server runs the same function) before it is sent.

use crate::api::tasks::ResolveTask;
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::resolve::{TILBAGEBETALINGSPARAGRAF_EKSEMPEL, UDBETALINGSPARAGRAF_EKSEMPEL, validate};
use crate::model::TaskDetail;
use leptos::form::FromFormData;
use leptos::html;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The form's fields, each with its message next to it (and `form` for the whole form).
const RESOLVE_FIELDS: &[&str] = &[
    "bevilling_id",
    "ydelsesreference",
    "kravtype",
    "kravtype_bekraeftet",
    "udbetalingsparagraf",
    "tilbagebetalingsparagraf",
    "form",
];

/// The outcome of the last save: success with a way on, or the error.
#[component]
pub fn Resolved(action: ServerAction<ResolveTask>) -> impl IntoView {
    let next_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_))))
            && let Some(b) = next_button.get()
        {
            let _ = b.focus();
        }
    });
    let success = move || action.value().get().and_then(Result::ok);
    view! {
        <ActionError error=action_error(action) beside_fields=RESOLVE_FIELDS/>
        {move || success().map(|done| view! {
            <div class="notice notice--ok" role="status">
                <p>
                    {format!("Opgave {} er løst.", done.task_id)}
                    {(done.processed_daekninger > 0).then(|| format!(
                        " {} dækning(er) i ventetrin blev behandlet automatisk.", done.processed_daekninger
                    ))}
                    {(done.andre_flyttet + done.andre_loest > 0).then(|| format!(
                        " Borgerens andre opgaver fulgte med (samme kravtype): {} flyttet, {} løst.",
                        done.andre_flyttet, done.andre_loest
                    ))}
                </p>
                <form method="post" action="/sf/next_task" class="inline">
                    <input type="hidden" name="opgavepakke_nr" value=done.opgavepakke.nr().to_string()/>
                    <button type="submit" class="button" node_ref=next_button>
                        {format!("Næste opgave i pakke {}", done.opgavepakke.code())}
                    </button>
                </form>
            </div>
        })}
    }
}

#[component]
pub fn ResolveForm(detail: TaskDetail, action: ServerAction<ResolveTask>) -> impl IntoView {
    let defects = detail.defects;
    let known = detail.known.clone();
    let messages = FieldMessages::new(action_error(action));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ResolveTask::from_event(&ev) {
            Ok(args) => match validate(defects, &args.input, &known) {
                Ok(_) => {
                    messages.checked(Vec::new());
                    action.dispatch(args);
                }
                Err(errors) => messages.checked(errors),
            },
            Err(e) => messages.unreadable(e),
        }
    };
    let error_for = move |field: &'static str| messages.of(field);
    let f = detail.fordring.clone();
    let bevillinger = detail.bevillinger.clone();
    let kravtyper = detail.known.kravtyper.clone();
    // The ydelser to offer as references: the fordring's bevilling's, or every bevilling's when
    // the bevilling is chosen in the same form (labelled with it).
    let ydelser: Vec<(String, String)> = detail
        .known
        .ydelser
        .iter()
        .filter(|y| defects.b || detail.known.fordringens_bevilling.as_deref() == Some(y.bevilling_id.as_str()))
        .map(|y| (y.ydelse_id.clone(), format!("{} (bevilling {})", y.ydelsesart, y.bevilling_id)))
        .collect();
    let reference_hint = match (ydelser.first(), &detail.known.reference_example) {
        (Some((y, _)), Some(ex)) => format!(
            "Vælg en af bevillingens ydelser, fx {y}, eller skriv referencen fra KMD Aktiv i samme form som fx {ex}"
        ),
        (Some((y, _)), None) => format!("Vælg en af bevillingens ydelser, fx {y}"),
        (None, Some(ex)) => format!("Referencen fra KMD Aktiv, i samme form som fx {ex}"),
        (None, None) => "Referencen fra KMD Aktiv".to_string(),
    };
    view! {
        <section class="panel panel--form" aria-labelledby="loes">
            <h2 id="loes">"Angiv det, der mangler"</h2>
            <form method="post" action=ResolveTask::url() on:submit=on_submit novalidate>
                <input type="hidden" name="task_id" value=detail.id.to_string()/>
                {defects.b.then(|| {
                    let err = error_for("bevilling_id");
                    view! {
                        <fieldset class="field" aria-describedby="err-bevilling_id" aria-invalid=move || err().is_some().to_string()>
                            <legend>"KMD Aktiv bevilling, som fordringen hører til"</legend>
                            {bevillinger.iter().map(|b| {
                                let id = format!("bev-{}", b.bevilling_id);
                                view! {
                                    <div class="choice">
                                        <input type="radio" name="input[bevilling_id]" id=id.clone() value=b.bevilling_id.clone()/>
                                        <label for=id>
                                            <strong>{b.bevilling_id.clone()}</strong>
                                            {format!(" · {} · {} · {} – {} · {}", b.bevillingstype, b.ydelsesarter.join(", "), b.fra, b.til.clone().unwrap_or_default(), if b.status == "aktiv" { "aktiv" } else { "afsluttet" })}
                                        </label>
                                    </div>
                                }
                            }).collect_view()}
                            <FieldMessage id="err-bevilling_id" message=Signal::derive(err)/>
                        </fieldset>
                    }
                })}
                {defects.r.then(|| view! {
                    <TextField name="ydelsesreference" label="Ydelsesreference" hint=reference_hint
                        value=String::new() error=Signal::derive(error_for("ydelsesreference")) list=Some("ydelser")/>
                    <datalist id="ydelser">
                        {ydelser.iter().map(|(id, label)| view! { <option value=id.clone() label=label.clone()></option> }).collect_view()}
                    </datalist>
                })}
                {defects.k.then(|| {
                    let err = error_for("kravtype_bekraeftet");
                    view! {
                        <TextField name="kravtype" label="Kravtype" hint="Vælg en af de kravtyper, kommunen bruger (listen åbner, når du skriver)"
                            value=f.kravtype.clone().unwrap_or_default() error=Signal::derive(error_for("kravtype")) list=Some("kravtyper")/>
                        <datalist id="kravtyper">
                            {kravtyper.iter().map(|k| view! { <option value=k.clone()></option> }).collect_view()}
                        </datalist>
                        <div class="field field--check">
                            <input type="checkbox" id="input-kravtype_bekraeftet" name="input[kravtype_bekraeftet]" value="true"
                                aria-describedby="err-kravtype_bekraeftet" aria-invalid=move || err().is_some().to_string()/>
                            <label for="input-kravtype_bekraeftet">"Kravtypen er kontrolleret og korrekt"</label>
                            <FieldMessage id="err-kravtype_bekraeftet" message=Signal::derive(err)/>
                        </div>
                    }
                })}
                {defects.p.then(|| view! {
                    <TextField name="udbetalingsparagraf" label="Udbetalingsparagraf" hint=format!("Fx {UDBETALINGSPARAGRAF_EKSEMPEL}")
                        value=f.udbetalingsparagraf.clone().unwrap_or_default() error=Signal::derive(error_for("udbetalingsparagraf")) list=None/>
                    <TextField name="tilbagebetalingsparagraf" label="Tilbagebetalingsparagraf" hint=format!("Fx {TILBAGEBETALINGSPARAGRAF_EKSEMPEL}")
                        value=f.tilbagebetalingsparagraf.clone().unwrap_or_default() error=Signal::derive(error_for("tilbagebetalingsparagraf")) list=None/>
                })}
                <FieldMessage id="err-form" message=Signal::derive(error_for("form"))/>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Gemmer …" } else { "Gem og luk opgaven" }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(into)] hint: String,
    value: String,
    error: Signal<Option<String>>,
    list: Option<&'static str>,
) -> impl IntoView {
    let id = format!("input-{name}");
    let err_id = format!("err-{name}");
    let hint_id = format!("hint-{name}");
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <p class="field__hint" id=hint_id.clone()>{hint}</p>
            <input type="text" id=id name=format!("input[{name}]") value=value list=list autocomplete="off"
                aria-describedby=format!("{hint_id} {err_id}") aria-invalid=move || error.get().is_some().to_string()/>
            <FieldMessage id=err_id message=error/>
        </div>
    }
}

#[component]
fn FieldMessage(#[prop(into)] id: String, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field__error" id=id role="alert" aria-live="assertive">{move || message.get()}</p>
    }
}
