//! Decoding a page of the list a slice of records at a time, letting the browser paint
//! and take input whenever a slice has held it long enough: a 10,000-row page is about
//! 20 ms of decoding in a quiet browser and several times that on a machine busy with the
//! rest of the load, which in one go would be a frame the user feels (the progress bar
//! and Cancel stop answering). The text is read once, front to back, and a broken body
//! fails as a whole wherever one `SyncLogPage` decode fails (`sync_logs_core::wire::
//! PageInSlices`): no record of it is kept.

use sync_logs_core::{
    wire::{body_text, PageError, PageInSlices},
    SyncLog,
};
use web_sys::AbortSignal;

use crate::perf::Slice;

/// Records decoded between two looks at the clock.
const STEP: usize = 250;
/// The longest the decoding of a page holds the browser before it lets it paint.
pub const SLICE_MS: f64 = 30.0;

/// Why a page was not decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum SlicedError {
    /// The load was aborted during a pause.
    Aborted,
    /// The body is not a page of the list; the reason, for the user.
    Unreadable(String),
}

/// Decodes `body`, a `GET /sync-logs` page expected to hold `expected` records (the
/// number asked for), onto `items`, pausing after every `slice_ms` of work; stops at the
/// first pause after `signal` is aborted. `items` is cleared first and keeps its
/// allocation when it is large enough, and otherwise gets room for `expected` at once: a
/// load that decodes every page into the same vector leaves no page-sized holes in wasm
/// memory for the rows' strings to split. On an error `items` holds part of a page that
/// is not to be used. Returns the page's cursor and how often the decoding paused.
pub async fn decode_page_into(
    body: &[u8],
    items: &mut Vec<SyncLog>,
    expected: usize,
    signal: Option<&AbortSignal>,
    slice_ms: f64,
) -> Result<(Option<String>, usize), SlicedError> {
    items.clear();
    items.reserve_exact(expected);
    let text = body_text(body);
    let unreadable = |err: PageError| SlicedError::Unreadable(err.to_string());
    let mut page = PageInSlices::read(&text).map_err(unreadable)?;
    let mut pauses = 0;
    let mut slice = Slice::start(slice_ms);
    while page.decode_next(STEP, items).map_err(unreadable)? {
        if slice.pause_if_over().await {
            pauses += 1;
            if signal.is_some_and(AbortSignal::aborted) {
                return Err(SlicedError::Aborted);
            }
        }
    }
    Ok((page.next_cursor, pauses))
}
