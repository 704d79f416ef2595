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

use chrono::{DateTime, Datelike, FixedOffset, SecondsFormat, Utc};

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
    starts_a_formula(cell)
        || (cell.as_bytes().contains(&b';') && cell.split(';').skip(1).any(starts_a_formula))
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
    clock: TimeWriter,
    rows: usize,
}

impl CsvExport {
    /// Starts a file with the BOM and the header row. `offset` is the zone times are shown
    /// in, `zone_label` its name for the Started header (e.g. `UTC`).
    pub fn new(columns: &[Column], offset: FixedOffset, zone_label: &str) -> CsvExport {
        let mut export = CsvExport {
            out: BOM.to_vec(),
            columns: columns.iter().map(|c| c.def()).collect(),
            clock: TimeWriter::new(offset),
            rows: 0,
        };
        // Labels of a profile's extra columns come from configuration: the same rule.
        for (i, column) in columns.iter().enumerate() {
            export.field(i, &column.header(zone_label));
        }
        export.out.extend_from_slice(b"\r\n");
        export
    }

    /// Writes one field, quoted (RFC 4180: a `"` inside is doubled), after a comma
    /// unless it is the first of its record. Every field is quoted, so one with `;`
    /// stays one cell where `;` separates them.
    fn field(&mut self, index: usize, text: &str) {
        field(&mut self.out, index, text, true);
    }

    /// Appends rows. Cells are borrowed from the rows and written field by field: no
    /// per-row allocation (times are formatted on the stack).
    pub fn push<'a>(&mut self, rows: impl IntoIterator<Item = &'a SyncLog>) {
        for row in rows {
            let out = &mut self.out;
            for (i, column) in self.columns.iter().enumerate() {
                let value = column.read(row);
                if let Value::Time(at) = value {
                    // A time the backend sent unreadable is exported as it arrived.
                    if let Some(flag) = row.flags.get(column.field) {
                        field(out, i, &flag.raw, true);
                        continue;
                    }
                    let mut buf = [0u8; TIME_LEN];
                    let text = self.clock.write(at, &mut buf);
                    field(out, i, &text, false);
                    continue;
                }
                field(out, i, &value.text(), true);
            }
            out.extend_from_slice(b"\r\n");
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
/// unless it is the first of its record (`index` 0); with `checked`, prefixed with `'`
/// when a spreadsheet would run it ([`neutralise`]).
fn field(out: &mut Vec<u8>, index: usize, text: &str, checked: bool) {
    out.reserve(text.len() + 4);
    if index > 0 {
        out.push(b',');
    }
    out.push(b'"');
    let bytes = text.as_bytes();
    // One look at every byte finds both what needs doubling and what may start a
    // formula after it; most cells have neither.
    let special = memchr::memchr2(b'"', b';', bytes);
    if checked && (starts_a_formula(text) || (special.is_some() && triggers(text))) {
        out.push(b'\'');
    }
    let mut rest = match special {
        Some(_) => bytes,
        None => {
            out.extend_from_slice(bytes);
            out.push(b'"');
            return;
        }
    };
    while let Some(at) = memchr::memchr(b'"', rest) {
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

/// Room for the longest time [`TimeWriter`] writes: `2026-11-20T10:00:05.123456789+05:30`.
const TIME_LEN: usize = 35;

/// Writes times in one zone as RFC 3339, exactly as chrono's
/// `to_rfc3339_opts(SecondsFormat::AutoSi, true)` writes them (fraction only when there
/// is one, in 3, 6 or 9 digits; `Z` for UTC), without allocating. The date of the last
/// day written is kept: rows come sorted by time, so most share it. Years outside
/// 0–9999, leap seconds and offsets with seconds are handed to chrono.
struct TimeWriter {
    offset: FixedOffset,
    /// `+05:30`, `-08:00` or `Z`.
    zone: ([u8; 6], usize),
    /// The local day (since 1970-01-01) whose date is in `date`.
    day: Option<i64>,
    date: [u8; 10],
}

impl TimeWriter {
    fn new(offset: FixedOffset) -> TimeWriter {
        let shift = offset.local_minus_utc();
        let mut zone = ([0u8; 6], 1);
        if shift == 0 {
            zone.0[0] = b'Z';
        } else {
            zone.0[0] = if shift < 0 { b'-' } else { b'+' };
            let minutes = shift.unsigned_abs() / 60;
            two(&mut zone.0[1..], minutes / 60);
            zone.0[3] = b':';
            two(&mut zone.0[4..], minutes % 60);
            zone.1 = 6;
        }
        TimeWriter {
            offset,
            zone,
            day: None,
            date: [0; 10],
        }
    }

    fn write<'b>(&mut self, at: DateTime<Utc>, buf: &'b mut [u8; TIME_LEN]) -> Cow<'b, str> {
        let shift = self.offset.local_minus_utc();
        let nanos = at.timestamp_subsec_nanos();
        let secs = at.timestamp().checked_add(i64::from(shift));
        let (Some(secs), true, true) = (secs, nanos < 1_000_000_000, shift % 60 == 0) else {
            return self.by_chrono(at);
        };
        let (day, second) = (secs.div_euclid(86_400), secs.rem_euclid(86_400) as u32);
        if self.day != Some(day) {
            let local = at.with_timezone(&self.offset);
            if !(0..=9999).contains(&local.year()) {
                return self.by_chrono(at);
            }
            digits(&mut self.date, 0, local.year() as u32, 4);
            self.date[4] = b'-';
            two(&mut self.date[5..], local.month());
            self.date[7] = b'-';
            two(&mut self.date[8..], local.day());
            self.day = Some(day);
        }
        buf[..10].copy_from_slice(&self.date);
        buf[10] = b'T';
        two(&mut buf[11..], second / 3600);
        buf[13] = b':';
        two(&mut buf[14..], second / 60 % 60);
        buf[16] = b':';
        two(&mut buf[17..], second % 60);
        let mut n = 19;
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
        let (zone, len) = self.zone;
        buf[n..n + len].copy_from_slice(&zone[..len]);
        n += len;
        // Only ASCII digits and separators were written.
        Cow::Borrowed(std::str::from_utf8(&buf[..n]).unwrap_or_default())
    }

    fn by_chrono(&self, at: DateTime<Utc>) -> Cow<'static, str> {
        Cow::Owned(
            at.with_timezone(&self.offset)
                .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        )
    }
}

/// `value` in `width` decimal digits at `buf[at..]`; the index after them.
fn digits(buf: &mut [u8], at: usize, value: u32, width: usize) -> usize {
    let mut v = value;
    for i in (0..width).rev() {
        buf[at + i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    at + width
}

/// `value` (below 100) in two digits at the start of `buf`.
fn two(buf: &mut [u8], value: u32) {
    buf[0] = b'0' + (value / 10) as u8;
    buf[1] = b'0' + (value % 10) as u8;
}

#[cfg(test)]
mod tests;
