//! What the server does for every request before and after the handlers, for safety:
//!
//! - `origin` refuses writes that come from another site (CSRF);
//! - `client` finds the client's address (for the login throttle);
//! - `headers` sends the Content-Security-Policy and its companions, and says who may keep a
//!   copy of an answer (`Cache-Control`).

mod client;
mod headers;
mod origin;

pub use client::{client_addr, remember_client_addr};
pub use headers::{cache_policy, page_csp, provide_page_csp, secure_responses};
pub use origin::{refuse_cross_origin_writes, same_origin};

/// What the checks need to know about how the server is reached.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// The site is served over TLS (`--secure-cookies`): its own pages are `https://`.
    pub https: bool,
    /// Trust `X-Forwarded-For`, `-Proto` and `-Host` from one reverse proxy in front.
    pub trust_proxy: bool,
    /// cargo-leptos watch mode: the page's reload script opens a websocket.
    pub dev_reload: bool,
}

impl Policy {
    /// The last value of a forwarded header (the one the proxy in front of us added), when the
    /// proxy is trusted.
    fn forwarded<'h>(&self, headers: &'h axum::http::HeaderMap, name: &str) -> Option<&'h str> {
        if !self.trust_proxy {
            return None;
        }
        let line = headers.get_all(name).iter().next_back()?.to_str().ok()?;
        line.rsplit(',').next().map(str::trim).filter(|v| !v.is_empty())
    }
}
