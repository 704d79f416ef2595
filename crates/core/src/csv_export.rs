//! CSV export of exactly the rows shown: the shown columns in the shown order, RFC 4180
//! quoting, UTF-8 with a byte-order mark (so Excel reads accents and emoji), timestamps
//! in ISO 8601 in the shown zone (named in the header), unknown statuses verbatim.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@` (or their full-width forms
//! `＝ ＋ － ＠`), tab, CR or LF as a formula, also after leading spaces (NBSP and U+3000
//! included); and Excel in a locale whose list separator is `;` (German, French) splits
//! an unquoted line on `;`, so `x;=1+1` would start a cell with `=`. Following OWASP, a
//! cell whose first character after any leading `'`s and spaces is a trigger, or that
//! has a trigger after a `;` (and any spaces), is written with a leading `'`; and every
//! field is quoted, so no spreadsheet splits one on `;`. To undo it (see `docs/csv.md`),
//! strip one leading `'` when the rest of the cell is one the rule applies to.
//!
//! Built incrementally ([`CsvExport::push`]) so the app can write 100,000 rows in chunks
//! and keep the page responsive.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, Timelike, Utc};

use crate::columns::{Column, ColumnDef, Value};
use crate::wire::SyncLog;

/// The UTF-8 byte-order mark Excel needs to read the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first characters that make a spreadsheet evaluate a cell.
pub const FORMULA_TRIGGERS: [char; 11] = [
    '=', '+', '-', '@', '\t', '\r', '\n', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// Whether the first character of `text` after any `'`s and spaces is a trigger. Looking
/// past the quotes keeps the prefix reversible for cells that already begin with `'`.
fn starts_a_formula(text: &str) -> bool {
    // Most cells start with a letter or a digit: decided by the first byte.
    match text.as_bytes().first() {
        None => return false,
        Some(b) if b.is_ascii_alphanumeric() => return false,
        _ => {}
    }
    for c in text.chars() {
        if FORMULA_TRIGGERS.contains(&c) {
            return true;
        }
        if c != '\'' && !c.is_whitespace() {
            return false;
        }
    }
    false
}

/// Whether a spreadsheet could run `cell` or a part of it after a `;`.
fn triggers(cell: &str) -> bool {
    starts_a_formula(cell) || (cell.contains(';') && cell.split(';').skip(1).any(starts_a_formula))
}

/// Neutralises a cell a spreadsheet would run as a formula by prefixing one `'`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if triggers(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Undoes [`neutralise`], the rule documented for readers of the file: strip one leading
/// `'` when the first character after the remaining leading `'`s is a trigger.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if triggers(rest) => rest,
        _ => cell,
    }
}

/// An export being written.
pub struct CsvExport {
    /// The bytes written since the last [`CsvExport::take`].
    out: Vec<u8>,
    /// The definitions of the columns written, looked up once.
    columns: Vec<&'static ColumnDef>,
    offset: FixedOffset,
    rows: usize,
}

impl CsvExport {
    /// Starts a file with the BOM and the header row. `offset` is the zone times are shown
    /// in, `zone_label` its name for the Started header (e.g. `UTC`).
    pub fn new(columns: &[Column], offset: FixedOffset, zone_label: &str) -> CsvExport {
        let mut export = CsvExport {
            out: BOM.to_vec(),
            columns: columns.iter().map(|c| c.def()).collect(),
            offset,
            rows: 0,
        };
        // Labels of a profile's extra columns come from configuration: the same rule.
        for (i, column) in columns.iter().enumerate() {
            export.field(i, &neutralise(&column.header(zone_label)));
        }
        export.out.extend_from_slice(b"\r\n");
        export
    }

    /// Writes one field, quoted (RFC 4180: a `"` inside is doubled), after a comma
    /// unless it is the first of its record. Every field is quoted, so one with `;`
    /// stays one cell where `;` separates them.
    fn field(&mut self, index: usize, text: &str) {
        field(&mut self.out, index, text);
    }

    /// Appends rows. Cells are borrowed from the rows and written field by field: no
    /// per-row allocation beyond the formatted time.
    pub fn push<'a>(&mut self, rows: impl IntoIterator<Item = &'a SyncLog>) {
        for row in rows {
            let out = &mut self.out;
            for (i, column) in self.columns.iter().enumerate() {
                let value = column.read(row);
                if let Value::Time(at) = value {
                    // A time the backend sent unreadable is exported as it arrived.
                    if let Some(flag) = row.flags.get(column.field) {
                        field(out, i, &neutralise(&flag.raw));
                        continue;
                    }
                    // Times are the one cell that is formatted, not borrowed: on the stack.
                    let mut buf = [0u8; TIME_LEN];
                    let text = rfc3339(at, self.offset, &mut buf);
                    field(out, i, &text);
                    continue;
                }
                field(out, i, &neutralise(&value.text()));
            }
            self.out.extend_from_slice(b"\r\n");
            self.rows += 1;
        }
    }

    /// Rows written so far (without the header).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The bytes written since the last call (the first time: BOM, header and rows), so
    /// a long file can be handed over piece by piece instead of held whole.
    pub fn take(&mut self) -> Vec<u8> {
        // The next chunk is about as long: room for it at once, not by doubling.
        let room = self.out.len() + self.out.len() / 8;
        std::mem::replace(&mut self.out, Vec::with_capacity(room))
    }

    /// The rest of the file's bytes (all of them if [`CsvExport::take`] was never called).
    pub fn finish(mut self) -> Vec<u8> {
        self.take()
    }
}

/// Writes one field to `out`, quoted (RFC 4180: a `"` inside is doubled), after a comma
/// unless it is the first of its record (`index` 0).
fn field(out: &mut Vec<u8>, index: usize, text: &str) {
    if index > 0 {
        out.push(b',');
    }
    out.push(b'"');
    let mut rest = text.as_bytes();
    while let Some(at) = rest.iter().position(|&b| b == b'"') {
        out.extend_from_slice(&rest[..=at]);
        out.push(b'"');
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// A file name naming the view and the time: `sync-logs_<instance or all>_<from>_<to>.csv`.
pub fn file_name(instance: Option<&str>, from: &str, to: &str) -> String {
    let safe = |text: &str| -> String {
        let cleaned: String = text
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        cleaned
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    let instance = instance
        .map(safe)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "all".into());
    format!("sync-logs_{instance}_{}_{}.csv", safe(from), safe(to))
}

/// Room for the longest time [`rfc3339`] writes: `2026-11-20T10:00:05.123456789+05:30`.
const TIME_LEN: usize = 35;

/// `at` in the zone `offset` as RFC 3339, exactly as chrono's
/// `to_rfc3339_opts(SecondsFormat::AutoSi, true)` writes it (fraction only when there is
/// one, in 3, 6 or 9 digits; `Z` for UTC), without allocating. Years outside 0–9999,
/// leap seconds and offsets with seconds are handed to chrono.
fn rfc3339(at: DateTime<Utc>, offset: FixedOffset, buf: &mut [u8; TIME_LEN]) -> Cow<'_, str> {
    let local = at.with_timezone(&offset);
    let nanos = local.nanosecond();
    let shift = offset.local_minus_utc();
    if !(0..=9999).contains(&local.year()) || nanos >= 1_000_000_000 || shift % 60 != 0 {
        return Cow::Owned(local.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    fn digits(buf: &mut [u8], at: usize, value: u32, width: usize) -> usize {
        let mut v = value;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        at + width
    }
    let mut n = digits(buf, 0, local.year() as u32, 4);
    for (sep, value) in [
        (b'-', local.month()),
        (b'-', local.day()),
        (b'T', local.hour()),
        (b':', local.minute()),
        (b':', local.second()),
    ] {
        buf[n] = sep;
        n = digits(buf, n + 1, value, 2);
    }
    let fraction = match nanos {
        0 => None,
        n if n % 1_000_000 == 0 => Some((n / 1_000_000, 3)),
        n if n % 1_000 == 0 => Some((n / 1_000, 6)),
        n => Some((n, 9)),
    };
    if let Some((value, width)) = fraction {
        buf[n] = b'.';
        n = digits(buf, n + 1, value, width);
    }
    if shift == 0 {
        buf[n] = b'Z';
        n += 1;
    } else {
        buf[n] = if shift < 0 { b'-' } else { b'+' };
        let minutes = shift.unsigned_abs() / 60;
        n = digits(buf, n + 1, minutes / 60, 2);
        buf[n] = b':';
        n = digits(buf, n + 1, minutes % 60, 2);
    }
    // Only ASCII digits and separators were written.
    Cow::Borrowed(std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

#[cfg(test)]
mod tests;
