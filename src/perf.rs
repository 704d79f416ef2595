//! User Timing marks around the work the benchmark profiles (`bench/`): each named
//! measure is replaced on every run, so a long session keeps one entry per name.

/// Times `work` as the User Timing measure `name` (e.g. `sync-logs:refine`).
pub fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return work();
    };
    let start = format!("{name}:start");
    let _ = performance.mark(&start);
    let out = work();
    finish(&performance, name, &start);
    out
}

/// A measure begun now and ended by [`Span::end`], for work that spans tasks.
pub struct Span {
    name: &'static str,
    start: String,
}

impl Span {
    pub fn begin(name: &'static str) -> Span {
        let start = format!("{name}:start");
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark(&start);
        }
        Span { name, start }
    }

    pub fn end(self) {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            finish(&p, self.name, &self.start);
        }
    }
}

fn finish(performance: &web_sys::Performance, name: &str, start: &str) {
    performance.clear_measures_with_measure_name(name);
    let _ = performance.measure_with_start_mark(name, start);
    performance.clear_marks_with_mark_name(start);
}

/// Milliseconds since the page started (`performance.now()`), 0 without a window.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the browser run what waits (input, a frame that is due) before the work goes
/// on: the rest runs in a task of its own, without waiting for a frame. The task is a
/// message to the page itself, not a zero timeout: the browser makes a timeout set from
/// a chain of five or more wait at least 4 ms, which at 1,000,000 rows made background
/// work of 0.4 s take 0.8 s.
pub async fn next_task() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        // Without a channel, or if the message cannot be sent: go on at once.
        let go_on = resolve.clone();
        let Ok(channel) = web_sys::MessageChannel::new() else {
            let _ = go_on.call0(&JsValue::NULL);
            return;
        };
        let (receiver, sender) = (channel.port1(), channel.port2());
        // The handler owns the channel, so it lives until its message arrives.
        let on_message = Closure::once_into_js(move || {
            drop(channel);
            let _ = resolve.call0(&JsValue::NULL);
        });
        receiver.set_onmessage(Some(on_message.unchecked_ref()));
        if sender.post_message(&JsValue::NULL).is_err() {
            let _ = go_on.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Work done in slices: the clock of the current slice, so long work lets the browser
/// paint and take input once a slice has held it `ms`.
pub struct Slice {
    ms: f64,
    started: f64,
}

impl Slice {
    /// A first slice, starting now, of at most `ms`.
    pub fn start(ms: f64) -> Slice {
        Slice { ms, started: now() }
    }

    /// Whether this slice has held the browser its time.
    pub fn is_over(&self) -> bool {
        now() - self.started >= self.ms
    }

    /// Lets the browser run what waits ([`next_task`]), then starts the next slice.
    pub async fn next(&mut self) {
        next_task().await;
        self.started = now();
    }

    /// [`next`](Self::next) when this slice is over; returns whether it paused.
    pub async fn pause_if_over(&mut self) -> bool {
        if !self.is_over() {
            return false;
        }
        self.next().await;
        true
    }
}

/// Resolves once the browser has painted a frame (an animation frame, then a task after
/// it), so the work after it starts a frame of its own instead of making one long frame
/// with the work before. In a hidden tab, where no frame comes, after at most 100 ms.
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        leptos::prelude::request_animation_frame(move || {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback(&resolve);
            }
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
