//! Keeping the focus on the active row while the window of rendered rows moves.
//!
//! When the window moves up (scrolling up, or a row above the viewport being scrolled into
//! view to be clicked), the keyed list re-inserts the rows it keeps rather than only adding
//! the new ones before them, and the browser drops the focus of an element taken out of
//! the page, even for an instant: the focus falls to `<body>`, and the next key press
//! (End, an arrow, Space) never reaches the table. So while a row holds the focus, a loss
//! of focus to nowhere that the user did not cause puts it back on the active row; if that
//! row is no longer rendered (scrolled away, or moved out of the window by the scroll that
//! revealed it, where a million rows map the scrollbar onto more rows than pixels), the
//! table itself takes the focus, so the next key still moves from the active row.

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
    /// nowhere by then, and once more after the next paint, with `true`: its last try.
    pub(super) fn lost(&self, event: &ev::FocusEvent, restore: impl Fn(bool) + Clone + 'static) {
        if event.related_target().is_some() {
            self.held.set_value(false);
            return;
        }
        if !self.held.get_value() {
            return;
        }
        let held = self.held;
        let attempt = move |last: bool| {
            if focus_is_nowhere() && held.try_get_value() == Some(true) {
                restore(last);
            }
        };
        let again = attempt.clone();
        queue_microtask(move || {
            attempt(false);
            // Should the rows still be on their way, once more when they are painted.
            if focus_is_nowhere() {
                request_animation_frame(move || again(true));
            }
        });
    }
}

/// Focuses the row at `position` (among the shown rows) if it is rendered, without
/// scrolling: the callers have already brought it into view. Returns whether it was.
pub(super) fn focus_row(wrap: NodeRef<Div>, position: usize) -> bool {
    let Some(el) = wrap.try_get_untracked().flatten() else {
        return false;
    };
    let selector = format!("tbody tr[aria-rowindex=\"{}\"]", position + 2);
    el.query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|row| focus_in_place(&row))
}

/// Focuses the table itself (its scroller is a tab stop), without scrolling, so the keys
/// reach it when the active row is not rendered.
pub(super) fn focus_table(wrap: NodeRef<Div>) {
    if let Some(el) = wrap.try_get_untracked().flatten() {
        focus_in_place(&el);
    }
}

fn focus_in_place(el: &web_sys::HtmlElement) -> bool {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    el.focus_with_options(&options).is_ok()
}
