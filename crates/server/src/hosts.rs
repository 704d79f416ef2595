//! Which `Host` the server answers, against DNS rebinding: a page on `attacker.example`
//! whose name is made to resolve to 127.0.0.1 reaches the server with its own name in
//! `Host`, so only the loopback names and those given with `--allowed-host` (the public
//! name of a deployment behind a proxy) are answered; anything else gets 421 in the JSON
//! envelope, on the API and the app alike.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    middleware::Next,
    response::Response,
};

/// The names answered besides the loopback ones, lower case, each with or without a
/// port (`ops.example.com` allows every port, `ops.example.com:8443` that one only).
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts(Arc<Vec<String>>);

impl AllowedHosts {
    /// The names given on the command line; a name that cannot be a host is refused.
    pub fn new(names: &[String]) -> Result<AllowedHosts, String> {
        let mut allowed = Vec::new();
        for name in names {
            let name = name.trim().to_ascii_lowercase();
            let ok = !name.is_empty()
                && name.len() <= 260
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
            if !ok {
                return Err(format!(
                    "--allowed-host {name:?} is not a host name (such as ops.example.com or ops.example.com:8443)"
                ));
            }
            allowed.push(name);
        }
        Ok(AllowedHosts(Arc::new(allowed)))
    }

    /// Whether a request naming `authority` (`host[:port]`) is answered.
    pub fn allows(&self, authority: &str) -> bool {
        let authority = authority.trim().to_ascii_lowercase();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().map(|h| format!("[{h}]")),
            None => authority.split(':').next().map(str::to_owned),
        };
        let Some(host) = host else { return false };
        if matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") {
            return true;
        }
        self.0
            .iter()
            .any(|name| *name == authority || *name == host)
    }
}

/// Middleware refusing requests for a host the server does not serve.
pub async fn check(State(allowed): State<AllowedHosts>, request: Request, next: Next) -> Response {
    // HTTP/2 and absolute-form requests carry the authority in the URI; HTTP/1.1 in Host.
    let authority = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    match authority {
        Some(authority) if allowed.allows(&authority) => next.run(request).await,
        _ => crate::envelope::error(
            StatusCode::MISDIRECTED_REQUEST,
            "unknown_host",
            "this server does not answer for that host name; start it with --allowed-host <name> to serve it under that name",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_listed_names_only() {
        let allowed =
            AllowedHosts::new(&["ops.example.com".into(), "Portal.Test:8443".into()]).unwrap();
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost:3000",
            "LOCALHOST",
            "[::1]:80",
            "ops.example.com",
            "ops.example.com:443",
            "portal.test:8443",
        ] {
            assert!(allowed.allows(ok), "{ok}");
        }
        for refused in [
            "attacker.example",
            "attacker.example:8080",
            "127.0.0.1.attacker.example",
            "localhost.attacker.example",
            "portal.test",
            "portal.test:9000",
            "[::2]",
            "",
        ] {
            assert!(!allowed.allows(refused), "{refused}");
        }
        assert!(AllowedHosts::new(&["a b".into()]).is_err());
        assert!(AllowedHosts::new(&["x/y".into()]).is_err());
    }
}
