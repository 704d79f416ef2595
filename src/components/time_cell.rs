//! A point in time, shown in the chosen zone; hovering shows the other zone and how long
//! ago it was.

use chrono::{DateTime, Local, Offset, Utc};
use leptos::prelude::*;
use sync_logs_core::{
    query::format_timestamp,
    text::{relative_time, utc_offset, wall_clock},
    TimeZonePref,
};

/// `2026-11-20 12:00:05` in the given zone.
pub fn format_in(at: DateTime<Utc>, zone: TimeZonePref) -> String {
    match zone {
        TimeZonePref::Utc => wall_clock(&at),
        TimeZonePref::Local => wall_clock(&at.with_timezone(&Local)),
    }
}

/// The zone's name for headers and tooltips: `UTC`, or `local, UTC+05:30`.
pub fn zone_label(zone: TimeZonePref) -> String {
    match zone {
        TimeZonePref::Utc => "UTC".to_owned(),
        TimeZonePref::Local => {
            let offset = Local::now().offset().fix().local_minus_utc();
            format!("local, UTC{}", utc_offset(offset))
        }
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
