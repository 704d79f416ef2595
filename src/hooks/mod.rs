//! Hooks in the leptos-use style: `use_x(args) -> UseXReturn`, one per file.

pub mod use_log_loader;
