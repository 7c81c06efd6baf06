//! The people a front-matter key names, in the shapes sites write them.
//!
//! Sites name speakers under many keys (`speaker`, `presenters`, `speaker_name`, a talk's `authors`)
//! and in many shapes: a plain name, a markdown link `[Name](url)`, a map (`name`, `url`, `twitter`,
//! `github`), a slug of a person page (`jane-doe`, `speakers/jane-doe.md`), or a list of any of these.
//! A value names people only when it is one of those shapes: a key's text is taken as the organiser
//! wrote it, never guessed at. Placeholders (`TBA`) name nobody.
//!
//! Which keys name speakers is decided here too, and which never do: the page's own `author` wrote the
//! post, and `organizer`, `host`, `moderator` and `sponsor` run or pay for the evening.

use serde_yaml::Value;

use super::front::{non_empty_text, scalar_text};
use super::model::Speaker;
use super::names::split_names;

/// Where the person pages of a site are found (the library of `people/` and `speakers/` pages and
/// data files implements it); a trait so that this module need not know how they are read.
pub trait PersonPages {
    /// The person a path names (`people/jane-doe.md`), if that page exists and reads.
    fn page(&self, entry: &str) -> Option<Speaker>;
    /// The person a slug or a link to their page names (`jane-doe`, `/speakers/jane-doe/`).
    fn by_slug(&self, slug_or_link: &str) -> Option<Speaker>;
}

/// The best link to a person: their own page, else LinkedIn, else GitHub, else Twitter. Values may be
/// full URLs or bare handles (`github: alefminus`).
pub fn person_url(value: impl Fn(&str) -> Option<String>) -> Option<String> {
    let link = |key: &str, base: &str| {
        value(key).map(|v| {
            if crate::text::has_web_scheme(&v) {
                v
            } else {
                format!("{base}{}", v.trim_start_matches('@'))
            }
        })
    };
    link("url", "https://")
        .or_else(|| link("home", "https://"))
        .or_else(|| link("website", "https://"))
        .or_else(|| link("linkedin", "https://www.linkedin.com/in/"))
        .or_else(|| link("github", "https://github.com/"))
        .or_else(|| link("twitter", "https://x.com/"))
        .or_else(|| link("bluesky", "https://bsky.app/profile/"))
}

/// Event-level keys that name the speakers, in the order they are tried.
pub const SPEAKER_KEYS: &[&str] = &[
    "speakers",
    "speaker",
    "presenters",
    "presenter",
    "speaker_name",
    "speaker_names",
];

/// Keys that name the speakers of one talk of a list: the event's keys, and the talk's `authors`.
pub const TALK_SPEAKER_KEYS: &[&str] = &[
    "speakers",
    "speaker",
    "presenters",
    "presenter",
    "speaker_name",
    "authors",
    "author",
    "by",
];

/// Keys that name people who are never the speakers: who wrote the page, who runs or hosts the evening.
pub const NEVER_SPEAKERS: &[&str] = &[
    "author",
    "authors",
    "organizer",
    "organizers",
    "organiser",
    "organisers",
    "host",
    "hosts",
    "moderator",
    "moderators",
    "sponsor",
    "sponsors",
    "mc",
];

/// Keys whose value lists the talks of an event, in the order they are tried.
pub const TALK_LIST_KEYS: &[&str] = &[
    "talks",
    "sessions",
    "presentations",
    "program",
    "programme",
    "agenda",
    "schedule",
];

/// Keys that title one talk of a list.
pub const TALK_TITLE_KEYS: &[&str] = &["title", "talk", "topic", "name", "subject"];

/// Words organisers write where a speaker is not known yet.
const PLACEHOLDERS: &[&str] = &[
    "tba", "tbc", "tbd", "tba.", "?", "n/a", "none", "todo", "speaker", "you", "you?", "anyone",
];

/// Words after a comma that continue one name or company rather than start another person's.
const COMPANY_SUFFIXES: &[&str] = &[
    "inc", "ltd", "llc", "gmbh", "ag", "co", "jr", "sr", "phd", "md",
];

/// Whether a name is an organisation's rather than a person's: a group's handle (`Cologne.js team`,
/// `enter.js`, `Cologne.js/mobile.cologne`) or a team. An item of a talk list "by" the organisers is
/// an announcement of theirs, not a talk.
pub fn is_organisation(name: &str) -> bool {
    name.split(|c: char| c.is_whitespace() || c == '/')
        .any(|word| {
            let lower = word.to_lowercase();
            let dotted = lower
                .split('.')
                .skip(1)
                .any(|part| part.chars().count() >= 2 && part.chars().all(char::is_alphabetic));
            dotted
                || matches!(
                    lower.as_str(),
                    "team" | "crew" | "organizers" | "organisers" | "staff"
                )
        })
}

/// Whether `value` names only organisations (see [`is_organisation`]), and at least one.
pub fn names_only_organisations(value: &Value) -> bool {
    let mut names = Vec::new();
    raw_names(value, &mut names);
    !names.is_empty() && names.iter().all(|n| is_organisation(n))
}

fn raw_names(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Sequence(items) => items.iter().for_each(|v| raw_names(v, out)),
        Value::Mapping(map) => out.extend(non_empty_text(map.get("name"))),
        other => out.extend(non_empty_text(Some(other))),
    }
}

/// `jane-doe`, `approval-testing-a-better-way`: a page's slug, not a name or a title.
pub fn looks_like_slug(text: &str) -> bool {
    !text.contains(' ') && text.contains('-') && text == text.to_lowercase()
}

/// Whether a name is a placeholder rather than a person.
pub fn is_placeholder(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    lower.is_empty() || PLACEHOLDERS.contains(&lower.as_str()) || lower.starts_with("to be ")
}

/// The people `value` names: see the module's documentation for the shapes.
pub fn people(value: &Value, library: &dyn PersonPages) -> Vec<Speaker> {
    let mut out = Vec::new();
    collect(value, library, &mut out);
    out
}

fn collect(value: &Value, library: &dyn PersonPages, out: &mut Vec<Speaker>) {
    match value {
        Value::Sequence(items) => {
            for item in items {
                collect(item, library, out);
            }
        }
        Value::Mapping(map) => {
            let name = ["name", "title", "full_name", "fullname", "display_name"]
                .iter()
                .find_map(|k| non_empty_text(map.get(*k)));
            let Some(name) = name else {
                // A map keyed by slug (`speakers: {jane-doe: ...}`) is not a shape crier reads.
                return;
            };
            let url = person_url(|key| non_empty_text(map.get(key)));
            let names = names_of(&name);
            // The links of a map are one person's: two names in its `name` share none of them.
            let url = url.filter(|_| names.len() == 1);
            for name in names {
                push(
                    out,
                    Speaker {
                        name,
                        url: url.clone(),
                    },
                );
            }
        }
        other => {
            if let Some(text) = scalar_text(other) {
                from_text(&text, library, out);
            }
        }
    }
}

/// A string: a person page's slug or path, a markdown link, or names.
fn from_text(text: &str, library: &dyn PersonPages, out: &mut Vec<Speaker>) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if text.ends_with(".md") {
        if let Some(person) = library.page(text) {
            push(out, person);
            return;
        }
    }
    if let Some(person) = library.by_slug(text) {
        push(out, person);
        return;
    }
    if let Some(links) = markdown_links(text) {
        for (name, url) in links {
            let name = tidy(&name);
            if !is_placeholder(&name) && !is_organisation(&name) {
                push(
                    out,
                    Speaker {
                        name,
                        url: Some(url),
                    },
                );
            }
        }
        return;
    }
    // A slug whose page is missing (`speakers = ["jane-doe"]`): the name a reader would take from it.
    if looks_like_slug(text) {
        push(
            out,
            Speaker {
                name: super::body::slug_words(text),
                url: None,
            },
        );
        return;
    }
    for name in names_of(text) {
        push(out, Speaker { name, url: None });
    }
}

/// The people a name field holds: none for a placeholder or an organisation; several for "Ann Lee,
/// Bo Chen" or "Ann Lee/Bo Chen", but only when every part reads as a name ("Smith, Jr." or a company
/// in the field stays one entry as written).
fn names_of(text: &str) -> Vec<String> {
    let text = tidy(text);
    if is_placeholder(&text) || is_organisation(&text) {
        return Vec::new();
    }
    let company = text
        .split([',', ' '])
        .any(|w| COMPANY_SUFFIXES.contains(&w.trim_end_matches('.').to_lowercase().as_str()));
    let joined = if text.contains("://") {
        text.clone()
    } else {
        text.replace('/', ", ")
    };
    match split_names(&joined).filter(|names| names.len() > 1 && !company) {
        Some(names) => names,
        None => vec![text],
    }
}

/// `[Ann Lee](https://...)`, several joined by `,` or `and`: the links, or `None` if the text is not
/// only links and joiners.
fn markdown_links(text: &str) -> Option<Vec<(String, String)>> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let between = rest[..open].trim();
        if !between.is_empty() && !super::names::is_joiner(between) {
            return None;
        }
        let close = rest[open..].find("](")? + open;
        let end = rest[close..].find(')')? + close;
        let name = rest[open + 1..close].trim().to_string();
        let url = rest[close + 2..end].trim().to_string();
        links.push((name, url));
        rest = &rest[end + 1..];
    }
    let tail = rest.trim();
    (!links.is_empty() && (tail.is_empty() || super::names::is_joiner(tail))).then_some(links)
}

/// A name as written, without the stray punctuation that YAML keeps (`Paul Muston,`).
fn tidy(name: &str) -> String {
    name.trim().trim_end_matches([',', ';']).trim().to_string()
}

/// Adds `person` unless the same name is there already.
fn push(out: &mut Vec<Speaker>, person: Speaker) {
    if !out
        .iter()
        .any(|s| s.name.eq_ignore_ascii_case(&person.name))
    {
        out.push(person);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site without person pages.
    struct NoPages;

    impl PersonPages for NoPages {
        fn page(&self, _: &str) -> Option<Speaker> {
            None
        }
        fn by_slug(&self, _: &str) -> Option<Speaker> {
            None
        }
    }

    fn names(yaml: &str) -> Vec<String> {
        let value: Value = serde_yaml::from_str(yaml).expect("yaml");
        people(&value, &NoPages)
            .into_iter()
            .map(|s| s.name)
            .collect()
    }

    #[test]
    fn a_plain_name_a_link_a_map_and_a_list_each_name_people() {
        assert_eq!(names("Ann Lee"), ["Ann Lee"]);
        assert_eq!(names("'[Ann Lee](https://ann.example)'"), ["Ann Lee"]);
        assert_eq!(names("{name: Ann Lee, twitter: annlee}"), ["Ann Lee"]);
        assert_eq!(
            names("[Ann Lee, {name: Bo Chen}, '[Cy Dee](https://x)']"),
            ["Ann Lee", "Bo Chen", "Cy Dee"]
        );
    }

    #[test]
    fn several_names_in_one_field_are_several_people_only_when_each_is_a_name() {
        assert_eq!(
            names("Yunus Uyargil, Sebastian Tilch"),
            ["Yunus Uyargil", "Sebastian Tilch"]
        );
        assert_eq!(
            names("'[Ann Lee](https://a) and [Bo Chen](https://b)'"),
            ["Ann Lee", "Bo Chen"]
        );
        assert_eq!(names("'@francois2metz'"), ["@francois2metz"]);
        assert_eq!(names("Acme Corp, Inc."), ["Acme Corp, Inc."]);
    }

    #[test]
    fn placeholders_and_stray_commas_are_not_names() {
        assert!(names("TBA").is_empty());
        assert!(names("''").is_empty());
        assert!(names("{name: ''}").is_empty());
        assert_eq!(names("Paul Muston,"), ["Paul Muston"]);
        assert_eq!(names("Mark"), ["Mark"]);
    }

    #[test]
    fn organisations_are_not_people() {
        assert!(names("Cologne.js team").is_empty());
        assert!(names("{name: enter.js}").is_empty());
        assert!(names("Cologne.js/mobile.cologne").is_empty());
        assert_eq!(names("J.R. Smith"), ["J.R. Smith"]);
        assert_eq!(names("Ann Lee/Bo Chen"), ["Ann Lee", "Bo Chen"]);
        let value: Value = serde_yaml::from_str("{name: Cologne.js team}").expect("yaml");
        assert!(names_only_organisations(&value));
        let value: Value = serde_yaml::from_str("{name: TBA}").expect("yaml");
        assert!(!names_only_organisations(&value));
    }

    #[test]
    fn a_map_gives_the_best_link() {
        let value: Value = serde_yaml::from_str("{name: Ann Lee, github: annlee}").expect("yaml");
        let person = &people(&value, &NoPages)[0];
        assert_eq!(person.url.as_deref(), Some("https://github.com/annlee"));
    }
}
