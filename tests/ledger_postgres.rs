//! The ledger's exactly-once rules on both backends, and the leader lease of the PostgreSQL one.
//!
//! Each rule is one test body run twice: on a SQLite file in a temporary folder, and on a database of
//! a throwaway PostgreSQL server on 127.0.0.1 (`tests/support/postgres.rs`), reached as crier reaches
//! it in production: a URL without the password, and the password file. The tests that run at the
//! same time share one server (each with a database of its own); the last one done stops it.
//! Without PostgreSQL on the machine the PostgreSQL half prints `skipped: ...`, except under CI.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crier::config::{LedgerConfig, PostgresLedger};
use crier::events_tab::{Recorded, State};
use crier::ledger::{Leadership, Ledger, LedgerError, Progress, Store};
use crier::recordings::{Known, Plan};
use crier::schedule::{Key, Kind, LedgerView, Tracked};
use support::postgres::Postgres;
use tempfile::TempDir;

fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_900_000_000 + secs, 0).expect("valid")
}

fn key(id: &str) -> Key {
    Key {
        event_id: id.into(),
        kind: Kind::New,
        start: t(1000),
    }
}

/// A ledger to test: its configuration, and what must live as long as it does.
struct Place {
    name: &'static str,
    config: LedgerConfig,
    /// The state folder (SQLite's file, and PostgreSQL's unused one).
    dir: TempDir,
    /// The server and the database name, for PostgreSQL.
    pg: Option<(Arc<Postgres>, String)>,
}

impl Place {
    fn sqlite() -> Place {
        let dir = tempfile::tempdir().expect("tempdir");
        Place {
            name: "sqlite",
            config: LedgerConfig {
                state_dir: dir.path().to_path_buf(),
                postgres: None,
            },
            dir,
            pg: None,
        }
    }

    /// A new database on the shared server; `None` when this machine has no PostgreSQL.
    fn postgres() -> Option<Place> {
        let (cluster, db) = Postgres::shared_database("ledger")?;
        let dir = tempfile::tempdir().expect("tempdir");
        Some(Place {
            name: "postgres",
            config: LedgerConfig {
                state_dir: dir.path().to_path_buf(),
                postgres: Some(PostgresLedger {
                    url: cluster.url(&db),
                    password_file: Some(cluster.password_file()),
                }),
            },
            dir,
            pg: Some((cluster, db)),
        })
    }

    fn store(&self) -> Store {
        Store::connect(&self.config).unwrap_or_else(|e| panic!("{}: connects: {e}", self.name))
    }

    fn open(&self, site: &str) -> Ledger {
        self.store()
            .open(site)
            .unwrap_or_else(|e| panic!("{}: opens: {e}", self.name))
    }

    /// Makes the ledger look written by a crier that knows schema 99.
    fn write_newer_schema(&self) {
        match &self.pg {
            None => {
                let conn = rusqlite::Connection::open(self.dir.path().join("ledger.sqlite3"))
                    .expect("sqlite");
                conn.pragma_update(None, "user_version", 99)
                    .expect("pragma");
            }
            Some((cluster, db)) => {
                cluster.psql(db, "UPDATE crier_schema SET version = 99");
            }
        }
    }
}

/// Runs `body` on a SQLite ledger, then on a PostgreSQL one.
fn on_both(body: impl Fn(&Place)) {
    body(&Place::sqlite());
    if let Some(place) = Place::postgres() {
        body(&place);
    }
}

#[test]
fn records_survive_reopening_and_settle_only_when_final() {
    on_both(|place| {
        let name = place.name;
        let key = key("e");
        {
            let ledger = place.open("default");
            ledger
                .track("e", Path::new("e.md"), t(1000), t(0))
                .expect("track");
            ledger
                .record(&key, t(0), Progress::Sending, None, None, t(1))
                .expect("sending");
        }
        let ledger = place.open("default");
        let memory = ledger.load().expect("loads");
        assert_eq!(
            memory.tracked("e"),
            Some(&Tracked {
                start: t(1000),
                announced: false
            }),
            "{name}"
        );
        assert!(
            !memory.settled(&key),
            "{name}: a send in flight is not settled"
        );
        ledger
            .record(&key, t(0), Progress::Sending, None, None, t(2))
            .expect("retry");
        ledger
            .record(&key, t(0), Progress::Sent, Some("m-1"), None, t(3))
            .expect("sent");
        let memory = ledger.load().expect("loads");
        assert!(memory.settled(&key), "{name}");
        assert!(memory.tracked("e").is_some_and(|t| t.announced), "{name}");
        let record = ledger.get(&key).expect("get").expect("row");
        assert_eq!(record.status, Progress::Sent, "{name}");
        assert_eq!(record.message_id.as_deref(), Some("m-1"), "{name}");
        assert_eq!(record.attempts, 2, "{name}");
        assert_eq!(record.updated_at, t(3), "{name}");
        // A later status without an id keeps the message's.
        ledger
            .record(&key, t(0), Progress::Skipped, None, Some("why"), t(4))
            .expect("skipped");
        let record = ledger.get(&key).expect("get").expect("row");
        assert_eq!(record.message_id.as_deref(), Some("m-1"), "{name}");
        assert_eq!(record.detail.as_deref(), Some("why"), "{name}");
    });
}

#[test]
fn a_rename_carries_every_record_over() {
    on_both(|place| {
        let name = place.name;
        let ledger = place.open("default");
        let url = "https://x.example/g";
        ledger
            .track(url, Path::new("a.md"), t(1000), t(0))
            .expect("track");
        ledger
            .record(&key(url), t(0), Progress::Sent, Some("m-1"), None, t(1))
            .expect("sent");
        ledger.set_channel(&key(url), 42).expect("channel");
        assert_eq!(
            ledger.tracked_from(Path::new("a.md")).expect("query"),
            [url],
            "{name}"
        );
        ledger.rename(url, "a").expect("rename");
        let memory = ledger.load().expect("loads");
        assert!(memory.tracked(url).is_none(), "{name}");
        assert!(memory.tracked("a").is_some_and(|t| t.announced), "{name}");
        assert!(memory.settled(&key("a")), "{name}");
        assert_eq!(
            ledger.latest_message("a").expect("query"),
            Some(("m-1".to_string(), Some(42))),
            "{name}"
        );
        assert_eq!(ledger.latest_message(url).expect("query"), None, "{name}");
    });
}

#[test]
fn a_batch_is_written_whole_or_not_at_all() {
    on_both(|place| {
        let name = place.name;
        let ledger = place.open("default");
        let baseline = Plan {
            baseline: Some(vec!["https://v.example/1".into()]),
            ..Default::default()
        };
        let write = |id: &str| -> Result<(), LedgerError> {
            ledger.track(id, Path::new("e.md"), t(1000), t(0))?;
            // Atomic on its own, a savepoint inside the batch.
            ledger.record_recordings(id, &baseline, t(0))
        };
        ledger.begin().expect("begin");
        write("a").expect("a");
        write("b").expect("b");
        ledger.rollback();
        assert!(ledger.load().expect("loads").tracked.is_empty(), "{name}");
        assert_eq!(
            ledger.recordings().expect("recordings"),
            Known::default(),
            "{name}"
        );
        ledger.begin().expect("begin");
        write("a").expect("a");
        write("b").expect("b");
        // A step that fails on its own (`b` is taken) is undone alone: the batch goes on.
        assert!(ledger.rename("a", "b").is_err(), "{name}: b exists");
        ledger.commit().expect("commit");
        // Outside a batch, each write commits by itself.
        write("c").expect("c");
        ledger.rollback();
        let memory = ledger.load().expect("loads");
        assert_eq!(memory.tracked.len(), 3, "{name}");
        let known = ledger.recordings().expect("recordings");
        assert_eq!(known.baselined.len(), 3, "{name}");
        assert!(
            !known.links["b"]["https://v.example/1"],
            "{name}: known, not to announce"
        );
        // Another handle (the feed's, the Events tab's) sees a batch only once it is committed.
        let other = place.open("default");
        ledger.begin().expect("begin");
        write("d").expect("d");
        assert!(
            other.load().expect("loads").tracked("d").is_none(),
            "{name}"
        );
        ledger.commit().expect("commit");
        assert!(
            other.load().expect("loads").tracked("d").is_some(),
            "{name}"
        );
    });
}

#[test]
fn a_move_updates_the_tracked_start_and_source() {
    on_both(|place| {
        let name = place.name;
        let ledger = place.open("default");
        ledger
            .track("e", Path::new("e.md"), t(1000), t(0))
            .expect("track");
        ledger
            .track("e", Path::new("e.md"), t(2000), t(5))
            .expect("move");
        let memory = ledger.load().expect("loads");
        assert_eq!(
            memory.tracked("e").map(|t| t.start),
            Some(t(2000)),
            "{name}"
        );
        ledger
            .set_source("e", Path::new("postponed.md"))
            .expect("source");
        ledger
            .set_source("e", Path::new("postponed.md"))
            .expect("same source again");
        assert_eq!(
            ledger
                .tracked_from(Path::new("postponed.md"))
                .expect("query"),
            ["e"],
            "{name}"
        );
        assert!(
            ledger
                .tracked_from(Path::new("e.md"))
                .expect("query")
                .is_empty(),
            "{name}"
        );
    });
}

#[test]
fn sites_do_not_see_each_others_rows() {
    on_both(|place| {
        let name = place.name;
        let store = place.store();
        let a = store.open("a").expect("a");
        let mut b = store.open("b").expect("b");
        a.track("e", Path::new("e.md"), t(1000), t(0))
            .expect("track");
        a.record(&key("e"), t(0), Progress::Sent, Some("m-1"), None, t(1))
            .expect("sent");
        let tab = Recorded {
            event_id: "e".into(),
            discord_id: Some("77".into()),
            state: State::Scheduled,
            fingerprint: "f".into(),
            start: t(1000),
        };
        a.put_scheduled_event(&tab, t(1)).expect("scheduled");
        let fingerprints = [("e".to_string(), "f1".to_string())];
        let mut a = a;
        assert_eq!(a.feed_sequences(&fingerprints).expect("seq")["e"], 0);
        assert_eq!(
            a.feed_sequences(&[("e".into(), "f2".into())]).expect("seq")["e"],
            1
        );
        assert!(!a.is_empty().expect("a"), "{name}");
        assert!(b.is_empty().expect("b"), "{name}");
        assert!(b.load().expect("loads").tracked.is_empty(), "{name}");
        assert!(b.records(None).expect("records").is_empty(), "{name}");
        assert_eq!(b.get(&key("e")).expect("get"), None, "{name}");
        assert_eq!(b.latest_message("e").expect("latest"), None, "{name}");
        assert!(b.scheduled_events().expect("tab").is_empty(), "{name}");
        assert_eq!(
            b.feed_sequences(&fingerprints).expect("seq")["e"],
            0,
            "{name}: b's own count"
        );
        assert_eq!(
            a.scheduled_events().expect("tab"),
            std::slice::from_ref(&tab),
            "{name}"
        );
        a.forget_scheduled_event("e").expect("forget");
        assert!(a.scheduled_events().expect("tab").is_empty(), "{name}");
        assert_eq!(a.records(Some(1)).expect("records").len(), 1, "{name}");
    });
}

#[test]
fn adopt_moves_the_default_sites_rows() {
    on_both(|place| {
        let name = place.name;
        let store = place.store();
        let old = store.open("default").expect("default");
        old.track("e", Path::new("e.md"), t(1000), t(0))
            .expect("track");
        old.record(&key("e"), t(0), Progress::Sent, Some("m-1"), None, t(1))
            .expect("sent");
        let named = store.open("meetup").expect("meetup");
        assert!(!named.adopt("meetup").expect("itself"), "{name}");
        assert!(named.adopt("default").expect("adopt"), "{name}");
        assert!(old.is_empty().expect("old"), "{name}");
        assert!(named.load().expect("loads").settled(&key("e")), "{name}");
        // Once it has rows of its own, nothing more is taken.
        old.track("f", Path::new("f.md"), t(1000), t(0))
            .expect("track");
        assert!(!named.adopt("default").expect("adopt again"), "{name}");
        assert!(
            named.load().expect("loads").tracked("f").is_none(),
            "{name}"
        );
    });
}

#[test]
fn feed_sequences_rise_with_each_change_and_survive_reopening() {
    on_both(|place| {
        let name = place.name;
        let fingerprints = |a: &str, b: &str| {
            [
                ("a".to_string(), a.to_string()),
                ("b".to_string(), b.to_string()),
            ]
        };
        {
            let mut ledger = place.open("default");
            let first = ledger.feed_sequences(&fingerprints("1", "1")).expect("seq");
            assert_eq!((first["a"], first["b"]), (0, 0), "{name}");
            let same = ledger.feed_sequences(&fingerprints("1", "1")).expect("seq");
            assert_eq!((same["a"], same["b"]), (0, 0), "{name}");
            let moved = ledger.feed_sequences(&fingerprints("2", "1")).expect("seq");
            assert_eq!((moved["a"], moved["b"]), (1, 0), "{name}");
        }
        let mut ledger = place.open("default");
        let again = ledger.feed_sequences(&fingerprints("3", "1")).expect("seq");
        assert_eq!((again["a"], again["b"]), (2, 0), "{name}");
        // A rename leaves the feed's count where it was (it follows the UID).
        ledger.rename("a", "z").expect("rename");
        let renamed = ledger
            .feed_sequences(&[("a".into(), "3".into())])
            .expect("seq");
        assert_eq!(renamed["a"], 2, "{name}");
    });
}

#[test]
fn a_ledger_from_a_newer_crier_is_refused() {
    on_both(|place| {
        drop(place.open("default"));
        place.write_newer_schema();
        let err = Store::connect(&place.config)
            .and_then(|store| store.open("default"))
            .err()
            .unwrap_or_else(|| panic!("{}: refused", place.name));
        assert!(
            err.to_string()
                .contains("written by a newer crier (schema 99; this one knows 5)"),
            "{}: {err}",
            place.name
        );
    });
}

/// Several processes starting together on an empty database: each migration step runs once.
#[test]
fn processes_starting_together_migrate_once() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let place = Arc::new(place);
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let place = place.clone();
            std::thread::spawn(move || Store::connect(&place.config).map(drop))
        })
        .collect();
    for start in starts {
        start.join().expect("thread").expect("connects");
    }
    let (cluster, db) = place.pg.as_ref().expect("postgres");
    assert_eq!(cluster.psql(db, "SELECT version FROM crier_schema"), "5");
}

/// Closing a connection blocks on the client's own runtime: the store's last handle, dropped in
/// async code (a site's loop ending at shutdown), must not panic there.
#[test]
fn the_last_store_handle_may_be_dropped_in_async_code() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let store = place.store();
    let ledger = store.open("default").expect("opens");
    assert!(ledger.is_empty().expect("a pooled connection, left idle"));
    drop(ledger);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    runtime.block_on(async move { drop(store) });
}

#[test]
fn a_sqlite_ledger_has_no_lease() {
    let place = Place::sqlite();
    let store = place.store();
    assert!(!store.is_shared());
    assert!(matches!(
        store.try_lead("a", Duration::from_secs(5)),
        Err(LedgerError::NoLease)
    ));
}

/// A leadership as seen from a process that does not yet know it lost: its local deadline is far
/// off, so only the database can refuse it.
fn unaware(leadership: &Leadership) -> Leadership {
    Leadership {
        valid_until: Instant::now() + Duration::from_secs(600),
        ..leadership.clone()
    }
}

#[test]
fn one_process_leads_and_another_takes_over_when_its_lease_runs_out() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let (first, second) = (place.store(), place.store());
    assert!(first.is_shared());
    assert_eq!(first.leader().expect("leader"), None);
    let lease = Duration::from_secs(2);
    let before = Instant::now();
    let old = first.try_lead("first", lease).expect("try").expect("leads");
    let answered = Instant::now();
    assert_eq!((old.holder.as_str(), old.epoch), ("first", 1));
    // Counted from before the request was sent, less the margin: it ends before the database's
    // lease, which began when the request arrived.
    let term = lease.saturating_sub(crier::ledger::LEASE_SAFETY_MARGIN);
    assert!(before + term <= old.valid_until && old.valid_until < answered + term);
    assert!(old.is_valid());
    assert_eq!(second.try_lead("second", lease).expect("try"), None);
    // The holder asking again keeps its epoch.
    let again = first.try_lead("first", lease).expect("try").expect("still");
    assert_eq!(again.epoch, 1);
    let shown = first.leader().expect("leader").expect("a lease");
    assert_eq!((shown.holder.as_str(), shown.epoch), ("first", 1));
    assert!(shown.expires_at > Utc::now());

    // A ledger fenced by the first term writes `sending` while it lasts.
    let fence = unaware(&again).fence();
    let fenced = first.open_fenced("default", &fence).expect("opens");
    fenced
        .record(&key("before"), t(0), Progress::Sending, None, None, t(1))
        .expect("sending while leading");

    // The first process stalls past its lease; the second takes over with the next epoch.
    std::thread::sleep(lease + Duration::from_millis(200));
    let new = second
        .try_lead("second", lease)
        .expect("try")
        .expect("takes over");
    assert_eq!((new.holder.as_str(), new.epoch), ("second", 2));

    // The first wakes up: its own clock refuses at once...
    assert!(!old.is_valid());
    let local = old.fence();
    let stale = first.open_fenced("default", &local).expect("opens");
    let err = stale
        .record(&key("after"), t(0), Progress::Sending, None, None, t(2))
        .expect_err("fenced locally");
    assert!(matches!(err, LedgerError::Fenced { epoch: 1, .. }), "{err}");
    // ...and even if it did not know, the database refuses in the write's own transaction.
    let err = fenced
        .record(&key("after"), t(0), Progress::Sending, None, None, t(2))
        .expect_err("fenced by the database");
    assert!(matches!(err, LedgerError::Fenced { epoch: 1, .. }), "{err}");
    assert!(err.to_string().contains("lost to another process"), "{err}");
    assert_eq!(
        fenced.get(&key("after")).expect("get"),
        None,
        "nothing written"
    );
    // What does not promise a post is not fenced: the outcome of a send already made is kept.
    fenced
        .record(
            &key("before"),
            t(0),
            Progress::Sent,
            Some("m-1"),
            None,
            t(3),
        )
        .expect("sent");
    // Renewing the lost term fails; the new leader's fence lets it write.
    assert_eq!(first.renew(&old, lease).expect("renew"), None);
    let renewed = second.renew(&new, lease).expect("renew").expect("kept");
    assert_eq!(renewed.epoch, 2);
    assert!(renewed.valid_until >= new.valid_until);
    fence.update(&renewed);
    fenced
        .record(&key("after"), t(0), Progress::Sending, None, None, t(4))
        .expect("the same handle writes once it leads under the new term");
    fence.revoke();
    assert!(fence.leadership().is_none());
    assert!(matches!(
        fenced.record(&key("later"), t(0), Progress::Sending, None, None, t(5)),
        Err(LedgerError::Fenced { epoch: 2, .. })
    ));
}

#[test]
fn resigning_lets_another_process_lead_at_once() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let (first, second) = (place.store(), place.store());
    let lease = Duration::from_secs(60);
    let term = first.try_lead("first", lease).expect("try").expect("leads");
    assert_eq!(second.try_lead("second", lease).expect("try"), None);
    first.resign(&term).expect("resign");
    let next = second
        .try_lead("second", lease)
        .expect("try")
        .expect("leads at once");
    assert_eq!(next.epoch, term.epoch + 1);
    // A late resignation of the old term changes nothing.
    first.resign(&term).expect("resign again");
    assert_eq!(
        first.leader().expect("leader").map(|l| (l.holder, l.epoch)),
        Some(("second".to_string(), next.epoch))
    );
    let fenced = first
        .open_fenced("default", &unaware(&term).fence())
        .expect("opens");
    assert!(matches!(
        fenced.record(&key("e"), t(0), Progress::Sending, None, None, t(1)),
        Err(LedgerError::Fenced { .. })
    ));
}

#[test]
fn the_password_never_appears_in_an_error() {
    let Some(place) = Place::postgres() else {
        return;
    };
    let (cluster, _) = place.pg.as_ref().expect("postgres");
    let wrong = "wr0ng-p4ssw0rd-9f1c";
    let file = place.dir.path().join("wrong-password");
    std::fs::write(&file, format!("{wrong}\n")).expect("write");
    let mut config = place.config.clone();
    let url = cluster.url(&place.pg.as_ref().expect("postgres").1);
    if let Some(pg) = config.postgres.as_mut() {
        pg.password_file = Some(file);
    }
    let err = Store::connect(&config).expect_err("wrong password");
    let text = format!("{err} {err:?}");
    assert!(text.contains(&url), "names the server: {text}");
    assert!(text.contains("password authentication failed"), "{text}");
    assert!(!text.contains(wrong), "never the password: {text}");
    assert!(!text.contains(cluster.password()), "{text}");
    // The right one connects; nothing a store or a ledger shows holds it either.
    let store = place.store();
    let shown = format!(
        "{store:?} {} {}",
        store.describe(),
        place.open("default").describe()
    );
    assert!(!shown.contains(cluster.password()), "{shown}");
    // A URL that asks for TLS is refused, not sent in the clear.
    let mut tls = place.config.clone();
    if let Some(pg) = tls.postgres.as_mut() {
        pg.url.push_str("?sslmode=require");
    }
    let err = Store::connect(&tls).expect_err("no TLS yet");
    assert!(err.to_string().contains("sslmode=require"), "{err}");
    // An unreadable password file names the file and the key.
    let mut missing = place.config.clone();
    if let Some(pg) = missing.postgres.as_mut() {
        pg.password_file = Some(place.dir.path().join("nope"));
    }
    let err = Store::connect(&missing).expect_err("no file");
    assert!(err.to_string().contains("ledger.password_file"), "{err}");
}

/// `[ledger]` for `crier run` on this place's PostgreSQL database.
fn ledger_toml(place: &Place) -> String {
    let pg = place.config.postgres.as_ref().expect("postgres");
    let file = pg.password_file.as_ref().expect("password file");
    format!(
        "[ledger]\nurl = \"{}\"\npassword_file = \"{}\"\n",
        pg.url,
        file.display()
    )
}

/// The real binary on a PostgreSQL ledger: the announcer, the feed (HTTP on) and the run loop use
/// it off the runtime's thread (the client would panic there), and a kill -9 mid-run followed by a
/// restart posts nothing twice and misses nothing, as with SQLite.
#[test]
fn crier_run_on_a_postgres_ledger_posts_once_across_a_kill() {
    use std::os::unix::process::ExitStatusExt;
    use support::crier::label;
    let Some(place) = Place::postgres() else {
        return;
    };
    let site = support::site::Site::new();
    let start = support::site::in_secs(9);
    site.event(
        "k.md",
        &format!(
            "---\nid: k\ntitle: Event k\ndate: \"{}\"\nonline: true\nreminders: [7s, 5s, 3s]\n---\n",
            start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    );
    let crier = || site.crier().listen().config(&ledger_toml(&place));
    let mut app = crier().start();
    let mut seen = app.collect(Duration::from_millis(2600));
    assert_eq!(
        app.kill().signal(),
        Some(9),
        "killed mid-run: {}",
        app.logs()
    );
    let mut app = crier().start();
    seen.extend(
        app.collect((start - Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(500)),
    );
    let labels: Vec<String> = seen.iter().map(label).collect();
    assert_eq!(
        labels,
        ["k new", "k reminder 7s", "k reminder 5s", "k reminder 3s"],
        "{}",
        app.logs()
    );
    let status = app.stop();
    assert!(status.success(), "{status}: {}", app.logs());
    assert!(!app.logs().contains("panicked"), "{}", app.logs());
    let (cluster, db) = place.pg.as_ref().expect("postgres");
    assert_eq!(
        cluster.psql(
            db,
            "SELECT count(*) FROM announcements WHERE site = 'default' AND status = 'sent'"
        ),
        "4"
    );
}

/// The Events tab sync, whose task runs on the run loop's runtime, on a PostgreSQL ledger: created
/// once, and nothing again after a restart.
#[test]
fn the_events_tab_is_kept_on_a_postgres_ledger() {
    use support::fake_discord::FakeDiscord;
    let Some(place) = Place::postgres() else {
        return;
    };
    let fake = FakeDiscord::start();
    let site = support::site::Site::new();
    let now = Utc::now().timestamp();
    let start = DateTime::from_timestamp(now - now % 3600 + 48 * 3600, 0).expect("valid");
    site.event(
        "a.md",
        &format!(
            "---\nid: a\ntitle: Rust night\ndate: \"{}\"\nonline: false\nlocation: Hall A\n---\n",
            start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    );
    let crier = || {
        site.crier()
            .discord(&fake)
            .config("[discord]\nscheduled_events = true\nevents_refresh = \"1s\"\n")
            .config(&ledger_toml(&place))
    };
    let tab_writes = || {
        fake.requests()
            .into_iter()
            .filter(|r| r.route().contains("/scheduled-events") && r.method != "GET")
            .count()
    };
    let tab_reads = || fake.count(|r| r.route().contains("/scheduled-events") && r.method == "GET");
    let wait = |what: &str, done: &dyn Fn() -> bool, bot: &support::crier::Crier| {
        let end = Instant::now() + Duration::from_secs(15);
        while !done() {
            assert!(Instant::now() < end, "{what}: {}", bot.logs());
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let mut bot = crier().start();
    wait("one create", &|| tab_writes() >= 1, &bot);
    let (cluster, db) = place.pg.as_ref().expect("postgres");
    let recorded = || {
        cluster.psql(
            db,
            "SELECT state FROM scheduled_events WHERE site = 'default' AND event_id = 'a'",
        )
    };
    wait("recorded as scheduled", &|| recorded() == "scheduled", &bot);
    bot.kill();
    let before = tab_writes();
    let mut bot = crier().start();
    let reads = tab_reads();
    wait(
        "two reads after the restart",
        &|| tab_reads() >= reads + 2,
        &bot,
    );
    assert_eq!(tab_writes(), before, "a restart writes nothing");
    // A clean stop closes the pool's connections off the runtime (the client blocks to close).
    let status = bot.stop();
    assert!(status.success(), "{status}: {}", bot.logs());
    assert!(!bot.logs().contains("panicked"), "{}", bot.logs());
}
