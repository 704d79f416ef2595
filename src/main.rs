//! Entry point: installs the panic hook and mounts the app. Everything else is in the
//! library so that browser tests can mount the same components.

fn main() {
    sync_logs::crash::install_panic_hook();
    leptos::mount::mount_to_body(sync_logs::app::App);
}
