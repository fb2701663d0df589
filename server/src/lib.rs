//! The server: typed configuration, the axum router (pages, server functions, REST API v1,
//! live push), and the command line.

#![recursion_limit = "512"]

pub mod api_audit;
pub mod api_report;
pub mod api_v1;
pub mod audit_purge;
pub mod caller;
pub mod cli;
pub mod config;
pub mod health;
pub mod live;
pub mod mail;
pub mod openapi;
pub mod security;
pub mod sf_status;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod watcher;
