//! The typed HTTP client of the Sync Logs API. Every call decodes into the wire types of
//! `sync-logs-core` and fails with an [`ApiError`] that says what went wrong and what to
//! do next; requests can be cancelled through an [`AbortSlot`].

mod abort;
mod actions;
mod client;
mod error;
mod load;
mod profiled;
mod sliced;
mod summary;
mod transport;

pub use abort::AbortSlot;
pub use actions::{Action, NATIVE_BATCH_SIZE};
pub(crate) use client::browser_online;
pub use client::{ApiClient, LoadEvent, LoadOutcome, QueueSize, Resume, RetryNotice, Scope};
pub use error::{ApiError, NetworkFailure};
pub use sliced::{decode_page_into, SlicedError};
pub use transport::set_bearer_token;
