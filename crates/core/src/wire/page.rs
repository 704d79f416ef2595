//! A page of records read in two steps, so a large page can be decoded a slice at a time
//! with the page painting in between: first the envelope, where each record is only
//! checked to be well-formed JSON and kept as its text, then the records, as many at a
//! time as the caller wants. Slices decode to exactly what a [`SyncLogPage`] decodes
//! in one go from the same text, and a body that would fail that fails the first step.
//! The text is the body read by [`body_text`](super::body_text).
//!
//! [`SyncLogPage`]: super::SyncLogPage

use serde::Deserialize;
use serde_json::value::RawValue;

use super::SyncLog;

/// A `GET /sync-logs` page whose records are not decoded yet.
#[derive(Debug, Deserialize)]
pub struct PageInSlices<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
    /// As in [`SyncLogPage::next_cursor`](super::SyncLogPage::next_cursor).
    #[serde(default)]
    pub next_cursor: Option<String>,
}

impl<'a> PageInSlices<'a> {
    /// Reads the envelope of `text`. Fails exactly where decoding a `SyncLogPage` from
    /// it would: broken JSON, or no `items` array.
    ///
    /// Text, not bytes: from bytes, each record would be checked to be UTF-8 whole, where
    /// one go checks only the strings it decodes, and the two would part on a stray byte.
    pub fn read(text: &'a str) -> Result<PageInSlices<'a>, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// How many records the page holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Decodes the records in `range` onto `out`. A record never fails on its content
    /// (see [`SyncLog`]); an error here means the text of record `range.start + k` did.
    pub fn decode_into(
        &self,
        range: std::ops::Range<usize>,
        out: &mut Vec<SyncLog>,
    ) -> Result<(), serde_json::Error> {
        let items = &self.items[range.start.min(self.len())..range.end.min(self.len())];
        out.reserve(items.len());
        for item in items {
            out.push(serde_json::from_str(item.get())?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
