//! The clock of the wasm benchmarks in the browser.

/// `performance.now()` of the page.
pub fn now() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .expect("a browser has performance");
    let now = js_sys::Reflect::get(&performance, &"now".into()).expect("performance.now");
    js_sys::Function::from(now)
        .call0(&performance)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or_default()
}
