//! The Details cell: a bounded preview in the cell, and the whole message in a popover
//! that opens on hover and on keyboard focus and closes on Escape, when the pointer
//! leaves, or when focus moves elsewhere. Only the open popover holds the full text, so
//! a 1 MB message costs the table nothing until someone reads it.
//!
//! One popover is open at a time: the table provides a [`DetailsPopover`] that names the
//! open cell, instead of a signal per row.

use leptos::ev::{FocusEvent, KeyboardEvent, MouseEvent};
use leptos::prelude::*;
use leptos_use::{use_clipboard, UseClipboardReturn};
use sync_logs_core::{classify, text::shortened, Tone};
use wasm_bindgen::JsCast;

/// Characters of a message rendered in the cell itself.
const PREVIEW_CHARS: usize = 240;
/// The popover's widest size in pixels (see `style/details.css`).
const POPOVER_WIDTH: f64 = 640.0;

/// Where the open popover is and which cell owns it.
#[derive(Debug, Clone, PartialEq)]
struct OpenDetails {
    key: String,
    /// Where it sits (`position: fixed`): next to the cell, above it near the window's bottom.
    placement: Placement,
}

/// Pixel offsets of the popover. Applied through the CSSOM (`style:left=…`), which a
/// strict Content Security Policy allows, unlike a `style` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Placement {
    left: f64,
    /// From the window's top when below the cell, else `None`.
    top: Option<f64>,
    /// From the window's bottom when above the cell, else `None`.
    bottom: Option<f64>,
}

/// The table-wide popover state.
#[derive(Debug, Clone, Copy)]
pub struct DetailsPopover(RwSignal<Option<OpenDetails>>);

impl DetailsPopover {
    /// Creates the state and provides it to the cells below.
    pub fn provide() -> DetailsPopover {
        let state = DetailsPopover(RwSignal::new(None));
        provide_context(state);
        state
    }

    /// Closes whatever is open (e.g. when the table scrolls away from it).
    pub fn close(&self) {
        if self.0.with_untracked(Option::is_some) {
            self.0.set(None);
        }
    }

    fn open(&self, key: &str, anchor: &web_sys::Element) {
        if self
            .0
            .with_untracked(|o| o.as_ref().is_some_and(|o| o.key == key))
        {
            return;
        }
        let rect = anchor.get_bounding_client_rect();
        let window = web_sys::window();
        let size =
            |get: fn(&web_sys::Window) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>,
             or| {
                window
                    .as_ref()
                    .and_then(|w| get(w).ok())
                    .and_then(|v| v.as_f64())
                    .unwrap_or(or)
            };
        let window_height = size(web_sys::Window::inner_height, 800.0);
        let window_width = size(web_sys::Window::inner_width, 1280.0);
        // Same width as `.details-popover` in style/details.css; kept inside the window.
        let width = POPOVER_WIDTH.min(window_width - 24.0);
        let left = rect.left().min(window_width - width - 8.0).max(8.0);
        let placement = if window_height - rect.bottom() > 260.0 {
            Placement {
                left,
                top: Some(rect.bottom()),
                bottom: None,
            }
        } else {
            Placement {
                left,
                top: None,
                bottom: Some(window_height - rect.top()),
            }
        };
        self.0.set(Some(OpenDetails {
            key: key.to_owned(),
            placement,
        }));
    }
}

/// The Details cell of one record. `key` identifies the cell among all rendered rows.
#[component]
pub fn DetailsCell(key: String, details: Option<String>, tone: Tone) -> impl IntoView {
    let Some(text) = details else {
        return view! { <span class="muted" aria-label="none">"—"</span> }.into_any();
    };
    let popover = expect_context::<DetailsPopover>();
    let shown = shortened(&text, PREVIEW_CHARS).into_owned();
    let class = matches!(tone, Tone::Failed | Tone::Partial).then(|| classify(&text));
    let open = {
        let key = key.clone();
        Memo::new(move |_| popover.0.with(|o| o.as_ref().is_some_and(|o| o.key == key)))
    };
    let key_for_open = key.clone();
    let show = move |ev: &web_sys::Event| {
        if let Some(anchor) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            popover.open(&key_for_open, &anchor);
        }
    };
    let show_on_hover = show.clone();
    let on_focus_out = move |ev: FocusEvent| {
        let wrapper = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let inside = wrapper.is_some_and(|w| w.contains(next.as_ref()));
        if !inside && open.get_untracked() {
            popover.close();
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.stop_propagation();
            popover.close();
        }
    };
    let text = StoredValue::new(text);
    view! {
        <div
            class="details-cell"
            on:mouseenter=move |ev: MouseEvent| show_on_hover(&ev)
            on:mouseleave=move |_| if open.get_untracked() { popover.close() }
            on:focusin=move |ev: FocusEvent| show(&ev)
            on:focusout=on_focus_out
            on:keydown=on_key
        >
            {class.map(|c| view! {
                <span class=format!("triage triage-{}", c.label().to_lowercase()) title=c.hint()>
                    {c.label()}
                </span>
            })}
            <button
                type="button"
                class="details-trigger"
                aria-expanded=move || open.get().to_string()
                aria-haspopup="dialog"
            >
                {shown}
            </button>
            <Show when=move || open.get()>
                <DetailsPopoverView
                    text=text.get_value()
                    placement=Signal::derive(move || {
                        popover.0.with(|o| o.as_ref().map(|o| o.placement).unwrap_or_default())
                    })
                />
            </Show>
        </div>
    }
    .into_any()
}

/// The open popover: the whole message, scrollable, with a copy button.
#[component]
fn DetailsPopoverView(text: String, #[prop(into)] placement: Signal<Placement>) -> impl IntoView {
    let UseClipboardReturn {
        is_supported,
        copied,
        copy,
        ..
    } = use_clipboard();
    let to_copy = text.clone();
    view! {
        <div
            class="details-popover"
            role="dialog"
            aria-label="Full details"
            style:left=move || format!("{}px", placement.get().left)
            style:top=move || placement.get().top.map(|top| format!("{top}px"))
            style:bottom=move || placement.get().bottom.map(|bottom| format!("{bottom}px"))
        >
            <div class="details-popover-bar">
                <span class="details-popover-title">"Details"</span>
                <span class="details-length">{format!("{} characters", sync_logs_core::text::format_count(text.chars().count()))}</span>
                <Show when=move || is_supported.get()>
                    <button type="button" class="button small" on:click={
                        let copy = copy.clone();
                        let to_copy = to_copy.clone();
                        move |_| copy(&to_copy)
                    }>
                        {move || if copied.get() { "Copied" } else { "Copy" }}
                    </button>
                </Show>
                <span class="details-hint">"Esc closes"</span>
            </div>
            <pre class="details-full">{text}</pre>
        </div>
    }
}
