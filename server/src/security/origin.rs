//! Refuses cross-origin writes: a state-changing request whose `Origin` — or, when the browser
//! sent none, whose `Referer` — is not exactly this site (scheme, host and port), or that the
//! browser marks `Sec-Fetch-Site: cross-site`, gets 403 before any handler runs. Integrations
//! calling with a bearer token (and curl) send neither header and pass.

use super::Policy;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_origin_writes(State(policy): State<Policy>, req: Request<Body>, next: Next) -> Response {
    let authority = req.uri().authority().map(|a| a.as_str().to_string());
    if is_safe(req.method()) || same_origin(&policy, req.headers(), authority.as_deref()) {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        referer = ?req.headers().get(header::REFERER),
        "cross-origin write refused"
    );
    (
        StatusCode::FORBIDDEN,
        axum::Json(serde_json::json!({"error": "Forespørgsler fra andre websteder afvises.", "field": "origin"})),
    )
        .into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when the request comes from our own pages (or from no browser at all). `authority` is
/// the request URI's, for HTTP/2 requests that carry no `Host` header.
pub fn same_origin(policy: &Policy, headers: &HeaderMap, authority: Option<&str>) -> bool {
    let claimed = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER));
    match claimed {
        Some(value) => {
            let theirs = value.to_str().ok().and_then(Origin::parse);
            theirs.is_some() && theirs == own_origin(policy, headers, authority)
        }
        None => headers.get("sec-fetch-site").is_none_or(|v| v.as_bytes() != b"cross-site"),
    }
}

/// This site's origin as the browser sees it: the scheme from the configuration (or a trusted
/// proxy's `X-Forwarded-Proto`), the host and port from `Host` (or `X-Forwarded-Host`).
fn own_origin(policy: &Policy, headers: &HeaderMap, authority: Option<&str>) -> Option<Origin> {
    let scheme = match policy.forwarded(headers, "x-forwarded-proto") {
        Some(proto) => proto.to_ascii_lowercase(),
        None if policy.https => "https".to_string(),
        None => "http".to_string(),
    };
    let host = policy
        .forwarded(headers, "x-forwarded-host")
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()))
        .or(authority)?;
    Origin::from_authority(&scheme, host.trim())
}

/// The parts that make an origin; the port is filled in when the URL leaves it out.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// From `scheme://host[:port]` with an optional path (a `Referer`); `None` for anything else
    /// (`null`, user info, another scheme).
    fn parse(url: &str) -> Option<Origin> {
        let (scheme, rest) = url.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        Origin::from_authority(&scheme.to_ascii_lowercase(), authority)
    }

    fn from_authority(scheme: &str, authority: &str) -> Option<Origin> {
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        if authority.is_empty() || authority.contains(['@', '\\', ' ']) {
            return None;
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']')?;
                (format!("[{host}]"), if after.is_empty() { None } else { Some(after.strip_prefix(':')?) })
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host.to_string(), Some(port)),
                None => (authority.to_string(), None),
            },
        };
        let port = match port {
            None | Some("") => default_port,
            Some(p) => p.parse().ok()?,
        };
        (!host.is_empty() && host != "[]").then(|| Origin {
            scheme: scheme.to_string(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn http() -> Policy {
        Policy::default()
    }

    fn check(policy: &Policy, pairs: &[(&'static str, &'static str)]) -> bool {
        same_origin(policy, &headers(pairs), None)
    }

    #[test]
    fn our_own_origin_passes_and_a_foreign_one_does_not() {
        assert!(check(&http(), &[("host", "localhost:3000"), ("origin", "http://localhost:3000")]));
        assert!(check(&http(), &[("host", "LocalHost:3000"), ("origin", "http://localhost:3000")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("origin", "https://evil.example")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("origin", "null")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("origin", "http://localhost:3001")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("origin", "http://localhost:3000.evil.example")]));
    }

    #[test]
    fn the_scheme_must_match_how_the_site_is_served() {
        assert!(!check(&http(), &[("host", "localhost:3000"), ("origin", "https://localhost:3000")]));
        let tls = Policy { https: true, ..Policy::default() };
        assert!(check(&tls, &[("host", "ky.example.dk"), ("origin", "https://ky.example.dk")]));
        assert!(check(&tls, &[("host", "ky.example.dk"), ("origin", "https://ky.example.dk:443")]));
        assert!(!check(&tls, &[("host", "ky.example.dk"), ("origin", "http://ky.example.dk")]));
    }

    #[test]
    fn without_origin_the_referer_decides() {
        assert!(check(&http(), &[("host", "localhost:3000"), ("referer", "http://localhost:3000/login?next=/x")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("referer", "http://evil.example/side")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("referer", "https://localhost:3000/")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("referer", "http://user@localhost:3000/")]));
    }

    #[test]
    fn requests_without_origin_or_referer_pass_unless_marked_cross_site() {
        assert!(check(&http(), &[("host", "localhost:3000")]));
        assert!(!check(&http(), &[("host", "localhost:3000"), ("sec-fetch-site", "cross-site")]));
    }

    #[test]
    fn forwarded_scheme_and_host_count_only_from_a_trusted_proxy() {
        let pairs = [
            ("host", "127.0.0.1:3000"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "ky.example.dk"),
            ("origin", "https://ky.example.dk"),
        ];
        assert!(!check(&http(), &pairs));
        assert!(check(&Policy { trust_proxy: true, ..Policy::default() }, &pairs));
    }

    #[test]
    fn an_http2_request_without_host_uses_the_uri_authority() {
        let h = headers(&[("origin", "http://[::1]:3000")]);
        assert!(same_origin(&http(), &h, Some("[::1]:3000")));
        assert!(!same_origin(&http(), &h, Some("[::1]:3001")));
    }
}
