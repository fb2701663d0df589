//! KOMBIT's clean-up of the legacy pool: themes, the ØIR list, and the bulk rejection with its
//! dry run.

use crate::api::aendring::{BulkInput, BulkReject, TagTheme, cleanup_themes};
use crate::components::Loaded;
use crate::domain::aendring::cleanup::STANDARD_ANSWER;
use crate::pages::fmt_count;
use leptos::prelude::*;
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
    }
}

#[component]
fn Bulk(themes: Vec<(String, i64)>) -> impl IntoView {
    let chosen = RwSignal::new(Vec::<String>::new());
    let keep = RwSignal::new(String::new());
    let answer = RwSignal::new(STANDARD_ANSWER.to_string());
    let bulk = ServerAction::<BulkReject>::new();
    let input = move || BulkInput {
        themes: chosen.get_untracked(),
        keep: keep.get_untracked(),
        answer: answer.get_untracked(),
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
                <button type="button" class="button button--quiet" on:click=move |_| { bulk.dispatch(BulkReject { input: input(), run: false }); }>"Prøvekørsel"</button>
                <button type="button" class="button button--danger"
                    disabled=move || !bulk.value().with(|v| matches!(v, Some(Ok(p)) if !p.done && p.requests > 0))
                    on:click=move |_| { bulk.dispatch(BulkReject { input: input(), run: true }); }>"Afvis dem nu"</button>
            </div>
            <div aria-live="polite">
                {move || bulk.value().get().map(|r| match r {
                    Ok(p) => view! {
                        <div class=if p.done { "notice notice--ok" } else { "notice" } role="status">
                            <p><strong>{if p.done {
                                format!("{} ønsker er afvist; {} kommuner/brugere har fået besked.", fmt_count(p.requests as i64), p.notices)
                            } else {
                                format!("Prøvekørsel: {} ønsker ville blive afvist; {} beskeder til {} kommuner.", fmt_count(p.requests as i64), p.notices, p.kommuner.len())
                            }}</strong></p>
                            <details><summary>"Kommuner"</summary>
                                <ul class="columns">{p.kommuner.into_iter().map(|(k, navn, n)| view! { <li>{format!("{navn} ({k:03}): {n}")}</li> }).collect_view()}</ul>
                            </details>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <div class="notice notice--error" role="alert"><p>{e.to_string()}</p></div> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn Tagging() -> impl IntoView {
    let tag = ServerAction::<TagTheme>::new();
    view! {
        <section class="panel panel--form" aria-labelledby="tag">
            <h2 id="tag">"Sæt tema på ønsker"</h2>
            <p class="muted">"Temaet \"Økonomi og ØIR-integration\" flytter ønskerne til ØIR-listen."</p>
            <ActionForm action=tag>
                <div class="field"><label for="t-keys">"Nøgler"</label><textarea id="t-keys" name="keys" rows="2"></textarea></div>
                <div class="field"><label for="t-theme">"Tema"</label><input id="t-theme" name="theme" type="text"/></div>
                <button type="submit" class="button button--quiet">"Sæt tema"</button>
            </ActionForm>
            {move || tag.value().get().map(|r| match r {
                Ok(n) => view! { <p role="status">{format!("{n} ønsker har fået temaet.")}</p> }.into_any(),
                Err(e) => view! { <p class="field__error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}
