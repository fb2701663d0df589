//! Filing an ændringsønske. While the title and challenge are typed, similar ændringsønsker appear (the
//! backlog and earlier ændringsønsker, rejected ones with KOMBIT's decision) so a duplicate is not
//! filed. Every template field is required; the browser checks with the server's own rules.

use super::StatusBadge;
use super::template_fields::{DRAFT_FIELDS, TemplateFields};
use crate::api::aendring::{FileAendring, similar_aendringer};
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::aendring::validate_draft;
use crate::model::aendring::SimilarAendring;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewAendringPage() -> impl IntoView {
    let action = ServerAction::<FileAendring>::new();
    let messages = FieldMessages::new(action_error(action));
    let (text, set_text) = signal(String::new());
    let similar = Resource::new(
        move || text.get(),
        |t| async move { if t.trim().len() < 4 { Ok(Vec::new()) } else { similar_aendringer(t).await } },
    );
    let (titel, set_titel) = signal(String::new());
    let (udfordring, set_udfordring) = signal(String::new());
    let search_later =
        super::debounced(move || set_text.set(format!("{} {}", titel.get_untracked(), udfordring.get_untracked())));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/aendringsoensker/{id}?ny=1"), Default::default());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match FileAendring::from_event(&ev) {
            Ok(args) => match validate_draft(&args.draft) {
                Ok(_) => {
                    messages.checked(Vec::new());
                    action.dispatch(args);
                }
                Err(e) => messages.checked(e),
            },
            Err(e) => messages.unreadable(e),
        }
    };
    let (typed, on_text) = signal(("", String::new()));
    Effect::new(move |_| {
        let (name, text) = typed.get();
        match name {
            "titel" => set_titel.set(text),
            "udfordring" => set_udfordring.set(text),
            _ => return,
        }
        search_later();
    });
    view! {
        <Title text="Nyt ændringsønske"/>
        <h1>"Nyt ændringsønske"</h1>
        <p class="lede">"Alle felter skal udfyldes – ellers kan ønsket ikke sendes. Mens du skriver, vises lignende ønsker, så I undgår dubletter."</p>
        <div class="task-grid">
            <form method="post" action=FileAendring::url() on:submit=on_submit class="panel panel--form" novalidate>
                <TemplateFields prefix="draft" messages on_text/>
                <p class="field__error" role="alert">{messages.of("form")}</p>
                <ActionError error=messages.error() beside_fields=DRAFT_FIELDS/>
                <button type="submit" class="button" disabled=move || action.pending().get()>"Send ændringsønsket"</button>
            </form>
            <aside class="panel" aria-labelledby="lignende" aria-live="polite">
                <h2 id="lignende">"Lignende ændringsønsker"</h2>
                <Transition fallback=|| view! { <p class="loading">"Søger …"</p> }>
                    {move || Suspend::new(async move {
                        let found = similar.await.unwrap_or_default();
                        view! { <SimilarList found/> }
                    })}
                </Transition>
            </aside>
        </div>
    }
}

#[component]
fn SimilarList(found: Vec<SimilarAendring>) -> impl IntoView {
    if found.is_empty() {
        return view! { <p class="muted">"Skriv titel og udfordring – så søger vi i backloggen og tidligere ønsker."</p> }.into_any();
    }
    view! {
        <ul class="similar" data-testid="lignende">
            {found.into_iter().map(|s| view! {
                <li>
                    <a href=format!("/aendringsoensker/{}", s.id) target="_blank">{s.key.clone()}": "{s.titel.clone()}</a>
                    <div><StatusBadge status=s.status/>
                        {s.backlog_rank.map(|r| format!(" · nr. {r} i backloggen"))}
                        {format!(" · {} kommune(r)", s.kommuner)}
                    </div>
                    {s.decision_note.map(|n| view! { <p class="decision">"KOMBITs afgørelse: "{n}</p> })}
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
