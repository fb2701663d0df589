//! The project lead's form to draw a stikprøve: the control(s), the size as a number or a
//! percentage, and an optional seed (to redo an earlier draw). The browser checks the form with
//! the domain's rule; the population is checked on the server.

use crate::api::stikproeve::DrawStikproeve;
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::Kommunenr;
use crate::pages::fmt_count;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

const FIELDS: &[&str] = &["kontrol", "stoerrelse", "seed"];

#[component]
pub fn DrawForm(kommune: Kommunenr, population: (i64, i64, i64), draw: ServerAction<DrawStikproeve>) -> impl IntoView {
    let messages = FieldMessages::new(action_error(draw));
    let err = move |f: &'static str| messages.of(f);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match DrawStikproeve::from_event(&ev) {
            Ok(args) => match args.form.parse() {
                Ok(_) => {
                    messages.checked(Vec::new());
                    draw.dispatch(args);
                }
                Err(errors) => messages.checked(errors),
            },
            Err(e) => messages.unreadable(e),
        }
    };
    let (p, k, all) = population;
    let field = move |name: &'static str| {
        let e = err(name);
        move || e().is_some()
    };
    view! {
        <form method="post" action=DrawStikproeve::url() on:submit=on_submit class="panel panel--form" novalidate>
            <h2>"Træk en ny stikprøve"</h2>
            <p class="muted" data-testid="population">
                {format!("Åbne opgaver nu: {} med paragrafkontrol, {} med kravtypekontrol, {} i alt.", fmt_count(p), fmt_count(k), fmt_count(all))}
            </p>
            <input type="hidden" name="kommune" value=kommune.get().to_string()/>
            <fieldset class="field" class:field--invalid=field("kontrol") aria-describedby="s-kontrol-err">
                <legend>"Kontrol"</legend>
                <label class="choice"><input type="checkbox" name="form[paragrafkontrol]" value="true" checked/>" Paragrafkontrol"</label>
                <label class="choice"><input type="checkbox" name="form[kravtypekontrol]" value="true"/>" Kravtypekontrol"</label>
                <p class="field__error" id="s-kontrol-err" role="alert">{err("kontrol")}</p>
            </fieldset>
            <div class="field" class:field--invalid=field("stoerrelse")>
                <label for="s-stoerrelse">"Størrelse"</label>
                <p class="field__hint" id="s-stoerrelse-hint">"Et antal opgaver, eller en procentdel af de åbne opgaver med den valgte kontrol."</p>
                <div class="inline-fields">
                    <input type="text" id="s-stoerrelse" name="form[stoerrelse]" inputmode="decimal" size="6" value="30"
                        aria-describedby="s-stoerrelse-hint s-stoerrelse-err" aria-invalid=move || field("stoerrelse")().to_string()/>
                    <label for="s-enhed" class="visually-hidden">"Enhed"</label>
                    <select id="s-enhed" name="form[enhed]">
                        <option value="antal" selected>"opgaver"</option>
                        <option value="procent">"%"</option>
                    </select>
                </div>
                <p class="field__error" id="s-stoerrelse-err" role="alert">{err("stoerrelse")}</p>
            </div>
            <div class="field" class:field--invalid=field("seed")>
                <label for="s-seed">"Frø (valgfrit)"</label>
                <p class="field__hint" id="s-seed-hint">"Tomt: vælges tilfældigt og gemmes. Samme frø og samme opgaver giver samme stikprøve."</p>
                <input type="text" id="s-seed" name="form[seed]" inputmode="numeric" size="12"
                    aria-describedby="s-seed-hint s-seed-err" aria-invalid=move || field("seed")().to_string()/>
                <p class="field__error" id="s-seed-err" role="alert">{err("seed")}</p>
            </div>
            <ActionError error=messages.error() beside_fields=FIELDS/>
            <div role="status" aria-live="polite">
                {move || draw.value().get().and_then(Result::ok).map(|s| view! {
                    <p class="notice notice--ok">{format!("Stikprøven er trukket: {} opgaver af {} (frø {}).", s.items.len(), fmt_count(s.population), s.seed)}</p>
                })}
            </div>
            <button type="submit" class="button" disabled=move || draw.pending().get()>"Træk stikprøve"</button>
        </form>
    }
}
