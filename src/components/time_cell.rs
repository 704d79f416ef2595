//! A point in time, shown in the chosen zone; hovering shows the other zone and how long
//! ago it was.

use chrono::{DateTime, Local, Utc};
use leptos::prelude::*;
use sync_logs_core::{query::format_timestamp, text::relative_time, TimeZonePref};

/// `2026-11-20 12:00:05` in the given zone.
pub fn format_in(at: DateTime<Utc>, zone: TimeZonePref) -> String {
    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
    match zone {
        TimeZonePref::Utc => at.format(FORMAT).to_string(),
        TimeZonePref::Local => at.with_timezone(&Local).format(FORMAT).to_string(),
    }
}

/// The zone's name for headers and tooltips: `UTC`, or `local, UTC+05:30`.
pub fn zone_label(zone: TimeZonePref) -> String {
    match zone {
        TimeZonePref::Utc => "UTC".to_owned(),
        TimeZonePref::Local => format!("local, UTC{}", Local::now().format("%:z")),
    }
}

/// A `<time>` element for `at`.
#[component]
pub fn TimeCell(at: DateTime<Utc>, #[prop(into)] zone: Signal<TimeZonePref>) -> impl IntoView {
    let title = move || {
        let other = match zone.get() {
            TimeZonePref::Utc => TimeZonePref::Local,
            TimeZonePref::Local => TimeZonePref::Utc,
        };
        format!(
            "{} {} · {}",
            format_in(at, other),
            zone_label(other),
            relative_time(at, Utc::now())
        )
    };
    view! {
        <time datetime=format_timestamp(at) title=title>
            {move || format_in(at, zone.get())}
        </time>
    }
}
