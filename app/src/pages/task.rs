//! The task page: who and what, why the task sits in its opgavepakke, and the form that supplies
//! what is missing. The form is checked in the browser with the server's own rules.

mod facts;
mod resolve_form;

use crate::api::tasks::{ResolveTask, TakeOverTask, get_task};
use crate::components::Loaded;
use crate::components::{ActionError, action_error};
use crate::model::TaskDetail;
use crate::model::task::TaskKind;
use facts::{Bevillinger, Daekninger, FordringFacts, History, Why};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use resolve_form::{ResolveForm, Resolved};

#[component]
pub fn TaskPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(id, get_task);
    let resolve = ServerAction::<ResolveTask>::new();
    let take_over = ServerAction::<TakeOverTask>::new();
    Effect::new(move |_| {
        if resolve.value().with(|v| matches!(v, Some(Ok(_)))) {
            detail.refetch();
        }
    });
    Effect::new(move |_| {
        if take_over.value().with(|v| matches!(v, Some(Ok(_)))) {
            detail.refetch();
        }
    });
    view! {
        <Title text=move || format!("Opgave {}", id())/>
        <Resolved action=resolve/>
        <ActionError error=action_error(take_over)/>
        <Loaded resource=detail view=move |d: TaskDetail| view! { <TaskView detail=d resolve take_over refresh=detail/> }/>
    }
}

#[component]
fn TaskView(
    detail: TaskDetail,
    resolve: ServerAction<ResolveTask>,
    take_over: ServerAction<TakeOverTask>,
    refresh: Resource<Result<TaskDetail, crate::error::AppError>>,
) -> impl IntoView {
    let d = detail;
    let board = format!("/opgavepakker?kommune={}", d.kommune);
    let opgavepakke = format!("/opgavepakker/{}?kommune={}", d.opgavepakke.code(), d.kommune);
    let title = match d.kind {
        TaskKind::Opret => format!("Opret fordringssag – fordring {}", d.fordring.fordring_id),
        TaskKind::Daekning => format!("Dækning i ventetrin – fordring {}", d.fordring.fordring_id),
    };
    let state = match (&d.closed_by, &d.closed_at, &d.claimed_by) {
        (Some(by), Some(at), _) => format!("Løst af {by} {at}"),
        (_, _, Some(by)) if d.is_open => format!("Åben · i gang hos {by}"),
        _ if d.is_open => "Åben".to_string(),
        _ => "Afsluttet".to_string(),
    };
    let state = match &d.tildelt {
        Some(name) if d.is_open => format!("{state} · tildelt {name}"),
        _ => state,
    };
    let main = match (d.kind, d.is_open) {
        (TaskKind::Opret, true) => view! { <ResolveForm detail=d.clone() action=resolve/> }.into_any(),
        (TaskKind::Daekning, _) => view! {
            <section class="panel" aria-labelledby="vent">
                <h2 id="vent">"Venter på fordringssagen"</h2>
                <p>
                    "Dækningen behandles automatisk, så snart fordringens Opret fordringssag-opgave er løst."
                </p>
                {d.waits_for.map(|t| view! { <p><a class="button" href=format!("/opgaver/{t}")>{format!("Gå til opgave {t}")}</a></p> })}
            </section>
        }
        .into_any(),
        (TaskKind::Opret, false) => view! {
            <section class="panel panel--done" aria-labelledby="loest">
                <h2 id="loest">"Opgaven er løst"</h2>
                <p>{state.clone()}</p>
            </section>
        }
        .into_any(),
    };
    view! {
        <nav aria-label="Brødkrummer" class="crumbs">
            <a href=board>"Opgavepakker"</a>
            " › " <a href=opgavepakke>{d.opgavepakke.full_name()}</a>
            " › " <span aria-current="page">{format!("Opgave {}", d.id)}</span>
        </nav>
        <div class="page-head">
            <h1>{title}</h1>
            <span class="badge" data-testid="opgave-pakke">{format!("Pakke {}", d.opgavepakke.code())}</span>
            <span class="badge badge--state">{state}</span>
        </div>
        {(d.tilbagefoersel && d.is_open).then(|| view! {
            <p class="notice" role="note" data-testid="foerst">
                "Denne opgave kommer før de andre: kommunen har foretaget en tilbageførsel (KLIK-opgave UI 50) på en af borgerens fordringer."
            </p>
        })}
        {(d.is_open && !d.claimed_by_me).then(|| d.claimed_by.clone()).flatten().map(|by| view! {
            <TakeOver task_id=d.id by until=d.claimed_until.clone() action=take_over/>
        })}
        {(!d.take_overs.is_empty()).then(|| view! {
            <ul class="notice" role="note" data-testid="overtagelser" aria-label="Overtagelser">
                {d.take_overs.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
            </ul>
        })}
        {d.tildelt.clone().map(|t| view! {
            <p class="notice" role="note" data-testid="tildelt">
                "Projektlederen har tildelt borgeren til " {t} {d.tildelt_af.clone().map(|a| format!(" ({a})"))} "."
            </p>
        })}
        <div class="task-grid">
            <div class="task-main">
                {main}
                <Why why=d.why.clone() opgavepakke=d.opgavepakke/>
            </div>
            <div class="task-side">
                <FordringFacts person=d.person.clone() fordring=d.fordring.clone() defects=d.defects/>
            </div>
        </div>
        <Daekninger daekninger=d.daekninger.clone()/>
        <Bevillinger kommune=d.kommune bevillinger=d.bevillinger.clone() refresh/>
        <History history=d.history.clone()/>
    }
}

/// Who has the task, and the explicit take-over: the button opens a question (a `<details>`, so
/// it works before hydration too) whose confirmation sends the take-over.
#[component]
fn TakeOver(task_id: i64, by: String, until: Option<String>, action: ServerAction<TakeOverTask>) -> impl IntoView {
    let until = until.map(|u| format!(" (til kl. {u})")).unwrap_or_default();
    view! {
        <div class="notice" role="note" data-testid="i-gang-hos">
            <p>{format!("Opgaven er i gang hos {by}{until}. Du kan kun gemme den, hvis du overtager den.")}</p>
            <details class="confirm">
                <summary class="button button--quiet">"Overtag opgaven"</summary>
                <div role="alertdialog" aria-label="Bekræft overtagelse">
                    <p>{format!("Overtag opgaven fra {by}? Overtagelsen bliver registreret på opgaven.")}</p>
                    <ActionForm action>
                        <input type="hidden" name="task_id" value=task_id.to_string()/>
                        <button type="submit" class="button" disabled=move || action.pending().get()>"Ja, overtag opgaven"</button>
                    </ActionForm>
                </div>
            </details>
        </div>
    }
}
