//! The response headers a deployment of Sync Logs should send, as the reference server
//! sends them (and as `docs/deployment.md` lists them for other servers):
//!
//! - a strict Content Security Policy: scripts only from the app's own origin (the
//!   WebAssembly module needs `'wasm-unsafe-eval'`, nothing needs `'unsafe-inline'` or
//!   `'unsafe-eval'`), styles only from files, and `frame-ancestors` naming the portals
//!   that may embed the app;
//! - `X-Content-Type-Options: nosniff` and a `Referrer-Policy` on everything;
//! - caching: files whose names carry a content hash never change, so they are cached
//!   for a year; `index.html` and `config.json` are revalidated on every load, so a new
//!   release or a configuration change applies at the next reload.

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};

/// Who may frame the app: CSP `frame-ancestors` sources, e.g. `'self'` or
/// `https://portal.example.com`.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// The policy for an app that may be framed by `frame_ancestors` (CSP sources; an
    /// empty list means `'none'`). Sources that are not valid header text are dropped.
    pub fn new(frame_ancestors: &[String]) -> SecurityHeaders {
        SecurityHeaders::with_connect_src(frame_ancestors, &[])
    }

    /// [`SecurityHeaders::new`], also allowing the app to fetch from `connect_src` (the
    /// origin of an API on another host, e.g. `https://api.example.com`).
    pub fn with_connect_src(frame_ancestors: &[String], connect_src: &[String]) -> SecurityHeaders {
        let ancestors = if frame_ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            frame_ancestors
                .iter()
                .filter(|source| !source.contains([';', ',', '\r', '\n']))
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut csp = content_security_policy(&ancestors);
        let extra: Vec<&str> = connect_src
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && !s.contains([';', ',', '\r', '\n', ' ']))
            .collect();
        if !extra.is_empty() {
            csp = csp.replace(
                "connect-src 'self'",
                &format!("connect-src 'self' {}", extra.join(" ")),
            );
        }
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static(FALLBACK_CSP)),
        }
    }
}

/// The policy used when the configured one is not valid header text.
const FALLBACK_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// The Content Security Policy of the app, with `ancestors` as `frame-ancestors`.
pub fn content_security_policy(ancestors: &str) -> String {
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
        &format!("frame-ancestors {ancestors}"),
    ]
    .join("; ")
}

/// Whether a file name carries Trunk's content hash (`main-452e7bdc4337b574.css`,
/// `sync-logs-d2887e68db06714d_bg.wasm`): 16 hex digits after the last `-`.
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// Middleware for the static app: security headers on every answer, and caching by kind.
pub async fn static_headers(
    State(headers): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let hashed = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    // `index.html` standing in for an app path is never an asset, whatever its name.
    let found = response.extensions().get::<AppShell>().is_none();
    let out = response.headers_mut();
    out.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    common(out);
    let cache = if hashed && found && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        // index.html (for every app path), config.json and anything unhashed.
        "no-cache"
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if hashed && found {
        // The same URL is sent brotli, gzip or plain by what the browser accepts: a
        // cache in between must keep them apart.
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Marks an answer that is `index.html` served for an app path (a deep link), so it is
/// revalidated like `index.html` and never cached as a hashed asset.
#[derive(Debug, Clone, Copy)]
pub struct AppShell;

/// The policy of API answers: JSON is never a document, so it may load nothing and be
/// framed by no one.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Middleware for the API: the headers that apply to every answer (never cached: the
/// answers carry records and change all the time), and the JSON error envelope for the
/// errors the framework answers itself (405, 413, an undecodable path, …).
pub async fn api_headers(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let mut response = crate::envelope::ensure(response).await;
    let out = response.headers_mut();
    common(out);
    out.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(API_CSP),
    );
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Checks a CSP source given on the command line (`--frame-ancestor`, `--connect-src`):
/// `'self'`, `'none'` or an origin, `scheme://host[:port]` with `http`, `https`, `ws` or
/// `wss`, where the host may start with `*.` (its subdomains) and the port may be `*`.
/// Anything else (`*`, `'unsafe-inline'`, a path, a second directive) is refused with the
/// reason, so a typo never silently widens or drops the policy.
pub fn check_source(source: &str) -> Result<String, String> {
    let source = source.trim();
    if source == "'self'" || source == "'none'" {
        return Ok(source.to_owned());
    }
    let refuse = |why: &str| {
        Err(format!(
            "{source:?} is not allowed: {why}; give 'self', 'none' or an origin such as https://portal.example.com"
        ))
    };
    let Some((scheme, rest)) = source.split_once("://") else {
        return refuse("it is not an origin (scheme://host)");
    };
    if !["http", "https", "ws", "wss"].contains(&scheme.to_ascii_lowercase().as_str()) {
        return refuse("the scheme must be http, https, ws or wss");
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#', '@']) {
        return refuse("an origin has no path, query, fragment or user");
    }
    let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
        let Some((inside, after)) = v6.split_once(']') else {
            return refuse("an IPv6 host needs its closing ]");
        };
        if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return refuse("the IPv6 host is not valid");
        }
        match after {
            "" => (None, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (None, Some(port)),
                None => return refuse("only a port may follow an IPv6 host"),
            },
        }
    } else {
        match rest.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(rest), None),
        }
    };
    if let Some(host) = host {
        let name = host.strip_prefix("*.").unwrap_or(host);
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if name.is_empty() || name.len() > 253 || !name.split('.').all(label_ok) {
            return refuse("the host is not a valid name or address");
        }
    }
    match port {
        None | Some("*") => {}
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {}
        Some(_) => return refuse("the port must be digits or *"),
    }
    Ok(source.strip_suffix('/').unwrap_or(source).to_owned())
}

fn common(out: &mut axum::http::HeaderMap) {
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_told_apart_from_the_rest() {
        for hashed in [
            "/main-452e7bdc4337b574.css",
            "/sync-logs-d2887e68db06714d_bg.wasm",
            "/sub/loader-0123456789abcdef.js",
            "/table-ca4b71691ffe32d.css",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in ["/index.html", "/config.json", "/sync-logs", "/", "/a-b.css"] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }

    #[test]
    fn the_policy_allows_no_inline_code_and_names_the_ancestors() {
        let csp = content_security_policy("'self' https://portal.example.com");
        assert!(!csp.contains("unsafe-inline"));
        assert!(!csp.contains("'unsafe-eval'"));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(csp.ends_with("frame-ancestors 'self' https://portal.example.com"));
        let none = SecurityHeaders::new(&[]);
        assert!(none
            .csp
            .to_str()
            .unwrap()
            .ends_with("frame-ancestors 'none'"));
        let hostile = SecurityHeaders::new(&["https://a.test; script-src *".into()]);
        assert!(!hostile.csp.to_str().unwrap().contains("script-src *"));
    }

    #[test]
    fn only_origins_self_and_none_are_sources() {
        for good in [
            "'self'",
            "'none'",
            "https://portal.example.com",
            "https://portal.example.com/",
            "http://127.0.0.1:*",
            "http://127.0.0.1:8080",
            "https://*.example.com",
            "http://[::1]:3000",
            "wss://live.example.com",
        ] {
            assert!(check_source(good).is_ok(), "{good}");
        }
        assert_eq!(
            check_source("https://portal.example.com/").unwrap(),
            "https://portal.example.com"
        );
        for bad in [
            "*",
            "'unsafe-inline'",
            "'unsafe-eval'",
            "https:",
            "data:",
            "https://a.test; script-src *",
            "https://a.test script-src",
            "https://a.test/path",
            "javascript://x",
            "https://user@a.test",
            "https://a.test:port",
            "https://*",
            "portal.example.com",
            "",
        ] {
            let refused = check_source(bad).unwrap_err();
            assert!(refused.contains("is not allowed"), "{bad}: {refused}");
        }
    }
}
