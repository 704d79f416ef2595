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
    /// The body as received, in the browser's memory until it is first read: a page that
    /// waits its turn to be decoded (asked for ahead) holds no wasm memory, which keeps
    /// its high-water mark for good.
    held: js_sys::Uint8Array,
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

    /// The body's bytes, copied into wasm memory the first time they are asked for.
    pub fn body(&self) -> &[u8] {
        self.body.get_or_init(|| self.held.to_vec())
    }
}

/// A try that got no complete answer, with what the retry policy needs to know.
pub(crate) struct NoAnswer {
    /// `None` when the try must not be repeated (aborted, timed out).
    pub outcome: Option<TryOutcome>,
    pub error: ApiError,
}

/// Sends the request `build` makes for the given signal and reads its whole body,
/// giving up after `timeout_ms` (0: no deadline).
pub(crate) async fn exchange(
    build: impl FnOnce(&AbortSignal) -> Result<Request, gloo_net::Error>,
    caller: Option<&AbortSignal>,
    timeout_ms: u32,
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
    let buffer = raw.array_buffer().map_err(cut_off)?;
    let held = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map(|buffer| js_sys::Uint8Array::new(&buffer))
        .map_err(cut_off)?;
    guard.done = true;
    Ok(Answer {
        status,
        ok: raw.ok(),
        held,
        body: OnceCell::new(),
        retry_after,
        headers: Some(headers),
    })
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
