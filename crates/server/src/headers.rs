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
    let out = response.headers_mut();
    out.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    common(out);
    let cache = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        // index.html (for every app path), config.json and anything unhashed.
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Middleware for the API: the headers that apply to every answer.
pub async fn api_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    common(response.headers_mut());
    response
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
}
