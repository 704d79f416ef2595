//! Builds a CSV in the browser and hands it over as a download: written in slices of at
//! most [`SLICE_MS`] with a pause between them (the page stays responsive, progress shows,
//! and Cancel works), each chunk a Blob straight from wasm memory (no giant JS string, no
//! extra copy), the file a Blob of those, and the object URL revoked once the download
//! has started.
//!
//! The time from start to a ready Blob is recorded as the User Timing measure
//! `sync-logs:csv-blob`, which the benchmark reads.

use std::sync::Arc;

use chrono::{Local, Offset};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sync_logs_core::{csv_export::CsvExport, refine::Column, SyncLog, TimeZonePref};
use wasm_bindgen::JsCast;

use crate::components::time_cell::zone_label;
use crate::perf::{Slice, Span};

/// Rows written between two looks at the clock.
const CHUNK: usize = 5_000;
/// The longest the export holds the page before it lets it paint and take input.
const SLICE_MS: f64 = 40.0;

/// What to export.
pub struct CsvJob {
    pub rows: Arc<Vec<SyncLog>>,
    /// Indexes into `rows`, in the order shown.
    pub order: Vec<u32>,
    pub columns: Vec<Column>,
    pub zone: TimeZonePref,
    pub file_name: String,
}

/// Progress of the export in flight, and the last one's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvState {
    Writing { done: usize, total: usize },
    Done { file_name: String, rows: usize },
    Cancelled,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct UseCsvExportReturn {
    pub state: ReadSignal<Option<CsvState>>,
    pub start: Callback<CsvJob>,
    pub cancel: Callback<()>,
}

pub fn use_csv_export() -> UseCsvExportReturn {
    let (state, set_state) = signal(None::<CsvState>);
    let cancelled = StoredValue::new(false);
    let start = Callback::new(move |job: CsvJob| {
        if matches!(state.get_untracked(), Some(CsvState::Writing { .. })) {
            return;
        }
        cancelled.set_value(false);
        let total = job.order.len();
        set_state.set(Some(CsvState::Writing { done: 0, total }));
        spawn_local(async move {
            let span = Span::begin("sync-logs:csv-blob");
            let offset = match job.zone {
                TimeZonePref::Utc => chrono::FixedOffset::east_opt(0).expect("zero offset"),
                TimeZonePref::Local => Local::now().offset().fix(),
            };
            let zone_name = match job.zone {
                TimeZonePref::Utc => "UTC".to_owned(),
                TimeZonePref::Local => zone_label(job.zone).replace("local, ", ""),
            };
            let mut export = CsvExport::new(&job.columns, offset, &zone_name);
            // The file goes to the browser a chunk at a time, so wasm memory holds one
            // chunk of CSV, never the whole file (it would stay reserved afterwards).
            let parts = js_sys::Array::new();
            let mut slice = Slice::start(SLICE_MS);
            for chunk in job.order.chunks(CHUNK) {
                export.push(chunk.iter().map(|&i| &job.rows[i as usize]));
                match part(&export.take()) {
                    Ok(blob) => parts.push(&blob),
                    Err(why) => {
                        set_state.try_set(Some(CsvState::Failed(why)));
                        return;
                    }
                };
                if !slice.is_over() {
                    continue;
                }
                set_state.try_set(Some(CsvState::Writing {
                    done: export.rows(),
                    total,
                }));
                // Let the page paint and handle input between chunks.
                slice.next().await;
                if cancelled.try_get_value() != Some(false) {
                    set_state.try_set(Some(CsvState::Cancelled));
                    return;
                }
            }
            let rows = export.rows();
            let done = part(&export.finish()).and_then(|blob| {
                parts.push(&blob);
                download(&parts, &job.file_name, span)
            });
            match done {
                Ok(()) => set_state.try_set(Some(CsvState::Done {
                    file_name: job.file_name,
                    rows,
                })),
                Err(why) => set_state.try_set(Some(CsvState::Failed(why))),
            };
        });
    });
    UseCsvExportReturn {
        state,
        start,
        cancel: Callback::new(move |()| cancelled.set_value(true)),
    }
}

/// One chunk of the file as a Blob, copied once from wasm memory: the bytes are only
/// viewed (no JS copy of them first), and the view is used before wasm allocates again.
fn part(bytes: &[u8]) -> Result<web_sys::Blob, String> {
    // SAFETY: nothing between the view and the Blob constructor, which copies what the
    // view shows, allocates in wasm (that could move the memory it looks at).
    let view = unsafe { js_sys::Uint8Array::view(bytes) };
    web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&view))
        .map_err(|_| "the browser could not hold the file".to_owned())
}

/// Hands the file, in `parts` (Blobs of its chunks), to the browser as a download.
fn download(parts: &js_sys::Array, file_name: &str, span: Span) -> Result<(), String> {
    let fail = |what: &str| format!("the browser could not {what}");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options)
        .map_err(|_| fail("create the file"))?;
    span.end();
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| fail("create a link to the file"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("reach the page"))?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| fail("create a link"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The browser reads the Blob after the click returns: release it a little later.
    gloo_timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
