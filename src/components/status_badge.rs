//! The status badge: tone colour, an icon and the label, so the status never depends on
//! colour alone. Unknown statuses show their raw value, marked unknown. The title holds
//! the whole label, which a narrow column may end in an ellipsis.

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
    // The whole label on hover too: a narrow column ends a long one in an ellipsis.
    let title = match unknown {
        true => format!("Unknown status \"{}\"", status.as_wire()),
        false => status.label().to_owned(),
    };
    view! {
        <span class=class data-status=status.as_wire().to_owned() title=title>
            <span class="badge-icon" aria-hidden="true">{tone_icon(tone)}</span>
            <span class="badge-label">{status.label().to_owned()}</span>
            {unknown.then(|| view! { <span class="visually-hidden">" (unknown status)"</span> })}
        </span>
    }
}
