//! Headers on every response: a Content-Security-Policy, `nosniff`, no framing, a same-origin
//! referrer, and `Cache-Control`.
//!
//! Pages get a policy with a fresh nonce: Leptos puts its hydration script and the scripts that
//! carry resources inline, marked with the nonce it generated for the response; the page handler
//! sets the header with the same value (`provide_page_csp`). Everything else (JSON, CSV, files,
//! streams) gets a policy that allows nothing, which is right for a document that is not a page.
//!
//! Caching: pages, server functions, the API and the live streams carry names, CPR numbers and
//! amounts, so they are `no-store` — after "Log ud" the Back button must not show them again. The
//! published backlog (the same for everyone) may be kept a minute; files under `/pkg` are
//! revalidated (`no-cache`), because their names carry no hash, so a new build must be fetched.

use axum::body::Body;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Request, Response, StatusCode};
use axum::middleware::Next;
use std::sync::{Arc, OnceLock};

/// For answers that are not pages: nothing may load, nothing may frame them.
const NOT_A_PAGE_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy of a page whose inline scripts carry `nonce`. Scripts: our files, the nonce'd
/// inline ones, and WebAssembly compilation (`'wasm-unsafe-eval'`, not `'unsafe-eval'`).
/// Styles: our stylesheet only — the pages have no `style` attributes. Connections (server
/// functions, live streams, the `.wasm` fetch) go to this site only.
pub fn page_csp(nonce: &str, dev_reload: bool) -> String {
    // cargo-leptos's reload script listens on a websocket of another port.
    let connect = if dev_reload { "'self' ws: wss:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src {connect}; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The page policy of one response, filled in while Leptos renders the page. The middleware puts
/// an empty one into the request's extensions (Leptos hands the request's parts to the page as
/// context) and sets the header from it once the response is built. Going through
/// `ResponseOptions` instead lost the header on some lazily split pages: the browser then got the
/// policy that allows nothing and the page never hydrated.
#[derive(Clone, Default)]
pub struct PagePolicy(Arc<OnceLock<String>>);

/// Records the page policy with the nonce Leptos generated for this response. Called in the
/// Leptos handlers' context (after Leptos provided the nonce); a server function call has no
/// nonce and keeps the default.
pub fn provide_page_csp(dev_reload: bool) {
    let (Some(nonce), Some(parts)) =
        (leptos::nonce::use_nonce(), leptos::prelude::use_context::<axum::http::request::Parts>())
    else {
        return;
    };
    if let Some(policy) = parts.extensions.get::<PagePolicy>() {
        let _ = policy.0.set(page_csp(&nonce, dev_reload));
    }
}

pub async fn secure_responses(mut req: Request<Body>, next: Next) -> Response<Body> {
    let path = req.uri().path().to_string();
    let policy = PagePolicy::default();
    req.extensions_mut().insert(policy.clone());
    let mut res = next.run(req).await;
    let cache = {
        let is_html =
            res.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        cache_policy(&path, res.status(), is_html)
    };
    let headers = res.headers_mut();
    if let Some(value) = policy.0.get().and_then(|csp| HeaderValue::from_str(csp).ok()) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    headers.entry(CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(NOT_A_PAGE_CSP));
    headers.entry(X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    headers.entry(X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
    headers.entry(REFERRER_POLICY).or_insert(HeaderValue::from_static("same-origin"));
    headers.entry(CACHE_CONTROL).or_insert(HeaderValue::from_static(cache));
    res
}

/// Who may keep a copy of the answer to `path` (see the module doc).
pub fn cache_policy(path: &str, status: StatusCode, is_html: bool) -> &'static str {
    let ok = status.is_success() || status == StatusCode::NOT_MODIFIED;
    if ok && !is_html && is_static_file(path) {
        "no-cache"
    } else if ok && path == "/api/v1/backlog" {
        "public, max-age=60"
    } else {
        "no-store"
    }
}

/// The built site's files: `/pkg/...` and files at the top (`/favicon.svg`).
fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path.rsplit_once('/').is_some_and(|(dir, file)| dir.is_empty() && file.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_answers_with_personal_data_are_never_stored() {
        for path in ["/opgaver/12", "/login", "/sf/get_task", "/api/v1/kommuner/751/opgavepakker", "/live/aendringer"] {
            assert_eq!(cache_policy(path, StatusCode::OK, path.starts_with("/o")), "no-store", "{path}");
        }
        assert_eq!(cache_policy("/backlog", StatusCode::OK, true), "no-store", "the page shows who is logged in");
    }

    #[test]
    fn the_public_backlog_may_be_kept_briefly_and_files_are_revalidated() {
        assert_eq!(cache_policy("/api/v1/backlog", StatusCode::OK, false), "public, max-age=60");
        assert_eq!(cache_policy("/api/v1/backlog", StatusCode::UNPROCESSABLE_ENTITY, false), "no-store");
        assert_eq!(cache_policy("/pkg/arbejdsbord.wasm", StatusCode::OK, false), "no-cache");
        assert_eq!(cache_policy("/favicon.svg", StatusCode::NOT_MODIFIED, false), "no-cache");
        assert_eq!(cache_policy("/pkg/findes-ikke.js", StatusCode::NOT_FOUND, true), "no-store");
    }

    #[test]
    fn the_page_policy_allows_only_the_nonced_inline_scripts() {
        let csp = page_csp("abc123", false);
        assert!(csp.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("ws:"), "{csp}");
        assert!(page_csp("abc123", true).contains("connect-src 'self' ws: wss:"));
    }
}
