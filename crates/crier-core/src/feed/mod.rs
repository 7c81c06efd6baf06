//! The calendar feed: the catalog as one iCalendar (RFC 5545) file that calendar apps subscribe to.
//!
//! Pure on purpose (no clock, no files, no database): the same events give the same bytes, so the
//! HTTP layer can answer a conditional request from the body's hash, and an app sees a change only
//! when an event changed. Every content line is written by the `icalendar` crate (CRLF, escaping of
//! TEXT, folding on character boundaries); this module only decides what the lines say, and cuts
//! the one kind of line the crate leaves a octet too long (see [`fold_overlong`]).
//!
//! A recurring series is written once, as an RRULE with its exceptions and overridden occurrences,
//! not as the one event per occurrence that the catalog lists for the announcer.

mod vtimezone;

use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, Property};

use crate::catalog::{Event, Series};
use crate::l10n::{Policy, Texts, Wording};
use crate::schedule::stable_hash;

/// How far back [`Scope::Recent`] reaches: an app keeps showing last month's meetups.
pub const RECENT_DAYS: i64 = 30;

/// The length of an event whose file gives no end.
pub const DEFAULT_LENGTH: TimeDelta = TimeDelta::minutes(150);

/// RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
const LINE_OCTETS: usize = 75;

const PRODID: &str = concat!("-//crier//crier ", env!("CARGO_PKG_VERSION"), "//EN");

/// The calendar's name in the apps (`NAME` and `X-WR-CALNAME`).
pub const CALENDAR_NAME: &str = "crier";

/// Which events the feed holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What is upcoming, and what ended in the last [`RECENT_DAYS`] days before `now`.
    Recent { now: DateTime<Utc> },
    /// Every event.
    All,
}

impl Scope {
    /// The earliest end an event may have to be included, if any.
    fn cutoff(self) -> Option<DateTime<Utc>> {
        match self {
            Scope::Recent { now } => Some(now - TimeDelta::days(RECENT_DAYS)),
            Scope::All => None,
        }
    }
}

/// The calendar file and what an HTTP answer says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub body: String,
    /// A strong ETag, quoted: `"<16 hex digits of the body's hash>"`.
    pub etag: String,
    /// The newest modification time of the events in the feed, in whole seconds (HTTP dates have no
    /// fractions); the epoch when none has one.
    pub last_modified: DateTime<Utc>,
    /// How many `VEVENT`s the feed holds (a series and each of its overrides count one each).
    pub events: usize,
}

/// What a calendar app must see as a revision of each event the feed writes (its start, end, status
/// and, for a series, its rule and exceptions), by the id its `SEQUENCE` is kept under. The ledger
/// raises the `SEQUENCE` of an id whose fingerprint changes.
pub fn fingerprints(events: &[Event], series: &[Series]) -> Vec<(String, String)> {
    let one = |e: &Event| {
        format!(
            "{}|{}|{}|{}",
            e.start.to_rfc3339(),
            e.end.map(|t| t.to_rfc3339()).unwrap_or_default(),
            e.time_known,
            e.cancelled
        )
    };
    let mut out: Vec<(String, String)> = events
        .iter()
        .filter(|e| e.occurrence.is_none())
        .map(|e| (e.id.clone(), one(e)))
        .collect();
    for s in series {
        let exceptions: Vec<String> = s
            .exceptions
            .iter()
            .map(chrono::DateTime::to_rfc3339)
            .collect();
        out.push((
            s.id.clone(),
            format!("{}|{}|{}", one(&s.template), s.rule, exceptions.join(",")),
        ));
        out.extend(
            s.overrides
                .iter()
                .map(|o| (o.event.id.clone(), one(&o.event))),
        );
    }
    out
}

/// The feed of `events` (as the catalog lists them) and `series`. Occurrences of a series that is in
/// `series` are not written one by one: the series is, once. `sequence(id)` is the `SEQUENCE` the
/// ledger keeps for an event (0 when unknown, or without state); see [`build_in`] for what is written.
pub fn build(
    events: &[Event],
    series: &[Series],
    scope: Scope,
    sequence: &dyn Fn(&str) -> u32,
) -> Feed {
    build_in(
        events,
        series,
        scope,
        sequence,
        &Wording::builtin(),
        Policy::default(),
    )
}

/// [`build`], with each event's few words of crier's own (its registration line) in the language
/// `policy` chooses for it, from `wording`.
///
/// Each `VEVENT`'s `SEQUENCE` rises whenever the event moves, is cancelled, or changes its end or
/// rule, with or without state: it is the event's revision, the whole minutes from 2000-01-01 UTC to
/// its last change (why minutes: see `revision`), plus `sequence(id)`, the ledger's count of the
/// changes it has seen. Any change is made in the event's file, whose modification time
/// (`LAST-MODIFIED`) then rises, so `crier ics` alone (a site's CI) raises it; the ledger, when there
/// is one, can only add to it, and still raises it for a second change within the same minute. An
/// event without a modification time has `sequence(id)` alone. A series' own `VEVENT` takes its
/// file's time (its rule, `except:` dates and times are all in that file); an occurrence a dated file
/// replaces takes the later of that file's and its series' (it takes its time and details from the
/// series where it gives none, and is never older than the series).
pub fn build_in(
    events: &[Event],
    series: &[Series],
    scope: Scope,
    sequence: &dyn Fn(&str) -> u32,
    wording: &Wording,
    policy: Policy,
) -> Feed {
    let cutoff = scope.cutoff();
    let series_ids: HashSet<&str> = series.iter().map(|s| s.id.as_str()).collect();
    let mut writer = Writer {
        zones: BTreeMap::new(),
        open: HashSet::new(),
        wording,
        policy,
    };
    let mut units = Vec::new();
    for event in events {
        let in_series = event
            .occurrence
            .as_ref()
            .is_some_and(|o| series_ids.contains(o.series.as_str()));
        // An occurrence whose series is not given is still an event: written on its own, not lost.
        if in_series || cutoff.is_some_and(|c| end_of(event) < c) {
            continue;
        }
        units.push(writer.single(event, sequence));
    }
    for s in series {
        if cutoff.is_some_and(|c| !may_recur_after(s, c)) {
            continue;
        }
        units.push(writer.series(s, sequence));
    }
    // Sorted so that the same catalog always gives the same bytes, whatever order it came in.
    units.sort_by(|a, b| (a.start, &a.uid).cmp(&(b.start, &b.uid)));

    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(CALENDAR_NAME);
    let now_year = match scope {
        Scope::Recent { now } => Some(now.year()),
        Scope::All => None,
    };
    for (tz, first, last, open) in writer.zone_years(now_year) {
        for line in vtimezone::lines(tz, first - 1, last + 1, open) {
            calendar.append_property(line);
        }
    }
    let mut count = 0;
    let mut newest: Option<DateTime<Utc>> = None;
    for unit in units {
        count += unit.components.len();
        newest = newest.max(unit.modified);
        calendar.extend(unit.components);
    }
    let body = fold_overlong(calendar.to_string());
    Feed {
        etag: format!("\"{:016x}\"", stable_hash(&body)),
        body,
        last_modified: newest
            .and_then(|t| DateTime::from_timestamp(t.timestamp(), 0))
            .unwrap_or(DateTime::UNIX_EPOCH),
        events: count,
    }
}

/// The event's `UID`: from its identity only, so that renaming or moving its file keeps it the same
/// event in every app.
pub fn uid(id: &str) -> String {
    format!("{:016x}@crier", stable_hash(id))
}

/// An event's end: as given when after the start, else the start plus [`DEFAULT_LENGTH`].
fn end_of(event: &Event) -> DateTime<FixedOffset> {
    match event.end {
        Some(end) if end > event.start => end,
        _ => event.start + DEFAULT_LENGTH,
    }
}

/// Whether a series may have an occurrence that ends at `cutoff` or later: false only when its rule
/// certainly ends before (a rule that cannot be read, or never ends, may recur).
fn may_recur_after(series: &Series, cutoff: DateTime<Utc>) -> bool {
    let template = &series.template;
    if end_of(template) >= cutoff || series.overrides.iter().any(|o| end_of(&o.event) >= cutoff) {
        return true;
    }
    let Ok(rule) = rrule::RRule::from_str(&series.rule) else {
        return true;
    };
    if rule.get_count().is_none() && rule.get_until().is_none() {
        return true;
    }
    let Ok(set) = rule.build(rrule_start(template)) else {
        return true;
    };
    let length = end_of(template) - template.start;
    let after = (cutoff - length).with_timezone(&rrule::Tz::UTC);
    let found = set.after(after).all(1);
    // `limited` is also set when the search gave up: then the series may still recur.
    !found.dates.is_empty() || found.limited
}

/// The series' first start in the zone its rule recurs in (UTC for a bare offset).
fn rrule_start(template: &Event) -> DateTime<rrule::Tz> {
    match Zone::of(template) {
        Zone::Named(tz) => template.start.with_timezone(&rrule::Tz::from(tz)),
        Zone::Utc => template.start.with_timezone(&rrule::Tz::UTC),
    }
}

/// The year of a bounded series' last occurrence, or `None` when it never ends (or cannot be read).
fn last_year(series: &Series) -> Option<i32> {
    let rule = rrule::RRule::from_str(&series.rule).ok()?;
    if let Some(until) = rule.get_until() {
        return Some(until.year());
    }
    let count = u16::try_from(rule.get_count()?).unwrap_or(u16::MAX);
    let set = rule.build(rrule_start(&series.template)).ok()?;
    set.all(count).dates.last().map(Datelike::year)
}

/// 2000-01-01T00:00:00Z, where [`revision`] counts from.
const REVISION_EPOCH: i64 = 946_684_800;

/// The largest `SEQUENCE`: RFC 5545 (§3.3.8) makes it an INTEGER, a signed 32-bit value.
const SEQUENCE_MAX: u32 = 0x7fff_ffff;

/// The revision a change at `modified` stands for: the whole minutes from 2000-01-01 UTC to it (0
/// before), a number that only grows with the file's modification time.
///
/// Minutes, because `SEQUENCE` must fit a signed 32-bit integer (apps store it so): minutes from
/// 2000 last until the year 6083, where seconds would run out in 2068 and days would give two edits
/// of one day the same number. Two changes within one minute share a revision; the ledger's count,
/// added to it where there is state, tells them apart.
fn revision(modified: DateTime<Utc>) -> u32 {
    let minutes = (modified.timestamp() - REVISION_EPOCH).div_euclid(60);
    u32::try_from(minutes.clamp(0, i64::from(SEQUENCE_MAX))).unwrap_or(SEQUENCE_MAX)
}

/// The `SEQUENCE` of an event last changed at `modified`, `kept` the ledger's count for it.
fn sequence_of(modified: Option<DateTime<Utc>>, kept: u32) -> u32 {
    match modified {
        Some(modified) => revision(modified).saturating_add(kept).min(SEQUENCE_MAX),
        None => kept,
    }
}

/// Where an event's times are written in.
#[derive(Debug, Clone, Copy)]
enum Zone {
    /// An IANA zone: local wall times with `TZID`, defined by a `VTIMEZONE`.
    Named(Tz),
    /// A bare offset (`+02:00`) names no zone an app knows: times are written in UTC.
    Utc,
}

impl Zone {
    fn of(event: &Event) -> Zone {
        Tz::from_str(event.timezone.trim()).map_or(Zone::Utc, Zone::Named)
    }
}

/// A DATE or DATE-TIME value, as RFC 5545 types it.
#[derive(Debug, Clone, Copy)]
enum When {
    Date(NaiveDate),
    Local(Tz, NaiveDateTime),
    Utc(NaiveDateTime),
}

impl When {
    /// `instant` as an event in `zone` writes it: its local date when the time is not known.
    fn of(instant: DateTime<FixedOffset>, zone: Zone, time_known: bool) -> When {
        match (zone, time_known) {
            (Zone::Named(tz), true) => When::Local(tz, instant.with_timezone(&tz).naive_local()),
            (Zone::Named(tz), false) => When::Date(instant.with_timezone(&tz).date_naive()),
            (Zone::Utc, true) => When::Utc(instant.naive_utc()),
            (Zone::Utc, false) => When::Date(instant.date_naive()),
        }
    }
}

/// One event's `VEVENT`s (a series: its own, then its overrides'), sorted as one.
struct Unit {
    start: DateTime<Utc>,
    uid: String,
    modified: Option<DateTime<Utc>>,
    components: Vec<icalendar::Event>,
}

/// Writes `VEVENT`s, and keeps the years each zone is used in, for its `VTIMEZONE`.
struct Writer<'w> {
    /// By zone name, so that the zones come out in one order: the zone, the first and last year.
    zones: BTreeMap<&'static str, (Tz, i32, i32)>,
    /// Zones of series that never end.
    open: HashSet<&'static str>,
    wording: &'w Wording,
    policy: Policy,
}

impl Writer<'_> {
    fn single(&mut self, event: &Event, sequence: &dyn Fn(&str) -> u32) -> Unit {
        let uid = uid(&event.id);
        Unit {
            start: event.start.with_timezone(&Utc),
            components: vec![self.vevent(
                event,
                &uid,
                sequence_of(event.modified, sequence(&event.id)),
            )],
            modified: event.modified,
            uid,
        }
    }

    fn series(&mut self, series: &Series, sequence: &dyn Fn(&str) -> u32) -> Unit {
        let template = &series.template;
        let zone = Zone::of(template);
        let uid = uid(&series.id);
        let mut master = self.vevent(
            template,
            &uid,
            sequence_of(template.modified, sequence(&series.id)),
        );
        master.append_property(Property::new(
            "RRULE",
            rule_value(&series.rule, zone, template.time_known),
        ));
        for &exception in &series.exceptions {
            let when = When::of(exception, zone, template.time_known);
            master.append_multi_property(self.time("EXDATE", when));
        }
        if let (Zone::Named(tz), true) = (zone, template.time_known) {
            if let Some(year) = last_year(series) {
                self.reach(tz, year);
            } else {
                self.reach(tz, template.start.year());
                self.open.insert(tz.name());
            }
        }
        let mut components = vec![master];
        let mut modified = template.modified;
        let mut overrides: Vec<_> = series.overrides.iter().collect();
        overrides.sort_by_key(|o| o.recurrence_id);
        for o in overrides {
            let changed = o.event.modified.max(template.modified);
            let mut vevent =
                self.vevent(&o.event, &uid, sequence_of(changed, sequence(&o.event.id)));
            // The occurrence is named as the rule gives it, in the series' own value type.
            let when = When::of(o.recurrence_id, zone, template.time_known);
            vevent.append_property(self.time("RECURRENCE-ID", when));
            modified = modified.max(o.event.modified);
            components.push(vevent);
        }
        Unit {
            start: template.start.with_timezone(&Utc),
            uid,
            modified,
            components,
        }
    }

    fn vevent(&mut self, event: &Event, uid: &str, sequence: u32) -> icalendar::Event {
        let zone = Zone::of(event);
        let mut vevent = icalendar::Event::new();
        vevent.append_property(Property::new("UID", uid));
        // Not the clock: a file without a modification time gives the same stamp every time.
        let stamp = event
            .modified
            .unwrap_or_else(|| event.start.with_timezone(&Utc));
        let stamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
        vevent.append_property(Property::new("DTSTAMP", stamp.as_str()));
        vevent.append_property(Property::new("LAST-MODIFIED", stamp));
        let start = When::of(event.start, zone, event.time_known);
        vevent.append_property(self.time("DTSTART", start));
        let end = match start {
            // DATE values end the day after the last day (RFC 5545's DTEND is exclusive).
            When::Date(first) => {
                let last = event
                    .end
                    .map_or(first, |end| match When::of(end, zone, false) {
                        When::Date(date) => date.max(first),
                        _ => first,
                    });
                last.succ_opt().map(When::Date)
            }
            _ => Some(When::of(end_of(event), zone, true)),
        };
        if let Some(end) = end {
            vevent.append_property(self.time("DTEND", end));
        }
        let title = if event.title.trim().is_empty() {
            &event.id
        } else {
            &event.title
        };
        vevent.append_property(Property::new("SUMMARY", text(title)));
        let texts = self
            .wording
            .texts(self.policy.for_event(event.language.as_deref(), None));
        if let Some(description) = description(event, &texts) {
            vevent.append_property(Property::new("DESCRIPTION", text(&description)));
        }
        let location = match (&event.location, event.online) {
            (Some(place), _) if !place.trim().is_empty() => Some(place.as_str()),
            (_, Some(true)) => Some(event.register.as_deref().unwrap_or("Online")),
            _ => None,
        };
        if let Some(location) = location {
            vevent.append_property(Property::new("LOCATION", text(location)));
        }
        if let Some(url) = &event.register {
            vevent.append_property(Property::new("URL", bare(url)));
        }
        let status = if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        vevent.append_property(Property::new("STATUS", status));
        vevent.append_property(Property::new("SEQUENCE", sequence.to_string()));
        vevent
    }

    /// A date or time property, noting the zone it names.
    fn time(&mut self, key: &str, when: When) -> Property {
        match when {
            When::Date(date) => Property::new(key, date.format("%Y%m%d").to_string())
                .add_parameter("VALUE", "DATE")
                .done(),
            When::Local(tz, local) => {
                self.reach(tz, local.year());
                Property::new(key, local.format("%Y%m%dT%H%M%S").to_string())
                    .add_parameter("TZID", tz.name())
                    .done()
            }
            When::Utc(utc) => Property::new(key, utc.format("%Y%m%dT%H%M%SZ").to_string()),
        }
    }

    /// Notes that the feed names a time in `tz` in `year`.
    fn reach(&mut self, tz: Tz, year: i32) {
        let span = self.zones.entry(tz.name()).or_insert((tz, year, year));
        span.1 = span.1.min(year);
        span.2 = span.2.max(year);
    }

    /// Each zone used, with the first and last year it is needed for, and whether a series in it never
    /// ends. Such a zone reaches the latest year the feed names (or `now`'s), so that the rule its
    /// `VTIMEZONE` ends with for the occurrences to come is the zone's current one.
    fn zone_years(&self, now_year: Option<i32>) -> Vec<(Tz, i32, i32, bool)> {
        let latest = self
            .zones
            .values()
            .map(|&(_, _, last)| last)
            .chain(now_year)
            .max()
            .unwrap_or(1970);
        self.zones
            .iter()
            .map(|(name, &(tz, first, last))| {
                let open = self.open.contains(name);
                let last = if open { last.max(latest) } else { last };
                (tz, first, last, open)
            })
            .collect()
    }
}

/// The series' rule as written: a rule of dates ends on a date (RFC 5545 wants `UNTIL` of the type
/// of `DTSTART`), where the catalog gives every `UNTIL` in UTC.
fn rule_value(rule: &str, zone: Zone, time_known: bool) -> String {
    let rule = bare(rule);
    if time_known {
        return rule;
    }
    rule.split(';')
        .map(|part| match part.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                match NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ") {
                    Ok(until) => {
                        let until = until.and_utc().fixed_offset();
                        match When::of(until, zone, false) {
                            When::Date(date) => format!("UNTIL={}", date.format("%Y%m%d")),
                            _ => part.to_string(),
                        }
                    }
                    Err(_) => part.to_string(),
                }
            }
            _ => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The talks, one a line (`Title — Speaker A, Speaker B`), then the registration link.
fn description(event: &Event, texts: &Texts) -> Option<String> {
    let mut lines: Vec<String> = event
        .talks
        .iter()
        .map(crate::talk_line::dashed)
        .filter(|line| !line.trim().is_empty())
        .collect();
    if let Some(url) = &event.register {
        lines.push(texts.say("text-register", &[("url", bare(url).into())]));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// icalendar 0.17.17 folds a content line into a first piece of 75 octets and continuations of 74
/// (plus the space that starts each), but stops as soon as 75 octets are left, so that the last
/// continuation of some lines is 76 octets long. Such a physical line is cut once more, on a
/// character boundary; every other line is left as the crate wrote it.
fn fold_overlong(body: String) -> String {
    if body.split("\r\n").all(|line| line.len() <= LINE_OCTETS) {
        return body;
    }
    let mut folded = String::with_capacity(body.len() + body.len() / LINE_OCTETS * 3);
    for line in body.split_inclusive("\r\n") {
        let content = line.strip_suffix("\r\n").unwrap_or(line);
        let mut rest = content;
        let mut limit = LINE_OCTETS;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            folded.push_str(&rest[..cut]);
            folded.push_str("\r\n ");
            rest = &rest[cut..];
            // The space that starts a continuation counts.
            limit = LINE_OCTETS - 1;
        }
        folded.push_str(rest);
        folded.push_str(&line[content.len()..]);
    }
    folded
}

/// A TEXT value with every line break as `\n` (which the crate escapes) and no other control
/// character: a stray CR or NUL from a file would break the line it is on.
fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// A value the crate writes as it is (a URI, a rule): without control characters, so that a line
/// break in a file cannot start a property of its own.
fn bare(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Occurrence, Override, Speaker, Talk};

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("a test time")
    }

    fn event(id: &str, title: &str, start: &str) -> Event {
        Event {
            timezone: "Asia/Jerusalem".into(),
            location: Some("Tel Aviv".into()),
            register: Some(format!("https://example.org/{id}")),
            talks: vec![Talk::new(
                "Async".into(),
                vec![
                    Speaker {
                        name: "Ada".into(),
                        url: None,
                    },
                    Speaker {
                        name: "Grace".into(),
                        url: None,
                    },
                ],
            )],
            ..Event::new(id, title, at(start), format!("/somewhere/{id}.md"))
        }
    }

    fn all(events: &[Event]) -> Feed {
        build(events, &[], Scope::All, &|_| 0)
    }

    /// The content lines with folding undone.
    fn unfolded(body: &str) -> String {
        body.replace("\r\n ", "")
    }

    fn vevents(body: &str) -> Vec<String> {
        unfolded(body)
            .split("BEGIN:VEVENT\r\n")
            .skip(1)
            .map(|v| {
                v.split("END:VEVENT\r\n")
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_long_hebrew_title_is_folded_on_characters_within_75_octets() {
        let title = "מפגש ראסט בישראל: תכנות מערכות בטוח ומהיר, עם הרצאות על אסינכרוניות ועל מאקרו";
        assert!(title.len() > 75);
        let feed = all(&[event("he", title, "2027-01-14T19:00:00+02:00")]);
        for line in feed.body.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        // Each line is a whole string: no character was cut in two.
        let bytes = feed.body.as_bytes();
        for line in bytes.split(|&b| b == b'\n') {
            assert!(std::str::from_utf8(line).is_ok());
        }
        let escaped = title.replace(',', "\\,");
        assert!(unfolded(&feed.body).contains(&format!("\r\nSUMMARY:{escaped}\r\n")));
        assert!(feed.body.contains("\r\n "), "the title was folded");
    }

    #[test]
    fn no_line_is_longer_than_75_octets_whatever_the_length_of_the_title() {
        // The crate alone leaves a 76-octet last continuation for some lengths (150 octets: 75 + 75).
        // Only the lengths whose `SUMMARY:` line ends near a fold (every 75 octets, less the prefix)
        // can go wrong; the others fold in the middle of a run. This keeps the test in milliseconds.
        let near_a_fold =
            |length: usize| matches!((length + "SUMMARY:".len()) % 75, 0..=5 | 70..=74);
        for letter in ["x", "א", "€", "🦀"] {
            for length in (60..320).filter(|&l| near_a_fold(l)) {
                let title = letter.repeat(length / letter.len());
                let feed = all(&[event("t", &title, "2027-01-14T19:00:00+02:00")]);
                for line in feed.body.split("\r\n") {
                    assert!(line.len() <= LINE_OCTETS, "{} octets: {line}", line.len());
                }
                assert!(unfolded(&feed.body).contains(&format!("\r\nSUMMARY:{title}\r\n")));
            }
        }
    }

    #[test]
    fn an_overlong_line_is_cut_on_a_character_and_the_rest_left_alone() {
        let body = format!(
            "A:short\r\nB:{}\r\n {}\r\nC:end\r\n",
            "x".repeat(73),
            "א".repeat(38)
        );
        let folded = fold_overlong(body.clone());
        assert_eq!(unfolded(&folded), unfolded(&body));
        assert!(folded.split("\r\n").all(|line| line.len() <= LINE_OCTETS));
        assert!(folded.starts_with(&format!("A:short\r\nB:{}\r\n ", "x".repeat(73))));
        let fine = "A:short\r\nC:end\r\n".to_string();
        assert_eq!(fold_overlong(fine.clone()), fine);
    }

    #[test]
    fn text_is_escaped_and_every_line_ends_with_crlf() {
        let mut e = event(
            "x",
            "Rust, C; and\nC++\r\nthen \\ more",
            "2027-01-14T19:00:00+02:00",
        );
        e.location = Some("Hall 1; floor 2, room 3".into());
        let body = all(&[e]).body;
        let text = unfolded(&body);
        assert!(text.contains("SUMMARY:Rust\\, C\\; and\\nC++\\nthen \\\\ more\r\n"));
        assert!(text.contains("LOCATION:Hall 1\\; floor 2\\, room 3\r\n"));
        assert!(body.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(body.matches('\n').count(), body.matches("\r\n").count());
        assert_eq!(body.matches('\r').count(), body.matches("\r\n").count());
    }

    #[test]
    fn the_calendar_says_who_wrote_it() {
        let body = all(&[]).body;
        assert!(body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//crier//crier "));
        for line in ["CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:crier"] {
            assert!(body.contains(&format!("\r\n{line}\r\n")), "{line}");
        }
        assert!(!body.contains("VTIMEZONE"));
    }

    #[test]
    fn an_event_has_its_fields_in_its_zone() {
        let mut e = event("e", "Meetup", "2027-01-14T19:00:00+02:00");
        e.modified = Some(at("2026-12-01T10:11:12.5+00:00").with_timezone(&Utc));
        let feed = build(&[e], &[], Scope::All, &|id| if id == "e" { 3 } else { 0 });
        let v = &vevents(&feed.body)[0];
        let expected = [
            format!("UID:{:016x}@crier", stable_hash("e")),
            "DTSTART;TZID=Asia/Jerusalem:20270114T190000".into(),
            "DTEND;TZID=Asia/Jerusalem:20270114T213000".into(),
            "DTSTAMP:20261201T101112Z".into(),
            "LAST-MODIFIED:20261201T101112Z".into(),
            "SUMMARY:Meetup".into(),
            "DESCRIPTION:Async — Ada\\, Grace\\nRegister: https://example.org/e".into(),
            "LOCATION:Tel Aviv".into(),
            "URL:https://example.org/e".into(),
            "STATUS:CONFIRMED".into(),
            // 14 157 251 minutes from 2000 to the file's time, and the 3 the ledger adds.
            "SEQUENCE:14157254".into(),
        ];
        for line in expected {
            assert!(v.contains(&format!("{line}\r\n")), "{line} in\n{v}");
        }
        assert!(feed
            .body
            .contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Jerusalem\r\n"));
        // The zone covers the year before and after: 2026's, 2027's and 2028's changes.
        assert!(feed.body.contains("DTSTART:20260327T020000\r\n"));
        assert!(feed.body.contains("DTSTART:20281029T020000\r\n"));
        assert_eq!(feed.events, 1);
        assert_eq!(
            feed.last_modified,
            at("2026-12-01T10:11:12+00:00").with_timezone(&Utc)
        );
    }

    #[test]
    fn an_offset_is_written_in_utc_and_online_takes_the_link() {
        let mut e = event("o", "Online", "2027-01-14T19:00:00+02:00");
        e.timezone = "+02:00".into();
        e.location = None;
        e.online = Some(true);
        e.end = Some(at("2027-01-14T20:00:00+02:00"));
        let body = all(std::slice::from_ref(&e)).body;
        assert!(body.contains("DTSTART:20270114T170000Z\r\n"));
        assert!(body.contains("DTEND:20270114T180000Z\r\n"));
        assert!(body.contains("LOCATION:https://example.org/o\r\n"));
        assert!(!body.contains("VTIMEZONE"));
        e.register = None;
        assert!(all(&[e]).body.contains("LOCATION:Online\r\n"));
    }

    #[test]
    fn a_date_without_a_time_ends_the_next_day() {
        let mut e = event("d", "All day", "2027-01-14T18:00:00+02:00");
        e.time_known = false;
        let body = all(std::slice::from_ref(&e)).body;
        assert!(body.contains("DTSTART;VALUE=DATE:20270114\r\n"));
        assert!(body.contains("DTEND;VALUE=DATE:20270115\r\n"));
        // A DATE names no zone.
        assert!(!body.contains("VTIMEZONE"));
        e.end = Some(at("2027-01-16T18:00:00+02:00"));
        assert!(all(&[e]).body.contains("DTEND;VALUE=DATE:20270117\r\n"));
    }

    #[test]
    fn a_cancelled_event_says_so() {
        let mut e = event("c", "Off", "2027-01-14T19:00:00+02:00");
        e.cancelled = true;
        assert!(all(&[e]).body.contains("\r\nSTATUS:CANCELLED\r\n"));
    }

    #[test]
    fn control_characters_cannot_start_a_line() {
        let mut e = event("u", "T", "2027-01-14T19:00:00+02:00");
        e.register = Some("https://example.org/\r\nATTENDEE:x".into());
        let body = all(&[e]).body;
        assert!(!body.contains("\r\nATTENDEE"));
        assert!(body.contains("URL:https://example.org/ATTENDEE:x\r\n"));
    }

    fn monthly() -> (Series, Vec<Event>) {
        let mut template = event("s", "Monthly", "2027-01-12T19:00:00+02:00");
        template.register = Some("https://example.org/s".into());
        let mut moved = event(
            "s@2027-03-09",
            "Monthly, moved",
            "2027-03-10T19:00:00+02:00",
        );
        moved.modified = Some(at("2027-02-01T00:00:00Z").with_timezone(&Utc));
        moved.occurrence = Some(Occurrence {
            series: "s".into(),
            date: NaiveDate::from_ymd_opt(2027, 3, 9).expect("a date"),
            overridden: true,
            repeat: "monthly on the 2nd Tuesday".into(),
        });
        let mut off = event("s@2027-04-13", "Monthly", "2027-04-13T19:00:00+03:00");
        off.cancelled = true;
        off.occurrence = Some(Occurrence {
            series: "s".into(),
            date: NaiveDate::from_ymd_opt(2027, 4, 13).expect("a date"),
            overridden: true,
            repeat: "monthly on the 2nd Tuesday".into(),
        });
        let spec = crate::catalog::recurrence::RuleSpec {
            written: "monthly on the 2nd Tuesday".into(),
            rrule: "FREQ=MONTHLY;BYDAY=2TU".into(),
            until: None,
            count: None,
            except: Vec::new(),
        };
        let (mut series, _) =
            Series::new(template.clone(), &spec, chrono_tz::Asia::Jerusalem).expect("a valid rule");
        series.rule = "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270601T000000Z".into();
        series.exceptions = vec![at("2027-02-09T19:00:00+02:00")];
        series.overrides = vec![
            Override {
                recurrence_id: at("2027-04-13T19:00:00+03:00"),
                event: off.clone(),
            },
            Override {
                recurrence_id: at("2027-03-09T19:00:00+02:00"),
                event: moved.clone(),
            },
        ];
        let mut first = template;
        first.id = "s@2027-01-12".into();
        first.occurrence = Some(Occurrence {
            series: "s".into(),
            date: NaiveDate::from_ymd_opt(2027, 1, 12).expect("a date"),
            overridden: false,
            repeat: "monthly on the 2nd Tuesday".into(),
        });
        (series, vec![first, moved, off])
    }

    #[test]
    fn a_series_is_written_once_with_its_exceptions_and_overrides() {
        let (series, occurrences) = monthly();
        let single = event("one", "One", "2027-02-01T19:00:00+02:00");
        let mut events = occurrences;
        events.push(single);
        let feed = build(&events, &[series], Scope::All, &|_| 0);
        let all = vevents(&feed.body);
        assert_eq!(all.len(), 4, "{}", feed.body);
        assert_eq!(feed.events, 4);
        let uid = format!("UID:{:016x}@crier\r\n", stable_hash("s"));
        let of_series: Vec<_> = all.iter().filter(|v| v.contains(&uid)).collect();
        assert_eq!(of_series.len(), 3);
        let master = of_series[0];
        assert!(master.contains("DTSTART;TZID=Asia/Jerusalem:20270112T190000\r\n"));
        assert!(master.contains("RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270601T000000Z\r\n"));
        assert!(master.contains("EXDATE;TZID=Asia/Jerusalem:20270209T190000\r\n"));
        assert!(!master.contains("RECURRENCE-ID"));
        // The overrides follow their series, in the order of the occurrences they replace.
        assert!(of_series[1].contains("RECURRENCE-ID;TZID=Asia/Jerusalem:20270309T190000\r\n"));
        assert!(of_series[1].contains("DTSTART;TZID=Asia/Jerusalem:20270310T190000\r\n"));
        assert!(of_series[1].contains("SUMMARY:Monthly\\, moved\r\n"));
        assert!(of_series[1].contains("STATUS:CONFIRMED\r\n"));
        assert!(of_series[2].contains("RECURRENCE-ID;TZID=Asia/Jerusalem:20270413T190000\r\n"));
        assert!(of_series[2].contains("STATUS:CANCELLED\r\n"));
        assert!(!of_series[2].contains("RRULE"));
        // The single event of 1 February comes after the series (which starts on 12 January).
        assert!(all[3].contains("SUMMARY:One\r\n"));
        assert_eq!(
            feed.last_modified,
            at("2027-02-01T00:00:00Z").with_timezone(&Utc)
        );
    }

    #[test]
    fn a_series_of_dates_excludes_dates_and_ends_on_a_date() {
        let (mut series, _) = monthly();
        series.template.time_known = false;
        series.overrides.clear();
        let body = build(&[], &[series], Scope::All, &|_| 0).body;
        assert!(body.contains("DTSTART;VALUE=DATE:20270112\r\n"));
        assert!(body.contains("EXDATE;VALUE=DATE:20270209\r\n"));
        assert!(body.contains("RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270601\r\n"));
    }

    #[test]
    fn an_occurrence_of_an_unknown_series_is_written_on_its_own() {
        let (_, occurrences) = monthly();
        let feed = build(&occurrences, &[], Scope::All, &|_| 0);
        assert_eq!(feed.events, 3);
        assert!(vevents(&feed.body).iter().all(|v| !v.contains("RRULE")));
    }

    #[test]
    fn recent_keeps_the_last_30_days_and_what_may_still_recur() {
        let now = at("2027-06-15T12:00:00Z").with_timezone(&Utc);
        let old = event("old", "Old", "2027-05-01T19:00:00+03:00");
        let recent = event("recent", "Recent", "2027-05-20T19:00:00+03:00");
        let next = event("next", "Next", "2027-07-01T19:00:00+03:00");
        let (ended, _) = monthly();
        let mut open = monthly().0;
        open.id = "open".into();
        open.rule = "FREQ=MONTHLY;BYDAY=2TU".into();
        open.overrides.clear();
        let mut still = monthly().0;
        still.id = "still".into();
        still.rule = "FREQ=WEEKLY;COUNT=30".into();
        still.overrides.clear();
        let feed = build(
            &[old, recent, next],
            &[ended, open, still],
            Scope::Recent { now },
            &|_| 0,
        );
        let body = unfolded(&feed.body);
        assert!(!body.contains("SUMMARY:Old\r\n"));
        assert!(body.contains("SUMMARY:Recent\r\n"));
        assert!(body.contains("SUMMARY:Next\r\n"));
        assert!(!body.contains(&format!("{:016x}", stable_hash("s"))));
        assert!(body.contains(&format!("{:016x}", stable_hash("open"))));
        assert!(body.contains(&format!("{:016x}", stable_hash("still"))));
        assert_eq!(feed.events, 4);
        // The series that never ends takes its zone's changes up to now's year and the next, then
        // the zone's rule for every later occurrence.
        assert!(body.contains("DTSTART:20281029T020000\r\n"));
        assert!(
            body.contains("DTSTART:20291028T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n")
        );
        // Everything is there in the whole feed.
        let (ended, _) = monthly();
        assert_eq!(
            build(&[], &[ended], Scope::All, &|_| 0).events,
            3,
            "the ended series, with its overrides"
        );
    }

    #[test]
    fn an_open_berlin_series_is_placed_in_summer_time_years_on() {
        let mut template = event("b", "Berlin", "2027-01-12T19:00:00+01:00");
        template.timezone = "Europe/Berlin".into();
        let spec = crate::catalog::recurrence::RuleSpec {
            written: "monthly on the 2nd Tuesday".into(),
            rrule: "FREQ=MONTHLY;BYDAY=2TU".into(),
            until: None,
            count: None,
            except: Vec::new(),
        };
        let (series, _) =
            Series::new(template, &spec, chrono_tz::Europe::Berlin).expect("a valid rule");
        let now = at("2027-06-15T12:00:00Z").with_timezone(&Utc);
        let body = build(&[], &[series], Scope::Recent { now }, &|_| 0).body;
        let master = &vevents(&body)[0];
        assert!(master.contains("DTSTART;TZID=Europe/Berlin:20270112T190000\r\n"));
        assert!(master.contains("RRULE:FREQ=MONTHLY;BYDAY=2TU\r\n"));
        // 10 July 2040, the series' 2nd Tuesday, at 19:00 in Berlin: read through the VTIMEZONE
        // alone (as Outlook does for a series), it is summer time, as chrono-tz says.
        let occurrence = NaiveDate::from_weekday_of_month_opt(2040, 7, chrono::Weekday::Tue, 2)
            .and_then(|d| d.and_hms_opt(19, 0, 0))
            .expect("a date");
        assert_eq!(occurrence.to_string(), "2040-07-10 19:00:00");
        let zone = vtimezone::resolve::Zone::read(&body, "Europe/Berlin", 2041);
        assert_eq!(zone.offset(occurrence), Some(2 * 3600));
        assert_eq!(
            zone.rules,
            [
                "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"
            ]
        );
        // And winter time in January.
        let winter = NaiveDate::from_weekday_of_month_opt(2040, 1, chrono::Weekday::Tue, 2)
            .and_then(|d| d.and_hms_opt(19, 0, 0))
            .expect("a date");
        assert_eq!(zone.offset(winter), Some(3600));
    }

    /// Each `VEVENT`'s `SEQUENCE`, in order.
    fn sequences(body: &str) -> Vec<u32> {
        vevents(body)
            .iter()
            .filter_map(|v| {
                v.split("\r\n")
                    .find_map(|l| l.strip_prefix("SEQUENCE:"))
                    .and_then(|n| n.parse().ok())
            })
            .collect()
    }

    fn utc(text: &str) -> Option<DateTime<Utc>> {
        Some(at(text).with_timezone(&Utc))
    }

    #[test]
    fn a_moved_event_has_a_greater_sequence_without_state() {
        let mut e = event("m", "Meetup", "2027-01-14T19:00:00+02:00");
        e.modified = utc("2026-12-01T10:11:12Z");
        let before = all(std::slice::from_ref(&e));
        assert_eq!(before, all(std::slice::from_ref(&e)), "the same bytes");
        let mut moved = e.clone();
        moved.start = at("2027-01-21T19:00:00+02:00");
        moved.modified = utc("2026-12-01T10:12:00Z");
        let after = all(std::slice::from_ref(&moved));
        assert!(sequences(&after.body)[0] > sequences(&before.body)[0]);
        let mut cancelled = moved;
        cancelled.cancelled = true;
        cancelled.modified = utc("2026-12-20T08:00:00Z");
        let last = all(&[cancelled]);
        assert!(sequences(&last.body)[0] > sequences(&after.body)[0]);
    }

    #[test]
    fn the_ledger_adds_to_the_sequence_and_alone_counts_without_a_time() {
        let mut e = event("l", "Meetup", "2027-01-14T19:00:00+02:00");
        let kept = |_: &str| 2;
        // No modification time: the ledger's count.
        let body = build(std::slice::from_ref(&e), &[], Scope::All, &kept).body;
        assert_eq!(sequences(&body), [2]);
        // A second move within the minute is told apart by the ledger's count.
        e.modified = utc("2026-12-01T10:11:12Z");
        let once = sequences(&build(std::slice::from_ref(&e), &[], Scope::All, &|_| 1).body);
        let twice = sequences(&build(&[e], &[], Scope::All, &kept).body);
        assert_eq!(once, [14_157_252]);
        assert_eq!(twice, [14_157_253]);
    }

    #[test]
    fn a_revision_is_whole_minutes_from_2000_within_32_bits() {
        let on = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(0, 0, 59))
                .expect("a date")
                .and_utc()
        };
        assert_eq!(revision(on(2000, 1, 1)), 0);
        assert_eq!(revision(on(1999, 12, 31)), 0);
        assert_eq!(revision(on(2000, 1, 2)), 24 * 60);
        assert!(revision(on(6082, 12, 31)) < SEQUENCE_MAX);
        assert_eq!(revision(on(6084, 1, 1)), SEQUENCE_MAX);
        assert_eq!(sequence_of(Some(on(6084, 1, 1)), 5), SEQUENCE_MAX);
    }

    #[test]
    fn a_series_sequence_follows_its_file_and_an_override_is_never_older() {
        let (mut series, occurrences) = monthly();
        // The series' file changed after the moved occurrence's (2027-02-01): the series' rule and
        // times are in it, and the overrides take their times from it.
        series.template.modified = utc("2027-03-01T00:00:00Z");
        let body = build(&occurrences, &[series.clone()], Scope::All, &|_| 0).body;
        let changed = revision(at("2027-03-01T00:00:00Z").with_timezone(&Utc));
        assert_eq!(sequences(&body)[..3], [changed, changed, changed]);
        // A later change of the moved occurrence's file raises it alone.
        series.overrides[1].event.modified = utc("2027-04-01T00:00:00Z");
        let body = build(&occurrences, &[series], Scope::All, &|_| 0).body;
        let later = sequences(&body);
        assert_eq!(later[0], changed);
        assert!(later[1] > changed, "{later:?}");
        assert_eq!(later[2], changed);
    }

    #[test]
    fn the_same_events_give_the_same_bytes_whatever_their_order() {
        let a = event("a", "A", "2027-01-14T19:00:00+02:00");
        let b = event("b", "B", "2027-01-14T19:00:00+02:00");
        let c = event("c", "C", "2026-01-14T19:00:00+02:00");
        let first = all(&[a.clone(), b.clone(), c.clone()]);
        let second = all(&[c, b, a]);
        assert_eq!(first, second);
        assert_eq!(first.last_modified, DateTime::UNIX_EPOCH);
        let starts: Vec<_> = vevents(&first.body)
            .iter()
            .filter_map(|v| {
                v.lines()
                    .find(|l| l.starts_with("SUMMARY:"))
                    .map(str::to_owned)
            })
            .collect();
        assert_eq!(starts, ["SUMMARY:C", "SUMMARY:A", "SUMMARY:B"]);
    }

    #[test]
    fn the_etag_is_the_bodys_hash_and_follows_a_change() {
        let e = event("e", "Meetup", "2027-01-14T19:00:00+02:00");
        let before = all(std::slice::from_ref(&e));
        assert_eq!(
            before.etag,
            format!("\"{:016x}\"", stable_hash(&before.body))
        );
        assert_eq!(before.etag.len(), 18);
        let mut renamed = e;
        renamed.title = "Meetup!".into();
        let after = all(&[renamed]);
        assert_ne!(before.etag, after.etag);
    }

    #[test]
    fn the_uid_does_not_depend_on_the_file() {
        let mut e = event("e", "Meetup", "2027-01-14T19:00:00+02:00");
        let before = all(std::slice::from_ref(&e)).body;
        e.source = "/elsewhere/renamed.md".into();
        assert_eq!(before, all(&[e]).body);
    }
}
