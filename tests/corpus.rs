//! The real event folders in `../shared/corpus/`: every one must load with zero errors, and what crier
//! reads must be what the organisers wrote. Each test skips, saying why, where the corpus is missing.

#[path = "support/corpus.rs"]
mod shared_corpus;
use shared_corpus::{corpus, load};
use std::collections::BTreeMap;
use std::path::Path;

use chrono::SecondsFormat;

fn front(path: &Path) -> serde_yaml::Mapping {
    let text = std::fs::read_to_string(path).expect("readable");
    let front = text
        .split("\n---")
        .next()
        .expect("front")
        .trim_start_matches("---");
    serde_yaml::from_str(front).expect("yaml")
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn rust_org_il_loads_49_events_and_skips_the_skeleton() {
    let Some(root) = corpus("rust.org.il") else {
        return;
    };
    let catalog = load(&root.join("events"), chrono_tz::Asia::Jerusalem);
    assert_eq!(catalog.events.len(), 49);
    assert!(root.join("events/skeleton.md").is_file());
    assert!(catalog
        .events
        .iter()
        .all(|e| file_name(&e.source) != "skeleton.md"));
    assert!(catalog
        .problems
        .iter()
        .all(|p| file_name(&p.path) != "skeleton.md"));
    // Every event here has a time and a registration link, and is identified by it.
    for event in &catalog.events {
        assert!(event.time_known, "{}", event.source.display());
        assert_eq!(Some(&event.id), event.register.as_ref());
        assert_eq!(event.timezone, "Asia/Jerusalem");
    }
    // The cut title is read whole, with a warning.
    let camp = catalog
        .events
        .iter()
        .find(|e| file_name(&e.source) == "2024-09-17-embedded-summer-camp-3.md")
        .expect("the summer camp event");
    assert_eq!(
        camp.title,
        "Embedded Summer Camp Session #3 - Rust in the Linux Kernel"
    );
    assert!(camp.cancelled, "its body starts with `cancelled`");
    // Summer and winter time in Israel.
    let starts: BTreeMap<String, String> = catalog
        .events
        .iter()
        .map(|e| {
            (
                file_name(&e.source),
                e.start.to_rfc3339_opts(SecondsFormat::Secs, false),
            )
        })
        .collect();
    assert_eq!(
        starts["2025-06-08-in-person.md"],
        "2025-06-08T18:00:00+03:00"
    );
    assert_eq!(
        starts["2026-02-23-in-person.md"],
        "2026-02-23T18:00:00+02:00"
    );
}

/// Every event's talks and speakers are exactly what its `schedule` names, read independently here.
#[test]
fn rust_org_il_talks_are_what_the_schedule_names() {
    let Some(root) = corpus("rust.org.il") else {
        return;
    };
    let catalog = load(&root.join("events"), chrono_tz::Asia::Jerusalem);
    let mut talks_seen = 0;
    for event in &catalog.events {
        let front = front(&event.source);
        if !front.contains_key("schedule") {
            // A few files write their talk in the body, the legacy way; those are checked elsewhere.
            continue;
        }
        let schedule: Vec<String> = match front.get("schedule") {
            Some(serde_yaml::Value::Sequence(items)) => items
                .iter()
                .filter_map(|v| v.as_str())
                .filter(|s| s.ends_with(".md"))
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        let expected: Vec<(String, Vec<String>)> = schedule
            .iter()
            .map(|entry| {
                let talk = self::front(&root.join(entry));
                let title = talk["title"].as_str().expect("title").trim().to_string();
                let speakers: Vec<String> = talk
                    .get("speakers")
                    .and_then(|v| v.as_sequence())
                    .map(|people| {
                        people
                            .iter()
                            .map(|p| {
                                let person = self::front(&root.join(p.as_str().expect("path")));
                                person["name"].as_str().expect("name").trim().to_string()
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                // A title that ends with "by <its speaker>" names the speaker once, as a speaker.
                let title = speakers
                    .iter()
                    .find_map(|s: &String| title.strip_suffix(&format!(" by {s}")))
                    .map_or(title.clone(), str::to_string);
                (title, speakers)
            })
            .collect();
        let actual: Vec<(String, Vec<String>)> = event
            .talks
            .iter()
            .map(|t| {
                (
                    t.title.clone(),
                    t.speakers.iter().map(|s| s.name.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(actual, expected, "{}", event.source.display());
        talks_seen += actual.len();
    }
    assert!(talks_seen >= 70, "only {talks_seen} talks were checked");
}

#[test]
fn legacy_folder_loads_with_talks_from_the_body() {
    let Some(root) = corpus("rust.org.il-2024") else {
        return;
    };
    let catalog = load(&root.join("events"), chrono_tz::Asia::Jerusalem);
    assert_eq!(catalog.events.len(), 17);
    assert_eq!(catalog.warnings(), 0, "{:?}", catalog.problems);
    for event in &catalog.events {
        // No `time` in the legacy format: 18:00 Israel time, marked as unknown.
        assert!(!event.time_known);
        assert_eq!(event.start.format("%H:%M").to_string(), "18:00");
    }
    let by_file = |name: &str| {
        catalog
            .events
            .iter()
            .find(|e| file_name(&e.source) == name)
            .unwrap_or_else(|| panic!("{name} loaded"))
    };
    let talks = |name: &str| -> Vec<(String, Vec<String>)> {
        by_file(name)
            .talks
            .iter()
            .map(|t| {
                (
                    t.title.clone(),
                    t.speakers.iter().map(|s| s.name.clone()).collect(),
                )
            })
            .collect()
    };
    let pair = |t: &str, s: &[&str]| {
        (
            t.to_string(),
            s.iter().map(std::string::ToString::to_string).collect(),
        )
    };
    assert_eq!(
        talks("2019-03-11-redis-modules-and-a-production-story.md"),
        vec![
            pair("Rust - a (Pre)production Story", &["Yoav Yanilov"]),
            pair("Developing Redis Modules in Rust", &["Gavrie Philipson"]),
        ]
    );
    assert_eq!(
        talks("2023-12-17-dont-panic-error-handling-in-rust.md"),
        vec![pair(
            "Don't panic! - Our journey to error handling in Rust",
            &["Tomer Cohen"]
        )]
    );
    // The paragraphs after a talk's bullet, up to the next talk, are its abstract and the speaker's bio.
    let redis = &by_file("2019-03-11-redis-modules-and-a-production-story.md").talks;
    let abstract_of = |i: usize| redis[i].abstract_md.clone().unwrap_or_default();
    assert!(
        abstract_of(0)
            .starts_with("In this talk, I'll walk you through my first experience with Rust"),
        "{}",
        abstract_of(0)
    );
    assert!(abstract_of(0).ends_with("infrastructure and design challenges."));
    assert!(abstract_of(1).starts_with("Redis is well known and loved in the open source world."));
    assert!(abstract_of(1).ends_with("Since starting with Rust he hasn't looked back."));
    assert!(!abstract_of(0).contains("Redis is well known"));
    let coralogix = &by_file("2024-09-09-rust-at-scale.md").talks;
    assert_eq!(coralogix.len(), 4);
    assert_eq!(coralogix[2].title, "Exploring Memory Allocators");
    assert_eq!(coralogix[2].speakers[0].name, "Ronen Cohen");
    assert_eq!(coralogix[2].length_minutes, Some(35));
    assert!(by_file("2024-12-03-rust-in-the-linux-kernel.md")
        .talks
        .is_empty());
}

/// Every start instant of berline.rs, computed independently with Python's zoneinfo: numeric offsets as
/// written, CET/CEST as the wall time in Europe/Berlin.
#[test]
fn berline_rs_start_instants_are_right() {
    let Some(posts) = corpus("berline.rs/_posts") else {
        return;
    };
    let catalog = load(&posts, chrono_tz::Europe::Berlin);
    assert_eq!(catalog.events.len(), EXPECTED_BERLIN_UTC.len());
    let starts: BTreeMap<String, String> = catalog
        .events
        .iter()
        .map(|e| {
            let utc = e.start.with_timezone(&chrono::Utc);
            (
                file_name(&e.source),
                utc.to_rfc3339_opts(SecondsFormat::Secs, true),
            )
        })
        .collect();
    for (file, want) in EXPECTED_BERLIN_UTC {
        assert_eq!(starts.get(*file).map(String::as_str), Some(*want), "{file}");
    }
    // The same folder read with the default zone (Israel) gives the same instants: offsets are offsets.
    let elsewhere = load(&posts, chrono_tz::Asia::Jerusalem);
    for event in &elsewhere.events {
        let want = starts[&file_name(&event.source)].clone();
        let got = event
            .start
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true);
        assert_eq!(got, want, "{}", event.source.display());
    }
    // Structured talks, `talks: false`, and the meetup.com link as the registration link.
    let talks = catalog
        .events
        .iter()
        .find(|e| file_name(&e.source) == "2026-07-23-berlin-talks.md")
        .expect("talks night");
    let titles: Vec<&str> = talks.talks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Powerful Macros, Good IDE Support, No Headaches. Choose Two.",
            "Reactive Programming in Rust."
        ]
    );
    assert_eq!(talks.talks[0].speakers[0].name, "Lukas Wirth");
    assert_eq!(
        talks.register.as_deref(),
        Some("https://www.meetup.com/rust-berlin/events/315484101/")
    );
    assert_eq!(talks.location.as_deref(), Some("jetbrains"));
    // The statement's file name and date disagree: a warning, not an error.
    assert!(catalog.problems.iter().any(|p| file_name(&p.path)
        == "2020-06-02-community-statement.md"
        && p.message.contains("the file's name says 2020-06-02")));
}

const EXPECTED_BERLIN_UTC: &[(&str, &str)] = &[
    ("2014-11-04-hacking.md", "2014-11-04T17:00:00Z"),
    ("2014-12-09-hack-and-learn.md", "2014-12-09T17:00:00Z"),
    ("2015-08-20-rust-berlin-meetup.md", "2015-08-20T17:00:00Z"),
    ("2016-01-27-rust-hack-and-learn.md", "2016-01-27T17:00:00Z"),
    ("2016-06-08-june-8th-meetup.md", "2016-06-08T17:00:00Z"),
    ("2016-09-16-rustfest-berlin.md", "2016-09-16T07:00:00Z"),
    ("2016-11-02-rust-hack-and-learn.md", "2016-11-02T17:00:00Z"),
    ("2017-04-05-rust-hack-and-learn.md", "2017-04-05T17:00:00Z"),
    (
        "2017-09-12-rust-meetup-september-2017.md",
        "2017-09-12T16:45:00Z",
    ),
    ("2018-03-07-rust-hack-and-learn.md", "2018-03-07T17:00:00Z"),
    ("2018-07-11-rust-hack-and-learn.md", "2018-07-11T17:00:00Z"),
    ("2018-07-25-rust-hack-and-learn.md", "2018-07-25T17:00:00Z"),
    (
        "2018-08-08-binding-to-everything.md",
        "2018-08-08T17:00:00Z",
    ),
    ("2019-01-09-rust-hack-and-learn.md", "2019-01-09T18:00:00Z"),
    ("2019-03-20-rust-hack-and-learn.md", "2019-03-20T18:00:00Z"),
    ("2019-04-03-rust-hack-and-learn.md", "2019-04-03T17:00:00Z"),
    ("2019-05-28-rust-and-tell.md", "2019-05-28T17:00:00Z"),
    ("2019-06-25-rust-and-tell.md", "2019-06-25T17:00:00Z"),
    ("2019-09-18-rust-hack-and-learn.md", "2019-09-18T17:00:00Z"),
    ("2019-10-16-rust-hack-and-learn.md", "2019-10-16T17:00:00Z"),
    ("2020-01-22-rust-hack-and-learn.md", "2020-01-22T18:00:00Z"),
    ("2020-01-28-rust-and-tell.md", "2020-01-28T18:00:00Z"),
    ("2020-02-05-rust-hack-and-learn.md", "2020-02-05T18:00:00Z"),
    ("2020-02-20-rust-hack-and-learn.md", "2020-02-20T18:00:00Z"),
    ("2020-05-26-rust-and-tell.md", "2020-05-26T17:00:00Z"),
    ("2020-05-28-rust-hack-and-learn.md", "2020-05-28T17:00:00Z"),
    ("2020-06-02-community-statement.md", "2020-06-03T22:00:00Z"),
    ("2020-06-11-rust-hack-and-learn.md", "2020-06-11T17:00:00Z"),
    ("2020-10-01-rust-hack-and-learn.md", "2020-10-01T17:00:00Z"),
    ("2021-03-18-rust-hack-and-learn.md", "2021-03-18T18:00:00Z"),
    ("2021-06-24-rust-hack-and-learn.md", "2021-06-24T17:00:00Z"),
    ("2021-10-12-rust-hack-and-learn.md", "2021-10-12T17:00:00Z"),
    ("2022-03-01-rust-hack-and-learn.md", "2022-03-01T18:00:00Z"),
    ("2022-07-05-rust-hack-and-learn.md", "2022-07-05T17:00:00Z"),
    ("2022-10-25-rust-hack-and-learn.md", "2022-10-25T17:00:00Z"),
    ("2023-03-14-rust-hack-and-learn.md", "2023-03-14T18:00:00Z"),
    (
        "2023-07-13-rust-and-tell-beer-garden-edition.md",
        "2023-07-13T16:30:00Z",
    ),
    ("2023-10-24-rust-hack-and-learn.md", "2023-10-24T17:00:00Z"),
    ("2024-03-14-rust-hack-and-learn.md", "2024-03-14T18:00:00Z"),
    ("2024-03-28-rust-hack-and-learn.md", "2024-03-28T18:00:00Z"),
    ("2024-07-18-rust-hack-and-learn.md", "2024-07-18T17:00:00Z"),
    ("2024-11-21-rust-hack-and-learn.md", "2024-11-21T18:00:00Z"),
    ("2025-04-10-rust-hack-and-learn.md", "2025-04-10T17:00:00Z"),
    (
        "2025-07-10-rust-berlin-on-location.md",
        "2025-07-10T17:00:00Z",
    ),
    ("2025-10-09-rust-hack-and-learn.md", "2025-10-09T17:00:00Z"),
    (
        "2026-01-22-rust-berlin-on-location.md",
        "2026-01-22T18:00:00Z",
    ),
    (
        "2026-04-16-rust-berlin-on-location.md",
        "2026-04-16T17:00:00Z",
    ),
    (
        "2026-07-09-rust-berlin-on-location.md",
        "2026-07-09T17:00:00Z",
    ),
    ("2026-07-23-berlin-talks.md", "2026-07-23T16:30:00Z"),
    ("2026-10-22-rust-hack-and-learn.md", "2026-10-22T17:00:00Z"),
];

/// The links a folder's files write under `keys` (http(s) ones), each file's once, read from the raw YAML.
fn written_links(dir: &Path, keys: &[&str]) -> std::collections::BTreeSet<String> {
    let mut links = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "md") {
                continue;
            }
            for key in keys {
                let value = front(&path).get(*key).cloned();
                let items = match value {
                    Some(serde_yaml::Value::Sequence(items)) => items,
                    Some(other) => vec![other],
                    None => Vec::new(),
                };
                for item in items {
                    if let Some(url) = item.as_str().map(str::trim) {
                        if url.starts_with("http") {
                            links.insert(url.to_string());
                        }
                    }
                }
            }
        }
    }
    links
}

#[test]
fn recordings_are_read_from_presentations_and_hugo_video_lists() {
    let Some(root) = corpus("rust.org.il") else {
        return;
    };
    let catalog = load(&root.join("events"), chrono_tz::Asia::Jerusalem);
    let read: std::collections::BTreeSet<String> = catalog
        .events
        .iter()
        .flat_map(|e| &e.talks)
        .flat_map(|t| &t.recordings)
        .map(|r| r.url.clone())
        .collect();
    let written = written_links(&root.join("presentations"), &["video_en", "video_he"]);
    assert!(written.len() > 20, "the corpus has its recordings");
    // Every presentation the events link to brings its recordings; presentations no event links are
    // not in the catalog.
    assert!(read.is_subset(&written), "{:?}", read.difference(&written));
    assert_eq!(
        read.len(),
        written.len(),
        "missing: {:?}",
        written.difference(&read)
    );
    let hebrew = catalog
        .events
        .iter()
        .flat_map(|e| &e.talks)
        .flat_map(|t| &t.recordings)
        .find(|r| r.label == "Recording (Hebrew)");
    assert!(hebrew.is_some(), "video_he is labelled by its language");

    let Some(paris) = corpus("parisjug") else {
        return;
    };
    let catalog = load(&paris.join("content/events"), chrono_tz::Europe::Paris);
    let read: std::collections::BTreeSet<String> = catalog
        .events
        .iter()
        .flat_map(|e| &e.recordings)
        .map(|r| r.url.clone())
        .collect();
    assert_eq!(
        read,
        written_links(&paris.join("content/events"), &["videos"])
    );
}
