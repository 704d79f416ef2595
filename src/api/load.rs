//! Loading the records of a query page by page, on the native contract (a backend
//! profile loads through `profiled.rs`). The first page is small, so the first rows show
//! at once; each next page is asked for as soon as the last one's headers arrive, while
//! its body comes in and is decoded (when the backend names it in a `Next-Cursor`
//! header); and a large range loads as two parts at once,
//! each following its own cursors (`sync_logs_core::split`), so two requests are in
//! flight rather than one.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use chrono::{DateTime, Utc};
use futures_util::future::{join, maybe_done, poll_fn, MaybeDone};
use sync_logs_core::split::{split_off_older, split_point, Arrivals};
use sync_logs_core::verify::{recheck_from, Unapplied};
use sync_logs_core::wire::{drop_duplicate_ids, DuplicateIds};
use sync_logs_core::{LogQuery, SyncLog};
use web_sys::AbortSignal;

use super::client::{
    first_rows, unreadable, ApiClient, LoadEvent, LoadOutcome, Resume, FIRST_PAGE_ROWS,
    NEXT_CURSOR_HEADER,
};
use super::sliced::{decode_page_into, SlicedError, SLICE_MS};
use super::transport::Answer;
use super::ApiError;
use crate::perf::Slice;

/// A load is split in two only when at least this many pages are left of it: below that,
/// the second part's first answer would come too late to save anything.
const MIN_SPLIT_PAGES: usize = 3;

/// A page's request on its way: its answer, after the retries.
type PageRequest<'a> = Pin<Box<dyn Future<Output = Result<Answer, ApiError>> + 'a>>;

/// A request asked for ahead: the cursor it starts at, and its answer (the request runs
/// in the browser whether or not this is polled; polling it reads the body). Dropped
/// unused, it is aborted.
struct Ahead<'a> {
    cursor: String,
    answer: Pin<Box<MaybeDone<PageRequest<'a>>>>,
    /// The `Next-Cursor` its answer named, once its headers arrived.
    heard: Heard,
}

/// The `Next-Cursor` a page's answer names, set when its headers arrive (before its
/// body is read).
type Heard = Rc<Cell<Option<String>>>;

/// One run of pages following each other's cursors: the whole load, or one of its two
/// parts.
struct Part<'a> {
    /// The filters of its requests; its cursors are passed back with them unchanged.
    query: LogQuery,
    cursor: Option<String>,
    /// The newer part keeps the rows after this instant and ends at the first page that
    /// holds one that is not.
    keep_after: Option<DateTime<Utc>>,
    /// The older part's cut (`to` of its query): a row after it means the backend ignores
    /// `to`, and the part is given up.
    bound: Option<DateTime<Utc>>,
    /// The older part: its rows go to the front of the load's [`Arrivals`], and are
    /// re-checked against the user's filters once it is known how many of them the load
    /// keeps (the newer part's are re-checked as they arrive).
    older: bool,
    /// Rows of the newer part's last page at or before the cut, kept in case the older
    /// part is given up.
    spill: Vec<SyncLog>,
    /// Rows the backend sent that the limit counts.
    sent: &'a Cell<usize>,
    /// No more rows to give: the last page, an empty page, or the cut reached.
    ended: bool,
    /// The backend sent a row after `bound`.
    ignored_bound: bool,
    ahead: Option<Ahead<'a>>,
}

impl<'a> Part<'a> {
    fn new(query: LogQuery, cursor: Option<String>, sent: &'a Cell<usize>) -> Part<'a> {
        Part {
            query,
            cursor,
            keep_after: None,
            bound: None,
            older: false,
            spill: Vec::new(),
            sent,
            ended: false,
            ignored_bound: false,
            ahead: None,
        }
    }
}

/// What every part of one load shares.
struct Loading<'a> {
    chosen: &'a LogQuery,
    signal: Option<&'a AbortSignal>,
    page_size: usize,
    on_event: RefCell<&'a mut dyn FnMut(LoadEvent)>,
    unapplied: RefCell<Unapplied>,
    /// The rows of both parts.
    arrivals: RefCell<Arrivals>,
    decoding: Turn,
    /// The vector every page is decoded into, one page at a time.
    page: RefCell<Vec<SyncLog>>,
    /// Rows received in all, for the progress bar.
    received: Cell<usize>,
    requests: Cell<usize>,
}

impl Loading<'_> {
    // Parts report from one task, never at the same moment.
    fn event(&self, event: LoadEvent) {
        (self.on_event.borrow_mut())(event);
    }

    /// Drops the rows from `start` on that the backend should have left out, and notes
    /// which filters it did not apply.
    fn recheck(&self, rows: &mut Vec<SyncLog>, start: usize) {
        let unapplied = recheck_from(self.chosen, rows, start);
        self.unapplied.borrow_mut().add(unapplied);
    }

    /// Adds the newer part's `items`, less those the backend should have left out.
    fn keep_newer(&self, items: &mut Vec<SyncLog>) {
        self.recheck(items, 0);
        self.arrivals.borrow_mut().push_newer(items.drain(..));
    }

    /// The newer part's rows alone (the older part's, if any, are left out).
    fn newer_rows(&self) -> Vec<SyncLog> {
        self.arrivals.take().into_newer()
    }
}

impl ApiClient {
    /// Loads up to `query.limit` records, following `next_cursor` page by page (at most
    /// `page_size` per request) and reporting the running count after each page, and each
    /// retry. Rows received before a failure or a cancel are returned with the error that
    /// stopped it.
    ///
    /// Every page is re-checked against `chosen`, the filters the user set (`query`
    /// without the default range the app adds on its own): rows the backend should have
    /// left out are dropped and named in [`LoadOutcome::unapplied`].
    ///
    /// With `resume` (from an earlier load of the same query), only the rows after it are
    /// loaded, up to the new limit.
    pub async fn load_logs(
        &self,
        query: &LogQuery,
        chosen: &LogQuery,
        page_size: u32,
        resume: Option<Resume>,
        signal: Option<&AbortSignal>,
        mut on_event: impl FnMut(LoadEvent),
    ) -> LoadOutcome {
        if let Some(profile) = self.scoped_profile().cloned() {
            return self
                .load_profiled(&profile, query, chosen, page_size, signal, &mut on_event)
                .await;
        }
        let total = query.limit as usize;
        let fresh = resume.is_none();
        // Rows the backend sent before this load (when continuing one), counted by the
        // limit, and the `to` its cursor was issued with.
        let (cursor, before, to) = match resume {
            Some(Resume {
                cursor,
                received,
                to,
            }) if received < total => (Some(cursor), received, to),
            _ => (None, 0, None),
        };
        let loading = Loading {
            chosen,
            signal,
            page_size: page_size.max(1) as usize,
            on_event: RefCell::new(&mut on_event),
            unapplied: RefCell::new(Unapplied::default()),
            arrivals: RefCell::new(Arrivals::default()),
            decoding: Turn::default(),
            page: RefCell::default(),
            received: Cell::new(0),
            requests: Cell::new(0),
        };
        let newer_sent = Cell::new(0);
        let older_sent = Cell::new(0);
        let start = LogQuery {
            to: to.or(query.to),
            ..query.clone()
        };
        let mut newer = Part::new(start, cursor, &newer_sent);
        let left = |sent: usize| total.saturating_sub(before + sent);
        let newer_wants = || left(newer_sent.get());

        if fresh {
            // The first page is small, so its rows show whatever the limit.
            let first = newer_wants().min(FIRST_PAGE_ROWS as usize);
            let after = newer_wants() - first;
            if let Err(error) = self.next_page(&mut newer, first, after, &loading).await {
                return failed(loading.newer_rows(), loading.unapplied.take(), error);
            }
            // Shown at once only when more pages follow.
            if !newer.ended && newer_wants() > 0 {
                let first = first_rows(loading.arrivals.borrow_mut().newer());
                loading.event(LoadEvent::FirstRows(first));
            }
        }
        if !newer.ended && newer_wants() > 0 {
            // Room for every row at once, for both parts, rather than growing by doubling
            // (wasm memory never shrinks, so the peak stays).
            let mut arrivals = loading.arrivals.borrow_mut();
            let room = arrivals.newer().len() + newer_wants();
            arrivals.reserve(room);
        }
        let cut = query
            .from
            .filter(|_| fresh && !newer.ended)
            .and_then(|from| {
                let min_rows = MIN_SPLIT_PAGES * loading.page_size;
                split_point(
                    loading.arrivals.borrow_mut().newer(),
                    from,
                    newer_wants(),
                    min_rows,
                )
            });
        let Some(cut) = cut else {
            // One part: the whole load.
            let outcome = self.pages(&mut newer, &newer_wants, &loading).await;
            return finish_newer(&newer, outcome, before, &loading).await;
        };

        // Two parts at once: the newer goes on from the first page's cursor and ends at the
        // cut; the older starts at the cut.
        newer.keep_after = Some(cut);
        let mut older = Part::new(
            LogQuery {
                to: Some(cut),
                ..query.clone()
            },
            None,
            &older_sent,
        );
        older.bound = Some(cut);
        older.older = true;
        // Once the newer part fails the older one's rows cannot be shown (they would
        // leave a gap), so it asks for no more.
        let newer_failed = Cell::new(false);
        let older_wants = || {
            if newer_failed.get() {
                0
            } else {
                left(newer_sent.get() + older_sent.get())
            }
        };
        let (newer_outcome, older_outcome) = join(
            async {
                let outcome = self.pages(&mut newer, &newer_wants, &loading).await;
                newer_failed.set(outcome.is_err());
                outcome
            },
            self.pages(&mut older, &older_wants, &loading),
        )
        .await;
        if let Err(error) = newer_outcome {
            return failed(loading.newer_rows(), loading.unapplied.take(), error);
        }
        if older.ignored_bound {
            // The backend ignores `to`: the newer part takes back the rows it set aside
            // and carries on alone.
            loading.arrivals.borrow_mut().drop_older();
            let mut spill = std::mem::take(&mut newer.spill);
            spill.truncate(newer_wants());
            newer.sent.set(newer.sent.get() + spill.len());
            loading.keep_newer(&mut spill);
            newer.keep_after = None;
            newer.ended = newer.cursor.is_none();
            let outcome = self.pages(&mut newer, &newer_wants, &loading).await;
            return finish_newer(&newer, outcome, before, &loading).await;
        }
        let room = newer_wants();
        if room == 0 {
            // The newer part alone filled the limit: the older part's rows are not needed.
            return finish_newer(&newer, Ok(()), before, &loading).await;
        }
        // The older part may have stopped while the newer one could still have filled
        // the limit: it goes on now that the room left is known.
        let older_outcome = match older_outcome {
            Ok(()) => self.pages(&mut older, &older_wants, &loading).await,
            error => error,
        };
        let arrivals = loading.arrivals.take();
        let cut_short = arrivals.older_len() > room;
        older.sent.set(arrivals.older_len().min(room));
        let (mut rows, start) = arrivals.join(room, cut);
        loading.recheck(&mut rows, start);
        let received = before + newer_sent.get() + older_sent.get();
        // Cut to the limit, the older part's cursor is past rows the load left out.
        finish(rows, &older, older_outcome, received, &loading, !cut_short).await
    }

    /// Asks for the pages of `part` until it ends or `wants` says the limit is met.
    async fn pages<'a>(
        &'a self,
        part: &mut Part<'a>,
        wants: &dyn Fn() -> usize,
        loading: &'a Loading<'a>,
    ) -> Result<(), ApiError> {
        while !part.ended && wants() > 0 {
            let size = wants().min(loading.page_size);
            self.next_page(part, size, wants() - size, loading).await?;
        }
        Ok(())
    }

    /// Asks for (or takes the answer asked for ahead of) the next page of `part`, of
    /// `size` rows, and reads it; when `after` more rows are wanted beyond it and the
    /// backend names the next page in a header, asks for that one as soon as the header
    /// arrives.
    async fn next_page<'a>(
        &'a self,
        part: &mut Part<'a>,
        size: usize,
        after: usize,
        loading: &'a Loading<'a>,
    ) -> Result<(), ApiError> {
        let (mut request, heard) = match part.ahead.take() {
            Some(ahead) if part.cursor.as_deref() == Some(ahead.cursor.as_str()) => {
                (ahead.answer, ahead.heard)
            }
            _ => self.fetch(&part.query, size, part.cursor.clone(), loading),
        };
        // A server that names the next page in a header is asked for it as soon as this
        // answer's headers arrive: the next request is on its way while this body is
        // still coming in and while it is decoded, instead of after.
        let ahead_size = after.min(loading.page_size);
        let mut next: Option<Ahead<'a>> = None;
        poll_fn(|cx| {
            let arrived = request.as_mut().poll(cx).is_ready();
            if next.is_none() && after > 0 {
                if let Some(at) = heard.take() {
                    let (answer, heard) =
                        self.fetch(&part.query, ahead_size, Some(at.clone()), loading);
                    next = Some(Ahead {
                        cursor: at,
                        answer,
                        heard,
                    });
                }
            }
            if let Some(next) = next.as_mut() {
                // Sends it; its answer is read whenever it is polled again.
                let _ = next.answer.as_mut().poll(cx);
            }
            if arrived {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
        part.ahead = next;
        let answer = request
            .as_mut()
            .take_output()
            .unwrap_or(Err(ApiError::Aborted))?;
        loading.requests.set(loading.requests.get() + 1);
        let sent_before = part.sent.get();
        // Decoded in slices, so the page asked for ahead is read meanwhile. One page of the
        // load at a time (the main thread decodes one at a time anyway): the other part's
        // answer waits in the browser rather than in wasm memory, and every page is decoded
        // into the same vector, so none leaves a page-sized hole between the rows' strings
        // (wasm memory never shrinks). The answer is dropped as soon as it is decoded.
        let mut items = loading.page.take();
        let decoded = {
            let _turn = loading.decoding.take().await;
            let decode =
                decode_page_into(answer.body(), &mut items, size, loading.signal, SLICE_MS);
            let mut decode = std::pin::pin!(decode);
            let ahead = &mut part.ahead;
            poll_fn(|cx| {
                if let Some(ahead) = ahead.as_mut() {
                    let _ = ahead.answer.as_mut().poll(cx);
                }
                decode.as_mut().poll(cx)
            })
            .await
        };
        let (next_cursor, _) = decoded.map_err(|err| match err {
            SlicedError::Aborted => ApiError::Aborted,
            SlicedError::Unreadable(detail) => unreadable(&answer, detail),
        })?;
        drop(answer);
        let received = items.len();
        items.truncate(size);
        if part
            .bound
            .is_some_and(|to| items.iter().any(|row| row.started_at > to))
        {
            part.ignored_bound = true;
            part.ended = true;
            part.ahead = None;
            return Ok(());
        }
        let reached_cut = match part.keep_after {
            Some(at) => {
                part.spill = split_off_older(&mut items, at);
                !part.spill.is_empty()
            }
            None => false,
        };
        part.sent.set(sent_before + items.len());
        loading.received.set(loading.received.get() + items.len());
        if part.older {
            loading.arrivals.borrow_mut().push_older(items.drain(..));
        } else {
            loading.keep_newer(&mut items);
        }
        *loading.page.borrow_mut() = items;
        loading.event(LoadEvent::Received(loading.received.get()));
        part.ended = reached_cut || received == 0 || next_cursor.is_none();
        if part.ended {
            part.ahead = None;
        }
        part.cursor = next_cursor;
        Ok(())
    }

    /// One page's request: `query` with `size` rows from `cursor`, after the retries;
    /// with the `Next-Cursor` its answer names, heard as soon as its headers arrive.
    fn fetch<'a>(
        &'a self,
        query: &LogQuery,
        size: usize,
        cursor: Option<String>,
        loading: &'a Loading<'a>,
    ) -> (Pin<Box<MaybeDone<PageRequest<'a>>>>, Heard) {
        let url = self.page_url(query, size as u32, cursor.as_deref());
        let heard = Heard::default();
        let hear = {
            let heard = heard.clone();
            move |headers: &gloo_net::http::Headers| {
                heard.set(headers.get(NEXT_CURSOR_HEADER).filter(|at| !at.is_empty()));
            }
        };
        let request: PageRequest<'a> = Box::pin(async move {
            self.get_ok_heard(
                &url,
                loading.signal,
                &mut |notice| loading.event(LoadEvent::Retrying(notice)),
                Some(&hear),
            )
            .await
        });
        (Box::pin(maybe_done(request)), heard)
    }
}

/// Work that one part of a load does at a time.
#[derive(Default)]
struct Turn {
    taken: Cell<bool>,
    waiting: RefCell<Vec<Waker>>,
}

impl Turn {
    /// Waits until no other part holds the turn, and holds it until the guard is dropped.
    async fn take(&self) -> TurnHeld<'_> {
        poll_fn(|cx| {
            if self.taken.replace(true) {
                self.waiting.borrow_mut().push(cx.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
        .await;
        TurnHeld(self)
    }
}

struct TurnHeld<'a>(&'a Turn);

impl Drop for TurnHeld<'_> {
    fn drop(&mut self) {
        self.0.taken.set(false);
        for waker in self.0.waiting.take() {
            waker.wake();
        }
    }
}

/// [`finish`] for a load that ends with the newer part's rows alone (one part, or the
/// older given up or not needed); `before` is what an earlier load already received.
async fn finish_newer(
    newer: &Part<'_>,
    outcome: Result<(), ApiError>,
    before: usize,
    loading: &Loading<'_>,
) -> LoadOutcome {
    let received = before + newer.sent.get();
    finish(
        loading.newer_rows(),
        newer,
        outcome,
        received,
        loading,
        true,
    )
    .await
}

/// Ids looked at between two looks at the clock when the rows of a load are put together.
const DUPLICATE_STEP: usize = 20_000;

/// The outcome of a load of `rows`, whose last part `part` was ended by `outcome`, after
/// the backend sent `received` rows the limit counts (with those of the loads it
/// continues); with `resumable`, a larger limit of the same query goes on from `part`'s
/// cursor, with the `to` it was issued with.
async fn finish(
    mut rows: Vec<SyncLog>,
    part: &Part<'_>,
    outcome: Result<(), ApiError>,
    received: usize,
    loading: &Loading<'_>,
    resumable: bool,
) -> LoadOutcome {
    if let Err(error) = outcome {
        return failed(rows, loading.unapplied.take(), error);
    }
    let duplicates = if loading.requests.get() > 1 {
        // The last page was decoded in this frame: the rows are put together in the
        // next, a slice at a time, and shown in a task of their own, so none of it makes
        // one long frame (a million ids take a few slices).
        crate::perf::after_paint().await;
        let mut finder = DuplicateIds::new(&rows);
        let mut slice = Slice::start(SLICE_MS);
        while finder.step(DUPLICATE_STEP) {
            slice.pause_if_over().await;
        }
        let keep = finder.finish();
        let duplicates = keep.apply(&mut rows);
        slice.next().await;
        duplicates
    } else {
        drop_duplicate_ids(&mut rows)
    };
    rows.shrink_to_fit();
    LoadOutcome {
        rows,
        error: None,
        duplicates,
        unapplied: loading.unapplied.take(),
        next: part
            .cursor
            .clone()
            .filter(|_| resumable && !part.ended)
            .map(|cursor| Resume {
                cursor,
                received,
                to: part.query.to,
            }),
        ..LoadOutcome::default()
    }
}
/// The outcome of a load stopped by `error`: the rows received before it, each once.
fn failed(mut rows: Vec<SyncLog>, unapplied: Unapplied, error: ApiError) -> LoadOutcome {
    let duplicates = drop_duplicate_ids(&mut rows);
    LoadOutcome {
        rows,
        error: Some(error),
        duplicates,
        unapplied,
        ..LoadOutcome::default()
    }
}
