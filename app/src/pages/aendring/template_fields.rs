//! The template's fields, as filed (`/aendringsoensker/ny`) and as elaborated when KOMBIT returns
//! an ændringsønske: each with its label, hint and message, named for the server function's
//! argument (`draft[titel]`, `decision[elaboration][titel]`) so the form also posts without
//! JavaScript.

use crate::components::FieldMessages;
use crate::domain::aendring::{AendringDraft, AendringType};
use leptos::prelude::*;

/// Every field's message, the whole form's (`form`) too: for `<ActionError beside_fields/>`.
pub const DRAFT_FIELDS: &[&str] = &[
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

/// (field, label, hint, long text) in the template's order; the type is a select of its own.
const TEXT_FIELDS: [(&str, &str, &str, bool); 7] = [
    ("titel", "Titel", "Kort og præcist, fx \"Ret tilbagebetalingsparagraf på oprettet fordring\"", false),
    ("udfordring", "Hvilken udfordring oplever I i KY?", "Beskriv grundigt den udfordring, ønsket skal løse.", true),
    ("ydelsesarter", "Hvilke ydelsesarter vedrører det?", "Adskil med komma, fx Kontanthjælp, Uddannelseshjælp", false),
    ("omfang", "Hvor ofte opleves udfordringen / hvor stort er sagsomfanget?", "Fx \"ca. 40 sager om måneden\"", false),
    (
        "workaround",
        "Er der en workaround, som løser udfordringen midlertidigt?",
        "Beskriv den, eller skriv \"Nej\".",
        true,
    ),
    ("beskrivelse", "Beskrivelse af det, som ønskes udviklet i KY", "Angiv en grundig beskrivelse.", true),
    ("minsupport_sagsid", "Evt. SagsID fra MinSupport", "Frivilligt.", false),
];

#[component]
pub fn TemplateFields(
    /// The argument's name in the form: `draft` or `decision[elaboration]`.
    prefix: &'static str,
    /// The texts the fields start with (an elaboration starts from the ændringsønske as it reads).
    #[prop(optional)]
    initial: AendringDraft,
    messages: FieldMessages,
    /// Told (field, text) as the user types.
    #[prop(optional)]
    on_text: Option<WriteSignal<(&'static str, String)>>,
) -> impl IntoView {
    let chosen = initial.type_.clone();
    let text_field = |(name, label, hint, long): (&'static str, &'static str, &'static str, bool)| {
        let err = messages.of(name);
        let id = format!("f-{name}");
        let input_name = format!("{prefix}[{name}]");
        let value = initial.field(name);
        let on_input = move |ev: leptos::ev::Event| {
            if let Some(typed) = on_text {
                typed.set((name, event_target_value(&ev)));
            }
        };
        let described = format!("{id}-hint {id}-err");
        view! {
            <div class="field" class:field--invalid=move || err().is_some()>
                <label for=id.clone()>{label}</label>
                <p class="field__hint" id=format!("{id}-hint")>{hint}</p>
                {if long {
                    view! { <textarea id=id.clone() name=input_name rows="4" on:input=on_input aria-describedby=described aria-invalid=move || err().is_some().to_string()>{value}</textarea> }.into_any()
                } else {
                    view! { <input type="text" id=id.clone() name=input_name value=value on:input=on_input aria-describedby=described aria-invalid=move || err().is_some().to_string()/> }.into_any()
                }}
                <p class="field__error" id=format!("{id}-err") role="alert">{err}</p>
            </div>
        }
    };
    let type_err = messages.of("type");
    let (before_type, after_type) = TEXT_FIELDS.split_at(5);
    view! {
        {before_type.iter().copied().map(&text_field).collect_view()}
        <div class="field" class:field--invalid=move || type_err().is_some()>
            <label for="f-type">"Er der tale om"</label>
            <select id="f-type" name=format!("{prefix}[type]") aria-describedby="f-type-err">
                <option value="">"Vælg …"</option>
                {AendringType::ALL.into_iter().map(|t| view! { <option value=t.key() selected=t.key() == chosen>{t.label()}</option> }).collect_view()}
            </select>
            <p class="field__error" id="f-type-err" role="alert">{type_err}</p>
        </div>
        {after_type.iter().copied().map(&text_field).collect_view()}
    }
}
