//! The request page: the template's answers, its way through the process, scores with their
//! spread, and what the viewer may do now (only actions the server would also allow are shown).

use super::StatusBadge;
use crate::api::aendring::{ActOnRequest, AppealRequest, Decision, EstimateRequest, ScoreRequest, get_request};
use crate::components::Loaded;
use crate::domain::aendring::{Action, AppealDraft, Criterion, CriterionGroup};
use crate::error::AppError;
use crate::model::aendring::RequestDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

type Detail = Resource<Result<RequestDetail, AppError>>;

#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(id, get_request);
    let fresh = use_query_map();
    view! {
        <Title text=move || format!("Ændringsønske {}", id())/>
        {move || fresh.read().get("ny").map(|_| view! {
            <div class="notice notice--ok" role="status"><p>"Ændringsønsket er sendt til visitering hos KOMBIT. Du får besked ved hver ændring."</p></div>
        })}
        <Loaded resource=detail view=move |d: RequestDetail| view! { <RequestView d refresh=detail/> }/>
    }
}

#[component]
fn RequestView(d: RequestDetail, refresh: Detail) -> impl IntoView {
    let s = d.summary.clone();
    view! {
        <nav aria-label="Brødkrummer" class="crumbs"><a href="/aendringsoensker">"Ændringsønsker"</a>" › "{s.key.clone()}</nav>
        <div class="page-head">
            <h1>{format!("{}: {}", s.key, s.titel)}</h1>
            <StatusBadge status=s.status/>
            <span class="badge badge--state" data-testid="kommuner">{format!("{} kommune(r) ønsker det", s.kommuner)}</span>
        </div>
        <p class="muted">
            {format!("Indmeldt {} af {} · fagfællesskab: {}", s.filed_at, s.kommune_navn, s.fagfaellesskab)}
            {(!s.theme.is_empty()).then(|| format!(" · tema: {}", s.theme))}
        </p>
        {d.duplicate_of.clone().map(|(id, key, titel)| view! {
            <div class="notice"><p>"Dublet af "<a href=format!("/aendringsoensker/{id}")>{key}</a>": "{titel}</p></div>
        })}
        <div class="task-grid">
            <div class="task-main">
                <Actions d=d.clone() refresh/>
                <section class="panel" aria-labelledby="skabelon">
                    <h2 id="skabelon">"Ønsket"</h2>
                    <dl class="facts facts--wide">
                        <dt>"Udfordring"</dt><dd class="prose">{d.udfordring.clone()}</dd>
                        <dt>"Ydelsesarter"</dt><dd>{d.ydelsesarter.join(", ")}</dd>
                        <dt>"Omfang"</dt><dd>{d.omfang.clone()}</dd>
                        <dt>"Workaround"</dt><dd>{d.workaround.clone()}</dd>
                        <dt>"Type"</dt><dd>{d.request_type.label()}</dd>
                        <dt>"Ønsket udvikling"</dt><dd class="prose">{d.beskrivelse.clone()}</dd>
                        <dt>"MinSupport SagsID"</dt><dd>{d.minsupport_sagsid.clone().unwrap_or_else(|| "–".into())}</dd>
                        <dt>"Kommuner"</dt><dd>{d.kommune_navne.join(", ")}</dd>
                        {s.decision_note.clone().map(|n| view! { <dt>"KOMBITs afgørelse"</dt><dd class="prose">{n}</dd> })}
                        {d.estimate_hours.map(|h| view! { <dt>"Groft estimat"</dt><dd>{format!("{h} timer. {}", d.estimate_note.clone().unwrap_or_default())}</dd> })}
                    </dl>
                </section>
            </div>
            <div class="task-side">
                <Scores d=d.clone() refresh/>
            </div>
        </div>
        <section class="section" aria-labelledby="forloeb">
            <h2 id="forloeb">"Forløb"</h2>
            <ol class="history">
                {d.events.iter().map(|e| view! {
                    <li>
                        <span class="history__at">{e.at.clone()}</span>
                        <span class="history__move">{e.to.map(|t| t.label()).unwrap_or("")}</span>
                        <span class="history__cause">{e.action.clone()}{(!e.note.is_empty()).then(|| format!(": {}", e.note))}</span>
                        <span class="history__actor">{e.actor.clone()}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Actions(d: RequestDetail, refresh: Detail) -> impl IntoView {
    let act = ServerAction::<ActOnRequest>::new();
    let appeal = ServerAction::<AppealRequest>::new();
    let estimate = ServerAction::<EstimateRequest>::new();
    Effect::new(move |_| {
        let ok = act.value().with(|v| matches!(v, Some(Ok(_))))
            || appeal.value().with(|v| matches!(v, Some(Ok(_))))
            || estimate.value().with(|v| matches!(v, Some(Ok(_))));
        if ok {
            refresh.refetch();
        }
    });
    let note = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let udfordring = RwSignal::new(d.udfordring.clone());
    let beskrivelse = RwSignal::new(d.beskrivelse.clone());
    let (id, version) = (d.summary.id, d.version);
    let decide = move |action: Action| {
        act.dispatch(ActOnRequest {
            id,
            decision: Decision {
                action: action.key().into(),
                version,
                note: note.get_untracked(),
                duplicate_of: duplicate_of.get_untracked(),
                udfordring: udfordring.get_untracked(),
                beskrivelse: beskrivelse.get_untracked(),
            },
        });
    };
    let err = move |field: &'static str| {
        act.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.message_for(field)))
    };
    let general = move || {
        act.value().with(|v| {
            v.as_ref().and_then(|r| r.as_ref().err()).filter(|e| e.field_errors().is_empty()).map(|e| e.to_string())
        })
    };
    let actions: Vec<Action> = d.actions.iter().copied().filter(|a| *a != Action::Uddyb).collect();
    let can_dublet = actions.contains(&Action::MarkerSomDublet);
    view! {
        {(!actions.is_empty()).then(|| view! {
            <section class="panel panel--form" aria-labelledby="beslut">
                <h2 id="beslut">"Beslutning"</h2>
                <div class="field">
                    <label for="note">"Begrundelse / bemærkning"</label>
                    <p class="field__hint" id="note-hint">"Sendes til kommunen. Skal udfyldes ved afvisning og returnering."</p>
                    <textarea id="note" rows="3" aria-describedby="note-hint note-err" bind:value=note></textarea>
                    <p class="field__error" id="note-err" role="alert">{move || err("note")}</p>
                </div>
                {can_dublet.then(|| view! {
                    <div class="field">
                        <label for="dublet">"Dublet af (nøgle)"</label>
                        <input id="dublet" type="text" placeholder="AE-2024-05003" bind:value=duplicate_of aria-describedby="dublet-err"/>
                        <p class="field__error" id="dublet-err" role="alert">{move || err("duplicate_of")}</p>
                    </div>
                })}
                <div class="actions">
                    {actions.into_iter().map(|a| view! {
                        <button type="button" class=if a == Action::Afvis { "button button--danger" } else { "button" }
                            disabled=move || act.pending().get() on:click=move |_| decide(a)>{a.label()}</button>
                    }).collect_view()}
                </div>
                {move || general().map(|m| view! { <div class="notice notice--error" role="alert"><p>{m}</p></div> })}
                {move || act.value().get().and_then(|r| r.ok()).map(|s| view! {
                    <div class="notice notice--ok" role="status"><p>{format!("Ændringsønsket er nu: {}.", s.label())}</p></div>
                })}
            </section>
        })}
        {d.may_elaborate.then(|| view! {
            <section class="panel panel--form" aria-labelledby="uddyb">
                <h2 id="uddyb">"Uddyb ønsket"</h2>
                <p>"KOMBIT har sendt ønsket retur for uddybning. Ret teksten og send det igen."</p>
                <div class="field"><label for="u-udf">"Udfordring"</label><textarea id="u-udf" rows="5" bind:value=udfordring></textarea></div>
                <div class="field"><label for="u-besk">"Ønsket udvikling"</label><textarea id="u-besk" rows="5" bind:value=beskrivelse></textarea></div>
                <button type="button" class="button" on:click=move |_| decide(Action::Uddyb)>"Send uddybningen"</button>
            </section>
        })}
        {d.may_estimate.then(|| view! {
            <section class="panel panel--form" aria-labelledby="estimat">
                <h2 id="estimat">"Groft estimat"</h2>
                <ActionForm action=estimate>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <div class="field"><label for="e-hours">"Timer"</label><input id="e-hours" name="hours" type="number" min="1" value=d.estimate_hours.map(|h| h.to_string())/></div>
                    <div class="field"><label for="e-note">"Bemærkning"</label><input id="e-note" name="note" type="text" value=d.estimate_note.clone()/></div>
                    <button type="submit" class="button button--quiet">"Gem estimat"</button>
                </ActionForm>
                {move || estimate.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field__error" role="alert">{e.to_string()}</p> })}
            </section>
        })}
        {d.may_appeal.then(|| {
            let sagsid = RwSignal::new(String::new());
            let reason = RwSignal::new(String::new());
            let appeal_err = move |f: &'static str| appeal.value().with(|v| v.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.message_for(f)));
            view! {
                <section class="panel panel--form" aria-labelledby="klage">
                    <h2 id="klage">"Klag over afvisningen"</h2>
                    <p>"Vurderer I ønsket som kritisk, kan kommunen klage én gang, med SagsID og begrundelse (efter aftale med jeres lokale ledelse)."</p>
                    <div class="field">
                        <label for="k-sag">"MinSupport SagsID"</label>
                        <input id="k-sag" type="text" bind:value=sagsid aria-describedby="k-sag-err"/>
                        <p class="field__error" id="k-sag-err" role="alert">{move || appeal_err("sagsid")}</p>
                    </div>
                    <div class="field">
                        <label for="k-grund">"Hvorfor er ønsket kritisk?"</label>
                        <textarea id="k-grund" rows="4" bind:value=reason aria-describedby="k-grund-err"></textarea>
                        <p class="field__error" id="k-grund-err" role="alert">{move || appeal_err("begrundelse")}</p>
                    </div>
                    <button type="button" class="button" on:click=move |_| {
                        appeal.dispatch(AppealRequest { id, appeal: AppealDraft { sagsid: sagsid.get_untracked(), begrundelse: reason.get_untracked() } });
                    }>"Send klagen"</button>
                    {move || appeal.value().get().and_then(|r| r.err()).filter(|e| e.field_errors().is_empty()).map(|e| view! { <p class="field__error" role="alert">{e.to_string()}</p> })}
                </section>
            }
        })}
        {d.appeal.clone().map(|a| view! {
            <section class="panel" aria-labelledby="klaget">
                <h2 id="klaget">"Klage"</h2>
                <p>{format!("{} klagede {} (SagsID {}): {}", a.kommune, a.at, a.sagsid, a.reason)}</p>
            </section>
        })}
    }
}

#[component]
fn Scores(d: RequestDetail, refresh: Detail) -> impl IntoView {
    let score = ServerAction::<ScoreRequest>::new();
    Effect::new(move |_| {
        if score.value().with(|v| matches!(v, Some(Ok(_)))) {
            refresh.refetch();
        }
    });
    let id = d.summary.id;
    view! {
        <section class="panel" aria-labelledby="scorer">
            <h2 id="scorer">"Scoring"</h2>
            <p class="muted">{match d.priority {
                Some(p) => format!("Prioritet {p:.1} af 100 med de vedtagne vægte."),
                None => "Endnu ikke scoret på alle vægtede kriterier.".into(),
            }}</p>
            {CriterionGroup::ALL.into_iter().map(|g| view! {
                <h3>{g.label()}</h3>
                <dl class="facts">
                    {g.criteria().map(|c: Criterion| {
                        let cell = d.cells[c.index()];
                        let mine = d.my_scores[c.index()];
                        let may = d.may_score[c.index()];
                        let label = format!("{} for {}", c.label(), d.summary.key);
                        view! {
                            <dt title=c.question()>{c.label()}</dt>
                            <dd>
                                {cell.mean.map(|m| format!("{m:.1}")).unwrap_or_else(|| "–".into())}
                                {cell.min.zip(cell.max).map(|(lo, hi)| format!(" ({lo}–{hi}, {} scorer)", cell.n))}
                                {may.then(|| view! {
                                    <select class="score-select" aria-label=label on:change=move |ev| {
                                        if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                                            score.dispatch(ScoreRequest { id, criterion: c.key().into(), score: v });
                                        }
                                    }>
                                        <option value="" selected=mine.is_none()>"Din score"</option>
                                        {(1..=5u8).map(|v| view! { <option value=v.to_string() selected=mine == Some(v)>{v}</option> }).collect_view()}
                                    </select>
                                })}
                            </dd>
                        }
                    }).collect_view()}
                </dl>
            }).collect_view()}
            {move || score.value().get().and_then(|r| r.err()).map(|e| view! { <p class="field__error" role="alert">{e.to_string()}</p> })}
        </section>
    }
}
