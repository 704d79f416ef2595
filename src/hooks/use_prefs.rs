//! The user's display preferences, kept in local storage under a versioned key so a
//! later format can move away from this one without misreading it.

use codee::string::JsonSerdeCodec;
use leptos::prelude::*;
use leptos_use::storage::use_local_storage;
use serde::{Deserialize, Serialize};
use sync_logs_core::TimeZonePref;

/// The storage key; bump the version when the shape changes incompatibly.
pub const PREFS_KEY: &str = "sync-logs.prefs.v1";

/// What is remembered between visits. Unset fields follow `config.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    #[serde(default)]
    pub time_zone: Option<TimeZonePref>,
    /// Keys of the columns shown (see `sync_logs_core::refine::Column::key`).
    #[serde(default)]
    pub columns: Option<Vec<String>>,
    /// Auto-refresh period in seconds (0 is off).
    #[serde(default)]
    pub refresh_seconds: Option<u32>,
    /// Row density.
    #[serde(default)]
    pub density: Option<Density>,
}

/// How tall the table's rows are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Density {
    #[default]
    Comfortable,
    Compact,
}

/// The preferences and their setter.
pub fn use_prefs() -> (Signal<Prefs>, WriteSignal<Prefs>) {
    let (prefs, set_prefs, _) = use_local_storage::<Prefs, JsonSerdeCodec>(PREFS_KEY);
    (prefs, set_prefs)
}
