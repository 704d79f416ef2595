//! Selection algebra and resync plans.

use super::*;

fn ids(list: &[&str]) -> Vec<&'static str> {
    list.iter()
        .map(|s| -> &'static str { Box::leak(s.to_string().into_boxed_str()) })
        .collect()
}

#[test]
fn toggling_builds_and_empties_a_selection() {
    let mut s = Selection::None;
    s.toggle("a");
    s.toggle("b");
    assert_eq!(s.count(10), 2);
    assert!(s.contains("a"));
    s.toggle("a");
    s.toggle("b");
    assert_eq!(s, Selection::None);
}

#[test]
fn all_matching_minus_exclusions_counts_without_listing() {
    let mut s = Selection::None;
    s = match s {
        Selection::None => Selection::AllMatching {
            except: Default::default(),
        },
        other => other,
    };
    assert_eq!(s.count(100_000), 100_000);
    assert_eq!(s.header(100_000), HeaderCheck::Checked);
    s.toggle("x");
    assert!(!s.contains("x"));
    assert!(s.contains("y"));
    assert_eq!(s.count(100_000), 99_999);
    assert_eq!(s.header(100_000), HeaderCheck::Indeterminate);
    s.add(["x"]);
    assert_eq!(s.count(100_000), 100_000);
    assert_eq!(Selection::None.header(5), HeaderCheck::Unchecked);
}

#[test]
fn resolving_lists_the_selected_ids_in_view_order() {
    let view = ids(&["3", "1", "2", "4"]);
    let mut picked = Selection::None;
    picked.add(["2", "3"]);
    assert_eq!(picked.resolve(view.clone()), vec!["3", "2"]);
    let mut all = Selection::AllMatching {
        except: Default::default(),
    };
    all.toggle("1");
    assert_eq!(all.resolve(view), vec!["3", "2", "4"]);
}

#[test]
fn a_filter_change_keeps_only_the_selected_rows_still_in_view() {
    let before = ids(&["1", "2", "3", "4", "5"]);
    let after = ids(&["2", "4", "6"]);
    let mut all = Selection::AllMatching {
        except: Default::default(),
    };
    all.toggle("4");
    let (kept, dropped) = all.carry_over(before.clone(), after.clone());
    // 1, 2, 3, 5 were selected; only 2 is still in view; 6 was never selected.
    assert_eq!(kept, Selection::Ids(["2".to_owned()].into()));
    assert_eq!(dropped, 3);
    let (none, dropped) = Selection::None.carry_over(before, after);
    assert_eq!((none, dropped), (Selection::None, 0));
}

#[test]
fn a_plan_counts_statuses_operations_and_risks_once_per_row() {
    let row = |status: &str, op: &str, target: Option<&str>| -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "1", "status": status, "instance": "i", "entity_type": "item", "source_id": "s",
            "started_at": "2026-11-20T10:00:00Z", "operation": op, "target_id": target
        }))
        .unwrap()
    };
    let rows = [
        row("failed", "update", Some("t")),
        row("failed", "create", None),
        row("ok", "delete", Some("t")),
        row("partial_success", "update", Some("t")),
    ];
    let plan = ResyncPlan::of(&rows);
    assert_eq!(plan.total, 4);
    assert_eq!(plan.by_status.get("Failed"), Some(&2));
    assert_eq!(plan.by_operation.get("Update"), Some(&2));
    assert_eq!(
        (plan.succeeded, plan.creates_without_target, plan.deletes),
        (1, 1, 1)
    );
    assert_eq!(plan.risky, 2, "the OK delete is one risky row");
    assert_eq!(plan.by_error, [(NO_ERROR.to_owned(), 4)]);
    assert!(!is_risky(&rows[0]) && is_risky(&rows[1]) && is_risky(&rows[2]));
}

#[test]
fn records_without_an_id_are_never_sent() {
    let all = Selection::AllMatching {
        except: Default::default(),
    };
    assert_eq!(all.resolve(["1", "", "2", " \t"]), ["1", "2"]);
    let mut picked = Selection::None;
    picked.add(["", "3"]);
    assert_eq!(picked.resolve(["", "3"]), ["3"]);
}

#[test]
fn a_plan_groups_rows_by_error_cluster_largest_first() {
    let row = |details: Option<&str>| -> SyncLog {
        serde_json::from_value(serde_json::json!({
            "id": "1", "status": "failed", "instance": "i", "entity_type": "item", "source_id": "s",
            "started_at": "2026-11-20T10:00:00Z", "details": details
        }))
        .unwrap()
    };
    let rows = [
        row(Some("Timeout after 30 s on order 1001")),
        row(Some("Invalid SKU")),
        row(Some("Timeout after 30 s on order 2002")),
        row(Some("  ")),
        row(None),
    ];
    let plan = ResyncPlan::of(&rows);
    let counts: Vec<usize> = plan.by_error.iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, [2, 2, 1], "{:?}", plan.by_error);
    let timeout = &plan
        .by_error
        .iter()
        .find(|(k, _)| k.contains("Timeout"))
        .unwrap();
    assert_eq!(
        timeout.1, 2,
        "the two timeouts differ only in the order number"
    );
    assert!(plan.by_error.iter().any(|(k, n)| k == NO_ERROR && *n == 2));
    assert_eq!(
        plan.by_error.iter().map(|(_, n)| n).sum::<usize>(),
        rows.len()
    );
}
