//! Builds a CSV in the browser and hands it over as a download: written in slices of at
//! most [`SLICE_MS`] with a pause between them (the page stays responsive, progress shows,
//! and Cancel works), each chunk copied from wasm memory into a reused JS buffer of up to
//! [`STAGE_BYTES`] (no giant JS string; wasm memory holds one chunk, never the file), each
//! full buffer a Blob, the file a Blob of those, and the object URL revoked once the
//! download has started.
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
/// The most bytes gathered into one part of the file. Chromium's cost of a Blob grows with
/// the number of parts as well as with the bytes: 13.2 MB (100,000 rows) took 50.7 ms
/// as 20 Blobs of a chunk each and 26.8 ms copied into one 16 MiB buffer made into one
/// Blob; 132 MB took 470 and 255 ms (median of 7 and 3, one headless Chromium run).
pub const STAGE_BYTES: u32 = 16 << 20;

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
            // One push per chunk, and one for the rest at the end.
            let mut parts = FileParts::new(STAGE_BYTES, total.div_ceil(CHUNK) + 1);
            let mut slice = Slice::start(SLICE_MS);
            for chunk in job.order.chunks(CHUNK) {
                export.push(chunk.iter().map(|&i| &job.rows[i as usize]));
                if let Err(why) = parts.push(&export.take()) {
                    set_state.try_set(Some(CsvState::Failed(why)));
                    return;
                }
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
            let done = parts
                .push(&export.finish())
                .and_then(|()| parts.finish())
                .and_then(|blob| {
                    span.end();
                    download(&blob, &job.file_name)
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

/// A file on its way to one Blob: its bytes arrive in chunks (slices of wasm memory), are
/// copied into a JS buffer that is reused, and each time the buffer would overflow what
/// it holds becomes one part. Fewer, larger parts make the file faster (see
/// [`STAGE_BYTES`]), and the JS buffer, unlike wasm memory, is given back afterwards.
pub struct FileParts {
    parts: js_sys::Array,
    /// The buffer, made at the first push, and how much of it is written.
    stage: Option<js_sys::Uint8Array>,
    used: u32,
    /// The most a buffer holds, and how many pushes the file is expected to take.
    limit: u32,
    pushes: usize,
}

impl FileParts {
    /// Parts of at most `limit` bytes (a chunk longer than that is a part of its own), for
    /// a file of about `pushes` chunks: the buffer is sized from the first chunk to hold
    /// them all, up to the limit.
    pub fn new(limit: u32, pushes: usize) -> FileParts {
        FileParts {
            parts: js_sys::Array::new(),
            stage: None,
            used: 0,
            limit: limit.max(1),
            pushes: pushes.max(1),
        }
    }

    /// Adds the next bytes of the file.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), String> {
        let len = u32::try_from(bytes.len()).map_err(|_| too_large())?;
        if len == 0 {
            return Ok(());
        }
        if self.stage.is_none() {
            let room = bytes.len().saturating_mul(self.pushes) + bytes.len() / 8;
            let room = u32::try_from(room).unwrap_or(u32::MAX).min(self.limit);
            self.stage = Some(js_sys::Uint8Array::new_with_length(room));
        }
        let capacity = self.stage.as_ref().map_or(0, |stage| stage.length());
        if len > capacity - self.used {
            self.flush()?;
        }
        // SAFETY (both views): nothing between a view and the call that copies what it
        // shows allocates in wasm (that could move the memory it looks at).
        let view = unsafe { js_sys::Uint8Array::view(bytes) };
        match &self.stage {
            Some(stage) if len <= capacity => {
                stage.set(&view, self.used);
                self.used += len;
                Ok(())
            }
            _ => self.add_part(&view),
        }
    }

    /// The file: one Blob of every part, typed as CSV.
    pub fn finish(mut self) -> Result<web_sys::Blob, String> {
        self.flush()?;
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        web_sys::Blob::new_with_blob_sequence_and_options(&self.parts, &options)
            .map_err(|_| "the browser could not create the file".to_owned())
    }

    /// Makes what the buffer holds a part (the Blob constructor copies it, so the buffer
    /// can be written again).
    fn flush(&mut self) -> Result<(), String> {
        match &self.stage {
            Some(stage) if self.used > 0 => {
                let held = stage.subarray(0, self.used);
                self.used = 0;
                self.add_part(&held)
            }
            _ => Ok(()),
        }
    }

    fn add_part(&mut self, bytes: &js_sys::Uint8Array) -> Result<(), String> {
        let blob = web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(bytes))
            .map_err(|_| too_large())?;
        self.parts.push(&blob);
        Ok(())
    }
}

fn too_large() -> String {
    "the browser could not hold the file".to_owned()
}

/// Hands `blob` to the browser as a download named `file_name`.
fn download(blob: &web_sys::Blob, file_name: &str) -> Result<(), String> {
    let fail = |what: &str| format!("the browser could not {what}");
    let url = web_sys::Url::create_object_url_with_blob(blob)
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
