//! Pure logic and wire types of Sync Logs, shared by the Leptos app and the reference
//! server. Nothing here touches the DOM, the network or a clock: callers pass in "now".

pub mod clusters;
pub mod columns;
pub mod config;
pub mod csv_export;
pub mod embed;
pub mod facets;
mod hash;
pub mod history;
pub mod name;
pub mod pipeline;
pub mod profile;
pub mod query;
pub mod range;
pub mod refine;
pub mod retry;
pub mod row_chars;
pub mod runs;
pub mod selection;
pub mod split;
pub mod stats;
pub mod status;
pub mod summary;
pub mod text;
pub mod timeline;
pub mod triage;
pub mod verify;
pub mod view;
pub mod viewport;
pub mod wire;

pub use config::{AppConfig, TimeZonePref};
pub use name::Name;
pub use query::{LogQuery, QueryError};
pub use stats::Stats;
pub use status::{Status, Tone};
pub use triage::{classify, ErrorClass};
pub use view::ViewState;
pub use wire::{
    ApiErrorBody, ApiErrorDetail, AttemptsResponse, DiscardRequest, EventsResponse, Instance,
    InstancesResponse, Operation, RecordEvent, ResyncOutcome, ResyncRequest, ResyncResponse,
    ResyncResult, RunSummary, RunsResponse, SyncLog, SyncLogPage,
};
