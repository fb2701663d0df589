//! A høringsansvarlig's answers: a new draft against a section, a draft saved and submitted
//! (after which it is locked and shows its receipt), and KOMBIT's reply once it comes.

use crate::api::hoering::{NewHoeringssvar, SaveHoeringssvar, SubmitHoeringssvar};
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::hoering::{Triage, check_long_text, reply_parts};
use crate::model::hoering::{AfsnitView, SvarView};
use leptos::prelude::*;

#[component]
pub fn NewAnswer(
    hoering_id: i64,
    sections: Vec<AfsnitView>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let create = ServerAction::<NewHoeringssvar>::new();
    let messages = FieldMessages::new(action_error(create));
    let afsnit = RwSignal::new(sections.first().map(|a| a.id.to_string()).unwrap_or_default());
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if create.value().with(|v| matches!(v, Some(Ok(_)))) {
            text.set(String::new());
            on_done();
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked();
        let errors = check_long_text("text", &t, "jeres svar");
        let ok = errors.is_empty();
        messages.checked(errors);
        if ok {
            let afsnit_id = afsnit.get_untracked().parse().unwrap_or(0);
            create.dispatch(NewHoeringssvar { hoering_id, afsnit_id, text: t });
        }
    };
    view! {
        <section class="panel" aria-labelledby="nyt-svar">
            <h2 id="nyt-svar">"Nyt høringssvar"</h2>
            <form on:submit=send novalidate>
                <div class="field">
                    <label for="nyt-afsnit">"Afsnit"</label>
                    <select id="nyt-afsnit" bind:value=afsnit>
                        {sections.into_iter().map(|a| view! { <option value=a.id.to_string()>{format!("{} {}", a.number, a.title)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="nyt-svar-tekst">"Svar"</label>
                    <textarea id="nyt-svar-tekst" rows="5" bind:value=text aria-describedby="nyt-svar-tekst-err"
                        aria-invalid=move || messages.get("text").is_some().to_string()></textarea>
                    <p class="field__error" id="nyt-svar-tekst-err" role="alert">{messages.of("text")}</p>
                </div>
                <button type="submit" class="button" disabled=move || create.pending().get()>"Gem som kladde"</button>
                <ActionError error=messages.error() beside_fields=&["text"]/>
            </form>
        </section>
    }
}

#[component]
pub fn OwnAnswer(
    a: SvarView,
    sections: Vec<AfsnitView>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let heading = match a.nr {
        Some(nr) => format!("Svar nr. {nr} · {}", a.afsnit),
        None => format!("Kladde · {}", a.afsnit),
    };
    let testid = format!("svar-{}", a.id);
    view! {
        <article class="panel" data-testid=testid>
            <h3>{heading}</h3>
            {match a.nr {
                None => view! { <DraftForm a=a.clone() sections on_done/> }.into_any(),
                Some(_) => view! {
                    <blockquote class="prose">{a.text.clone()}</blockquote>
                    <p class="notice notice--ok" data-testid="kvittering">
                        {format!("Indsendt {} af {} · Kvittering: {}", a.submitted_at.clone().unwrap_or_default(), a.author, a.receipt.clone().unwrap_or_default())}
                    </p>
                    {match a.triage {
                        Some(t) => view! { <Reply triage=t reply=a.reply.clone().unwrap_or_default() arbejdsgruppen=a.arbejdsgruppen.clone()/> }.into_any(),
                        None => view! { <p class="muted">"KOMBIT har endnu ikke behandlet svaret."</p> }.into_any(),
                    }}
                    {a.aendring.clone().map(|(id, key)| view! {
                        <p>"Gemt til senere prioritering som ændringsønske "<a href=format!("/aendringsoensker/{id}")>{key}</a></p>
                    })}
                }.into_any(),
            }}
        </article>
    }
}

#[component]
fn DraftForm(
    a: SvarView,
    sections: Vec<AfsnitView>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let save = ServerAction::<SaveHoeringssvar>::new();
    let submit = ServerAction::<SubmitHoeringssvar>::new();
    let save_messages = FieldMessages::new(action_error(save));
    let submit_error = action_error(submit);
    let afsnit = RwSignal::new(a.afsnit_id.to_string());
    let text = RwSignal::new(a.text.clone());
    let (id, version) = (a.id, a.version);
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(_)))) || submit.value().with(|v| matches!(v, Some(Ok(_)))) {
            on_done();
        }
    });
    let field = format!("svar-{id}-tekst");
    let select = format!("svar-{id}-afsnit");
    view! {
        <div class="field">
            <label for=select.clone()>"Afsnit"</label>
            <select id=select bind:value=afsnit>
                {sections.into_iter().map(|s| view! { <option value=s.id.to_string()>{format!("{} {}", s.number, s.title)}</option> }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=field.clone()>"Svar"</label>
            <textarea id=field.clone() rows="5" bind:value=text aria-describedby=format!("{field}-err")
                aria-invalid=move || save_messages.get("text").is_some().to_string()></textarea>
            <p class="field__error" id=format!("{field}-err") role="alert">{save_messages.of("text")}</p>
        </div>
        <div class="actions">
            <button type="button" class="button button--quiet" disabled=move || save.pending().get()
                on:click=move |_| {
                    let t = text.get_untracked();
                    let errors = check_long_text("text", &t, "jeres svar");
                    let ok = errors.is_empty();
                    save_messages.checked(errors);
                    if ok {
                        save.dispatch(SaveHoeringssvar { id, version, afsnit_id: afsnit.get_untracked().parse().unwrap_or(0), text: t });
                    }
                }>"Gem kladde"</button>
            <button type="button" class="button" disabled=move || submit.pending().get()
                on:click=move |_| { submit.dispatch(SubmitHoeringssvar { id, version }); }>"Indsend svaret"</button>
        </div>
        <p class="muted">"Gem kladden, før du indsender den. Et indsendt svar kan ikke ændres."</p>
        <ActionError error=save_messages.error() beside_fields=&["text"]/>
        <ActionError error=submit_error/>
    }
}

/// KOMBIT's reply in the slides' form: the heading, the reply, the working group's comment.
#[component]
pub fn Reply(triage: Triage, reply: String, arbejdsgruppen: Option<String>) -> impl IntoView {
    view! {
        <div class="hoering-reply" data-testid="hoering-reply">
            <p class="muted">{triage.full_label()}</p>
            {reply_parts(triage, &reply, arbejdsgruppen.as_deref()).into_iter().map(|(heading, text)| view! {
                <p><strong>{heading}</strong><br/>{text}</p>
            }).collect_view()}
        </div>
    }
}
