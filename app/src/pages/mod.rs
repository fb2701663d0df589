//! One module per page.

pub mod aendring;
mod automation;
mod bevillingstyper;
mod board;
mod estimat;
mod fremdrift;
mod hoering;
mod home;
mod katalog;
mod klik;
mod login;
mod opgavepakke;
mod plan;
mod report;
mod revisionslog;
mod sessioner;
mod stikproeve;
mod succeskriterier;
mod task;

pub use automation::AutomationPage;
pub use bevillingstyper::{BevillingstypePage, BevillingstyperPage};
pub use board::{BoardPage, LiveBadge, fmt_count};
pub use estimat::EstimatPage;
pub use fremdrift::FremdriftPage;
pub use hoering::{HoeringPage, HoeringerPage, PublicHoeringPage};
pub use home::{Home, NotFound};
pub use katalog::KatalogPage;
pub use klik::KlikPage;
pub use login::Login;
pub use opgavepakke::OpgavepakkePage;
pub use plan::PlanPage;
pub use report::ReportPage;
pub use revisionslog::RevisionslogPage;
pub use sessioner::SessionerPage;
pub use stikproeve::{StikproeveItemPage, StikproevePage};
pub use succeskriterier::SucceskriterierPage;
pub use task::TaskPage;

/// `?kommune=NNN` from the URL, for KOMBIT looking at one kommune.
pub fn kommune_param() -> impl Fn() -> Option<u16> + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || leptos::prelude::Get::get(&query).get("kommune").and_then(|s| s.parse().ok())
}

/// Appends `kommune=NNN` to a link when the page was opened for a chosen kommune.
pub fn with_kommune(path: &str, kommune: Option<u16>) -> String {
    match kommune {
        Some(k) if path.contains('?') => format!("{path}&kommune={k}"),
        Some(k) => format!("{path}?kommune={k}"),
        None => path.to_string(),
    }
}
