//! KOMBIT's forms on the success criteria page: a measurement and a criterion per criterion,
//! and new criteria, objectives and measuring points. Each is a plain POST to its server
//! function (works without JavaScript; leptos_axum redirects back); with JavaScript it is
//! dispatched, and its errors are shown beside the form that was sent.

use crate::api::succeskriterium::{PutMaalepunkt, PutMaalsaetning, PutSucceskriterium, RecordMaaling};
use crate::components::{ActionError, action_error};
use crate::domain::succeskriterium::{Maalepunkt, Sammenligning, format_tal};
use crate::error::AppError;
use crate::model::succeskriterium::KriteriumView;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The page's actions, and which criterion's form was sent last (0: a form of its own).
#[derive(Clone, Copy)]
pub struct Forms {
    pub record: ServerAction<RecordMaaling>,
    pub put_kriterium: ServerAction<PutSucceskriterium>,
    pub put_maalsaetning: ServerAction<PutMaalsaetning>,
    pub put_maalepunkt: ServerAction<PutMaalepunkt>,
    pub sent_from: RwSignal<Option<i64>>,
}

/// The action's error, when the form of `key` sent it.
fn error_of<I: 'static, T: Send + Sync + 'static>(
    action: impl Into<Action<I, Result<T, AppError>>>,
    sent_from: RwSignal<Option<i64>>,
    key: i64,
) -> Signal<Option<AppError>> {
    let error = action_error(action);
    Signal::derive(move || if sent_from.get() == Some(key) { error.get() } else { None })
}

/// A labelled text input with its hint and its error.
fn field(
    prefix: &str,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    mode: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView + use<> {
    let id = format!("{prefix}-{name}");
    let message = move || error.with(|e| e.as_ref().and_then(|e| e.message_for(name)));
    view! {
        <div class="field" class:field--invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="field__hint">{hint}</p> })}
            <input type="text" id=id name=format!("form[{name}]") value=value inputmode=mode
                aria-invalid=move || message().is_some().then_some("true")/>
            <p class="field__error" role="alert">{message}</p>
        </div>
    }
}

/// Sends the form through the action (JavaScript on), remembering which form sent it.
fn submit<S>(action: ServerAction<S>, sent_from: RwSignal<Option<i64>>, key: i64) -> impl Fn(leptos::ev::SubmitEvent)
where
    S: ServerFn<Error = AppError> + FromFormData + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    move |ev| {
        if let Ok(args) = S::from_event(&ev) {
            ev.prevent_default();
            sent_from.set(Some(key));
            action.dispatch(args);
        }
    }
}

const MAALING_FIELDS: &[&str] = &["maalepunkt", "vaerdi", "stikproeve", "maalt", "kilde"];

/// A measurement of one criterion at one of its measuring points.
#[component]
pub fn MaalingPanel(k: KriteriumView, points: Vec<Maalepunkt>, today: String, forms: Forms) -> impl IntoView {
    let error = error_of(forms.record, forms.sent_from, k.id);
    let prefix = format!("m{}", k.id);
    let default_point = k.naeste.as_ref().map(|n| n.maalepunkt.nr);
    let point_msg = move || error.with(|e| e.as_ref().and_then(|e| e.message_for("maalepunkt")));
    let options = points
        .into_iter()
        .filter(|p| k.maalepunkter.contains(&p.nr))
        .map(|p| view! { <option value=p.nr.to_string() selected=Some(p.nr) == default_point>{p.navn}</option> })
        .collect_view();
    view! {
        <details class="succes__form" open=move || error.with(Option::is_some)>
            <summary>{format!("Registrér en måling af {}", k.nummer)}</summary>
            <form method="post" action=RecordMaaling::url() class="panel panel--form" novalidate
                on:submit=submit(forms.record, forms.sent_from, k.id)>
                <input type="hidden" name="form[kriterium_id]" value=k.id.to_string()/>
                <div class="field" class:field--invalid=move || point_msg().is_some()>
                    <label for=format!("{prefix}-maalepunkt")>"Måletidspunkt"</label>
                    <select id=format!("{prefix}-maalepunkt") name="form[maalepunkt]">{options}</select>
                    <p class="field__error" role="alert">{point_msg}</p>
                </div>
                {field(&prefix, "vaerdi", "Værdi", "Fx 83,3", String::new(), "decimal", error)}
                {field(&prefix, "stikproeve", "Stikprøvens størrelse (valgfri)", "Antal svar eller sager, fx 120.", String::new(), "numeric", error)}
                {field(&prefix, "maalt", "Målt den", "dd.mm.åååå", super::dk(&today), "text", error)}
                {field(&prefix, "kilde", "Kilde", "", k.kilde.clone(), "text", error)}
                <ActionError error beside_fields=MAALING_FIELDS/>
                <button type="submit" class="button">"Gem måling"</button>
            </form>
        </details>
    }
}

const KRITERIUM_FIELDS: &[&str] =
    &["maalsaetning", "nummer", "tekst", "sammenligning", "maal", "enhed", "kilde", "maalepunkter"];

/// A criterion: changed (`k` given, carrying the version seen) or new.
#[component]
pub fn KriteriumPanel(k: Option<KriteriumView>, bogstav: String, forms: Forms) -> impl IntoView {
    let key = k.as_ref().map_or(0, |k| k.id);
    let error = error_of(forms.put_kriterium, forms.sent_from, key);
    let prefix = format!("k{key}");
    let (title, button) = match &k {
        Some(k) => (format!("Ret {}", k.nummer), "Gem ændringer"),
        None => ("Tilføj et succeskriterium".to_string(), "Tilføj succeskriterium"),
    };
    let text = |f: fn(&KriteriumView) -> String| k.as_ref().map(f).unwrap_or_default();
    let at_most = k.as_ref().is_some_and(|k| k.maal.sammenligning == Sammenligning::Hoejst);
    let cmp_id = format!("{prefix}-sammenligning");
    view! {
        <details class="succes__form" open=move || error.with(Option::is_some)>
            <summary>{title}</summary>
            <form method="post" action=PutSucceskriterium::url() class="panel panel--form" novalidate
                on:submit=submit(forms.put_kriterium, forms.sent_from, key)>
                <input type="hidden" name="form[id]" value=k.as_ref().map(|k| k.id.to_string()).unwrap_or_default()/>
                <input type="hidden" name="form[version]" value=k.as_ref().map(|k| k.version.to_string()).unwrap_or_default()/>
                {field(&prefix, "maalsaetning", "Målsætning", "Bogstavet, fx A.", bogstav, "text", error)}
                {field(&prefix, "nummer", "Nummer", "Fx A4.", text(|k| k.nummer.clone()), "text", error)}
                {field(&prefix, "tekst", "Succeskriterium", "", text(|k| k.tekst.clone()), "text", error)}
                <div class="field">
                    <label for=cmp_id.clone()>"Målet er"</label>
                    <select id=cmp_id name="form[sammenligning]">
                        <option value=">=" selected=!at_most>"mindst (≥)"</option>
                        <option value="<=" selected=at_most>"højst (≤)"</option>
                    </select>
                </div>
                {field(&prefix, "maal", "Mål", "Fx 95 eller 4,5.", text(|k| format_tal(k.maal.vaerdi)), "decimal", error)}
                {field(&prefix, "enhed", "Enhed", "Fx pct., timer eller minutter.", text(|k| k.maal.enhed.clone()), "text", error)}
                {field(&prefix, "kilde", "Kilde", "Fx kommunalt ledelsestilsyn.", text(|k| k.kilde.clone()), "text", error)}
                {field(&prefix, "maalepunkter", "Måletidspunkter", "Numrene fra listen over måletidspunkter, fx 3, 4.",
                    text(|k| k.maalepunkter.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")), "text", error)}
                <ActionError error beside_fields=KRITERIUM_FIELDS/>
                <button type="submit" class="button">{button}</button>
            </form>
        </details>
    }
}

/// A new or renamed objective, and a new or changed measuring point.
#[component]
pub fn CatalogueForms(forms: Forms) -> impl IntoView {
    let m_error = error_of(forms.put_maalsaetning, forms.sent_from, -1);
    let p_error = error_of(forms.put_maalepunkt, forms.sent_from, -2);
    view! {
        <details class="succes__form" open=move || m_error.with(Option::is_some)>
            <summary>"Tilføj eller omdøb en målsætning"</summary>
            <form method="post" action=PutMaalsaetning::url() class="panel panel--form" novalidate
                on:submit=submit(forms.put_maalsaetning, forms.sent_from, -1)>
                {field("ms", "bogstav", "Bogstav", "Findes bogstavet, omdøbes målsætningen.", String::new(), "text", m_error)}
                {field("ms", "titel", "Målsætning", "", String::new(), "text", m_error)}
                <ActionError error=m_error beside_fields=&["bogstav", "titel"]/>
                <button type="submit" class="button">"Gem målsætning"</button>
            </form>
        </details>
        <details class="succes__form" open=move || p_error.with(Option::is_some)>
            <summary>"Tilføj eller ret et måletidspunkt"</summary>
            <form method="post" action=PutMaalepunkt::url() class="panel panel--form" novalidate
                on:submit=submit(forms.put_maalepunkt, forms.sent_from, -2)>
                {field("mp", "nr", "Nummer", "Rækkefølgen, 1–99. Findes nummeret, rettes måletidspunktet.", String::new(), "numeric", p_error)}
                {field("mp", "navn", "Navn", "Fx Et år efter kommunal ibrugtagning.", String::new(), "text", p_error)}
                {field("mp", "planlagt", "Planlagt dato (valgfri)", "dd.mm.åååå", String::new(), "text", p_error)}
                <ActionError error=p_error beside_fields=&["nr", "navn", "planlagt"]/>
                <button type="submit" class="button">"Gem måletidspunkt"</button>
            </form>
        </details>
    }
}
