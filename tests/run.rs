//! `crier run` as a user runs it: the real binary on a temporary site and state folder, announcing to
//! standard output as JSON lines, read back by the test.

mod support;

use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use support::crier::label;
use support::site::{in_secs, Site};

/// Writes an event starting at `start`, with reminder offsets in seconds.
fn event(site: &Site, file: &str, id: &str, start: DateTime<Utc>, reminders: &[u64], extra: &str) {
    let offsets: Vec<String> = reminders.iter().map(|s| format!("{s}s")).collect();
    let text = format!(
        "---\nid: {id}\ntitle: Event {id}\ndate: \"{}\"\nonline: true\nreminders: [{}]\n{extra}---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true),
        offsets.join(", ")
    );
    site.event(file, &text);
}

fn time(v: &Value, key: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v[key].as_str().expect(key))
        .expect("rfc3339")
        .with_timezone(&Utc)
}

#[test]
fn an_event_seconds_ahead_is_announced_on_time() {
    let site = Site::new();
    let start = in_secs(7);
    event(&site, "soon.md", "soon", start, &[4, 2], "");
    let app = site.crier().start();
    let got = app.collect(Duration::from_millis(7500));
    let labels: Vec<String> = got.iter().map(label).collect();
    assert_eq!(labels, ["soon new", "soon reminder 4s", "soon reminder 2s"]);
    for v in &got[1..] {
        let late = time(v, "sent_at") - time(v, "due");
        assert!(
            late >= chrono::Duration::zero() && late < chrono::Duration::milliseconds(500),
            "{} was {late} late",
            label(v)
        );
        for key in [
            "kind", "event_id", "title", "start", "due", "sent_at", "text",
        ] {
            assert!(!v[key].is_null(), "{key} missing in {v}");
        }
    }
    assert_eq!(time(&got[1], "due"), start - chrono::Duration::seconds(4));
}

#[test]
fn an_edited_start_is_rescheduled_and_a_cancellation_noticed() {
    let site = Site::new();
    let start = in_secs(600);
    event(&site, "e.md", "moving", start, &[], "");
    let app = site.crier().start();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "moving new");
    let later = start + chrono::Duration::seconds(3600);
    event(&site, "e.md", "moving", later, &[], "");
    let changed = Instant::now();
    let v = app.next(Duration::from_secs(5));
    assert_eq!(label(&v), "moving rescheduled");
    assert!(
        changed.elapsed() < Duration::from_secs(2),
        "live within {:?}",
        changed.elapsed()
    );
    assert_eq!(time(&v, "start"), later);
    event(&site, "e.md", "moving", later, &[], "cancelled: true\n");
    assert_eq!(label(&app.next(Duration::from_secs(5))), "moving cancelled");
    // Nothing else: one notice each.
    assert!(app.collect(Duration::from_millis(2500)).is_empty());
}

#[test]
fn kill_9_and_restart_posts_nothing_twice_and_misses_nothing() {
    let site = Site::new();
    let start = in_secs(9);
    event(&site, "k.md", "k", start, &[7, 5, 3], "");
    let mut app = site.crier().start();
    // The new-event announcement and the 7s reminder (due at +2s), then kill -9 mid-run.
    let mut seen = app.collect(Duration::from_millis(2600));
    assert_eq!(app.kill().signal(), Some(9), "killed mid-run");
    let app = site.crier().start();
    seen.extend(
        app.collect((start - Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(500)),
    );
    let labels: Vec<String> = seen.iter().map(label).collect();
    assert_eq!(
        labels,
        ["k new", "k reminder 7s", "k reminder 5s", "k reminder 3s"]
    );
}

#[test]
fn a_second_instance_on_the_same_state_is_refused() {
    let site = Site::new();
    event(&site, "a.md", "a", in_secs(600), &[], "");
    let first = site.crier().start();
    assert_eq!(label(&first.next(Duration::from_secs(5))), "a new");
    let second = site.crier().output(&["run"]);
    assert_eq!(second.code, Some(1));
    assert!(
        second.stderr.contains("another crier is already running"),
        "{}",
        second.stderr
    );
    assert!(
        second.stdout.is_empty(),
        "the second instance announced nothing"
    );
}

#[test]
fn sigterm_stops_it_cleanly_and_quickly() {
    let site = Site::new();
    event(&site, "a.md", "a", in_secs(600), &[], "");
    let mut app = site.crier().start();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    let asked = Instant::now();
    let status = app.stop();
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "still running 5 s after SIGTERM"
    );
    assert_eq!(status.code(), Some(0));
    // And the announcement stays recorded: a restart posts nothing.
    let again = site.crier().start();
    assert!(again.collect(Duration::from_millis(1500)).is_empty());
}

#[test]
fn past_events_are_never_announced_on_a_first_run() {
    let site = Site::new();
    event(&site, "old.md", "old", in_secs(-3600), &[], "");
    event(&site, "new.md", "upcoming", in_secs(3600), &[], "");
    let app = site.crier().start();
    let labels: Vec<String> = app
        .collect(Duration::from_millis(1500))
        .iter()
        .map(label)
        .collect();
    assert_eq!(labels, ["upcoming new"]);
}

#[test]
fn health_and_metrics_over_http_and_crier_health() {
    let site = Site::new();
    let crier = site.crier().listen();
    event(&site, "a.md", "a", in_secs(600), &[], "");
    let app = crier.start();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    let out = crier.output(&["health"]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    let metrics = app.get("/metrics");
    assert_eq!(metrics.status, 200, "{}", metrics.body);
    assert_eq!(app.metric("crier_events_loaded"), Some(1.0));
    assert_eq!(
        app.metric("crier_announcements_total{kind=\"new\",result=\"sent\"}"),
        Some(1.0)
    );
    assert!(app.get("/healthz").body.starts_with("ok"));
    assert_eq!(app.get("/nope").status, 404);
    drop(app);
    let out = crier.output(&["health"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.starts_with("unhealthy: no answer"));
}

#[test]
fn a_file_that_stops_parsing_keeps_its_last_good_version_and_is_logged_once() {
    let site = Site::new();
    event(&site, "a.md", "a", in_secs(8), &[3], "");
    let mut app = site.crier().start();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    // Break the file: YAML syntax. Several rescans (every 1 s) pass before the reminder is due.
    site.event("a.md", "---\nid: a\ntitle: [broken\n---\n");
    let reminder = app.next(Duration::from_secs(10));
    assert_eq!(
        label(&reminder),
        "a reminder 3s",
        "the last good version still counts"
    );
    app.stop();
    let logs = app.logs();
    assert_eq!(
        logs.matches("YAML syntax").count(),
        1,
        "logged once:\n{logs}"
    );
    assert!(
        logs.contains("events/a.md:4:1: error: YAML syntax"),
        "{logs}"
    );
}

/// Writes an event without an `id:`, identified by its registration link (or its file).
fn write_linked(site: &Site, file: &str, title: &str, start: DateTime<Utc>, register: &str) {
    let text = format!(
        "---\ntitle: {title}\ndate: \"{}\"\nonline: true\nregister: {register}\nreminders: []\n---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    site.event(file, &text);
}

/// A second file that starts to share an announced event's `register` link changes that event's
/// identity (to its file); the ledger carries its history over, so nothing is posted twice.
#[test]
fn a_second_file_with_the_same_link_re_announces_nothing_and_drops_nothing() {
    let site = Site::new();
    let link = "https://www.meetup.com/example-group/";
    let start = in_secs(600);
    write_linked(&site, "a.md", "First", start, link);
    let mut app = site.crier().start();
    assert_eq!(
        label(&app.next(Duration::from_secs(5))),
        format!("{link} new")
    );
    app.stop();
    write_linked(&site, "b.md", "Second", in_secs(700), link);
    let mut app = site.crier().start();
    let got: Vec<String> = app
        .collect(Duration::from_secs(3))
        .iter()
        .map(label)
        .collect();
    assert_eq!(got, ["b new"], "only the new file is announced");
    // The first event is still known as announced: moving it is a reschedule, not a new event.
    write_linked(
        &site,
        "a.md",
        "First",
        start + chrono::Duration::hours(1),
        link,
    );
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a rescheduled");
    app.stop();
    let app = site.crier().start();
    assert!(
        app.collect(Duration::from_millis(2500)).is_empty(),
        "a restart posts nothing"
    );
}

/// A past event with one talk, and the talk's recording links (berline.rs writes `video` in the talk).
fn past_talk(site: &Site, videos: &[&str]) {
    let video = match videos {
        [] => String::new(),
        [one] => format!("    video: {one}\n"),
        many => many.iter().fold("    video:\n".to_string(), |mut text, v| {
            text.push_str(&format!("      - {v}\n"));
            text
        }),
    };
    event(
        site,
        "past.md",
        "past",
        in_secs(-86_400),
        &[],
        &format!("talks:\n  - title: Async in depth\n    speaker: Ada Lovelace\n{video}"),
    );
}

#[test]
fn a_first_run_on_a_site_with_recordings_posts_nothing() {
    let site = Site::new();
    past_talk(&site, &["https://youtu.be/old1", "https://youtu.be/old2"]);
    let app = site.crier().start();
    assert!(
        app.collect(Duration::from_secs(3)).is_empty(),
        "links that exist at first sight are known, not announced"
    );
}

#[test]
fn a_recording_added_to_a_past_talk_is_announced_once_across_restarts() {
    let site = Site::new();
    past_talk(&site, &[]);
    let mut app = site.crier().start();
    assert!(app.collect(Duration::from_millis(1500)).is_empty());
    past_talk(&site, &["https://youtu.be/new"]);
    let v = app.next(Duration::from_secs(5));
    assert_eq!(label(&v), "past recording");
    assert_eq!(v["recording"], "https://youtu.be/new");
    assert_eq!(v["title"], "Async in depth");
    let text = v["text"].as_str().expect("text");
    assert!(
        text.contains("Ada Lovelace") && text.contains("Event past"),
        "{text}"
    );
    assert!(app.collect(Duration::from_millis(2500)).is_empty(), "once");
    app.stop();
    let again = site.crier().start();
    assert!(
        again.collect(Duration::from_secs(3)).is_empty(),
        "a restart posts nothing again"
    );
}

#[test]
fn the_calendar_feed_is_served_with_validators_and_answers_304() {
    let site = Site::new();
    event(&site, "a.md", "a", in_secs(3600), &[], "");
    let app = site.crier().listen().start();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    let first = app.get("/events.ics");
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.header("content-type"), "text/calendar; charset=utf-8");
    let body = &first.body;
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert!(body.contains("SUMMARY:Event a\r\n"), "{body}");
    let sequence = |body: &str| -> u32 {
        body.split("\r\n")
            .find_map(|l| l.strip_prefix("SEQUENCE:"))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("a SEQUENCE in {body}"))
    };
    // The file's modification time in whole minutes since 2000 (the ledger adds 0 at first).
    let first_sequence = sequence(body);
    assert!(first_sequence > 13_000_000, "{body}");
    let etag = first.header("etag");
    let modified = first.header("last-modified");
    // A calendar app's conditional polls: 304 and no body.
    let other = format!("\"other\", W/{etag}");
    for condition in [
        ("If-None-Match", etag),
        ("If-None-Match", other.as_str()),
        ("If-Modified-Since", modified),
    ] {
        let again = app.request("GET", "/events.ics", &[condition], b"");
        assert_eq!(again.status, 304, "{condition:?}: {}", again.head);
        assert_eq!(again.header("etag"), etag);
        assert_eq!(again.body, "", "no body on 304");
    }
    let stale = app.request("GET", "/events.ics", &[("If-None-Match", "\"other\"")], b"");
    assert_eq!(stale.status, 200, "{}", stale.head);
    // The event moves: a new feed, a new ETag, and a raised SEQUENCE (the ledger's count raises it
    // even when the file is written again within the same minute).
    event(&site, "a.md", "a", in_secs(7200), &[], "");
    let deadline = Instant::now() + Duration::from_secs(10);
    let moved = loop {
        let answer = app.request("GET", "/events.ics", &[("If-None-Match", etag)], b"");
        if answer.status == 200 {
            break answer;
        }
        assert!(
            Instant::now() < deadline,
            "the feed never changed: {}",
            answer.head
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_ne!(moved.header("etag"), etag);
    assert!(
        sequence(&moved.body) > first_sequence,
        "{} after {first_sequence}",
        moved.body
    );
    let count = |status: &str| {
        app.metric(&format!("crier_feed_requests_total{{status=\"{status}\"}}"))
            .unwrap_or(0.0)
    };
    // Three conditional hits, then the polls while the move was being picked up.
    assert!(count("304") >= 3.0);
    assert!(count("200") >= 3.0);
    assert_eq!(app.metric("crier_feed_events"), Some(1.0));
}
