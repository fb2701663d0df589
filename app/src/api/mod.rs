//! Server functions, grouped by area; each is a thin wrapper over a `service` use case.
//! Endpoints are named explicitly (`/sf/<name>`) so URLs do not depend on the checkout path.

pub mod aendring;
pub mod audit_log;
pub mod auth;
pub mod automation;
pub mod bevillingstyper;
pub mod board;
pub mod fremdrift;
pub mod hoering;
pub mod klik;
pub mod plan;
pub mod report;
pub mod sessions;
pub mod stikproeve;
pub mod succeskriterium;
pub mod tasks;

#[cfg(feature = "ssr")]
pub mod context;
