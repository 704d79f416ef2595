use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn at(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(1_795_000_000_000 + ms).unwrap()
}

fn row(ms: i64, id: u32) -> SyncLog {
    serde_json::from_value(serde_json::json!({
        "id": format!("{id:08}"), "status": "success", "instance": "ERP", "entity_type": "item",
        "source_id": format!("SKU-{id}"), "started_at": at(ms).to_rfc3339(),
    }))
    .unwrap()
}

/// The records of a backend, newest first (by time, then id), as the contract orders them.
fn records(times: &[i64]) -> Vec<SyncLog> {
    let mut rows: Vec<SyncLog> = times
        .iter()
        .enumerate()
        .map(|(i, &ms)| row(ms, i as u32))
        .collect();
    rows.sort_by(|a, b| (b.started_at, &b.id).cmp(&(a.started_at, &a.id)));
    rows
}

/// One page as a keyset-paged backend answers it: the records in `from..=to` after the
/// cursor (the last row of the previous page), at most `limit`, and the next cursor.
fn page<'a>(
    all: &'a [SyncLog],
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    after: Option<&SyncLog>,
    limit: usize,
) -> (Vec<SyncLog>, Option<&'a SyncLog>) {
    let matching: Vec<&SyncLog> = all
        .iter()
        .filter(|r| r.started_at >= from && to.is_none_or(|to| r.started_at <= to))
        .filter(|r| after.is_none_or(|a| (r.started_at, &r.id) < (a.started_at, &a.id)))
        .take(limit + 1)
        .collect();
    let next = (matching.len() > limit).then(|| matching[limit - 1]);
    (matching.into_iter().take(limit).cloned().collect(), next)
}

/// Follows the cursors of one query until `want` rows or the end; `keep` filters each
/// page and says when to stop.
fn follow(
    all: &[SyncLog],
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
    mut after: Option<SyncLog>,
    want: usize,
    page_size: usize,
    mut keep: impl FnMut(&mut Vec<SyncLog>) -> bool,
) -> Vec<SyncLog> {
    let mut got = Vec::new();
    while got.len() < want {
        let (mut items, next) = page(
            all,
            from,
            to,
            after.as_ref(),
            page_size.min(want - got.len()),
        );
        let stop = keep(&mut items);
        got.extend(items);
        match next {
            Some(next) if !stop => after = Some(next.clone()),
            _ => break,
        }
    }
    got
}

fn ids(rows: &[SyncLog]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

proptest! {
    /// Two parts cut anywhere before the first page's last row give the rows one part
    /// gives, in its order: the newer part from the first page's cursor with the same
    /// query, kept after the cut, and the older part (`to` = the cut, asked for as many
    /// as could still be wanted) cut to what the newer part left of the limit. Their
    /// pages arrive in any order, and while no more rows arrive than the limit, the room
    /// reserved for them is never re-allocated.
    #[test]
    fn two_parts_load_what_one_does(
        times in prop::collection::vec(0i64..5_000, 0..300),
        limit in 1usize..320,
        first_size in 1usize..40,
        page_size in 1usize..60,
        cut in 0i64..5_000,
        turns in prop::collection::vec(any::<bool>(), 0..40),
    ) {
        let all = records(&times);
        let from = at(0);
        let one = follow(&all, from, None, None, limit, page_size, |_| false);

        let (first, next) = page(&all, from, None, None, first_size.min(limit));
        let mut arrivals = Arrivals::default();
        arrivals.push_newer(first.clone());
        let rows = match (next.filter(|_| first.len() < limit), first.last()) {
            (Some(next), Some(oldest)) => {
                // Before the first page's oldest row, as `split_point` places it.
                let cut = at(cut.min((oldest.started_at - at(0)).num_milliseconds() - 1));
                let wanted = limit - first.len();
                arrivals.reserve(limit);
                let room_for = arrivals.rows.capacity();
                let newer = follow(&all, from, None, Some(next.clone()), wanted, page_size, |items| !split_off_older(items, cut).is_empty());
                let older = follow(&all, from, Some(cut), None, wanted, page_size, |_| false);
                let room = wanted - newer.len();
                let within_limit = first.len() + newer.len() + older.len() <= limit;
                let (mut newer, mut older) = (newer.chunks(page_size), older.chunks(page_size));
                let mut turns = turns.into_iter();
                while newer.len() + older.len() > 0 {
                    if older.len() > 0 && (newer.len() == 0 || turns.next().unwrap_or(false)) {
                        arrivals.push_older(older.next().unwrap().to_vec());
                    } else {
                        arrivals.push_newer(newer.next().unwrap().to_vec());
                    }
                }
                prop_assert_eq!(ids(arrivals.newer())[..first.len()].to_vec(), ids(&first));
                if within_limit {
                    prop_assert_eq!(arrivals.rows.capacity(), room_for);
                }
                arrivals.join(room, cut).0
            }
            _ => arrivals.into_newer(),
        };
        prop_assert_eq!(ids(&rows), ids(&one));
    }

    /// The cut lies strictly inside the range left, and the newer part is not expected to
    /// hold more than half of what is wanted (by the first page's rate).
    #[test]
    fn the_cut_lies_inside_the_range_left(
        times in prop::collection::vec(0i64..1_000_000, 2..200),
        from in -1_000_000i64..1_000_000,
        wanted in 1usize..100_000,
    ) {
        let first = records(&times);
        let oldest = first.last().unwrap().started_at;
        if let Some(cut) = split_point(&first, at(from), wanted, 1) {
            prop_assert!(cut > at(from) && cut < oldest);
        }
    }
}

#[test]
fn an_even_rate_is_cut_in_the_middle_of_what_is_wanted() {
    // 200 rows a second apart: 10,000 more wanted of a range holding 50,000.
    let first = records(&(0..200).map(|i| 50_000_000 - i * 1_000).collect::<Vec<_>>());
    let oldest = first.last().unwrap().started_at;
    let cut = split_point(&first, at(0), 10_000, 1_000).unwrap();
    assert_eq!((oldest - cut).num_seconds(), 5_000);
    // The whole range holds fewer than wanted: its middle.
    let cut = split_point(&first, at(0), 1_000_000, 1_000).unwrap();
    assert_eq!(
        (oldest - cut).num_seconds(),
        (oldest - at(0)).num_seconds() / 2
    );
}

#[test]
fn no_cut_when_the_first_page_cannot_tell_or_little_is_left() {
    let same_instant = records(&[5_000; 50]);
    assert_eq!(split_point(&same_instant, at(0), 10_000, 100), None);
    assert_eq!(split_point(&records(&[5_000]), at(0), 10_000, 100), None);
    assert_eq!(split_point(&[], at(0), 10_000, 100), None);
    // 100 rows over 99 s, 10 s left before `from`: about 10 rows expected.
    let first = records(&(0..100).map(|i| 200_000 - i * 1_000).collect::<Vec<_>>());
    assert_eq!(split_point(&first, at(91_000), 10_000, 100), None);
    // The first page reaches back past `from`.
    assert_eq!(split_point(&first, at(150_000), 10_000, 1), None);
}

#[test]
fn a_record_listed_by_both_parts_is_kept_once() {
    let cut = at(10_000);
    let mut arrivals = Arrivals::default();
    arrivals.push_older(vec![row(10_000, 2), row(9_000, 3)]);
    arrivals.push_newer(vec![row(12_000, 1), row(10_000, 2)]);
    let (rows, start) = arrivals.join(10, cut);
    assert_eq!(ids(&rows), ["00000001", "00000002", "00000003"]);
    assert_eq!(start, 2);
}

#[test]
fn a_part_given_up_leaves_the_other_as_it_was() {
    let mut arrivals = Arrivals::default();
    arrivals.push_newer(vec![row(12_000, 1)]);
    arrivals.push_older(vec![row(9_000, 3), row(8_000, 4)]);
    arrivals.push_newer(vec![row(11_000, 2)]);
    assert_eq!(arrivals.older_len(), 2);
    arrivals.drop_older();
    arrivals.push_older(vec![row(7_000, 5)]);
    assert_eq!(ids(&arrivals.into_newer()), ["00000001", "00000002"]);
}

#[test]
fn the_newer_part_ends_at_the_cut() {
    let mut items = vec![row(3_000, 1), row(2_000, 2), row(1_000, 3), row(2_500, 4)];
    let room = items.capacity();
    let older = split_off_older(&mut items, at(2_000));
    assert_eq!(ids(&items), ["00000001", "00000004"]);
    assert_eq!(ids(&older), ["00000002", "00000003"]);
    // The page keeps its allocation: the load decodes the next one into it.
    assert_eq!(items.capacity(), room);
    let mut items = vec![row(3_000, 1)];
    assert!(split_off_older(&mut items, at(2_000)).is_empty());
    assert_eq!(items.len(), 1);
}
