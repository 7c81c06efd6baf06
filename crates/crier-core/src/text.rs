//! The small text jobs every part shares: cutting text to a limit, and the "did you mean" hint.
//!
//! Each is written once here so that an embed, an Events-tab description and a `crier list` line cut
//! the same way, and every misspelt key, zone or file name gets the same kind of hint.

use std::ops::Range;

use pulldown_cmark::{Event as Md, Parser, Tag};

/// The length of `text` in characters, as Discord counts its limits.
pub fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Cuts `text` to at most `max` characters at a word boundary, with an ellipsis, never inside a
/// markdown link (a cut link would show its raw URL).
pub fn truncate(text: &str, max: usize) -> String {
    if chars(text) <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let links = link_ranges(text);
    // The byte index just past the last character that may stay (one is left for the ellipsis).
    let limit = text
        .char_indices()
        .nth(max - 1)
        .map_or(text.len(), |(i, _)| i);
    let inside_link = |i: usize| links.iter().any(|r| r.start < i && i < r.end);
    let cut = text[..limit]
        .char_indices()
        .rev()
        .filter(|(i, c)| c.is_whitespace() && !inside_link(*i))
        .map(|(i, _)| i)
        .next()
        .or_else(|| {
            // No space to cut at: before a link that crosses the limit, else at the limit itself.
            links
                .iter()
                .find(|r| r.start < limit && limit < r.end)
                .map(|r| r.start)
                .or(Some(limit))
        })
        .unwrap_or(limit);
    format!("{}…", text[..cut].trim_end())
}

/// Cuts `text` to at most `max` characters exactly at the limit, with an ellipsis: for plain fields
/// (a scheduled event's name, its location) where every character counts and no markdown is shown.
pub fn cut_at(text: &str, max: usize) -> String {
    if chars(text) <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Byte ranges of the markdown links in `text`.
fn link_ranges(text: &str) -> Vec<Range<usize>> {
    Parser::new(text)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Md::Start(Tag::Link { .. }) => Some(range),
            _ => None,
        })
        .collect()
}

/// Whether `text` is written as a web link (`http://` or `https://`, in any case): how the readers
/// tell a link to a person or a recording from a bare handle, a slug or a page on the site.
pub fn has_web_scheme(text: &str) -> bool {
    let head = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    head.starts_with("https://") || head.starts_with("http://")
}

/// `text` as an absolute `http(s)` URL with a host, or `None`: the stricter check for links that are
/// compared or announced (a registration link, a talk's slides).
pub fn web_url(text: &str) -> Option<url::Url> {
    url::Url::parse(text.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// The candidate closest to `wanted`, if it is close enough to be a slip of the keyboard: at most
/// two edits (or a third of the word) apart ignoring case, or, for long names such as time zones and
/// file names, similar by Jaro-Winkler above 0.85.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let budget = 2.max(wanted.chars().count() / 3);
    let mut best: Option<(usize, f64, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        let distance = strsim::damerau_levenshtein(&lower, &wanted_lower);
        let similarity = strsim::jaro_winkler(&lower, &wanted_lower);
        if distance > budget && similarity <= 0.85 {
            continue;
        }
        let better = match best {
            None => true,
            Some((d, s, _)) => distance < d || (distance == d && similarity > s),
        };
        if better {
            best = Some((distance, similarity, candidate));
        }
    }
    best.map(|(_, _, name)| name)
}

/// "did you mean `x`?" for the closest candidate (see [`closest`]), or `None`.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wanted, candidates).map(|name| format!("did you mean `{name}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_at_a_word_boundary_with_an_ellipsis() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("hello wonderful world", 12), "hello…");
        assert_eq!(chars(&truncate(&"word ".repeat(2000), 4096)), 4095);
        assert!(truncate(&"word ".repeat(2000), 4096).ends_with("word…"));
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("anything", 0), "");
    }

    #[test]
    fn never_cuts_inside_a_link() {
        let text = "see [the slides](https://example.com/a/very/long/path) now";
        let cut = truncate(text, 30);
        assert_eq!(cut, "see…");
    }

    #[test]
    fn cut_at_keeps_every_character_it_can() {
        assert_eq!(cut_at("abc", 3), "abc");
        assert_eq!(cut_at("abcdef", 4), "abc…");
        assert_eq!(chars(&cut_at(&"é".repeat(200), 100)), 100);
    }

    #[test]
    fn tells_web_links_from_handles_and_site_pages() {
        assert!(has_web_scheme("https://example.org"));
        assert!(has_web_scheme("HTTP://example.org"));
        assert!(!has_web_scheme("github.com/ada"));
        assert!(!has_web_scheme("/speakers/ada.md"));
        assert!(!has_web_scheme("http"));
        assert!(web_url(" https://example.org/a ").is_some());
        assert!(web_url("https://").is_none());
        assert!(web_url("mailto:ada@example.org").is_none());
    }

    #[test]
    fn suggests_only_close_names() {
        let keys = ["language", "online", "group"];
        assert_eq!(closest("langauge", keys), Some("language"));
        assert_eq!(closest("GROUP", keys), Some("group"));
        assert_eq!(closest("speaker", keys), None);
        assert_eq!(
            did_you_mean("Europe/Berln", ["Europe/Berlin", "Europe/Bern"]).as_deref(),
            Some("did you mean `Europe/Berlin`?")
        );
        assert_eq!(did_you_mean("x", std::iter::empty()), None);
    }
}
