//! Arbejdsbord: the KY workbench. Domain rules, server functions and the Leptos UI.
//!
//! - `domain` — pure rules (also compiled to WebAssembly)
//! - `model` — wire types sent to the browser
//! - `api` — server functions, one small file per use case
//! - `pages`, `components` — the UI
//! - server only: `store` (all SQL), `service` (use cases), `state`, `live`, `clock`

#![recursion_limit = "512"]

pub mod api;
pub mod domain;
pub mod error;
pub mod live;
pub mod model;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

pub mod app;
pub mod components;
pub mod pages;
pub use app::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Lets browser tests wait for the page to be interactive instead of sleeping.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
