//! The first, straightforward [`normalise`](super::normalise): a String per word for the
//! lowercase of the one before, the key's length counted in chars before every word, the
//! host check through a Vec. Kept as the reference the faster one is proptested against
//! (the word tests that did not change are shared).

use super::{is_code, is_time, is_uuid, MAX_KEY_CHARS};
use crate::triage::STATUS_LEAD;

/// `message` with its particulars replaced by placeholders: `<value>` (quoted), `<url>`,
/// `<host>`, `<uuid>`, `<time>`, `<n>` (a number), `<id>` (letters and digits mixed, or
/// an upper-case code like `TEE-S-WHITE`).
pub(super) fn normalise(message: &str) -> String {
    let unquoted = replace_quoted(message);
    let mut out = String::with_capacity(unquoted.len().min(MAX_KEY_CHARS + 8));
    let mut previous = String::new();
    // Brackets and list punctuation split words too: "OITM(TEE-S-WHITE):" is two.
    let spaced: String = unquoted
        .chars()
        .flat_map(|c| {
            let split = matches!(c, '(' | ')' | '[' | ']' | '{' | '}' | ',' | ';' | '=');
            [Some(c), split.then_some('\u{1}')]
        })
        .flatten()
        .collect();
    for word in spaced.split(|c: char| c.is_whitespace() || c == '\u{1}') {
        if word.is_empty() {
            continue;
        }
        if out.chars().count() >= MAX_KEY_CHARS {
            out.push('…');
            break;
        }
        // Words split off at brackets join back without a space.
        let glued =
            out.ends_with(['(', '[', '{', '=']) || word.starts_with([')', ']', '}', ',', ';', '=']);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        // Keep surrounding punctuation: "(SKU 1042)," → "(SKU <n>),".
        let mut start = word
            .find(|c: char| c.is_alphanumeric() || c == '<')
            .unwrap_or(word.len());
        // A sign belongs to its number: "-3" is "<n>", not "-<n>".
        if start > 0
            && matches!(word.as_bytes()[start - 1], b'-' | b'+')
            && word.as_bytes().get(start).is_some_and(u8::is_ascii_digit)
        {
            start -= 1;
        }
        let end = word
            .rfind(|c: char| c.is_alphanumeric() || c == '>' || c == '/')
            .map_or(start, |i| {
                i + word[i..].chars().next().map_or(1, char::len_utf8)
            });
        let (lead, core, tail) = if start < end {
            (&word[..start], &word[start..end], &word[end..])
        } else {
            (word, "", "")
        };
        out.push_str(lead);
        out.push_str(placeholder(core, &previous).unwrap_or(core));
        out.push_str(tail);
        previous = core.to_lowercase();
    }
    out
}

/// What a word stands for, or `None` to keep it.
fn placeholder(word: &str, previous: &str) -> Option<&'static str> {
    if word.is_empty() || word.starts_with('<') && word.ends_with('>') {
        return None;
    }
    if word.contains("://") || word.starts_with("www.") {
        return Some("<url>");
    }
    if is_uuid(word) {
        return Some("<uuid>");
    }
    if is_time(word) {
        return Some("<time>");
    }
    if is_host(word) {
        return Some("<host>");
    }
    if is_code(word) {
        return Some("<id>");
    }
    let digits = word.chars().filter(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let numeric = word
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'));
    if numeric {
        // "HTTP 429", "status 503", "os error 111": the number is the problem.
        let status_like = digits == word.len() && STATUS_LEAD.contains(&previous);
        return (!status_like).then_some("<n>");
    }
    Some("<id>")
}

/// `shop-1.myshopify.com`, `api.example.io`: a dotted name with a top-level domain.
fn is_host(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    let tld = parts.last().copied().unwrap_or("");
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && (parts.len() >= 3 || matches!(tld, "com" | "net" | "org" | "io" | "dev" | "app"))
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_lowercase())
}

/// Replaces the inside of quoted values ('…', "…", `…`) by `<value>`. A quote counts only
/// at the start of a word, so apostrophes ("doesn't") are left alone.
fn replace_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    let mut after_space = true;
    while let Some(c) = rest.chars().next() {
        let quote = matches!(c, '\'' | '"' | '`' | '“' | '‘');
        if quote && after_space {
            let close = match c {
                '“' => '”',
                '‘' => '’',
                other => other,
            };
            let inner = &rest[c.len_utf8()..];
            if let Some(end) = inner.find(close) {
                out.push(c);
                out.push_str("<value>");
                out.push(close);
                rest = &inner[end + close.len_utf8()..];
                after_space = false;
                continue;
            }
        }
        out.push(c);
        after_space = c.is_whitespace() || matches!(c, '(' | '[' | '=' | ':' | ',');
        rest = &rest[c.len_utf8()..];
    }
    out
}
