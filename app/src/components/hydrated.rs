//! `body[data-hydrated]`: set once the page's own view is interactive, so browser tests wait for
//! it instead of sleeping. With lazy routes the app shell hydrates first and a page's chunk
//! later: the mark sits in each page's view, and its effect runs after that view has hydrated.

use leptos::prelude::*;

#[component]
pub fn Hydrated() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
