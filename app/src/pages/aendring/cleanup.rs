//! KOMBIT's clean-up of the legacy pool: themes, the ØIR list, and the bulk rejection with its
//! dry run.

use crate::api::aendring::{BulkInput, BulkReject, PoolImportReport, TagTheme, cleanup_themes, import_pool_csv};
use crate::components::{ActionError, FieldMessages, Loaded, action_error};
use crate::domain::aendring::cleanup::{STANDARD_ANSWER, parse_keys, validate_tagging};
use crate::pages::fmt_count;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn CleanupPage() -> impl IntoView {
    let themes = Resource::new(|| (), |_| cleanup_themes());
    view! {
        <Title text="Oprydning i puljen"/>
        <h1>"Oprydning i puljen af ændringsønsker"</h1>
        <p class="lede">
            "Ønsker indmeldt før 1. november 2023 gennemgås tematisk. Ønsker om ØIR flyttes til "
            <a href="/aendringsoensker?oeir=true">"ØIR-listen"</a>
            ". De øvrige, som ikke skal videre, afvises samlet med et standardsvar – se først en prøvekørsel."
        </p>
        <Loaded resource=themes view={move |t: Vec<(String, i64)>| view! { <Bulk themes=t/> }}/>
        <Tagging/>
        <PoolUpload on_done=move || themes.refetch()/>
    }
}

#[component]
fn Bulk(themes: Vec<(String, i64)>) -> impl IntoView {
    let chosen = RwSignal::new(Vec::<String>::new());
    let keep = RwSignal::new(String::new());
    let answer = RwSignal::new(STANDARD_ANSWER.to_string());
    let bulk = ServerAction::<BulkReject>::new();
    let input = move |expected: Option<usize>| BulkInput {
        themes: chosen.get_untracked(),
        keep: keep.get_untracked(),
        answer: answer.get_untracked(),
        expected,
    };
    // The number the dry run showed: the run button names it and the server checks it.
    let previewed = move || {
        bulk.value().with(|v| match v {
            Some(Ok(p)) if !p.done && p.aendringer > 0 => Some(p.aendringer),
            _ => None,
        })
    };
    view! {
        <section class="panel panel--form" aria-labelledby="temaer">
            <h2 id="temaer">"Ventende ønsker fra før 1. november 2023, pr. tema"</h2>
            <fieldset class="field">
                <legend>"Afvis ønskerne i disse temaer"</legend>
                {themes.into_iter().map(|(theme, n)| {
                    let id = format!("tema-{}", theme.replace(' ', "-"));
                    let t = theme.clone();
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=id.clone() on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != t); if on { c.push(t.clone()); } });
                            }/>
                            <label for=id>{theme.clone()}" "<span class="muted">{format!("({})", fmt_count(n))}</span></label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="keep">"Behold disse (nøgler, adskilt af komma eller linjeskift)"</label>
                <textarea id="keep" rows="2" bind:value=keep></textarea>
            </div>
            <div class="field">
                <label for="answer">"Standardsvar"</label>
                <textarea id="answer" rows="6" bind:value=answer></textarea>
            </div>
            <div class="actions">
                <button type="button" class="button button--quiet" on:click=move |_| { bulk.dispatch(BulkReject { input: input(None), run: false }); }>"Prøvekørsel"</button>
                <button type="button" class="button button--danger"
                    disabled=move || previewed().is_none()
                    on:click=move |_| {
                        if let Some(n) = previewed() {
                            bulk.dispatch(BulkReject { input: input(Some(n)), run: true });
                        }
                    }>{move || match previewed() {
                        Some(n) => format!("Afvis de {} ønsker nu", fmt_count(n as i64)),
                        None => "Afvis dem nu (lav en prøvekørsel først)".to_string(),
                    }}</button>
            </div>
            <div aria-live="polite">
                {move || bulk.value().get().and_then(Result::ok).map(|p| view! {
                        <div class=if p.done { "notice notice--ok" } else { "notice" } role="status">
                            <p><strong>{if p.done {
                                format!("{} ønsker er afvist; {} kommuner/brugere har fået besked.", fmt_count(p.aendringer as i64), p.notices)
                            } else {
                                format!("Prøvekørsel: {} ønsker ville blive afvist; {} beskeder til {} kommuner.", fmt_count(p.aendringer as i64), p.notices, p.kommuner.len())
                            }}</strong></p>
                            <details open=!p.done><summary>{format!("Ønskerne ({})", fmt_count(p.items.len() as i64))}</summary>
                                <ul class="columns" data-testid="afvis-liste">{p.items.into_iter().map(|(key, titel)| view! { <li>{format!("{key}: {titel}")}</li> }).collect_view()}</ul>
                            </details>
                            <details><summary>"Kommuner"</summary>
                                <ul class="columns">{p.kommuner.into_iter().map(|(k, navn, n)| view! { <li>{format!("{navn} ({k:03}): {n}")}</li> }).collect_view()}</ul>
                            </details>
                        </div>
                })}
            </div>
            <ActionError error=action_error(bulk)/>
        </section>
    }
}

/// Tagging ændringsønsker with a theme; both fields are checked here with the server's rule
/// (`cleanup::validate_tagging`) before the form is sent.
#[component]
fn Tagging() -> impl IntoView {
    let tag = ServerAction::<TagTheme>::new();
    let messages = FieldMessages::new(action_error(tag));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match TagTheme::from_event(&ev) {
            Ok(args) => match validate_tagging(&parse_keys(&args.keys), &args.theme) {
                Ok(_) => {
                    messages.checked(Vec::new());
                    tag.dispatch(args);
                }
                Err(e) => messages.checked(e),
            },
            Err(e) => messages.unreadable(e),
        }
    };
    let error_for = move |field: &'static str| messages.of(field);
    view! {
        <section class="panel panel--form" aria-labelledby="tag">
            <h2 id="tag">"Sæt tema på ønsker"</h2>
            <p class="muted">"Temaet \"Økonomi og ØIR-integration\" flytter ønskerne til ØIR-listen."</p>
            <form method="post" action=TagTheme::url() on:submit=on_submit novalidate>
                <div class="field" class:field--invalid=move || error_for("keys")().is_some()>
                    <label for="t-keys">"Nøgler"</label>
                    <textarea id="t-keys" name="keys" rows="2" aria-describedby="t-keys-err"
                        aria-invalid=move || error_for("keys")().is_some().to_string()></textarea>
                    <p class="field__error" id="t-keys-err" role="alert">{error_for("keys")}</p>
                </div>
                <div class="field" class:field--invalid=move || error_for("theme")().is_some()>
                    <label for="t-theme">"Tema"</label>
                    <input id="t-theme" name="theme" type="text" aria-describedby="t-theme-err"
                        aria-invalid=move || error_for("theme")().is_some().to_string()/>
                    <p class="field__error" id="t-theme-err" role="alert">{error_for("theme")}</p>
                </div>
                <p class="field__error" role="alert">{error_for("form")}</p>
                <button type="submit" class="button button--quiet">"Sæt tema"</button>
            </form>
            {move || tag.value().get().and_then(Result::ok).map(|n| view! { <p role="status">{format!("{n} ønsker har fået temaet.")}</p> })}
            <ActionError error=messages.error() beside_fields=&["keys", "theme", "form"]/>
        </section>
    }
}

/// KOMBIT's upload of the legacy pool: all or nothing, every error named by line and column.
#[component]
fn PoolUpload(on_done: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let upload = Action::new_local(|data: &leptos::web_sys::FormData| import_pool_csv(data.clone().into()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = event_target::<leptos::web_sys::HtmlFormElement>(&ev);
        if let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) {
            upload.dispatch_local(data);
        }
    };
    Effect::new(move |_| {
        if upload.value().with(|v| matches!(v, Some(Ok(r)) if r.new > 0)) {
            on_done();
        }
    });
    let columns = crate::domain::aendring::cleanup::POOL_COLUMNS.join(";");
    view! {
        <section class="panel panel--form" aria-labelledby="pulje">
            <h2 id="pulje">"Indlæs puljen fra en CSV-fil"</h2>
            <p class="muted">
                "Semikolon-separeret, UTF-8, med overskriftsrækken "<code class="wrap">{columns}</code>
                ". Alt eller intet: er der fejl, indlæses intet, og hver fejl vises med linje og kolonne. "
                "Ønsker, hvis nøgle allerede findes, springes over, så filen kan indlæses igen."
            </p>
            <form method="post" action="/sf/import_pool_csv" enctype="multipart/form-data" on:submit=on_submit>
                <div class="field">
                    <label for="pulje-fil">"CSV-fil"</label>
                    <input id="pulje-fil" name="fil" type="file" accept=".csv,text/csv" required/>
                </div>
                <div class="actions">
                    <button type="submit" class="button" disabled=move || upload.pending().get()>
                        {move || if upload.pending().get() { "Indlæser …" } else { "Indlæs puljen" }}
                    </button>
                </div>
            </form>
            <div aria-live="polite">{move || upload.value().get().and_then(Result::ok).map(pool_report)}</div>
            <ActionError error=action_error(upload)/>
        </section>
    }
}

/// The import's report: what was read, or every error by line and column.
fn pool_report(r: PoolImportReport) -> AnyView {
    if r.errors.is_empty() {
        view! {
            <div class="notice notice--ok" role="status">
                <p><strong>{format!(
                    "{}: {} rækker læst, {} nye ønsker indlæst ({} fandtes i forvejen).",
                    r.file, fmt_count(r.rows as i64), fmt_count(r.new as i64), fmt_count((r.rows - r.new) as i64)
                )}</strong></p>
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="notice notice--error" role="alert">
                <p><strong>{format!(
                    "{} blev ikke indlæst: {} fejl. Intet er skrevet.",
                    r.file, fmt_count((r.errors.len() + r.more) as i64)
                )}</strong></p>
                <ul class="errors">{r.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                {(r.more > 0).then(|| view! { <p>{format!("… og {} fejl mere.", fmt_count(r.more as i64))}</p> })}
            </div>
        }
        .into_any()
    }
}
