//! Column definitions: every built-in column is complete, and a profile's extra columns
//! take part in sorting, filtering, facets, search and CSV like the built-in ones.

use super::*;
use crate::csv_export::CsvExport;
use crate::facets::values_present;
use crate::pipeline::{refine, sort_indexes, SearchIndex};
use crate::refine::{Refinements, Sort};
use crate::view::ViewState;

fn row(id: &str, extras: &[Option<&str>]) -> SyncLog {
    let mut log: SyncLog = serde_json::from_value(serde_json::json!({
        "id": id, "status": "ok", "instance": "i", "entity_type": "item",
        "source_id": format!("S-{id}"), "started_at": "2026-11-20T10:00:00Z"
    }))
    .unwrap();
    log.extras = extras.iter().map(|v| v.map(str::to_owned)).collect();
    log
}

fn install() {
    set_extra_columns(&[
        ExtraColumn {
            key: "warehouse".into(),
            label: "Warehouse".into(),
            kind: Kind::Text,
            filter: FilterKind::List,
        },
        ExtraColumn {
            key: "weight".into(),
            label: "Weight (kg)".into(),
            kind: Kind::Number,
            filter: FilterKind::None,
        },
    ]);
}

#[test]
fn every_built_in_column_has_a_distinct_key_and_a_label() {
    let mut keys: Vec<&str> = BUILT_IN.iter().map(|c| c.key()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), BUILT_IN.len());
    for column in BUILT_IN {
        assert!(!column.label().is_empty());
        assert!(!column.field().is_empty());
        assert_eq!(Column::from_key(column.key()), Some(column));
    }
}

#[test]
fn extra_columns_are_columns_like_any_other() {
    install();
    let warehouse = Column::from_key("warehouse").unwrap();
    let weight = Column::from_key("weight").unwrap();
    assert_eq!(warehouse, Column::Extra(0));
    assert_eq!(weight.label(), "Weight (kg)");
    assert!(Column::all().ends_with(&[warehouse, weight]));
    assert!(searched().contains(&warehouse) && !searched().contains(&weight));
    assert!(filterable().contains(&warehouse));

    let rows = vec![
        row("1", &[Some("Leeds"), Some("10.5")]),
        row("2", &[Some("Bristol"), Some("9")]),
        row("3", &[None, Some("100")]),
        row("4", &[Some("Leeds")]),
    ];
    // Numbers sort by value (9 < 10.5 < 100), a missing value first.
    let mut order: Vec<u32> = (0..4).collect();
    sort_indexes(
        &rows,
        &mut order,
        Sort {
            column: weight,
            descending: false,
        },
    );
    assert_eq!(order, [3, 1, 0, 2]);
    // The list filter and its facet.
    assert_eq!(
        values_present(&rows, warehouse),
        Some(vec![
            ("".into(), 1),
            ("Bristol".into(), 1),
            ("Leeds".into(), 2)
        ])
    );
    let mut view = ViewState::default();
    view.refine.set_list(warehouse, vec!["Leeds".into()]);
    assert_eq!(refine(&rows, &view, None, None).visible, [0, 3]);
    // Through the URL and back.
    let back = Refinements::from_pairs(
        view.refine
            .to_pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    assert_eq!(back, view.refine);
    // Search finds text columns of the profile.
    let mut view = ViewState::default();
    view.refine.search = "bristol".into();
    let index = SearchIndex::build(&rows);
    assert_eq!(refine(&rows, &view, Some(&index), None).visible, [1]);
    // CSV.
    let mut export = CsvExport::new(
        &[Column::SyncId, warehouse, weight],
        chrono::FixedOffset::east_opt(0).unwrap(),
        "UTC",
    );
    export.push(&rows);
    let text = String::from_utf8(export.finish()).unwrap();
    assert_eq!(
        text.trim_start_matches('\u{feff}'),
        "\"Sync ID\",\"Warehouse\",\"Weight (kg)\"\r\n\"1\",\"Leeds\",\"10.5\"\r\n\"2\",\"Bristol\",\"9\"\r\n\"3\",\"\",\"100\"\r\n\"4\",\"Leeds\",\"\"\r\n"
    );
}

#[test]
fn an_extra_column_the_profile_does_not_have_is_empty_not_a_panic() {
    set_extra_columns(&[]);
    let stale = Column::Extra(7);
    assert_eq!(stale.value(&row("1", &[Some("x")])), Value::Empty);
    assert_eq!(Column::from_key("warehouse"), None);
}

#[test]
fn values_compare_by_shape_then_value() {
    let ok = Status::Ok;
    let failed = Status::Failed;
    assert_eq!(
        Value::Status(&failed).compare(&Value::Status(&ok)),
        Ordering::Less
    );
    assert_eq!(
        Value::Empty.compare(&Value::Text("a".into())),
        Ordering::Less
    );
    assert_eq!(
        Value::Number(2.0).compare(&Value::Number(10.0)),
        Ordering::Less
    );
}
