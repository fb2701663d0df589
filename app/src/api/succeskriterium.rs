//! KOMBIT's success criteria: the dashboard and KOMBIT's forms (they post without JavaScript
//! too; leptos_axum then redirects back to the page).

use crate::domain::succeskriterium::{KriteriumForm, MaalepunktForm, MaalingForm, MaalsaetningForm};
use crate::error::AppError;
use crate::model::succeskriterium::Succeskriterier;
use leptos::prelude::*;

/// Objectives, criteria, measurements, verdicts and what is due next (KOMBIT, the styregruppe).
#[server(prefix = "/sf", endpoint = "get_succeskriterier")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_succeskriterier() -> Result<Succeskriterier, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::succeskriterium::dashboard(&ctx()?, &actor).await
}

/// Records a measurement (KOMBIT).
#[server(prefix = "/sf", endpoint = "record_maaling")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn record_maaling(form: MaalingForm) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    crate::service::succeskriterium::record_maaling(&ctx()?, &actor, form).await.map(|_| ())
}

/// Adds or changes a criterion (KOMBIT); a change carries the version it was made on.
#[server(prefix = "/sf", endpoint = "put_succeskriterium")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn put_succeskriterium(form: KriteriumForm) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    use crate::service::succeskriterium as service;
    let actor = actor().await?;
    let k = form.to_kriterium().map_err(service::invalid)?;
    service::put_kriterium(&ctx()?, &actor, k).await.map(|_| ())
}

/// Adds or renames an objective (KOMBIT).
#[server(prefix = "/sf", endpoint = "put_maalsaetning")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn put_maalsaetning(form: MaalsaetningForm) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    use crate::service::succeskriterium as service;
    let actor = actor().await?;
    let (bogstav, titel) = form.to_maalsaetning().map_err(service::invalid)?;
    service::put_maalsaetning(&ctx()?, &actor, bogstav, titel).await
}

/// Adds or changes a measuring point (KOMBIT).
#[server(prefix = "/sf", endpoint = "put_maalepunkt")]
#[cfg_attr(feature = "ssr", tracing::instrument(skip(form), err(level = "info")))]
pub async fn put_maalepunkt(form: MaalepunktForm) -> Result<(), AppError> {
    use super::context::{actor, ctx};
    use crate::service::succeskriterium as service;
    let actor = actor().await?;
    let p = form.to_maalepunkt().map_err(service::invalid)?;
    service::put_maalepunkt(&ctx()?, &actor, p).await
}
