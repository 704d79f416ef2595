//! The status badge: tone colour, an icon and the label, so the status never depends on
//! colour alone. Unknown statuses show their raw value, marked unknown.

use leptos::prelude::*;
use sync_logs_core::{Status, Tone};

/// The icon of a tone; decorative (the label carries the meaning).
pub fn tone_icon(tone: Tone) -> &'static str {
    match tone {
        Tone::Success => "✓",
        Tone::Partial => "◐",
        Tone::InFlight => "↻",
        Tone::Failed => "✕",
        Tone::Neutral => "⊘",
        Tone::Unknown => "?",
    }
}

/// A badge for one status.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let tone = status.tone();
    let unknown = status.is_unknown();
    let class = format!("badge tone-{}", tone.key());
    let title = unknown.then(|| format!("Unknown status \"{}\"", status.as_wire()));
    view! {
        <span class=class data-status=status.as_wire().to_owned() title=title>
            <span class="badge-icon" aria-hidden="true">{tone_icon(tone)}</span>
            <span class="badge-label">{status.label().to_owned()}</span>
            {unknown.then(|| view! { <span class="visually-hidden">" (unknown status)"</span> })}
        </span>
    }
}
