//! Whether the backend can be reached, from two sources: the browser's own
//! `navigator.onLine` (with its `online`/`offline` events) and the outcome of the latest
//! load (a network failure or a timeout while the browser thinks it is online means the
//! server, or the way to it, is down). One per app, shared through the context.

use leptos::{ev, prelude::*};

use crate::api::browser_online;

/// The connection as the page knows it.
#[derive(Clone, Copy)]
pub struct Connection {
    /// `navigator.onLine`, kept current by its events.
    pub online: ReadSignal<bool>,
    /// The latest load got no answer from the server.
    pub unreachable: ReadSignal<bool>,
    set_unreachable: WriteSignal<bool>,
}

impl Connection {
    /// A request got an answer (any status): the server is reachable.
    pub fn answered(&self) {
        self.set_unreachable.try_set(false);
    }

    /// A request got no answer at all.
    pub fn unreachable(&self) {
        self.set_unreachable.try_set(true);
    }
}

/// The app's [`Connection`], created (and its listeners registered) on first use.
///
/// ```ignore
/// let connection = use_connection();
/// view! { <Show when=move || !connection.online.get()>"Offline"</Show> }
/// ```
pub fn use_connection() -> Connection {
    if let Some(connection) = use_context::<Connection>() {
        return connection;
    }
    let (online, set_online) = signal(browser_online());
    let (unreachable, set_unreachable) = signal(false);
    let on = window_event_listener(ev::online, move |_| set_online.set(true));
    let off = window_event_listener(ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    let connection = Connection {
        online,
        unreachable,
        set_unreachable,
    };
    provide_context(connection);
    connection
}
