//! The start page sends each user where their work is.

use crate::app::use_user;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

#[component]
pub fn Home() -> impl IntoView {
    let user = use_user();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let path = user.await.map(|u| crate::model::user::home_of(u.role)).unwrap_or("/login");
                view! { <Redirect path/> }
            })}
        </Suspense>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Siden findes ikke"/>
        <h1>"Siden findes ikke"</h1>
        <p><a href="/">"Gå til forsiden"</a></p>
    }
}
