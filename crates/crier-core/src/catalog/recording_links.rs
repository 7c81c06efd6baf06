//! Recording links of a talk or an event: the keys sites use for them, read into one list.
//!
//! rust.org.il's presentations write `video_en` / `video_he` once the talk is online; berline.rs talks
//! write `video`; Hugo themes (Paris JUG) write an event-level `videos:` list. Only http(s) links count:
//! `video_en:` left empty in a template, or a note, is not a recording.

use serde_yaml::Value;

use super::front::non_empty_text;
use super::model::Link;

/// Keys read as recordings, in the order their links are listed. `video_<lang>` keys carry their language.
const KEYS: &[&str] = &[
    "video",
    "videos",
    "recording",
    "recordings",
    "youtube",
    "video_en",
    "video_he",
];

/// The word every label this module writes starts with.
const RECORDING: &str = "Recording";

/// The languages a `video_<code>` key names, by code, as labels write them.
const LANGUAGES: [(&str, &str); 4] = [
    ("en", "English"),
    ("he", "Hebrew"),
    ("fr", "French"),
    ("de", "German"),
];

/// What a recording link's label says. The catalog writes labels in English (`Recording`,
/// `Recording 2`, `Recording (Hebrew)`), and a post says them in its own language: this is the one
/// place that knows their shape, both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label<'a> {
    /// `Recording`: the one plain link.
    Plain,
    /// `Recording 2`: one of several plain links.
    Numbered(u32),
    /// `Recording (Hebrew)`: a `video_<code>` key's link, by its code (`he`; a code without a name
    /// here is written upper-cased in the label and given back as written).
    Language(&'a str),
    /// Any other label, as written.
    Other(&'a str),
}

/// What `label` says (see [`Label`]).
pub fn label(label: &str) -> Label<'_> {
    let Some(rest) = label.strip_prefix(RECORDING) else {
        return Label::Other(label);
    };
    if rest.is_empty() {
        return Label::Plain;
    }
    if let Some(number) = rest.strip_prefix(' ').and_then(|n| n.parse().ok()) {
        return Label::Numbered(number);
    }
    match rest.strip_prefix(" (").and_then(|r| r.strip_suffix(')')) {
        Some(name) => Label::Language(
            LANGUAGES
                .iter()
                .find(|(_, n)| *n == name)
                .map_or(name, |(code, _)| *code),
        ),
        None => Label::Other(label),
    }
}

/// The recordings named by the keys `get` finds, each link once.
pub fn read<'a>(get: impl Fn(&str) -> Option<&'a Value>) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    for key in KEYS {
        let label = match key.strip_prefix("video_") {
            Some(code) => format!("{RECORDING} ({})", language_name(code)),
            None => RECORDING.to_string(),
        };
        for url in urls(get(key)) {
            if !links.iter().any(|l| l.url == url) {
                links.push(Link {
                    label: label.clone(),
                    url,
                });
            }
        }
    }
    // Several plain links read better numbered.
    let plain = links.iter().filter(|l| l.label == RECORDING).count();
    if plain > 1 {
        let mut n = 0;
        for link in links.iter_mut().filter(|l| l.label == RECORDING) {
            n += 1;
            link.label = format!("{RECORDING} {n}");
        }
    }
    links
}

/// Whether `key` is one this module reads (so the reader does not call it unknown).
pub fn is_recording_key(key: &str) -> bool {
    KEYS.contains(&key)
}

fn urls(value: Option<&Value>) -> Vec<String> {
    let texts: Vec<String> = match value {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|item| match item {
                Value::Mapping(map) => non_empty_text(map.get("url")),
                other => non_empty_text(Some(other)),
            })
            .collect(),
        Some(Value::Mapping(map)) => non_empty_text(map.get("url")).into_iter().collect(),
        other => non_empty_text(other).into_iter().collect(),
    };
    texts
        .into_iter()
        .filter(|t| crate::text::has_web_scheme(t))
        .collect()
}

fn language_name(code: &str) -> String {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_uppercase(), |(_, name)| (*name).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_yaml(text: &str) -> Vec<Link> {
        let value: Value = serde_yaml::from_str(text).expect("yaml");
        read(|k| value.get(k))
    }

    #[test]
    fn labels_read_back_as_they_were_written() {
        assert_eq!(label("Recording"), Label::Plain);
        assert_eq!(label("Recording 2"), Label::Numbered(2));
        assert_eq!(label("Recording (Hebrew)"), Label::Language("he"));
        assert_eq!(label("Recording (ES)"), Label::Language("ES"));
        assert_eq!(label("Recordings"), Label::Other("Recordings"));
        assert_eq!(label("Slides"), Label::Other("Slides"));
    }

    #[test]
    fn language_keys_are_labelled_and_empty_or_non_links_are_not_recordings() {
        let links = read_yaml(
            "video_en: https://youtu.be/a\nvideo_he: https://youtu.be/b\nvideo: \nrecording: soon\n",
        );
        assert_eq!(
            links,
            vec![
                Link {
                    label: "Recording (English)".into(),
                    url: "https://youtu.be/a".into()
                },
                Link {
                    label: "Recording (Hebrew)".into(),
                    url: "https://youtu.be/b".into()
                },
            ]
        );
    }

    #[test]
    fn a_list_is_numbered_and_a_repeated_link_counted_once() {
        let links = read_yaml(
            "videos:\n- https://youtu.be/a\n- https://youtu.be/b\nvideo: https://youtu.be/a\n",
        );
        let labels: Vec<&str> = links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["Recording 1", "Recording 2"]);
        assert_eq!(links[0].url, "https://youtu.be/a");
    }
}
