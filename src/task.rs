//! Starting asynchronous work without waiting for the current task to end.

use std::future::Future;
use std::task::{Context, Waker};

use leptos::prelude::untrack;
use leptos::task::spawn_local;

/// Runs `work` up to its first wait at once, in the caller's task, and the rest as a
/// task of its own (as [`spawn_local`] does with all of it).
///
/// A request `work` sends is then on its way before the caller returns: a page that
/// starts its load while it builds its view has the backend answering while the view
/// is built, instead of asking only once the view is done. Signals `work` reads before
/// its first wait are read untracked, as they would be in a task of its own.
pub fn start_now(work: impl Future<Output = ()> + 'static) {
    let mut work = Box::pin(work);
    // Nothing needs waking yet: the task below polls the work again right away, and a
    // future registers the waker of its latest poll.
    let mut now = Context::from_waker(Waker::noop());
    if untrack(|| work.as_mut().poll(&mut now)).is_pending() {
        spawn_local(work);
    }
}
