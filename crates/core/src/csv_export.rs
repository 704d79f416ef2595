//! CSV export of exactly the rows shown: the shown columns in the shown order, RFC 4180
//! quoting, UTF-8 with a byte-order mark (so Excel reads accents and emoji), timestamps
//! in ISO 8601 in the shown zone (named in the header), unknown statuses verbatim.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab, CR or LF as a
//! formula; following OWASP, such a cell is written with a leading `'` (as is a cell whose
//! first character after some `'`s is one of those, so the rule can be undone exactly).
//! To undo it (see `docs/csv.md`), strip one leading `'` when the first character after
//! the remaining leading `'`s is one of those.
//!
//! Built incrementally ([`CsvExport::push`]) so the app can write 100,000 rows in chunks
//! and keep the page responsive.

use std::borrow::Cow;

use chrono::{FixedOffset, SecondsFormat};

use crate::refine::Column;
use crate::wire::SyncLog;

/// The UTF-8 byte-order mark Excel needs to read the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first characters that make a spreadsheet evaluate a cell.
pub const FORMULA_TRIGGERS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// Whether the first character after any leading `'` is a formula trigger. Looking past
/// the quotes keeps the prefix reversible for cells that already begin with `'`.
fn triggers(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(|c| FORMULA_TRIGGERS.contains(&c))
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
    writer: csv::Writer<Vec<u8>>,
    columns: Vec<Column>,
    offset: FixedOffset,
    rows: usize,
}

impl CsvExport {
    /// Starts a file with the BOM and the header row. `offset` is the zone times are shown
    /// in, `zone_label` its name for the Started header (e.g. `UTC`).
    pub fn new(columns: &[Column], offset: FixedOffset, zone_label: &str) -> CsvExport {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        let header: Vec<String> = columns
            .iter()
            .map(|c| match c {
                Column::Started => format!("Started ({zone_label})"),
                other => other.label().to_owned(),
            })
            .collect();
        // Writing into a Vec cannot fail.
        let _ = writer.write_record(&header);
        CsvExport {
            writer,
            columns: columns.to_vec(),
            offset,
            rows: 0,
        }
    }

    /// Appends rows. Cells are borrowed from the rows and written field by field: no
    /// per-row allocation beyond the formatted time.
    pub fn push<'a>(&mut self, rows: impl IntoIterator<Item = &'a SyncLog>) {
        for row in rows {
            for column in &self.columns {
                let cell = self.cell(row, *column);
                let _ = self.writer.write_field(neutralise(&cell).as_bytes());
            }
            // An empty record ends the current one.
            let _ = self.writer.write_record(None::<&[u8]>);
            self.rows += 1;
        }
    }

    /// Rows written so far (without the header).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }

    fn cell<'r>(&self, row: &'r SyncLog, column: Column) -> Cow<'r, str> {
        let text = |v: &'r Option<String>| Cow::Borrowed(v.as_deref().unwrap_or(""));
        match column {
            Column::Status => Cow::Borrowed(row.status.label()),
            Column::Instance => Cow::Borrowed(&row.instance),
            Column::EntityType => Cow::Borrowed(&row.entity_type),
            Column::SourceId => Cow::Borrowed(&row.source_id),
            Column::TargetId => text(&row.target_id),
            Column::Operation => Cow::Borrowed(row.operation.as_ref().map_or("", |o| o.label())),
            Column::Started => Cow::Owned(
                row.started_at
                    .with_timezone(&self.offset)
                    .to_rfc3339_opts(SecondsFormat::AutoSi, true),
            ),
            Column::Details => text(&row.details),
            Column::SourceSystem => Cow::Borrowed(row.source_system.as_deref().unwrap_or("")),
            Column::EndpointId => text(&row.endpoint_id),
            Column::LatestSyncInfo => text(&row.latest_sync_info),
            Column::Attempts => row
                .attempts
                .map_or(Cow::Borrowed(""), |a| Cow::Owned(a.to_string())),
            Column::CorrelationId => text(&row.correlation_id),
            Column::SyncId => Cow::Borrowed(&row.id),
        }
    }
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

#[cfg(test)]
mod tests;
