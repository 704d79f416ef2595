//! Hooks in the leptos-use style: `use_x(args) -> UseXReturn`, one per file.

pub mod use_action;
pub mod use_connection;
pub mod use_csv_export;
pub mod use_embedding;
pub mod use_follow;
pub mod use_instances;
pub mod use_live_refresh;
pub mod use_log_loader;
pub mod use_mass_action;
pub mod use_prefs;
pub mod use_row_indexes;
pub mod use_summary;
pub mod use_view_state;
