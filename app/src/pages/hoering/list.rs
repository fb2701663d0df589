//! `/hoeringer`: every hearing with its summary; KOMBIT opens a new one here, a høringsansvarlig
//! sees how many answers the own kommune has.

use crate::api::hoering::{OpenHoering, list_hoeringer};
use crate::components::{ActionError, FieldMessages, Loaded, action_error};
use crate::domain::hoering::{HoeringForm, validate_hoering};
use crate::model::hoering::HoeringItem;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HoeringerPage() -> impl IntoView {
    let user = crate::app::use_user();
    let open = ServerAction::<OpenHoering>::new();
    let list = Resource::new(move || open.version().get(), |_| list_hoeringer());
    view! {
        <Title text="Høringer"/>
        <h1>"Høringer"</h1>
        <p class="lede">"KOMBIT sender materiale i høring. Kommunens høringsansvarlige svarer pr. afsnit inden fristen; KOMBIT behandler hvert svar, og alle svar offentliggøres anonymiseret."</p>
        <Loaded resource=list view={move |items: Vec<HoeringItem>| view! {
            {items.is_empty().then(|| view! { <p>"Ingen høringer endnu."</p> })}
            <ul class="cards">
                {items.into_iter().map(|h| view! {
                    <li class="panel" data-testid=format!("hoering-{}", h.id)>
                        <h2><a href=format!("/hoeringer/{}", h.id)>{h.title.clone()}</a></h2>
                        <p>
                            {format!("Frist {} · {}", h.deadline, if h.open { "åben" } else { "lukket" })}
                            {h.own_answers.map(|n| format!(" · jeres svar: {n}"))}
                        </p>
                        <p class="muted">{h.summary.sentence()}</p>
                        <p><a href=format!("/hoering/{}/svar", h.id)>"Offentlige svar (anonymiseret)"</a></p>
                    </li>
                }).collect_view()}
            </ul>
        }}/>
        <Suspense>
            {move || Suspend::new(async move {
                let kombit = user.await.is_some_and(|u| u.role == crate::domain::Role::Kombit);
                kombit.then(|| view! { <OpenForm open/> })
            })}
        </Suspense>
    }
}

#[component]
fn OpenForm(open: ServerAction<OpenHoering>) -> impl IntoView {
    let messages = FieldMessages::new(action_error(open));
    let (title, material, sections, deadline) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = HoeringForm {
            title: title.get_untracked(),
            material: material.get_untracked(),
            sections: sections.get_untracked(),
            deadline: deadline.get_untracked(),
        };
        // The browser has no Copenhagen clock: "not before today" is left to the server.
        match validate_hoering(&form, chrono::NaiveDate::MIN) {
            Ok(_) => {
                messages.checked(Vec::new());
                open.dispatch(OpenHoering { form });
            }
            Err(errors) => messages.checked(errors),
        }
    };
    let field = move |id: &'static str, label: &'static str, value: RwSignal<String>, multi: bool| {
        let input = if multi {
            view! { <textarea id=id rows="6" bind:value=value aria-describedby=format!("{id}-err")
            aria-invalid=move || messages.get(id).is_some().to_string()></textarea> }
            .into_any()
        } else {
            view! { <input id=id type=if id == "deadline" { "date" } else { "text" } bind:value=value aria-describedby=format!("{id}-err")
                aria-invalid=move || messages.get(id).is_some().to_string()/> }.into_any()
        };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                {input}
                <p class="field__error" id=format!("{id}-err") role="alert">{messages.of(id)}</p>
            </div>
        }
    };
    view! {
        <section class="panel" aria-labelledby="ny-hoering">
            <h2 id="ny-hoering">"Åbn en ny høring"</h2>
            <form on:submit=send novalidate>
                {field("title", "Titel", title, false)}
                {field("material", "Materialet", material, true)}
                {field("sections", "Afsnit (ét pr. linje, fx \"3.2 Udbetaling\")", sections, true)}
                {field("deadline", "Frist", deadline, false)}
                <button type="submit" class="button" disabled=move || open.pending().get()>"Åbn høringen"</button>
                <ActionError error=messages.error() beside_fields=&["title", "material", "sections", "deadline"]/>
            </form>
        </section>
    }
}
