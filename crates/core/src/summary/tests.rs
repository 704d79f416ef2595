use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// A tally over 5 days of 96 buckets, as the server makes it.
fn tallied(records: &[(&str, &str)]) -> SummaryResponse {
    let (from, to) = (at("2026-11-25T10:00:00Z"), at("2026-11-30T10:00:00Z"));
    let mut tally = Tally::new(Grid::new(from, to, DEFAULT_BUCKETS));
    for (started, status) in records {
        tally.add(at(started).timestamp_millis(), status, 1);
    }
    tally.finish()
}

#[test]
fn a_tally_agrees_with_itself_and_maps_statuses_to_tones() {
    let response = tallied(&[
        ("2026-11-25T10:00:00Z", "success"),
        ("2026-11-26T00:00:00Z", "ok"),
        ("2026-11-26T00:10:00Z", "failed"),
        ("2026-11-29T12:00:00Z", "extraction_failed"),
        ("2026-11-30T09:59:59Z", "quarantined"),
    ]);
    assert_eq!(response.total, 5);
    assert_eq!(
        response.bucket_ms,
        3 * 3_600_000,
        "5 days in 96: 3-hour buckets"
    );
    assert_eq!(
        response.buckets.len(),
        41,
        "09:00 on the 25th to 09:00 on the 30th"
    );
    let last = response.to - chrono::Duration::milliseconds(1);
    let summary = check(&response, Some(response.from), Some(last));
    assert!(summary.problems.is_empty(), "{:?}", summary.problems);
    let stats = summary.stats.unwrap();
    assert_eq!(
        (stats.total, stats.success, stats.failed, stats.unknown),
        (5, 2, 2, 1)
    );
    let (grid, timeline) = summary.timeline.unwrap();
    assert_eq!(grid.count, timeline.buckets.len());
    let in_buckets: usize = timeline.buckets.iter().map(|b| b.stats.total).sum();
    assert_eq!(in_buckets, 5);
    // 00:00 and 00:10 on the 26th share the 00:00–03:00 bucket.
    let k = grid
        .index_of(at("2026-11-26T00:10:00Z").timestamp_millis())
        .unwrap();
    let stats = timeline.buckets[k].stats;
    assert_eq!((stats.success, stats.failed), (1, 1));
}

#[test]
fn records_outside_the_range_count_in_the_total_but_in_no_bucket() {
    // A record past the grid is still counted, so the check sees the buckets fall short.
    let response = tallied(&[
        ("2026-11-26T00:00:00Z", "ok"),
        ("2026-12-01T00:00:00Z", "ok"),
    ]);
    let summary = check(&response, None, None);
    assert_eq!(summary.total, 2);
    assert_eq!(
        summary.problems,
        vec!["the buckets hold 1 records, not the total of 2".to_owned()]
    );
}

#[test]
fn counts_that_do_not_add_up_are_named_and_shown_as_given() {
    let mut response = tallied(&[
        ("2026-11-26T00:00:00Z", "ok"),
        ("2026-11-27T00:00:00Z", "failed"),
    ]);
    response.total = 3_412;
    let summary = check(&response, None, None);
    assert_eq!(summary.total, 3_412, "shown as given, with the notice");
    assert_eq!(
        summary.problems,
        vec![
            "the counts per status add up to 2, not the total of 3,412".to_owned(),
            "the buckets hold 2 records, not the total of 3,412".to_owned(),
        ]
    );
}

#[test]
fn negative_numbers_count_as_zero_and_are_named() {
    let mut response = tallied(&[("2026-11-26T00:00:00Z", "ok")]);
    response.statuses.insert("failed".into(), -4);
    response.buckets[3].counts.insert("failed".into(), -4);
    let summary = check(&response, None, None);
    assert_eq!(summary.stats.unwrap().failed, 0);
    assert_eq!(
        summary.problems,
        vec!["2 counts are negative (counted as 0)".to_owned()]
    );
    response.total = -1;
    let summary = check(&response, None, None);
    assert_eq!(summary.total, 0);
    assert!(
        summary.problems[0].starts_with("3 counts are negative"),
        "{:?}",
        summary.problems
    );
}

#[test]
fn buckets_off_the_range_or_off_the_grid_are_left_out_and_named() {
    let mut response = tallied(&[("2026-11-26T00:00:00Z", "ok")]);
    let mut far = response.buckets[0].clone();
    far.start = at("2026-12-24T00:00:00Z");
    far.counts.insert("failed".into(), 9);
    let mut askew = response.buckets[1].clone();
    askew.start += chrono::Duration::minutes(7);
    askew.counts.insert("failed".into(), 1);
    response.buckets.extend([far, askew]);
    let summary = check(&response, None, None);
    assert_eq!(
        summary.problems,
        vec!["2 buckets lie outside the range or off its grid (left out of the chart)".to_owned()]
    );
    let (_, timeline) = summary.timeline.unwrap();
    let drawn: usize = timeline.buckets.iter().map(|b| b.stats.total).sum();
    assert_eq!(drawn, 1);
}

#[test]
fn a_zero_width_and_a_short_range_are_named() {
    let mut response = tallied(&[]);
    response.bucket_ms = 0;
    let summary = check(&response, None, None);
    assert!(summary.timeline.is_none());
    assert_eq!(
        summary.problems,
        vec!["the bucket width of 0 ms cannot be drawn over this range".to_owned()]
    );
    // One millisecond over 5 days would be 432 million buckets: refused, not allocated.
    response.bucket_ms = 1;
    let summary = check(&response, None, None);
    assert!(summary.timeline.is_none());
    assert_eq!(summary.problems.len(), 1, "{:?}", summary.problems);
    let response = tallied(&[]);
    let summary = check(&response, Some(at("2026-11-20T00:00:00Z")), None);
    assert_eq!(
        summary.problems,
        vec!["it covers less than the range asked for".to_owned()]
    );
    let summary = check(&response, None, Some(response.to));
    assert_eq!(
        summary.problems.len(),
        1,
        "an inclusive end at `to` is not covered"
    );
}

#[test]
fn the_buckets_parameter_is_bounded() {
    assert_eq!(parse_buckets(None), Ok(DEFAULT_BUCKETS));
    assert_eq!(parse_buckets(Some("")), Ok(DEFAULT_BUCKETS));
    assert_eq!(parse_buckets(Some("200")), Ok(200));
    for bad in ["0", "201", "-1", "ten", "1.5"] {
        assert!(parse_buckets(Some(bad)).is_err(), "{bad}");
    }
}

#[test]
fn a_summary_round_trips_through_json() {
    let response = tallied(&[("2026-11-26T00:00:00Z", "ok")]);
    let text = serde_json::to_string(&response).unwrap();
    assert_eq!(
        serde_json::from_str::<SummaryResponse>(&text).unwrap(),
        response
    );
}
