//! The hasher of the short keys the decode path looks up for every record (names, ids).
//!
//! FxHash rather than std's SipHash: a few times faster on short strings, which shows at
//! four names and one id a record. It is seeded from std's own random state (the keys
//! SipHash would have used), so a backend that wants keys to collide has as much to
//! guess as before.

use std::hash::BuildHasher;

use rustc_hash::FxSeededState;

/// A hasher state for a table of keys the backend chose.
pub(crate) fn key_state() -> FxSeededState {
    let seed = std::collections::hash_map::RandomState::new().hash_one(0_u8);
    FxSeededState::with_seed(seed as usize)
}
