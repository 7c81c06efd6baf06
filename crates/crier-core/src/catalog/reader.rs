//! One event file to one [`Event`] and its problems.
//!
//! One reader serves every format, because the formats are one family: rust.org.il's keys are a subset
//! of crier's native ones, Jekyll posts add a zoned `date` and `talks:`, and legacy files keep their talks
//! in the body. The reader looks at which keys are there, not at which site the file came from.

use std::path::Path;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde_yaml::Value;

use super::datetime::{self, DateParts};
use super::front::{non_empty_text, scalar_text, string_list, uncut_text, Front};
use super::frontmatter::{self, SplitError};
use super::library::{Library, Missing};
use super::loose_date;
use super::model::{Event, Link, Speaker, Talk};
use super::page::{date_from_path, file_identity, slug_title};
use super::people;
use super::problem::{Position, Problem};
use super::recurrence::{self, Given, RuleSpec, Series};
use super::site::DateRule;
use super::{Settings, Vocabulary};

/// Keys of crier's native format (a superset of rust.org.il's).
pub const EVENT_KEYS: &[&str] = &[
    "id",
    "title",
    "date",
    "time",
    "end",
    "duration",
    "timezone",
    "online",
    "language",
    "location",
    "register",
    "cancelled",
    "reminders",
    "schedule",
    "talks",
    "links",
    "group",
    "series",
    "repeat",
    "until",
    "count",
    "except",
];

/// Keys that Jekyll and Hugo sites use for their own purposes: accepted without a word.
const SITE_KEYS: &[&str] = &[
    "layout",
    "permalink",
    "categories",
    "category",
    "tags",
    "author",
    "authors",
    "description",
    "summary",
    "excerpt",
    "image",
    "draft",
    "published",
    "slug",
    "url",
    "aliases",
    "weight",
    "lastmod",
    "sitemap",
    "comments",
    "redirect_from",
    "type",
    // Hugo: when a page is shown, not when the event is.
    "publishDate",
    "publishdate",
    "expiryDate",
    "expirydate",
    "publishFrontPageDate",
    "date_modified",
    "linkTitle",
    "subtitle",
    "keywords",
    "menu",
    "toc",
    "headless",
    "outputs",
    "resources",
    "translationKey",
    "hidden",
    "noindex",
    // Event themes: media and people that crier does not announce (yet).
    "address",
    "slides",
    "photos",
    "gallery",
    "owner",
    "organizer",
    "organizers",
    "organiser",
    "host",
    "hosts",
    "speakers",
    "speaker",
    "sponsors",
    "thumbnail",
    "cover",
    "banner",
    "featured",
    "images",
    "city",
    "country",
    "price",
    "capacity",
    "level",
    "audience",
    "contact",
    "status",
];

/// Other names themes give crier's keys, tried in this order when the key itself is not written.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "register",
        &[
            "registration",
            "registration_url",
            "registrationUrl",
            "register_url",
            "rsvp",
            "rsvp_url",
            "rsvpUrl",
            "meetupUrl",
            "meetup_url",
            "meetupURL",
            "meetup",
            "tickets",
            "ticket_url",
            "tickets_url",
            "eventbrite",
            "signup",
            "signup_url",
            "event_url",
        ],
    ),
    ("location", &["venue", "place", "where"]),
    ("language", &["lang"]),
    ("cancelled", &["canceled"]),
    ("timezone", &["tz", "time_zone", "timeZone"]),
];

/// Keys that give the event's start date (and maybe its time), in the order they are tried: the
/// event-specific keys first, `date` last, since many themes use `date` for when the page was
/// published and a key of their own for the event.
const START_KEYS: &[&str] = &[
    "event_date",
    "eventDate",
    "start_date",
    "startDate",
    "date_start",
    "started_at",
    "starts_at",
    "start_at",
    "start_datetime",
    "startDateTime",
    "start",
    "begin",
    "datetime",
    "date",
];

/// Keys that give the start's time alone, tried when the date has none.
const TIME_KEYS: &[&str] = &[
    "time",
    "start_time",
    "startTime",
    "time_start",
    "start",
    "starts",
    "begin",
];

/// Keys that give the end's date (and maybe its time).
const END_DATE_KEYS: &[&str] = &[
    "end_date",
    "endDate",
    "date_end",
    "ended_at",
    "ends_at",
    "end_at",
    "end_datetime",
    "endDateTime",
    "finish",
];

/// Keys that give the end's time alone.
const END_TIME_KEYS: &[&str] = &["end_time", "endTime", "time_end", "ends"];

/// Where an event's date came from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DateSource {
    Key(String),
    Name,
    /// A labelled line of the body (its line in the file).
    Body(usize),
}

impl DateSource {
    fn key(&self) -> Option<&str> {
        match self {
            DateSource::Key(key) => Some(key),
            _ => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            DateSource::Key(key) => format!("`{key}`"),
            DateSource::Name => "the file's name".to_string(),
            DateSource::Body(line) => format!("the body's `Date:` line (line {line})"),
        }
    }
}

/// A date value: ISO first (`2025-06-08 18:00 +0200`), then the forms people write (`14/08/2025`,
/// `Thursday, 14 August 2025`).
fn read_date(text: &str) -> Result<DateParts, String> {
    read_date_written(text).map(|(parts, _)| parts)
}

/// [`read_date`], with the free-text reading when it was one (its day and month order, for the site
/// to decide an ambiguous one).
fn read_date_written(text: &str) -> Result<(DateParts, Option<loose_date::LooseDate>), String> {
    match datetime::parse_date(text) {
        Ok(parts) => Ok((parts, None)),
        // An ISO date with a time or zone that cannot be read (`2030-01-01 19:00 Mars/Olympus`) is
        // that error, not a date to find elsewhere in the text.
        Err(message) if datetime::parse_ymd(text.trim()).is_some() => Err(message),
        Err(message) => match super::loose_date::parse(text) {
            Some(loose) => Ok((
                DateParts {
                    date: loose.date,
                    time: loose.time,
                    zone: None,
                },
                Some(loose),
            )),
            None => Err(message),
        },
    }
}

/// What reading one event file gave.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// The event, with how its identity was chosen (for the catalog to settle shared links); `None`
    /// when the file has errors, or is a draft.
    pub event: Option<(Event, Identity)>,
    /// Set instead of `event` when the file is a recurring series (`repeat:`).
    pub series: Option<Series>,
    /// Set beside `event` when the file replaces one date of a series (`series:`).
    pub given: Option<Given>,
    pub problems: Vec<Problem>,
    /// The start was written with a time and no offset, and read by the site's date rule.
    pub offsetless: bool,
    /// How the file wrote a numeric date (day or month first), for the site to decide ambiguous ones.
    pub date_order: DateOrder,
    /// Keys crier does not know and that are no typo of one it does (reported once per site).
    pub unknown_keys: Vec<UnknownKey>,
    /// Where the start and talks came from (with `Settings::explain`).
    pub explanation: Option<(std::path::PathBuf, Explanation)>,
}

/// The order of a numeric date's day and month, as one file wrote it.
#[derive(Debug, Clone, Default)]
pub struct DateOrder {
    /// `DayFirst` or `MonthFirst` when the file shows which (`14/08/2025`); `Ambiguous` when it
    /// cannot (`03/04/2025`, read day-first); `None` for ISO dates and month names.
    pub written: Option<loose_date::Order>,
    /// For an ambiguous date: the start read month-first instead, and where the date is written.
    pub month_first: Option<(chrono::DateTime<chrono::FixedOffset>, Option<Position>)>,
}

/// How crier understood one event file, for `crier check --explain`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    /// The start, and the key, zone and rule it came from.
    pub start: String,
    /// Each talk with its speakers and the key or rule that produced it.
    pub talks: Vec<String>,
    /// Why no talks were read, when none were.
    pub no_talks: Option<String>,
}

/// A key of a file that crier does not read.
#[derive(Debug, Clone)]
pub struct UnknownKey {
    pub key: String,
    pub path: std::path::PathBuf,
    pub at: Option<Position>,
}

/// Unknown keys of the whole site, one warning per key: a theme's own keys (`heroImage`, `edition`)
/// are in every file, and one line about each says all there is to say.
#[derive(Debug, Default)]
pub struct UnknownKeys {
    by_key: std::collections::BTreeMap<String, (UnknownKey, usize)>,
}

impl UnknownKeys {
    pub fn add(&mut self, keys: Vec<UnknownKey>) {
        for key in keys {
            let entry = self
                .by_key
                .entry(key.key.clone())
                .or_insert_with(|| (key.clone(), 0));
            // Keep the first file by path, so that the report does not depend on reading order.
            if key.path < entry.0.path {
                entry.0 = key;
            }
            entry.1 += 1;
        }
    }

    pub fn problems(self) -> impl Iterator<Item = Problem> {
        self.by_key.into_values().map(|(first, count)| {
            let also = match count {
                1 => String::new(),
                2 => " (and in 1 other file)".to_string(),
                n => format!(" (and in {} other files)", n - 1),
            };
            Problem::warning(
                &first.path,
                first.at,
                format!("key `{}` is not one crier reads{also}; ignored", first.key),
            )
        })
    }
}

/// Where an event's identity came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The file wrote `id:`.
    pub explicit: bool,
    /// The identity of the file itself: its path in the events folder, without the extension.
    pub file: String,
    /// Where `register` is written, when the identity is its link.
    pub register_at: Option<Position>,
}

/// Reads one event file's text.
pub fn read_event(
    path: &Path,
    text: &str,
    settings: &Settings,
    library: &Library,
    dates: &DateRule,
) -> FileOutcome {
    let mut problems = Vec::new();
    let mut recurring = Recurring::default();
    let mut offsetless = false;
    let mut date_order = DateOrder::default();
    let mut unknown_keys = Vec::new();
    let mut explained = settings.explain.then(Explanation::default);
    let split = if super::is_data_file(path) {
        Ok(frontmatter::Split::data(text))
    } else {
        frontmatter::split(text)
    };
    let event = match split {
        Ok(split) => match Front::parse(path, &split) {
            Ok(mut front) => {
                front.aliases(ALIASES);
                EventReader {
                    path,
                    front: &front,
                    body: split.body,
                    body_line: split.body_line,
                    settings,
                    library,
                    dates,
                    problems: &mut problems,
                    recurring: &mut recurring,
                    offsetless: &mut offsetless,
                    date_order: &mut date_order,
                    unknown_keys: &mut unknown_keys,
                    explained: explained.as_mut(),
                }
                .read()
            }
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        Err(SplitError::Missing) => {
            problems.push(Problem::error(
                path,
                Some(Position::new(1, 1)),
                "no front matter: an event file starts with a line `---`, then `key: value` lines (at least `date:` and `title:`), then a line `---`",
            ));
            None
        }
        Err(SplitError::Unclosed { .. }) => {
            problems.push(Problem::error(
                path,
                Some(Position::new(1, 1)),
                "the front matter opened on line 1 is never closed: add a line `---` after the last key",
            ));
            None
        }
    };
    // An event is only loaded without errors: a half-read event would be announced wrong.
    let ok = !problems.iter().any(Problem::is_error);
    let event = event.filter(|_| ok);
    let (event, series) = match recurring.series.filter(|_| ok) {
        Some(series) => (None, Some(series)),
        None => (event, None),
    };
    FileOutcome {
        event,
        series,
        given: recurring.given.filter(|_| ok),
        problems,
        offsetless,
        date_order,
        unknown_keys,
        explanation: explained.map(|e| (path.to_path_buf(), e)),
    }
}

/// What a file says about recurrence, beside its event.
#[derive(Default)]
struct Recurring {
    series: Option<Series>,
    given: Option<Given>,
}

struct EventReader<'r, 'a> {
    path: &'r Path,
    front: &'r Front<'a>,
    body: &'a str,
    /// The line of the file the body starts on.
    body_line: usize,
    settings: &'r Settings,
    library: &'r Library,
    dates: &'r DateRule,
    problems: &'r mut Vec<Problem>,
    recurring: &'r mut Recurring,
    offsetless: &'r mut bool,
    date_order: &'r mut DateOrder,
    unknown_keys: &'r mut Vec<UnknownKey>,
    explained: Option<&'r mut Explanation>,
}

impl EventReader<'_, '_> {
    fn error(&mut self, key: &str, message: impl Into<String>) {
        let at = self.front.key_position(key);
        self.problems.push(Problem::error(self.path, at, message));
    }

    fn warning(&mut self, key: &str, message: impl Into<String>) {
        let at = self.front.key_position(key);
        self.problems.push(Problem::warning(self.path, at, message));
    }

    fn text(&self, key: &str) -> Option<String> {
        non_empty_text(self.front.get(key))
    }

    fn read(mut self) -> Option<(Event, Identity)> {
        if self.front.get("draft").and_then(Value::as_bool) == Some(true)
            || self.front.get("published").and_then(Value::as_bool) == Some(false)
        {
            return None;
        }
        self.check_keys();
        // A cancellation marker in the title is no part of it, nor of a talk titled like the event.
        let (title, marked_cancelled) = strip_cancel_marker(&self.title());
        let zone = self.zone();
        let (start, time_known, zone_name, end_hint) = self.start(zone)?;
        let end = self.end(start, zone, end_hint);
        let links = self.links();
        let register = self.register(&links);
        let talks = self.talks(&title);
        let reminders = self.reminders();
        let cancelled = marked_cancelled || self.cancelled();
        let file = file_identity(self.path, &self.settings.events_dir);
        let explicit = self.text("id");
        let identity = Identity {
            explicit: explicit.is_some(),
            register_at: match (&explicit, &register) {
                (None, Some(_)) => self.front.key_position("register"),
                _ => None,
            },
            file: file.clone(),
        };
        // `id`, else the registration link (it survives a postponement that renames the file), else
        // the file. A link that several files share is no identity: the catalog gives those their file.
        let id = explicit.or_else(|| register.clone()).unwrap_or(file);
        let event = Event {
            id,
            title,
            start,
            time_known,
            timezone: zone_name,
            end,
            online: self.online(),
            language: self.language(),
            location: self.location(),
            register,
            cancelled,
            source: self.path.to_path_buf(),
            talks,
            links,
            recordings: super::recording_links::read(|key| self.front.get(key)),
            reminders,
            group: self.text("group"),
            occurrence: None,
            modified: None,
        };
        self.recurrence(&event);
        Some((event, identity))
    }

    /// `repeat:` makes the file a series; `series:` makes it one date of a series.
    fn recurrence(&mut self, event: &Event) {
        let repeat = self.text("repeat");
        let series = self.text("series");
        if repeat.is_none() {
            for key in ["until", "count", "except"] {
                if self.front.get(key).is_some() {
                    self.warning(
                        key,
                        format!("`{key}` is only read beside `repeat`; ignored. Add `repeat:` or remove `{key}`"),
                    );
                }
            }
        }
        match (repeat, series) {
            (Some(_), Some(_)) => self.error(
                "series",
                "a file is either a series (`repeat`) or one date of a series (`series`), not both; remove one",
            ),
            (Some(written), None) => {
                if let Some(series) = self.series(event, written) {
                    self.recurring.series = Some(series);
                }
            }
            (None, Some(series)) => {
                self.recurring.given = Some(Given {
                    series,
                    title: self.front.get("title").is_some(),
                    time: event.time_known,
                    zone: self.front.get("timezone").is_some(),
                    at: self.front.key_position("series"),
                });
            }
            (None, None) => {}
        }
    }

    fn series(&mut self, event: &Event, written: String) -> Option<Series> {
        let rrule = match recurrence::parse_repeat(&written) {
            Ok(rule) => rule,
            Err(message) => {
                self.error("repeat", message);
                return None;
            }
        };
        let Ok(zone) = event.timezone.parse::<Tz>() else {
            self.error(
                "repeat",
                format!(
                    "a recurring event needs a zone name to keep its wall time across DST, but its zone is the offset {}; add `timezone:` with a name such as `Europe/Berlin`",
                    event.timezone
                ),
            );
            return None;
        };
        let until = match self.text("until") {
            None => None,
            Some(text) => match datetime::parse_ymd(&text) {
                Some((date, rest)) if rest.trim().is_empty() => Some(date),
                _ => {
                    self.error(
                        "until",
                        format!("`{text}` is not a date; write it as YYYY-MM-DD, e.g. `until: 2027-12-31`"),
                    );
                    return None;
                }
            },
        };
        let count = match self.front.get("count") {
            None | Some(Value::Null) => None,
            // A number, or a quoted one (`count: "12"`).
            Some(value) => {
                if let Some(n) = scalar_text(value)
                    .and_then(|t| t.trim().parse::<u64>().ok())
                    .filter(|n| (1..=10_000).contains(n))
                {
                    u32::try_from(n).ok()
                } else {
                    self.error(
                    "count",
                    "`count` is the number of occurrences, a whole number from 1 to 10000, e.g. `count: 12`",
                );
                    return None;
                }
            }
        };
        let mut except = Vec::new();
        for text in string_list(self.front.get("except")) {
            match datetime::parse_ymd(&text) {
                Some((date, rest)) if rest.trim().is_empty() => except.push(date),
                _ => {
                    self.error(
                        "except",
                        format!("`{text}` is not a date; list the skipped dates as YYYY-MM-DD, e.g. `except: [2027-08-10, 2027-12-28]`"),
                    );
                    return None;
                }
            }
        }
        let spec = RuleSpec {
            written,
            rrule,
            until,
            count,
            except,
        };
        match Series::new(event.clone(), &spec, zone) {
            Ok((series, warnings)) => {
                for warning in warnings {
                    self.warning(warning.key, warning.message);
                }
                Some(series)
            }
            Err(error) => {
                self.error(error.key, error.message);
                None
            }
        }
    }

    /// Unknown keys: a typo of a key crier knows is a warning at its line, with the key it resembles
    /// (it must not pass silently, nor hide the event); any other key is a theme's own and is reported
    /// once for the whole site.
    fn check_keys(&mut self) {
        let keys: Vec<String> = self.front.values.keys().filter_map(scalar_text).collect();
        for key in keys {
            if is_known_key(&key)
                || self.settings.vocabulary.speaker_keys.contains(&key)
                || self.settings.vocabulary.talk_keys.contains(&key)
            {
                continue;
            }
            if let Some(hint) = crate::text::did_you_mean(&key, EVENT_KEYS.iter().copied()) {
                self.warning(&key, format!("unknown key `{key}`, ignored; {hint}"));
            } else {
                self.unknown_keys.push(UnknownKey {
                    at: self.front.key_position(&key),
                    key,
                    path: self.path.to_path_buf(),
                });
            }
        }
    }

    /// `title`, else the file name's slug as Jekyll and Hugo show it. Never a heading of the body: a
    /// body's first heading is as often a notice (safety rules, a venue change) as the event's name.
    fn title(&mut self) -> String {
        let (title, cut) = uncut_text(self.front, self.path, "title");
        self.problems.extend(cut);
        title.unwrap_or_else(|| slug_title(self.path))
    }

    /// The event's own `timezone`, else the configured one.
    fn zone(&mut self) -> Tz {
        let Some(name) = self.text("timezone") else {
            return self.settings.timezone;
        };
        match datetime::parse_iana(&name) {
            Ok(tz) => tz,
            Err(message) => {
                self.error("timezone", message);
                self.settings.timezone
            }
        }
    }

    /// The start instant, whether its time was written, the zone's name, and the end of a `time` range.
    ///
    /// The date is looked for where a reader would look, in this order: the front matter's start keys
    /// (an event-specific key such as `startDate` or `started_at` before `date`, which on many sites
    /// is when the page was published), the file or folder name, and a labelled line of the body. A
    /// source that cannot be read is a warning when another gives the date; the file is dropped, with
    /// an error, only when none does.
    fn start(
        &mut self,
        zone: Tz,
    ) -> Option<(
        chrono::DateTime<chrono::FixedOffset>,
        bool,
        String,
        Option<NaiveTime>,
    )> {
        let from_name = date_from_path(self.path);
        let mut unreadable: Option<(String, String)> = None;
        let mut found: Option<(String, DateParts, Option<loose_date::LooseDate>)> = None;
        for key in START_KEYS {
            let Some(value) = self.front.get(key) else {
                continue;
            };
            let Some(text) = scalar_text(value).map(|t| t.trim().to_string()) else {
                if !value.is_null() && unreadable.is_none() {
                    unreadable = Some((key.to_string(), format!("`{key}` is not a date")));
                }
                continue;
            };
            if text.is_empty() {
                continue;
            }
            match read_date_written(&text) {
                Ok((parts, loose)) => {
                    found = Some((key.to_string(), parts, loose));
                    break;
                }
                // `start = "19:00"` is the start's time, read below.
                Err(_) if datetime::parse_clock(&text).is_some() => {}
                Err(message) => {
                    if unreadable.is_none() {
                        unreadable = Some((key.to_string(), message));
                    }
                }
            }
        }
        let (source, parts, written) = match (found, from_name) {
            (Some((key, parts, loose)), named) => {
                if let Some(named) = named.filter(|n| *n != parts.date) {
                    // Jekyll names start with the date; Hugo's date sits in folders and names.
                    let fix = if super::page::is_jekyll_name(self.path) {
                        format!("Rename the file to start with {}", parts.date)
                    } else {
                        format!("Fix whichever is wrong, the file's name or `{key}`")
                    };
                    self.warning(
                        &key,
                        format!(
                            "the file's name says {named} but `{key}` says {}; `{key}` wins. {fix}",
                            parts.date
                        ),
                    );
                }
                (DateSource::Key(key), parts, loose)
            }
            (None, Some(named)) => (
                DateSource::Name,
                DateParts {
                    date: named,
                    time: None,
                    zone: None,
                },
                None,
            ),
            (None, None) => {
                let Some((loose, line)) = loose_date::labelled_in_body(self.body) else {
                    let (at, message) = match &unreadable {
                        Some((key, message)) => (
                            self.front.key_position(key),
                            format!("{message}; and neither the file's name nor a `Date:` line of the body gives one. Write it as `{key}: YYYY-MM-DD`"),
                        ),
                        None if super::is_data_file(self.path) => (
                            Some(Position::new(1, 1)),
                            "a data file in the events folder is read as an event (a list of talks, or a map of event keys), and this one has no date: name it YYYY-MM-DD.yml or add `date: YYYY-MM-DD`; if it is not an event, move it out of the events folder".to_string(),
                        ),
                        None => (
                            Some(Position::new(1, 1)),
                            "no usable date: add `date: YYYY-MM-DD` (and `time: \"18:00\"`) to the front matter, or start the file name with the date".to_string(),
                        ),
                    };
                    self.problems.push(Problem::error(self.path, at, message));
                    return None;
                };
                (
                    DateSource::Body(self.body_line + line - 1),
                    DateParts {
                        date: loose.date,
                        time: loose.time,
                        zone: None,
                    },
                    Some(loose),
                )
            }
        };
        if let Some((key, message)) = unreadable {
            if source != DateSource::Key(key.clone()) {
                let used = source.describe();
                self.warning(&key, format!("{message}; {used} is used instead"));
            }
        }
        let range = self.time_key();
        // A time written in the date value itself may come without an offset: that is read as the
        // site's generator reads it, unless the line's comment or the file names a zone.
        let written_zone = parts.zone.clone().or_else(|| self.comment_zone(&source));
        let combined = parts.time.is_some() && range.is_none();
        let (zone_spec, zone_why) = match (&written_zone, combined) {
            (Some(spec), _) => (Some(spec.clone()), "as written".to_string()),
            (None, true) if self.front.get("timezone").is_none() => {
                *self.offsetless = true;
                (
                    Some(datetime::ZoneSpec::Named(self.dates.zone)),
                    self.dates.why.clone(),
                )
            }
            (None, _) => (None, self.zone_why(zone)),
        };
        let time = range.map(|r| r.start).or(parts.time);
        let resolved = match datetime::resolve(
            parts.date,
            time.unwrap_or(self.settings.default_time),
            zone_spec.as_ref(),
            zone,
        ) {
            Ok(resolved) => resolved,
            Err(message) => {
                self.error(source.key().unwrap_or("date"), message);
                return None;
            }
        };
        if let Some(message) = resolved.warning {
            self.warning(source.key().unwrap_or("date"), message);
        }
        if let Some(loose) = written.filter(|l| l.order != loose_date::Order::Certain) {
            self.date_order.written = Some(loose.order);
            if let Some(other) = loose.month_first() {
                let at = source.key().and_then(|k| self.front.key_position(k));
                self.date_order.month_first = datetime::resolve(
                    other,
                    time.unwrap_or(self.settings.default_time),
                    zone_spec.as_ref(),
                    zone,
                )
                .ok()
                .map(|r| (r.instant, at));
            }
        }
        if let Some(explained) = &mut self.explained {
            let time_part = match (time, range) {
                (Some(_), Some(_)) => " with the time from its time key",
                (Some(_), None) => "",
                (None, _) => " (no time: time_known false)",
            };
            explained.start = format!(
                "{} from {}{time_part}; zone: {zone_why}",
                resolved.instant.to_rfc3339(),
                source.describe()
            );
        }
        Some((
            resolved.instant,
            time.is_some(),
            resolved.zone_name,
            range.and_then(|r| r.end),
        ))
    }

    /// A zone named in a comment on the line the date was read from (`# UTC date and time`).
    fn comment_zone(&self, source: &DateSource) -> Option<datetime::ZoneSpec> {
        let key = source.key()?;
        let (raw, _) = self.front.raw_value(key)?;
        super::site::zone_in_comment(raw)
    }

    /// Why dates with a time but no offset are in `zone`.
    fn zone_why(&self, zone: Tz) -> String {
        if self.front.get("timezone").is_some() {
            format!("{zone}, the file's `timezone`")
        } else {
            format!("{zone}, the configured `timezone`")
        }
    }

    /// The start's time from a time key (`time`, `startTime`, `start = "19:00"`), with the end of a
    /// range. An unreadable time is a warning: the event keeps its date, without a time.
    fn time_key(&mut self) -> Option<datetime::TimeRange> {
        let (key, value) = TIME_KEYS
            .iter()
            .find_map(|k| self.front.get(k).map(|v| (*k, v)))?;
        // Unquoted `18:00` is the number 1080 to a YAML 1.1 reader; the line still says 18:00.
        let raw = self
            .front
            .raw_value(key)
            .map(|(raw, at)| (raw.to_string(), at));
        let text = match scalar_text(value) {
            Some(text) if value.is_string() => text,
            Some(_) => raw
                .as_ref()
                .map(|(r, _)| r.trim_matches(['"', '\'']).to_string())?,
            None => return None,
        };
        if text.trim().is_empty() {
            return None;
        }
        if let Some((raw, at)) = &raw {
            let looks_sexagesimal =
                raw.contains(':') && raw.chars().all(|c| c.is_ascii_digit() || c == ':');
            if looks_sexagesimal {
                self.problems.push(Problem::warning(
                    self.path,
                    Some(*at),
                    format!(
                        "unquoted `{key}: {raw}` is read by YAML 1.1 readers such as Jekyll's as the number {}; quote it: `{key}: \"{raw}\"`",
                        sexagesimal(raw)
                    ),
                ));
            }
        }
        match datetime::parse_time_range(&text) {
            Ok(range) => Some(range),
            // A key that also names a date (`start: 2025-06-08 18:00`) was read as the date.
            Err(_) if read_date(&text).is_ok() => None,
            Err(message) => {
                self.warning(
                    key,
                    format!("{message}; the event is kept at its date, without a time"),
                );
                None
            }
        }
    }

    /// `end` (a time, or a date and time), else an end date and end time (`endDate` + `endTime`), else
    /// `duration`, else the end of a `time` range. An end that cannot be read, or is not after the
    /// start, is a warning: the start is certain, so the event is kept, without an end.
    fn end(
        &mut self,
        start: chrono::DateTime<chrono::FixedOffset>,
        zone: Tz,
        range_end: Option<NaiveTime>,
    ) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        let on_start_day = |time: NaiveTime| {
            let date: NaiveDate = start.date_naive();
            let end = datetime::resolve(date, time, None, zone).ok()?.instant;
            // A range past midnight (`22:00-01:00`) ends the next day.
            let end = if end <= start {
                end + chrono::Duration::days(1)
            } else {
                end
            };
            Some(end.with_timezone(start.offset()))
        };
        let end_time = END_TIME_KEYS
            .iter()
            .find_map(|k| self.text(k).map(|t| (*k, t)));
        let end_date = END_DATE_KEYS
            .iter()
            .find_map(|k| self.text(k).map(|t| (*k, t)));
        let (key, end) = if let Some(text) = self.text("end") {
            if let Some(time) = datetime::parse_clock(&text) {
                ("end", Ok(on_start_day(time)))
            } else {
                (
                    "end",
                    self.end_date_time(
                        &text,
                        end_time.as_ref().map(|(_, t)| t.as_str()),
                        zone,
                        start,
                    ),
                )
            }
        } else if let Some((key, text)) = end_date {
            (
                key,
                self.end_date_time(
                    &text,
                    end_time.as_ref().map(|(_, t)| t.as_str()),
                    zone,
                    start,
                ),
            )
        } else if let Some((key, text)) = end_time {
            match datetime::parse_clock(&text) {
                Some(time) => (key, Ok(on_start_day(time))),
                None => (
                    key,
                    Err(format!(
                        "`{text}` is not a time of day; write it as \"21:00\""
                    )),
                ),
            }
        } else if let Some(text) = self.text("duration") {
            match humantime::parse_duration(&text) {
                Ok(d) => ("duration", Ok(chrono::Duration::from_std(d).ok().map(|d| start + d))),
                Err(e) => ("duration", Err(format!("`duration: {text}` is not a duration ({e}); write it like `2h` or `1h 30m`"))),
            }
        } else {
            return range_end.and_then(on_start_day);
        };
        match end {
            Ok(Some(end)) if end > start => Some(end),
            // Zero-length events (an end equal to the start) are common in generated files.
            Ok(Some(end)) if end == start => None,
            Ok(Some(_)) => {
                self.warning(key, format!("`{key}` is not after the start; the event is kept without an end. Fix the date or time"));
                None
            }
            Ok(None) => None,
            Err(message) => {
                self.warning(key, format!("{message}; the event is kept without an end"));
                None
            }
        }
    }

    /// An end written as a date, with or without a time (or with the time in a key of its own).
    fn end_date_time(
        &self,
        text: &str,
        time: Option<&str>,
        zone: Tz,
        start: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>, String> {
        let parts = read_date(text)?;
        let time = parts
            .time
            .or_else(|| time.and_then(datetime::parse_clock))
            // An end date without a time: the end of that day's evening is unknown, so the end is
            // the start's time on that day (a multi-day event keeps its daily hours).
            .unwrap_or_else(|| start.time());
        let zone_spec = parts.zone.clone().or_else(|| {
            (parts.time.is_some() && self.front.get("timezone").is_none())
                .then_some(datetime::ZoneSpec::Named(self.dates.zone))
        });
        datetime::resolve(parts.date, time, zone_spec.as_ref(), zone).map(|r| Some(r.instant))
    }

    fn online(&mut self) -> Option<bool> {
        let value = self.front.get("online")?;
        if let Some(b) = value.as_bool() {
            return Some(b);
        }
        let text = scalar_text(value)?.to_lowercase();
        match text.trim() {
            "" => None,
            "yes" | "true" | "online" | "virtual" => Some(true),
            "no" | "false" | "in person" | "in-person" | "offline" => Some(false),
            other => {
                let other = other.to_string();
                self.warning(
                    "online",
                    format!("`online: {other}` is neither true nor false; write `online: true` or `online: false`"),
                );
                None
            }
        }
    }

    fn language(&self) -> Option<String> {
        match self.front.get("language")? {
            Value::Sequence(items) => {
                let names: Vec<String> = items.iter().filter_map(scalar_text).collect();
                Some(names.join(", ")).filter(|s| !s.is_empty())
            }
            other => non_empty_text(Some(other)),
        }
    }

    /// A string, or a map such as `{name: ..., address: ...}`; a separate `address` follows the venue.
    fn location(&self) -> Option<String> {
        let place = self.place();
        match (place, self.text("address")) {
            (Some(place), Some(address)) if !place.contains(&address) => {
                Some(format!("{place}, {address}"))
            }
            (None, Some(address)) => Some(address),
            (place, _) => place,
        }
    }

    fn place(&self) -> Option<String> {
        match self.front.get("location")? {
            Value::Mapping(map) => {
                let parts: Vec<String> = ["name", "address", "city"]
                    .iter()
                    .filter_map(|k| non_empty_text(map.get(*k)))
                    .collect();
                Some(parts.join(", ")).filter(|s| !s.is_empty())
            }
            other => non_empty_text(Some(other)),
        }
    }

    /// `links:` as a map of label to URL, or a list of `{label, url}` or bare URLs.
    fn links(&self) -> Vec<Link> {
        match self.front.get("links") {
            Some(Value::Mapping(map)) => map
                .iter()
                .filter_map(|(k, v)| {
                    Some(Link {
                        label: scalar_text(k)?,
                        url: non_empty_text(Some(v))?,
                    })
                })
                .collect(),
            Some(Value::Sequence(items)) => items
                .iter()
                .filter_map(|item| match item {
                    Value::Mapping(map) => {
                        let url = non_empty_text(map.get("url"))?;
                        let label = non_empty_text(map.get("label"))
                            .or_else(|| non_empty_text(map.get("title")))
                            .unwrap_or_else(|| url.clone());
                        Some(Link { label, url })
                    }
                    other => {
                        let url = non_empty_text(Some(other))?;
                        Some(Link {
                            label: url.clone(),
                            url,
                        })
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `register`, else a link labelled like a registration page (berline.rs: `Meetup.com`).
    fn register(&mut self, links: &[Link]) -> Option<String> {
        if let Some(url) = self.text("register") {
            if crate::text::web_url(&url).is_none() {
                let at = self.front.raw_value("register").map(|(_, at)| at);
                self.problems.push(Problem::warning(
                    self.path,
                    at,
                    format!("`register: {url}` is not a URL; write the full link, starting with https://"),
                ));
            }
            return Some(url);
        }
        links
            .iter()
            .find(|l| {
                let label = l.label.to_lowercase();
                ["meetup", "register", "registration", "tickets", "rsvp"]
                    .iter()
                    .any(|w| label.contains(w))
            })
            .map(|l| l.url.clone())
    }

    /// `cancelled: true`, `status: cancelled`, a body whose first line says `cancelled`, or a first
    /// heading that says the event is cancelled ("## ⚠️ Soirée annulée suite aux ...").
    fn cancelled(&self) -> bool {
        if let Some(b) = self.front.get("cancelled").and_then(Value::as_bool) {
            return b;
        }
        if self
            .text("status")
            .is_some_and(|s| is_cancel_word(&s.to_lowercase()))
        {
            return true;
        }
        let first = self
            .body
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default();
        let word = first
            .trim_matches(|c: char| "*_#>!.".contains(c) || c.is_whitespace())
            .to_lowercase();
        if is_cancel_word(&word) || says_cancelled(&word) {
            return true;
        }
        // The first heading, if it says so in so many words.
        let heading = self
            .body
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with('#'))
            .unwrap_or_default()
            .to_lowercase();
        heading
            .split(|c: char| !c.is_alphanumeric())
            .any(is_cancel_word)
    }

    /// Per-event reminder offsets: a list of durations (`[7d, 2h]`), one duration, or `false` for none.
    fn reminders(&mut self) -> Option<Vec<Duration>> {
        let value = self.front.get("reminders")?;
        if value.as_bool() == Some(false) {
            return Some(Vec::new());
        }
        let mut offsets = Vec::new();
        for text in string_list(Some(value)) {
            match humantime::parse_duration(&text) {
                Ok(d) => offsets.push(d),
                Err(e) => {
                    let at = self.front.position_after("reminders", &text);
                    self.problems.push(Problem::warning(
                        self.path,
                        at,
                        format!("reminder `{text}` is not a duration ({e}), left out (the other reminders stand); write it like `7d`, `1d` or `2h`"),
                    ));
                }
            }
        }
        Some(offsets)
    }

    /// The talks: from the front matter's talk lists (`talks`, `sessions`, `schedule`, ...), else one
    /// talk when the page is itself a talk or names one presenter, else from the body.
    fn talks(&mut self, title: &str) -> Vec<Talk> {
        let mut talks = Vec::new();
        let mut listed = false;
        let settings = self.settings;
        for key in Vocabulary::keys(&settings.vocabulary.talk_keys, people::TALK_LIST_KEYS) {
            let Some(value) = self.front.get(key) else {
                continue;
            };
            // An agenda (`schedule: [mingling]`) may list no talk and leave them to the body; a
            // `talks:` key, even empty, says the front matter is where the talks are.
            let agenda = is_agenda_key(key);
            listed |= !agenda;
            match value {
                Value::Sequence(items) => {
                    for (index, item) in items.iter().enumerate() {
                        self.list_item(key, agenda, index, item, &mut talks);
                    }
                }
                Value::Mapping(_) => self.list_item(key, agenda, 0, value, &mut talks),
                Value::Bool(false) | Value::Null => {}
                Value::String(_) if agenda => {
                    for entry in string_list(Some(value)) {
                        self.presentation_entry(key, &entry, &mut talks);
                    }
                }
                _ => self.warning(
                    key,
                    format!("`{key}` must be a list of talks (`- title: ...`) or `false`; no talks read from it"),
                ),
            }
        }
        let front_speakers = self.front_speakers();
        // Talks listed without their speakers, on a page that names its speakers: one talk is
        // theirs; several are left without names (which speaker gave which is not written).
        if talks.len() == 1 && talks[0].speakers.is_empty() && !front_speakers.is_empty() {
            talks[0].speakers.clone_from(&front_speakers);
        }
        if !talks.is_empty() || listed {
            return talks;
        }
        // A Hugo Academic / Wowchemy talk page (`event:` and `event_url:`) is one talk: the page.
        let talk_page = self.front.wrote("event") && self.front.wrote("event_url");
        if front_speakers.len() == 1 && !talk_page && self.settings.vocabulary.body_talks {
            // The body may title the presenter's talk ("with Dr. X presenting **Title**"): taken
            // only when it is one talk by that same presenter.
            let body = super::talks::from_body(self.body, title, self.library, &front_speakers);
            if let [talk] = body.as_slice() {
                let same = talk.speakers.len() == 1
                    && talk.speakers[0]
                        .name
                        .eq_ignore_ascii_case(&front_speakers[0].name)
                    && talk.title != title.trim();
                if same {
                    self.explain_talk(
                        talk,
                        "the body titles the front matter's one presenter's talk",
                    );
                    return body;
                }
            }
        }
        if talk_page || front_speakers.len() == 1 {
            let rule = if talk_page {
                "the page is a talk (`event` and `event_url`, the Hugo Academic talk page)"
            } else {
                "the front matter names one presenter and no talk titles: one talk, titled like the event"
            };
            let talk = Talk::new(title.trim().to_string(), front_speakers);
            self.explain_talk(&talk, rule);
            return vec![talk];
        }
        if !self.settings.vocabulary.body_talks {
            if let Some(explained) = &mut self.explained {
                explained.no_talks = Some(
                    "`body_talks = false` in the configuration: the body is not read for talks"
                        .into(),
                );
            }
            return Vec::new();
        }
        let talks = super::talks::from_body(self.body, title, self.library, &front_speakers);
        for talk in &talks {
            self.explain_talk(talk, "a line-up in the body");
        }
        talks
    }

    /// The people the event itself names (`speaker`, `presenters`, ..., or the configured keys).
    /// Names that are the page's own author get a warning: a key read as people that may only say who
    /// wrote the page.
    fn front_speakers(&mut self) -> Vec<Speaker> {
        let settings = self.settings;
        let Some((key, value)) =
            Vocabulary::keys(&settings.vocabulary.speaker_keys, people::SPEAKER_KEYS)
                .find_map(|k| self.front.get(k).map(|v| (k, v)))
        else {
            return Vec::new();
        };
        let speakers = people::people(value, self.library);
        for entry in string_list(Some(value)) {
            // A bare slug that names no page: shown as words, with a warning (a Hugo site's
            // `speakers = ["jane-doe"]` whose page is missing).
            if people::looks_like_slug(&entry) && self.library.person_by_slug(&entry).is_none() {
                let at = self.front.position_after(key, &entry);
                self.problems.push(Problem::warning(
                    self.path,
                    at,
                    format!("speaker `{entry}` has no page in speakers/ or people/; shown as `{}`. Add speakers/{entry}.md with `title: Full Name`", super::body::slug_words(&entry)),
                ));
            }
        }
        let authors: Vec<String> = ["author", "authors"]
            .iter()
            .filter_map(|k| self.front.get(k))
            .flat_map(|v| people::people(v, self.library))
            .map(|s| s.name.to_lowercase())
            .collect();
        if let Some(same) = speakers
            .iter()
            .find(|s| authors.contains(&s.name.to_lowercase()))
        {
            let name = same.name.clone();
            self.warning(
                key,
                format!("`{key}` names {name}, who is also the page's `author`; crier announces {name} as a speaker. If {name} only wrote the page, take the name out of `{key}`"),
            );
        }
        if let Some(explained) = &mut self.explained {
            if !speakers.is_empty() {
                let names: Vec<&str> = speakers.iter().map(|s| s.name.as_str()).collect();
                explained
                    .talks
                    .push(format!("people: `{key}` names {}", names.join(", ")));
            }
        }
        speakers
    }

    /// A `presentations/x.md` entry, or a talk page's slug; words such as `mingling` and `break` are
    /// agenda items, not talks.
    fn presentation_entry(&mut self, key: &str, entry: &str, talks: &mut Vec<Talk>) {
        if !entry.ends_with(".md") {
            if let Some(talk) = self.library.presentation_by_slug(entry) {
                self.explain_talk(&talk, &format!("`{key}` names the talk page `{entry}`"));
                talks.push(talk);
            }
            return;
        }
        match self.library.presentation(entry) {
            Ok(talk) => {
                self.explain_talk(&talk, &format!("`{key}` names `{entry}`"));
                talks.push(talk);
            }
            Err(Missing::Broken) => {
                let at = self.front.position_after(key, entry);
                self.problems.push(Problem::warning(
                    self.path,
                    at,
                    format!("`{entry}` has errors of its own (reported against it); the talk is left out until they are fixed"),
                ));
            }
            Err(Missing::NotFound(message)) => {
                let at = self.front.position_after(key, entry);
                self.problems.push(Problem::warning(
                    self.path,
                    at,
                    format!("{message}; the talk is left out, the event is kept"),
                ));
            }
        }
    }

    fn explain_talk(&mut self, talk: &Talk, rule: &str) {
        if let Some(explained) = &mut self.explained {
            let names: Vec<&str> = talk.speakers.iter().map(|s| s.name.as_str()).collect();
            explained.talks.push(format!(
                "\"{}\" by {}: {rule}",
                talk.title,
                if names.is_empty() {
                    "(no speaker named)".to_string()
                } else {
                    names.join(", ")
                }
            ));
        }
    }

    /// One item of a talk list: a talk page (path or slug), a title, or a map with a title and its
    /// speakers. In an agenda (`schedule`, `agenda`, `program`) an item is a talk only when it names a
    /// speaker: the others are slots (doors, pizza, networking).
    fn list_item(
        &mut self,
        key: &str,
        agenda: bool,
        index: usize,
        item: &Value,
        talks: &mut Vec<Talk>,
    ) {
        let map = match item {
            Value::Mapping(map) => map,
            other => {
                if let Some(text) = non_empty_text(Some(other)) {
                    if text.ends_with(".md") || agenda {
                        self.presentation_entry(key, &text, talks);
                    } else if let Some(talk) = self.library.presentation_by_slug(&text) {
                        self.explain_talk(&talk, &format!("`{key}` names the talk page `{text}`"));
                        talks.push(talk);
                    } else if people::looks_like_slug(&text) {
                        let at = self.front.position_after(key, &text);
                        self.problems.push(Problem::warning(
                            self.path,
                            at,
                            format!("talk `{text}` names no page in talks/ or presentations/; left out. Fix the name, or add the talk's page"),
                        ));
                    } else {
                        let talk = Talk::new(text, Vec::new());
                        self.explain_talk(&talk, &format!("`{key}` item {}", index + 1));
                        talks.push(talk);
                    }
                }
                return;
            }
        };
        let mut speakers = Vec::new();
        let mut blank_speaker = false;
        let settings = self.settings;
        for speaker_key in
            Vocabulary::keys(&settings.vocabulary.speaker_keys, people::TALK_SPEAKER_KEYS)
        {
            if let Some(value) = map.get(speaker_key) {
                let found = people::people(value, self.library);
                blank_speaker |= found.is_empty()
                    && (is_blank(value) || people::names_only_organisations(value));
                for person in found {
                    if !speakers.iter().any(|s: &Speaker| s.name == person.name) {
                        speakers.push(person);
                    }
                }
            }
        }
        let title = people::TALK_TITLE_KEYS
            .iter()
            // `name` titles a talk only beside a speaker key; alone it may be the speaker's name.
            .filter(|k| **k != "name" || !speakers.is_empty())
            .find_map(|k| non_empty_text(map.get(*k)));
        let Some(title) = title else {
            if !agenda {
                self.warning(
                    key,
                    format!(
                        "talk {} of `{key}` has no `title`, left out; add `title: ...`",
                        index + 1
                    ),
                );
            }
            return;
        };
        // A slot of an agenda, or an item whose speaker is left blank (an announcement in a list
        // of talks), is no talk.
        if (agenda && speakers.is_empty()) || blank_speaker {
            return;
        }
        let length_minutes = match map.get("length").or_else(|| map.get("duration")) {
            Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Some(Value::String(s)) => {
                let s = s.trim().trim_end_matches("utes").trim_end_matches("in");
                humantime::parse_duration(s)
                    .ok()
                    .and_then(|d| u32::try_from(d.as_secs() / 60).ok())
                    .or_else(|| s.trim_end_matches('m').trim().parse().ok())
            }
            _ => None,
        }
        .filter(|&n| n > 0);
        let talk = Talk {
            title,
            speakers,
            length_minutes,
            language: non_empty_text(map.get("language")),
            abstract_md: ["abstract", "description", "extract", "summary"]
                .iter()
                .find_map(|k| non_empty_text(map.get(*k))),
            recordings: super::recording_links::read(|key| map.get(key)),
        };
        self.explain_talk(&talk, &format!("`{key}` item {}", index + 1));
        talks.push(talk);
    }
}

/// Lists that are an evening's agenda: their items are slots, and only those naming a speaker are
/// talks.
fn is_agenda_key(key: &str) -> bool {
    matches!(key, "schedule" | "agenda" | "program" | "programme")
}

/// A speaker value left empty: `speaker:`, `speaker: ""`, `speaker: {name: ""}`.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Mapping(map) => map.values().all(is_blank),
        Value::Sequence(items) => items.iter().all(is_blank),
        _ => false,
    }
}

/// Whether crier reads `key`, or knows it as a site's own key that says nothing to announce.
fn is_known_key(key: &str) -> bool {
    EVENT_KEYS.contains(&key)
        || SITE_KEYS.contains(&key)
        || START_KEYS.contains(&key)
        || TIME_KEYS.contains(&key)
        || END_DATE_KEYS.contains(&key)
        || END_TIME_KEYS.contains(&key)
        || people::SPEAKER_KEYS.contains(&key)
        || people::NEVER_SPEAKERS.contains(&key)
        || people::TALK_LIST_KEYS.contains(&key)
        || matches!(key, "event" | "event_url")
        || super::recording_links::is_recording_key(key)
}

/// The integer a YAML 1.1 reader makes of `18:00` (base 60): 1080.
fn sexagesimal(raw: &str) -> u64 {
    raw.split(':')
        .filter_map(|p| p.parse::<u64>().ok())
        .fold(0, |acc, n| acc * 60 + n)
}

/// Words that say an event is cancelled, in the languages of the sites crier reads.
fn is_cancel_word(word: &str) -> bool {
    matches!(
        word,
        "cancelled"
            | "canceled"
            | "annulé"
            | "annulée"
            | "annulés"
            | "annulées"
            | "annulee"
            | "abgesagt"
            | "cancelado"
            | "cancelada"
            | "annullato"
            | "annullata"
            | "geannuleerd"
            | "odwołane"
            | "בוטל"
    )
}

/// A sentence that says the event is off: a cancel word right after the verb that makes it one
/// ("This meetup was cancelled due to ...", "La soirée est annulée", "Das Treffen wurde abgesagt").
/// A cancel word elsewhere ("cancelled talks from last time") says nothing about this event.
fn says_cancelled(line: &str) -> bool {
    const VERBS: &[&str] = &[
        "is", "was", "been", "be", "est", "été", "sera", "wurde", "ist", "wird", "fue", "está",
        "sido", "será", "è", "stato", "wordt", "werd",
    ];
    let words: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric() && c != 'é')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .any(|pair| VERBS.contains(&pair[0]) && is_cancel_word(pair[1]))
}

/// A title with a cancellation marker taken off (`[Annulée] Soirée`, `CANCELLED: Meetup`,
/// `Meetup (cancelled)`), and whether there was one.
fn strip_cancel_marker(title: &str) -> (String, bool) {
    let trimmed = title.trim();
    // ASCII case only: the offsets found in `lower` are used in `trimmed`; the words themselves are
    // compared in full lower case.
    let lower = trimmed.to_ascii_lowercase();
    // `[Cancelled] ...` / `(Annulé) ...`
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(rest) = lower.strip_prefix(open) {
            if let Some(end) = rest.find(close) {
                if is_cancel_word(&rest[..end].trim().to_lowercase()) {
                    let cut = open.len_utf8() + end + close.len_utf8();
                    let rest = trimmed[cut..].trim_start_matches([' ', ':', '-', '–']);
                    return (rest.to_string(), true);
                }
            }
        }
        if let Some(rest) = lower.strip_suffix(close) {
            if let Some(start) = rest.rfind(open) {
                if is_cancel_word(&rest[start + open.len_utf8()..].trim().to_lowercase()) {
                    return (trimmed[..start].trim_end().to_string(), true);
                }
            }
        }
    }
    // `CANCELLED: ...` / `Cancelled - ...`
    let word_end = lower
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(lower.len());
    if word_end > 0 && is_cancel_word(&lower[..word_end].to_lowercase()) {
        let rest = trimmed[word_end..].trim_start();
        if let Some(rest) = rest.strip_prefix([':', '-', '–', '—', '!']) {
            return (rest.trim().to_string(), true);
        }
    }
    (trimmed.to_string(), false)
}
