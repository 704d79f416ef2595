//! Sync Logs: the operations console of a data-integration pipeline, as a Leptos
//! client-side app. Pure logic lives in `sync-logs-core`; this crate wires it to the DOM.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod crash;
pub mod hooks;
pub mod pages;
pub mod perf;
pub mod task;

/// Checks on the source itself: backend text is never parsed as HTML.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod source_checks {
    use std::path::Path;

    fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn clippy_refuses_every_way_to_render_a_string_as_html() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = std::fs::read_to_string(root.join("clippy.toml")).unwrap();
        for path in [
            "web_sys::Element::set_inner_html",
            "web_sys::Element::set_outer_html",
            "web_sys::Element::insert_adjacent_html",
            "leptos::tachys::html::element::inner_html",
            "leptos::tachys::html::element::InnerHtmlAttribute::inner_html",
        ] {
            assert!(config.contains(&format!("\"{path}\"")), "{path}");
        }
        // And nothing in the app uses them under another name (e.g. through `js_sys`).
        let mut files = Vec::new();
        rust_files(&root.join("src"), &mut files);
        let needles = ["inner_html", "innerHTML", "outer_html", "outerHTML"];
        for file in files {
            if file.ends_with("lib.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for needle in needles {
                assert!(!text.contains(needle), "{} uses {needle}", file.display());
            }
        }
    }
}
