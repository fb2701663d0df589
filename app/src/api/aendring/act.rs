//! Acting on an ændringsønske: the flow's actions, an appeal, the leverandør's estimate.

use crate::domain::aendring::{AppealDraft, Status};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

pub use crate::model::aendring::Decision;

/// Takes an action of the flow (the server checks role and status).
#[server(prefix = "/sf", endpoint = "act_on_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn act_on_aendring(id: i64, decision: Decision) -> Result<Status, AppError> {
    crate::service::aendring::act::act(&ctx()?, &user().await?, id, &decision).await
}

/// The kommune's one appeal of a rejection.
#[server(prefix = "/sf", endpoint = "appeal_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn appeal_aendring(id: i64, appeal: AppealDraft) -> Result<(), AppError> {
    crate::service::aendring::act::appeal(&ctx()?, &user().await?, id, &appeal).await
}

/// KOMBIT confirms or changes the fagfællesskab and theme during visitering, with a reason.
#[server(prefix = "/sf", endpoint = "route_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn route_aendring(
    id: i64,
    version: i64,
    fagfaellesskab: String,
    theme: String,
    reason: String,
) -> Result<(), AppError> {
    crate::service::aendring::act::route(&ctx()?, &user().await?, id, version, &fagfaellesskab, &theme, &reason).await
}

/// KOMBIT's appeal queue.
#[server(prefix = "/sf", endpoint = "get_appeals")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_appeals() -> Result<Vec<crate::model::aendring::AppealQueueItem>, AppError> {
    crate::service::aendring::appeals::queue(&ctx()?, &user().await?).await
}

/// KOMBIT decides an appeal: `decision` is `fasthold` or `genoptag`; `reply` goes to the kommune.
#[server(prefix = "/sf", endpoint = "decide_appeal")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn decide_appeal(appeal_id: i64, decision: String, reply: String) -> Result<Status, AppError> {
    let decision = crate::domain::aendring::AppealDecision::parse(&decision)
        .ok_or_else(|| AppError::field("decision", "Vælg fasthold eller genoptag."))?;
    crate::service::aendring::appeals::decide(&ctx()?, &user().await?, appeal_id, decision, &reply).await
}

/// The leverandør's rough estimate. `hours` is the text of the form's field: a number typed by a
/// person is read by the domain's rule, so an empty or mistyped field comes back as a field
/// message, not as arguments the server cannot read.
#[server(prefix = "/sf", endpoint = "estimate_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn estimate_aendring(id: i64, hours: String, note: String) -> Result<(), AppError> {
    crate::service::aendring::act::estimate(&ctx()?, &user().await?, id, &hours, &note).await
}

/// The leverandør's changeboard assessment: solution options and a rough feasibility
/// (`domain::aendring::decision::GENNEMFOERLIGHED`), guarded by the version seen.
#[server(prefix = "/sf", endpoint = "assess_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn assess_aendring(
    id: i64,
    version: i64,
    loesning: String,
    gennemfoerlighed: String,
) -> Result<(), AppError> {
    crate::service::aendring::act::assess(&ctx()?, &user().await?, id, version, &loesning, &gennemfoerlighed).await
}
