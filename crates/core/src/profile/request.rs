//! The requests a profile makes: the list request for each page (filters under the
//! backend's parameter names, its list and time forms, its paging parameters), the
//! position after each page, and the resync body.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{
    BackendProfile, ListStyle, NextUrlFrom, Paging, ProfilePage, ResyncEndpoint, TimeFormat,
};
use crate::query::{encode_pairs, format_timestamp, LogQuery};

/// Where the next page of a profiled load starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCursor {
    First,
    Token(String),
    /// A next-page URL, already checked to be on the API's origin.
    Url(String),
    Offset(u64),
    Page(u64),
    Done,
}

impl BackendProfile {
    /// The filters of `query` as the backend's parameters, and the filters set in the
    /// query that the profile maps no parameter for (they are applied in the browser).
    pub fn filter_pairs(&self, query: &LogQuery) -> (Vec<(String, String)>, Vec<&'static str>) {
        let mut pairs = Vec::new();
        let mut unmapped = Vec::new();
        let params = &self.query.params;
        let mut one = |filter: &'static str, value: Option<String>| {
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                return;
            };
            match params.get(filter) {
                Some(name) => pairs.push((name.clone(), value)),
                None => unmapped.push(filter),
            }
        };
        one("instance", query.instance.clone());
        one("entity_type", query.entity_type.clone());
        one("source_id", query.source_id.clone());
        one("correlation_id", query.correlation_id.clone());
        one("from", query.from.map(|t| self.time_param(t)));
        one("to", query.to.map(|t| self.time_param(t)));
        one("latest", query.latest.then(|| "1".to_owned()));
        let statuses: Vec<String> = query
            .statuses
            .iter()
            .flat_map(|s| self.records.status_words(s))
            .collect();
        for (filter, values) in [("ids", query.ids.clone()), ("statuses", statuses)] {
            if values.is_empty() {
                continue;
            }
            let Some(name) = params.get(filter) else {
                unmapped.push(filter);
                continue;
            };
            match self.query.lists {
                ListStyle::Repeat => pairs.extend(values.into_iter().map(|v| (name.clone(), v))),
                ListStyle::Comma => pairs.push((name.clone(), values.join(","))),
            }
        }
        (pairs, unmapped)
    }

    fn time_param(&self, at: DateTime<Utc>) -> String {
        match self.query.times {
            TimeFormat::Rfc3339 => format_timestamp(at),
            TimeFormat::EpochSeconds => at.timestamp().to_string(),
            TimeFormat::EpochMillis => at.timestamp_millis().to_string(),
        }
    }

    /// The page size asked for: `wanted`, within the backend's maximum.
    pub fn page_size(&self, wanted: u32) -> u32 {
        wanted.clamp(1, self.query.max_page_size.max(1))
    }

    /// The request of one page, relative to `api_base_url` (or, for a next-page URL,
    /// absolute); `None` when the load is done.
    pub fn list_request(
        &self,
        query: &LogQuery,
        page_size: u32,
        at: &PageCursor,
    ) -> Option<String> {
        let (mut pairs, _) = self.filter_pairs(query);
        pairs.extend(self.query.constants.iter().cloned());
        if let Some(name) = &self.query.page_size_param {
            pairs.push((name.clone(), self.page_size(page_size).to_string()));
        }
        match (at, &self.paging) {
            (PageCursor::Done, _) => return None,
            (PageCursor::Url(url), _) => return Some(url.clone()),
            (PageCursor::Token(token), Paging::Cursor { param, .. }) => {
                pairs.push((param.clone(), token.clone()))
            }
            (PageCursor::First, Paging::Offset { param }) => {
                pairs.push((param.clone(), "0".into()))
            }
            (PageCursor::Offset(n), Paging::Offset { param }) => {
                pairs.push((param.clone(), n.to_string()))
            }
            (PageCursor::First, Paging::Page { param, first }) => {
                pairs.push((param.clone(), first.to_string()))
            }
            (PageCursor::Page(n), Paging::Page { param, .. }) => {
                pairs.push((param.clone(), n.to_string()))
            }
            _ => {}
        }
        let encoded = encode_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let path = &self.records.path;
        Some(if encoded.is_empty() {
            path.clone()
        } else if path.contains('?') {
            format!("{path}&{encoded}")
        } else {
            format!("{path}?{encoded}")
        })
    }

    /// Where the load goes after `page`, which answered the request at `at` asking for
    /// `page_size` items. `link` is the answer's `Link` header; `api_base` the absolute
    /// base URL, against which a next-page URL must stay on the same origin. The page's
    /// `total`, when known (from the body or a header), ends offset and page-number
    /// paging without asking for an empty page.
    pub fn after(
        &self,
        at: &PageCursor,
        page: &ProfilePage,
        link: Option<&str>,
        page_size: u32,
        api_base: &str,
    ) -> Result<PageCursor, String> {
        let received = page.items.len() as u64;
        if received == 0 {
            return Ok(PageCursor::Done);
        }
        // A short page is the last, when the page size was asked for.
        let short =
            self.query.page_size_param.is_some() && received < u64::from(self.page_size(page_size));
        let next = match &self.paging {
            Paging::None => PageCursor::Done,
            Paging::Cursor { .. } => match &page.next {
                Some(token) if *at != PageCursor::Token(token.clone()) => {
                    PageCursor::Token(token.clone())
                }
                _ => PageCursor::Done,
            },
            Paging::NextUrl { next } => {
                let found = match next {
                    NextUrlFrom::Body(_) => page.next.clone(),
                    NextUrlFrom::LinkHeader => link.and_then(parse_link_next),
                };
                match found {
                    None => PageCursor::Done,
                    Some(url) => {
                        let list =
                            format!("{}{}", api_base.trim_end_matches('/'), self.records.path);
                        let url = resolve_same_origin(&list, &url)?;
                        if *at == PageCursor::Url(url.clone()) {
                            PageCursor::Done
                        } else {
                            PageCursor::Url(url)
                        }
                    }
                }
            }
            Paging::Offset { .. } if short => PageCursor::Done,
            Paging::Offset { .. } => {
                let next = match at {
                    PageCursor::Offset(n) => n + received,
                    _ => received,
                };
                // The total says when the last page was read, saving an empty request.
                match page.total {
                    Some(total) if next >= total => PageCursor::Done,
                    _ => PageCursor::Offset(next),
                }
            }
            Paging::Page { .. } if short => PageCursor::Done,
            Paging::Page { first, .. } => {
                let (this, next) = match at {
                    PageCursor::Page(n) => (*n, n + 1),
                    _ => (*first, first + 1),
                };
                let read = (this + 1).saturating_sub(*first) * u64::from(self.page_size(page_size));
                match page.total {
                    Some(total) if read >= total => PageCursor::Done,
                    _ => PageCursor::Page(next),
                }
            }
        };
        Ok(next)
    }

    /// The resync body for `ids`: the template with `"{ids}"` replaced by the list.
    pub fn resync_body(&self, ids: &[String]) -> Option<Value> {
        Some(self.resync.as_ref()?.body_for(ids, None))
    }

    /// The attempts path of one record, with its id escaped as a path segment.
    pub fn attempts_path(&self, id: &str) -> Option<String> {
        let endpoint = self.attempts.as_ref()?;
        let escaped: String = form_urlencoded::byte_serialize(id.as_bytes())
            .collect::<String>()
            .replace('+', "%20");
        Some(endpoint.path.replace("{id}", &escaped))
    }
}

impl ResyncEndpoint {
    /// The body for `ids`: the template with `"{ids}"` replaced by the list and
    /// `"{reason}"` by `reason` (null without one).
    pub fn body_for(&self, ids: &[String], reason: Option<&str>) -> Value {
        let ids = Value::from(ids.to_vec());
        let reason = reason.map_or(Value::Null, Value::from);
        fill(&self.body, &ids, &reason)
    }
}

fn fill(template: &Value, ids: &Value, reason: &Value) -> Value {
    match template {
        Value::String(s) if s == "{ids}" => ids.clone(),
        Value::String(s) if s == "{reason}" => reason.clone(),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill(v, ids, reason)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill(v, ids, reason)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The `rel="next"` target of an RFC 8288 `Link` header.
pub fn parse_link_next(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let target = &after[..close];
        let params_end = after[close..].find(",").map_or(after.len(), |c| close + c);
        let params = &after[close + 1..params_end];
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=").is_some_and(|rel| {
                rel.trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        if is_next {
            return Some(target.to_owned());
        }
        rest = &after[params_end..];
    }
    None
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let after = scheme_end + 3;
    let end = url[after..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after + i);
    (end > after).then(|| &url[..end])
}

/// Resolves a next-page URL the backend sent against `list_url` (the absolute URL of the
/// list endpoint), refusing one on another origin: the bearer token is sent with every
/// page, so a hostile answer must not be able to send it elsewhere.
pub fn resolve_same_origin(list_url: &str, next: &str) -> Result<String, String> {
    let next = next.trim();
    let Some(own) = origin(list_url) else {
        return Err(format!(
            "the API base {list_url} is not an absolute http(s) URL"
        ));
    };
    if next.starts_with("//") {
        return Err(format!("the next-page URL {next} names another host"));
    }
    if next.contains("://") {
        return match origin(next) {
            Some(theirs) if theirs.eq_ignore_ascii_case(own) => Ok(next.to_owned()),
            _ => Err(format!(
                "the next-page URL {next} is not on the API's origin ({own}), so it was not followed"
            )),
        };
    }
    if next.starts_with('/') {
        return Ok(format!("{own}{next}"));
    }
    if next.starts_with('?') {
        let base = list_url.split('?').next().unwrap_or(list_url);
        return Ok(format!("{base}{next}"));
    }
    Err(format!(
        "the next-page URL {next:?} is neither absolute nor a path"
    ))
}
