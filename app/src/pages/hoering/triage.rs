//! KOMBIT's card for one submitted answer: the quote, its kommune and section, and the reply
//! form (category, reply, optionally the working group's comment). Sent with the version seen:
//! someone else's triage in between is a conflict with a message, not an overwrite.

use super::answer::Reply;
use crate::api::hoering::TriageHoeringssvar;
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::hoering::{Triage, check_triage};
use crate::model::hoering::SvarView;
use leptos::prelude::*;

#[component]
pub fn TriageCard(a: SvarView, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let save = ServerAction::<TriageHoeringssvar>::new();
    let messages = FieldMessages::new(action_error(save));
    let category = RwSignal::new(a.triage.map(|t| t.key().to_string()).unwrap_or_default());
    let reply = RwSignal::new(a.reply.clone().unwrap_or_default());
    let arbejdsgruppen = RwSignal::new(a.arbejdsgruppen.clone().unwrap_or_default());
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(_)))) {
            on_done();
        }
    });
    let (id, version) = (a.id, a.version);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, r, g) = (category.get_untracked(), reply.get_untracked(), arbejdsgruppen.get_untracked());
        match check_triage(&c, &r, &g) {
            Ok(_) => {
                messages.checked(Vec::new());
                save.dispatch(TriageHoeringssvar { id, version, category: c, reply: r, arbejdsgruppen: g });
            }
            Err(errors) => messages.checked(errors),
        }
    };
    let f = |name: &str| format!("svar-{id}-{name}");
    let nr = a.nr.unwrap_or_default();
    view! {
        <article class="panel" data-testid=format!("behandl-{nr}")>
            <h3>{format!("Svar nr. {nr} · {}", a.afsnit)}</h3>
            <p class="muted">{format!("{} · {} · indsendt {}", a.kommune, a.author, a.submitted_at.clone().unwrap_or_default())}</p>
            <blockquote class="prose">{a.text.clone()}</blockquote>
            {a.triage.map(|t| view! {
                <Reply triage=t reply=a.reply.clone().unwrap_or_default() arbejdsgruppen=a.arbejdsgruppen.clone()/>
                <p class="muted">{format!("Behandlet {}", a.triaged.clone().unwrap_or_default())}</p>
            })}
            {a.aendring.clone().map(|(aid, key)| view! {
                <p>"Ændringsønske: "<a href=format!("/aendringsoensker/{aid}")>{key}</a></p>
            })}
            <form on:submit=send novalidate>
                <div class="field">
                    <label for=f("kategori")>"Kategori"</label>
                    <select id=f("kategori") bind:value=category aria-describedby=f("kategori-err")
                        aria-invalid=move || messages.get("category").is_some().to_string()>
                        <option value="">"Vælg …"</option>
                        {Triage::ALL.into_iter().map(|t| view! { <option value=t.key()>{t.full_label()}</option> }).collect_view()}
                    </select>
                    <p class="field__error" id=f("kategori-err") role="alert">{messages.of("category")}</p>
                </div>
                <div class="field">
                    <label for=f("svar")>{move || Triage::parse(&category.get()).map_or("Svar til kommunen", |t| t.reply_heading())}</label>
                    <textarea id=f("svar") rows="3" bind:value=reply aria-describedby=f("svar-err")
                        aria-invalid=move || messages.get("reply").is_some().to_string()></textarea>
                    <p class="field__error" id=f("svar-err") role="alert">{messages.of("reply")}</p>
                </div>
                <div class="field">
                    <label for=f("ag")>"Arbejdsgruppen siger (valgfrit)"</label>
                    <textarea id=f("ag") rows="2" bind:value=arbejdsgruppen aria-describedby=f("ag-err")></textarea>
                    <p class="field__error" id=f("ag-err") role="alert">{messages.of("arbejdsgruppen")}</p>
                </div>
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    {if a.triage.is_some() { "Ret behandlingen" } else { "Gem behandlingen" }}
                </button>
                <ActionError error=messages.error() beside_fields=&["category", "reply", "arbejdsgruppen"]/>
            </form>
        </article>
    }
}
