//! Refinements of the loaded rows, instant and client-side: search, a filter per column
//! and the sort order. They live in the URL beside the server query, under keys of their
//! own (`q`, `f_*`, `sort`) so they never collide with the API's parameters.

use std::collections::BTreeMap;

pub use crate::columns::{columns_from_keys, default_columns, Column};
use crate::columns::{searched, Accessor, ColumnDef, FilterKind, Value};
use crate::status::Status;
use crate::wire::SyncLog;

/// The sort order: a column and a direction. Ties keep the loaded (newest-first) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

/// The filter of one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnFilter {
    /// Any of these list values (wire values for statuses and operations; `""` matches
    /// a row without a value).
    AnyOf(Vec<String>),
    /// The text contains this, ignoring case.
    Contains(String),
    /// The value is empty (Target ID: not written to the target yet).
    IsEmpty,
}

/// Every client-side refinement except the stat-card tone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Refinements {
    /// Search across the searchable columns (see `columns::searched`).
    pub search: String,
    /// At most one filter per column, in column order; never an empty list.
    pub filters: BTreeMap<Column, ColumnFilter>,
    /// Only the rows of this error cluster (a key of `clusters::normalise`).
    pub cluster: Option<String>,
    pub sort: Option<Sort>,
}

impl Refinements {
    /// The chosen values of a list column (empty when it has none).
    pub fn list(&self, column: Column) -> &[String] {
        match self.filters.get(&column) {
            Some(ColumnFilter::AnyOf(values)) => values,
            _ => &[],
        }
    }

    /// Sets the chosen values of a list column; an empty list removes the filter.
    pub fn set_list(&mut self, column: Column, values: Vec<String>) {
        if values.is_empty() {
            self.filters.remove(&column);
        } else {
            self.filters.insert(column, ColumnFilter::AnyOf(values));
        }
    }

    /// Adds `value` to a list column's choice, or takes it out if it is there.
    pub fn toggle(&mut self, column: Column, value: &str) {
        let mut values = self.list(column).to_vec();
        match values.iter().position(|v| v == value) {
            Some(at) => {
                values.remove(at);
            }
            None => values.push(value.to_owned()),
        }
        self.set_list(column, values);
    }

    /// The "contains" text of a column, if it has one.
    pub fn contains(&self, column: Column) -> Option<&str> {
        match self.filters.get(&column) {
            Some(ColumnFilter::Contains(text)) => Some(text),
            _ => None,
        }
    }

    /// Sets (or with `None` or `""` removes) a column's "contains" text.
    pub fn set_contains(&mut self, column: Column, text: Option<String>) {
        match text.filter(|t| !t.is_empty()) {
            Some(text) => {
                self.filters.insert(column, ColumnFilter::Contains(text));
            }
            None => {
                if matches!(self.filters.get(&column), Some(ColumnFilter::Contains(_))) {
                    self.filters.remove(&column);
                }
            }
        }
    }

    /// Whether a column is filtered to its empty values.
    pub fn is_empty_filter(&self, column: Column) -> bool {
        self.filters.get(&column) == Some(&ColumnFilter::IsEmpty)
    }

    /// Filters a column to its empty values, or removes that filter.
    pub fn set_empty(&mut self, column: Column, empty: bool) {
        if empty {
            self.filters.insert(column, ColumnFilter::IsEmpty);
        } else if self.is_empty_filter(column) {
            self.filters.remove(&column);
        }
    }

    /// URL parameters, blanks left out: `q`, `f_<column key>` (repeated for lists),
    /// `f_<column key>_empty=1`, `f_cluster`, `sort`.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if !self.search.is_empty() {
            pairs.push(("q".to_owned(), self.search.clone()));
        }
        for (column, filter) in &self.filters {
            let key = format!("f_{}", column.key());
            match filter {
                ColumnFilter::AnyOf(values) => {
                    pairs.extend(values.iter().map(|v| (key.clone(), v.clone())))
                }
                ColumnFilter::Contains(text) => pairs.push((key, text.clone())),
                ColumnFilter::IsEmpty => pairs.push((format!("{key}_empty"), "1".to_owned())),
            }
        }
        if let Some(key) = &self.cluster {
            pairs.push(("f_cluster".to_owned(), key.clone()));
        }
        if let Some(sort) = self.sort {
            let sign = if sort.descending { "-" } else { "" };
            pairs.push(("sort".to_owned(), format!("{sign}{}", sort.column.key())));
        }
        pairs
    }

    /// Reads URL parameters; unknown keys, columns without that filter and unreadable
    /// values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Refinements {
        let mut r = Refinements::default();
        for (key, value) in pairs {
            match key {
                "q" => r.search = value.to_owned(),
                "f_cluster" => r.cluster = (!value.is_empty()).then(|| value.to_owned()),
                "sort" => {
                    let (descending, name) = match value.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, value),
                    };
                    r.sort = Column::from_key(name).map(|column| Sort { column, descending });
                }
                _ => {
                    let Some(name) = key.strip_prefix("f_") else {
                        continue;
                    };
                    if let Some(column) = name.strip_suffix("_empty").and_then(Column::from_key) {
                        if column.filter_kind() == FilterKind::ContainsOrEmpty && value == "1" {
                            r.set_empty(column, true);
                        }
                        continue;
                    }
                    let Some(column) = Column::from_key(name) else {
                        continue;
                    };
                    match column.filter_kind() {
                        FilterKind::List => {
                            let mut values = r.list(column).to_vec();
                            values.push(value.to_owned());
                            r.set_list(column, values);
                        }
                        FilterKind::Contains | FilterKind::ContainsOrEmpty => {
                            r.set_contains(column, Some(value.to_owned()))
                        }
                        FilterKind::None => {}
                    }
                }
            }
        }
        r
    }

    /// True when any column filter or the search is set (not counting the sort).
    pub fn is_filtering(&self) -> bool {
        !self.search.is_empty() || !self.filters.is_empty() || self.cluster.is_some()
    }
}

/// A lowercase needle prepared to be looked for in text of any case, in place: the text
/// is not lowercased into a copy unless it has non-ASCII characters that lowercasing
/// could turn into the needle and the ASCII-folded comparison found nothing.
///
/// The search looks a word at a time for the needle's rarest byte in either case, and
/// compares the needle only where that byte is, so text that lacks it costs one quick
/// scan.
pub(crate) struct Folded {
    needle: String,
    /// Where in the needle its rarest byte is: the first byte looked for.
    rare: usize,
    /// Whether text with non-ASCII characters must also be lowercased and searched: only
    /// lowercasing them can make the needle's non-ASCII characters, or the `i` of `İ`
    /// and the `k` of the Kelvin sign (see `lowercase_makes_few_ascii_letters`).
    unicode: bool,
}

impl Folded {
    pub fn new(needle_lower: &str) -> Folded {
        Folded {
            needle: needle_lower.to_owned(),
            rare: rarest_byte(needle_lower.as_bytes()),
            unicode: !needle_lower.is_ascii() || needle_lower.contains(['i', 'k']),
        }
    }

    /// Whether `haystack`, lowercased, contains the needle.
    pub fn found_in(&self, haystack: &str) -> bool {
        self.found_folded(haystack.as_bytes())
            || (self.unicode
                && !haystack.is_ascii()
                && haystack.to_lowercase().contains(&self.needle))
    }

    /// Whether the needle is in `haystack` with its ASCII letters folded to lowercase.
    /// A match found this way is a match of the lowercased text too: UTF-8 matches start
    /// and end on character boundaries, and lowercase characters lowercase to themselves.
    fn found_folded(&self, haystack: &[u8]) -> bool {
        let needle = self.needle.as_bytes();
        let Some(&key) = needle.get(self.rare) else {
            return true;
        };
        let upper = key.to_ascii_uppercase();
        // Only where the needle's rarest byte is (in either case) can it start
        // `self.rare` bytes before: those places are found a word at a time.
        let mut at = self.rare;
        while let Some(found) = haystack
            .get(at..)
            .and_then(|rest| memchr::memchr2(key, upper, rest))
        {
            let start = at + found - self.rare;
            let window = haystack.get(start..start + needle.len());
            if window.is_some_and(|w| {
                w.iter()
                    .zip(needle)
                    .all(|(h, n)| h.to_ascii_lowercase() == *n)
            }) {
                return true;
            }
            at += found + 1;
        }
        false
    }
}

/// The place in `needle` of its byte least often met in the text people search (ASCII
/// letters by how common they are in English, digits and punctuation between them),
/// the first of equals.
fn rarest_byte(needle: &[u8]) -> usize {
    const COMMON: &[u8] = b" etaoinsrhldcumfpgwybvk0123456789-_.:/jxqz";
    let rank = |b: u8| COMMON.iter().position(|&c| c == b).unwrap_or(COMMON.len());
    (0..needle.len())
        .rev()
        .max_by_key(|&i| rank(needle[i]))
        .unwrap_or(0)
}

/// Whether any searched column of `row` contains the search, compared in place: what
/// the search text gives, without building it.
pub(crate) fn search_matches(row: &SyncLog, columns: &[&ColumnDef], search: &Folded) -> bool {
    columns.iter().any(|column| match column.value {
        Accessor::Text(read) => read(row).is_some_and(|text| search.found_in(text)),
        _ => match column.read(row) {
            Value::Empty => false,
            value => search.found_in(&value.text()),
        },
    })
}

/// The text search looks through, lowercased once per load: the searchable columns
/// (systems, sync id, source id, target id, details and the profile's text columns),
/// separated so a match never spans two fields.
pub fn search_text(row: &SyncLog) -> String {
    let mut text = String::new();
    push_search_text(row, &searched(), &mut text);
    text
}

/// Appends the search text of `row` over `columns` to `out`, lowercasing as it copies.
pub fn push_search_text(row: &SyncLog, columns: &[Column], out: &mut String) {
    for (n, column) in columns.iter().enumerate() {
        if n > 0 {
            out.push('\u{1f}');
        }
        let value = column.value(row);
        let part = value.text();
        if part.is_ascii() {
            // Copied whole, then lowercased where it lies: no char-by-char pushes (at
            // 1,000,000 rows natively, 565 ms to 246 ms for the whole search text).
            let start = out.len();
            out.push_str(&part);
            out[start..].make_ascii_lowercase();
        } else {
            out.push_str(&part.to_lowercase());
        }
    }
}

/// How the search is decided for one row.
pub(crate) enum Lookup<'t> {
    /// Already decided, over the search text of every row at once.
    Decided(bool),
    /// Looked for in the row's search text.
    Text(&'t str),
    /// No search text yet: looked for in the row's columns, in place.
    InPlace,
}

/// A column filter with its text lowercased once per refinement.
enum PreparedFilter<'a> {
    AnyOf(&'a [String]),
    Contains(Box<Folded>),
    IsEmpty,
}

/// The lowercase forms of the text column filters, prepared once per refinement.
pub(crate) struct Prepared<'a> {
    pub search: String,
    /// The search, to look for in a row's search text: prepared once per refine, not
    /// once per row.
    finder: memchr::memmem::Finder<'static>,
    /// The search, to look for in the columns themselves when there is no search text.
    folded: Folded,
    filters: Vec<(Column, PreparedFilter<'a>)>,
    statuses: &'a [String],
    /// The columns the search looks through when there is no search text.
    searched: Vec<&'static ColumnDef>,
}

impl<'a> Prepared<'a> {
    pub fn new(refinements: &'a Refinements) -> Prepared<'a> {
        let filters = refinements
            .filters
            .iter()
            .filter(|(column, _)| **column != Column::Status)
            .map(|(column, filter)| {
                let prepared = match filter {
                    ColumnFilter::AnyOf(values) => PreparedFilter::AnyOf(values),
                    ColumnFilter::Contains(text) => {
                        PreparedFilter::Contains(Box::new(Folded::new(&text.to_lowercase())))
                    }
                    ColumnFilter::IsEmpty => PreparedFilter::IsEmpty,
                };
                (*column, prepared)
            })
            .collect();
        let search = refinements.search.trim().to_lowercase();
        Prepared {
            finder: memchr::memmem::Finder::new(search.as_bytes()).into_owned(),
            folded: Folded::new(&search),
            search,
            filters,
            statuses: refinements.list(Column::Status),
            searched: searched().into_iter().map(Column::def).collect(),
        }
    }

    /// Every filter except the status column (which the status facet counts around).
    pub fn matches_except_status(&self, row: &SyncLog, search: Lookup<'_>) -> bool {
        self.filters.iter().all(|(column, filter)| {
            let value = column.value(row);
            match filter {
                PreparedFilter::AnyOf(values) => {
                    let key = value.list_key();
                    values.iter().any(|v| *v == key)
                }
                PreparedFilter::Contains(needle) => {
                    !value.is_empty() && needle.found_in(&value.text())
                }
                PreparedFilter::IsEmpty => value.is_empty(),
            }
        }) && (self.search.is_empty()
            || match search {
                Lookup::Decided(found) => found,
                Lookup::Text(text) => self.finder.find(text.as_bytes()).is_some(),
                Lookup::InPlace => search_matches(row, &self.searched, &self.folded),
            })
    }

    pub fn matches_status(&self, status: &Status) -> bool {
        self.statuses.is_empty() || self.statuses.iter().any(|w| w == status.as_wire())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains_folded(haystack: &str, needle_lower: &str) -> bool {
        Folded::new(needle_lower).found_in(haystack)
    }

    #[test]
    fn stored_columns_come_back_in_display_order() {
        let keys: Vec<String> = ["attempts", "status", "nonsense", "details"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            columns_from_keys(Some(&keys)),
            vec![Column::Status, Column::Details, Column::Attempts]
        );
        assert_eq!(columns_from_keys(None), default_columns());
        assert_eq!(columns_from_keys(Some(&[])), default_columns());
    }

    #[test]
    fn every_column_key_round_trips() {
        for column in Column::all() {
            assert_eq!(Column::from_key(column.key()), Some(column));
        }
    }

    #[test]
    fn filters_of_the_wrong_kind_are_ignored_in_urls() {
        let r = Refinements::from_pairs([
            ("f_started", "2026"),
            ("f_status_empty", "1"),
            ("f_target_id_empty", "1"),
            ("f_nonsense", "x"),
            ("f_source_id", ""),
        ]);
        assert_eq!(r.filters.len(), 1);
        assert!(r.is_empty_filter(Column::TargetId));
    }

    #[test]
    fn folded_search_finds_what_lowercasing_finds() {
        for (haystack, needle, found) in [
            ("Product 'SKU-12' not found", "sku-1", true),
            ("Product 'SKU-12' not found", "sku-13", false),
            ("abc", "", true),
            ("", "a", false),
            ("ab", "abc", false),
            ("ÉCHEC du lot", "échec", true),
            // Lowercasing these gives ASCII letters the folded bytes alone do not show.
            ("\u{212A}elvin", "kelvin", true),
            ("İstanbul", "i\u{307}stanbul", true),
            ("naïve", "ïve", true),
            ("aaab", "aab", true),
            ("xyz", "\u{1f}", false),
        ] {
            assert_eq!(
                contains_folded(haystack, needle),
                found,
                "{haystack:?} ∋ {needle:?}"
            );
        }
    }

    /// [`Folded`] lowercases non-ASCII text only for needles with non-ASCII characters or
    /// these letters: no other character lowercases to anything with an ASCII character.
    #[test]
    fn lowercase_makes_few_ascii_letters() {
        let makers: Vec<(char, String)> = ('\u{80}'..=char::MAX)
            .map(|c| (c, c.to_lowercase().collect::<String>()))
            .filter(|(_, lower)| lower.bytes().any(|b| b.is_ascii()))
            .collect();
        assert_eq!(
            makers,
            [
                ('\u{130}', "i\u{307}".to_owned()),
                ('\u{212A}', "k".to_owned())
            ]
        );
    }

    use proptest::prelude::*;

    proptest! {
        /// The in-place comparison answers as lowercasing the text and looking would.
        #[test]
        fn folded_search_agrees_with_lowercase_contains(
            haystack in "[a-cikA-CIK \\u{212A}İıÉéßẞΣσς-]{0,40}",
            needle in "[a-cikA-CIK \\u{212A}İıÉéßσ-]{0,4}",
        ) {
            let needle = needle.to_lowercase();
            prop_assert_eq!(
                contains_folded(&haystack, &needle),
                haystack.to_lowercase().contains(&needle)
            );
        }
    }
}
