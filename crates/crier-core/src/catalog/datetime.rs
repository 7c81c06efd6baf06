//! Dates, times and zones as organisers write them, to exact instants.
//!
//! The forms come from real sites: `2025.06.08` (rust.org.il), `2026-10-22 19:00 +0200`, `UTC+2`, `CET`
//! (berline.rs), `7:00pm to 9:00pm` (Jekyll themes), RFC 3339. Zone abbreviations are the tricky part:
//! organisers write `CET` in July. Where an abbreviation belongs to the zone the event is in, the wall
//! time in that zone on that date wins (that is what the organiser meant), with a warning when the name was
//! wrong for the date. Everything else is an offset and is taken as written.

use std::str::FromStr;

use chrono::{
    DateTime, Datelike, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone,
};
use chrono_tz::{OffsetName, Tz};

/// A zone as written after a date and time.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneSpec {
    /// A numeric offset (`+0200`, `UTC+2`, `Z`), taken as written.
    Offset(FixedOffset),
    /// An IANA zone name (`Europe/Berlin`).
    Named(Tz),
    /// A zone abbreviation (`CEST`); `canonical` is the name chrono-tz uses (`MESZ` becomes `CEST`).
    Abbreviation {
        written: String,
        canonical: &'static str,
        offset: FixedOffset,
    },
}

/// A `date:` value, split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct DateParts {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub zone: Option<ZoneSpec>,
}

/// A `time:` value: a start and, for a range, an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start: NaiveTime,
    pub end: Option<NaiveTime>,
}

/// An instant resolved from wall-clock parts, with what the reader should be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub instant: DateTime<FixedOffset>,
    /// The IANA zone name, or the offset as `+02:00`.
    pub zone_name: String,
    /// Set when the written zone was adjusted (wrong abbreviation for the date, a DST gap).
    pub warning: Option<String>,
}

/// Abbreviations organisers write, with their chrono-tz spelling and UTC offset in seconds.
/// German names (`MEZ`, `MESZ`, `MEST`) appear on German sites.
const ABBREVIATIONS: &[(&str, &str, i32)] = &[
    ("CET", "CET", 3600),
    ("MEZ", "CET", 3600),
    ("CEST", "CEST", 7200),
    ("MESZ", "CEST", 7200),
    ("MEST", "CEST", 7200),
    ("WET", "WET", 0),
    ("WEST", "WEST", 3600),
    ("BST", "BST", 3600),
    ("EET", "EET", 7200),
    ("EEST", "EEST", 10800),
    ("IST", "IST", 7200),
    ("IDT", "IDT", 10800),
    ("MSK", "MSK", 10800),
    ("EST", "EST", -5 * 3600),
    ("EDT", "EDT", -4 * 3600),
    ("CST", "CST", -6 * 3600),
    ("CDT", "CDT", -5 * 3600),
    ("MST", "MST", -7 * 3600),
    ("MDT", "MDT", -6 * 3600),
    ("PST", "PST", -8 * 3600),
    ("PDT", "PDT", -7 * 3600),
    ("JST", "JST", 9 * 3600),
    ("AEST", "AEST", 10 * 3600),
    ("AEDT", "AEDT", 11 * 3600),
];

/// Parses a `date:` value: a date, optionally followed by a time and a zone.
pub fn parse_date(text: &str) -> Result<DateParts, String> {
    let text = text.trim();
    let (date, rest) = parse_ymd(text).ok_or_else(|| {
        format!("`{text}` is not a date; write it as YYYY-MM-DD (or YYYY.MM.DD), optionally followed by a time such as 18:00 and a zone such as +0200 or Europe/Berlin")
    })?;
    let rest = rest.trim_start_matches(['T', 't', ' ', '\t']);
    if rest.is_empty() {
        return Ok(DateParts {
            date,
            time: None,
            zone: None,
        });
    }
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time_text, mut zone_text) = rest.split_at(time_len);
    zone_text = zone_text.trim_start();
    let mut time_text = time_text.to_string();
    // `7:00 pm` and `7pm` after a date.
    for suffix in ["am", "pm", "AM", "PM", "a.m.", "p.m."] {
        if let Some(after) = zone_text.strip_prefix(suffix) {
            time_text.push_str(suffix);
            zone_text = after.trim_start();
            break;
        }
    }
    let time = parse_clock(&time_text).ok_or_else(|| {
        format!("`{text}` has a time `{time_text}` that is not a time of day; write it as HH:MM, e.g. 18:30")
    })?;
    let zone = if zone_text.is_empty() {
        None
    } else {
        Some(parse_zone(zone_text)?)
    };
    Ok(DateParts {
        date,
        time: Some(time),
        zone,
    })
}

/// Reads `YYYY-MM-DD`, `YYYY.MM.DD` or `YYYY/MM/DD` at the start of `text`.
pub fn parse_ymd(text: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = [0u32; 3];
    let mut rest = text;
    for (i, part) in parts.iter_mut().enumerate() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let want = if i == 0 { 4..=4 } else { 1..=2 };
        if !want.contains(&digits) {
            return None;
        }
        *part = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        if i < 2 {
            let sep = rest.chars().next()?;
            if !matches!(sep, '-' | '.' | '/') {
                return None;
            }
            rest = &rest[1..];
        }
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(parts[0]).ok()?, parts[1], parts[2])?;
    Some((date, rest))
}

/// Reads the date at the start of a Jekyll-style file name (`2025-06-08-in-person.md`).
pub fn date_from_file_name(name: &str) -> Option<NaiveDate> {
    let (date, rest) = parse_ymd(name).or_else(|| compact_ymd(name))?;
    // `2025-06-08.md` or `2025-06-08-slug.md`; not `2025-06-080.md`.
    matches!(rest.chars().next(), None | Some('-' | '_' | '.')).then_some(date)
}

/// `20250722-slug` (Astro and scraper-made folders write the date without separators).
fn compact_ymd(name: &str) -> Option<(NaiveDate, &str)> {
    let digits = name.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = digits[..4].parse().ok()?;
    let date =
        NaiveDate::from_ymd_opt(year, digits[4..6].parse().ok()?, digits[6..].parse().ok()?)?;
    (1990..=2200).contains(&year).then_some((date, &name[8..]))
}

/// Parses a time of day: `18:00`, `18:00:00`, `7pm`, `7:30 PM`, `19.00`.
pub fn parse_clock(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_ascii_lowercase();
    let (digits, meridiem) = if let Some(d) = lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p.m."))
    {
        (d.trim_end(), Some(12))
    } else if let Some(d) = lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a.m."))
    {
        (d.trim_end(), Some(0))
    } else {
        (lower.as_str(), None)
    };
    let mut fields = digits.split([':', '.']);
    let hour: u32 = fields.next()?.parse().ok()?;
    let minute: u32 = match fields.next() {
        Some(m) if m.len() == 2 => m.parse().ok()?,
        Some(_) => return None,
        None if meridiem.is_some() => 0,
        None => return None,
    };
    let second: u32 = match fields.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if fields.next().is_some() {
        return None;
    }
    let hour = match meridiem {
        Some(base) if (1..=12).contains(&hour) => hour % 12 + base,
        Some(_) => return None,
        None => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// Parses a `time:` value: one time or a range (`18:00-20:00`, `7:00pm to 9:00pm`, `18:00 – 20:00`).
pub fn parse_time_range(text: &str) -> Result<TimeRange, String> {
    let text = text.trim();
    let invalid = || {
        format!("`{text}` is not a time; write it as \"18:00\" (quoted), \"7:00pm\" or a range \"18:00-20:00\"")
    };
    for sep in [" to ", "–", "—", "-", " until "] {
        if let Some((a, b)) = text.split_once(sep) {
            let start = parse_clock(a).ok_or_else(invalid)?;
            let end = parse_clock(b).ok_or_else(invalid)?;
            return Ok(TimeRange {
                start,
                end: Some(end),
            });
        }
    }
    Ok(TimeRange {
        start: parse_clock(text).ok_or_else(invalid)?,
        end: None,
    })
}

/// Parses a zone written after a time.
pub fn parse_zone(text: &str) -> Result<ZoneSpec, String> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    if matches!(upper.as_str(), "Z" | "UTC" | "GMT" | "UT") {
        return Ok(ZoneSpec::Offset(FixedOffset::east_opt(0).unwrap_or(utc())));
    }
    let numeric = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    if numeric.starts_with(['+', '-']) {
        return parse_offset(numeric).map(ZoneSpec::Offset).ok_or_else(|| {
            format!("`{text}` is not a UTC offset; write it as +0200, +02:00 or UTC+2")
        });
    }
    if let Some(&(_, canonical, secs)) = ABBREVIATIONS.iter().find(|(name, _, _)| *name == upper) {
        let offset = FixedOffset::east_opt(secs).unwrap_or(utc());
        return Ok(ZoneSpec::Abbreviation {
            written: text.to_string(),
            canonical,
            offset,
        });
    }
    parse_iana(text).map(ZoneSpec::Named)
}

/// Parses an IANA zone name, suggesting the closest one when it is misspelt.
pub fn parse_iana(text: &str) -> Result<Tz, String> {
    if let Ok(tz) = Tz::from_str(text.trim()) {
        return Ok(tz);
    }
    if let Some(tz) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(text.trim()))
    {
        return Ok(*tz);
    }
    let hint = crate::text::did_you_mean(text, chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()))
        .unwrap_or_else(|| {
            "use an IANA name such as `Europe/Berlin` or `Asia/Jerusalem`, or an offset such as +0200"
                .to_string()
        });
    Err(format!("unknown timezone `{text}`; {hint}"))
}

fn utc() -> FixedOffset {
    Offset::fix(&chrono::Utc)
}

/// `+2`, `+02`, `+0200`, `+02:00`, `-5:30`.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let sign = match text.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let body = &text[1..];
    let (hours, minutes): (i32, i32) = if let Some((h, m)) = body.split_once(':') {
        (h.parse().ok()?, m.parse().ok()?)
    } else if body.len() == 4 {
        (body[..2].parse().ok()?, body[2..].parse().ok()?)
    } else if (1..=2).contains(&body.len()) {
        (body.parse().ok()?, 0)
    } else {
        return None;
    };
    if hours > 14 || minutes >= 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// Formats an offset as `+02:00`.
pub fn offset_name(offset: FixedOffset) -> String {
    let secs = offset.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.abs();
    format!("{sign}{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// Turns a wall-clock date and time into an instant.
///
/// `zone` is what the file wrote after the time, if anything; `home` is the event's zone (its
/// `timezone:` key, else the configured one).
pub fn resolve(
    date: NaiveDate,
    time: NaiveTime,
    zone: Option<&ZoneSpec>,
    home: Tz,
) -> Result<Resolved, String> {
    let wall = date.and_time(time);
    match zone {
        None => in_zone(wall, home),
        Some(ZoneSpec::Named(tz)) => in_zone(wall, *tz),
        Some(ZoneSpec::Offset(offset)) => fixed(wall, *offset),
        Some(ZoneSpec::Abbreviation {
            written,
            canonical,
            offset,
        }) => {
            if !zone_uses(home, date.year(), canonical) {
                return fixed(wall, *offset);
            }
            let mut resolved = in_zone(wall, home)?;
            let actual = home.offset_from_utc_datetime(&resolved.instant.naive_utc());
            let actual_name = actual.abbreviation().unwrap_or_default();
            if actual_name != *canonical && resolved.warning.is_none() {
                resolved.warning = Some(format!(
                    "`{written}` is not the time in {home} on {date}, which is on {actual_name} ({}); read as {time} {actual_name}. Write `{actual_name}` or drop the zone",
                    offset_name(actual.fix())
                ));
            }
            Ok(resolved)
        }
    }
}

/// Whether `tz` uses the abbreviation `name` in some part of `year`.
fn zone_uses(tz: Tz, year: i32, name: &str) -> bool {
    [1, 7].iter().any(|&month| {
        NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .is_some_and(|noon| tz.offset_from_utc_datetime(&noon).abbreviation() == Some(name))
    })
}

fn fixed(wall: NaiveDateTime, offset: FixedOffset) -> Result<Resolved, String> {
    match offset.from_local_datetime(&wall) {
        LocalResult::Single(instant) => Ok(Resolved {
            instant,
            zone_name: offset_name(offset),
            warning: None,
        }),
        _ => Err(format!("{wall} {} is out of range", offset_name(offset))),
    }
}

/// Wall time in an IANA zone, correct across DST. A time in the spring-forward gap does not exist and
/// is moved forward by the gap; a time in the autumn overlap takes its first occurrence.
fn in_zone(wall: NaiveDateTime, tz: Tz) -> Result<Resolved, String> {
    let zone_name = tz.name().to_string();
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(Resolved {
            instant: t.fixed_offset(),
            zone_name,
            warning: None,
        }),
        LocalResult::None => {
            // Read the wall time with the offset in force just before the gap: 02:30 becomes 03:30.
            let before = tz
                .offset_from_local_datetime(&(wall - chrono::Duration::hours(6)))
                .earliest()
                .map(|o| o.fix());
            if let Some(offset) = before {
                let utc = wall - chrono::Duration::seconds(i64::from(offset.local_minus_utc()));
                let instant = tz.from_utc_datetime(&utc).fixed_offset();
                return Ok(Resolved {
                    instant,
                    zone_name,
                    warning: Some(format!(
                        "{wall} does not exist in {tz} (the clocks skip it for daylight saving time); read as {}",
                        instant.naive_local()
                    )),
                });
            }
            Err(format!("{wall} does not exist in {tz}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }
    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
    }
    fn rfc(parts: &DateParts, home: Tz) -> String {
        resolve(
            parts.date,
            parts.time.unwrap_or(t(18, 0)),
            parts.zone.as_ref(),
            home,
        )
        .expect("resolves")
        .instant
        .to_rfc3339()
    }
    const BERLIN: Tz = chrono_tz::Europe::Berlin;
    const JERUSALEM: Tz = chrono_tz::Asia::Jerusalem;

    #[test]
    fn dotted_and_dashed_dates() {
        for text in ["2025.06.08", "2025-06-08", "2025/06/08", "2025-6-8"] {
            let p = parse_date(text).expect(text);
            assert_eq!(p.date, d(2025, 6, 8), "{text}");
            assert_eq!(p.time, None);
            assert_eq!(p.zone, None);
        }
    }

    #[test]
    fn rejects_non_dates() {
        for text in [
            "",
            "June 8",
            "2025-13-01",
            "2025-02-30",
            "25-06-08",
            "tomorrow",
        ] {
            let err = parse_date(text).expect_err(text);
            assert!(err.contains("YYYY-MM-DD"), "{text}: {err}");
        }
    }

    #[test]
    fn date_with_time_and_numeric_offsets() {
        let cases = [
            ("2026-10-22 19:00 +0200", "2026-10-22T19:00:00+02:00"),
            ("2026-07-23 18:30:00 +0200", "2026-07-23T18:30:00+02:00"),
            ("2018-08-08 19:00:00 UTC+2", "2018-08-08T19:00:00+02:00"),
            ("2016-09-16 9:00:00 UTC+2", "2016-09-16T09:00:00+02:00"),
            ("2020-01-28 19:00:00 UTC+1", "2020-01-28T19:00:00+01:00"),
            ("2025-06-08T18:00:00+03:00", "2025-06-08T18:00:00+03:00"),
            ("2025-06-08T15:00:00Z", "2025-06-08T15:00:00+00:00"),
            ("2025-06-08 15:00 GMT-5:30", "2025-06-08T15:00:00-05:30"),
            // An offset is taken as written even when the place was on another one that day.
            ("2014-11-04 19:00:00 UTC+2", "2014-11-04T19:00:00+02:00"),
        ];
        for (text, want) in cases {
            let p = parse_date(text).expect(text);
            assert_eq!(rfc(&p, BERLIN), want, "{text}");
        }
    }

    #[test]
    fn date_with_iana_zone_and_12_hour_time() {
        let p = parse_date("2025-12-01 7:00pm Europe/Berlin").expect("parses");
        assert_eq!(rfc(&p, JERUSALEM), "2025-12-01T19:00:00+01:00");
    }

    #[test]
    fn abbreviations_of_the_home_zone_take_the_wall_time() {
        // Right names: no warning.
        for (text, want) in [
            ("2020-02-05 19:00:00 CET", "2020-02-05T19:00:00+01:00"),
            ("2019-10-16 19:00:00 CEST", "2019-10-16T19:00:00+02:00"),
            ("2019-07-10 19:00 MESZ", "2019-07-10T19:00:00+02:00"),
        ] {
            let p = parse_date(text).expect(text);
            let r = resolve(p.date, p.time.expect("time"), p.zone.as_ref(), BERLIN).expect(text);
            assert_eq!(r.instant.to_rfc3339(), want);
            assert_eq!(r.warning, None, "{text}");
            assert_eq!(r.zone_name, "Europe/Berlin");
        }
        // Winter time written in July, summer time in January: the wall time wins, with a warning.
        for (text, want, said) in [
            ("2019-07-10 19:00 CET", "2019-07-10T19:00:00+02:00", "CEST"),
            ("2019-07-10 19:00 MEZ", "2019-07-10T19:00:00+02:00", "CEST"),
            ("2020-01-22 19:00 MEST", "2020-01-22T19:00:00+01:00", "CET"),
        ] {
            let p = parse_date(text).expect(text);
            let r = resolve(p.date, p.time.expect("time"), p.zone.as_ref(), BERLIN).expect(text);
            assert_eq!(r.instant.to_rfc3339(), want, "{text}");
            let warning = r.warning.expect("a warning");
            assert!(warning.contains(&format!("Write `{said}`")), "{warning}");
        }
    }

    #[test]
    fn abbreviations_of_other_zones_are_offsets() {
        // Jerusalem never uses CET: the abbreviation is its offset.
        let p = parse_date("2019-07-10 19:00 CET").expect("parses");
        let r =
            resolve(p.date, p.time.expect("time"), p.zone.as_ref(), JERUSALEM).expect("resolves");
        assert_eq!(r.instant.to_rfc3339(), "2019-07-10T19:00:00+01:00");
        assert_eq!(r.warning, None);
        // IST/IDT belong to Jerusalem.
        let p = parse_date("2025-01-12 18:00 IDT").expect("parses");
        let r =
            resolve(p.date, p.time.expect("time"), p.zone.as_ref(), JERUSALEM).expect("resolves");
        assert_eq!(r.instant.to_rfc3339(), "2025-01-12T18:00:00+02:00");
        assert!(r.warning.is_some());
    }

    #[test]
    fn unknown_zone_suggests_a_name() {
        let err = parse_date("2025-06-08 18:00 Europe/Berln").expect_err("unknown");
        assert!(err.contains("did you mean `Europe/Berlin`"), "{err}");
        let err = parse_date("2025-06-08 18:00 XYZT").expect_err("unknown");
        assert!(err.contains("unknown timezone `XYZT`"), "{err}");
        assert!(parse_date("2025-06-08 18:00 +2500").is_err());
    }

    #[test]
    fn dst_is_right_in_the_home_zone() {
        // Israel: winter +02:00, summer +03:00; Berlin's switch dates differ from Israel's.
        let winter = resolve(d(2026, 1, 7), t(18, 0), None, JERUSALEM).expect("ok");
        let summer = resolve(d(2025, 6, 8), t(18, 0), None, JERUSALEM).expect("ok");
        assert_eq!(winter.instant.to_rfc3339(), "2026-01-07T18:00:00+02:00");
        assert_eq!(summer.instant.to_rfc3339(), "2025-06-08T18:00:00+03:00");
        assert_eq!(summer.zone_name, "Asia/Jerusalem");
        // 2025-03-28: Israel is already on summer time, Berlin is not yet.
        let il = resolve(d(2025, 3, 28), t(18, 0), None, JERUSALEM).expect("ok");
        let de = resolve(d(2025, 3, 28), t(18, 0), None, BERLIN).expect("ok");
        assert_eq!(il.instant.offset().local_minus_utc(), 3 * 3600);
        assert_eq!(de.instant.offset().local_minus_utc(), 3600);
    }

    #[test]
    fn dst_gap_moves_forward_and_overlap_takes_the_first() {
        let gap = resolve(d(2026, 3, 29), t(2, 30), None, BERLIN).expect("ok");
        assert_eq!(gap.instant.to_rfc3339(), "2026-03-29T03:30:00+02:00");
        assert!(gap.warning.expect("warns").contains("does not exist"));
        let overlap = resolve(d(2026, 10, 25), t(2, 30), None, BERLIN).expect("ok");
        assert_eq!(overlap.instant.to_rfc3339(), "2026-10-25T02:30:00+02:00");
        assert_eq!(overlap.warning, None);
    }

    #[test]
    fn clock_forms() {
        for (text, h, m) in [
            ("18:00", 18, 0),
            ("9:05", 9, 5),
            ("18:00:00", 18, 0),
            ("19.30", 19, 30),
            ("7pm", 19, 0),
            ("7:30 PM", 19, 30),
            ("12am", 0, 0),
            ("12pm", 12, 0),
            ("7 p.m.", 19, 0),
        ] {
            assert_eq!(parse_clock(text), Some(t(h, m)), "{text}");
        }
        for text in ["25:00", "18", "13pm", "18:0", "noon", "18:00:00:00"] {
            assert_eq!(parse_clock(text), None, "{text}");
        }
    }

    #[test]
    fn time_ranges() {
        for text in [
            "7:00pm to 9:00pm",
            "19:00-21:00",
            "19:00 - 21:00",
            "19:00–21:00",
            "7pm until 9pm",
        ] {
            let r = parse_time_range(text).expect(text);
            assert_eq!(r.start, t(19, 0), "{text}");
            assert_eq!(r.end, Some(t(21, 0)), "{text}");
        }
        let single = parse_time_range("18:30").expect("single");
        assert_eq!(single.end, None);
        let err = parse_time_range("evening").expect_err("bad");
        assert!(err.contains("\"18:00\""), "{err}");
    }

    #[test]
    fn file_name_dates() {
        assert_eq!(
            date_from_file_name("2025-06-08-in-person.md"),
            Some(d(2025, 6, 8))
        );
        assert_eq!(date_from_file_name("2025-06-08.md"), Some(d(2025, 6, 8)));
        assert_eq!(date_from_file_name("in-person.md"), None);
        assert_eq!(date_from_file_name("2025-06-081.md"), None);
    }
}
