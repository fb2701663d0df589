//! The hearing's server functions: thin wrappers over `service::hoering`.

use crate::domain::hoering::HoeringForm;
use crate::error::AppError;
use crate::model::hoering::{HoeringItem, HoeringView, PublicHoering, SvarFilter};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

/// Every hearing with its summary (KOMBIT, høringsansvarlige).
#[server(prefix = "/sf", endpoint = "list_hoeringer")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_hoeringer() -> Result<Vec<HoeringItem>, AppError> {
    crate::service::hoering::list(&ctx()?, &user().await?).await
}

/// One hearing: sections, the viewer's answers (KOMBIT: the triage queue, filtered), summary.
#[server(prefix = "/sf", endpoint = "get_hoering")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_hoering(id: i64, filter: SvarFilter) -> Result<HoeringView, AppError> {
    crate::service::hoering::view(&ctx()?, &user().await?, id, &filter).await
}

/// KOMBIT opens a hearing; returns its id.
#[server(prefix = "/sf", endpoint = "open_hoering")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn open_hoering(form: HoeringForm) -> Result<i64, AppError> {
    crate::service::hoering::open(&ctx()?, &user().await?, &form).await
}

/// A høringsansvarlig starts a draft against a section; returns its id.
#[server(prefix = "/sf", endpoint = "new_hoeringssvar")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn new_hoeringssvar(hoering_id: i64, afsnit_id: i64, text: String) -> Result<i64, AppError> {
    crate::service::hoering::svar::new_draft(&ctx()?, &user().await?, hoering_id, afsnit_id, &text).await
}

/// Saves a draft seen at `version`.
#[server(prefix = "/sf", endpoint = "save_hoeringssvar")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn save_hoeringssvar(id: i64, version: i64, afsnit_id: i64, text: String) -> Result<(), AppError> {
    crate::service::hoering::svar::save_draft(&ctx()?, &user().await?, id, version, afsnit_id, &text).await
}

/// Submits (locks) a draft; returns the receipt.
#[server(prefix = "/sf", endpoint = "submit_hoeringssvar")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn submit_hoeringssvar(id: i64, version: i64) -> Result<String, AppError> {
    crate::service::hoering::svar::submit(&ctx()?, &user().await?, id, version).await
}

/// KOMBIT triages an answer seen at `version`; returns the ændringsønske made from it, if any.
#[server(prefix = "/sf", endpoint = "triage_hoeringssvar")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn triage_hoeringssvar(
    id: i64,
    version: i64,
    category: String,
    reply: String,
    arbejdsgruppen: String,
) -> Result<Option<i64>, AppError> {
    let form = crate::service::hoering::triage::TriageForm { category, reply, arbejdsgruppen };
    crate::service::hoering::triage::triage(&ctx()?, &user().await?, id, version, &form).await
}

/// The published, anonymised answers and replies (no login).
#[server(prefix = "/sf", endpoint = "get_public_hoering")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_public_hoering(id: i64) -> Result<PublicHoering, AppError> {
    crate::service::hoering::public::public(&ctx()?, id).await
}
