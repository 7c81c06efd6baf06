//! Recurring events: a file with `repeat:` is a series, expanded into one event per occurrence.
//!
//! Groups that meet on a rhythm write one file (`repeat: monthly on the 2nd Tuesday`, or an RFC 5545
//! RRULE such as `FREQ=MONTHLY;BYDAY=2TU`) instead of a file per month. The rule is read with the
//! `rrule` crate, in the event's zone, so "19:00 on the 2nd Tuesday" stays 19:00 across DST changes.
//!
//! Expansion is bounded: [`expand`] lists the occurrences from a little in the past to `now + reach`
//! (the longest reminder offset plus a margin), plus the next one whatever its distance, so a weekly
//! series never expands without end and a yearly one is still listed. With [`Past::All`]
//! (`crier list --all`) it lists the past from the series' first occurrence too, at most
//! [`PAST_LIMIT`] occurrences of a series. `now` is passed in: nothing here reads a clock.

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use rrule::{RRule, RRuleSet, Unvalidated};

use super::model::{Event, Occurrence};

/// How far back occurrences stay listed: the calendar feed keeps the last 30 days.
pub const LOOKBACK_DAYS: i64 = 30;

/// How far back [`expand`] lists a series' occurrences.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Past {
    /// The last [`LOOKBACK_DAYS`]: all that the announcer and the calendar's recent window need, and
    /// cheap on every reload however long ago a series began.
    #[default]
    Recent,
    /// Every occurrence from the series' first (`crier list --all`), bounded by the series' own end
    /// (`until`, `count`) and, before `now`, by [`PAST_LIMIT`].
    All,
}

/// With [`Past::All`], at most this many occurrences of one series that started by `now` are listed:
/// the latest ones. A series' past is finite, but a file may start a daily rule decades ago, and each
/// occurrence is a whole event (talks and all) to hold and print. 500 is nearly ten years of a weekly
/// meetup and over forty of a monthly one, so a real series' history is listed whole; a daily one
/// shows its last 16 months. It is far above the [`LOOKBACK_DAYS`] of even a daily series, so
/// `Past::All` never lists less than `Past::Recent`.
pub const PAST_LIMIT: usize = 500;
const _: () = assert!(PAST_LIMIT as i64 > LOOKBACK_DAYS);

/// The rrule crate gives up on a rule after this many occurrences are looked at without a match
/// (`30 February`); crier asks for at most this many at a time.
const SEARCH_LIMIT: u16 = 1000;

/// A recurring event as its file gives it, kept whole for the calendar feed (which writes it once, as
/// an RRULE), beside the occurrences that the catalog lists as events of their own.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The series' identity (`id:`, else the registration link, else the file).
    pub id: String,
    /// The series as one event: its first occurrence's start and the file's details; `id` is the
    /// series' identity and `occurrence` is `None`.
    pub template: Event,
    /// The rule as an RRULE value, with `UNTIL` and `COUNT` from the file's keys (`UNTIL` in UTC):
    /// `FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231T215959Z`.
    pub rule: String,
    /// `repeat:` as the file writes it, for people (`monthly on the 2nd Tuesday`).
    pub repeat: String,
    /// The starts of the occurrences that `except:` skips.
    pub exceptions: Vec<DateTime<FixedOffset>>,
    /// Occurrences that a dated file (`series: <id>`) replaced or cancelled, however far off.
    pub overrides: Vec<Override>,
    /// The zone the rule runs in.
    pub zone: chrono_tz::Tz,
    /// The rule, ready to expand (the first occurrence is the template's start).
    set: RRuleSet,
}

/// One occurrence replaced by a dated file.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The start the occurrence has by the rule (the feed's `RECURRENCE-ID`).
    pub recurrence_id: DateTime<FixedOffset>,
    /// The occurrence as the file gives it, with the series' details where it gives none; its
    /// `occurrence` is set, and `cancelled` when the file cancels it.
    pub event: Event,
}

/// What the file says about the rule, before it is checked against the event's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpec {
    /// `repeat:` as written.
    pub written: String,
    /// The rule as an RRULE value, from either form.
    pub rrule: String,
    pub until: Option<NaiveDate>,
    pub count: Option<u32>,
    pub except: Vec<NaiveDate>,
}

/// A rule that cannot be used, with the key to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub key: &'static str,
    pub message: String,
}

impl RuleError {
    fn new(key: &'static str, message: impl Into<String>) -> RuleError {
        RuleError {
            key,
            message: message.into(),
        }
    }
}

/// The identity of a series' occurrence on `date`.
pub fn occurrence_id(series: &str, date: NaiveDate) -> String {
    format!("{series}@{date}")
}

/// Reads `repeat:`: an RRULE (`FREQ=WEEKLY;BYDAY=TH`, with or without `RRULE:`) or a readable form
/// (`weekly on Thursday`, `monthly on the 2nd Tuesday`, `every other week on Monday`).
pub fn parse_repeat(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let rrule_text = trimmed
        .strip_prefix("RRULE:")
        .or_else(|| trimmed.strip_prefix("rrule:"))
        .unwrap_or(trimmed);
    if rrule_text.to_ascii_uppercase().contains("FREQ=") {
        let upper = rrule_text.to_ascii_uppercase();
        return match RRule::<Unvalidated>::from_str(&upper) {
            Ok(_) => Ok(upper),
            Err(e) => Err(format!(
                "`{trimmed}` is not an RRULE ({e}); write it like `FREQ=MONTHLY;BYDAY=2TU`, or in words like `monthly on the 2nd Tuesday`"
            )),
        };
    }
    readable(trimmed).ok_or_else(|| {
        format!(
            "`{trimmed}` is not a rule crier can read; write it like `weekly on Thursday`, `every other week on Monday`, `monthly on the 2nd Tuesday`, `monthly on the last Friday`, `monthly on day 15`, or as an RRULE like `FREQ=MONTHLY;BYDAY=2TU`"
        )
    })
}

/// The readable forms, as RRULE values.
fn readable(text: &str) -> Option<String> {
    let lower = text.to_lowercase().replace(',', " , ");
    let words: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| !matches!(*w, "," | "and" | "the" | "of" | "month" | "each"))
        .collect();
    let (freq, interval, rest) = frequency(&words)?;
    let mut rule = format!("FREQ={freq}");
    if interval > 1 {
        rule.push_str(&format!(";INTERVAL={interval}"));
    }
    let rest = match rest.first() {
        Some(&"on") => &rest[1..],
        _ => rest,
    };
    if rest.is_empty() {
        return Some(rule);
    }
    match freq {
        "WEEKLY" | "DAILY" => {
            let days = rest
                .iter()
                .map(|w| weekday(w))
                .collect::<Option<Vec<_>>>()?;
            rule.push_str(&format!(";BYDAY={}", join_days(&days)));
            if freq == "DAILY" {
                // `daily on Monday Tuesday` is a weekly rule on those days.
                rule = rule.replacen("FREQ=DAILY", "FREQ=WEEKLY", 1);
            }
        }
        "MONTHLY" => match rest {
            // `monthly on day 15`, `monthly on the 15th`
            ["day", n] | [n] if day_of_month(n).is_some() => {
                rule.push_str(&format!(";BYMONTHDAY={}", day_of_month(n)?));
            }
            [nth, days @ ..] if !days.is_empty() => {
                let n = ordinal(nth)?;
                let days = days
                    .iter()
                    .map(|w| weekday(w))
                    .collect::<Option<Vec<_>>>()?;
                let byday: Vec<String> = days.iter().map(|d| format!("{n}{}", code(*d))).collect();
                rule.push_str(&format!(";BYDAY={}", byday.join(",")));
            }
            _ => return None,
        },
        _ => return None,
    }
    Some(rule)
}

/// The frequency and interval at the start of the words, and the words after them.
fn frequency<'w>(words: &'w [&'w str]) -> Option<(&'static str, u32, &'w [&'w str])> {
    let unit = |w: &str| -> Option<&'static str> {
        Some(match w {
            "day" | "days" => "DAILY",
            "week" | "weeks" => "WEEKLY",
            "month" | "months" => "MONTHLY",
            "year" | "years" => "YEARLY",
            _ => return None,
        })
    };
    match words {
        [first, rest @ ..] if adverb(first).is_some() => Some((adverb(first)?, 1, rest)),
        ["every", n, u, rest @ ..] if count_word(n).is_some() && unit(u).is_some() => {
            Some((unit(u)?, count_word(n)?, rest))
        }
        ["every", u, rest @ ..] if unit(u).is_some() => Some((unit(u)?, 1, rest)),
        // `every second Tuesday`, `every last Friday`: of the month, as meetups say it.
        ["every", nth, rest @ ..] if ordinal(nth).is_some() && !rest.is_empty() => {
            Some(("MONTHLY", 1, &words[1..]))
        }
        // `every Thursday`
        ["every", rest @ ..] if !rest.is_empty() && rest.iter().all(|w| weekday(w).is_some()) => {
            Some(("WEEKLY", 1, rest))
        }
        _ => None,
    }
}

fn adverb(word: &str) -> Option<&'static str> {
    Some(match word {
        "daily" => "DAILY",
        "weekly" => "WEEKLY",
        "monthly" => "MONTHLY",
        "yearly" | "annually" => "YEARLY",
        _ => return None,
    })
}

/// `2`, `two`, `other` (every other week).
fn count_word(word: &str) -> Option<u32> {
    Some(match word {
        "other" | "two" | "second" => 2,
        "three" | "third" => 3,
        "four" | "fourth" => 4,
        n => n.parse().ok().filter(|n| (1..=52).contains(n))?,
    })
}

/// `1st`, `first`, ..., `5th`, `last`, `second-to-last`.
fn ordinal(word: &str) -> Option<i32> {
    Some(match word {
        "1st" | "first" => 1,
        "2nd" | "second" => 2,
        "3rd" | "third" => 3,
        "4th" | "fourth" => 4,
        "5th" | "fifth" => 5,
        "last" => -1,
        "second-to-last" | "penultimate" => -2,
        _ => return None,
    })
}

fn day_of_month(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn weekday(word: &str) -> Option<Weekday> {
    let word = word.trim_end_matches('s');
    let word = word.trim_end_matches('.');
    [
        (Weekday::Mon, "monday", "mon"),
        (Weekday::Tue, "tuesday", "tue"),
        (Weekday::Wed, "wednesday", "wed"),
        (Weekday::Thu, "thursday", "thu"),
        (Weekday::Fri, "friday", "fri"),
        (Weekday::Sat, "saturday", "sat"),
        (Weekday::Sun, "sunday", "sun"),
    ]
    .into_iter()
    .find(|(_, full, short)| word == *full || word == *short)
    .map(|(day, _, _)| day)
}

fn code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn join_days(days: &[Weekday]) -> String {
    days.iter().map(|d| code(*d)).collect::<Vec<_>>().join(",")
}

impl Series {
    /// A series from its file's event (its `start` is where the rule starts) and rule. The series'
    /// first occurrence becomes the template's start; `Err` when the rule yields no occurrence.
    /// Returns the series and warnings (an `except:` date that is no date of the series).
    pub fn new(
        mut template: Event,
        spec: &RuleSpec,
        zone: chrono_tz::Tz,
    ) -> Result<(Series, Vec<RuleError>), RuleError> {
        let rr_zone = rrule::Tz::Tz(zone);
        let local_start = template.start.with_timezone(&zone).naive_local();
        let dt_start = rr_zone
            .from_local_datetime(&local_start)
            .earliest()
            .ok_or_else(|| RuleError::new("date", "the start falls in a DST gap"))?;
        let base = RRule::<Unvalidated>::from_str(&spec.rrule)
            .map_err(|e| RuleError::new("repeat", format!("`{}`: {e}", spec.written)))?;
        if spec.until.is_some() && base.get_until().is_some() {
            return Err(RuleError::new(
                "until",
                "the RRULE in `repeat` has an UNTIL already; keep one of the two",
            ));
        }
        if spec.count.is_some() && base.get_count().is_some() {
            return Err(RuleError::new(
                "count",
                "the RRULE in `repeat` has a COUNT already; keep one of the two",
            ));
        }
        let ends_on_date = spec.until.is_some() || base.get_until().is_some();
        let ends_after_count = spec.count.is_some() || base.get_count().is_some();
        if ends_on_date && ends_after_count {
            return Err(RuleError::new(
                if spec.count.is_some() { "count" } else { "until" },
                "a rule ends either on a date (`until`) or after a number of occurrences (`count`), not both (RFC 5545); keep one",
            ));
        }
        let mut rule = base;
        let mut feed_rule = strip_parts(&spec.rrule, &["UNTIL", "COUNT"]);
        let until_instant = match (spec.until, rule.get_until()) {
            (Some(date), _) => {
                // `until` is a date: the whole of that day, in the event's zone.
                let end_of_day = date.and_hms_opt(23, 59, 59).unwrap_or_default();
                let at = zone.from_local_datetime(&end_of_day).latest().map_or_else(
                    || Utc.from_utc_datetime(&end_of_day),
                    |t| t.with_timezone(&Utc),
                );
                Some(at)
            }
            (None, Some(until)) => Some(until.with_timezone(&Utc)),
            (None, None) => None,
        };
        if let Some(at) = until_instant {
            rule = rule.until(at.with_timezone(&rrule::Tz::UTC));
            // Always in UTC here: the feed writes a date instead for a series without a time.
            feed_rule.push_str(&format!(";UNTIL={}", at.format("%Y%m%dT%H%M%SZ")));
        }
        if let Some(count) = spec.count.or(rule.get_count()) {
            rule = rule.count(count);
            feed_rule.push_str(&format!(";COUNT={count}"));
        }
        if let Some(until) = spec.until.filter(|u| *u < local_start.date()) {
            return Err(RuleError::new(
                "until",
                format!(
                    "this rule yields no occurrence at all: `until: {until}` is before the series starts ({}); fix the rule or its dates",
                    local_start.date()
                ),
            ));
        }
        let validated = rule
            .validate(dt_start)
            .map_err(|e| RuleError::new("repeat", format!("`{}`: {e}", spec.written)))?;
        // The occurrences by the rule alone, for checking `except:` against.
        let plain = RRuleSet::new(dt_start).rrule(validated.clone());
        // An occurrence is identified by its date: a series meets at most once a day.
        let mut dates: Vec<NaiveDate> = plain
            .clone()
            .all(50)
            .dates
            .iter()
            .map(chrono::DateTime::date_naive)
            .collect();
        let found = dates.len();
        dates.dedup();
        if dates.len() < found {
            return Err(RuleError::new(
                "repeat",
                format!(
                    "`{}` meets more than once a day; a series meets at most once a day (each occurrence is known by its date). Write one series per time of day",
                    spec.written
                ),
            ));
        }
        let time = local_start.time();
        let mut warnings = Vec::new();
        let mut exceptions = Vec::new();
        let mut set = plain.clone();
        for date in &spec.except {
            let Some(at) = rr_zone.from_local_datetime(&date.and_time(time)).earliest() else {
                continue;
            };
            let occurs = plain
                .clone()
                .after(at - Duration::seconds(1))
                .before(at + Duration::seconds(1))
                .all(1)
                .dates
                .contains(&at);
            if !occurs {
                let near = near_dates(&plain, at);
                warnings.push(RuleError::new(
                    "except",
                    format!(
                        "{date} is not a date of this series, so excepting it changes nothing{near}; fix the date"
                    ),
                ));
                continue;
            }
            set = set.exdate(at);
            exceptions.push(at.fixed_offset());
        }
        let first = set.clone().all(1).dates.into_iter().next().ok_or_else(|| {
            // (An `until` before the start was refused above.)
            let why = match spec.count {
                Some(_) if !spec.except.is_empty() => {
                    "`except` skips every occurrence that `count` allows".to_string()
                }
                _ => format!(
                    "no date from {} on matches `{}`",
                    local_start.date(),
                    spec.written
                ),
            };
            RuleError::new(
                "repeat",
                format!("this rule yields no occurrence at all: {why}; fix the rule or its dates"),
            )
        })?;
        let first = first.fixed_offset();
        if let Some(end) = template.end {
            template.end = Some(first + (end - template.start));
        }
        template.start = first;
        Ok((
            Series {
                id: template.id.clone(),
                template,
                rule: feed_rule,
                repeat: spec.written.clone(),
                exceptions,
                overrides: Vec::new(),
                zone,
                set,
            },
            warnings,
        ))
    }

    /// The start the rule gives on `date`, if the series has an occurrence that day (excepted ones
    /// included: an override may bring one back).
    pub fn start_on(&self, date: NaiveDate) -> Option<DateTime<FixedOffset>> {
        let rr_zone = rrule::Tz::Tz(self.zone);
        let from = rr_zone
            .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
            .earliest()?;
        let until = from + Duration::days(1);
        let mut plain = RRuleSet::new(*self.set.get_dt_start());
        for rule in self.set.get_rrule() {
            plain = plain.rrule(rule.clone());
        }
        plain
            .after(from)
            .before(until)
            .all(1)
            .dates
            .into_iter()
            .next()
            .map(|d| d.fixed_offset())
    }

    /// A few dates of the series around `date`, for an error message.
    pub fn dates_near(&self, date: NaiveDate) -> String {
        let at = rrule::Tz::Tz(self.zone)
            .from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
            .earliest();
        match at {
            Some(at) => near_dates(&self.set, at),
            None => String::new(),
        }
    }

    /// The occurrence starting at `start`, as an event of its own.
    fn occurrence(&self, start: DateTime<FixedOffset>) -> Event {
        let mut event = self.template.clone();
        let date = start.with_timezone(&self.zone).date_naive();
        event.id = occurrence_id(&self.id, date);
        if let Some(end) = event.end {
            event.end = Some(start + (end - event.start));
        }
        event.start = start;
        // A recording of the series as a whole belongs to no one occurrence.
        event.recordings.clear();
        event.occurrence = Some(Occurrence {
            series: self.id.clone(),
            date,
            overridden: false,
            repeat: self.repeat.clone(),
        });
        event
    }

    /// The rule with its start moved forward by whole periods to just before `from`, so that expanding
    /// a series that began years ago does not walk through all its past occurrences. Moving by whole
    /// periods (of `INTERVAL` weeks, months, ...) keeps the occurrences the same, as long as nothing is
    /// counted from the first one (`COUNT`) and the start's day exists in every month or year it moves to.
    fn rebased(&self, from: DateTime<Utc>) -> std::borrow::Cow<'_, RRuleSet> {
        use rrule::Frequency;
        let original = *self.set.get_dt_start();
        let [rule] = self.set.get_rrule().as_slice() else {
            return std::borrow::Cow::Borrowed(&self.set);
        };
        if rule.get_count().is_some() || original.with_timezone(&Utc) >= from {
            return std::borrow::Cow::Borrowed(&self.set);
        }
        let local = original.naive_local();
        let interval = i64::from(rule.get_interval().max(1));
        // Whole periods to move, one short of `from` so that nothing at the window's edge is lost.
        let target = from.with_timezone(&self.zone).naive_local();
        let day_ok = local.day() <= 28
            || !rule.get_by_month_day().is_empty()
            || !rule.get_by_weekday().is_empty();
        let moved = match rule.get_freq() {
            Frequency::Daily => {
                let periods = (target - local).num_days() / interval - 1;
                local.checked_add_signed(Duration::days(periods.max(0) * interval))
            }
            Frequency::Weekly => {
                let periods = (target - local).num_weeks() / interval - 1;
                local.checked_add_signed(Duration::weeks(periods.max(0) * interval))
            }
            Frequency::Monthly if day_ok => {
                let months = (target.year() - local.year()) * 12 + target.month() as i32
                    - local.month() as i32;
                let periods = i64::from(months) / interval - 1;
                u32::try_from(periods.max(0) * interval)
                    .ok()
                    .and_then(|m| local.checked_add_months(chrono::Months::new(m)))
            }
            Frequency::Yearly if day_ok && rule.get_by_week_no().is_empty() => {
                let periods = i64::from(target.year() - local.year()) / interval - 1;
                u32::try_from(periods.max(0) * interval * 12)
                    .ok()
                    .and_then(|m| local.checked_add_months(chrono::Months::new(m)))
            }
            _ => None,
        };
        let Some(moved) = moved.filter(|m| *m > local) else {
            return std::borrow::Cow::Borrowed(&self.set);
        };
        let Some(start) = rrule::Tz::Tz(self.zone)
            .from_local_datetime(&moved)
            .earliest()
        else {
            return std::borrow::Cow::Borrowed(&self.set);
        };
        let mut set = RRuleSet::new(start).rrule(rule.clone());
        for exdate in self.set.get_exdate() {
            set = set.exdate(*exdate);
        }
        std::borrow::Cow::Owned(set)
    }

    /// The starts of every occurrence up to `to`, and the first one after `now` wherever it is; of those
    /// that start by `now`, the latest `limit` only. Also the instant the list begins from: the
    /// earliest start kept when older ones were left out, else the beginning of time.
    fn starts_since_first(
        &self,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: usize,
    ) -> (Vec<DateTime<FixedOffset>>, DateTime<Utc>) {
        // Walking a rule costs a microsecond or two an occurrence, and a daily rule from a date
        // centuries back has hundreds of thousands: skip whole periods to where `limit` occurrences
        // should remain, and walk from the first only when fewer did.
        if let Some(skip_to) = self.limit_back(now, limit) {
            if let std::borrow::Cow::Owned(set) = self.rebased(skip_to) {
                let (starts, by_now, _) = walk(&set, skip_to, to, now, limit);
                if by_now >= limit {
                    let from = starts.first().map_or(skip_to, |s| s.with_timezone(&Utc));
                    return (starts, from);
                }
            }
        }
        let (starts, _, left_out) = walk(&self.set, DateTime::<Utc>::MIN_UTC, to, now, limit);
        let from = match starts.first() {
            Some(first) if left_out => first.with_timezone(&Utc),
            _ => DateTime::<Utc>::MIN_UTC,
        };
        (starts, from)
    }

    /// An instant before `now` that leaves `limit` occurrences of the rule before `now` for all but odd
    /// rules, if the series began before it: four periods (of `INTERVAL` days, weeks, months, years)
    /// for each, since a rule may skip some periods (`BYMONTHDAY=31`, `5TU`, the 29th of February).
    /// A rule that skips more (`FREQ=MONTHLY;BYMONTH=2`) leaves fewer, and is walked from its first.
    /// `None` for another frequency, several rules, or an instant out of range.
    fn limit_back(&self, now: DateTime<Utc>, limit: usize) -> Option<DateTime<Utc>> {
        use rrule::Frequency;
        let [rule] = self.set.get_rrule().as_slice() else {
            return None;
        };
        let periods = i64::try_from(limit)
            .ok()?
            .checked_mul(4)?
            .checked_mul(i64::from(rule.get_interval().max(1)))?;
        let days = match rule.get_freq() {
            Frequency::Daily => periods,
            Frequency::Weekly => periods.checked_mul(7)?,
            // The shortest month and year, so that the periods are all there.
            Frequency::Monthly => periods.checked_mul(28)?,
            Frequency::Yearly => periods.checked_mul(365)?,
            _ => return None,
        };
        let at = now.checked_sub_signed(Duration::try_days(days)?)?;
        (self.set.get_dt_start().with_timezone(&Utc) < at).then_some(at)
    }

    /// The starts of the occurrences from `from` to `to`, and the first one after `now` wherever it is.
    fn starts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Vec<DateTime<FixedOffset>> {
        let mut starts = Vec::new();
        let mut next_seen = false;
        let set = self.rebased(from.min(now));
        for at in &*set {
            let utc = at.with_timezone(&Utc);
            if utc > to && next_seen {
                break;
            }
            if utc >= from {
                starts.push(at.fixed_offset());
            }
            if utc > now {
                next_seen = true;
                if utc > to {
                    break;
                }
            }
        }
        starts
    }
}

/// The starts of `set` from `from` to `to`, and the first one after `now` wherever it is; of those
/// that start by `now`, the latest `limit` only (held as the rule is walked, so no more are ever kept).
/// Also how many started by `now` (at most `limit`), and whether older ones were left out.
fn walk(
    set: &RRuleSet,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    limit: usize,
) -> (Vec<DateTime<FixedOffset>>, usize, bool) {
    let mut past = std::collections::VecDeque::with_capacity(limit.min(64));
    let mut left_out = false;
    let mut ahead = Vec::new();
    for at in set {
        let utc = at.with_timezone(&Utc);
        if utc < from {
            continue;
        }
        if utc <= now {
            past.push_back(at.fixed_offset());
            if past.len() > limit {
                past.pop_front();
                left_out = true;
            }
            continue;
        }
        if utc > to && !ahead.is_empty() {
            break;
        }
        ahead.push(at.fixed_offset());
        if utc > to {
            break;
        }
    }
    let by_now = past.len();
    let mut starts: Vec<_> = past.into();
    starts.extend(ahead);
    (starts, by_now, left_out)
}

/// `; its dates near it are 2027-02-09 and 2027-03-09`, or nothing.
fn near_dates(set: &RRuleSet, at: DateTime<rrule::Tz>) -> String {
    let before = set
        .clone()
        .after(at - Duration::days(400))
        .before(at)
        .all(SEARCH_LIMIT)
        .dates
        .last()
        .map(chrono::DateTime::date_naive);
    let after = set
        .clone()
        .after(at)
        .all(1)
        .dates
        .first()
        .map(chrono::DateTime::date_naive);
    let dates: Vec<String> = [before, after]
        .into_iter()
        .flatten()
        .map(|d| d.to_string())
        .collect();
    if dates.is_empty() {
        String::new()
    } else {
        format!("; its dates near it are {}", dates.join(" and "))
    }
}

/// The RRULE value without the named parts.
fn strip_parts(rule: &str, parts: &[&str]) -> String {
    rule.split(';')
        .filter(|part| {
            let name = part.split('=').next().unwrap_or("").trim();
            !parts.iter().any(|p| name.eq_ignore_ascii_case(p))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The occurrences of every series from `LOOKBACK_DAYS` ago (with [`Past::All`], from its first
/// occurrence, at most [`PAST_LIMIT`] of them by `now`) to `now + reach`, and at least the next one of
/// each, with the dated files that replace or cancel some of them put in their place; an `except:`
/// date is not listed. A series whose own `reminders:` reach further than `reach` is expanded as far
/// as they do, and a day more.
pub fn expand(
    series: &[Series],
    now: DateTime<Utc>,
    reach: std::time::Duration,
    past: Past,
) -> Vec<Event> {
    let recent = now - Duration::days(LOOKBACK_DAYS);
    let reach = Duration::from_std(reach).unwrap_or(Duration::days(8));
    let mut events = Vec::new();
    for one in series {
        let own = one
            .template
            .reminders
            .iter()
            .flatten()
            .max()
            .and_then(|longest| Duration::from_std(*longest).ok())
            .map_or(Duration::zero(), |longest| longest + Duration::days(1));
        let to = now + reach.max(own);
        let mut replaced: std::collections::BTreeMap<NaiveDate, &Override> = one
            .overrides
            .iter()
            .filter_map(|o| o.event.occurrence.as_ref().map(|occ| (occ.date, o)))
            .collect();
        let (starts, from) = match past {
            Past::Recent => (one.starts(recent, to, now), recent),
            Past::All => one.starts_since_first(to, now, PAST_LIMIT),
        };
        for start in starts {
            let date = start.with_timezone(&one.zone).date_naive();
            match replaced.remove(&date) {
                Some(replacement) => events.push(replacement.event.clone()),
                None => events.push(one.occurrence(start)),
            }
        }
        // Dated files for dates the rule skips (an `except:` date brought back), within the window.
        for replacement in replaced.into_values() {
            let start = replacement.event.start.with_timezone(&Utc);
            if start >= from && start <= to {
                events.push(replacement.event.clone());
            }
        }
    }
    events
}

/// The override's event, filled in from its series where the dated file says nothing.
pub fn merge(series: &Series, mut event: Event, given: &Given, date: NaiveDate) -> Event {
    let template = &series.template;
    let rule_start = series.start_on(date);
    if !given.time {
        if let Some(start) = rule_start {
            event.end = template.end.map(|end| start + (end - template.start));
            event.start = start;
            event.time_known = template.time_known;
            event.timezone = template.timezone.clone();
        }
    } else if !given.zone {
        // The time is the series' wall time unless the file names another zone.
        let local = event.start.naive_local();
        if let Some(start) = series.zone.from_local_datetime(&local).earliest() {
            let shift = start.fixed_offset() - event.start;
            event.end = event.end.map(|end| end + shift);
            event.start = start.fixed_offset();
            event.timezone = template.timezone.clone();
        }
    }
    if event.end.is_none() {
        event.end = template.end.map(|end| event.start + (end - template.start));
    }
    if !given.title {
        event.title = template.title.clone();
    }
    if event.talks.is_empty() {
        event.talks = template.talks.clone();
    }
    if event.links.is_empty() {
        event.links = template.links.clone();
    }
    event.online = event.online.or(template.online);
    event.language = event.language.or_else(|| template.language.clone());
    event.location = event.location.or_else(|| template.location.clone());
    event.register = event.register.or_else(|| template.register.clone());
    event.group = event.group.or_else(|| template.group.clone());
    event.reminders = event.reminders.or_else(|| template.reminders.clone());
    event.id = occurrence_id(&series.id, date);
    event.occurrence = Some(Occurrence {
        series: series.id.clone(),
        date,
        overridden: true,
        repeat: series.repeat.clone(),
    });
    event
}

/// Which details a dated override file writes itself (the rest come from its series).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    /// The series the file names.
    pub series: String,
    pub title: bool,
    pub time: bool,
    pub zone: bool,
    /// Where `series` is written.
    pub at: Option<super::Position>,
}

/// Puts each dated override file (`series: <id>`) in its series, in place of the occurrence on its
/// date. A file that names no series, or a date the series does not have, is an error in that file.
pub fn attach_overrides(
    series: &mut [Series],
    overrides: Vec<(Event, Given)>,
) -> Vec<super::Problem> {
    let mut problems = Vec::new();
    for (event, given) in overrides {
        let Some(one) = series.iter_mut().find(|s| s.id == given.series) else {
            let ids: Vec<&str> = series.iter().map(|s| s.id.as_str()).collect();
            let hint = match crate::text::did_you_mean(&given.series, ids.iter().copied()) {
                Some(hint) => hint,
                None if ids.is_empty() => {
                    "there is no recurring event (a file with `repeat:`) at all".into()
                }
                None => format!("the series are {}", ids.join(", ")),
            };
            problems.push(super::Problem::error(
                &event.source,
                given.at,
                format!(
                    "`series: {}` names no series; {hint}. Name the series by its `id:` (or its file, without `.md`)",
                    given.series
                ),
            ));
            continue;
        };
        // The date as the file writes it, in its own offset.
        let date = event.start.naive_local().date();
        let Some(recurrence_id) = one.start_on(date) else {
            problems.push(super::Problem::error(
                &event.source,
                given.at,
                format!(
                    "the series `{}` has no occurrence on {date}{}; a `series:` file replaces one date of its series, so give it one of the series' dates",
                    one.id,
                    one.dates_near(date)
                ),
            ));
            continue;
        };
        if let Some(other) = one.overrides.iter().find(|o| {
            o.event
                .occurrence
                .as_ref()
                .is_some_and(|occ| occ.date == date)
        }) {
            problems.push(super::Problem::error(
                &event.source,
                given.at,
                format!(
                    "{} replaces the same date ({date}) of the series `{}`; keep one of the two files",
                    other.event.source.display(),
                    one.id
                ),
            ));
            continue;
        }
        let merged = merge(one, event, &given, date);
        one.overrides.push(Override {
            recurrence_id,
            event: merged,
        });
    }
    for one in series.iter_mut() {
        one.overrides.sort_by_key(|o| o.recurrence_id);
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(start: &str) -> Event {
        Event {
            timezone: "Europe/Berlin".into(),
            ..Event::new(
                "s",
                "S",
                DateTime::parse_from_rfc3339(start).expect("rfc3339"),
                "events/s.md",
            )
        }
    }

    /// The catalog of in-memory event files (names in `events/`, texts) at `now`.
    fn catalog(files: &[(&str, &str)], now: &str, past: Past) -> crate::catalog::Catalog {
        use crate::catalog::{Catalog, FileText, Problem, Settings, SiteFiles};
        let texts: std::collections::HashMap<std::path::PathBuf, String> = files
            .iter()
            .map(|(name, text)| {
                (
                    std::path::Path::new("events").join(name),
                    (*text).to_string(),
                )
            })
            .collect();
        let mut paths: Vec<_> = texts.keys().cloned().collect();
        paths.sort();
        let settings = Settings {
            past,
            ..Settings::for_events_dir("events")
        };
        let files = SiteFiles {
            events: paths,
            ..SiteFiles::default()
        };
        let now = DateTime::parse_from_rfc3339(now)
            .expect("rfc3339")
            .with_timezone(&Utc);
        Catalog::read(
            &settings,
            files,
            |path| {
                texts
                    .get(path)
                    .map(|text| FileText {
                        text: text.clone(),
                        modified: None,
                    })
                    .ok_or_else(|| Problem::error(path, None, "no such file"))
            },
            now,
        )
    }

    fn series_file(date: &str, repeat: &str, extra: &str) -> String {
        format!("---\nid: hl\ntitle: Hack and Learn\ndate: {date}\ntime: \"19:00\"\ntimezone: Europe/Berlin\nrepeat: {repeat}\n{extra}---\n")
    }

    fn days(catalog: &crate::catalog::Catalog) -> Vec<NaiveDate> {
        catalog
            .events
            .iter()
            .map(|e| {
                e.start
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .date_naive()
            })
            .collect()
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn an_ended_weekly_series_is_listed_whole_with_its_whole_past() {
        let file = series_file("2023-01-05", "weekly on Thursday", "until: 2023-12-28\n");
        let now = "2027-03-01T12:00:00Z";
        let recent = catalog(&[("hl.md", &file)], now, Past::Recent);
        assert!(recent.problems.is_empty(), "{:#?}", recent.problems);
        assert!(recent.events.is_empty(), "the announcer needs no history");
        let all = catalog(&[("hl.md", &file)], now, Past::All);
        assert!(all.problems.is_empty(), "{:#?}", all.problems);
        // Every Thursday of 2023, from the 5th of January to the 28th of December: 52.
        let expected: Vec<NaiveDate> = (0..52)
            .map(|week| ymd(2023, 1, 5) + Duration::weeks(week))
            .collect();
        assert_eq!(days(&all), expected);
        assert_eq!(all.events[0].id, "hl@2023-01-05");
        assert_eq!(all.events[51].id, "hl@2023-12-28");
        assert_eq!(
            all.events[0].start.to_rfc3339(),
            "2023-01-05T19:00:00+01:00"
        );
        assert_eq!(
            all.events[30].start.to_rfc3339(),
            "2023-08-03T19:00:00+02:00",
            "the wall time across DST"
        );
        assert_eq!(all.series.len(), 1);

        let counted = series_file("2023-01-05", "weekly on Thursday", "count: 10\n");
        let all = catalog(&[("hl.md", &counted)], now, Past::All);
        assert_eq!(days(&all), expected[..10]);
    }

    #[test]
    fn an_endless_series_is_listed_from_its_first_occurrence_up_to_the_limit() {
        let now = "2027-03-01T12:00:00Z";
        // Since 2000: 326 past occurrences, under the limit, and the next one (9 March 2027).
        let file = series_file("2000-01-01", "monthly on the 2nd Tuesday", "");
        let all = catalog(&[("hl.md", &file)], now, Past::All);
        assert!(all.problems.is_empty(), "{:#?}", all.problems);
        let listed = days(&all);
        assert_eq!(listed.len(), 27 * 12 + 2 + 1);
        assert_eq!(listed[0], ymd(2000, 1, 11));
        assert_eq!(listed[listed.len() - 1], ymd(2027, 3, 9));
        // Past::Recent holds February's and the next; Past::All holds them too.
        let recent = catalog(&[("hl.md", &file)], now, Past::Recent);
        assert_eq!(days(&recent), [ymd(2027, 2, 9), ymd(2027, 3, 9)]);
        assert!(listed.ends_with(&days(&recent)));

        // Since 1970: 686 past occurrences; the latest PAST_LIMIT of them, and the next one.
        let file = series_file("1970-01-01", "monthly on the 2nd Tuesday", "");
        let all = catalog(&[("hl.md", &file)], now, Past::All);
        let listed = days(&all);
        assert_eq!(listed.len(), PAST_LIMIT + 1);
        // 499 months before February 2027.
        assert_eq!(listed[0], ymd(1985, 7, 9));
        assert_eq!(listed[PAST_LIMIT - 1], ymd(2027, 2, 9));
        assert_eq!(listed[PAST_LIMIT], ymd(2027, 3, 9));
        let mut unique = listed.clone();
        unique.dedup();
        assert_eq!(unique.len(), listed.len());
    }

    #[test]
    fn except_dates_and_dated_files_hold_in_the_past() {
        // The Thursdays from 5 January to 30 March 2023: 13.
        let series = series_file(
            "2023-01-05",
            "weekly on Thursday",
            "until: 2023-03-30\nexcept: [2023-01-19, 2023-01-26]\n",
        );
        let files = [
            ("hl.md", series.as_str()),
            (
                "2023-02-09-special.md",
                "---\nseries: hl\ndate: 2023-02-09\ntitle: Hack and Learn, with a talk\n---\n",
            ),
            (
                "2023-03-02-off.md",
                "---\nseries: hl\ndate: 2023-03-02\ncancelled: true\n---\n",
            ),
            (
                "2023-03-16-late.md",
                "---\nseries: hl\ndate: 2023-03-16\ntime: \"20:00\"\n---\n",
            ),
            // An excepted date that a dated file brings back.
            (
                "2023-01-26-back.md",
                "---\nseries: hl\ndate: 2023-01-26\ntitle: Back after all\n---\n",
            ),
        ];
        let all = catalog(&files, "2027-03-01T12:00:00Z", Past::All);
        assert!(all.problems.is_empty(), "{:#?}", all.problems);
        let listed = days(&all);
        let expected: Vec<NaiveDate> = (0..13)
            .map(|week| ymd(2023, 1, 5) + Duration::weeks(week))
            .filter(|d| *d != ymd(2023, 1, 19))
            .collect();
        assert_eq!(
            listed, expected,
            "each date once, the excepted one left out"
        );
        let on = |date: NaiveDate| {
            let i = listed.iter().position(|d| *d == date).expect("listed");
            &all.events[i]
        };
        let special = on(ymd(2023, 2, 9));
        assert_eq!(special.title, "Hack and Learn, with a talk");
        assert!(special.source.ends_with("2023-02-09-special.md"));
        assert!(special.occurrence.as_ref().is_some_and(|o| o.overridden));
        assert!(on(ymd(2023, 3, 2)).cancelled);
        assert_eq!(
            on(ymd(2023, 3, 16)).start.to_rfc3339(),
            "2023-03-16T20:00:00+01:00"
        );
        assert_eq!(on(ymd(2023, 1, 26)).title, "Back after all");
        assert_eq!(on(ymd(2023, 1, 12)).title, "Hack and Learn");
        assert!(!on(ymd(2023, 1, 12)).cancelled);
    }

    /// Walking the rule from its first occurrence with room for every start lists what a plain walk
    /// does, up to the window's end and the next one.
    #[test]
    fn the_whole_past_is_the_rule_walked_from_its_start() {
        let spec = RuleSpec {
            written: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH".into(),
            rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH".into(),
            until: None,
            count: None,
            except: Vec::new(),
        };
        let (series, _) = Series::new(
            template("2024-10-31T19:00:00+01:00"),
            &spec,
            chrono_tz::Europe::Berlin,
        )
        .expect("a valid rule");
        let now = DateTime::parse_from_rfc3339("2026-03-20T00:00:00Z")
            .expect("rfc3339")
            .with_timezone(&Utc);
        let to = now + Duration::days(8);
        let walked: Vec<_> = (&series.set)
            .into_iter()
            .take_while(|d| d.with_timezone(&Utc) <= to)
            .map(|d| d.fixed_offset())
            .collect();
        let (all, from) = series.starts_since_first(to, now, usize::MAX);
        assert_eq!(all[..walked.len()], walked[..]);
        assert_eq!(
            all.len(),
            walked.len() + 1,
            "and the next one, beyond reach"
        );
        assert_eq!(from, DateTime::<Utc>::MIN_UTC, "nothing was left out");
        let (latest, from) = series.starts_since_first(to, now, 3);
        let by_now = walked
            .iter()
            .filter(|d| d.with_timezone(&Utc) <= now)
            .count();
        assert_eq!(latest[..3], walked[by_now - 3..by_now]);
        assert_eq!(from, latest[0].with_timezone(&Utc));
    }

    /// Moving the rule's start forward must never change which occurrences a window holds, nor which
    /// are the latest of the whole past.
    #[test]
    fn rebasing_keeps_every_occurrence() {
        let rules = [
            "FREQ=WEEKLY",
            "FREQ=WEEKLY;BYDAY=TH",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
            "FREQ=WEEKLY;INTERVAL=3",
            "FREQ=DAILY;INTERVAL=5",
            "FREQ=MONTHLY",
            "FREQ=MONTHLY;BYDAY=2TU",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
            "FREQ=YEARLY",
            "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=1SA",
        ];
        let starts = [
            "2020-01-31T19:00:00+01:00",
            "2021-02-28T07:30:00+01:00",
            "2022-10-30T02:30:00+01:00",
        ];
        for rule in rules {
            for start in starts {
                let spec = RuleSpec {
                    written: rule.into(),
                    rrule: rule.into(),
                    until: None,
                    count: None,
                    except: Vec::new(),
                };
                let (series, _) = Series::new(template(start), &spec, chrono_tz::Europe::Berlin)
                    .expect("a valid rule");
                for now in [
                    "2026-03-20T00:00:00Z",
                    "2027-10-31T01:30:00Z",
                    "2029-02-28T12:00:00Z",
                ] {
                    let now = DateTime::parse_from_rfc3339(now)
                        .expect("rfc3339")
                        .with_timezone(&Utc);
                    let from = now - Duration::days(LOOKBACK_DAYS);
                    let to = now + Duration::days(40);
                    let walked: Vec<_> = (&series.set)
                        .into_iter()
                        .map(|d| d.with_timezone(&Utc))
                        .skip_while(|d| *d < from)
                        .take_while(|d| *d <= to)
                        .map(|d| d.fixed_offset())
                        .collect();
                    let got: Vec<_> = series
                        .starts(from, to, now)
                        .into_iter()
                        .filter(|d| d.with_timezone(&Utc) <= to)
                        .collect();
                    assert_eq!(got, walked, "{rule} from {start} at {now}");
                    // The whole past, or its latest `limit`, whether the walk skipped ahead or not.
                    let whole: Vec<_> = (&series.set)
                        .into_iter()
                        .take_while(|d| d.with_timezone(&Utc) <= to)
                        .map(|d| d.fixed_offset())
                        .collect();
                    let by_now = whole
                        .iter()
                        .filter(|d| d.with_timezone(&Utc) <= now)
                        .count();
                    for limit in [3, 10, 40, PAST_LIMIT] {
                        let (got, _) = series.starts_since_first(to, now, limit);
                        let got: Vec<_> = got
                            .into_iter()
                            .filter(|d| d.with_timezone(&Utc) <= to)
                            .collect();
                        let first = by_now.saturating_sub(limit);
                        assert_eq!(got, whole[first..], "{rule} from {start} at {now}, {limit}");
                    }
                }
            }
        }
    }
}
