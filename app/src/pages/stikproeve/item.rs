//! Checking one item of a stikprøve: the fordring's facts as the extract has them (CPR shown,
//! so the read is audited on the server), and per control the task fell to "is it right on the
//! source?" yes/no with an optional note on what KMD Aktiv says. A colleague's check saved
//! while the page was open is reported, not overwritten.

use super::super::with_kommune;
use crate::api::stikproeve::{CheckStikproeveItem, get_stikproeve_item};
use crate::components::{ActionError, FieldMessages, Loaded, action_error};
use crate::domain::stikproeve::Kontrol;
use crate::model::stikproeve::ItemDetail;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const FIELDS: &[&str] = &["paragraf", "kravtype", "note"];

#[component]
pub fn StikproeveItemPage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            (p.get("id").and_then(|s| s.parse::<i64>().ok()), p.get("task").and_then(|s| s.parse::<i64>().ok()))
        })
    };
    let own = super::super::kommune_param();
    let check = ServerAction::<CheckStikproeveItem>::new();
    // Reloaded after every save: the page then shows what is stored (and its new version).
    let item = Resource::new(
        move || (ids(), check.version().get()),
        |((sid, task), _)| get_stikproeve_item(sid.unwrap_or_default(), task.unwrap_or_default()),
    );
    view! {
        <Title text="Kontrol af stikprøvepunkt"/>
        <Loaded resource=item view=move |d: ItemDetail| view! { <Item d check own=own()/> }/>
    }
}

fn fact(value: &Option<String>) -> String {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).unwrap_or("(mangler)").to_string()
}

#[component]
fn Item(d: ItemDetail, check: ServerAction<CheckStikproeveItem>, own: Option<u16>) -> impl IntoView {
    let messages = FieldMessages::new(action_error(check));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match CheckStikproeveItem::from_event(&ev) {
            Ok(args) => {
                messages.checked(Vec::new());
                check.dispatch(args);
            }
            Err(e) => messages.unreadable(e),
        }
    };
    let back = with_kommune(&format!("/stikproeve?id={}", d.stikproeve_id), own);
    let next = d.next_unchecked.map(|t| with_kommune(&format!("/stikproeve/{}/opgaver/{t}", d.stikproeve_id), own));
    let questions = d
        .answers
        .clone()
        .into_iter()
        .map(|(kontrol, answer)| {
            let name = match kontrol {
                Kontrol::Paragraf => "paragraf",
                Kontrol::Kravtype => "kravtype",
            };
            let e = messages.of(name);
            view! {
                <fieldset class="field" class:field--invalid=move || e().is_some()>
                    <legend>{kontrol.label()}": "{kontrol.question()}</legend>
                    <label class="choice">
                        <input type="radio" name=format!("input[{name}]") value="ja" checked=answer == Some(true)/>
                        " Ja, den er rigtig"
                    </label>
                    <label class="choice">
                        <input type="radio" name=format!("input[{name}]") value="nej" checked=answer == Some(false)/>
                        " Nej, den er forkert"
                    </label>
                    <p class="field__error" role="alert">{e}</p>
                </fieldset>
            }
        })
        .collect_view();
    let note_err = messages.of("note");
    view! {
        <p><a href=back.clone()>"← Tilbage til stikprøvens resultater"</a></p>
        <h1>{format!("Kontrol af punkt {} af {} i stikprøve {}", d.position, d.count, d.stikproeve_id)}</h1>
        <p class="lede">"Slå fordringen op i KMD Aktiv, og sammenlign med det, udtrækket har. Svar for hver kontrol, opgaven er faldet til."</p>
        <section class="panel" aria-labelledby="fakta">
            <h2 id="fakta">"Fordringen i udtrækket"</h2>
            <dl class="facts">
                <dt>"CPR-nummer"</dt><dd class="num">{crate::domain::Cpr::parse(&d.cpr).map(|c| c.to_string()).unwrap_or_else(|_| d.cpr.clone())}</dd>
                <dt>"Navn"</dt><dd>{d.navn.clone()}</dd>
                <dt>"Fordring"</dt><dd>{d.fordring_id.clone()}</dd>
                <dt>"Opgavepakke"</dt><dd>{d.opgavepakke.clone()}{(!d.is_open).then_some(" (opgaven er lukket siden)")}</dd>
                <dt>"Kravtype"</dt><dd>{fact(&d.kravtype)}</dd>
                <dt>"Udbetalingsparagraf"</dt><dd>{fact(&d.udbetalingsparagraf)}</dd>
                <dt>"Tilbagebetalingsparagraf"</dt><dd>{fact(&d.tilbagebetalingsparagraf)}</dd>
                <dt>"Bevilling"</dt><dd>{fact(&d.bevilling)}</dd>
                <dt>"Ydelsesreference"</dt><dd>{fact(&d.ydelsesreference)}</dd>
                <dt>"Beløb"</dt><dd class="num">{d.beloeb.to_string()}</dd>
            </dl>
        </section>
        {d.checked.clone().map(|c| view! {
            <p class="notice" role="status" data-testid="kontrolleret">{format!("Kontrolleret af {c}. Du kan rette svaret.")}</p>
        })}
        <form method="post" action=CheckStikproeveItem::url() on:submit=on_submit class="panel panel--form" novalidate>
            <input type="hidden" name="input[stikproeve_id]" value=d.stikproeve_id.to_string()/>
            <input type="hidden" name="input[task_id]" value=d.task_id.to_string()/>
            <input type="hidden" name="input[version]" value=d.version.to_string()/>
            {questions}
            <div class="field" class:field--invalid=move || note_err().is_some()>
                <label for="k-note">"Note (valgfri)"</label>
                <p class="field__hint" id="k-note-hint">"Hvad står der i KMD Aktiv? Fx \"LAS § 93\"."</p>
                <textarea id="k-note" name="input[note]" rows="3" aria-describedby="k-note-hint">{d.note.clone()}</textarea>
                <p class="field__error" role="alert">{note_err}</p>
            </div>
            <ActionError error=messages.error() beside_fields=FIELDS/>
            <button type="submit" class="button" disabled=move || check.pending().get()>"Gem kontrol"</button>
        </form>
        <div role="status" aria-live="polite">
            {move || matches!(check.value().get(), Some(Ok(_))).then(|| view! {
                <p class="notice notice--ok">"Kontrollen er gemt."</p>
            })}
        </div>
        <p>
            {next.map(|n| view! { <a class="button" href=n>"Næste ukontrollerede punkt"</a>" " })}
            <a class="button button--quiet" href=back>"Til resultaterne"</a>
        </p>
    }
}
