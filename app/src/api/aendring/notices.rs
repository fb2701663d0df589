//! A user's notices (in-app messages about their ændringsønsker).

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

pub use crate::model::aendring::NoticeView;

#[server(prefix = "/sf", endpoint = "get_notices")]
pub async fn get_notices() -> Result<Vec<NoticeView>, AppError> {
    crate::service::aendring::notices(&ctx()?, &user().await?).await
}

#[server(prefix = "/sf", endpoint = "mark_notices_read")]
pub async fn mark_notices_read() -> Result<(), AppError> {
    let u = user().await?;
    crate::service::aendring::notices_read(&ctx()?, &u).await
}
