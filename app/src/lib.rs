//! Arbejdsbord: the KY workbench. Domain rules, server functions and the Leptos UI.
//!
//! - `domain` — pure rules (also compiled to WebAssembly)
//! - `model` — wire types sent to the browser
//! - `api` — server functions, one small file per use case
//! - `pages`, `components` — the UI
//! - server only: `store` (all SQL), `service` (use cases), `state`, `live`, `clock`
//!
//! ## Glossary: one name per concept
//!
//! Domain nouns keep their Danish names in code (ASCII: æ → ae, ø → oe, å → aa); everything
//! else is English. Use these names, and only these, for these concepts — in types, functions,
//! variables, SQL tables and columns, endpoints and comments.
//!
//! | concept | in code | not |
//! |---|---|---|
//! | a task queue of the MI 38 steering, 01–17 | `Opgavepakke`, `opgavepakke`, `opgavepakker` | package, pakke |
//! | open tasks per opgavepakke of a kommune | `OpgavepakkeCounts` (`live::CountsSnapshot` on the wire) | package count |
//! | a change request to KY (ændringsønske) | `aendring`, `aendringer`, `Aendring…` (`AendringDetail`) | request |
//! | an ændringsønske's kind ("Er der tale om") | `AendringType` | request type |
//! | who filed an ændringsønske | `requester` | |
//! | a claim moved from KMD Aktiv to KY | `fordring`, `fordringer` | claim |
//! | a payment or write-off on a fordring (dækning) | `daekning`, `daekninger` | coverage |
//! | the grant a fordring hangs on | `bevilling`, `bevillinger` | grant |
//! | one piece of work in an opgavepakke | task (`TaskKind::Opret`, `TaskKind::Daekning`) | opgave |
//! | what a fordring lacks (A–K) | `Defects` | mangler |
//!
//! "Request" means an HTTP request and nothing else.

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
    // `body[data-hydrated]` is set by each page's view once it is interactive
    // (`components::Hydrated`): a lazy route's chunk arrives after the shell has hydrated.
    leptos::mount::hydrate_lazy(App);
}
