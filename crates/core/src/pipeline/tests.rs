//! Pipeline tests: examples, and properties checked against an independent oracle.

use super::*;
use crate::refine::{ColumnFilter, Refinements};
use crate::row_chars::RowCharsBuilder;
use crate::status::Tone;
use proptest::prelude::*;

fn row(id: usize, status: &str, run: &str) -> SyncLog {
    serde_json::from_value(serde_json::json!({
        "id": id.to_string(), "status": status, "instance": "i", "entity_type": "item",
        "source_id": format!("S-{id}"), "started_at": "2026-11-20T10:00:00Z", "correlation_id": run
    }))
    .unwrap()
}

fn rows() -> Vec<SyncLog> {
    vec![
        row(0, "ok", "a"),
        row(1, "failed", "a"),
        row(2, "partial_success", "b"),
        row(3, "failed", "b"),
        row(4, "weird", "a"),
    ]
}

#[test]
fn without_refinements_everything_is_shown_and_counted() {
    let refined = refine(&rows(), &ViewState::default(), None, None);
    assert_eq!(refined.visible, vec![0, 1, 2, 3, 4]);
    assert_eq!(refined.stats.total, 5);
}

#[test]
fn a_card_narrows_the_table_but_not_the_cards() {
    let view = ViewState {
        tone: Some(Tone::Failed),
        ..ViewState::default()
    };
    let refined = refine(&rows(), &view, None, None);
    assert_eq!(refined.visible, vec![1, 3]);
    assert_eq!(refined.stats.total, 5);
    assert_eq!(refined.stats.success, 1);
}

#[test]
fn the_run_filter_narrows_cards_and_table() {
    let mut view = ViewState::default();
    view.query.correlation_id = Some("a".into());
    let refined = refine(&rows(), &view, None, None);
    assert_eq!(refined.visible, vec![0, 1, 4]);
    assert_eq!(refined.stats.total, 3);
    assert_eq!(refined.stats.failed, 1);
    assert_eq!(refined.stats.unknown, 1);
}

#[test]
fn the_status_facet_counts_around_its_own_filter() {
    let mut view = ViewState::default();
    view.refine.set_list(Column::Status, vec!["failed".into()]);
    let refined = refine(&rows(), &view, None, None);
    assert_eq!(refined.visible, vec![1, 3]);
    assert_eq!(refined.status_counts.get("ok"), Some(&1));
    assert_eq!(refined.status_counts.get("failed"), Some(&2));
}

#[test]
fn search_is_case_insensitive_and_unicode_aware() {
    let mut data = rows();
    data[2].details = Some("Größe ÉTÉ invalide".into());
    data[3].target_system = Some("Shopify".into());
    assert_searches(
        &data,
        &[
            ("été", &[2]),
            ("GRÖSSE", &[]),
            ("größe", &[2]),
            ("shopify", &[3]),
            ("s-4", &[4]),
        ],
    );
}

/// Each search shows exactly the expected rows, with the search text and without it.
fn assert_searches(data: &[SyncLog], cases: &[(&str, &[u32])]) {
    let index = SearchIndex::build(data);
    for &(needle, expected) in cases {
        let mut view = ViewState::default();
        view.refine.search = needle.into();
        let with_text = refine(data, &view, Some(&index), None).visible;
        assert_eq!(with_text, expected, "{needle:?}");
        let in_place = refine(data, &view, None, None).visible;
        assert_eq!(in_place, expected, "{needle:?} without the search text");
    }
}

#[test]
fn a_search_never_matches_across_two_rows() {
    let mut data = rows();
    // Row 1's search text ends with its sync id, row 2's starts with its source id.
    data[1].id = "xa".into();
    data[2].source_id = "Bz".into();
    assert_searches(
        &data,
        &[("ab", &[]), ("a\u{1e}b", &[]), ("xa", &[1]), ("bz", &[2])],
    );
}

#[test]
fn status_sorts_by_tone_then_label_and_time_by_instant() {
    let data = rows();
    let mut indexes: Vec<u32> = (0..5).collect();
    sort_indexes(
        &data,
        &mut indexes,
        Sort {
            column: Column::Status,
            descending: false,
        },
    );
    assert_eq!(indexes, vec![1, 3, 2, 0, 4]);
    sort_indexes(
        &data,
        &mut indexes,
        Sort {
            column: Column::Status,
            descending: true,
        },
    );
    assert_eq!(indexes, vec![4, 0, 2, 1, 3]);
}

// ---- properties ----

const STATUSES: [&str; 5] = ["ok", "failed", "pending", "partial_success", "mystery"];
const OPS: [&str; 4] = ["create", "update", "delete", "merge"];

prop_compose! {
    fn arb_row()(
        status in 0..STATUSES.len(), op in proptest::option::of(0..OPS.len()),
        instance in "[AB]", entity in "(item|order)", source in "[a-cA-C0-2]{0,4}",
        target in proptest::option::of("[a-cÉé0-2]{0,3}"), details in proptest::option::of("[a-cÉéß ]{0,6}"),
        minute in 0u32..5, attempts in proptest::option::of(1u32..4),
    ) -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "x", "status": STATUSES[status], "instance": instance, "entity_type": entity,
            "source_id": source, "target_id": target, "operation": op.map(|o| OPS[o]),
            "started_at": format!("2026-11-20T10:0{minute}:00Z"), "details": details, "attempts": attempts,
        }))
        .unwrap()
    }
}

fn arb_refinements() -> impl Strategy<Value = Refinements> {
    (
        "[a-cé]{0,2}",
        proptest::collection::vec(0..STATUSES.len(), 0..3),
        proptest::collection::vec("[AB]", 0..2),
        proptest::collection::vec(0..OPS.len() + 1, 0..2),
        proptest::option::of("[a-c0-2]{1,2}"),
        proptest::option::of(prop_oneof![Just(None), "[a-c0-2]{1,2}".prop_map(Some)]),
        proptest::option::of("[a-cé]{1,2}"),
    )
        .prop_map(
            |(search, statuses, instances, ops, source, target, details)| {
                let mut r = Refinements {
                    search,
                    ..Refinements::default()
                };
                r.set_list(
                    Column::Status,
                    statuses
                        .into_iter()
                        .map(|s| STATUSES[s].to_owned())
                        .collect(),
                );
                r.set_list(Column::Instance, instances);
                r.set_list(
                    Column::Operation,
                    ops.into_iter()
                        .map(|o| OPS.get(o).copied().unwrap_or("").to_owned())
                        .collect(),
                );
                r.set_contains(Column::SourceId, source);
                match target {
                    Some(None) => r.set_empty(Column::TargetId, true),
                    Some(Some(text)) => r.set_contains(Column::TargetId, Some(text)),
                    None => {}
                }
                r.set_contains(Column::Details, details);
                r
            },
        )
}

/// The oracle: each refinement written out directly, row by row.
fn oracle(row: &SyncLog, r: &Refinements) -> bool {
    let has = |text: &str, needle: &str| text.to_lowercase().contains(&needle.to_lowercase());
    let searchable = [
        row.source_system
            .clone()
            .map(String::from)
            .unwrap_or_default(),
        row.target_system
            .clone()
            .map(String::from)
            .unwrap_or_default(),
        row.id.clone(),
        row.source_id.clone(),
        row.target_id.clone().unwrap_or_default(),
        row.details.clone().unwrap_or_default(),
    ];
    let statuses = r.list(Column::Status);
    let instances = r.list(Column::Instance);
    let operations = r.list(Column::Operation);
    (r.search.trim().is_empty() || searchable.iter().any(|f| has(f, r.search.trim())))
        && (statuses.is_empty() || statuses.contains(&row.status.as_wire().to_owned()))
        && (instances.is_empty() || instances.iter().any(|i| row.instance == *i))
        && (operations.is_empty()
            || operations.contains(
                &row.operation
                    .as_ref()
                    .map(|o| o.as_wire().to_owned())
                    .unwrap_or_default(),
            ))
        && r.contains(Column::SourceId)
            .is_none_or(|s| has(&row.source_id, s))
        && match r.filters.get(&Column::TargetId) {
            None => true,
            Some(ColumnFilter::IsEmpty) => row.target_id.as_deref().unwrap_or("").is_empty(),
            Some(ColumnFilter::Contains(s)) => row.target_id.as_ref().is_some_and(|t| has(t, s)),
            Some(ColumnFilter::AnyOf(_)) => unreachable!("Target ID has no list filter"),
        }
        && r.contains(Column::Details)
            .is_none_or(|s| row.details.as_ref().is_some_and(|d| has(d, s)))
}

proptest! {
    #[test]
    fn refinement_keeps_exactly_the_matching_rows(
        data in proptest::collection::vec(arb_row(), 0..40),
        refinements in arb_refinements(),
        covered in 0usize..40,
    ) {
        let view = ViewState { refine: refinements.clone(), ..ViewState::default() };
        let index = SearchIndex::build(&data);
        let expected: Vec<u32> = (0..data.len() as u32).filter(|&i| oracle(&data[i as usize], &refinements)).collect();
        prop_assert_eq!(&refine(&data, &view, Some(&index), None).visible, &expected);
        prop_assert_eq!(&refine(&data, &view, None, None).visible, &expected);
        // An index of the first rows only (while the rest is being built): the same rows.
        let mut builder = SearchIndexBuilder::new();
        let given = covered.min(data.len());
        builder.extend(&data[..given]);
        let part = builder.snapshot();
        prop_assert!(part.rows() <= given && given - part.rows() <= CHUNK_ROWS);
        let chars = Arc::new(RowChars::build(&data));
        let mut whole_text = SearchIndexBuilder::new();
        whole_text.extend(&data);
        // The text alone, the characters alone (before any text), part of the text with
        // the characters (typing while the text is built).
        for index in [whole_text.finish(), SearchIndex::default().with_chars(chars.clone()), part.clone().with_chars(chars), part] {
            let refined = refine(&data, &view, Some(&index), None);
            prop_assert_eq!(&refined.visible, &expected);
            prop_assert_eq!(refined.stats, Stats::of(expected.iter().map(|&i| &data[i as usize])));
        }
        // The cards count those rows, by tone (counted as the rows are refined).
        let counted = Stats::of(expected.iter().map(|&i| &data[i as usize]));
        prop_assert_eq!(refine(&data, &view, None, None).stats, counted);
        prop_assert_eq!(refine(&data, &view, Some(&index), None).stats, counted);
        // The status facet counts the rows matching everything but its own filter.
        let mut around_status = refinements.clone();
        around_status.set_list(Column::Status, Vec::new());
        let mut counts = BTreeMap::new();
        for row in data.iter().filter(|row| oracle(row, &around_status)) {
            *counts.entry(row.status.as_wire().to_owned()).or_insert(0) += 1;
        }
        prop_assert_eq!(&refine(&data, &view, Some(&index), None).status_counts, &counts);
    }

    /// Looking through every row's search text at once finds the rows a look at each
    /// row's own text finds, whatever the needle and wherever rows begin and end.
    #[test]
    fn the_whole_text_search_agrees_with_each_row(
        data in proptest::collection::vec(arb_row(), 0..40),
        ids in proptest::collection::vec("[a-c]{0,2}", 40),
        needle in "[a-cé0-2\u{1e}\u{1f}]{1,3}",
    ) {
        // A row's search text ends with its sync id: where matches across rows could be.
        let mut data = data;
        for (row, id) in data.iter_mut().zip(ids) {
            row.id = id;
        }
        let index = SearchIndex::build(&data);
        let each: Vec<bool> = (0..data.len()).map(|i| index.get(i).unwrap().contains(&needle)).collect();
        match index.rows_containing(&needle) {
            Some(all) => prop_assert_eq!(all, each),
            None => prop_assert!(needle.contains(ROW_END), "{:?}", needle),
        }
    }

    /// Typing on (a search that contains the last one) looks only at the last
    /// candidates, and gives exactly what a refine of every row gives.
    #[test]
    fn a_narrower_search_refines_the_last_candidates_to_the_same_answer(
        data in proptest::collection::vec(arb_row(), 0..40),
        refinements in arb_refinements(),
        before in "[a-cé ]{1,2}",
        typed in "[a-cé0-2 ]{0,2}",
        ahead in "[a-c]{0,1}",
        tone in proptest::option::of(proptest::sample::select(vec![Tone::Failed, Tone::Success])),
    ) {
        let index = SearchIndex::build(&data);
        let earlier = ViewState { refine: Refinements { search: before.clone(), ..refinements.clone() }, tone, ..ViewState::default() };
        let later = ViewState { refine: Refinements { search: format!("{ahead}{before}{typed}"), ..refinements }, tone, ..ViewState::default() };
        let first = refine(&data, &earlier, Some(&index), None);
        if narrows(&later, &earlier) {
            let narrowed = refine_within(&data, &later, Some(&index), None, Some(&first.candidates));
            prop_assert_eq!(narrowed, refine(&data, &later, Some(&index), None));
        } else {
            // Only a search that keeps nothing of the last one is not narrower.
            prop_assert!(before.trim().is_empty(), "{:?} then {:?}", before, later.refine.search);
        }
    }

    #[test]
    fn sorting_is_a_stable_permutation(
        data in proptest::collection::vec(arb_row(), 0..40),
        column in proptest::sample::select(Column::all()),
        descending in any::<bool>(),
    ) {
        let mut indexes: Vec<u32> = (0..data.len() as u32).collect();
        sort_indexes(&data, &mut indexes, Sort { column, descending });
        let mut sorted = indexes.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, (0..data.len() as u32).collect::<Vec<_>>());
        for pair in indexes.windows(2) {
            let (a, b) = (&data[pair[0] as usize], &data[pair[1] as usize]);
            let order = if descending { compare(b, a, column) } else { compare(a, b, column) };
            prop_assert!(order != Ordering::Greater);
            if order == Ordering::Equal {
                prop_assert!(pair[0] < pair[1], "ties keep the loaded order");
            }
        }
    }

    #[test]
    fn refinements_survive_the_url(refinements in arb_refinements(), sort in proptest::option::of((proptest::sample::select(Column::all()), any::<bool>()))) {
        let refinements = Refinements {
            sort: sort.map(|(column, descending)| Sort { column, descending }),
            ..refinements
        };
        let view = ViewState { refine: refinements, ..ViewState::default() };
        let (back, error) = ViewState::from_query_string(&view.to_query_string(100), 100);
        prop_assert_eq!(error, None);
        prop_assert_eq!(back, view);
    }
}

#[test]
fn an_error_cluster_shows_exactly_its_rows_and_the_list_ignores_it() {
    let mut data = rows();
    data[1].details = Some("Product 'RED' not found (SKU 1)".into());
    data[2].details = Some("Product 'BLUE' not found (SKU 22)".into());
    data[3].details = Some("HTTP 429 Too Many Requests".into());
    data[0].details = Some("Product 'GREEN' not found (SKU 3)".into()); // a success: no cluster
    let clusters = ClusterIndex::build(&data);
    let mut view = ViewState::default();
    view.refine.cluster = Some("Product '<value>' not found (SKU <n>)".into());
    for index in [Some(&clusters), None] {
        let refined = refine(&data, &view, None, index);
        assert_eq!(refined.visible, vec![1, 2]);
        assert_eq!(refined.stats.total, 2);
        assert_eq!(refined.unclustered, vec![0, 1, 2, 3, 4]);
        assert_eq!(refined.status_counts.get("failed"), Some(&1));
    }
    // With a card on top, the card narrows the rows shown but not the list's rows.
    view.tone = Some(Tone::Failed);
    let refined = refine(&data, &view, None, Some(&clusters));
    assert_eq!(refined.visible, vec![1]);
    assert_eq!(refined.unclustered, vec![0, 1, 2, 3, 4]);
}

#[test]
fn only_a_search_that_contains_the_last_one_with_nothing_else_changed_narrows() {
    let view = |search: &str| ViewState {
        refine: Refinements {
            search: search.into(),
            ..Refinements::default()
        },
        ..ViewState::default()
    };
    assert!(narrows(&view("time"), &view("tim")));
    assert!(narrows(&view(" TIMEOUT "), &view("meo")));
    assert!(!narrows(&view("tim"), &view("time")), "deleting widens");
    assert!(
        !narrows(&view("time"), &view("")),
        "nothing searched: every row is a candidate"
    );
    assert!(!narrows(&view("tame"), &view("tim")));
    let mut carded = view("time");
    carded.tone = Some(Tone::Failed);
    assert!(
        !narrows(&carded, &view("tim")),
        "another refinement changed"
    );
}

proptest! {
    /// Both indexes built a slice at a time (as the page builds them between paints)
    /// are the indexes built at once.
    #[test]
    fn indexes_built_in_slices_are_those_built_at_once(
        data in proptest::collection::vec(arb_row(), 0..40),
        slices in proptest::collection::vec(0usize..7, 1..12),
    ) {
        let mut search = SearchIndexBuilder::new();
        let mut clusters = crate::clusters::ClusterIndexBuilder::new(&data);
        for &n in slices.iter().cycle().take(60) {
            let end = (search.len() + n).min(data.len());
            search.extend(&data[search.len()..end]);
            clusters.step(n);
        }
        // Whatever the slices left is indexed by `finish` (clusters) or here (search).
        search.extend(&data[search.len()..]);
        let mut chars = RowCharsBuilder::new(data.len());
        for &n in slices.iter().cycle().take(60) {
            let end = (chars.len() + n).min(data.len());
            chars.extend(&data[chars.len()..end]);
        }
        chars.extend(&data[chars.len()..]);
        prop_assert_eq!(search.finish().with_chars(Arc::new(chars.finish())), SearchIndex::build(&data));
        let (sliced, whole) = (clusters.finish(), ClusterIndex::build(&data));
        for i in 0..data.len() {
            prop_assert_eq!(sliced.key_of(i), whole.key_of(i));
        }
        prop_assert_eq!(sliced.key_of(data.len()), None);
    }
}
