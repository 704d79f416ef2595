//! Cancellation of superseded requests: each new request through a slot aborts the one
//! before it, so a slow old answer can never overwrite a newer one, and a page that goes
//! away aborts what it still has in flight.

use std::cell::RefCell;

use web_sys::{AbortController, AbortSignal};

/// Holds the controller of the latest request made through it.
#[derive(Debug, Default)]
pub struct AbortSlot(RefCell<Option<AbortController>>);

impl AbortSlot {
    /// Aborts the previous request and returns the signal for the next one.
    /// `None` only where the browser has no `AbortController`.
    pub fn renew(&self) -> Option<AbortSignal> {
        self.abort();
        let controller = AbortController::new().ok()?;
        let signal = controller.signal();
        *self.0.borrow_mut() = Some(controller);
        Some(signal)
    }

    /// Aborts the request in flight, if any.
    pub fn abort(&self) {
        if let Some(controller) = self.0.borrow_mut().take() {
            controller.abort();
        }
    }
}
