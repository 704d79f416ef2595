//! The status taxonomy: every status value either seed screen uses, its label, its tone
//! (the colour family of its badge) and the stat card that counts it.
//!
//! Backends are not ours, so parsing never fails: a value we do not know is kept verbatim
//! as [`Status::Other`] and shown raw, marked unknown.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The status of one sync record, as sent by the backend.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Success,
    Completed,
    Ok,
    PartialSuccess,
    PartiallyFailed,
    InProgress,
    Extracting,
    Pending,
    Sent,
    Failed,
    ExtractionFailed,
    /// Taken out of the dead-letter queue by an operator, with a reason; kept for audit.
    Discarded,
    /// A value outside the taxonomy, kept exactly as received.
    Other(String),
}

/// The colour family of a status badge, which is also the stat card that counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tone {
    Success,
    Partial,
    InFlight,
    Failed,
    /// Closed by an operator without syncing (discarded): no card, counted in Total.
    Neutral,
    /// Not in the taxonomy: counted in Total only.
    Unknown,
}

impl Status {
    /// Every known status, in the order of the taxonomy table.
    pub const KNOWN: [Status; 12] = [
        Status::Success,
        Status::Completed,
        Status::Ok,
        Status::PartialSuccess,
        Status::PartiallyFailed,
        Status::InProgress,
        Status::Extracting,
        Status::Pending,
        Status::Sent,
        Status::Failed,
        Status::ExtractionFailed,
        Status::Discarded,
    ];

    /// The place of a known status in [`Status::KNOWN`]; `None` for `Other`.
    pub fn ordinal(&self) -> Option<usize> {
        Some(match self {
            Status::Success => 0,
            Status::Completed => 1,
            Status::Ok => 2,
            Status::PartialSuccess => 3,
            Status::PartiallyFailed => 4,
            Status::InProgress => 5,
            Status::Extracting => 6,
            Status::Pending => 7,
            Status::Sent => 8,
            Status::Failed => 9,
            Status::ExtractionFailed => 10,
            Status::Discarded => 11,
            Status::Other(_) => return None,
        })
    }

    /// Parses a wire value. Case, surrounding blanks and `-`/space separators are
    /// forgiven ("Partially Failed", "IN-PROGRESS"); anything else becomes `Other`.
    pub fn parse(raw: &str) -> Status {
        // Compared byte by byte, without a normalised copy: every record has a status.
        let given = raw.trim().as_bytes();
        let same = |wire: &str| {
            wire.len() == given.len()
                && given.iter().zip(wire.bytes()).all(|(&g, w)| match g {
                    b'-' | b' ' => w == b'_',
                    g => g.to_ascii_lowercase() == w,
                })
        };
        Status::KNOWN
            .into_iter()
            .find(|s| same(s.as_wire()))
            .unwrap_or_else(|| Status::Other(raw.to_owned()))
    }

    /// The canonical wire value (the raw value for `Other`).
    pub fn as_wire(&self) -> &str {
        match self {
            Status::Success => "success",
            Status::Completed => "completed",
            Status::Ok => "ok",
            Status::PartialSuccess => "partial_success",
            Status::PartiallyFailed => "partially_failed",
            Status::InProgress => "in_progress",
            Status::Extracting => "extracting",
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::ExtractionFailed => "extraction_failed",
            Status::Discarded => "discarded",
            Status::Other(raw) => raw,
        }
    }

    /// The label shown on the badge (the raw value for `Other`).
    pub fn label(&self) -> &str {
        match self {
            Status::Success => "Success",
            Status::Completed => "Completed",
            Status::Ok => "OK",
            Status::PartialSuccess => "Partial Success",
            Status::PartiallyFailed => "Partially Failed",
            Status::InProgress => "In Progress",
            Status::Extracting => "Extracting",
            Status::Pending => "Pending",
            Status::Sent => "Sent",
            Status::Failed => "Failed",
            Status::ExtractionFailed => "Extraction Failed",
            Status::Discarded => "Discarded",
            Status::Other(raw) => raw,
        }
    }

    /// The tone of the badge and the stat card that counts this status.
    pub fn tone(&self) -> Tone {
        match self {
            Status::Success | Status::Completed | Status::Ok => Tone::Success,
            Status::PartialSuccess | Status::PartiallyFailed => Tone::Partial,
            Status::InProgress | Status::Extracting | Status::Pending | Status::Sent => {
                Tone::InFlight
            }
            Status::Failed | Status::ExtractionFailed => Tone::Failed,
            Status::Discarded => Tone::Neutral,
            Status::Other(_) => Tone::Unknown,
        }
    }

    /// True when the value is outside the taxonomy.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Status::Other(_))
    }
}

impl Tone {
    /// The tones that have a stat card of their own, in display order.
    pub const CARDS: [Tone; 4] = [Tone::Success, Tone::Partial, Tone::Failed, Tone::InFlight];

    /// The stat card title; `None` for `Unknown`, which only counts in Total.
    pub fn card_label(self) -> Option<&'static str> {
        match self {
            Tone::Success => Some("Success"),
            Tone::Partial => Some("Partial Success"),
            Tone::InFlight => Some("In flight"),
            Tone::Failed => Some("Failed"),
            Tone::Neutral | Tone::Unknown => None,
        }
    }

    /// The wire statuses of this tone, as a server `status` filter asks for them.
    pub fn wire_statuses(self) -> Vec<String> {
        Status::KNOWN
            .iter()
            .filter(|s| s.tone() == self)
            .map(|s| s.as_wire().to_owned())
            .collect()
    }

    /// The tone whose statuses are exactly `statuses` (in any order), if any.
    pub fn of_statuses(statuses: &[String]) -> Option<Tone> {
        let mut given: Vec<&str> = statuses.iter().map(String::as_str).collect();
        given.sort_unstable();
        Tone::CARDS.into_iter().find(|tone| {
            let mut wanted = tone.wire_statuses();
            wanted.sort_unstable();
            wanted == given
        })
    }

    /// Every tone, in declaration order.
    pub const ALL: [Tone; 6] = [
        Tone::Success,
        Tone::Partial,
        Tone::InFlight,
        Tone::Failed,
        Tone::Neutral,
        Tone::Unknown,
    ];

    /// The tone named by [`Tone::key`], if any.
    pub fn from_key(key: &str) -> Option<Tone> {
        Tone::ALL.into_iter().find(|t| t.key() == key)
    }

    /// A stable lowercase name, used for CSS classes and URL values.
    pub fn key(self) -> &'static str {
        match self {
            Tone::Success => "success",
            Tone::Partial => "partial",
            Tone::InFlight => "in-flight",
            Tone::Failed => "failed",
            Tone::Neutral => "neutral",
            Tone::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_wire())
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Status::parse(&raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Parsing forgives case, blanks around and `-`/space for `_`, and nothing else:
        /// the same as matching a normalised copy against the wire names.
        #[test]
        fn parsing_forgives_case_blanks_and_separators_only(
            pick in 0..Status::KNOWN.len(),
            spelling in proptest::collection::vec(0..4u8, 0..20),
            around in "[ \t\u{a0}]{0,2}",
            other in "\\PC{0,20}",
        ) {
            let wire = Status::KNOWN[pick].as_wire();
            // Each byte of the name as it is, upper case, and `_` as `-` or a space.
            let spelled: String = wire
                .chars()
                .zip(spelling.iter().chain(std::iter::repeat(&0)))
                .map(|(c, &how)| match (c, how) {
                    ('_', 1) => '-',
                    ('_', 2) => ' ',
                    (c, 3) => c.to_ascii_uppercase(),
                    (c, _) => c,
                })
                .collect();
            let raw = format!("{around}{spelled}{around}");
            prop_assert_eq!(Status::parse(&raw), Status::KNOWN[pick].clone());
            let normalised: String = other
                .trim()
                .chars()
                .map(|c| match c {
                    '-' | ' ' => '_',
                    c => c.to_ascii_lowercase(),
                })
                .collect();
            let expected = Status::KNOWN
                .into_iter()
                .find(|s| s.as_wire() == normalised)
                .unwrap_or_else(|| Status::Other(other.clone()));
            prop_assert_eq!(Status::parse(&other), expected);
        }
    }

    #[test]
    fn a_known_status_has_its_place_in_the_taxonomy() {
        for (place, status) in Status::KNOWN.iter().enumerate() {
            assert_eq!(status.ordinal(), Some(place), "{status:?}");
        }
        assert_eq!(Status::parse("on_hold").ordinal(), None);
        assert_eq!(Status::Other("failed".into()).ordinal(), None);
    }

    #[test]
    fn a_tone_names_its_wire_statuses_and_is_found_from_them() {
        assert_eq!(
            Tone::Failed.wire_statuses(),
            ["failed", "extraction_failed"]
        );
        for tone in Tone::CARDS {
            let mut statuses = tone.wire_statuses();
            assert!(!statuses.is_empty());
            statuses.reverse();
            assert_eq!(Tone::of_statuses(&statuses), Some(tone));
        }
        assert_eq!(
            Tone::of_statuses(&["failed".into()]),
            None,
            "only part of a tone"
        );
        assert_eq!(Tone::of_statuses(&[]), None);
    }

    #[test]
    fn every_known_value_round_trips_through_its_wire_name() {
        for status in Status::KNOWN {
            assert_eq!(Status::parse(status.as_wire()), status);
        }
    }

    #[test]
    fn taxonomy_matches_the_spec_table() {
        let expected = [
            ("success", "Success", Tone::Success),
            ("completed", "Completed", Tone::Success),
            ("ok", "OK", Tone::Success),
            ("partial_success", "Partial Success", Tone::Partial),
            ("partially_failed", "Partially Failed", Tone::Partial),
            ("in_progress", "In Progress", Tone::InFlight),
            ("extracting", "Extracting", Tone::InFlight),
            ("pending", "Pending", Tone::InFlight),
            ("sent", "Sent", Tone::InFlight),
            ("failed", "Failed", Tone::Failed),
            ("extraction_failed", "Extraction Failed", Tone::Failed),
            ("discarded", "Discarded", Tone::Neutral),
        ];
        for (wire, label, tone) in expected {
            let status = Status::parse(wire);
            assert!(!status.is_unknown(), "{wire} should be known");
            assert_eq!(status.label(), label);
            assert_eq!(status.tone(), tone);
        }
    }

    #[test]
    fn seed_spellings_are_forgiven() {
        assert_eq!(Status::parse("OK"), Status::Ok);
        assert_eq!(Status::parse(" Partially Failed "), Status::PartiallyFailed);
        assert_eq!(Status::parse("IN-PROGRESS"), Status::InProgress);
    }

    #[test]
    fn unknown_values_are_kept_raw_and_only_count_in_total() {
        let status = Status::parse("Quarantined <b>");
        assert_eq!(status, Status::Other("Quarantined <b>".into()));
        assert_eq!(status.label(), "Quarantined <b>");
        assert_eq!(status.as_wire(), "Quarantined <b>");
        assert_eq!(status.tone(), Tone::Unknown);
        assert_eq!(status.tone().card_label(), None);
    }

    #[test]
    fn empty_string_is_unknown_not_a_panic() {
        assert!(Status::parse("").is_unknown());
    }

    #[test]
    fn serde_uses_wire_values() {
        let json = serde_json::to_string(&Status::PartialSuccess).unwrap();
        assert_eq!(json, "\"partial_success\"");
        let back: Status = serde_json::from_str("\"Extraction Failed\"").unwrap();
        assert_eq!(back, Status::ExtractionFailed);
        let other: Status = serde_json::from_str("\"held\"").unwrap();
        assert_eq!(other, Status::Other("held".into()));
    }
}
