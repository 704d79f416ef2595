//! Which characters each row's search text holds, as one 64-bit set per row: built after
//! every load (8 bytes a row, against about 100 for the search text itself), it decides
//! a one-letter search without reading a row's columns, and rules out, for any search,
//! the rows that lack one of its characters.
//!
//! A letter (`a`–`z`, either case) and a digit each have a bit of their own; every other
//! byte of the lowercase search text shares one of the remaining 28 bits. A row can hold
//! a needle only if its set has every bit of the needle's, and holds a needle of one
//! letter or digit exactly when its set has that bit.

use crate::columns::{searched, Column};
use crate::wire::SyncLog;

/// The bits of the bytes of a row's search text (see [`bit`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowChars {
    sets: Vec<u64>,
}

/// Bits given to letters and digits, one each; the other bytes share the rest.
const OWN_BITS: u32 = 36;

/// The bit of byte `b` of a lowercase search text. An uppercase ASCII letter has its
/// lowercase letter's bit, so a column's ASCII text needs no lowercasing first.
const fn bit(b: u8) -> u64 {
    1 << match b {
        b'a'..=b'z' => (b - b'a') as u32,
        b'A'..=b'Z' => (b - b'A') as u32,
        b'0'..=b'9' => 26 + (b - b'0') as u32,
        _ => OWN_BITS + b as u32 % (64 - OWN_BITS),
    }
}

const BITS: [u64; 256] = {
    let mut bits = [0; 256];
    let mut b = 0;
    while b < 256 {
        bits[b] = bit(b as u8);
        b += 1;
    }
    bits
};

fn set_of(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |set, &b| set | BITS[b as usize])
}

/// What the sets tell of a needle.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NeedleBits {
    set: u64,
    /// The needle is one letter or digit: a row's set decides it.
    exact: bool,
}

impl NeedleBits {
    /// `needle`: the lowercase search.
    pub(crate) fn of(needle: &str) -> NeedleBits {
        let exact = matches!(needle.as_bytes(), [b'a'..=b'z' | b'0'..=b'9']);
        NeedleBits {
            set: set_of(needle.as_bytes()),
            exact,
        }
    }
}

impl RowChars {
    pub fn build(rows: &[SyncLog]) -> RowChars {
        let mut builder = RowCharsBuilder::new(rows.len());
        builder.extend(rows);
        builder.finish()
    }

    /// The rows covered.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether row `i` holds `needle`, when its set decides that: `Some(false)` when the
    /// row lacks one of the needle's characters, `Some(true)` when the needle is one
    /// letter or digit that the row has; `None` when the text must be looked at (or the
    /// row is not covered).
    pub(crate) fn decide(&self, i: usize, needle: NeedleBits) -> Option<bool> {
        let set = *self.sets.get(i)?;
        if set & needle.set != needle.set {
            Some(false)
        } else {
            needle.exact.then_some(true)
        }
    }
}

/// [`RowChars`] built a slice of rows at a time, in load order.
#[derive(Debug)]
pub struct RowCharsBuilder {
    sets: Vec<u64>,
    columns: Vec<Column>,
}

impl RowCharsBuilder {
    /// `rows`: how many rows there will be (room is made for them at once).
    pub fn new(rows: usize) -> RowCharsBuilder {
        RowCharsBuilder {
            sets: Vec::with_capacity(rows),
            columns: searched(),
        }
    }

    /// Rows done so far: the next slice starts at this row.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Adds the next rows.
    pub fn extend(&mut self, rows: &[SyncLog]) {
        // The fields are separated in the search text (`push_search_text`).
        let separators = match self.columns.len() {
            0 | 1 => 0,
            _ => BITS[0x1f],
        };
        for row in rows {
            let mut set = separators;
            for column in &self.columns {
                let value = column.value(row);
                let text = value.text();
                set |= if text.is_ascii() {
                    set_of(text.as_bytes())
                } else {
                    set_of(text.to_lowercase().as_bytes())
                };
            }
            self.sets.push(set);
        }
    }

    pub fn finish(self) -> RowChars {
        RowChars { sets: self.sets }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_and_digits_have_bits_of_their_own() {
        let own: Vec<u64> = (b'a'..=b'z').chain(b'0'..=b'9').map(bit).collect();
        for (n, b) in own.iter().enumerate() {
            assert_eq!(b.count_ones(), 1);
            assert!(own[n + 1..].iter().all(|other| other != b));
            // No other byte shares it.
            let shared = (0..=255u8)
                .filter(|c| !c.is_ascii_alphanumeric())
                .any(|c| bit(c) == *b);
            assert!(!shared, "{n}");
        }
        assert_eq!(bit(b'Q'), bit(b'q'));
    }

    #[test]
    fn a_needle_of_one_letter_or_digit_is_decided() {
        assert!(NeedleBits::of("c").exact);
        assert!(NeedleBits::of("7").exact);
        assert!(!NeedleBits::of("co").exact);
        assert!(!NeedleBits::of("-").exact);
        assert!(!NeedleBits::of("é").exact);
    }
}
