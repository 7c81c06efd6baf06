//! The announcer over a real ledger with a sink that writes to memory: what happens when the ledger
//! cannot be written.

use chrono::{DateTime, Utc};
use crier::announcer::Announcer;
use crier::catalog::{Catalog, Event};
use crier::console::Console;
use crier::ledger::Ledger;
use crier::schedule::Rules;

fn event(start: DateTime<Utc>) -> Event {
    Event {
        timezone: "UTC".into(),
        online: Some(true),
        ..Event::new("e", "Rust night", start.fixed_offset(), "events/e.md")
    }
}

#[tokio::test]
async fn a_ledger_that_cannot_be_written_keeps_the_announcement_due() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Utc::now();
    let ledger = Ledger::open_sqlite(dir.path(), "default").expect("ledger");
    let mut announcer = Announcer::new(
        Console::new(Vec::new(), true),
        ledger,
        Rules::default(),
        None,
        chrono_tz::UTC,
        now,
    )
    .expect("announcer");
    let catalog = Catalog {
        events: vec![event(now + chrono::Duration::days(30))],
        ..Catalog::default()
    };
    announcer.replace_catalog(catalog, now);
    // Break the ledger from outside, as a full disk or a vanished volume would.
    let conn = rusqlite::Connection::open(dir.path().join("ledger.sqlite3")).expect("sqlite");
    conn.execute_batch("ALTER TABLE announcements RENAME TO unavailable")
        .expect("break");
    assert!(
        announcer.tick(now).await.is_err(),
        "nothing is sent unrecorded"
    );
    assert_eq!(announcer.next_wake(), Some(now), "the event stays due");
    conn.execute_batch("ALTER TABLE unavailable RENAME TO announcements")
        .expect("mend");
    assert_eq!(
        announcer.tick(now).await.expect("tick"),
        1,
        "sent once the ledger is back"
    );
    assert_eq!(announcer.tick(now).await.expect("tick"), 0, "and only once");
}

/// A writer the test keeps a handle on, for the console sink's JSON lines.
#[derive(Clone, Default)]
struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    /// `event_id kind [offset]` of each line written so far, then cleared.
    fn take(&self) -> Vec<String> {
        let bytes = std::mem::take(&mut *self.0.lock().expect("lock"));
        String::from_utf8(bytes)
            .expect("utf-8")
            .lines()
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).expect("json");
                let mut label = format!(
                    "{} {}",
                    v["event_id"].as_str().unwrap_or(""),
                    v["kind"].as_str().unwrap_or("")
                );
                if let Some(offset) = v["offset"].as_str() {
                    label.push_str(&format!(" {offset}"));
                }
                label
            })
            .collect()
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

/// Simulated time over a weekly series, reloaded as the run loop's rescans do: the series is announced
/// as new once, and each occurrence, seen before its first reminder is due, gets all its reminders.
#[tokio::test]
async fn a_series_is_new_once_and_every_occurrence_gets_its_reminders() {
    let site = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(site.path().join("events")).expect("mkdir");
    std::fs::write(
        site.path().join("events/weekly.md"),
        "---\nid: weekly\ntitle: Weekly\ndate: 2027-01-07\ntime: \"19:00\"\ntimezone: UTC\nrepeat: weekly on Thursday\n---\n",
    )
    .expect("write");
    let settings = crier::catalog::Settings::for_events_dir(site.path().join("events"));
    let state = tempfile::tempdir().expect("tempdir");
    let out = Shared::default();
    let start = at("2027-01-04T12:00:00Z");
    let mut announcer = Announcer::new(
        Console::new(out.clone(), true),
        Ledger::open_sqlite(state.path(), "default").expect("ledger"),
        Rules::default(),
        None,
        chrono_tz::UTC,
        start,
    )
    .expect("announcer");
    let mut seen = Vec::new();
    // Every hour for two and a half weeks: reload (as a rescan does), then do what is due.
    let mut now = start;
    while now < at("2027-01-21T20:00:00Z") {
        announcer.replace_catalog(
            crier::site_files::load_at(&settings, now).expect("loads"),
            now,
        );
        announcer.tick(now).await.expect("tick");
        seen.extend(out.take());
        now += chrono::Duration::hours(1);
    }
    assert_eq!(
        seen,
        [
            // First seen three days before its first occurrence: new, and the 7-day reminder was
            // already past then.
            "weekly@2027-01-07 new",
            "weekly@2027-01-07 reminder 1day",
            "weekly@2027-01-07 reminder 2h",
            "weekly@2027-01-14 reminder 7days",
            "weekly@2027-01-14 reminder 1day",
            "weekly@2027-01-14 reminder 2h",
            "weekly@2027-01-21 reminder 7days",
            "weekly@2027-01-21 reminder 1day",
            "weekly@2027-01-21 reminder 2h",
            "weekly@2027-01-28 reminder 7days",
        ]
    );
}

/// A dated file of a series that stops parsing keeps its last good version: the series' own
/// occurrence does not take its place, so a cancellation is not undone by a typo.
#[tokio::test]
async fn a_broken_dated_file_keeps_its_occurrence_as_it_was() {
    let site = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(site.path().join("events")).expect("mkdir");
    std::fs::write(
        site.path().join("events/weekly.md"),
        "---\nid: weekly\ntitle: Weekly\ndate: 2027-01-07\ntime: \"19:00\"\ntimezone: UTC\nrepeat: weekly on Thursday\n---\n",
    )
    .expect("write");
    let off = site.path().join("events/2027-01-14-off.md");
    std::fs::write(
        &off,
        "---\nseries: weekly\ndate: 2027-01-14\ncancelled: true\n---\n",
    )
    .expect("write");
    let settings = crier::catalog::Settings::for_events_dir(site.path().join("events"));
    let state = tempfile::tempdir().expect("tempdir");
    let now = at("2027-01-08T12:00:00Z");
    let mut announcer = Announcer::new(
        Console::new(Shared::default(), true),
        Ledger::open_sqlite(state.path(), "default").expect("ledger"),
        Rules::default(),
        None,
        chrono_tz::UTC,
        now,
    )
    .expect("announcer");
    let cancelled = |announcer: &Announcer<Console<Shared>>| {
        announcer
            .status(now)
            .expect("status")
            .events()
            .iter()
            .find(|e| e.id == "weekly@2027-01-14")
            .map(|e| e.cancelled)
    };
    announcer.replace_catalog(
        crier::site_files::load_at(&settings, now).expect("loads"),
        now,
    );
    assert_eq!(cancelled(&announcer), Some(true));
    std::fs::write(&off, "---\nseries: weekly\ndate: [broken\n---\n").expect("write");
    let catalog = crier::site_files::load_at(&settings, now).expect("loads");
    assert!(catalog.errors() > 0, "the file is broken");
    assert!(
        catalog
            .events
            .iter()
            .any(|e| e.id == "weekly@2027-01-14" && !e.cancelled),
        "the fresh load alone has the series' own occurrence"
    );
    announcer.replace_catalog(catalog, now);
    assert_eq!(
        cancelled(&announcer),
        Some(true),
        "the last good version stays"
    );
    std::fs::remove_file(&off).expect("remove");
    announcer.replace_catalog(
        crier::site_files::load_at(&settings, now).expect("loads"),
        now,
    );
    assert_eq!(
        cancelled(&announcer),
        Some(false),
        "deleting the file brings the occurrence back"
    );
}
