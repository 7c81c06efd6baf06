//! A `VTIMEZONE` from chrono-tz, for each zone the feed names in a `TZID`.
//!
//! RFC 5545 wants every `TZID` a file uses defined in the file, and an app that does not know the zone
//! by name computes the times from these lines alone. The tz database's rules do not map one to one
//! onto RRULEs, so the zone is written as what it did: the offset in force at the start of the span,
//! then one sub-component per change of offset, found by stepping through the span a day at a time
//! and bisecting the day in which the offset changes.
//!
//! icalendar 0.17 has no `VTIMEZONE` component, and the generic component it has is not public and
//! adds a `DTSTAMP` (from the clock) and a random `UID` to whatever it writes. So the zone is given to
//! the calendar as a list of content lines, `BEGIN`/`END` included, which the crate writes (CRLF and
//! folding) in order, before the events.

use chrono::{DateTime, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::Property;

/// The years a zone is written for are kept within these, so that a year mistyped as 9999 costs a
/// few thousand steps more, not millions (a time outside them takes the nearest sub-component).
const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2200;

const DAY: i64 = 24 * 60 * 60;

/// What a zone says at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    /// Seconds east of UTC.
    offset: i32,
    daylight: bool,
    abbreviation: Option<String>,
}

impl State {
    fn at(tz: Tz, seconds: i64) -> State {
        let instant = DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or(DateTime::UNIX_EPOCH);
        let offset = tz.offset_from_utc_datetime(&instant.naive_utc());
        State {
            offset: offset.fix().local_minus_utc(),
            daylight: offset.dst_offset() != TimeDelta::zero(),
            abbreviation: offset.abbreviation().map(str::to_owned),
        }
    }

    /// The sub-component's name: `DAYLIGHT` while summer time is in force.
    fn kind(&self) -> &'static str {
        if self.daylight {
            "DAYLIGHT"
        } else {
            "STANDARD"
        }
    }
}

/// The zone's offset changed at `at` (seconds since the epoch) from `from` to `to`.
#[derive(Debug)]
struct Change {
    at: i64,
    from: State,
    to: State,
}

/// The `VTIMEZONE` of `tz` over the years `first..=last`, as content lines from `BEGIN` to `END`.
pub(super) fn lines(tz: Tz, first: i32, last: i32) -> Vec<Property> {
    let first = first.clamp(FIRST_YEAR, LAST_YEAR);
    let last = last.clamp(first, LAST_YEAR);
    let from = year_start(first);
    let to = year_start(last + 1);
    let initial = State::at(tz, from);
    let mut lines = vec![
        Property::new("BEGIN", "VTIMEZONE"),
        Property::new("TZID", tz.name()),
    ];
    // The state at the start, so that a time before the first change in the span (or a zone that
    // never changes) still has an offset to take.
    lines.extend(sub_component(&initial, from, &initial, &initial));
    for change in changes(tz, from, to, initial) {
        lines.extend(sub_component(
            &change.to,
            change.at,
            &change.from,
            &change.to,
        ));
    }
    lines.push(Property::new("END", "VTIMEZONE"));
    lines
}

/// One `STANDARD` or `DAYLIGHT`: its `DTSTART` is the local time just before the change, as RFC 5545
/// wants (the onset read with `TZOFFSETFROM`).
fn sub_component(kind: &State, at: i64, from: &State, to: &State) -> Vec<Property> {
    let mut lines = vec![
        Property::new("BEGIN", kind.kind()),
        Property::new("DTSTART", local(at, from.offset)),
        Property::new("TZOFFSETFROM", utc_offset(from.offset)),
        Property::new("TZOFFSETTO", utc_offset(to.offset)),
    ];
    if let Some(name) = &to.abbreviation {
        lines.push(Property::new("TZNAME", name.as_str()));
    }
    lines.push(Property::new("END", kind.kind()));
    lines
}

/// Every change of the zone's state between `from` and `to` (seconds since the epoch).
fn changes(tz: Tz, from: i64, to: i64, initial: State) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut current = initial;
    let mut at = from;
    while at < to {
        let next = (at + DAY).min(to);
        if State::at(tz, next) == current {
            at = next;
            continue;
        }
        // The state at `low` is the current one and at `high` it is not: halve until they are one
        // second apart, and `high` is the first second of the new state.
        let (mut low, mut high) = (at, next);
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if State::at(tz, middle) == current {
                low = middle;
            } else {
                high = middle;
            }
        }
        let new = State::at(tz, high);
        changes.push(Change {
            at: high,
            from: current,
            to: new.clone(),
        });
        current = new;
        at = high;
    }
    changes
}

/// Midnight UTC on 1 January of `year`, in seconds since the epoch.
fn year_start(year: i32) -> i64 {
    Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .map_or(0, |t| t.timestamp())
}

/// The wall time at `seconds` in a place `offset` seconds east of UTC, as a floating DATE-TIME.
fn local(seconds: i64, offset: i32) -> String {
    let wall = DateTime::<Utc>::from_timestamp(seconds + i64::from(offset), 0)
        .map_or(NaiveDateTime::default(), |t| t.naive_utc());
    wall.format("%Y%m%dT%H%M%S").to_string()
}

/// A UTC-OFFSET value: `+0200`, `-0430`, or with seconds (`+003412`) for the old local mean times.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if rest == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Property]) -> String {
        let mut calendar = icalendar::Calendar::empty();
        for line in lines {
            calendar.append_property(line.clone());
        }
        calendar.to_string()
    }

    #[test]
    fn jerusalem_2027_has_its_two_changes_with_the_local_time_before_each() {
        let written = text(&lines(chrono_tz::Asia::Jerusalem, 2027, 2027));
        assert!(written.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Jerusalem\r\n"));
        // Summer time begins on the Friday before the last Sunday of March, at 02:00.
        assert!(written.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270326T020000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:IDT\r\nEND:DAYLIGHT\r\n"
        ));
        // It ends on the last Sunday of October, at 02:00 summer time.
        assert!(written.contains(
            "BEGIN:STANDARD\r\nDTSTART:20271031T020000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:IST\r\nEND:STANDARD\r\n"
        ));
        // The state at the start of the span, then the two changes.
        assert_eq!(written.matches("BEGIN:STANDARD").count(), 2);
        assert_eq!(written.matches("BEGIN:DAYLIGHT").count(), 1);
        assert!(written.ends_with("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn a_zone_without_changes_has_one_standard() {
        let written = text(&lines(chrono_tz::Asia::Tokyo, 2026, 2028));
        assert_eq!(written.matches("BEGIN:STANDARD").count(), 1);
        assert!(!written.contains("DAYLIGHT"));
        assert!(written.contains("TZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\n"));
    }

    #[test]
    fn offsets_west_of_utc_and_with_seconds() {
        assert_eq!(utc_offset(-4 * 3600 - 30 * 60), "-0430");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(34 * 60 + 12), "+003412");
    }

    #[test]
    fn a_far_year_is_clamped() {
        let written = text(&lines(chrono_tz::Europe::Berlin, 9998, 9999));
        assert!(written.contains("TZID:Europe/Berlin"));
        assert!(written.contains("DTSTART:22000101T010000"));
    }
}
