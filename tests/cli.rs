//! The real `crier` binary: `check` and `list`, their output and exit codes.

mod support;

use std::path::Path;

use support::crier::Crier;
use support::site::Site;

const FUTURE: &str = "---\ndate: 2099.01.01\ntime: \"18:00\"\ntitle: Future meetup\nregister: https://example.org/f\nonline: true\nlanguage: English\ntalks:\n  - title: A talk\n    speaker: {name: Ada Example, github: ada}\n    length: 20\n    abstract: |\n      Why **async** Rust is [worth it](https://x.example).\n\n      Ada has written Rust since 2015.\n---\n";
const PAST: &str = "---\ndate: 2001.01.01\ntitle: Past meetup\n---\n";

#[test]
fn check_passes_the_bundled_events() {
    let out = Crier::builder(env!("CARGO_MANIFEST_DIR")).output(&["check"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(
        out.stdout,
        "3 events, 1 series, 4 talks, 5 speakers; 0 errors, 0 warnings\n"
    );
}

#[test]
fn check_exits_1_on_errors_and_prints_compiler_style_lines() {
    let site = Site::with_events([
        ("good.md", FUTURE),
        ("bad.md", "---\ntitle: x\ndate: someday\n---\n"),
        (
            "odd.md",
            "---\ndate: 2099.02.01\ntitle: y\ntime: 18:00\n---\n",
        ),
    ]);
    let out = site.crier().output(&["check", "--events", "events"]);
    assert_eq!(out.code, Some(1));
    let text = out.stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("events/bad.md:3:1: error: `someday` is not a date"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("events/odd.md:4:7: warning: unquoted `time: 18:00`"),
        "{text}"
    );
    assert_eq!(
        lines[2],
        "2 events, 1 talks, 1 speakers; 1 errors, 1 warnings"
    );
}

#[test]
fn check_exits_0_with_warnings_only() {
    let site = Site::with_events([(
        "odd.md",
        "---\ndate: 2099.02.01\ntitle: y\nvenu: here\n---\n",
    )]);
    let out = site.crier().output(&["check", "--events", "events"]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(out.stdout.contains("warning: unknown key `venu`"));
}

#[test]
fn usage_and_config_errors_exit_2() {
    let site = Site::with_events([("good.md", FUTURE)]);
    let out = site.crier().output(&["check", "--no-such-flag"]);
    assert_eq!(out.code, Some(2));

    let out = site.crier().output(&["check", "--events", "missing"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("cannot read the events folder missing"),
        "{}",
        out.stderr
    );

    let mars = site.crier().config_file("timezone = \"Mars/Olympus\"\n");
    let out = mars.output(&["check"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr
            .contains("config.toml: `timezone`: unknown timezone"),
        "{}",
        out.stderr
    );

    let out = site
        .crier()
        .env("CRIER_TIMEZONE", "Europe/Berlin")
        .env("CRIER_DEFAULT_TIME", "teatime")
        .output(&["check"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("CRIER_DEFAULT_TIME: `default_time`"),
        "{}",
        out.stderr
    );
}

#[test]
fn list_shows_upcoming_events_and_all_with_the_flag() {
    let site = Site::with_events([("future.md", FUTURE), ("past.md", PAST)]);
    let out = site.crier().output(&["list", "--events", "events"]);
    assert_eq!(out.code, Some(0));
    let text = out.stdout;
    assert!(text.contains("Future meetup"), "{text}");
    assert!(
        text.contains("Thu 1 Jan 2099, 18:00 (Asia/Jerusalem)"),
        "{text}"
    );
    assert!(text.contains("where:    online"), "{text}");
    assert!(text.contains("register: https://example.org/f"), "{text}");
    assert!(
        text.contains("- A talk (20 min), by Ada Example <https://github.com/ada>"),
        "{text}"
    );
    assert!(
        text.contains("\n      Why async Rust is worth it. Ada has written Rust since 2015.\n"),
        "the abstract, as plain text: {text}"
    );
    assert!(!text.contains("Past meetup"), "{text}");

    let all = site
        .crier()
        .output(&["list", "--all", "--events", "events"])
        .stdout;
    assert!(
        all.contains("Past meetup") && all.contains("time to be announced"),
        "{all}"
    );
}

#[test]
fn list_json_has_the_documented_keys() {
    let site = Site::with_events([("future.md", FUTURE), ("past.md", PAST)]);
    let out = site
        .crier()
        .output(&["list", "--all", "--json", "--events", "events"]);
    assert_eq!(out.code, Some(0));
    let events: serde_json::Value = serde_json::from_str(&out.stdout).expect("one JSON array");
    let events = events.as_array().expect("array");
    assert_eq!(events.len(), 2);
    let past = &events[0];
    assert_eq!(past["title"], "Past meetup");
    assert_eq!(past["time_known"], false);
    assert_eq!(past["end"], serde_json::Value::Null);
    let e = &events[1];
    for key in [
        "id",
        "title",
        "start",
        "time_known",
        "timezone",
        "end",
        "online",
        "language",
        "location",
        "register",
        "cancelled",
        "source",
        "talks",
    ] {
        assert!(e.get(key).is_some(), "missing {key} in {e}");
    }
    assert_eq!(e["id"], "https://example.org/f");
    assert_eq!(e["start"], "2099-01-01T18:00:00+02:00");
    assert_eq!(e["timezone"], "Asia/Jerusalem");
    assert_eq!(e["online"], true);
    assert_eq!(e["cancelled"], false);
    assert_eq!(e["source"], "events/future.md");
    let talk = &e["talks"][0];
    assert_eq!(talk["title"], "A talk");
    assert_eq!(talk["length_minutes"], 20);
    assert_eq!(talk["language"], serde_json::Value::Null);
    assert_eq!(talk["speakers"][0]["name"], "Ada Example");
    assert_eq!(talk["speakers"][0]["url"], "https://github.com/ada");
    assert_eq!(
        talk["abstract"],
        "Why **async** Rust is [worth it](https://x.example).\n\nAda has written Rust since 2015."
    );
}

#[test]
fn ics_writes_the_calendar_with_each_series_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().expect("tempdir");
    let file = out_dir.path().join("events.ics");
    // A state folder that does not exist: the project's own (from a quick start) is left alone.
    let config = out_dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "events_dir = {:?}\nstate_dir = \"state\"\n",
            root.join("events").display().to_string()
        ),
    )
    .expect("config");
    let out = Crier::builder(root).output(&[
        "ics",
        "--all",
        "--config",
        config.to_str().expect("utf-8 path"),
        "--out",
        file.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let ics = std::fs::read_to_string(&file).expect("written");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    // Three single events, the series once with its rule, and its one dated file as an override.
    assert_eq!(ics.matches("BEGIN:VEVENT\r\n").count(), 5, "{ics}");
    assert_eq!(
        ics.matches("RRULE:FREQ=MONTHLY;BYDAY=1TU\r\n").count(),
        1,
        "{ics}"
    );
    assert!(
        ics.contains("EXDATE;TZID=Asia/Jerusalem:20270406T190000\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("RECURRENCE-ID;TZID=Asia/Jerusalem:20270202T190000\r\n"),
        "{ics}"
    );
    assert!(ics.contains("STATUS:CANCELLED\r\n"), "{ics}");
    assert!(
        ics.contains("BEGIN:VTIMEZONE\r\nTZID:Asia/Jerusalem\r\n"),
        "{ics}"
    );
    // No state folder: each SEQUENCE is its file's modification time alone, in whole minutes since
    // 2000-01-01 UTC (an override's, or its series' when that changed later), not 0.
    let minutes: Vec<u64> = std::fs::read_dir(root.join("events"))
        .expect("the events folder")
        .map(|entry| {
            let modified = entry
                .and_then(|e| e.metadata())
                .and_then(|m| m.modified())
                .expect("a modification time");
            let seconds = modified
                .duration_since(std::time::UNIX_EPOCH)
                .expect("after 1970")
                .as_secs();
            (seconds - 946_684_800) / 60
        })
        .collect();
    let sequences: Vec<u64> = ics
        .lines()
        .filter_map(|l| l.trim_end().strip_prefix("SEQUENCE:"))
        .map(|n| n.parse().expect("a number"))
        .collect();
    assert_eq!(sequences.len(), 5, "{ics}");
    for sequence in sequences {
        assert!(minutes.contains(&sequence), "{sequence} in {minutes:?}");
    }
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "folded at 75 octets plus CR"
    );
}

/// `crier status` names the ledger and says who may post: with SQLite, the one process that holds
/// the state folder's lock (PostgreSQL's leader is tested in tests/failover.rs).
#[test]
fn status_names_the_ledger_and_the_leader() {
    let site = Site::with_events([("future.md", FUTURE)]);
    let out = site.crier().output(&["status"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ledger: ") && lines[0].ends_with("ledger.sqlite3"),
        "{}",
        out.stdout
    );
    assert!(
        lines[1].starts_with("leader: the one process"),
        "{}",
        out.stdout
    );
    assert_eq!(lines[2], "sites: default", "{}", out.stdout);
}
