//! The reference backend of Sync Logs: the v1 API of `docs/api.md` on an embedded SQLite
//! database, realistic demo data, the built app served on the same origin, and fault
//! injection for tests. It is the executable form of the API contract.

pub mod api;
pub mod db;
pub mod dead_letter;
pub mod envelope;
pub mod faults;
pub mod foreign;
pub mod headers;
pub mod hosts;
pub mod resync;
pub mod seed;
pub mod static_files;

use std::path::Path;

use axum::{http::StatusCode, middleware, Router};
use tower::Layer;

/// Builds the whole HTTP app: `/api/v1` on `state`, the static app from `dist` (with
/// `index.html` for the app's paths, so deep links reload, see [`static_files`]) sent
/// with the security and caching headers of [`headers`], and, when `faults` is given, the
/// fault-injection routes and middleware. [`guard`] it before serving.
pub fn app(
    state: api::AppState,
    dist: Option<&Path>,
    security: headers::SecurityHeaders,
    faults: Option<faults::Faults>,
) -> Router {
    app_under(state, dist, "", security, faults)
}

/// [`app`] with the static app served under `base` (e.g. `/console`, for a build made
/// with `trunk build --public-url /console/`); the API stays at `/api/v1`.
///
/// The security headers wrap the fault injection, so even a made-up answer carries them.
pub fn app_under(
    state: api::AppState,
    dist: Option<&Path>,
    base: &str,
    security: headers::SecurityHeaders,
    faults: Option<faults::Faults>,
) -> Router {
    let inject =
        |faults: &faults::Faults| middleware::from_fn_with_state(faults.clone(), faults::inject);
    let pool = state.pool.clone();
    let mut api = api::router(state);
    if let Some(faults) = &faults {
        api = api.layer(inject(faults));
    }
    let api = api.layer(middleware::from_fn(headers::api_headers));
    let mut app = Router::new().nest("/api/v1", api);
    if let Some(faults) = &faults {
        app = app.merge(faults::control_router(faults.clone(), pool));
    }
    // A macro, as the two services it wraps are of different types.
    macro_rules! with_headers {
        ($files:expr) => {
            middleware::from_fn_with_state(security.clone(), headers::static_headers).layer($files)
        };
    }
    let nothing_here = || async {
        envelope::error(
            StatusCode::NOT_FOUND,
            "not_found",
            "nothing is served at this path",
        )
    };
    let base = base.trim_end_matches('/');
    if dist.is_none() || !base.is_empty() {
        // Outside the app (under another base, or with no app built): nothing.
        app = app.fallback(nothing_here);
    }
    if let Some(dist) = dist {
        let files = static_files::service(dist);
        if base.is_empty() {
            app = match &faults {
                Some(faults) => app.fallback_service(with_headers!(inject(faults).layer(files))),
                None => app.fallback_service(with_headers!(files)),
            };
        } else {
            // Everything under the base is the app (its `<base href>` makes every asset
            // path absolute, so `/console` and `/console/` both work).
            app = match &faults {
                Some(faults) => app.nest_service(base, with_headers!(inject(faults).layer(files))),
                None => app.nest_service(base, with_headers!(files)),
            };
        }
    }
    app
}

/// The layer around everything served: requests for a host the server does not serve
/// are refused (see [`hosts`]).
pub fn guard(app: Router, hosts: hosts::AllowedHosts) -> Router {
    app.layer(middleware::from_fn_with_state(hosts, hosts::check))
}
