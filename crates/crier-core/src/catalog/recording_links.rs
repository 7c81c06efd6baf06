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

/// The recordings named by the keys `get` finds, each link once.
pub fn read<'a>(get: impl Fn(&str) -> Option<&'a Value>) -> Vec<Link> {
    let mut links: Vec<Link> = Vec::new();
    for key in KEYS {
        let label = match key.strip_prefix("video_") {
            Some(code) => format!("Recording ({})", language_name(code)),
            None => "Recording".to_string(),
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
    let plain = links.iter().filter(|l| l.label == "Recording").count();
    if plain > 1 {
        let mut n = 0;
        for link in links.iter_mut().filter(|l| l.label == "Recording") {
            n += 1;
            link.label = format!("Recording {n}");
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
    match code {
        "en" => "English".into(),
        "he" => "Hebrew".into(),
        "fr" => "French".into(),
        "de" => "German".into(),
        other => other.to_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_yaml(text: &str) -> Vec<Link> {
        let value: Value = serde_yaml::from_str(text).expect("yaml");
        read(|k| value.get(k))
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
