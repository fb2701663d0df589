//! Working the tasks of an opgavepakke.

use crate::domain::resolve::ResolveInput;
use crate::error::AppError;
use crate::model::task::Resolved;
use crate::model::{ListQuery, TaskDetail, TaskPage};
use leptos::prelude::*;

/// The kommune a request is about: the one asked for, or the user's own.
#[cfg(feature = "ssr")]
pub fn kommune_of(actor: &crate::service::Actor, asked: Option<u16>) -> Result<crate::domain::Kommunenr, AppError> {
    use crate::domain::Kommunenr;
    use crate::service::Actor;
    let own = match actor {
        Actor::User(u) => u.kommune,
        Actor::Integration { kommune, .. } => Some(*kommune),
        Actor::System => None,
    };
    match asked {
        Some(nr) => Kommunenr::try_from(nr).map_err(|e| AppError::field("kommune", e.to_string())),
        None => own.ok_or_else(|| AppError::field("kommune", "Vælg en kommune.")),
    }
}

#[cfg(feature = "ssr")]
fn opgavepakke(nr: u8) -> Result<crate::domain::Opgavepakke, AppError> {
    crate::domain::Opgavepakke::new(nr).ok_or_else(|| AppError::NotFound(format!("Opgavepakke {nr}")))
}

/// One page of an opgavepakke's open tasks, sorted and filtered.
#[server(prefix = "/sf", endpoint = "list_opgavepakke")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_opgavepakke(
    kommune: Option<u16>,
    opgavepakke_nr: u8,
    query: ListQuery,
) -> Result<TaskPage, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = kommune_of(&actor, kommune)?;
    crate::service::task_view::list_opgavepakke(&ctx()?, &actor, k, opgavepakke(opgavepakke_nr)?, &query).await
}

/// Hands the caller their next task by the kommune's plan — from one opgavepakke when
/// `opgavepakke_nr` is given — and returns its id (a plain form post is redirected to it).
#[server(prefix = "/sf", endpoint = "next_task")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn next_task(kommune: Option<u16>, opgavepakke_nr: Option<u8>) -> Result<Option<i64>, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = kommune_of(&actor, kommune)?;
    let p = opgavepakke_nr.map(opgavepakke).transpose()?;
    let id = crate::service::task_view::next_task(&ctx()?, &actor, k, p).await?;
    match (id, p) {
        (Some(id), _) => leptos_axum::redirect(&format!("/opgaver/{id}")),
        (None, Some(p)) if super::context::accepts_html() => {
            leptos_axum::redirect(&format!("/opgavepakker/{}?kommune={k}&tom=1", p.code()))
        }
        (None, None) if super::context::accepts_html() => {
            leptos_axum::redirect(&format!("/opgavepakker?kommune={k}&tom=1"))
        }
        (None, _) => {}
    }
    Ok(id)
}

/// The task page: person, fordring, dækninger, candidate bevillinger, history.
#[server(prefix = "/sf", endpoint = "get_task")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_task(task_id: i64) -> Result<TaskDetail, AppError> {
    use super::context::{actor, ctx};
    crate::service::task_view::task_detail(&ctx()?, &actor().await?, task_id).await
}

/// Supplies what the task's defects lack and closes it; its ventetrin dækninger are processed.
#[server(prefix = "/sf", endpoint = "resolve_task")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input), err(level = "info")))]
pub async fn resolve_task(task_id: i64, input: ResolveInput) -> Result<Resolved, AppError> {
    use super::context::{actor, ctx};
    crate::service::resolve::resolve_task(&ctx()?, &actor().await?, task_id, &input).await
}

/// Takes over a task a colleague holds ("i gang hos …"); recorded on the task and audited.
#[server(prefix = "/sf", endpoint = "take_over_task")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn take_over_task(task_id: i64) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    crate::service::take_over::take_over(&ctx()?, &actor().await?, task_id).await
}

/// "Afslut bevilling" — refused while an Opret fordringssag task hangs on the bevilling.
#[server(prefix = "/sf", endpoint = "close_bevilling")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn close_bevilling(kommune: u16, bevilling_id: String) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = kommune_of(&actor, Some(kommune))?;
    crate::service::bevilling::close_bevilling(&ctx()?, &actor, k, &bevilling_id).await
}
