//! Sync Logs: the operations console of a data-integration pipeline, as a Leptos
//! client-side app. Pure logic lives in `sync-logs-core`; this crate wires it to the DOM.

pub mod api;
pub mod app;
pub mod components;
pub mod config;
pub mod hooks;
pub mod pages;
pub mod perf;
