//! The typed event model every reader produces and everything downstream consumes.
//!
//! Readers differ (rust.org.il with `presentations/` and `people/`, legacy bodies, Jekyll posts, crier's
//! native format), but they all end here, so the announcer, the renderer and the commands never care which
//! format a file was written in.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

/// One meetup, as read from one event file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Stable identity: `id` if given, else the `register` URL, else the file name without extension.
    /// It survives a postponement (the file is renamed, the registration link stays).
    pub id: String,
    pub title: String,
    /// The start, with the UTC offset that was in force at that place and time.
    pub start: DateTime<FixedOffset>,
    /// False when the file gave only a date and `default_time` was used.
    pub time_known: bool,
    /// IANA name of the zone the start was read in (`Europe/Berlin`), or the offset as written (`+02:00`).
    pub timezone: String,
    pub end: Option<DateTime<FixedOffset>>,
    /// `None` when the file does not say.
    pub online: Option<bool>,
    pub language: Option<String>,
    pub location: Option<String>,
    pub register: Option<String>,
    pub cancelled: bool,
    /// Path of the event file.
    pub source: PathBuf,
    pub talks: Vec<Talk>,
    /// Other links the file names (Jekyll `links:` map), label then URL.
    pub links: Vec<Link>,
    /// Recordings of the event as a whole (a Hugo theme's `videos:` list), beside each talk's own.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recordings: Vec<Link>,
    /// Per-event reminder offsets, overriding the configured ones.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_durations"
    )]
    pub reminders: Option<Vec<Duration>>,
    /// The group the event belongs to (`group:`), for routing and the commands' `group` filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Set when the event is one occurrence of a recurring series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<Occurrence>,
    /// When the file was last changed (its modification time), for the calendar feed's `LAST-MODIFIED`.
    #[serde(skip)]
    pub modified: Option<DateTime<Utc>>,
}

/// Which series an occurrence belongs to, and on which date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    /// The series' identity; the occurrence's own is `<series>@<date>`.
    pub series: String,
    /// The date of the occurrence in the series' zone (the date an override file names).
    pub date: NaiveDate,
    /// A dated file (`series: <id>`) replaced the series' own details for this date.
    pub overridden: bool,
    /// The series' `repeat:` as written (`monthly on the 2nd Tuesday`), for people.
    pub repeat: String,
}

impl Event {
    /// An event with what every event has, and nothing else: known time, in the start's own offset,
    /// no place, link, talks or recurrence. For building events in tests and benchmarks, where a
    /// literal would have to name every field.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        start: DateTime<FixedOffset>,
        source: impl Into<PathBuf>,
    ) -> Event {
        Event {
            id: id.into(),
            title: title.into(),
            start,
            time_known: true,
            timezone: super::datetime::offset_name(*start.offset()),
            end: None,
            online: None,
            language: None,
            location: None,
            register: None,
            cancelled: false,
            source: source.into(),
            talks: Vec::new(),
            links: Vec::new(),
            recordings: Vec::new(),
            reminders: None,
            group: None,
            occurrence: None,
            modified: None,
        }
    }
}

/// One talk (or workshop) of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Talk {
    pub title: String,
    pub speakers: Vec<Speaker>,
    /// `None` when unknown (rust.org.il writes `length: 0` for that).
    pub length_minutes: Option<u32>,
    pub language: Option<String>,
    /// The abstract, as markdown.
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    pub abstract_md: Option<String>,
    /// Links to the talk's recordings (`video_en`, `video`, ...), labelled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recordings: Vec<Link>,
}

impl Talk {
    /// A talk with only what a body line gives: its title and speakers.
    pub fn new(title: String, speakers: Vec<Speaker>) -> Talk {
        Talk {
            title,
            speakers,
            length_minutes: None,
            language: None,
            abstract_md: None,
            recordings: Vec::new(),
        }
    }

    /// The talk with the recordings found by `recordings`.
    pub fn with_recordings(mut self, recordings: Vec<Link>) -> Talk {
        self.recordings = recordings;
        self
    }
}

/// A person giving a talk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Speaker {
    pub name: String,
    /// The best link to the person: home page, else LinkedIn, else GitHub, else Twitter.
    pub url: Option<String>,
}

/// A labelled link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

fn serialize_durations<S: serde::Serializer>(
    value: &Option<Vec<Duration>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let durations = value.as_deref().unwrap_or_default();
    let mut seq = serializer.serialize_seq(Some(durations.len()))?;
    for d in durations {
        seq.serialize_element(&humantime::format_duration(*d).to_string())?;
    }
    seq.end()
}
