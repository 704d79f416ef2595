//! Keeping the focus on the active row while the window of rendered rows moves.
//!
//! When the window moves up (scrolling up, or a row above the viewport being scrolled into
//! view to be clicked), the keyed list re-inserts the rows it keeps rather than only adding
//! the new ones before them, and the browser drops the focus of an element taken out of
//! the page, even for an instant: the focus falls to `<body>`, and the next key press
//! (End, an arrow, Space) never reaches the table. So while a row holds the focus, a loss
//! of focus to nowhere that the user did not cause puts it back on the active row.

use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::focus_is_nowhere;

/// Whether a row holds the focus, and the listener that lets the user take it away.
#[derive(Clone, Copy)]
pub(super) struct RowFocus {
    held: StoredValue<bool>,
}

impl RowFocus {
    /// Starts tracking; a press of the pointer outside the table's rows (on the page, a
    /// control, anything) is the user moving on, so the focus is no longer held.
    pub(super) fn new(wrap: NodeRef<Div>) -> RowFocus {
        let held = StoredValue::new(false);
        let listener = window_event_listener(ev::pointerdown, move |event| {
            let inside = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .zip(wrap.try_get_untracked().flatten())
                .is_some_and(|(target, wrap)| {
                    wrap.query_selector("tbody")
                        .ok()
                        .flatten()
                        .is_some_and(|body| body.contains(Some(&target)))
                });
            if !inside {
                held.try_set_value(false);
            }
        });
        on_cleanup(move || listener.remove());
        RowFocus { held }
    }

    /// A row (or a control in it) got the focus.
    pub(super) fn gained(&self, event: &ev::FocusEvent) {
        let on_row = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.closest("tbody tr").ok().flatten().is_some());
        self.held.set_value(on_row);
    }

    /// Something in the table lost the focus. Moving it to another element is the user's
    /// doing; losing it to nowhere while a row held it is the rows moving: `restore` runs
    /// once they are back in place (the diff re-inserts them in the same task, so a
    /// microtask is enough, and no key press can come in between), if the focus is still
    /// nowhere by then.
    pub(super) fn lost(&self, event: &ev::FocusEvent, restore: impl Fn() + Clone + 'static) {
        if event.related_target().is_some() {
            self.held.set_value(false);
            return;
        }
        if !self.held.get_value() {
            return;
        }
        let held = self.held;
        let attempt = move || {
            if focus_is_nowhere() && held.try_get_value() == Some(true) {
                restore();
            }
        };
        let again = attempt.clone();
        queue_microtask(move || {
            attempt();
            // Should the rows still be on their way, once more when they are painted.
            if focus_is_nowhere() {
                request_animation_frame(again);
            }
        });
    }
}

/// Focuses the row at `position` (among the shown rows) if it is rendered, without
/// scrolling: the callers have already brought it into view.
pub(super) fn focus_row(wrap: NodeRef<Div>, position: usize) {
    let Some(el) = wrap.try_get_untracked().flatten() else {
        return;
    };
    let selector = format!("tbody tr[aria-rowindex=\"{}\"]", position + 2);
    if let Some(row) = el
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = row.focus_with_options(&options);
    }
}
