//! The client's address, found once per request and put into its extensions as `ClientAddr`
//! for the login throttle: the connection's peer, or — only when configured to trust the proxy
//! in front — the address that proxy put last in `X-Forwarded-For`. Earlier entries of that
//! header were written by the client itself and prove nothing.

use super::Policy;
use app::service::login_throttle::ClientAddr;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, Request};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

pub async fn remember_client_addr(State(policy): State<Policy>, mut req: Request<Body>, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(addr) = client_addr(&policy, req.headers(), peer) {
        req.extensions_mut().insert(ClientAddr(addr));
    }
    next.run(req).await
}

pub fn client_addr(policy: &Policy, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    let forwarded = policy
        .forwarded(headers, "x-forwarded-for")
        .and_then(|v| v.parse::<IpAddr>().ok().or_else(|| v.parse::<SocketAddr>().ok().map(|s| s.ip())));
    forwarded.or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    const PEER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 9)));

    #[test]
    fn the_forwarded_address_is_ignored_unless_the_proxy_is_trusted() {
        assert_eq!(client_addr(&Policy::default(), &xff(&["203.0.113.7"]), PEER), PEER);
    }

    #[test]
    fn a_trusted_proxy_gives_the_address_it_added_last() {
        let trusted = Policy { trust_proxy: true, ..Policy::default() };
        let h = xff(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(client_addr(&trusted, &h, PEER), Some("203.0.113.7".parse().unwrap()));
        let h = xff(&["1.1.1.1", "[2001:db8::1]:4711"]);
        assert_eq!(client_addr(&trusted, &h, PEER), Some("2001:db8::1".parse().unwrap()));
        assert_eq!(client_addr(&trusted, &xff(&["nonsense"]), PEER), PEER);
        assert_eq!(client_addr(&trusted, &HeaderMap::new(), PEER), PEER);
    }
}
