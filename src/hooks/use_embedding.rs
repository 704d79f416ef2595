//! Embedded mode: the app inside a portal's iframe (`embedded: true` in `config.json`,
//! or `?embed=1`; `?embed=0` turns it off whatever the config says). It talks to the portal by `postMessage` (the protocol is in
//! `sync_logs_core::embed` and `docs/embedding.md`):
//!
//! - it hears `set-view`, `token` and `theme` from the parent window only, and only when
//!   the message's origin is listed in `allowed_parent_origins`; anything else, or
//!   anything malformed, is ignored (and logged to the console);
//! - it tells the portal its height, its view and the selection, and asks for a new
//!   token when the API answers 401. Messages go to the portal's origin only, never `*`:
//!   with no listed origin, nothing is sent.

use leptos::{ev, prelude::*};
use leptos_router::{
    hooks::{use_location, use_navigate},
    NavigateOptions,
};
use leptos_use::use_resize_observer;
use sync_logs_core::{
    embed::{embed_flag, origin_allowed, AppMessage, HostMessage, MAX_MESSAGE_BYTES},
    AppConfig, ViewState,
};
use wasm_bindgen::JsCast;

use crate::api::set_bearer_token;

/// What the rest of the app sees of embedded mode.
#[derive(Clone, Copy)]
pub struct Embedding {
    /// Running embedded (config or `?embed=1`).
    pub active: bool,
    /// Bumped each time the portal hands over a token.
    pub token_epoch: ReadSignal<u32>,
    target: StoredValue<Option<String>>,
}

impl Embedding {
    /// Sends `message` to the portal, if embedded in one whose origin is known.
    pub fn post(&self, message: &AppMessage) {
        if !self.active {
            return;
        }
        let Some(origin) = self.target.try_get_value().flatten() else {
            return;
        };
        let Some(parent) = parent_window() else {
            return;
        };
        let Ok(text) = serde_json::to_string(&message.to_json()) else {
            return;
        };
        if let Ok(value) = js_sys::JSON::parse(&text) {
            let _ = parent.post_message(&value, &origin);
        }
    }
}

/// The app's [`Embedding`]; inert (never posts, never listens) when not embedded.
pub fn use_embedding() -> Embedding {
    use_context::<Embedding>().unwrap_or_else(|| {
        let (token_epoch, _) = signal(0);
        Embedding {
            active: false,
            token_epoch,
            target: StoredValue::new(None),
        }
    })
}

thread_local! {
    /// The page's `embed` flag (`?embed=1` or `?embed=0`), read once at start: the app
    /// rewrites the address as the view changes, and must not lose or change it.
    static OPENED_WITH: Option<bool> = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| embed_flag(&search));
}

/// Whether the page asks for embedded mode: the address's `embed` flag when it has one,
/// else `embedded` in the config.
pub fn wants_embedding(config: &AppConfig) -> bool {
    OPENED_WITH.with(|flag| flag.unwrap_or(config.embedded))
}

/// Sets up embedded mode (inside the `<Router>`): listens to the portal, reports height
/// and view, and provides the [`Embedding`] context.
pub fn provide_embedding(config: &AppConfig, active: bool) -> Embedding {
    let (token_epoch, set_token_epoch) = signal(0_u32);
    let allowed = config.allowed_parent_origins.clone();
    // Until the portal has spoken, the page that framed us (the referrer) is the target
    // when it is listed.
    let referrer_origin = web_sys::window()
        .and_then(|w| w.document())
        .map(|d| d.referrer())
        .and_then(|r| web_sys::Url::new(&r).ok())
        .map(|u| u.origin())
        .filter(|origin| origin_allowed(origin, &allowed));
    let embedding = Embedding {
        active: active && parent_window().is_some(),
        token_epoch,
        target: StoredValue::new(referrer_origin),
    };
    provide_context(embedding);
    if !embedding.active {
        return embedding;
    }

    let navigate = use_navigate();
    let location = use_location();
    let default_limit = config.default_limit;
    let listener = window_event_listener(ev::message, move |event: web_sys::MessageEvent| {
        let origin = event.origin();
        let from_parent = match (event.source(), parent_window()) {
            (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
            _ => false,
        };
        if !from_parent || !origin_allowed(&origin, &allowed) {
            log(&format!(
                "ignored a message from {origin}: not the listed parent"
            ));
            return;
        }
        let text = js_sys::JSON::stringify(&event.data())
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        if text.len() > MAX_MESSAGE_BYTES {
            log("ignored a message: too large");
            return;
        }
        let Ok(data) = serde_json::from_str::<serde_json::Value>(&text) else {
            return;
        };
        let message = match HostMessage::parse(&data) {
            Ok(message) => message,
            Err(why) => {
                log(&format!("ignored a message from {origin}: {why}"));
                return;
            }
        };
        embedding.target.set_value(Some(origin));
        match message {
            HostMessage::SetView { query } => {
                // Normalised through the view model: unknown or invalid parameters drop out.
                let (view, _) = ViewState::from_query_string(&query, default_limit);
                let query = with_embed_flag(&view.to_query_string(default_limit));
                let url = format!("{}?{query}", location.pathname.get_untracked());
                navigate(
                    &url,
                    NavigateOptions {
                        resolve: false,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
            HostMessage::Token { token } => {
                set_bearer_token(token);
                set_token_epoch.update(|n| *n += 1);
            }
            HostMessage::Theme { vars } => {
                if let Some(root) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    for (name, value) in vars {
                        let _ = root.style().set_property(&name, &value);
                    }
                }
            }
        }
    });
    on_cleanup(move || listener.remove());

    // The view, whenever the address changes.
    Effect::new(move |_| {
        let search = location.search.get();
        embedding.post(&AppMessage::View {
            query: search.trim_start_matches('?').to_owned(),
        });
    });
    observe_height(embedding);
    embedding.post(&AppMessage::Ready);
    embedding
}

/// Reports the document's height to the portal whenever it changes, so the iframe can
/// be sized to its content.
fn observe_height(embedding: Embedding) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = document.document_element() else {
        return;
    };
    let targets = std::iter::once(root.clone())
        .chain(document.body().map(Into::into))
        .collect();
    watch_scroll_height(root, targets, move |px| {
        embedding.post(&AppMessage::Height { px });
    });
}

/// Calls `on_height` with `measured`'s scroll height each time it differs from the last
/// one reported, checked whenever one of `targets` is resized (and once at the start).
/// The observer is disconnected when the current reactive owner is cleaned up.
pub fn watch_scroll_height(
    measured: web_sys::Element,
    targets: Vec<web_sys::Element>,
    on_height: impl Fn(u32) + 'static,
) {
    let last = StoredValue::new(None::<u32>);
    use_resize_observer(targets, move |_, _| {
        let px = measured.scroll_height().max(0) as u32;
        if last.try_get_value().flatten() != Some(px) {
            last.try_set_value(Some(px));
            on_height(px);
        }
    });
}

/// `query` plus the `embed` flag the page was opened with, so a reload stays as it was.
pub fn with_embed_flag(query: &str) -> String {
    OPENED_WITH.with(|flag| sync_logs_core::embed::with_embed_flag(query, *flag))
}

/// The parent window when the page is framed.
fn parent_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

fn log(message: &str) {
    web_sys::console::warn_1(&format!("Sync Logs (embedded): {message}").into());
}
