//! The KLIK plan and the effort estimate.

use crate::domain::estimat::Estimat;
use crate::domain::klik::KlikOpgaveForm;
use crate::error::AppError;
use crate::model::klik::{EstimatView, KlikPlan};
use leptos::prelude::*;

/// The kommune's KLIK plan (default: the user's own kommune).
#[server(prefix = "/sf", endpoint = "get_klik")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_klik(kommune: Option<u16>) -> Result<KlikPlan, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::klik::plan(&ctx()?, &actor, k).await
}

/// Sets the kommune's status on a KLIK task (the project lead).
#[server(prefix = "/sf", endpoint = "set_klik_status")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn set_klik_status(kommune: u16, opgave_id: i64, status: String) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    let status = crate::domain::klik::KlikStatus::parse(&status)
        .ok_or_else(|| AppError::field("status", "Vælg ikke startet, i gang eller færdig."))?;
    crate::service::klik::set_status(&ctx()?, &actor, k, opgave_id, status).await
}

/// Adds or changes a task of KOMBIT's KLIK catalogue (the task with the same code is changed).
#[server(prefix = "/sf", endpoint = "put_klik_opgave")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn put_klik_opgave(form: KlikOpgaveForm) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let opgave = form.to_opgave().map_err(|errors| {
        AppError::Invalid(errors.into_iter().map(|(f, m)| crate::domain::resolve::FieldError::new(&f, m)).collect())
    })?;
    crate::service::klik::put_opgave(&ctx()?, &actor, opgave).await
}

/// The estimate page of a kommune (default: the user's own).
#[server(prefix = "/sf", endpoint = "get_estimat")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_estimat(kommune: Option<u16>) -> Result<EstimatView, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, kommune)?;
    crate::service::klik::estimat(&ctx()?, &actor, k).await
}

/// Saves the calculator and the ydelsesart → case type mapping (the project lead).
#[server(prefix = "/sf", endpoint = "save_estimat", input = server_fn::codec::Json)]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(input, mapping), err(level = "info")))]
pub async fn save_estimat(kommune: u16, input: Estimat, mapping: Vec<(String, usize)>) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::klik::save_estimat(&ctx()?, &actor, k, input, mapping).await
}

/// KOMBIT's two catalogues: the KLIK tasks (row id, task) and the KY ydelsestyper (code, name,
/// illustrative). Readable by every logged-in user; KOMBIT changes them.
#[server(prefix = "/sf", endpoint = "get_katalog")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_katalog() -> Result<crate::model::klik::Katalog, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::klik::katalog(&ctx()?, &actor).await
}
