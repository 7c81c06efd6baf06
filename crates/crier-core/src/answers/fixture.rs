//! A catalog for the answers' tests, indexed as the `crier` crate's `Snapshot` indexes one: the
//! events sorted by start then id, titles and ids lower-cased, speakers by lower-cased name with the
//! name as first written, the first link given, and each talk once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{Index, SpeakerTalks};
use crate::catalog::{Event, Link, Speaker, Talk};

/// "Now" in every answer test: events are placed in hours from it.
/// The embed an answer shows, whole or as a page; any other answer fails the test.
pub fn embed_of(answer: super::Answer) -> crate::embed::Embed {
    match answer {
        super::Answer::Embed(embed) | super::Answer::Page(embed, _) => embed,
        other => panic!("an embed: {other:?}"),
    }
}

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_900_000_000, 0).expect("valid")
}

/// `Meetup <id>`, `hours` from [`now`], in `group`.
pub fn event(id: &str, hours: i64, group: Option<&str>) -> Event {
    Event {
        timezone: "UTC".into(),
        group: group.map(str::to_string),
        ..Event::new(
            id,
            format!("Meetup {id}"),
            (now() + chrono::Duration::hours(hours)).fixed_offset(),
            format!("{id}.md"),
        )
    }
}

/// A long abstract, longer than a command shows, that tries to ping everyone.
pub const ABSTRACT: &str = "Why futures are lazy, @everyone. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. THE END.";

/// A meetup as the end-to-end tests write one (`tests/discord.rs`): in Hall A, in English, with a
/// registration link, and two talks: "Async Rust" (30 min, by Ada Example, linked, with a long
/// abstract) and "Macros" (by Bob Example).
pub fn meetup(id: &str, title: &str, hours: i64, group: Option<&str>) -> Event {
    let ada = Speaker {
        name: "Ada Example".into(),
        url: Some("https://github.com/ada".into()),
    };
    let bob = Speaker {
        name: "Bob Example".into(),
        url: None,
    };
    Event {
        title: title.into(),
        online: Some(false),
        location: Some("Hall A".into()),
        language: Some("English".into()),
        register: Some(format!("https://example.org/{id}")),
        talks: vec![
            Talk {
                length_minutes: Some(30),
                abstract_md: Some(ABSTRACT.into()),
                ..Talk::new("Async Rust".into(), vec![ada])
            },
            Talk::new("Macros".into(), vec![bob]),
        ],
        ..event(id, hours, group)
    }
}

/// The site of `slash_commands_answer_with_embeds_autocomplete_and_paging`: "Meetup 00" to "Meetup
/// 13", one an hour from an hour on, and "Old meetup", a day ago.
pub fn fourteen_meetups() -> Catalog {
    let mut events: Vec<Event> = (0..14)
        .map(|i| meetup(&format!("e{i:02}"), &format!("Meetup {i:02}"), i + 1, None))
        .collect();
    events.push(meetup("past", "Old meetup", -24, None));
    Catalog::new(events)
}

/// The site of `the_group_option_narrows_the_commands_to_one_groups_events`: events of the groups
/// tlv (spelt `tlv` and `TLV`, with a past one and enough for two pages) and berlin, and one in none.
pub fn groups() -> Catalog {
    let mut events = vec![
        meetup("none", "Ungrouped night", 1, None),
        meetup("tlv1", "TLV one", 2, Some("tlv")),
        meetup("berlin1", "Berlin one", 3, Some("berlin")),
        meetup("tlv2", "TLV two", 4, Some("TLV")),
        meetup("berlin2", "Berlin two", 5, Some("Berlin")),
        meetup("tlvpast", "TLV past", -24, Some("tlv")),
    ];
    events.extend((0..10).map(|i| {
        meetup(
            &format!("x{i}"),
            &format!("TLV extra {i}"),
            10 + i,
            Some("tlv"),
        )
    }));
    Catalog::new(events)
}

/// A recording link.
pub fn recording(label: &str, url: &str) -> Link {
    Link {
        label: label.into(),
        url: url.into(),
    }
}

/// A speaker's name as first written, first link, and talks as (event, talk) indexes.
type Entry = (String, Option<String>, Vec<(usize, usize)>);

pub struct Catalog {
    events: Vec<Event>,
    titles: Vec<(String, String)>,
    speakers: BTreeMap<String, Entry>,
}

impl Catalog {
    pub fn new(mut events: Vec<Event>) -> Catalog {
        events.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        let titles = events
            .iter()
            .map(|e| (e.title.to_lowercase(), e.id.to_lowercase()))
            .collect();
        let mut speakers: BTreeMap<String, Entry> = BTreeMap::new();
        for (ei, event) in events.iter().enumerate() {
            for (ti, talk) in event.talks.iter().enumerate() {
                for s in &talk.speakers {
                    let entry = speakers
                        .entry(s.name.to_lowercase())
                        .or_insert_with(|| (s.name.clone(), None, Vec::new()));
                    if entry.1.is_none() {
                        entry.1 = s.url.clone();
                    }
                    if entry.2.last() != Some(&(ei, ti)) {
                        entry.2.push((ei, ti));
                    }
                }
            }
        }
        Catalog {
            events,
            titles,
            speakers,
        }
    }
}

fn entry((name, url, talks): &Entry) -> SpeakerTalks<'_> {
    SpeakerTalks {
        name,
        url: url.as_deref(),
        talks,
    }
}

impl Index for Catalog {
    fn events(&self) -> &[Event] {
        &self.events
    }

    fn folded(&self, index: usize) -> (&str, &str) {
        let (title, id) = &self.titles[index];
        (title, id)
    }

    fn speakers(&self) -> impl Iterator<Item = (&str, SpeakerTalks<'_>)> {
        self.speakers.iter().map(|(k, v)| (k.as_str(), entry(v)))
    }

    fn speaker(&self, name: &str) -> Option<SpeakerTalks<'_>> {
        self.speakers.get(&name.trim().to_lowercase()).map(entry)
    }
}

/// The built-in English messages, as the answers' tests read them.
pub fn en() -> crate::l10n::Texts<'static> {
    crate::l10n::Wording::builtin_texts(crate::l10n::Locale::En)
}
