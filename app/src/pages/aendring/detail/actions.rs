//! What the viewer may do with an ændringsønske now: decide (KOMBIT and the changeboard), elaborate
//! (the kommune, when it was returned), estimate (the leverandør), appeal (the kommune, once,
//! after a rejection). Each form is checked in the browser with the rule the server runs too
//! (`domain::aendring`), so a missing or mistyped field is a message next to it, at once.

use super::super::StatusBadge;
use super::super::template_fields::{DRAFT_FIELDS, TemplateFields};
use super::Detail;
use crate::api::aendring::{
    ActOnAendring, AppealAendring, AssessAendring, Decision, EstimateAendring, JoinAendring, RouteAendring,
};
use crate::components::{ActionError, FieldMessages, action_error};
use crate::domain::aendring::decision::GENNEMFOERLIGHED;
use crate::domain::aendring::{
    Action, AendringDraft, AppealDraft, check_assessment, check_decision, parse_estimate_hours, validate_appeal,
};
use crate::model::aendring::{AendringDetail, SimilarAendring};
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Reloads the ændringsønske once `action` has succeeded.
fn refetch_after<S>(action: ServerAction<S>, refresh: Detail)
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            refresh.refetch();
        }
    });
}

#[component]
pub fn Actions(d: AendringDetail, refresh: Detail) -> impl IntoView {
    let (id, version) = (d.summary.id, d.version);
    let decisions: Vec<Action> = d.actions.iter().copied().filter(|a| *a != Action::Uddyb).collect();
    view! {
        {(!d.waiting.is_empty()).then(|| view! {
            <div class="notice" data-testid="venter-paa">{d.waiting.iter().map(|w| view! { <p>{w.clone()}</p> }).collect_view()}</div>
        })}
        {(!decisions.is_empty()).then(|| view! { <DecisionForm id version actions=decisions refresh/> })}
        {d.may_assess.then(|| view! { <AssessmentForm id version d=d.clone() refresh/> })}
        {d.may_route.then(|| view! {
            <RoutingForm id version fagfaellesskab=d.summary.fagfaellesskab.clone() theme=d.summary.theme.clone() refresh/>
        })}
        {(!d.likely_duplicates.is_empty()).then(|| view! {
            <LikelyDuplicates id version found=d.likely_duplicates.clone() refresh/>
        })}
        {d.may_elaborate.then(|| view! { <ElaborateForm id version template=d.template.clone() refresh/> })}
        {d.may_join.then(|| view! { <JoinForm id refresh/> })}
        {d.may_estimate.then(|| view! {
            <EstimateForm id hours=d.estimate_hours note=d.estimate_note.clone().unwrap_or_default() refresh/>
        })}
        {d.may_appeal.then(|| view! { <AppealForm id refresh/> })}
        {(!d.appeals.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="klaget">
                <h2 id="klaget">"Klager over afvisningen"</h2>
                <ul class="plain-list" data-testid="klager">
                    {d.appeals.iter().map(|a| view! {
                        <li>
                            <p>{format!("{} klagede {} (SagsID {}): {}", a.kommune, a.at, a.sagsid, a.reason)}</p>
                            <p class="muted">{match (a.decision, a.reply.clone()) {
                                (Some(decision), Some(reply)) => format!("KOMBIT: {}. {reply}", decision.label()),
                                _ => "Afventer KOMBITs afgørelse.".to_string(),
                            }}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
fn DecisionForm(id: i64, version: i64, actions: Vec<Action>, refresh: Detail) -> impl IntoView {
    let act = ServerAction::<ActOnAendring>::new();
    refetch_after(act, refresh);
    let messages = FieldMessages::new(action_error(act));
    let note = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let decide = move |action: Action| {
        let (note, duplicate_of) = (note.get_untracked(), duplicate_of.get_untracked());
        let missing = check_decision(action, &note, &duplicate_of, &AendringDraft::default());
        let ok = missing.is_empty();
        messages.checked(missing);
        if ok {
            let decision = Decision { action: action.key().into(), version, note, duplicate_of, ..Default::default() };
            act.dispatch(ActOnAendring { id, decision });
        }
    };
    let can_dublet = actions.contains(&Action::MarkerSomDublet);
    view! {
        <section class="panel panel--form" aria-labelledby="beslut">
            <h2 id="beslut">"Beslutning"</h2>
            <div class="field">
                <label for="note">"Begrundelse / bemærkning"</label>
                <p class="field__hint" id="note-hint">"Sendes til kommunen. Skal udfyldes ved afvisning og returnering."</p>
                <textarea id="note" rows="3" aria-describedby="note-hint note-err" bind:value=note
                    aria-invalid=move || messages.get("note").is_some().to_string()></textarea>
                <p class="field__error" id="note-err" role="alert">{messages.of("note")}</p>
            </div>
            {can_dublet.then(|| view! {
                <div class="field">
                    <label for="dublet">"Dublet af (nøgle)"</label>
                    <input id="dublet" type="text" placeholder="AE-2024-05003" bind:value=duplicate_of aria-describedby="dublet-err"
                        aria-invalid=move || messages.get("duplicate_of").is_some().to_string()/>
                    <p class="field__error" id="dublet-err" role="alert">{messages.of("duplicate_of")}</p>
                </div>
            })}
            <div class="actions">
                {actions.into_iter().map(|a| view! {
                    <button type="button" class=if a == Action::Afvis { "button button--danger" } else { "button" }
                        disabled=move || act.pending().get() on:click=move |_| decide(a)>{a.label()}</button>
                }).collect_view()}
            </div>
            <ActionError error=messages.error() beside_fields=&["note", "duplicate_of"]/>
            {move || act.value().get().and_then(Result::ok).map(|s| view! {
                <div class="notice notice--ok" role="status"><p>{format!("Ændringsønsket er nu: {}.", s.label())}</p></div>
            })}
        </section>
    }
}

/// The kommune's elaboration of a returned ændringsønske: every field of the template, starting
/// from the text as it reads. Each version is kept, and KOMBIT sees what changed.
#[component]
fn ElaborateForm(id: i64, version: i64, template: AendringDraft, refresh: Detail) -> impl IntoView {
    let act = ServerAction::<ActOnAendring>::new();
    refetch_after(act, refresh);
    let messages = FieldMessages::new(action_error(act));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match ActOnAendring::from_event(&ev) {
            Ok(args) => {
                let missing = check_decision(Action::Uddyb, "", "", &args.decision.elaboration);
                let ok = missing.is_empty();
                messages.checked(missing);
                if ok {
                    act.dispatch(args);
                }
            }
            Err(e) => messages.unreadable(e),
        }
    };
    view! {
        <section class="panel panel--form" aria-labelledby="uddyb">
            <h2 id="uddyb">"Uddyb ønsket"</h2>
            <p>"KOMBIT har sendt ønsket retur for uddybning. Ret de felter, der skal uddybes, og send det igen. KOMBIT ser, hvad I har ændret."</p>
            <form method="post" action=ActOnAendring::url() on:submit=on_submit novalidate>
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="decision[action]" value=Action::Uddyb.key()/>
                <input type="hidden" name="decision[version]" value=version.to_string()/>
                <TemplateFields prefix="decision[elaboration]" initial=template messages/>
                <p class="field__error" role="alert">{messages.of("form")}</p>
                <button type="submit" class="button" disabled=move || act.pending().get()>"Send uddybningen"</button>
            </form>
            <ActionError error=messages.error() beside_fields=DRAFT_FIELDS/>
        </section>
    }
}

/// KOMBIT visiting: ændringsønsker like this one, each to mark as the original with one click.
#[component]
fn LikelyDuplicates(id: i64, version: i64, found: Vec<SimilarAendring>, refresh: Detail) -> impl IntoView {
    let act = ServerAction::<ActOnAendring>::new();
    refetch_after(act, refresh);
    view! {
        <section class="panel" aria-labelledby="dubletter">
            <h2 id="dubletter">"Mulige dubletter"</h2>
            <p class="muted">"Ønsker med lignende tekst. Er dette ønske en dublet, markér det – kommunen tælles så med på originalen og får besked."</p>
            <ul class="similar" data-testid="mulige-dubletter">
                {found.into_iter().map(|s| {
                    let key = s.key.clone();
                    let mark = move |_| {
                        let decision = Decision {
                            action: Action::MarkerSomDublet.key().into(),
                            version,
                            duplicate_of: key.clone(),
                            ..Default::default()
                        };
                        act.dispatch(ActOnAendring { id, decision });
                    };
                    view! {
                        <li>
                            <a href=format!("/aendringsoensker/{}", s.id) target="_blank">{format!("{}: {}", s.key, s.titel)}</a>
                            <div><StatusBadge status=s.status/>{format!(" · {} kommune(r)", s.kommuner)}</div>
                            <button type="button" class="button button--quiet" disabled=move || act.pending().get() on:click=mark>
                                {format!("Markér som dublet af {}", s.key)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <ActionError error=action_error(act)/>
        </section>
    }
}

/// "Vi har også behovet": a support user's kommune joins an ændringsønske another kommune filed.
#[component]
fn JoinForm(id: i64, refresh: Detail) -> impl IntoView {
    let join = ServerAction::<JoinAendring>::new();
    refetch_after(join, refresh);
    view! {
        <section class="panel" aria-labelledby="behov">
            <h2 id="behov">"Har I også behovet?"</h2>
            <p>"Så meld jeres kommune på ønsket i stedet for at indmelde et nyt. I tælles med, og I får besked, når ønsket skifter status."</p>
            <ActionForm action=join>
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit" class="button" disabled=move || join.pending().get()>"Vi har også behovet"</button>
            </ActionForm>
            <ActionError error=action_error(join)/>
        </section>
    }
}

/// The leverandør's rough estimate. The hours are sent as typed and read with
/// `parse_estimate_hours`, here before sending and again on the server.
#[component]
fn EstimateForm(id: i64, hours: Option<i64>, note: String, refresh: Detail) -> impl IntoView {
    let estimate = ServerAction::<EstimateAendring>::new();
    refetch_after(estimate, refresh);
    let messages = FieldMessages::new(action_error(estimate));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match EstimateAendring::from_event(&ev) {
            Ok(args) => match parse_estimate_hours(&args.hours) {
                Ok(_) => {
                    messages.checked(Vec::new());
                    estimate.dispatch(args);
                }
                Err(e) => messages.checked(vec![e]),
            },
            Err(e) => messages.unreadable(e),
        }
    };
    let hours_error = messages.of("hours");
    view! {
        <section class="panel panel--form" aria-labelledby="estimat">
            <h2 id="estimat">"Groft estimat"</h2>
            <form method="post" action=EstimateAendring::url() on:submit=on_submit novalidate>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="field" class:field--invalid=move || hours_error().is_some()>
                    <label for="e-hours">"Timer"</label>
                    <p class="field__hint" id="e-hours-hint">"Et helt antal timer, 1–100.000."</p>
                    // Text, not type="number": the browser would turn "1,5" or "40 timer" into an
                    // empty value, and the message could not say what was wrong.
                    <input id="e-hours" name="hours" type="text" inputmode="numeric" autocomplete="off"
                        value=hours.map(|h| h.to_string()) aria-describedby="e-hours-hint e-hours-err"
                        aria-invalid=move || hours_error().is_some().to_string()/>
                    <p class="field__error" id="e-hours-err" role="alert">{hours_error}</p>
                </div>
                <div class="field"><label for="e-note">"Bemærkning"</label><input id="e-note" name="note" type="text" value=note/></div>
                <p class="field__error" role="alert">{messages.of("form")}</p>
                <button type="submit" class="button button--quiet" disabled=move || estimate.pending().get()>"Gem estimat"</button>
            </form>
            <ActionError error=messages.error() beside_fields=&["hours", "form"]/>
        </section>
    }
}

#[component]
fn AppealForm(id: i64, refresh: Detail) -> impl IntoView {
    let appeal = ServerAction::<AppealAendring>::new();
    refetch_after(appeal, refresh);
    let messages = FieldMessages::new(action_error(appeal));
    let sagsid = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let send = move |_| {
        let draft = AppealDraft { sagsid: sagsid.get_untracked(), begrundelse: reason.get_untracked() };
        match validate_appeal(&draft) {
            Ok(_) => {
                messages.checked(Vec::new());
                appeal.dispatch(AppealAendring { id, appeal: draft });
            }
            Err(e) => messages.checked(e),
        }
    };
    view! {
        <section class="panel panel--form" aria-labelledby="klage">
            <h2 id="klage">"Klag over afvisningen"</h2>
            <p>"Vurderer I ønsket som kritisk, kan kommunen klage én gang, med SagsID og begrundelse (efter aftale med jeres lokale ledelse)."</p>
            <div class="field">
                <label for="k-sag">"MinSupport SagsID"</label>
                <input id="k-sag" type="text" bind:value=sagsid aria-describedby="k-sag-err"
                    aria-invalid=move || messages.get("sagsid").is_some().to_string()/>
                <p class="field__error" id="k-sag-err" role="alert">{messages.of("sagsid")}</p>
            </div>
            <div class="field">
                <label for="k-grund">"Hvorfor er ønsket kritisk?"</label>
                <textarea id="k-grund" rows="4" bind:value=reason aria-describedby="k-grund-err"
                    aria-invalid=move || messages.get("begrundelse").is_some().to_string()></textarea>
                <p class="field__error" id="k-grund-err" role="alert">{messages.of("begrundelse")}</p>
            </div>
            <button type="button" class="button" disabled=move || appeal.pending().get() on:click=send>"Send klagen"</button>
            <ActionError error=messages.error() beside_fields=&["sagsid", "begrundelse"]/>
        </section>
    }
}

/// The leverandør's changeboard assessment: the solution options discussed and a rough
/// feasibility. KOMBIT's changeboard decision waits for it.
#[component]
fn AssessmentForm(id: i64, version: i64, d: AendringDetail, refresh: Detail) -> impl IntoView {
    let assess = ServerAction::<AssessAendring>::new();
    refetch_after(assess, refresh);
    let messages = FieldMessages::new(action_error(assess));
    let loesning = RwSignal::new(d.assessment.as_ref().map(|a| a.loesning.clone()).unwrap_or_default());
    let chosen = RwSignal::new(d.assessment.as_ref().map(|a| a.gennemfoerlighed.clone()).unwrap_or_default());
    let send = move |_| {
        let (l, g) = (loesning.get_untracked(), chosen.get_untracked());
        let missing = check_assessment(&l, &g);
        let ok = missing.is_empty();
        messages.checked(missing);
        if ok {
            assess.dispatch(AssessAendring { id, version, loesning: l, gennemfoerlighed: g });
        }
    };
    view! {
        <section class="panel panel--form" aria-labelledby="vurdering">
            <h2 id="vurdering">"Leverandørens vurdering til changeboard"</h2>
            <p class="muted">"KOMBIT træffer changeboardets beslutning med jeres vurdering."</p>
            <div class="field">
                <label for="v-loesning">"Løsningsmuligheder"</label>
                <textarea id="v-loesning" rows="4" bind:value=loesning aria-describedby="v-loesning-err"
                    aria-invalid=move || messages.get("loesning").is_some().to_string()></textarea>
                <p class="field__error" id="v-loesning-err" role="alert">{messages.of("loesning")}</p>
            </div>
            <fieldset class="field">
                <legend>"Gennemførlighed (groft)"</legend>
                {GENNEMFOERLIGHED.iter().map(|(key, label)| {
                    let key = key.to_string();
                    let k2 = key.clone();
                    view! {
                        <label class="radio"><input type="radio" name="gennemfoerlighed" value=key.clone()
                            prop:checked=move || chosen.with(|c| *c == key) on:change=move |_| chosen.set(k2.clone())/>{*label}</label>
                    }
                }).collect_view()}
                <p class="field__error" role="alert">{messages.of("gennemfoerlighed")}</p>
            </fieldset>
            <button type="button" class="button" disabled=move || assess.pending().get() on:click=send>"Gem vurdering"</button>
            <ActionError error=messages.error() beside_fields=&["loesning", "gennemfoerlighed"]/>
        </section>
    }
}

/// KOMBIT's routing during visitering: the keywords suggested a fagfællesskab; KOMBIT confirms
/// or changes it (and the theme), with a reason that stands in the history.
#[component]
fn RoutingForm(id: i64, version: i64, fagfaellesskab: String, theme: String, refresh: Detail) -> impl IntoView {
    use crate::domain::aendring::routing::{FAGFAELLESSKABER, check_routing};
    let route = ServerAction::<RouteAendring>::new();
    refetch_after(route, refresh);
    let messages = FieldMessages::new(action_error(route));
    let chosen = RwSignal::new(fagfaellesskab.clone());
    let theme = RwSignal::new(theme);
    let reason = RwSignal::new(String::new());
    let send = move |_| {
        let (ff, t, r) = (chosen.get_untracked(), theme.get_untracked(), reason.get_untracked());
        let missing = check_routing(&ff, &r);
        let ok = missing.is_empty();
        messages.checked(missing);
        if ok {
            route.dispatch(RouteAendring { id, version, fagfaellesskab: ff, theme: t, reason: r });
        }
    };
    view! {
        <section class="panel panel--form" aria-labelledby="visiter">
            <h2 id="visiter">"Fagfællesskab og tema"</h2>
            <p class="muted">{format!("Foreslået ud fra ønskets ord: {fagfaellesskab}. Bekræft eller ret det; begrundelsen står i forløbet.")}</p>
            <div class="field">
                <label for="r-ff">"Fagfællesskab"</label>
                <select id="r-ff" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {FAGFAELLESSKABER.iter().map(|f| view! { <option value=*f selected=*f == fagfaellesskab>{*f}</option> }).collect_view()}
                </select>
                <p class="field__error" role="alert">{messages.of("fagfaellesskab")}</p>
            </div>
            <div class="field"><label for="r-tema">"Tema"</label><input id="r-tema" type="text" bind:value=theme/></div>
            <div class="field">
                <label for="r-grund">"Begrundelse"</label>
                <input id="r-grund" type="text" bind:value=reason aria-describedby="r-grund-err"
                    aria-invalid=move || messages.get("reason").is_some().to_string()/>
                <p class="field__error" id="r-grund-err" role="alert">{messages.of("reason")}</p>
            </div>
            <button type="button" class="button button--quiet" disabled=move || route.pending().get() on:click=send>"Gem fagfællesskab"</button>
            <ActionError error=messages.error() beside_fields=&["fagfaellesskab", "reason"]/>
        </section>
    }
}
