//! The root component, its routes and the HTML shell.

use crate::api::auth::current_user;
use crate::components::Header;
use crate::model::SessionUser;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::SsrMode;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="da">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <meta name="description" content="KY Arbejdsbord: opgavepakker for KMD Aktiv-fordringer og ændringsønsker til KY"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The logged-in user, loaded once per page load and shared through context.
#[derive(Clone, Copy)]
pub struct UserResource(pub Resource<Option<SessionUser>>);

pub fn use_user() -> Resource<Option<SessionUser>> {
    expect_context::<UserResource>().0
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let user = Resource::new(|| (), |_| async { current_user().await.ok().flatten() });
    provide_context(UserResource(user));
    view! {
        <Stylesheet id="leptos" href="/pkg/arbejdsbord.css"/>
        <Title formatter=|text| format!("{text} · Arbejdsbord")/>
        <Router>
            <Header/>
            <main id="indhold" tabindex="-1">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("") view=pages::Home ssr=SsrMode::Async/>
                    <Route path=path!("login") view=pages::Login ssr=SsrMode::Async/>
                    <Route path=path!("opgavepakker") view=pages::BoardPage ssr=SsrMode::Async/>
                    <Route path=path!("opgavepakker/:pakke") view=pages::OpgavepakkePage ssr=SsrMode::Async/>
                    <Route path=path!("opgaver/:id") view=pages::TaskPage/>
                    <Route path=path!("backlog") view=pages::aendring::BacklogPage ssr=SsrMode::Async/>
                    <Route path=path!("aendringsoensker") view=pages::aendring::AendringerPage/>
                    <Route path=path!("aendringsoensker/ny") view=pages::aendring::NewAendringPage/>
                    <Route path=path!("aendringsoensker/:id") view=pages::aendring::AendringPage/>
                    <Route path=path!("scoring") view=pages::aendring::MatrixPage/>
                    <Route path=path!("vaegte") view=pages::aendring::WeightsPage/>
                    <Route path=path!("vaegte/maaling") view=pages::aendring::RerankMeasurePage/>
                    <Route path=path!("oprydning") view=pages::aendring::CleanupPage/>
                    <Route path=path!("indbakke") view=pages::aendring::InboxPage/>
                </Routes>
            </main>
        </Router>
    }
}
