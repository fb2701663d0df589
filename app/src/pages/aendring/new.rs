//! Filing an ændringsønske. While the title and challenge are typed, similar ændringsønsker appear (the
//! backlog and earlier ændringsønsker, rejected ones with KOMBIT's decision) so a duplicate is not
//! filed. Every template field is required; the browser checks with the server's own rules.

use super::StatusBadge;
use crate::api::aendring::{FileAendring, similar_aendringer};
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::aendring::{AendringType, validate_draft};
use crate::model::aendring::SimilarAendring;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// The template's fields, each with its message next to it (and `form` for the whole form).
const DRAFT_FIELDS: &[&str] = &[
    "titel",
    "udfordring",
    "ydelsesarter",
    "omfang",
    "workaround",
    "type",
    "beskrivelse",
    "minsupport_sagsid",
    "form",
];

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
    let error_for = move |field: &'static str| messages.of(field);
    let field = move |name: &'static str, label: &'static str, hint: &'static str, long: bool| {
        let err = error_for(name);
        let id = format!("f-{name}");
        let input_name = format!("draft[{name}]");
        let on_input = {
            let search_later = search_later.clone();
            move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                match name {
                    "titel" => set_titel.set(v),
                    "udfordring" => set_udfordring.set(v),
                    _ => return,
                }
                search_later();
            }
        };
        view! {
            <div class="field" class:field--invalid=move || err().is_some()>
                <label for=id.clone()>{label}</label>
                <p class="field__hint" id=format!("{id}-hint")>{hint}</p>
                {if long {
                    view! { <textarea id=id.clone() name=input_name rows="4" on:input=on_input aria-describedby=format!("{id}-hint {id}-err") aria-invalid=move || err().is_some().to_string()></textarea> }.into_any()
                } else {
                    view! { <input type="text" id=id.clone() name=input_name on:input=on_input aria-describedby=format!("{id}-hint {id}-err") aria-invalid=move || err().is_some().to_string()/> }.into_any()
                }}
                <p class="field__error" id=format!("{id}-err") role="alert">{err}</p>
            </div>
        }
    };
    view! {
        <Title text="Nyt ændringsønske"/>
        <h1>"Nyt ændringsønske"</h1>
        <p class="lede">"Alle felter skal udfyldes – ellers kan ønsket ikke sendes. Mens du skriver, vises lignende ønsker, så I undgår dubletter."</p>
        <div class="task-grid">
            <form method="post" action=FileAendring::url() on:submit=on_submit class="panel panel--form" novalidate>
                {field("titel", "Titel", "Kort og præcist, fx \"Ret tilbagebetalingsparagraf på oprettet fordring\"", false)}
                {field("udfordring", "Hvilken udfordring oplever I i KY?", "Beskriv grundigt den udfordring, ønsket skal løse.", true)}
                {field("ydelsesarter", "Hvilke ydelsesarter vedrører det?", "Adskil med komma, fx Kontanthjælp, Uddannelseshjælp", false)}
                {field("omfang", "Hvor ofte opleves udfordringen / hvor stort er sagsomfanget?", "Fx \"ca. 40 sager om måneden\"", false)}
                {field("workaround", "Er der en workaround, som løser udfordringen midlertidigt?", "Beskriv den, eller skriv \"Nej\".", true)}
                <div class="field" class:field--invalid=move || error_for("type")().is_some()>
                    <label for="f-type">"Er der tale om"</label>
                    <select id="f-type" name="draft[type]" aria-describedby="f-type-err">
                        <option value="">"Vælg …"</option>
                        {AendringType::ALL.into_iter().map(|t| view! { <option value=t.key()>{t.label()}</option> }).collect_view()}
                    </select>
                    <p class="field__error" id="f-type-err" role="alert">{error_for("type")}</p>
                </div>
                {field("beskrivelse", "Beskrivelse af det, som ønskes udviklet i KY", "Angiv en grundig beskrivelse.", true)}
                {field("minsupport_sagsid", "Evt. SagsID fra MinSupport", "Frivilligt.", false)}
                <p class="field__error" role="alert">{error_for("form")}</p>
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
