//! The built app on disk: its files as they are, `index.html` for the app's own paths
//! (so a deep link reloads), and a 404 for everything else. A missing path that names a
//! file (it has an extension) or lies under `/api` is a 404 in the JSON envelope, never
//! `index.html`: an HTML page under an asset's name, cached by a CDN, would break the app
//! until a purge.
//!
//! The build writes a brotli (`.br`) and a gzip (`.gz`) copy beside every hashed file
//! (`scripts/post-build.mjs`); a browser that accepts one gets it with its
//! `Content-Encoding`, so the wasm travels compressed without compressing on each request.

use std::convert::Infallible;
use std::path::Path;

use axum::{extract::Request, http::StatusCode, response::Response};
use tower::{Service, ServiceExt};
use tower_http::services::{ServeDir, ServeFile};

use crate::headers::AppShell;

/// The service serving `dist`.
pub fn service(
    dist: &Path,
) -> ServeDir<
    impl Service<Request, Response = Response, Error = Infallible, Future = impl Send> + Clone,
> {
    let index = ServeFile::new(dist.join("index.html"));
    let fallback = tower::service_fn(move |request: Request| {
        let index = index.clone();
        async move {
            let path = request.uri().path().to_owned();
            if !is_app_path(&path) {
                return Ok::<_, Infallible>(crate::envelope::error(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "there is no file at this path",
                ));
            }
            let Ok(response) = index.oneshot(request).await;
            let mut response = response.map(axum::body::Body::new);
            response.extensions_mut().insert(AppShell);
            Ok(response)
        }
    });
    ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback)
}

/// Whether a path the disk does not hold is one of the app's (answered with
/// `index.html`): not under `/api`, and its last segment names no file.
pub fn is_app_path(path: &str) -> bool {
    let under_api = path == "/api" || path.starts_with("/api/");
    let last = path.rsplit('/').next().unwrap_or("");
    !under_api && !last.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_paths_are_told_from_missing_files() {
        for app in ["/", "/sync-logs", "/dead-letter", "/runs", "/sync-logs/"] {
            assert!(is_app_path(app), "{app}");
        }
        for missing in [
            "/sync-logs-0123456789abcdef.js",
            "/main-452e7bdc4337b574.css",
            "/favicon.ico",
            "/.env",
            "/api",
            "/api/v2/sync-logs",
            "/sub/loader.js",
        ] {
            assert!(!is_app_path(missing), "{missing}");
        }
    }
}
