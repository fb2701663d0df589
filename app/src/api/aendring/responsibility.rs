//! Who answers for a kommune's ændringsønsker: its support address, handing ændringsønsker to a
//! colleague, "vi har også behovet", and KOMBIT's undeliverable notices.

use crate::error::AppError;
use crate::model::aendring::{FailedMailView, ResponsibilityView};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::context::{ctx, user};

/// The kommune's support set-up (KOMBIT names the kommune; others get their own).
#[server(prefix = "/sf", endpoint = "get_responsibility")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn get_responsibility(kommune: Option<u16>) -> Result<ResponsibilityView, AppError> {
    crate::service::aendring::responsibility::overview(&ctx()?, &user().await?, kommune).await
}

/// Sets or (empty) clears the kommune's support address.
#[server(prefix = "/sf", endpoint = "set_support_email")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn set_support_email(kommune: Option<u16>, support_email: String) -> Result<(), AppError> {
    crate::service::aendring::responsibility::set_support_email(&ctx()?, &user().await?, kommune, &support_email).await
}

/// Hands every ændringsønske one support user answers for to another; `expected` is the number
/// the user confirmed.
#[server(prefix = "/sf", endpoint = "hand_over_aendringer")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn hand_over_aendringer(kommune: Option<u16>, from: i64, to: i64, expected: i64) -> Result<usize, AppError> {
    crate::service::aendring::responsibility::hand_over(&ctx()?, &user().await?, kommune, from, to, expected).await
}

/// "Vi har også behovet": the viewer's kommune joins the ændringsønske.
#[server(prefix = "/sf", endpoint = "join_aendring")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn join_aendring(id: i64) -> Result<(), AppError> {
    crate::service::aendring::responsibility::join(&ctx()?, &user().await?, id).await
}

/// KOMBIT: notices that could not be delivered.
#[server(prefix = "/sf", endpoint = "failed_mail")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn failed_mail() -> Result<Vec<FailedMailView>, AppError> {
    crate::service::aendring::responsibility::failed_mail(&ctx()?, &user().await?).await
}

/// KOMBIT sends an undeliverable notice again to a corrected address.
#[server(prefix = "/sf", endpoint = "resend_mail")]
#[cfg_attr(feature = "ssr", tracing::instrument(err(level = "info")))]
pub async fn resend_mail(id: i64, to: String) -> Result<(), AppError> {
    crate::service::aendring::responsibility::resend_mail(&ctx()?, &user().await?, id, &to).await
}
