//! The root component, its routes and the HTML shell.

use crate::api::auth::current_user;
use crate::components::{Header, Hydrated};
use crate::model::SessionUser;
use crate::pages;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, lazy_route, path};

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
                <Routes fallback=|| view! { <pages::NotFound/><Hydrated/> }>
                    <Route path=path!("") view=|| view! { <pages::Home/><Hydrated/> } ssr=SsrMode::Async/>
                    <Route path=path!("login") view=|| view! { <pages::Login/><Hydrated/> } ssr=SsrMode::Async/>
                    <Route path=path!("opgavepakker") view={Lazy::<BoardRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("plan") view={Lazy::<PlanRoute>::new()}/>
                    <Route path=path!("fremdrift") view={Lazy::<FremdriftRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("automatisering") view={Lazy::<AutomationRoute>::new()}/>
                    <Route path=path!("opgavepakker/:pakke") view={Lazy::<OpgavepakkeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("opgaver/:id") view={Lazy::<TaskRoute>::new()}/>
                    <Route path=path!("rapport") view={Lazy::<ReportRoute>::new()}/>
                    <Route path=path!("bevillingstyper") view={Lazy::<BevillingstyperRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("bevillingstyper/:type") view={Lazy::<BevillingstypeRoute>::new()}/>
                    <Route path=path!("klik") view={Lazy::<KlikRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("estimat") view={Lazy::<EstimatRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("katalog") view={Lazy::<KatalogRoute>::new()}/>
                    <Route path=path!("succeskriterier") view={Lazy::<SucceskriterierRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("stikproeve") view={Lazy::<StikproeveRoute>::new()}/>
                    <Route path=path!("stikproeve/:id/opgaver/:task") view={Lazy::<StikproeveItemRoute>::new()}/>
                    <Route path=path!("backlog") view={Lazy::<BacklogRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("aendringsoensker") view={Lazy::<AendringerRoute>::new()}/>
                    <Route path=path!("aendringsoensker/ny") view={Lazy::<NewAendringRoute>::new()}/>
                    <Route path=path!("aendringsoensker/ansvar") view={Lazy::<ResponsibilityRoute>::new()}/>
                    <Route path=path!("arbejdsliste") view={Lazy::<WorklistRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("meddelelser") view={Lazy::<FailedMailRoute>::new()}/>
                    <Route path=path!("aendringsoensker/:id") view={Lazy::<AendringRoute>::new()}/>
                    <Route path=path!("scoring") view={Lazy::<MatrixRoute>::new()}/>
                    <Route path=path!("vaegte") view={Lazy::<WeightsRoute>::new()}/>
                    <Route path=path!("vaegte/maaling") view={Lazy::<RerankMeasureRoute>::new()}/>
                    <Route path=path!("oprydning") view={Lazy::<CleanupRoute>::new()}/>
                    <Route path=path!("klager") view={Lazy::<AppealsRoute>::new()}/>
                    <Route path=path!("indbakke") view={Lazy::<InboxRoute>::new()}/>
                    <Route path=path!("hoeringer") view={Lazy::<HoeringerRoute>::new()}/>
                    <Route path=path!("hoeringer/:id") view={Lazy::<HoeringRoute>::new()}/>
                    <Route path=path!("revisionslog") view={Lazy::<RevisionslogRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("sessioner") view={Lazy::<SessionerRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("hoering/:id/svar") view={Lazy::<PublicHoeringRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// Every page but the front page and the login is a lazy route: with `cargo leptos --split` its
/// code is a WebAssembly chunk of its own, fetched when the route is first shown, so the browser
/// downloads the app shell plus the page it opens instead of every page (BENCHMARKS.md).
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { {$page()} <Hydrated/> }.into_any()
            }
        }
    };
}

lazy_page!(BoardRoute, pages::BoardPage);
lazy_page!(PlanRoute, pages::PlanPage);
lazy_page!(FremdriftRoute, pages::FremdriftPage);
lazy_page!(AutomationRoute, pages::AutomationPage);
lazy_page!(OpgavepakkeRoute, pages::OpgavepakkePage);
lazy_page!(TaskRoute, pages::TaskPage);
lazy_page!(ReportRoute, pages::ReportPage);
lazy_page!(BevillingstyperRoute, pages::BevillingstyperPage);
lazy_page!(BevillingstypeRoute, pages::BevillingstypePage);
lazy_page!(KlikRoute, pages::KlikPage);
lazy_page!(EstimatRoute, pages::EstimatPage);
lazy_page!(KatalogRoute, pages::KatalogPage);
lazy_page!(SucceskriterierRoute, pages::SucceskriterierPage);
lazy_page!(StikproeveRoute, pages::StikproevePage);
lazy_page!(StikproeveItemRoute, pages::StikproeveItemPage);
lazy_page!(BacklogRoute, pages::aendring::BacklogPage);
lazy_page!(AendringerRoute, pages::aendring::AendringerPage);
lazy_page!(NewAendringRoute, pages::aendring::NewAendringPage);
lazy_page!(AendringRoute, pages::aendring::AendringPage);
lazy_page!(MatrixRoute, pages::aendring::MatrixPage);
lazy_page!(WeightsRoute, pages::aendring::WeightsPage);
lazy_page!(RerankMeasureRoute, pages::aendring::RerankMeasurePage);
lazy_page!(CleanupRoute, pages::aendring::CleanupPage);
lazy_page!(AppealsRoute, pages::aendring::AppealsPage);
lazy_page!(InboxRoute, pages::aendring::InboxPage);
lazy_page!(ResponsibilityRoute, pages::aendring::ResponsibilityPage);
lazy_page!(WorklistRoute, pages::aendring::WorklistPage);
lazy_page!(FailedMailRoute, pages::aendring::FailedMailPage);
lazy_page!(HoeringerRoute, pages::HoeringerPage);
lazy_page!(HoeringRoute, pages::HoeringPage);
lazy_page!(PublicHoeringRoute, pages::PublicHoeringPage);
lazy_page!(SessionerRoute, pages::SessionerPage);
lazy_page!(RevisionslogRoute, pages::RevisionslogPage);
