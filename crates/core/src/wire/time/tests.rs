use proptest::prelude::*;

use super::*;

fn by_chrono(text: &str) -> Option<DateTime<Utc>> {
    text.parse().ok()
}

/// Times in the usual form and around it: every field over and past its range, 0 to 11
/// digits of fraction, `Z`, `z`, offsets (also `-00:00` and out of range), `T` or `t`
/// or a space, and now and then a character added or cut.
fn near_usual() -> impl Strategy<Value = String> {
    (
        (0..10_000_u32, 0..14_u32, 0..33_u32),
        (0..26_u32, 0..61_u32, 0..62_u32),
        prop::collection::vec(0..10_u8, 0..12),
        prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            Just("-00:00".to_owned()),
            (any::<bool>(), 0..26_u32, 0..62_u32).prop_map(|(minus, h, m)| format!(
                "{}{h:02}:{m:02}",
                if minus { '-' } else { '+' }
            )),
            Just(String::new()),
        ],
        prop_oneof![8 => Just('T'), 1 => Just('t'), 1 => Just(' ')],
        prop_oneof![8 => Just(None), 1 => Just(Some(0_usize)), 1 => (0..30_usize).prop_map(Some)],
    )
        .prop_map(|((y, mo, d), (h, mi, s), fraction, zone, t, damage)| {
            let mut text = format!("{y:04}-{mo:02}-{d:02}{t}{h:02}:{mi:02}:{s:02}");
            if !fraction.is_empty() {
                text.push('.');
                text.extend(fraction.iter().map(|d| char::from(b'0' + d)));
            }
            text.push_str(&zone);
            match damage {
                Some(0) => text.push('0'),
                Some(at) if at < text.len() => text.truncate(at),
                _ => {}
            }
            text
        })
}

proptest! {
    /// Whatever the text, the time read is chrono's.
    #[test]
    fn reads_what_chrono_reads(text in near_usual()) {
        prop_assert_eq!(parse_time(&text), by_chrono(&text), "{}", text);
    }

    #[test]
    fn reads_what_chrono_reads_of_any_text(text in ".{0,40}") {
        prop_assert_eq!(parse_time(&text), by_chrono(&text), "{}", text);
    }

    /// Every instant chrono writes, in any zone and with any fraction, is read directly,
    /// as chrono reads it.
    #[test]
    fn reads_back_what_chrono_writes(
        secs in -62_135_596_800_i64..253_402_300_799,
        nanos in prop_oneof![Just(0_u32), 0..1_000_000_000_u32, (0..1000_u32).prop_map(|ms| ms * 1_000_000)],
        east in -86_399 / 60..86_400 / 60_i32,
    ) {
        let at = DateTime::from_timestamp(secs, nanos).unwrap();
        let zone = chrono::FixedOffset::east_opt(east * 60).unwrap();
        for format in [chrono::SecondsFormat::AutoSi, chrono::SecondsFormat::Millis, chrono::SecondsFormat::Secs] {
            for z in [true, false] {
                let text = at.with_timezone(&zone).to_rfc3339_opts(format, z);
                prop_assert_eq!(parse_time(&text), by_chrono(&text), "{}", text);
                prop_assert!(usual_form(&text).is_some(), "{}", text);
            }
        }
        let exact = at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        prop_assert_eq!(usual_form(&exact), Some(at), "{}", exact);
    }
}

#[test]
fn the_usual_forms_are_read_directly() {
    for (text, expected) in [
        ("2026-11-20T10:00:05Z", "2026-11-20T10:00:05Z"),
        ("2026-11-20T10:00:05.5Z", "2026-11-20T10:00:05.500Z"),
        (
            "2026-11-20T10:00:05.123456789+05:30",
            "2026-11-20T04:30:05.123456789Z",
        ),
        ("2024-02-29T23:59:59-08:00", "2024-03-01T07:59:59Z"),
    ] {
        assert_eq!(usual_form(text), by_chrono(expected), "{text}");
        assert_eq!(usual_form(text), by_chrono(text), "{text}");
    }
    for doubtful in [
        "2026-11-20t10:00:05Z",
        "2026-11-20 10:00:05Z",
        "2026-11-20T10:00:60Z",
        "2026-11-20T10:00:05.1234567891Z",
        "2026-11-20T10:00:05",
        "2025-02-29T10:00:05Z",
        "2026-11-20T10:00:05+0530",
    ] {
        assert_eq!(usual_form(doubtful), None, "{doubtful}");
    }
}
