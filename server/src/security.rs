//! Refuses cross-origin writes: a state-changing request whose `Origin` is not this server, or
//! that the browser marks `Sec-Fetch-Site: cross-site`, gets 403 before any handler runs.
//! Integrations calling with a bearer token send no `Origin` and pass.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_origin_writes(req: Request<Body>, next: Next) -> Response {
    if is_safe(req.method()) || same_origin(req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = %req.uri().path(), origin = ?req.headers().get(header::ORIGIN), "cross-origin write refused");
    (
        StatusCode::FORBIDDEN,
        axum::Json(serde_json::json!({"error": "Forespørgsler fra andre websteder afvises.", "field": "origin"})),
    )
        .into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when the request comes from our own pages (or from no browser at all).
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
        let origin = origin.to_str().unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return origin_host.eq_ignore_ascii_case(host);
    }
    headers.get("sec-fetch-site").is_none_or(|v| v.as_bytes() != b"cross-site")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn our_own_origin_passes_and_a_foreign_one_does_not() {
        assert!(same_origin(&headers(&[("host", "localhost:3000"), ("origin", "http://localhost:3000")])));
        assert!(!same_origin(&headers(&[("host", "localhost:3000"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "localhost:3000"), ("origin", "null")])));
    }

    #[test]
    fn requests_without_origin_pass_unless_marked_cross_site() {
        assert!(same_origin(&headers(&[("host", "localhost:3000")])));
        assert!(!same_origin(&headers(&[("host", "localhost:3000"), ("sec-fetch-site", "cross-site")])));
    }
}
