//! `crier run` as a user runs it: the real binary on a temporary site and state folder, announcing to
//! standard output as JSON lines, read back by the test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("events")).expect("mkdir");
        std::fs::write(
            dir.path().join("config.toml"),
            "events_dir = \"events\"\nstate_dir = \"state\"\nrescan_interval = \"1s\"\ntimezone = \"UTC\"\n[reminders]\noffsets = []\n",
        )
        .expect("config");
        Site { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// Writes an event starting at `start`, with reminder offsets in seconds.
    fn event(&self, file: &str, id: &str, start: DateTime<Utc>, reminders: &[u64], extra: &str) {
        let offsets: Vec<String> = reminders.iter().map(|s| format!("{s}s")).collect();
        let text = format!(
            "---\nid: {id}\ntitle: Event {id}\ndate: \"{}\"\nonline: true\nreminders: [{}]\n{extra}---\n",
            start.to_rfc3339_opts(SecondsFormat::Secs, true),
            offsets.join(", ")
        );
        // Write then rename, as editors and git do, so the watcher never sees half a file.
        let tmp = self.dir.path().join(format!(".{file}.tmp"));
        std::fs::write(&tmp, text).expect("write");
        std::fs::rename(&tmp, self.dir.path().join("events").join(file)).expect("rename");
    }

    /// Adds `http.listen` on a free loopback port, and returns the port.
    fn listen(&self) -> u16 {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let text = std::fs::read_to_string(self.config()).expect("config");
        std::fs::write(
            self.config(),
            format!("{text}[http]\nlisten = \"127.0.0.1:{port}\"\n"),
        )
        .expect("config");
        port
    }

    fn spawn(&self) -> App {
        App::spawn(&self.config(), self.dir.path())
    }
}

/// A running `crier run --json`, its stdout lines arriving on a channel.
struct App {
    child: Child,
    lines: Receiver<Value>,
}

impl App {
    fn spawn(config: &Path, cwd: &Path) -> App {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crier"))
            .args(["run", "--json", "--config"])
            .arg(config)
            .current_dir(cwd)
            .env_remove("DISCORD_TOKEN")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("crier starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let value: Value =
                    serde_json::from_str(&line).expect("each line is one JSON object");
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        App { child, lines: rx }
    }

    /// The announcements that arrive within `wait`.
    fn collect(&self, wait: Duration) -> Vec<Value> {
        let end = Instant::now() + wait;
        let mut out = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(v) => out.push(v),
                Err(_) => break,
            }
        }
        out
    }

    /// Waits for the next announcement.
    fn next(&self, wait: Duration) -> Value {
        self.lines
            .recv_timeout(wait)
            .expect("an announcement in time")
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// SIGTERM, then waits for the exit: the announcement in flight is recorded first.
    fn stop(mut self) {
        Command::new("kill")
            .args(["-TERM", &self.pid()])
            .status()
            .expect("kill");
        let _ = self.child.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whole seconds from now: event files are written to the second.
fn in_secs(n: i64) -> DateTime<Utc> {
    let now = Utc::now().timestamp();
    DateTime::from_timestamp(now + n, 0).expect("valid")
}

fn time(v: &Value, key: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v[key].as_str().expect(key))
        .expect("rfc3339")
        .with_timezone(&Utc)
}

fn label(v: &Value) -> String {
    match v["offset"].as_str() {
        Some(offset) => format!(
            "{} {} {offset}",
            v["event_id"].as_str().unwrap_or(""),
            v["kind"].as_str().unwrap_or("")
        ),
        None => format!(
            "{} {}",
            v["event_id"].as_str().unwrap_or(""),
            v["kind"].as_str().unwrap_or("")
        ),
    }
}

#[test]
fn an_event_seconds_ahead_is_announced_on_time() {
    let site = Site::new();
    let start = in_secs(7);
    site.event("soon.md", "soon", start, &[4, 2], "");
    let app = site.spawn();
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
    site.event("e.md", "moving", start, &[], "");
    let app = site.spawn();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "moving new");
    let later = start + chrono::Duration::seconds(3600);
    site.event("e.md", "moving", later, &[], "");
    let changed = Instant::now();
    let v = app.next(Duration::from_secs(5));
    assert_eq!(label(&v), "moving rescheduled");
    assert!(
        changed.elapsed() < Duration::from_secs(2),
        "live within {:?}",
        changed.elapsed()
    );
    assert_eq!(time(&v, "start"), later);
    site.event("e.md", "moving", later, &[], "cancelled: true\n");
    assert_eq!(label(&app.next(Duration::from_secs(5))), "moving cancelled");
    // Nothing else: one notice each.
    assert!(app.collect(Duration::from_millis(2500)).is_empty());
}

#[test]
fn kill_9_and_restart_posts_nothing_twice_and_misses_nothing() {
    let site = Site::new();
    let start = in_secs(9);
    site.event("k.md", "k", start, &[7, 5, 3], "");
    let mut seen = Vec::new();
    {
        let app = site.spawn();
        // The new-event announcement and the 7s reminder (due at +2s), then kill -9 mid-run.
        seen.extend(app.collect(Duration::from_millis(2600)));
        let status = Command::new("kill")
            .args(["-9", &app.pid()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
    let app = site.spawn();
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
    site.event("a.md", "a", in_secs(600), &[], "");
    let first = site.spawn();
    assert_eq!(label(&first.next(Duration::from_secs(5))), "a new");
    let second = Command::new(env!("CARGO_BIN_EXE_crier"))
        .args(["run", "--config"])
        .arg(site.config())
        .current_dir(site.dir.path())
        .output()
        .expect("runs");
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        stderr.contains("another crier is already running"),
        "{stderr}"
    );
    assert!(
        second.stdout.is_empty(),
        "the second instance announced nothing"
    );
}

#[test]
fn sigterm_stops_it_cleanly_and_quickly() {
    let site = Site::new();
    site.event("a.md", "a", in_secs(600), &[], "");
    let mut app = site.spawn();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    let asked = Instant::now();
    Command::new("kill")
        .args(["-TERM", &app.pid()])
        .status()
        .expect("kill");
    let status = loop {
        if let Some(status) = app.child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(5),
            "still running 5 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    // And the announcement stays recorded: a restart posts nothing.
    let again = site.spawn();
    assert!(again.collect(Duration::from_millis(1500)).is_empty());
}

#[test]
fn past_events_are_never_announced_on_a_first_run() {
    let site = Site::new();
    site.event("old.md", "old", in_secs(-3600), &[], "");
    site.event("new.md", "upcoming", in_secs(3600), &[], "");
    let app = site.spawn();
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
    let port = site.listen();
    let config = site.config();
    site.event("a.md", "a", in_secs(600), &[], "");
    let health = || {
        Command::new(env!("CARGO_BIN_EXE_crier"))
            .args(["health", "--config"])
            .arg(&config)
            .current_dir(site.dir.path())
            .output()
            .expect("runs")
    };
    let app = site.spawn();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    let out = health();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let metrics = http_get(port, "/metrics");
    assert!(metrics.starts_with("HTTP/1.0 200 OK"), "{metrics}");
    assert!(metrics.contains("crier_events_loaded 1"), "{metrics}");
    assert!(
        metrics.contains("crier_announcements_total{kind=\"new\",result=\"sent\"} 1"),
        "{metrics}"
    );
    assert!(http_get(port, "/healthz").contains("\r\n\r\nok"));
    assert!(http_get(port, "/nope").starts_with("HTTP/1.0 404"));
    drop(app);
    let out = health();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("unhealthy: no answer"));
}

/// A plain HTTP/1.0 GET on loopback, read to the end: enough to check status lines and bodies.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").expect("writes");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    answer
}

#[test]
fn a_file_that_stops_parsing_keeps_its_last_good_version_and_is_logged_once() {
    let site = Site::new();
    site.event("a.md", "a", in_secs(8), &[3], "");
    let mut app = site.spawn();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    // Break the file: YAML syntax. Several rescans (every 1 s) pass before the reminder is due.
    std::fs::write(
        site.dir.path().join("events/a.md"),
        "---\nid: a\ntitle: [broken\n---\n",
    )
    .expect("write");
    let reminder = app.next(Duration::from_secs(10));
    assert_eq!(
        label(&reminder),
        "a reminder 3s",
        "the last good version still counts"
    );
    Command::new("kill")
        .args(["-TERM", &app.pid()])
        .status()
        .expect("kill");
    let _ = app.child.wait();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut app.child.stderr.take().expect("stderr"), &mut stderr)
        .expect("read");
    assert_eq!(
        stderr.matches("YAML syntax").count(),
        1,
        "logged once:\n{stderr}"
    );
    assert!(
        stderr.contains("events/a.md:4:1: error: YAML syntax"),
        "{stderr}"
    );
}

/// Writes an event without an `id:`, identified by its registration link (or its file).
fn write_linked(site: &Site, file: &str, title: &str, start: DateTime<Utc>, register: &str) {
    let text = format!(
        "---\ntitle: {title}\ndate: \"{}\"\nonline: true\nregister: {register}\nreminders: []\n---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    let tmp = site.dir.path().join(format!(".{file}.tmp"));
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, site.dir.path().join("events").join(file)).expect("rename");
}

/// A second file that starts to share an announced event's `register` link changes that event's
/// identity (to its file); the ledger carries its history over, so nothing is posted twice.
#[test]
fn a_second_file_with_the_same_link_re_announces_nothing_and_drops_nothing() {
    let site = Site::new();
    let link = "https://www.meetup.com/example-group/";
    let start = in_secs(600);
    write_linked(&site, "a.md", "First", start, link);
    let app = site.spawn();
    assert_eq!(
        label(&app.next(Duration::from_secs(5))),
        format!("{link} new")
    );
    app.stop();
    write_linked(&site, "b.md", "Second", in_secs(700), link);
    let app = site.spawn();
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
    let app = site.spawn();
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
        many => format!(
            "    video:\n{}",
            many.iter()
                .map(|v| format!("      - {v}\n"))
                .collect::<String>()
        ),
    };
    site.event(
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
    let app = site.spawn();
    assert!(
        app.collect(Duration::from_secs(3)).is_empty(),
        "links that exist at first sight are known, not announced"
    );
}

#[test]
fn a_recording_added_to_a_past_talk_is_announced_once_across_restarts() {
    let site = Site::new();
    past_talk(&site, &[]);
    let app = site.spawn();
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
    let again = site.spawn();
    assert!(
        again.collect(Duration::from_secs(3)).is_empty(),
        "a restart posts nothing again"
    );
}

/// An HTTP/1.0 GET with extra header lines.
fn http_get_with(port: u16, path: &str, headers: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connects");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: localhost\r\n{headers}\r\n"
    )
    .expect("writes");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    answer
}

fn header<'a>(response: &'a str, name: &str) -> &'a str {
    response
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
        .unwrap_or_else(|| panic!("no {name} header in {response}"))
}

#[test]
fn the_calendar_feed_is_served_with_validators_and_answers_304() {
    let site = Site::new();
    let port = site.listen();
    site.event("a.md", "a", in_secs(3600), &[], "");
    let app = site.spawn();
    assert_eq!(label(&app.next(Duration::from_secs(5))), "a new");
    let first = http_get(port, "/events.ics");
    assert!(first.starts_with("HTTP/1.0 200 OK"), "{first}");
    assert_eq!(
        header(&first, "content-type"),
        "text/calendar; charset=utf-8"
    );
    let body = first.split("\r\n\r\n").nth(1).expect("a body").to_string();
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert!(body.contains("SUMMARY:Event a\r\n"), "{body}");
    assert!(body.contains("SEQUENCE:0\r\n"), "{body}");
    let etag = header(&first, "etag").to_string();
    let modified = header(&first, "last-modified").to_string();
    // A calendar app's conditional polls: 304 and no body.
    for condition in [
        format!("If-None-Match: {etag}\r\n"),
        format!("If-None-Match: \"other\", W/{etag}\r\n"),
        format!("If-Modified-Since: {modified}\r\n"),
    ] {
        let again = http_get_with(port, "/events.ics", &condition);
        assert!(again.starts_with("HTTP/1.0 304"), "{condition}: {again}");
        assert_eq!(header(&again, "etag"), etag);
        assert_eq!(again.split("\r\n\r\n").nth(1), Some(""), "no body on 304");
    }
    let stale = http_get_with(port, "/events.ics", "If-None-Match: \"other\"\r\n");
    assert!(stale.starts_with("HTTP/1.0 200"), "{stale}");
    // The event moves: a new feed, a new ETag, and a raised SEQUENCE kept in the ledger.
    site.event("a.md", "a", in_secs(7200), &[], "");
    let deadline = Instant::now() + Duration::from_secs(10);
    let moved = loop {
        let answer = http_get_with(port, "/events.ics", &format!("If-None-Match: {etag}\r\n"));
        if answer.starts_with("HTTP/1.0 200") {
            break answer;
        }
        assert!(
            Instant::now() < deadline,
            "the feed never changed: {answer}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_ne!(header(&moved, "etag"), etag);
    assert!(moved.contains("SEQUENCE:1\r\n"), "{moved}");
    let metrics = http_get(port, "/metrics");
    let count = |status: &str| -> u64 {
        let prefix = format!("crier_feed_requests_total{{status=\"{status}\"}} ");
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    // Three conditional hits, then the polls while the move was being picked up.
    assert!(count("304") >= 3, "{metrics}");
    assert!(count("200") >= 3, "{metrics}");
    assert!(metrics.contains("crier_feed_events 1"), "{metrics}");
    drop(app);
}
