//! One HTTP exchange with a deadline: the request and the reading of its body share one
//! `AbortController`, aborted when the deadline passes or when the caller's signal fires
//! (a newer query, a page that went away). Which of the two it was decides the error:
//! [`ApiError::Timeout`] or [`ApiError::Aborted`].

use std::{
    cell::{Cell, OnceCell},
    rc::Rc,
    time::Duration,
};

use chrono::Utc;
use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use sync_logs_core::retry::{parse_retry_after, TryOutcome};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{AbortController, AbortSignal};

use super::{ApiError, NetworkFailure};

thread_local! {
    /// A bearer token handed over by the host portal (`docs/embedding.md`); in memory
    /// only, never stored.
    static BEARER: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Sets (or, with `None`, forgets) the bearer token sent with every API request.
pub fn set_bearer_token(token: Option<String>) {
    BEARER.with(|slot| *slot.borrow_mut() = token);
}

/// `Authorization` for the token in force, if any.
pub(crate) fn authorization() -> Option<String> {
    BEARER.with(|slot| slot.borrow().as_ref().map(|t| format!("Bearer {t}")))
}

/// A complete answer, whatever its status.
pub(crate) struct Answer {
    pub status: u16,
    pub ok: bool,
    /// The body as received, in the chunks the browser read it in, held in the browser's
    /// memory until it is first read: a page that waits its turn to be decoded (asked for
    /// ahead) holds no wasm memory, which keeps its high-water mark for good.
    held: Vec<js_sys::Uint8Array>,
    /// The body's length, the sum of the chunks'.
    length: usize,
    body: OnceCell<Vec<u8>>,
    pub retry_after: Option<Duration>,
    /// The response headers (those CORS exposes), for paging and totals.
    pub headers: Option<gloo_net::http::Headers>,
}

impl Answer {
    /// One response header, if present and exposed.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.as_ref()?.get(name)
    }

    /// The body's bytes, copied into wasm memory the first time they are asked for: one
    /// allocation of the whole length, each chunk copied straight into its place.
    pub fn body(&self) -> &[u8] {
        self.body.get_or_init(|| {
            let mut bytes = Vec::with_capacity(self.length);
            for chunk in &self.held {
                let at = bytes.len();
                let more = chunk.length() as usize;
                chunk.copy_to_uninit(&mut bytes.spare_capacity_mut()[..more]);
                // SAFETY: the `more` bytes after `at` were just written by `copy_to_uninit`
                // (it fills the whole slice it is given, and that slice is in capacity).
                unsafe { bytes.set_len(at + more) };
            }
            bytes
        })
    }
}

/// A try that got no complete answer, with what the retry policy needs to know.
pub(crate) struct NoAnswer {
    /// `None` when the try must not be repeated (aborted, timed out).
    pub outcome: Option<TryOutcome>,
    pub error: ApiError,
}

/// What a caller is told of a 2xx answer as soon as its headers arrive, before its body
/// is read (a page's `Next-Cursor`, so the next page is asked for meanwhile).
pub(crate) type OnHeaders<'h> = Option<&'h dyn Fn(&gloo_net::http::Headers)>;

/// Sends the request `build` makes for the given signal and reads its whole body,
/// giving up after `timeout_ms` (0: no deadline). `on_headers` hears a 2xx answer's
/// headers before its body is read.
pub(crate) async fn exchange(
    build: impl FnOnce(&AbortSignal) -> Result<Request, gloo_net::Error>,
    caller: Option<&AbortSignal>,
    timeout_ms: u32,
    on_headers: OnHeaders<'_>,
) -> Result<Answer, NoAnswer> {
    let aborted = || NoAnswer {
        outcome: None,
        error: ApiError::Aborted,
    };
    if caller.is_some_and(AbortSignal::aborted) {
        return Err(aborted());
    }
    let Ok(controller) = AbortController::new() else {
        return Err(NoAnswer {
            outcome: None,
            error: ApiError::Network {
                kind: NetworkFailure::NotSent,
                detail: "AbortController is not available".into(),
            },
        });
    };
    let signal = controller.signal();
    let timed_out = Rc::new(Cell::new(false));
    let _deadline = (timeout_ms > 0).then(|| {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    });
    let _forward = caller.map(|caller| Forward::new(caller, controller.clone()));
    let mut guard = AbortUnlessDone {
        controller: controller.clone(),
        done: false,
    };

    let failed = |kind: NetworkFailure, detail: String| {
        if timed_out.get() {
            NoAnswer {
                outcome: None,
                error: ApiError::Timeout {
                    seconds: timeout_ms.div_ceil(1000),
                },
            }
        } else if signal.aborted() {
            aborted()
        } else {
            NoAnswer {
                outcome: Some(TryOutcome::NoAnswer),
                error: ApiError::Network { kind, detail },
            }
        }
    };
    let request = build(&signal).map_err(|err| failed(NetworkFailure::NotSent, err.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|err| failed(NetworkFailure::Unreachable, err.to_string()))?;
    let status = response.status();
    let headers = response.headers();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| parse_retry_after(&value, Utc::now()));
    let cut_off = |err: wasm_bindgen::JsValue| {
        let detail = err.dyn_ref::<js_sys::Error>().map_or_else(
            || "the body could not be read".to_owned(),
            |e| e.message().into(),
        );
        failed(NetworkFailure::CutOff, detail)
    };
    let raw: web_sys::Response = response.into();
    if let Some(hear) = on_headers.filter(|_| raw.ok()) {
        hear(&headers);
    }
    let (held, length) = read_chunks(&raw).await.map_err(cut_off)?;
    guard.done = true;
    Ok(Answer {
        status,
        ok: raw.ok(),
        held,
        length,
        body: OnceCell::new(),
        retry_after,
        headers: Some(headers),
    })
}

/// Reads a response's body chunk by chunk as it arrives, keeping the chunks as the
/// browser gave them. Not `arrayBuffer()`: that joins a large body into one buffer in a
/// single task when its last byte arrives (30 to 45 ms for a page of 10,000 records here,
/// a frame the page cannot paint or take input in), where a chunk at a time keeps every
/// task short. An error while reading (the connection cut, the request aborted) is the
/// read's rejection.
async fn read_chunks(
    response: &web_sys::Response,
) -> Result<(Vec<js_sys::Uint8Array>, usize), wasm_bindgen::JsValue> {
    let Some(stream) = response.body() else {
        return Ok((Vec::new(), 0));
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut chunks = Vec::new();
    let mut length = 0;
    loop {
        let read: web_sys::ReadableStreamReadResult =
            wasm_bindgen_futures::JsFuture::from(reader.read())
                .await?
                .unchecked_into();
        if read.get_done().unwrap_or(true) {
            return Ok((chunks, length));
        }
        let chunk: js_sys::Uint8Array = read.get_value().dyn_into()?;
        length += chunk.length() as usize;
        chunks.push(chunk);
    }
}

/// Aborts `target` when `caller` aborts, for as long as it lives. A listener, not the
/// signal's `onabort`: several requests of one load (pages asked for ahead, the two
/// parts of a split load) share the caller's signal, and each must hear it.
struct Forward {
    caller: AbortSignal,
    handler: Closure<dyn FnMut()>,
}

impl Forward {
    fn new(caller: &AbortSignal, target: AbortController) -> Forward {
        let handler = Closure::<dyn FnMut()>::new(move || target.abort());
        let _ = caller.add_event_listener_with_callback("abort", handler.as_ref().unchecked_ref());
        Forward {
            caller: caller.clone(),
            handler,
        }
    }
}

impl Drop for Forward {
    fn drop(&mut self) {
        let _ = self
            .caller
            .remove_event_listener_with_callback("abort", self.handler.as_ref().unchecked_ref());
    }
}

/// Aborts a request whose exchange is dropped before it ends (a page asked for ahead
/// that the load no longer needs), so it stops using the network and the backend.
struct AbortUnlessDone {
    controller: AbortController,
    done: bool,
}

impl Drop for AbortUnlessDone {
    fn drop(&mut self) {
        if !self.done {
            self.controller.abort();
        }
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::{read_chunks, Answer};

    wasm_bindgen_test_configure!(run_in_browser);

    /// A response whose body streams `chunks` (lists of bytes) one read at a time, then
    /// ends, or fails with a network error when `fail` is set.
    fn streamed(chunks: &str, fail: bool) -> web_sys::Response {
        let source = format!(
            "const chunks = {chunks}.map((c) => new Uint8Array(c));
             return new Response(new ReadableStream({{ pull(c) {{
               if (chunks.length) c.enqueue(chunks.shift());
               else if ({fail}) c.error(new TypeError('network error'));
               else c.close();
             }} }}));"
        );
        js_sys::Function::new_no_args(&source)
            .call0(&JsValue::NULL)
            .expect("a Response")
            .unchecked_into()
    }

    fn answer(held: Vec<js_sys::Uint8Array>, length: usize) -> Answer {
        Answer {
            status: 200,
            ok: true,
            held,
            length,
            body: Default::default(),
            retry_after: None,
            headers: None,
        }
    }

    #[wasm_bindgen_test]
    async fn a_body_read_in_chunks_is_the_bytes_sent_in_order() {
        let response = streamed("[[123, 34], [97, 34, 58], [], [49, 125]]", false);
        let (held, length) = read_chunks(&response).await.expect("read");
        assert_eq!(held.len(), 4);
        assert_eq!(length, 7);
        assert_eq!(answer(held, length).body(), br#"{"a":1}"#);
    }

    #[wasm_bindgen_test]
    async fn an_empty_body_is_no_chunks() {
        let (held, length) = read_chunks(&streamed("[]", false)).await.expect("read");
        assert!(held.is_empty());
        assert_eq!(answer(held, length).body(), b"");
        let bodiless = web_sys::Response::new_with_opt_str_and_init(None, &Default::default())
            .expect("a Response");
        let (held, length) = read_chunks(&bodiless).await.expect("read");
        assert_eq!((held.len(), length), (0, 0));
    }

    #[wasm_bindgen_test]
    async fn a_body_cut_part_way_is_an_error() {
        let response = streamed("[[123, 34], [97]]", true);
        let err = read_chunks(&response).await.expect_err("cut");
        let message = err
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()));
        assert_eq!(message.as_deref(), Some("network error"));
    }
}
