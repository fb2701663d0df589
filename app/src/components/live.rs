//! Live counts in the browser: an `EventSource` on the kommune's counts, reopened with
//! exponential backoff (gloo-timers) when the connection drops. The server sends its current
//! snapshot first on every (re)connect, and an older version never replaces a newer one.

use crate::domain::Kommunenr;
use crate::domain::opgavepakke::OpgavepakkeCounts;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveStatus {
    Connecting,
    Live,
    Reconnecting,
}

impl LiveStatus {
    pub fn label(self) -> &'static str {
        match self {
            LiveStatus::Connecting => "Forbinder …",
            LiveStatus::Live => "Live",
            LiveStatus::Reconnecting => "Genopretter forbindelsen …",
        }
    }
}

/// The kommune's counts, kept current by the server, and the connection's state.
pub fn use_live_counts(
    kommune: Kommunenr,
    initial: OpgavepakkeCounts,
) -> (ReadSignal<OpgavepakkeCounts>, ReadSignal<LiveStatus>) {
    let (counts, set_counts) = signal(initial);
    let on_data = move |data: String| {
        if let Ok(snapshot) = serde_json::from_str::<crate::live::CountsSnapshot>(&data) {
            let next = snapshot.into_counts();
            set_counts.update(|current| {
                if next.version >= current.version {
                    *current = next;
                }
            });
        }
    };
    let status = use_event_source(crate::live::counts_url(kommune), &["counts"], on_data);
    (counts, status)
}

/// Ændringsønsker's live events (`aendring`, and `resync` when this client fell behind).
/// `on_event` gets the event, or `None` for "reload everything".
pub fn use_aendring_events(
    public: bool,
    on_event: impl Fn(Option<crate::model::aendring::AendringEvent>) + 'static,
) -> ReadSignal<LiveStatus> {
    let on_data = move |data: String| match serde_json::from_str(&data) {
        Ok(ev) => on_event(Some(ev)),
        Err(_) => on_event(None),
    };
    use_event_source(crate::live::aendringer_url(public).to_string(), &["aendring", "resync"], on_data)
}

/// An `EventSource` for this component's lifetime, reopened with backoff when it drops.
#[allow(unused_variables)]
pub fn use_event_source(
    url: String,
    events: &'static [&'static str],
    on_data: impl Fn(String) + 'static,
) -> ReadSignal<LiveStatus> {
    let (status, set_status) = signal(LiveStatus::Connecting);
    #[cfg(feature = "hydrate")]
    browser::connect(url, events, std::rc::Rc::new(on_data), set_status);
    status
}

/// Reconnect delay: 0.5 s, 1 s, 2 s, … up to 15 s.
pub fn backoff_ms(attempt: u32) -> u32 {
    500u32.saturating_mul(1 << attempt.min(5)).min(15_000)
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{LiveStatus, backoff_ms};
    use gloo_timers::callback::Timeout;
    use leptos::prelude::*;
    use send_wrapper::SendWrapper;
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{EventSource, MessageEvent};

    type Handler = Closure<dyn FnMut(web_sys::Event)>;

    #[derive(Default)]
    struct Connection {
        source: RefCell<Option<EventSource>>,
        /// Kept alive as long as the source that calls them.
        handlers: RefCell<Vec<Handler>>,
        retry: RefCell<Option<Timeout>>,
        attempt: Cell<u32>,
        closed: Cell<bool>,
    }

    impl Connection {
        fn shut(&self) {
            self.closed.set(true);
            if let Some(s) = self.source.borrow_mut().take() {
                s.close();
            }
            self.retry.borrow_mut().take();
        }
    }

    type OnData = Rc<dyn Fn(String)>;

    pub fn connect(url: String, events: &'static [&'static str], on_data: OnData, set_status: WriteSignal<LiveStatus>) {
        let conn = Rc::new(Connection::default());
        open(conn.clone(), url, events, on_data, set_status);
        let conn = SendWrapper::new(conn);
        on_cleanup(move || conn.shut());
    }

    fn open(
        conn: Rc<Connection>,
        url: String,
        events: &'static [&'static str],
        on_data: OnData,
        set_status: WriteSignal<LiveStatus>,
    ) {
        if conn.closed.get() {
            return;
        }
        let Ok(source) = EventSource::new(&url) else {
            set_status.set(LiveStatus::Reconnecting);
            return;
        };
        let on_open = {
            let conn = conn.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                conn.attempt.set(0);
                set_status.set(LiveStatus::Live);
            })
        };
        let on_message = {
            let on_data = on_data.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
                let Some(data) = ev.dyn_ref::<MessageEvent>().and_then(|m| m.data().as_string()) else { return };
                set_status.set(LiveStatus::Live);
                on_data(data);
            })
        };
        let on_error = {
            let conn = conn.clone();
            let url = url.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                if let Some(s) = conn.source.borrow_mut().take() {
                    s.close();
                }
                if conn.closed.get() {
                    return;
                }
                set_status.set(LiveStatus::Reconnecting);
                let attempt = conn.attempt.get();
                conn.attempt.set(attempt + 1);
                let (next, url, on_data) = (conn.clone(), url.clone(), on_data.clone());
                let timer = Timeout::new(backoff_ms(attempt), move || open(next, url, events, on_data, set_status));
                *conn.retry.borrow_mut() = Some(timer);
            })
        };
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        for name in events {
            let _ = source.add_event_listener_with_callback(name, on_message.as_ref().unchecked_ref());
        }
        *conn.handlers.borrow_mut() = vec![on_open, on_message, on_error];
        *conn.source.borrow_mut() = Some(source);
    }
}

/// Calls `refetch` when the counts change, debounced by `ms` (a burst of changes is one fetch).
pub fn refetch_on_change(counts: ReadSignal<OpgavepakkeCounts>, ms: u32, refetch: impl Fn() + Clone + 'static) {
    #[cfg(feature = "hydrate")]
    {
        let pending = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
        Effect::new(move |prev: Option<i64>| {
            let version = counts.with(|c| c.version);
            // Version 0 is the placeholder before the first snapshot arrives.
            if prev.is_some_and(|p| p != 0 && p != version) && pending.with_value(|p| p.is_none()) {
                let refetch = refetch.clone();
                pending.set_value(Some(gloo_timers::callback::Timeout::new(ms, move || {
                    pending.set_value(None);
                    refetch();
                })));
            }
            version
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (counts, ms, refetch);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stops_at_fifteen_seconds() {
        assert_eq!([0, 1, 2, 3].map(backoff_ms), [500, 1_000, 2_000, 4_000]);
        assert_eq!(backoff_ms(10), 15_000);
    }

    #[test]
    fn a_snapshot_maps_codes_to_opgavepakker() {
        let s: crate::live::CountsSnapshot =
            serde_json::from_str(r#"{"version": 7, "pakker": {"03": 5, "12": 2}}"#).unwrap();
        let c = s.into_counts();
        assert_eq!((c.version, c.counts[3], c.counts[12]), (7, 5, 2));
    }
}
