//! One module per route.

pub mod not_found;
pub mod runs;
pub mod sync_logs;
