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
use crate::pages::{not_found::NotFound, runs::RunsPage, sync_logs::SyncLogsPage};

/// What every page needs: the configuration in force and a client for its backend.
#[derive(Debug, Clone)]
pub struct AppContext {
    pub config: AppConfig,
    pub client: ApiClient,
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let loaded = LocalResource::new(config::load);
    view! {
        <Suspense fallback=|| view! { <p class="app-loading" role="status">"Loading Sync Logs…"</p> }>
            {move || Suspend::new(async move {
                let loaded = loaded.await;
                view! { <Shell loaded /> }
            })}
        </Suspense>
    }
}

/// The chrome and the routes, once the configuration is known.
#[component]
fn Shell(loaded: LoadedConfig) -> impl IntoView {
    let LoadedConfig { config, warnings } = loaded;
    let client = ApiClient::new(config.api_base_url.clone(), config.request_timeout_seconds);
    let title = config.title.clone();
    let embedded = config.embedded;
    provide_context(AppContext { config, client });
    use_connection();
    view! {
        <Router>
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
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
