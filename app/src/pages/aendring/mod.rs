//! Pages of the ændringsønsker: the public backlog, lists and queues, filing, the ændringsønske page,
//! the live scoring matrix, the weights with what-if, the legacy clean-up and the inbox.

mod appeals;
mod backlog;
mod cleanup;
mod detail;
mod inbox;
mod list;
mod matrix;
mod new;
mod responsibility;
mod template_fields;
mod weights;
mod worklist;

pub use appeals::AppealsPage;
pub use backlog::BacklogPage;
pub use cleanup::CleanupPage;
pub use detail::AendringPage;
pub use inbox::InboxPage;
pub use list::AendringerPage;
pub use matrix::MatrixPage;
pub use new::NewAendringPage;
pub use responsibility::{FailedMailPage, ResponsibilityPage};
pub use weights::{RerankMeasurePage, WeightsPage};
pub use worklist::WorklistPage;

use crate::domain::aendring::Status;
use leptos::prelude::*;

/// A status as a small coloured label.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let tone = match status {
        Status::IBacklog | Status::IUdvikling | Status::Lukket => "ok",
        Status::Afvist | Status::Dublet => "stop",
        Status::ReturneretTilUddybning => "wait",
        _ => "flow",
    };
    view! { <span class=format!("status status--{tone}")>{status.label()}</span> }
}

/// Runs `f` 300 ms after the last call (gloo-timers), so a burst of live events is one reload.
pub fn debounced(f: impl Fn() + Clone + 'static) -> impl Fn() + Clone + 'static {
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        move || {
            let f = f.clone();
            pending.set_value(Some(gloo_timers::callback::Timeout::new(300, f)));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        f
    }
}
