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
use super::model::{Event, Link, Speaker, Talk};
use super::page::{date_from_path, file_identity, slug_title};
use super::problem::{Position, Problem};
use super::recurrence::{self, Given, RuleSpec, Series};
use super::Settings;

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
        "date",
        &[
            "event_date",
            "eventDate",
            "start_date",
            "startDate",
            "date_start",
            "start",
            "datetime",
        ],
    ),
    (
        "end",
        &["end_date", "endDate", "date_end", "end_time", "endTime"],
    ),
    ("time", &["start_time", "startTime"]),
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
pub fn read_event(path: &Path, text: &str, settings: &Settings, library: &Library) -> FileOutcome {
    let mut problems = Vec::new();
    let mut recurring = Recurring::default();
    let event = match frontmatter::split(text) {
        Ok(split) => match Front::parse(path, &split) {
            Ok(mut front) => {
                front.aliases(ALIASES);
                EventReader {
                    path,
                    front: &front,
                    body: split.body,
                    settings,
                    library,
                    problems: &mut problems,
                    recurring: &mut recurring,
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
    settings: &'r Settings,
    library: &'r Library,
    problems: &'r mut Vec<Problem>,
    recurring: &'r mut Recurring,
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

    /// Unknown keys are warnings, with the closest known key: a typo must not pass silently, but it
    /// must not hide the event either.
    fn check_keys(&mut self) {
        let keys: Vec<String> = self.front.values.keys().filter_map(scalar_text).collect();
        for key in keys {
            if EVENT_KEYS.contains(&key.as_str())
                || SITE_KEYS.contains(&key.as_str())
                || super::recording_links::is_recording_key(&key)
            {
                continue;
            }
            let hint = crate::text::did_you_mean(&key, EVENT_KEYS.iter().copied())
                .unwrap_or_else(|| format!("crier knows {}", EVENT_KEYS.join(", ")));
            self.warning(&key, format!("unknown key `{key}`, ignored; {hint}"));
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
        let parts = match self.front.get("date") {
            Some(value) => {
                if let Some(text) = scalar_text(value) {
                    match datetime::parse_date(&text) {
                        Ok(parts) => Some(parts),
                        Err(message) => {
                            self.error("date", message);
                            return None;
                        }
                    }
                } else {
                    self.error(
                        "date",
                        "`date` has no value; write it as YYYY-MM-DD, e.g. `date: 2025-06-08`",
                    );
                    return None;
                }
            }
            None => None,
        };
        let parts = match (parts, from_name) {
            (Some(parts), Some(named)) => {
                if parts.date != named {
                    // Jekyll names start with the date; Hugo's date sits in folders and names.
                    let fix = if super::page::is_jekyll_name(self.path) {
                        format!("Rename the file to start with {}", parts.date)
                    } else {
                        "Fix whichever is wrong, the file's name or `date`".to_string()
                    };
                    self.warning(
                        "date",
                        format!(
                            "the file's name says {named} but `date` says {}; `date` wins. {fix}",
                            parts.date
                        ),
                    );
                }
                parts
            }
            (Some(parts), None) => parts,
            (None, Some(named)) => DateParts {
                date: named,
                time: None,
                zone: None,
            },
            (None, None) => {
                self.problems.push(Problem::error(
                    self.path,
                    Some(Position::new(1, 1)),
                    "no usable date: add `date: YYYY-MM-DD` (and `time: \"18:00\"`) to the front matter, or start the file name with the date",
                ));
                return None;
            }
        };
        let range = self.time_key()?;
        let time = range.map(|r| r.start).or(parts.time);
        let resolved = match datetime::resolve(
            parts.date,
            time.unwrap_or(self.settings.default_time),
            parts.zone.as_ref(),
            zone,
        ) {
            Ok(resolved) => resolved,
            Err(message) => {
                self.error("date", message);
                return None;
            }
        };
        if let Some(message) = resolved.warning {
            self.warning("date", message);
        }
        Some((
            resolved.instant,
            time.is_some(),
            resolved.zone_name,
            range.and_then(|r| r.end),
        ))
    }

    /// The `time` key: `Some(None)` when absent, `Some(Some(range))` when read, `None` when the value is
    /// not a time (the error is already reported).
    fn time_key(&mut self) -> Option<Option<datetime::TimeRange>> {
        let Some(value) = self.front.get("time") else {
            return Some(None);
        };
        let Some(text) = scalar_text(value).filter(|_| value.is_string()) else {
            self.error(
                "time",
                "`time` is not a time of day; write it quoted, e.g. `time: \"18:00\"`",
            );
            return None;
        };
        if text.trim().is_empty() {
            return Some(None);
        }
        if let Some((raw, at)) = self.front.raw_value("time") {
            let looks_sexagesimal =
                raw.contains(':') && raw.chars().all(|c| c.is_ascii_digit() || c == ':');
            if looks_sexagesimal {
                self.problems.push(Problem::warning(
                    self.path,
                    Some(at),
                    format!(
                        "unquoted `time: {raw}` is read by YAML 1.1 readers such as Jekyll's as the number {}; quote it: `time: \"{raw}\"`",
                        sexagesimal(raw)
                    ),
                ));
            }
        }
        match datetime::parse_time_range(&text) {
            Ok(range) => Some(Some(range)),
            Err(message) => {
                self.error("time", message);
                None
            }
        }
    }

    /// `end` (a time, or a date and time), else `duration`, else the end of a `time` range.
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
        if let Some(text) = self.text("end") {
            if let Some(time) = datetime::parse_clock(&text) {
                return on_start_day(time);
            }
            return match datetime::parse_date(&text).and_then(|p| {
                datetime::resolve(
                    p.date,
                    p.time.unwrap_or(NaiveTime::MIN),
                    p.zone.as_ref(),
                    zone,
                )
            }) {
                Ok(r) if r.instant > start => Some(r.instant),
                Ok(_) => {
                    self.error("end", "`end` is not after the start; fix the date or time");
                    None
                }
                Err(message) => {
                    self.error("end", message);
                    None
                }
            };
        }
        if let Some(text) = self.text("duration") {
            return match humantime::parse_duration(&text) {
                Ok(d) => chrono::Duration::from_std(d).ok().map(|d| start + d),
                Err(e) => {
                    self.error(
                        "duration",
                        format!("`duration: {text}` is not a duration ({e}); write it like `2h` or `1h 30m`"),
                    );
                    None
                }
            };
        }
        range_end.and_then(on_start_day)
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
        if is_cancel_word(&word) {
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
                    self.problems.push(Problem::error(
                        self.path,
                        at,
                        format!("reminder `{text}` is not a duration ({e}); write it like `7d`, `1d` or `2h`"),
                    ));
                }
            }
        }
        Some(offsets)
    }

    /// Talks from `schedule:` (rust.org.il), `talks:` (native, Jekyll), else from the body (legacy).
    fn talks(&mut self, title: &str) -> Vec<Talk> {
        let mut talks = Vec::new();
        if let Some(schedule) = self.front.get("schedule") {
            for entry in string_list(Some(schedule)) {
                self.presentation_entry("schedule", &entry, &mut talks);
            }
        }
        match self.front.get("talks") {
            Some(Value::Sequence(items)) => {
                for (index, item) in items.iter().enumerate() {
                    self.talk_entry(index, item, &mut talks);
                }
            }
            Some(Value::Bool(false) | Value::Null) => {}
            Some(_) => self.error(
                "talks",
                "`talks` must be a list of talks (`- title: ...`) or `false`",
            ),
            None => {}
        }
        // A body lists the talks when the front matter does not: no `talks:` key, and no `schedule:`
        // entry that names a presentation (`schedule: [mingling]` or an empty one leaves it to the body).
        if talks.is_empty() && self.front.get("talks").is_none() {
            let front_speakers = self.front_speakers();
            talks = super::talks::from_body(self.body, title, self.library, &front_speakers);
        }
        talks
    }

    /// `speakers = ["slug"]` (Hugo) or `speakers: [Name]`: the people the event itself names.
    fn front_speakers(&mut self) -> Vec<Speaker> {
        let mut speakers = Vec::new();
        for entry in string_list(
            self.front
                .get("speakers")
                .or_else(|| self.front.get("speaker")),
        ) {
            if entry.ends_with(".md") {
                if let Ok(person) = self.library.person(&entry) {
                    speakers.push(person);
                    continue;
                }
            }
            match self.library.person_by_slug(&entry) {
                Some(person) => speakers.push(person.clone()),
                None if entry.contains(' ') => speakers.push(Speaker {
                    name: entry,
                    url: None,
                }),
                None => {
                    let at = self.front.position_after("speakers", &entry);
                    self.problems.push(Problem::warning(
                        self.path,
                        at,
                        format!("speaker `{entry}` has no page in speakers/ or people/; shown as `{}`. Add speakers/{entry}.md with `title: Full Name`", super::body::slug_words(&entry)),
                    ));
                    speakers.push(Speaker {
                        name: super::body::slug_words(&entry),
                        url: None,
                    });
                }
            }
        }
        speakers
    }

    /// A `presentations/x.md` entry; words such as `mingling` and `break` are agenda items, not talks.
    fn presentation_entry(&mut self, key: &str, entry: &str, talks: &mut Vec<Talk>) {
        if !entry.ends_with(".md") {
            return;
        }
        match self.library.presentation(entry) {
            Ok(talk) => talks.push(talk),
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
                self.problems.push(Problem::error(self.path, at, message));
            }
        }
    }

    fn talk_entry(&mut self, index: usize, item: &Value, talks: &mut Vec<Talk>) {
        let map = match item {
            Value::Mapping(map) => map,
            other => {
                if let Some(text) = non_empty_text(Some(other)) {
                    if text.ends_with(".md") {
                        self.presentation_entry("talks", &text, talks);
                    } else {
                        talks.push(Talk::new(text, Vec::new()));
                    }
                }
                return;
            }
        };
        let Some(title) = non_empty_text(map.get("title")) else {
            self.warning(
                "talks",
                format!(
                    "talk {} has no `title`, left out; add `title: ...`",
                    index + 1
                ),
            );
            return;
        };
        let mut speakers = Vec::new();
        for key in ["speakers", "speaker"] {
            match map.get(key) {
                Some(Value::Sequence(items)) => {
                    for item in items {
                        self.speaker(item, &mut speakers);
                    }
                }
                Some(item) => self.speaker(item, &mut speakers),
                None => {}
            }
        }
        let length_minutes = match map.get("length") {
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
        talks.push(Talk {
            title,
            speakers,
            length_minutes,
            language: non_empty_text(map.get("language")),
            abstract_md: non_empty_text(map.get("abstract"))
                .or_else(|| non_empty_text(map.get("description"))),
            recordings: super::recording_links::read(|key| map.get(key)),
        });
    }

    /// A speaker: a name, a `people/x.md` file, or a map with `name` and links.
    fn speaker(&mut self, item: &Value, speakers: &mut Vec<Speaker>) {
        match item {
            Value::Mapping(map) => {
                let Some(name) = non_empty_text(map.get("name")) else {
                    return;
                };
                let url = super::library::person_url(|key| non_empty_text(map.get(key)));
                speakers.push(Speaker { name, url });
            }
            other => {
                let Some(text) = non_empty_text(Some(other)) else {
                    return;
                };
                if !text.ends_with(".md") {
                    speakers.push(Speaker {
                        name: text,
                        url: None,
                    });
                    return;
                }
                match self.library.person(&text) {
                    Ok(person) => speakers.push(person),
                    Err(Missing::Broken) => {}
                    Err(Missing::NotFound(message)) => {
                        let at = self.front.position_after("talks", &text);
                        self.problems.push(Problem::error(self.path, at, message));
                    }
                }
            }
        }
    }
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
