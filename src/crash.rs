//! What happens when the app itself fails. A panic is a bug, and the WebAssembly
//! instance does not survive it (release builds abort), so the hook does what it can
//! without the app: it logs the panic to the console and puts a plain-DOM banner on the
//! page saying what happened, with a "Reload" button. The filters live in the URL, so
//! reloading brings the same view back.
//!
//! Failures that are not bugs (a region whose data could not be read) are `Result`s
//! caught by [`crate::components::region::Region`]: that part of the page says so and
//! the rest keeps working.

use wasm_bindgen::{closure::Closure, prelude::wasm_bindgen, JsCast};

/// Installs the panic hook: console report first, then the banner.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_banner(&info.to_string());
    }));
}

/// Panics on purpose, to check the crash banner on a deployed build (from the browser
/// console: `wasmBindings.debug_crash()`). The page stops working, as after any panic.
#[wasm_bindgen]
pub fn debug_crash() {
    panic!("debug_crash was called from the console");
}

/// Puts the crash banner at the top of the page, once. Built with plain DOM calls: no
/// Leptos code runs after a panic. The message is set as text, never as markup.
fn show_crash_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id("crash-banner").is_some() {
        return;
    }
    let build = || -> Result<(), wasm_bindgen::JsValue> {
        let banner = document.create_element("div")?;
        banner.set_id("crash-banner");
        banner.set_class_name("crash-banner");
        banner.set_attribute("role", "alert")?;

        let title = document.create_element("h2")?;
        title.set_text_content(Some("Sync Logs stopped because of an internal error"));
        let next = document.create_element("p")?;
        next.set_text_content(Some(
            "Your filters are kept in the address. Reload to continue where you were; \
             if it happens again, send the technical details to your administrator.",
        ));
        let reload = document.create_element("button")?;
        reload.set_attribute("type", "button")?;
        reload.set_class_name("button primary");
        reload.set_text_content(Some("Reload"));
        let on_reload = Closure::<dyn FnMut()>::new(|| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        reload.add_event_listener_with_callback("click", on_reload.as_ref().unchecked_ref())?;
        // The banner lives until the page reloads.
        on_reload.forget();

        let details = document.create_element("details")?;
        let summary = document.create_element("summary")?;
        summary.set_text_content(Some("Technical details"));
        let pre = document.create_element("pre")?;
        pre.set_text_content(Some(message));
        details.append_child(&summary)?;
        details.append_child(&pre)?;

        for child in [&title, &next, &reload, &details] {
            banner.append_child(child)?;
        }
        let body = document.body().ok_or("no body")?;
        body.insert_before(&banner, body.first_child().as_ref())?;
        if let Some(button) = reload.dyn_ref::<web_sys::HtmlElement>() {
            let _ = button.focus();
        }
        Ok(())
    };
    let _ = build();
}
