//! UI 04: the inventory of bevillingstyper, decisions, plan items, the drill-down, and KOMBIT's
//! catalogue of KY ydelsestyper.

use crate::domain::bevillingstype::{BeslutningForm, PlanpunktForm};
use crate::error::AppError;
use crate::model::bevillingstyper::{Inventory, TypeDetail};
use leptos::prelude::*;

/// The inventory of a kommune (default: the user's own).
#[server(prefix = "/sf", endpoint = "get_bevillingstyper")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_bevillingstyper(kommune: Option<u16>) -> Result<Inventory, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::bevillingstyper::inventory(&ctx()?, &actor, k).await
}

/// Decides a bevillingstype (the kommune's project lead); the decision's new version.
#[server(prefix = "/sf", endpoint = "decide_bevillingstype")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn decide_bevillingstype(kommune: u16, form: BeslutningForm) -> Result<i64, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::bevillingstyper::decide(&ctx()?, &actor, k, form).await
}

/// Adds a plan item to a bevillingstype; its id.
#[server(prefix = "/sf", endpoint = "add_planpunkt")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn add_planpunkt(kommune: u16, form: PlanpunktForm) -> Result<i64, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::bevillingstyper::add_plan_item(&ctx()?, &actor, k, form).await
}

/// Sets a plan item's status (`ikke_startet`, `i_gang`, `faerdig`).
#[server(prefix = "/sf", endpoint = "set_planpunkt_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn set_planpunkt_status(kommune: u16, id: i64, status: String) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    let status = crate::domain::klik::KlikStatus::parse(&status)
        .ok_or_else(|| AppError::field("status", "Vælg ikke startet, i gang eller færdig."))?;
    crate::service::bevillingstyper::set_plan_status(&ctx()?, &actor, k, id, status).await
}

/// One bevillingstype's bevillinger and persons (audited) and its decision history.
#[server(prefix = "/sf", endpoint = "get_bevillingstype")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_bevillingstype(kommune: Option<u16>, bevillingstype: String) -> Result<TypeDetail, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::bevillingstyper::type_detail(&ctx()?, &actor, k, &bevillingstype).await
}

/// Adds or renames a KY ydelsestype (KOMBIT).
#[server(prefix = "/sf", endpoint = "put_ky_ydelsestype")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn put_ky_ydelsestype(kode: String, navn: String) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::bevillingstyper::put_ky_ydelsestype(&ctx()?, &actor, &kode, &navn).await
}

/// Computes the inventory's figures again (the kommune's project lead).
#[server(prefix = "/sf", endpoint = "refresh_bevillingstyper")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn refresh_bevillingstyper(kommune: u16) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::bevillingstyper::refresh(&ctx()?, &actor, k).await
}
