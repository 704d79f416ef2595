//! CSV export: examples, and the round trip as a property over hostile text.

use super::*;
use crate::columns::default_columns;
use proptest::prelude::*;

fn row(details: &str, source_id: &str) -> SyncLog {
    serde_json::from_value(serde_json::json!({
        "id": "42", "status": "Quarantined", "instance": "SAP B1 → Shopify", "entity_type": "item",
        "source_id": source_id, "started_at": "2026-11-20T10:00:05Z", "details": details,
        "operation": "update", "attempts": 2
    }))
    .unwrap()
}

fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(BOM));
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[BOM.len()..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn header_order_zone_quoting_and_unknown_statuses() {
    let mut export = CsvExport::new(&default_columns(), FixedOffset::east_opt(0).unwrap(), "UTC");
    export.push([&row("a, \"quoted\"\r\nline", "=HYPERLINK(\"http://x\")")]);
    let bytes = export.finish();
    let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
    assert!(text.starts_with(
        "\"Status\",\"Instance\",\"Entity Type\",\"Source ID\",\"Target ID\",\"Operation\",\"Started (UTC)\",\"Details\"\r\n"
    ));
    let rows = parse(&bytes);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], "Quarantined");
    assert_eq!(rows[1][3], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1][6], "2026-11-20T10:00:05Z");
    assert_eq!(rows[1][7], "a, \"quoted\"\r\nline");
}

#[test]
fn times_are_written_in_the_shown_zone() {
    let india = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    let mut export = CsvExport::new(&[Column::Started], india, "UTC+05:30");
    export.push([&row("", "s")]);
    let rows = parse(&export.finish());
    assert_eq!(rows[0][0], "Started (UTC+05:30)");
    assert_eq!(rows[1][0], "2026-11-20T15:30:05+05:30");
}

#[test]
fn every_trigger_is_neutralised_and_restored() {
    for trigger in FORMULA_TRIGGERS {
        let cell = format!("{trigger}SUM(A1)");
        assert_eq!(neutralise(&cell), format!("'{cell}"));
        assert_eq!(restore(&neutralise(&cell)), cell);
    }
    assert_eq!(neutralise("plain"), "plain");
    assert_eq!(restore("'quoted on purpose"), "'quoted on purpose");
    // A cell that already starts with quotes before a trigger survives the round trip.
    for cell in ["'=x", "''+1", "'\r", "''"] {
        assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
    }
}

#[test]
fn semicolon_locales_full_width_triggers_and_leading_spaces_are_caught() {
    for cell in [
        "x;=1+1",
        "x; =1+1",
        "a;b;@SUM(A1)",
        "\u{FF1D}1+1",
        "\u{FF0B}1",
        "\u{FF0D}1",
        "\u{FF20}SUM(A1)",
        " =1+1",
        "\u{A0}=1+1",
        "\u{3000}+1",
        "  \u{3000} -2",
        "x;\u{3000}\u{FF1D}1",
    ] {
        assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        assert_eq!(restore(&neutralise(cell)), cell, "{cell:?}");
    }
    for plain in [
        "x;y",
        "1;2",
        "a = b",
        "x;",
        "SKU-1",
        "  spaced",
        "e-mail@example.com",
    ] {
        assert_eq!(neutralise(plain), plain, "{plain:?}");
    }
    // Every field is quoted: a `;` never splits one where `;` separates cells.
    let mut export = CsvExport::new(&[Column::Details], FixedOffset::east_opt(0).unwrap(), "UTC");
    export.push([&row("x;=1+1", "s"), &row("1;2", "s")]);
    let bytes = export.finish();
    let text = String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap();
    assert_eq!(text, "\"Details\"\r\n\"'x;=1+1\"\r\n\"1;2\"\r\n");
}

#[test]
fn extra_columns_of_a_profile_go_through_the_same_rule() {
    use crate::columns::{set_extra_columns, ExtraColumn, FilterKind, Kind};
    set_extra_columns(&[ExtraColumn {
        key: "warehouse".into(),
        label: "=Warehouse".into(),
        kind: Kind::Text,
        filter: FilterKind::List,
    }]);
    let mut hostile = row("", "s");
    hostile.extras = vec![Some("Leeds;=cmd|' /C calc'!A0".to_owned())].into_boxed_slice();
    let mut export = CsvExport::new(
        &[Column::Extra(0)],
        FixedOffset::east_opt(0).unwrap(),
        "UTC",
    );
    export.push([&hostile]);
    let rows = parse(&export.finish());
    assert_eq!(rows[0][0], "'=Warehouse");
    assert_eq!(rows[1][0], "'Leeds;=cmd|' /C calc'!A0");
    set_extra_columns(&[]);
}

#[test]
fn file_names_name_the_view() {
    assert_eq!(
        file_name(
            Some("SAP B1 → Shopify"),
            "2026-11-17T02:57:00Z",
            "2026-11-22T02:57:00Z"
        ),
        "sync-logs_SAP-B1-Shopify_2026-11-17T02-57-00Z_2026-11-22T02-57-00Z.csv"
    );
    assert_eq!(file_name(None, "a", "b"), "sync-logs_all_a_b.csv");
}

fn hostile() -> impl Strategy<Value = String> {
    // Quotes, commas, CR/LF, NUL, emoji, right-to-left text and leading formula triggers.
    proptest::collection::vec(
        prop_oneof![
            Just("\"".to_owned()),
            Just(",".to_owned()),
            Just("\r".to_owned()),
            Just("\n".to_owned()),
            Just("\0".to_owned()),
            Just("😀".to_owned()),
            Just("مرحبا".to_owned()),
            Just("'".to_owned()),
            Just("=".to_owned()),
            Just("+".to_owned()),
            Just("-".to_owned()),
            Just("@".to_owned()),
            Just("\t".to_owned()),
            Just(";".to_owned()),
            Just(" ".to_owned()),
            Just("\u{A0}".to_owned()),
            Just("\u{3000}".to_owned()),
            Just("\u{FF1D}".to_owned()),
            Just("\u{FF20}".to_owned()),
            "[a-z ]{0,4}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn writing_then_parsing_and_restoring_gives_the_input_back(
        cells in proptest::collection::vec((hostile(), "[A-Za-z0-9]{1,8}"), 0..20)
    ) {
        let rows: Vec<SyncLog> = cells.iter().map(|(details, id)| row(details, id)).collect();
        let columns = [Column::SourceId, Column::Details];
        let mut export = CsvExport::new(&columns, FixedOffset::east_opt(0).unwrap(), "UTC");
        export.push(&rows);
        prop_assert_eq!(export.rows(), rows.len());
        let parsed = parse(&export.finish());
        prop_assert_eq!(parsed.len(), rows.len() + 1);
        for (record, (details, id)) in parsed[1..].iter().zip(&cells) {
            prop_assert_eq!(record.len(), 2);
            prop_assert_eq!(restore(&record[0]), id.as_str());
            prop_assert_eq!(restore(&record[1]), details.as_str());
        }
    }
}

#[test]
fn a_file_taken_piece_by_piece_is_the_whole_file() {
    let utc = FixedOffset::east_opt(0).unwrap();
    let rows: Vec<SyncLog> = (0..50)
        .map(|n| row(&format!("detail {n}, \"q\""), &format!("SO-{n}")))
        .collect();
    let mut whole = CsvExport::new(&default_columns(), utc, "UTC");
    whole.push(&rows);
    let whole = whole.finish();

    let mut pieces = CsvExport::new(&default_columns(), utc, "UTC");
    let mut joined = pieces.take();
    assert!(joined.starts_with(BOM), "the first piece starts the file");
    for chunk in rows.chunks(7) {
        pieces.push(chunk);
        let piece = pieces.take();
        assert!(!piece.is_empty());
        joined.extend(piece);
    }
    joined.extend(pieces.finish());
    assert_eq!(joined, whole);
    assert_eq!(parse(&joined).len(), 51);
}

proptest! {
    #[test]
    fn times_are_written_exactly_as_chrono_writes_them(
        times in proptest::collection::vec((
            -62_000_000_000i64..300_000_000_000,
            prop_oneof![Just(0u32), (0u32..1000).prop_map(|m| m * 1_000_000), (0u32..1_000_000).prop_map(|u| u * 1000), 0u32..1_000_000_000],
        ), 1..8),
        // Times close together (the same day, a day boundary) as rows come, or anywhere.
        close in prop::bool::ANY,
        shift_minutes in -14 * 60i32..=14 * 60,
        odd_seconds in prop::bool::weighted(0.05),
    ) {
        let offset = FixedOffset::east_opt(shift_minutes * 60 + i32::from(odd_seconds) * 17).unwrap();
        let mut writer = TimeWriter::new(offset);
        let first = times[0].0;
        for (seconds, nanos) in times {
            let seconds = if close { first + seconds % 100_000 } else { seconds };
            let at = chrono::DateTime::from_timestamp(seconds, nanos).unwrap();
            let mut buf = [0u8; TIME_LEN];
            let ours = writer.write(at, &mut buf).into_owned();
            let theirs = at.with_timezone(&offset).to_rfc3339_opts(SecondsFormat::AutoSi, true);
            prop_assert_eq!(ours, theirs);
        }
    }
}
