//! A page of records read a slice at a time, so a large page can be decoded with the page
//! painting in between. The text is read once, front to back: the envelope up to the
//! `items` list, then as many records as the caller wants at a time, then the rest of the
//! envelope after the list. Slices decode to exactly what a [`SyncLogPage`] decodes in one
//! go from the same text, and a body that fails that fails here too, at the latest when
//! its last record is read: the caller discards the page's records on any error, so a
//! broken page is lost whole, never shown in part.
//!
//! The envelope's usual shape (an object, keys once each) is read as it streams past. On
//! anything else, and on the first error, the page falls back to reading its envelope
//! whole with each record kept as its raw text, which is how the error a user sees is the
//! one a whole-page decode gives, and how an unusual envelope still decodes exactly as in
//! one go. The text is the body read by [`body_text`](super::body_text).
//!
//! One difference, on purpose: a record is read with serde_json's nesting limit (128) of
//! its own, where in one go the two levels of the envelope count against it, so a record
//! nested 127 or 128 levels deep is a row with that field flagged here rather than a
//! failed page.
//!
//! [`SyncLogPage`]: super::SyncLogPage

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::SyncLog;

/// Why a page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The page as a whole is not a `GET /sync-logs` page: broken JSON, or no `items` list.
    #[error("{0}")]
    Envelope(serde_json::Error),
    /// Record `index` (from 0) could not be decoded.
    #[error("record {}: {error}", index + 1)]
    Record {
        index: usize,
        error: serde_json::Error,
    },
}

/// The envelope read whole, records as their raw text: the reading a page falls back to.
#[derive(Debug, Deserialize)]
struct WholeEnvelope<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
    #[serde(default)]
    next_cursor: Option<String>,
}

/// Where the reading of a page stands.
#[derive(Debug)]
enum Stage<'a> {
    /// In the `items` list: the next record, or the list's end, after this byte (`first`:
    /// nothing read from the list yet).
    Items { at: usize, first: bool },
    /// Every record read, and the envelope after them.
    Done,
    /// Records from the envelope read whole.
    Whole(Vec<&'a RawValue>),
}

/// A `GET /sync-logs` page whose records are being decoded.
#[derive(Debug)]
pub struct PageInSlices<'a> {
    text: &'a str,
    stage: Stage<'a>,
    /// Records decoded so far.
    decoded: usize,
    /// Envelope keys met so far (each may come once).
    items_seen: bool,
    cursor_seen: bool,
    /// As in [`SyncLogPage::next_cursor`](super::SyncLogPage::next_cursor); final once
    /// [`decode_next`](Self::decode_next) has said no records follow.
    pub next_cursor: Option<String>,
}

/// Something the streamed reading does not take; reading the page whole tells whether it
/// is an error, and which.
struct Unusual;

/// One value of type `T` at the start of `text` (after any white space) and the length
/// of text up to its end; `Unusual` for anything else, the end of the text included.
fn value_at<'a, T: Deserialize<'a>>(text: &'a str) -> Result<(T, usize), Unusual> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<T>();
    match values.next() {
        Some(Ok(value)) => Ok((value, values.byte_offset())),
        _ => Err(Unusual),
    }
}

/// The first byte of `text` from `at` on that is not JSON white space, and where it is.
fn next_byte(text: &str, at: usize) -> Result<(u8, usize), Unusual> {
    let bytes = text.as_bytes();
    let mut at = at;
    while let Some(&byte) = bytes.get(at) {
        if !matches!(byte, b' ' | b'\n' | b'\t' | b'\r') {
            return Ok((byte, at));
        }
        at += 1;
    }
    Err(Unusual)
}

/// Where the envelope's members stopped being read.
enum Member {
    /// The `items` list opened; its content starts at this byte.
    Items(usize),
    /// The envelope closed, and nothing but white space follows it.
    End,
}

impl<'a> PageInSlices<'a> {
    /// Reads the envelope of `text` up to its first record. Fails where decoding a
    /// `SyncLogPage` from it fails, when the fault lies before the list (no `items` list at
    /// all, say); any later fault fails [`decode_next`](Self::decode_next).
    ///
    /// Text, not bytes: from bytes, each record would be checked to be UTF-8 whole, where
    /// one go checks only the strings it decodes, and the two would part on a stray byte.
    pub fn read(text: &'a str) -> Result<PageInSlices<'a>, PageError> {
        let mut page = PageInSlices::empty(text);
        let opened = match next_byte(text, 0) {
            Ok((b'{', at)) => page.members(at + 1, true),
            _ => Err(Unusual),
        };
        match opened {
            Ok(Member::Items(at)) => {
                page.stage = Stage::Items { at, first: true };
                Ok(page)
            }
            // No list, or an envelope of another shape.
            Ok(Member::End) | Err(Unusual) => page.read_whole(),
        }
    }

    /// Reads the envelope's members from `at`: just inside its `{` (`first`), or just
    /// after a member's value.
    fn members(&mut self, mut at: usize, mut first: bool) -> Result<Member, Unusual> {
        let text = self.text;
        loop {
            let (byte, here) = next_byte(text, at)?;
            if byte == b'}' {
                return match next_byte(text, here + 1) {
                    Err(Unusual) => Ok(Member::End),
                    Ok(_) => Err(Unusual),
                };
            }
            if !first {
                if byte != b',' {
                    return Err(Unusual);
                }
                at = here + 1;
            }
            first = false;
            let (key, len) = value_at::<String>(&text[at..])?;
            let (colon, here) = next_byte(text, at + len)?;
            if colon != b':' {
                return Err(Unusual);
            }
            at = here + 1;
            match key.as_str() {
                "items" if !self.items_seen => {
                    self.items_seen = true;
                    return match next_byte(text, at)? {
                        (b'[', here) => Ok(Member::Items(here + 1)),
                        _ => Err(Unusual),
                    };
                }
                "next_cursor" if !self.cursor_seen => {
                    self.cursor_seen = true;
                    let (cursor, len) = value_at::<Option<String>>(&text[at..])?;
                    self.next_cursor = cursor;
                    at += len;
                }
                // A key met twice.
                "items" | "next_cursor" => return Err(Unusual),
                _ => at += value_at::<IgnoredAny>(&text[at..])?.1,
            }
        }
    }

    /// Reads the envelope whole, records as their raw text, and goes on after the
    /// records decoded so far: for an envelope of an unusual shape, and to name an error.
    fn read_whole(mut self) -> Result<PageInSlices<'a>, PageError> {
        let whole: WholeEnvelope<'a> =
            serde_json::from_str(self.text).map_err(PageError::Envelope)?;
        self.next_cursor = whole.next_cursor;
        self.stage = Stage::Whole(whole.items);
        Ok(self)
    }

    /// Decodes up to `n` more records onto `out`; returns whether more follow. A record
    /// never fails on its content (see [`SyncLog`]): an error is broken JSON, in a record
    /// or anywhere in the page, and then the records decoded are not to be used.
    pub fn decode_next(&mut self, n: usize, out: &mut Vec<SyncLog>) -> Result<bool, PageError> {
        let mut left = n;
        while left > 0 {
            let Stage::Items { at, first } = self.stage else {
                break;
            };
            match self.next_record(at, first) {
                Ok(Some((row, next))) => {
                    out.push(row);
                    self.decoded += 1;
                    left -= 1;
                    self.stage = Stage::Items {
                        at: next,
                        first: false,
                    };
                }
                Ok(None) => self.stage = Stage::Done,
                Err(Unusual) => {
                    let page = std::mem::replace(self, PageInSlices::empty(self.text));
                    *self = page.read_whole()?;
                }
            }
        }
        let Stage::Whole(items) = &self.stage else {
            return Ok(matches!(self.stage, Stage::Items { .. }));
        };
        let end = items.len().min(self.decoded + left);
        let start = self.decoded.min(end);
        for (index, item) in items.iter().enumerate().take(end).skip(start) {
            let row = serde_json::from_str(item.get())
                .map_err(|error| PageError::Record { index, error })?;
            out.push(row);
            self.decoded += 1;
        }
        Ok(self.decoded < items.len())
    }

    /// Reads what follows `at` in the list: a record (and the byte after it), or the
    /// list's end and the rest of the envelope (`None`).
    fn next_record(&mut self, at: usize, first: bool) -> Result<Option<(SyncLog, usize)>, Unusual> {
        let text = self.text;
        let (byte, here) = next_byte(text, at)?;
        if byte == b']' {
            return match self.members(here + 1, false)? {
                Member::End => Ok(None),
                Member::Items(_) => Err(Unusual),
            };
        }
        let start = match (first, byte) {
            (true, _) => here,
            (false, b',') => here + 1,
            _ => return Err(Unusual),
        };
        let (row, len) = value_at::<SyncLog>(&text[start..])?;
        Ok(Some((row, start + len)))
    }

    fn empty(text: &'a str) -> PageInSlices<'a> {
        PageInSlices {
            text,
            stage: Stage::Done,
            decoded: 0,
            items_seen: false,
            cursor_seen: false,
            next_cursor: None,
        }
    }
}

#[cfg(test)]
mod tests;
