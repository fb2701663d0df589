//! Showing errors and loading states the same way everywhere.

use super::action_error::error_message;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// A page's load error as a short Danish message (a refusal, a missing ændringsønske, ...); "log in"
/// sends the user to the login page.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthenticated => {
            let here = use_location().pathname.get_untracked();
            view! { <Redirect path=format!("/login?next={here}")/> }.into_any()
        }
        other => view! { <div role="alert">{error_message(&other, &[])}</div> }.into_any(),
    }
}

/// Renders a resource's value, or its error, inside one Suspense with a loading line.
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, view: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static + serde::Serialize + serde::de::DeserializeOwned,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + Clone + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading" aria-live="polite">"Henter …"</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(value) => view(value).into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
