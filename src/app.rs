//! The app shell: loads the runtime configuration, provides the [`AppContext`], shows
//! configuration notices and routes between pages.

use leptos::prelude::*;
use leptos_router::{
    components::{Redirect, Route, Router, Routes},
    path,
};
use sync_logs_core::AppConfig;

use crate::api::ApiClient;
use crate::components::{connection_banner::ConnectionBanner, notice::Notice};
use crate::config::{self, LoadedConfig};
use crate::hooks::use_connection::use_connection;
use crate::hooks::use_embedding::{provide_embedding, wants_embedding};
use crate::pages::{
    not_found::NotFound,
    runs::RunsPage,
    sync_logs::{DeadLetterPage, SyncLogsPage},
};

/// What every page needs: the configuration in force and a client for its backend.
#[derive(Debug, Clone)]
pub struct AppContext {
    pub config: AppConfig,
    pub client: ApiClient,
    /// Bumped whenever the dead-letter queue changes (replay, discard, undo), so its
    /// count is asked again.
    pub queue_epoch: RwSignal<u32>,
}

thread_local! {
    static BASE_PATH: String = read_base_path();
}

/// The path the app is served under: `""` at the root of its origin, `"/console"` when
/// built with `trunk build --public-url /console/`. Read once from the document's
/// `<base href>`, which Trunk writes from the public URL.
pub fn base_path() -> String {
    BASE_PATH.with(Clone::clone)
}

fn read_base_path() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new(&uri).ok())
        .map(|url| url.pathname().trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// An app path (`/runs?…`) as a link under [`base_path`]. Router links do not add the
/// base themselves for absolute paths.
pub fn app_href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let loaded = LocalResource::new(config::load);
    // Not a `<Suspense>`: under one, every resource read anywhere in the console (the
    // dead-letter tab's count, the runs, a record's history) would hide the whole console
    // behind this line until it answered. Each of them shows its own loading state.
    move || match loaded.get() {
        None => view! { <p class="app-loading" role="status">"Loading Sync Logs…"</p> }.into_any(),
        Some(loaded) => view! { <Shell loaded /> }.into_any(),
    }
}

/// The chrome and the routes, once the configuration is known.
#[component]
fn Shell(loaded: LoadedConfig) -> impl IntoView {
    let LoadedConfig { config, warnings } = loaded;
    // A backend profile's extra fields are columns from here on, before any page reads
    // its URL (which may sort or filter by them).
    if let Some(profile) = &config.backend {
        sync_logs_core::columns::set_extra_columns(&profile.extra_columns());
    }
    let client = ApiClient::new(config.api_base_url.clone(), config.request_timeout_seconds)
        .with_profile(config.backend.clone());
    let title = config.title.clone();
    let embedded = wants_embedding(&config);
    provide_context(AppContext {
        config: config.clone(),
        client,
        queue_epoch: RwSignal::new(0),
    });
    use_connection();
    view! {
        <Router base=base_path()>
            <Embed config embedded>
            <div class="app" class:embedded=embedded>
                <Show when=move || !embedded>
                    <header class="app-header">
                        <span class="app-title">{title.clone()}</span>
                    </header>
                </Show>
                <ConnectionBanner />
                {(!warnings.is_empty())
                    .then(|| view! { <Notice tone="warning" messages=warnings /> })}
                <main class="app-main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=|| view! { <Redirect path="/sync-logs" /> } />
                        <Route path=path!("/sync-logs") view=SyncLogsPage />
                        <Route path=path!("/runs") view=RunsPage />
                        <Route path=path!("/dead-letter") view=DeadLetterPage />
                    </Routes>
                </main>
            </div>
            </Embed>
        </Router>
    }
}

/// Sets up embedded mode inside the router (it navigates on the portal's behalf) and
/// provides it to everything inside.
#[component]
fn Embed(config: AppConfig, embedded: bool, children: Children) -> impl IntoView {
    provide_embedding(&config, embedded);
    children()
}
