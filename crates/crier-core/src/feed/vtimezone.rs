//! A `VTIMEZONE` from chrono-tz, for each zone the feed names in a `TZID`.
//!
//! RFC 5545 wants every `TZID` a file uses defined in the file, covering every time the file names
//! in it (§3.6.5), and an app that does not know the zone by name (or trusts the file's definition
//! over its own, as Outlook does for a recurring series) computes the times from these lines alone.
//! So the zone is written in two parts:
//!
//! - what it did over the years the feed names: the offset in force at the start of the span, then
//!   one fixed sub-component per change of offset, found by stepping through the span a day at a
//!   time and bisecting the day in which the offset changes (the tz database's history does not map
//!   one to one onto RRULEs);
//! - then its current rule, as a `DAYLIGHT` and a `STANDARD` that recur yearly
//!   (`RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`), so that an occurrence of a series in any later year
//!   has its offset. chrono-tz has no rule to read, only offsets: the rule is derived from the two
//!   changes of the last two years of the span (their month, their weekday and which one of the
//!   month, or "the first such weekday on or after day N", and their wall time), and written only
//!   when it gives every change chrono-tz has for the [`RULE_CHECK_YEARS`] years after. A zone
//!   without summer time needs no rule; a zone whose changes follow no such rule (a lunar calendar,
//!   say) has its changes written one by one instead, as far as chrono-tz knows them when a series
//!   never ends.
//!
//! icalendar 0.17 has no `VTIMEZONE` component, and the generic component it has is not public and
//! adds a `DTSTAMP` (from the clock) and a random `UID` to whatever it writes. So the zone is given to
//! the calendar as a list of content lines, `BEGIN`/`END` included, which the crate writes (CRLF and
//! folding) in order, before the events.

use chrono::{
    DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
    Weekday,
};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::Property;

/// The years a zone is written for are kept within these, so that a year mistyped as 9999 costs a
/// few thousand steps more, not millions (a time outside them takes the nearest sub-component).
const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2200;

/// The last year chrono-tz (0.10) has changes for: its tables are generated up to 2099, after which a
/// zone stays in its last state. A rule is derived from years early enough to be checked within it.
const TABLES_LAST_YEAR: i32 = 2099;

/// How many years after the two it is derived from a rule must give exactly the changes chrono-tz
/// has. 28 years: the weekdays of the Gregorian calendar repeat every 28 years (between 1901 and
/// 2099), so each date of a month falls on each weekday within them, and a rule that holds for 28
/// years is the zone's rule, not one that happens to fit the years seen ("the Friday on or after the
/// 23rd" and "the last Friday" agree in most years, not in all).
const RULE_CHECK_YEARS: i32 = 28;

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
#[derive(Debug, Clone, PartialEq, Eq)]
struct Change {
    at: i64,
    from: State,
    to: State,
}

/// The `VTIMEZONE` of `tz` over the years `first..=last`, as content lines from `BEGIN` to `END`:
/// the changes in those years, then the zone's current rule. `open` when a series in the zone never
/// ends: a zone without a rule then has its changes listed as far as chrono-tz knows them.
pub(super) fn lines(tz: Tz, first: i32, last: i32, open: bool) -> Vec<Property> {
    let first = first.clamp(FIRST_YEAR, LAST_YEAR);
    let last = last.clamp(first, LAST_YEAR);
    let current = Current::of(tz, last);
    let listed_to = match current {
        Current::Irregular if open => last.max(TABLES_LAST_YEAR),
        _ => last,
    };
    let from = year_start(first);
    let to = year_start(listed_to + 1);
    let initial = State::at(tz, from);
    let mut lines = vec![
        Property::new("BEGIN", "VTIMEZONE"),
        Property::new("TZID", tz.name()),
    ];
    // The state at the start, so that a time before the first change in the span (or a zone that
    // never changes) still has an offset to take.
    lines.extend(sub_component(&initial, from, &initial, &initial, None));
    for change in changes(tz, from, to, initial) {
        lines.extend(sub_component(
            &change.to,
            change.at,
            &change.from,
            &change.to,
            None,
        ));
    }
    if let Current::Rule(rule) = &current {
        // Each part recurs from its first change after the span, so that the changes listed above
        // stay the zone's history and the rule is the latest onset of every later time.
        let mut parts: Vec<(i64, &Yearly)> = rule
            .iter()
            .filter_map(|yearly| Some((yearly.at(listed_to + 1)?, yearly)))
            .collect();
        parts.sort_by_key(|&(at, _)| at);
        for (at, yearly) in parts {
            lines.extend(sub_component(
                &yearly.to,
                at,
                &yearly.from,
                &yearly.to,
                Some(yearly.rrule()),
            ));
        }
    }
    lines.push(Property::new("END", "VTIMEZONE"));
    lines
}

/// One `STANDARD` or `DAYLIGHT`: its `DTSTART` is the local time just before the change, as RFC 5545
/// wants (the onset read with `TZOFFSETFROM`); with `rule`, the change recurs by it from then on.
fn sub_component(
    kind: &State,
    at: i64,
    from: &State,
    to: &State,
    rule: Option<String>,
) -> Vec<Property> {
    let mut lines = vec![
        Property::new("BEGIN", kind.kind()),
        Property::new("DTSTART", local(at, from.offset)),
    ];
    if let Some(rule) = rule {
        lines.push(Property::new("RRULE", rule));
    }
    lines.push(Property::new("TZOFFSETFROM", utc_offset(from.offset)));
    lines.push(Property::new("TZOFFSETTO", utc_offset(to.offset)));
    if let Some(name) = &to.abbreviation {
        lines.push(Property::new("TZNAME", name.as_str()));
    }
    lines.push(Property::new("END", kind.kind()));
    lines
}

/// What a zone does after the span a feed names.
#[derive(Debug)]
enum Current {
    /// No change: the last state listed holds.
    Fixed,
    /// A change to summer time and one back each year, by these rules.
    Rule([Yearly; 2]),
    /// Changes that no rule this module writes gives.
    Irregular,
}

impl Current {
    /// The zone's rule as the two years up to `last` show it (or up to the latest year that leaves
    /// [`RULE_CHECK_YEARS`] within chrono-tz's tables), if it gives every change of the years after.
    fn of(tz: Tz, last: i32) -> Current {
        let base = last.min(TABLES_LAST_YEAR - RULE_CHECK_YEARS);
        let seen = changes_in(tz, base - 1, base);
        let later = changes_in(tz, base + 1, base + RULE_CHECK_YEARS);
        if seen.is_empty() {
            return if later.is_empty() {
                Current::Fixed
            } else {
                Current::Irregular
            };
        }
        // Two changes a year, the same two in both years.
        let [a0, b0, a1, b1] = seen.as_slice() else {
            return Current::Irregular;
        };
        let years = [base - 1, base - 1, base, base];
        if [a0, b0, a1, b1]
            .iter()
            .zip(years)
            .any(|(change, year)| local_at(change).year() != year)
        {
            return Current::Irregular;
        }
        let (Some(a), Some(b)) = (Yearly::fit(a0, a1, &later), Yearly::fit(b0, b1, &later)) else {
            return Current::Irregular;
        };
        // Nothing else changes in those years (a third change, say, for a month of fasting).
        if later.len() != 2 * usize::try_from(RULE_CHECK_YEARS).unwrap_or(0) {
            return Current::Irregular;
        }
        Current::Rule([a, b])
    }
}

/// One change that recurs each year: in `month`, on `day`, at the wall time `time` (read in `from`'s
/// offset, as `DTSTART` is).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Yearly {
    month: u32,
    day: Day,
    time: NaiveTime,
    from: State,
    to: State,
}

impl Yearly {
    /// The rule that gives both `first` and `second` (the same change a year apart) and, of the
    /// changes in `later`, exactly those from the one state to the other, one a year; the first such
    /// rule in the order of [`Day::candidates`].
    fn fit(first: &Change, second: &Change, later: &[Change]) -> Option<Yearly> {
        if first.from != second.from || first.to != second.to {
            return None;
        }
        let (one, two) = (local_at(first), local_at(second));
        if one.month() != two.month() || one.time() != two.time() {
            return None;
        }
        let others = Day::candidates(two.date());
        let wanted: Vec<&Change> = later
            .iter()
            .filter(|c| c.from == first.from && c.to == first.to)
            .collect();
        let base = two.year();
        Day::candidates(one.date())
            .into_iter()
            .filter(|day| others.contains(day))
            .map(|day| Yearly {
                month: one.month(),
                day,
                time: one.time(),
                from: first.from.clone(),
                to: first.to.clone(),
            })
            .find(|yearly| {
                let predicted: Vec<Option<i64>> = (base + 1..=base + RULE_CHECK_YEARS)
                    .map(|year| yearly.at(year))
                    .collect();
                predicted.len() == wanted.len()
                    && predicted
                        .iter()
                        .zip(&wanted)
                        .all(|(at, change)| *at == Some(change.at))
            })
    }

    /// The change in `year`, in seconds since the epoch.
    fn at(&self, year: i32) -> Option<i64> {
        let date = self.day.date(year, self.month)?;
        Some(date.and_time(self.time).and_utc().timestamp() - i64::from(self.from.offset))
    }

    /// The RRULE value: `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`.
    fn rrule(&self) -> String {
        format!("FREQ=YEARLY;BYMONTH={};{}", self.month, self.day.rrule())
    }
}

/// Which day of its month a change falls on, in the forms an RRULE can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    /// The last such weekday of the month: `BYDAY=-1SU`.
    Last(Weekday),
    /// The first to fourth such weekday: `BYDAY=2SU`.
    Nth(u8, Weekday),
    /// The first such weekday on or after the day: `BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29`
    /// (Asia/Jerusalem's "Friday before the last Sunday" of March).
    OnOrAfter(u32, Weekday),
}

impl Day {
    /// The forms that give `date` in its year, the usual ones first.
    fn candidates(date: NaiveDate) -> Vec<Day> {
        let (day, weekday) = (date.day(), date.weekday());
        let mut out = Vec::new();
        if day + 7 > u32::from(date.num_days_in_month()) {
            out.push(Day::Last(weekday));
        }
        let nth = (day - 1) / 7 + 1;
        if let Ok(nth @ 1..=4) = u8::try_from(nth) {
            out.push(Day::Nth(nth, weekday));
        }
        // The seven days from the first must be in the month in every year.
        let shortest = shortest_month(date.month());
        out.extend(
            (day.saturating_sub(6).max(1)..=day)
                .filter(|first| first + 6 <= shortest)
                .map(|first| Day::OnOrAfter(first, weekday)),
        );
        out
    }

    fn date(self, year: i32, month: u32) -> Option<NaiveDate> {
        match self {
            Day::Last(weekday) => {
                let last = NaiveDate::from_ymd_opt(year, month, 1)?
                    .checked_add_months(chrono::Months::new(1))?
                    .pred_opt()?;
                let back = (7 + last.weekday().num_days_from_monday()
                    - weekday.num_days_from_monday())
                    % 7;
                last.checked_sub_days(chrono::Days::new(u64::from(back)))
            }
            Day::Nth(nth, weekday) => {
                NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth)
            }
            Day::OnOrAfter(first, weekday) => {
                let first = NaiveDate::from_ymd_opt(year, month, first)?;
                let ahead = (7 + weekday.num_days_from_monday()
                    - first.weekday().num_days_from_monday())
                    % 7;
                first.checked_add_days(chrono::Days::new(u64::from(ahead)))
            }
        }
    }

    /// The RRULE parts after `BYMONTH`.
    fn rrule(self) -> String {
        match self {
            Day::Last(weekday) => format!("BYDAY=-1{}", weekday_code(weekday)),
            Day::Nth(nth, weekday) => format!("BYDAY={nth}{}", weekday_code(weekday)),
            Day::OnOrAfter(first, weekday) => {
                let days: Vec<String> = (first..first + 7).map(|d| d.to_string()).collect();
                format!(
                    "BYDAY={};BYMONTHDAY={}",
                    weekday_code(weekday),
                    days.join(",")
                )
            }
        }
    }
}

/// The fewest days `month` has in any year.
fn shortest_month(month: u32) -> u32 {
    match month {
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// RFC 5545's two letters for a weekday.
fn weekday_code(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// The wall time just before `change`, as its `DTSTART` says.
fn local_at(change: &Change) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp(change.at + i64::from(change.from.offset), 0)
        .map_or(NaiveDateTime::default(), |t| t.naive_utc())
}

/// Every change in the years `first..=last`.
fn changes_in(tz: Tz, first: i32, last: i32) -> Vec<Change> {
    let from = year_start(first);
    changes(tz, from, year_start(last + 1), State::at(tz, from))
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

/// Reads a `VTIMEZONE` back as an app that knows nothing else of the zone does, for tests here and in
/// the feed's: a wall time takes the `TZOFFSETTO` of the sub-component whose latest onset is at or
/// before it, each `RRULE` expanded by the rrule crate.
#[cfg(test)]
pub(super) mod resolve {
    use std::str::FromStr;

    use chrono::NaiveDateTime;

    /// One zone's onsets, in order: the wall time (read in the offset before) and the offset after.
    pub(in crate::feed) struct Zone {
        onsets: Vec<(NaiveDateTime, i32)>,
        pub(in crate::feed) rules: Vec<String>,
    }

    impl Zone {
        /// The `VTIMEZONE` of `tzid` in `body` (a calendar, folded or not), its rules expanded up to
        /// the start of `until_year`.
        pub(in crate::feed) fn read(body: &str, tzid: &str, until_year: i32) -> Zone {
            let body = body.replace("\r\n ", "");
            let mut lines = body.split("\r\n");
            lines
                .by_ref()
                .skip_while(|&l| l != "BEGIN:VTIMEZONE")
                .nth(1)
                .filter(|l| *l == format!("TZID:{tzid}"))
                .unwrap_or_else(|| panic!("the first VTIMEZONE is {tzid}: {body}"));
            let until = chrono::NaiveDate::from_ymd_opt(until_year, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .expect("a year")
                .and_utc()
                .with_timezone(&rrule::Tz::UTC);
            let mut zone = Zone {
                onsets: Vec::new(),
                rules: Vec::new(),
            };
            let (mut start, mut rule, mut to) = (None, None, None);
            for line in lines.take_while(|&l| l != "END:VTIMEZONE") {
                let (key, value) = line.split_once(':').expect("a content line");
                match key {
                    "DTSTART" => {
                        start = Some(
                            NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
                                .expect("a local DTSTART"),
                        );
                    }
                    "RRULE" => rule = Some(value.to_string()),
                    "TZOFFSETTO" => to = Some(offset(value)),
                    "END" => {
                        let start = start.take().expect("a DTSTART");
                        let to = to.take().expect("a TZOFFSETTO");
                        match rule.take() {
                            None => zone.onsets.push((start, to)),
                            Some(rule) => {
                                let set = rrule::RRule::from_str(&rule)
                                    .expect("an RRULE")
                                    .build(start.and_utc().with_timezone(&rrule::Tz::UTC))
                                    .expect("a valid RRULE");
                                let found = set.before(until).all(u16::MAX);
                                assert!(!found.limited);
                                assert_eq!(
                                    found.dates.first().map(chrono::DateTime::naive_utc),
                                    Some(start)
                                );
                                zone.onsets
                                    .extend(found.dates.iter().map(|d| (d.naive_utc(), to)));
                                zone.rules.push(rule);
                            }
                        }
                    }
                    _ => {}
                }
            }
            zone.onsets.sort();
            zone
        }

        /// The offset at the wall time `local`, in seconds east of UTC.
        pub(in crate::feed) fn offset(&self, local: NaiveDateTime) -> Option<i32> {
            let after = self.onsets.partition_point(|&(onset, _)| onset <= local);
            after.checked_sub(1).map(|i| self.onsets[i].1)
        }
    }

    /// `+0200`, `-0430`, `+003412` in seconds.
    fn offset(value: &str) -> i32 {
        let sign = if value.starts_with('-') { -1 } else { 1 };
        let digits = &value[1..];
        let part = |range: std::ops::Range<usize>| {
            digits
                .get(range)
                .filter(|p| !p.is_empty())
                .map_or(0, |p| p.parse::<i32>().expect("digits"))
        };
        sign * (part(0..2) * 3600 + part(2..4) * 60 + part(4..6))
    }
}

#[cfg(test)]
mod tests {
    use super::resolve::Zone;
    use super::*;

    fn text(lines: &[Property]) -> String {
        let mut calendar = icalendar::Calendar::empty();
        for line in lines {
            calendar.append_property(line.clone());
        }
        calendar.to_string()
    }

    /// The sub-components that recur, as written (from after `BEGIN:` to their `END` line).
    fn rules(written: &str) -> Vec<&str> {
        written
            .split("BEGIN:")
            .filter(|part| part.contains("RRULE:"))
            .filter_map(|part| {
                let end = part.find("END:")?;
                let line_end = part[end..].find("\r\n")? + end + 2;
                Some(&part[..line_end])
            })
            .collect()
    }

    #[test]
    fn jerusalem_2027_has_its_two_changes_with_the_local_time_before_each() {
        let written = text(&lines(chrono_tz::Asia::Jerusalem, 2027, 2027, false));
        assert!(written.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Jerusalem\r\n"));
        // Summer time begins on the Friday before the last Sunday of March, at 02:00.
        assert!(written.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270326T020000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:IDT\r\nEND:DAYLIGHT\r\n"
        ));
        // It ends on the last Sunday of October, at 02:00 summer time.
        assert!(written.contains(
            "BEGIN:STANDARD\r\nDTSTART:20271031T020000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:IST\r\nEND:STANDARD\r\n"
        ));
        // The state at the start of the span, the two changes, then the rule from 2028 on.
        assert_eq!(written.matches("BEGIN:STANDARD").count(), 3);
        assert_eq!(written.matches("BEGIN:DAYLIGHT").count(), 2);
        assert!(written.ends_with("END:VTIMEZONE\r\nEND:VCALENDAR\r\n"));
    }

    #[test]
    fn jerusalem_recurs_on_the_friday_before_the_last_sunday_of_march() {
        let written = text(&lines(chrono_tz::Asia::Jerusalem, 2027, 2027, true));
        assert_eq!(
            rules(&written),
            [
                // 24 March 2028 is the Friday before Sunday 26 March.
                "DAYLIGHT\r\nDTSTART:20280324T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\nTZNAME:IDT\r\nEND:DAYLIGHT\r\n",
                "STANDARD\r\nDTSTART:20281029T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0200\r\nTZNAME:IST\r\nEND:STANDARD\r\n",
            ]
        );
        // "The last Friday" would be 31 March in 2028 + 1 (2029: last Sunday on the 25th, so the Friday
        // before is the 23rd).
        let zone = Zone::read(&written, "Asia/Jerusalem", 2100);
        let at =
            |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").expect("a time");
        assert_eq!(zone.offset(at("2029-03-23T12:00")), Some(3 * 3600));
        assert_eq!(zone.offset(at("2029-03-22T12:00")), Some(2 * 3600));
    }

    #[test]
    fn berlin_new_york_and_sydney_recur_by_their_rules() {
        let cases = [
            (
                chrono_tz::Europe::Berlin,
                [
                    "DAYLIGHT\r\nDTSTART:20290325T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n",
                    "STANDARD\r\nDTSTART:20291028T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n",
                ],
            ),
            (
                chrono_tz::America::New_York,
                [
                    "DAYLIGHT\r\nDTSTART:20290311T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\nEND:DAYLIGHT\r\n",
                    "STANDARD\r\nDTSTART:20291104T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\nEND:STANDARD\r\n",
                ],
            ),
            (
                // The southern hemisphere: summer time ends in April and begins in October.
                chrono_tz::Australia::Sydney,
                [
                    "STANDARD\r\nDTSTART:20290401T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU\r\nTZOFFSETFROM:+1100\r\nTZOFFSETTO:+1000\r\nTZNAME:AEST\r\nEND:STANDARD\r\n",
                    "DAYLIGHT\r\nDTSTART:20291007T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU\r\nTZOFFSETFROM:+1000\r\nTZOFFSETTO:+1100\r\nTZNAME:AEDT\r\nEND:DAYLIGHT\r\n",
                ],
            ),
        ];
        for (tz, expected) in cases {
            let written = text(&lines(tz, 2026, 2028, true));
            assert_eq!(rules(&written), expected, "{}", tz.name());
        }
    }

    #[test]
    fn a_zone_without_changes_has_one_standard() {
        for (tz, offset, name) in [
            (chrono_tz::Asia::Tokyo, "+0900", "JST"),
            (chrono_tz::UTC, "+0000", "UTC"),
        ] {
            let written = text(&lines(tz, 2026, 2028, true));
            assert_eq!(written.matches("BEGIN:STANDARD").count(), 1, "{written}");
            assert!(!written.contains("DAYLIGHT"));
            assert!(!written.contains("RRULE"));
            assert!(written.contains(&format!(
                "TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nTZNAME:{name}\r\n"
            )));
        }
    }

    /// Every noon from the span's first year to the end of chrono-tz's tables has the same offset
    /// read from the `VTIMEZONE` alone as from chrono-tz: with a rule, and for zones written change
    /// by change (Gaza's and Casablanca's follow Ramadan; Tehran and São Paulo dropped summer time
    /// after the span).
    #[test]
    fn the_zone_read_back_agrees_with_chrono_tz_every_day_for_decades() {
        use chrono_tz::{Africa, America, Asia, Australia, Europe, Pacific};
        let zones = [
            (Europe::Berlin, 2025, true),
            (Asia::Jerusalem, 2025, true),
            (America::New_York, 2025, true),
            (Australia::Sydney, 2025, true),
            (Asia::Tokyo, 2025, true),
            (chrono_tz::UTC, 2025, true),
            (America::Santiago, 2025, true),
            (Australia::Lord_Howe, 2025, true),
            (Pacific::Chatham, 2025, true),
            (America::Nuuk, 2025, true),
            (Europe::Dublin, 2025, true),
            (Asia::Gaza, 2025, true),
            (Africa::Casablanca, 2025, true),
            (Asia::Tehran, 2019, true),
            (America::Sao_Paulo, 2016, true),
        ];
        for (tz, first, open) in zones {
            let written = text(&lines(tz, first, first + 2, open));
            let zone = Zone::read(&written, tz.name(), TABLES_LAST_YEAR + 1);
            // From 2 January: the span starts at midnight UTC, after noon east of +12:00.
            let mut day = NaiveDate::from_ymd_opt(first, 1, 2).expect("a date");
            while day.year() <= TABLES_LAST_YEAR {
                let noon = day.and_hms_opt(12, 0, 0).expect("noon");
                let expected = tz
                    .from_local_datetime(&noon)
                    .single()
                    .map(|t| t.offset().fix().local_minus_utc());
                assert_eq!(zone.offset(noon), expected, "{} at {noon}", tz.name());
                day = day.succ_opt().expect("a next day");
            }
        }
    }

    #[test]
    fn a_derived_rule_is_written_only_where_it_holds() {
        // Gaza's changes follow Ramadan in some years: listed one by one, to the end of the tables
        // for a series that never ends, and only over the span otherwise.
        let open = text(&lines(chrono_tz::Asia::Gaza, 2025, 2027, true));
        assert!(!open.contains("RRULE"));
        assert!(open.contains("DTSTART:20991024T020000\r\n"), "{open}");
        let bounded = text(&lines(chrono_tz::Asia::Gaza, 2025, 2027, false));
        assert!(!bounded.contains("RRULE") && !bounded.contains("DTSTART:2028"));
        // Tehran has had no summer time since 2022: its last change is listed, then nothing recurs.
        let tehran = text(&lines(chrono_tz::Asia::Tehran, 2025, 2027, true));
        assert!(!tehran.contains("RRULE") && !tehran.contains("DAYLIGHT"));
    }

    #[test]
    fn the_forms_of_a_day() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        // Sunday 31 March 2024: the last, the fifth (not written), or on or after the 25th to 31st;
        // only the 25th leaves seven days in March.
        assert_eq!(
            Day::candidates(date(2024, 3, 31)),
            [Day::Last(Weekday::Sun), Day::OnOrAfter(25, Weekday::Sun)]
        );
        assert_eq!(
            Day::OnOrAfter(23, Weekday::Fri).date(2029, 3),
            Some(date(2029, 3, 23))
        );
        assert_eq!(
            Day::Last(Weekday::Fri).date(2029, 3),
            Some(date(2029, 3, 30))
        );
        assert_eq!(
            Day::Nth(2, Weekday::Sun).date(2027, 3),
            Some(date(2027, 3, 14))
        );
        assert_eq!(Day::Last(Weekday::Sun).rrule(), "BYDAY=-1SU");
        assert_eq!(
            Day::OnOrAfter(8, Weekday::Sat).rrule(),
            "BYDAY=SA;BYMONTHDAY=8,9,10,11,12,13,14"
        );
    }

    #[test]
    fn offsets_west_of_utc_and_with_seconds() {
        assert_eq!(utc_offset(-4 * 3600 - 30 * 60), "-0430");
        assert_eq!(utc_offset(0), "+0000");
        assert_eq!(utc_offset(34 * 60 + 12), "+003412");
    }

    #[test]
    fn a_far_year_is_clamped() {
        let written = text(&lines(chrono_tz::Europe::Berlin, 9998, 9999, true));
        assert!(written.contains("TZID:Europe/Berlin"));
        assert!(written.contains("DTSTART:22000101T010000"));
        // The rule, as chrono-tz's tables last show it, from the year after.
        assert!(written
            .contains("DTSTART:22010329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"));
    }
}
