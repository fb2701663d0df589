//! Automation of paragraf- and kravtypekontrol: asked for by a kommune, switched on by the
//! supplier.

use crate::error::AppError;
use crate::model::automation::{AutomationRequest, AutomationResult};
use leptos::prelude::*;

/// A kommune's supportberettiget user asks the supplier (the MinSupport request is recorded).
#[server(prefix = "/sf", endpoint = "request_automation")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn request_automation(
    kommune: u16,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
) -> Result<AutomationRequest, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::automation::request(&ctx()?, &actor, k, paragrafkontrol, kravtypekontrol).await
}

/// The requests the user may see (the supplier: all; a kommune's users: their own).
#[server(prefix = "/sf", endpoint = "list_automation")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_automation(kommune: Option<u16>) -> Result<Vec<AutomationRequest>, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = match kommune {
        Some(_) => Some(super::tasks::kommune_of(&actor, kommune)?),
        None => super::tasks::kommune_of(&actor, None).ok(),
    };
    crate::service::automation::requests(&ctx()?, &actor, k).await
}

/// The supplier switches the controls on for a kommune (one transaction; cannot be undone).
#[server(prefix = "/sf", endpoint = "switch_automation")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn switch_automation(
    kommune: u16,
    paragrafkontrol: bool,
    kravtypekontrol: bool,
) -> Result<AutomationResult, AppError> {
    use super::context::{actor, ctx};
    let actor = actor().await?;
    let k = super::tasks::kommune_of(&actor, Some(kommune))?;
    crate::service::automation::switch_on(&ctx()?, &actor, k, paragrafkontrol, kravtypekontrol).await
}
