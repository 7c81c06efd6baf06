//! The announcer over a real ledger with a sink that writes to memory: what happens when the ledger
//! cannot be written.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use crier::announcer::Announcer;
use crier::catalog::{Catalog, Event};
use crier::ledger::Ledger;
use crier::schedule::Rules;
use crier::sink::console::Console;

fn event(start: DateTime<Utc>) -> Event {
    Event {
        id: "e".into(),
        title: "Rust night".into(),
        start: start.fixed_offset(),
        time_known: true,
        timezone: "UTC".into(),
        end: None,
        online: Some(true),
        language: None,
        location: None,
        register: None,
        cancelled: false,
        source: PathBuf::from("events/e.md"),
        talks: Vec::new(),
        links: Vec::new(),
        recordings: Vec::new(),
        reminders: None,
        group: None,
        occurrence: None,
        modified: None,
    }
}

#[tokio::test]
async fn a_ledger_that_cannot_be_written_keeps_the_announcement_due() {
    let dir = tempfile::tempdir().expect("tempdir");
    let now = Utc::now();
    let ledger = Ledger::open(dir.path()).expect("ledger");
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
