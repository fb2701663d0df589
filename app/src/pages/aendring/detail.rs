//! The ændringsønske page: the template's answers, its way through the process, scores with their
//! spread, and what the viewer may do now (only actions the server would also allow are shown).

mod actions;

use super::StatusBadge;
use crate::api::aendring::{ScoreAendring, get_aendring};
use crate::components::{ActionError, Loaded, action_error};
use crate::domain::aendring::{Criterion, CriterionGroup};
use crate::error::AppError;
use crate::model::aendring::{AendringDetail, DiffPart, TextVersionView};
use actions::Actions;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

type Detail = Resource<Result<AendringDetail, AppError>>;

#[component]
pub fn AendringPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(id, get_aendring);
    let fresh = use_query_map();
    view! {
        <Title text=move || format!("Ændringsønske {}", id())/>
        {move || fresh.read().get("ny").map(|_| view! {
            <div class="notice notice--ok" role="status"><p>"Ændringsønsket er sendt til visitering hos KOMBIT. Du får besked ved hver ændring."</p></div>
        })}
        <Loaded resource=detail view=move |d: AendringDetail| view! { <AendringView d refresh=detail/> }/>
    }
}

#[component]
fn AendringView(d: AendringDetail, refresh: Detail) -> impl IntoView {
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
        {d.fra_hoering.clone().map(|o| view! {
            <div class="notice" data-testid="fra-hoering"><p>
                <a href=format!("/hoering/{}/svar#svar-{}", o.hoering_id, o.nr)>{format!("Fra høring: {}, svar nr. {}", o.title, o.nr)}</a>
            </p></div>
        })}
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
                        <dt>"Type"</dt><dd>{d.aendring_type.label()}</dd>
                        <dt>"Ønsket udvikling"</dt><dd class="prose">{d.beskrivelse.clone()}</dd>
                        <dt>"MinSupport SagsID"</dt><dd>{d.minsupport_sagsid.clone().unwrap_or_else(|| "–".into())}</dd>
                        <dt>"Kommuner"</dt><dd>{d.kommune_navne.join(", ")}</dd>
                        {s.decision_note.clone().map(|n| view! { <dt>"KOMBITs afgørelse"</dt><dd class="prose">{n}</dd> })}
                        {d.assessment.clone().map(|a| view! {
                            <dt>"Leverandørens vurdering"</dt>
                            <dd class="prose" data-testid="vurdering">{format!("{} – {} ({}, {})",
                                crate::domain::aendring::decision::gennemfoerlighed_label(&a.gennemfoerlighed), a.loesning, a.by, a.at)}</dd>
                        })}
                        {d.estimate_hours.map(|h| view! { <dt>"Groft estimat"</dt><dd>{format!("{h} timer. {}", d.estimate_note.clone().unwrap_or_default())}</dd> })}
                    </dl>
                </section>
                {(!d.versions.is_empty()).then(|| view! { <TextVersions versions=d.versions.clone()/> })}
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

/// What each elaboration changed, field by field and word by word (removed words struck
/// through, added ones underlined — and said in words for screen readers).
#[component]
fn TextVersions(versions: Vec<TextVersionView>) -> impl IntoView {
    view! {
        <section class="panel" aria-labelledby="versioner" data-testid="versioner">
            <h2 id="versioner">"Ændringer i teksten"</h2>
            {versions.into_iter().rev().map(|v| view! {
                <h3>{format!("Version {} · {} · {}", v.nr, v.at, v.by)}</h3>
                {if v.changes.is_empty() {
                    view! { <p class="muted">"Ingen felter ændret."</p> }.into_any()
                } else {
                    view! {
                        <dl class="facts facts--wide">
                            {v.changes.into_iter().map(|c| view! {
                                <dt>{c.label}</dt>
                                <dd class="prose diff">{c.parts.into_iter().map(|p| match p {
                                    DiffPart::Same(t) => view! { <span>{t}</span> }.into_any(),
                                    DiffPart::Removed(t) => view! { <del><span class="visually-hidden">"[slettet: "</span>{t}<span class="visually-hidden">"]"</span></del> }.into_any(),
                                    DiffPart::Added(t) => view! { <ins><span class="visually-hidden">"[tilføjet: "</span>{t}<span class="visually-hidden">"]"</span></ins> }.into_any(),
                                }).collect_view()}</dd>
                            }).collect_view()}
                        </dl>
                    }.into_any()
                }}
            }).collect_view()}
        </section>
    }
}

#[component]
fn Scores(d: AendringDetail, refresh: Detail) -> impl IntoView {
    let score = ServerAction::<ScoreAendring>::new();
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
                Some(p) => format!("Prioritet {} af 100 med de vedtagne vægte.", crate::domain::beloeb::decimal(p, 1)),
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
                                {may.then(|| view! { <span class="muted score-scale">{c.scale_text()}</span><br/> })}
                                {cell.mean.map(|m| crate::domain::beloeb::decimal(m, 1)).unwrap_or_else(|| "–".into())}
                                {cell.min.zip(cell.max).map(|(lo, hi)| format!(" ({lo}–{hi}, {} scorer)", cell.n))}
                                {may.then(|| view! {
                                    <select class="score-select" aria-label=label on:change=move |ev| {
                                        if let Ok(v) = event_target_value(&ev).parse::<u8>() {
                                            score.dispatch(ScoreAendring { id, criterion: c.key().into(), score: v });
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
            <ActionError error=action_error(score)/>
        </section>
    }
}
