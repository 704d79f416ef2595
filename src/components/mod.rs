//! Reusable view pieces. Each wires signals to `sync-logs-core` and holds no business
//! logic of its own.

pub mod log_table;
pub mod notice;
pub mod states;
pub mod status_badge;
