//! Lists of ændringsønsker, the counts per status, one ændringsønske's page.

use crate::domain::aendring::Status;
use crate::error::AppError;
use crate::model::aendring::{AendringDetail, AendringList};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, current_user, user};

/// Which list (see `service::aendring::view::ListQuery`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AendringQuery {
    pub status: String,
    pub legacy: Option<bool>,
    pub oeir: Option<bool>,
    pub theme: String,
    pub page: i64,
}

#[server(prefix = "/sf", endpoint = "list_aendringer")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn list_aendringer(query: AendringQuery) -> Result<AendringList, AppError> {
    use crate::service::aendring::view;
    let q = view::ListQuery {
        status: query.status,
        legacy: query.legacy,
        oeir: query.oeir,
        theme: query.theme,
        page: query.page,
    };
    view::list(&ctx()?, &user().await?, &q).await
}

/// Counts of ændringsønsker per status (KOMBIT's queues).
#[server(prefix = "/sf", endpoint = "aendring_counts")]
pub async fn aendring_counts() -> Result<Vec<(Status, i64)>, AppError> {
    crate::service::aendring::view::status_counts(&ctx()?, &user().await?).await
}

#[server(prefix = "/sf", endpoint = "get_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_aendring(id: i64) -> Result<AendringDetail, AppError> {
    crate::service::aendring::view::detail(&ctx()?, current_user().await?.as_ref(), id).await
}
