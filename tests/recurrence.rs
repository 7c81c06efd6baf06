//! Recurring events: `repeat:` in words or as an RRULE, bounded by `until`, `count` and `except`, with
//! dated files that replace or cancel one occurrence, expanded around a `now` the test chooses.

mod support;

use std::fs;

use chrono::{DateTime, NaiveDate, Utc};
use crier::catalog::{Catalog, Event, Settings};
use support::site::Site;
use tempfile::TempDir;

fn site(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("events")).expect("mkdir");
    for (path, text) in files {
        fs::write(dir.path().join("events").join(path), text).expect("write");
    }
    dir
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

fn load_at(dir: &TempDir, now: &str) -> Catalog {
    crier::site_files::load_at(
        &Settings::for_events_dir(dir.path().join("events")),
        at(now),
    )
    .expect("loads")
}

fn dates(catalog: &Catalog) -> Vec<String> {
    catalog
        .events
        .iter()
        .map(|e| e.start.format("%Y-%m-%d %H:%M %:z").to_string())
        .collect()
}

fn series_file(repeat: &str, extra: &str) -> String {
    format!(
        "---\nid: hl\ntitle: Hack and Learn\ndate: 2027-01-01\ntime: \"19:00\"\ntimezone: Europe/Berlin\nrepeat: {repeat}\n{extra}---\n"
    )
}

fn only_error(catalog: &Catalog) -> String {
    let errors: Vec<_> = catalog.problems.iter().filter(|p| p.is_error()).collect();
    assert_eq!(errors.len(), 1, "{:#?}", catalog.problems);
    errors[0].to_string()
}

#[test]
fn a_monthly_rule_in_words_lists_the_occurrences_within_reach_and_the_next_one() {
    let dir = site(&[("hl.md", &series_file("monthly on the 2nd Tuesday", ""))]);
    // Reach is 8 days: on 2027-03-01 the next occurrence (9 March) is beyond it, and still listed;
    // February's (9 Feb) is within the last 30 days.
    let catalog = load_at(&dir, "2027-03-01T12:00:00Z");
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    assert_eq!(
        dates(&catalog),
        ["2027-02-09 19:00 +01:00", "2027-03-09 19:00 +01:00"]
    );
    let next = &catalog.events[1];
    assert_eq!(next.id, "hl@2027-03-09");
    assert_eq!(next.title, "Hack and Learn");
    let occurrence = next.occurrence.as_ref().expect("an occurrence");
    assert_eq!(occurrence.series, "hl");
    assert_eq!(
        occurrence.date,
        NaiveDate::from_ymd_opt(2027, 3, 9).unwrap()
    );
    assert!(!occurrence.overridden);
    // The series itself is kept whole for the feed, starting at its first occurrence.
    assert_eq!(catalog.series.len(), 1);
    assert_eq!(catalog.series[0].rule, "FREQ=MONTHLY;BYDAY=2TU");
    assert_eq!(
        catalog.series[0].template.start.to_rfc3339(),
        "2027-01-12T19:00:00+01:00"
    );
}

#[test]
fn the_wall_time_stays_across_a_dst_change() {
    let dir = site(&[("hl.md", &series_file("weekly on Thursday", ""))]);
    let catalog = load_at(&dir, "2027-03-25T12:00:00Z");
    // 25 March is in CET, 1 April in CEST: both at 19:00 local.
    assert_eq!(
        dates(&catalog)
            .into_iter()
            .filter(|d| d.as_str() >= "2027-03-25")
            .collect::<Vec<_>>(),
        ["2027-03-25 19:00 +01:00", "2027-04-01 19:00 +02:00"]
    );
}

#[test]
fn a_weekly_series_never_expands_beyond_reach() {
    let dir = site(&[("hl.md", &series_file("FREQ=WEEKLY;BYDAY=TH", ""))]);
    let catalog = load_at(&dir, "2030-06-01T12:00:00Z");
    let now = at("2030-06-01T12:00:00Z");
    let ahead: Vec<&Event> = catalog.events.iter().filter(|e| e.start > now).collect();
    // 8 days of reach hold the Thursdays 6 June only.
    assert_eq!(ahead.len(), 1, "{:?}", dates(&catalog));
    let behind = catalog.events.len() - ahead.len();
    assert!(behind <= 5, "only the last 30 days are kept: {behind}");
}

#[test]
fn until_ends_a_series_and_an_ended_series_lists_only_its_history() {
    let dir = site(&[(
        "hl.md",
        &series_file("monthly on the 2nd Tuesday", "until: 2027-03-09\n"),
    )]);
    let catalog = load_at(&dir, "2027-03-20T12:00:00Z");
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    assert_eq!(dates(&catalog), ["2027-03-09 19:00 +01:00"]);
    assert!(
        catalog.series[0].rule.contains("UNTIL=20270309T225959Z"),
        "{}",
        catalog.series[0].rule
    );
    let later = load_at(&dir, "2028-01-01T00:00:00Z");
    assert!(later.events.is_empty(), "{:?}", dates(&later));
    assert_eq!(later.series.len(), 1, "an ended series is still history");
}

#[test]
fn count_counts_the_excepted_dates_too() {
    let dir = site(&[(
        "hl.md",
        &series_file("weekly on Friday", "count: 3\nexcept: [2027-01-08]\n"),
    )]);
    let catalog = load_at(&dir, "2026-12-31T00:00:00Z");
    let settings = Settings {
        reach: std::time::Duration::from_secs(60 * 86400),
        ..Settings::for_events_dir(dir.path().join("events"))
    };
    let wide = crier::site_files::load_at(&settings, at("2026-12-31T00:00:00Z")).expect("loads");
    assert!(wide.problems.is_empty(), "{:#?}", wide.problems);
    // 1, 8 and 15 January are the three; the 8th is skipped.
    assert_eq!(
        dates(&wide),
        ["2027-01-01 19:00 +01:00", "2027-01-15 19:00 +01:00"]
    );
    assert_eq!(catalog.events.len(), 1, "within 8 days: the 1st only");
    assert_eq!(wide.series[0].exceptions.len(), 1);
}

#[test]
fn an_except_date_that_is_no_date_of_the_series_is_a_warning_naming_the_near_dates() {
    let dir = site(&[(
        "hl.md",
        &series_file("monthly on the 2nd Tuesday", "except: [2027-02-10]\n"),
    )]);
    let catalog = load_at(&dir, "2027-01-01T00:00:00Z");
    assert_eq!(catalog.problems.len(), 1, "{:#?}", catalog.problems);
    let warning = catalog.problems[0].to_string();
    assert!(!catalog.problems[0].is_error());
    assert!(warning.contains("hl.md:8"), "{warning}");
    assert!(
        warning.contains("2027-02-10 is not a date of this series"),
        "{warning}"
    );
    assert!(warning.contains("2027-02-09"), "{warning}");
}

#[test]
fn a_dated_file_replaces_one_occurrence_and_takes_the_rest_from_the_series() {
    let dir = site(&[
        (
            "hl.md",
            &series_file(
                "monthly on the 2nd Tuesday",
                "register: https://example.org/hl\nlanguage: German\n",
            ),
        ),
        (
            "2027-02-09-special.md",
            "---\nseries: hl\ndate: 2027-02-09\ntitle: Hack and Learn, with a talk\ntalks:\n  - title: Embedded Rust\n    speakers: [Ada]\n---\n",
        ),
    ]);
    let catalog = load_at(&dir, "2027-02-05T00:00:00Z");
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let special = catalog
        .events
        .iter()
        .find(|e| e.id == "hl@2027-02-09")
        .expect("the replaced occurrence");
    assert_eq!(special.title, "Hack and Learn, with a talk");
    assert_eq!(special.talks[0].title, "Embedded Rust");
    assert_eq!(special.start.to_rfc3339(), "2027-02-09T19:00:00+01:00");
    assert_eq!(special.register.as_deref(), Some("https://example.org/hl"));
    assert_eq!(special.language.as_deref(), Some("German"));
    assert!(special.occurrence.as_ref().expect("occurrence").overridden);
    assert!(special.source.ends_with("2027-02-09-special.md"));
    assert_eq!(
        catalog
            .events
            .iter()
            .filter(|e| e.start.date_naive() == special.start.date_naive())
            .count(),
        1,
        "the series' own occurrence is replaced, not doubled"
    );
    assert_eq!(catalog.series[0].overrides.len(), 1);
    assert_eq!(
        catalog.series[0].overrides[0].recurrence_id.to_rfc3339(),
        "2027-02-09T19:00:00+01:00"
    );
}

#[test]
fn a_dated_file_cancels_one_occurrence() {
    let dir = site(&[
        ("hl.md", &series_file("monthly on the 2nd Tuesday", "")),
        (
            "2027-02-09-off.md",
            "---\nseries: hl\ndate: 2027-02-09\ncancelled: true\n---\n",
        ),
    ]);
    let catalog = load_at(&dir, "2027-02-05T00:00:00Z");
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let off = catalog
        .events
        .iter()
        .find(|e| e.id == "hl@2027-02-09")
        .expect("the cancelled occurrence is listed, cancelled");
    assert!(off.cancelled);
    assert_eq!(off.title, "Hack and Learn");
}

#[test]
fn a_series_file_that_names_no_series_is_an_error_with_the_closest_name() {
    let dir = site(&[
        ("hl.md", &series_file("monthly on the 2nd Tuesday", "")),
        (
            "2027-02-09-special.md",
            "---\ntitle: Special\nseries: hll\ndate: 2027-02-09\n---\n",
        ),
    ]);
    let catalog = load_at(&dir, "2027-02-05T00:00:00Z");
    let error = only_error(&catalog);
    assert!(error.contains("2027-02-09-special.md:3"), "{error}");
    assert!(error.contains("`series: hll` names no series"), "{error}");
    assert!(error.contains("did you mean `hl`?"), "{error}");
    assert!(
        catalog.events.iter().any(|e| e.id == "hl@2027-02-09"),
        "the series still lists its own occurrence"
    );
}

#[test]
fn a_dated_file_on_a_day_the_series_does_not_meet_is_an_error() {
    let dir = site(&[
        ("hl.md", &series_file("monthly on the 2nd Tuesday", "")),
        (
            "2027-02-10-special.md",
            "---\nseries: hl\ndate: 2027-02-10\n---\n",
        ),
    ]);
    let error = only_error(&load_at(&dir, "2027-02-05T00:00:00Z"));
    assert!(error.contains("2027-02-10-special.md:2"), "{error}");
    assert!(error.contains("has no occurrence on 2027-02-10"), "{error}");
    assert!(error.contains("2027-02-09"), "{error}");
}

#[test]
fn rules_that_do_not_parse_or_yield_nothing_are_errors_at_their_line() {
    let cases = [
        (
            "monthly on the 2nd Tuesdy",
            "",
            ":7",
            "not a rule crier can read",
        ),
        ("FREQ=SOMETIMES", "", ":7", "not an RRULE"),
        (
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "",
            ":7",
            "yields no occurrence",
        ),
        (
            "weekly",
            "until: 2026-12-01\n",
            ":8",
            "before the series starts",
        ),
        ("weekly", "until: 2027-05-01\ncount: 3\n", ":9", "not both"),
        ("weekly", "count: zero\n", ":8", "whole number"),
        ("weekly", "except: [soon]\n", ":8", "not a date"),
        ("FREQ=HOURLY", "", ":7", "at most once a day"),
        ("FREQ=DAILY;BYHOUR=10,19", "", ":7", "at most once a day"),
    ];
    for (repeat, extra, line, message) in cases {
        let dir = site(&[
            ("hl.md", &series_file(repeat, extra)),
            ("other.md", "---\ntitle: Other\ndate: 2027-01-05\n---\n"),
        ]);
        let catalog = load_at(&dir, "2027-01-01T00:00:00Z");
        let error = only_error(&catalog);
        assert!(error.contains(&format!("hl.md{line}")), "{repeat}: {error}");
        assert!(error.contains(message), "{repeat}: {error}");
        assert_eq!(
            catalog.events.len(),
            1,
            "{repeat}: the other file still loads"
        );
    }
}

#[test]
fn readable_forms_read_as_their_rrule() {
    let cases = [
        ("weekly on Thursday", "FREQ=WEEKLY;BYDAY=TH"),
        ("every Thursday", "FREQ=WEEKLY;BYDAY=TH"),
        (
            "every other week on Monday",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ),
        (
            "every 3 weeks on Mon and Wed",
            "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE",
        ),
        ("monthly on the 2nd Tuesday", "FREQ=MONTHLY;BYDAY=2TU"),
        (
            "every second Tuesday of the month",
            "FREQ=MONTHLY;BYDAY=2TU",
        ),
        ("monthly on the last Friday", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("monthly on day 15", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("yearly", "FREQ=YEARLY"),
        ("RRULE:FREQ=MONTHLY;BYDAY=1WE", "FREQ=MONTHLY;BYDAY=1WE"),
        ("freq=monthly;byday=1we", "FREQ=MONTHLY;BYDAY=1WE"),
    ];
    for (written, rule) in cases {
        assert_eq!(
            crier::catalog::recurrence::parse_repeat(written).as_deref(),
            Ok(rule),
            "{written}"
        );
    }
}

#[test]
fn the_bundled_series_always_has_an_upcoming_occurrence() {
    let events = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    for now in [
        "2026-12-01T00:00:00Z",
        "2029-07-15T00:00:00Z",
        "2040-01-01T00:00:00Z",
    ] {
        let catalog =
            crier::site_files::load_at(&Settings::for_events_dir(&events), at(now)).expect("loads");
        assert_eq!(catalog.errors(), 0, "{:#?}", catalog.problems);
        assert!(
            catalog.upcoming(at(now)).next().is_some(),
            "nothing upcoming on {now}"
        );
    }
}

#[test]
fn a_series_with_its_own_longer_reminders_is_expanded_as_far_as_they_reach() {
    let dir = site(&[(
        "hl.md",
        &series_file("weekly on Friday", "reminders: [14d]\n"),
    )]);
    let catalog = load_at(&dir, "2027-01-01T12:00:00Z");
    // 14 days and a day of margin: 8, 15 (and not yet 22) January; the 1st has started.
    assert_eq!(
        dates(&catalog),
        [
            "2027-01-01 19:00 +01:00",
            "2027-01-08 19:00 +01:00",
            "2027-01-15 19:00 +01:00"
        ]
    );
}

#[test]
fn a_dated_file_for_the_next_occurrence_beyond_reach_is_listed_in_its_place() {
    let dir = site(&[
        (
            "hl.md",
            &series_file("monthly on the 2nd Tuesday", "count: \"3\"\n"),
        ),
        (
            "2027-03-09-special.md",
            "---\nseries: hl\ndate: 2027-03-09\ntitle: The last one\n---\n",
        ),
    ]);
    let catalog = load_at(&dir, "2027-02-20T00:00:00Z");
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let next = catalog
        .events
        .iter()
        .find(|e| e.start.date_naive() == NaiveDate::from_ymd_opt(2027, 3, 9).unwrap())
        .expect("the next occurrence, though beyond reach");
    assert_eq!(next.title, "The last one");
    assert!(next.occurrence.as_ref().is_some_and(|o| o.overridden));
    assert!(
        catalog.series[0].rule.ends_with(";COUNT=3"),
        "a quoted count reads as a number"
    );
}

#[test]
fn list_all_shows_every_date_of_an_ended_series_once() {
    // Every Thursday of 2023 (52), one excepted, one replaced by a dated file, one cancelled.
    let site = Site::with_events([
        (
            "hl.md",
            "---\nid: hl\ntitle: Hack and Learn\ndate: 2023-01-05\ntime: \"19:00\"\ntimezone: Europe/Berlin\nrepeat: weekly on Thursday\nuntil: 2023-12-28\nexcept: [2023-06-01]\n---\n",
        ),
        (
            "2023-03-09-special.md",
            "---\nseries: hl\ndate: 2023-03-09\ntitle: Hack and Learn, with a talk\n---\n",
        ),
        (
            "2023-11-02-off.md",
            "---\nseries: hl\ndate: 2023-11-02\ncancelled: true\n---\n",
        ),
    ]);
    let upcoming = site
        .crier()
        .output(&["list", "--json", "--events", "events"]);
    assert_eq!(upcoming.code, Some(0), "{}", upcoming.stderr);
    assert_eq!(
        upcoming.stdout.trim(),
        "[]",
        "an ended series has nothing upcoming"
    );

    let out = site
        .crier()
        .output(&["list", "--all", "--json", "--events", "events"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "no problems: {}", out.stderr);
    let events: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON array");
    let events = events.as_array().expect("an array");
    let day = |e: &serde_json::Value| e["start"].as_str().expect("a start")[..10].to_string();
    let listed: Vec<String> = events.iter().map(day).collect();
    let expected: Vec<String> = (0..52)
        .map(|week| {
            (NaiveDate::from_ymd_opt(2023, 1, 5).expect("a date") + chrono::Duration::weeks(week))
                .to_string()
        })
        .filter(|date| date != "2023-06-01")
        .collect();
    assert_eq!(
        listed, expected,
        "every date once, in order, but the excepted one"
    );
    for (event, date) in events.iter().zip(&expected) {
        assert_eq!(event["id"], format!("hl@{date}"));
        assert_eq!(event["series"], "hl");
    }
    let on = |date: &str| events.iter().find(|e| day(e) == date).expect("listed");
    assert_eq!(on("2023-03-09")["title"], "Hack and Learn, with a talk");
    assert!(on("2023-03-09")["source"]
        .as_str()
        .is_some_and(|s| s.ends_with("2023-03-09-special.md")));
    assert_eq!(on("2023-11-02")["cancelled"], true);
    assert_eq!(on("2023-01-05")["start"], "2023-01-05T19:00:00+01:00");
    assert_eq!(on("2023-07-06")["start"], "2023-07-06T19:00:00+02:00");
}
