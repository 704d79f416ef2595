//! The reference backend of Sync Logs: the v1 API of `docs/api.md` on an embedded SQLite
//! database, realistic demo data, the built app served on the same origin, and fault
//! injection for tests. It is the executable form of the API contract.

pub mod api;
pub mod db;
pub mod dead_letter;
pub mod faults;
pub mod foreign;
pub mod headers;
pub mod resync;
pub mod seed;

use std::path::Path;

use axum::{middleware, Router};
use tower::Layer;
use tower_http::services::{ServeDir, ServeFile};

/// Builds the whole HTTP app: `/api/v1` on `state`, the static app from `dist` (with
/// `index.html` for every other path, so deep links reload) sent with the security and
/// caching headers of [`headers`], and, when `faults` is given, the fault-injection
/// routes and middleware.
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
    let api = api::router(state).layer(middleware::from_fn(headers::api_headers));
    let mut app = Router::new().nest("/api/v1", api);
    if let Some(faults) = &faults {
        // `route_layer` covers the routes only; the static files are wrapped below.
        app = app
            .route_layer(inject(faults))
            .merge(faults::control_router(faults.clone(), pool));
    }
    if let Some(dist) = dist {
        let files = ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")));
        let files = middleware::from_fn_with_state(security, headers::static_headers).layer(files);
        let base = base.trim_end_matches('/');
        if base.is_empty() {
            app = match &faults {
                Some(faults) => app.fallback_service(inject(faults).layer(files)),
                None => app.fallback_service(files),
            };
        } else {
            // Everything under the base is the app (its `<base href>` makes every asset
            // path absolute, so `/console` and `/console/` both work).
            app = match &faults {
                Some(faults) => app.nest_service(base, inject(faults).layer(files)),
                None => app.nest_service(base, files),
            };
        }
    }
    app
}
