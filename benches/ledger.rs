//! The ledger's figures for high availability:
//!
//! 1. `writes`: the write pair the announcer makes for each post, `record(Sending)` before it and
//!    `record(Sent)` with the message id after it, each its own transaction, timed one by one over
//!    5,000 posts (after 200 not counted): p50/p99/max of the pair and of each write. On SQLite (a
//!    temporary state folder on this machine's disk: WAL, `synchronous = NORMAL`, as crier opens
//!    it) and on PostgreSQL on 127.0.0.1, a throwaway cluster started as the tests start it
//!    (`tests/support/postgres.rs`), through a fenced ledger as a leader writes: each `sending`
//!    checks the lease in its own transaction. PostgreSQL twice: as the tests configure it (`fsync`,
//!    `synchronous_commit` and `full_page_writes` off), and durable, as a production server runs
//!    (all three on).
//! 2. `takeover`: the first scenario of `tests/failover.rs`, five times. Two `crier run` processes
//!    (console mode, each its own state folder) share the ledger; once the leader has posted three
//!    reminders of a stream falling due one a second, it is killed (SIGKILL; each run 0.6 s later
//!    than the one before, to spread the kills over the leader's renewal period), and the time from
//!    the kill to the standby's first post is taken (the reminders due meanwhile are posted at once when
//!    it leads). min/median/max. The bound is the lease (10 s from the leader's last renewal, which
//!    is 0-3 s before the kill) plus the standby's poll (every 2 s).
//!
//! Run: `cargo bench --bench ledger`, or `cargo bench --bench ledger -- writes` (or `-- takeover`)
//! for one part. Without PostgreSQL on the machine only SQLite is measured. Plain `main`, not
//! criterion: percentiles are what the figures name, and a takeover is a whole process's life.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use crier::config::{LedgerConfig, PostgresLedger};
use crier::ledger::{Ledger, Progress, Store};
use crier::schedule::{Key, Kind};
use support::postgres::Postgres;
use support::site::{in_secs, Site};

/// Posts timed per backend, and posts before them not counted (connections, caches, the WAL file).
const POSTS: usize = 5_000;
const WARM_UP: usize = 200;

/// Takeovers measured.
const TAKEOVERS: usize = 5;

/// How much later than the run before each takeover run kills the leader (after its third post), so
/// that the five kills fall at five points of its 3 s renewal period: the figure's spread.
const RENEWAL_PHASE: Duration = Duration::from_millis(600);

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Prints `name: n p50 p99 max` and gives the line's figures as a markdown cell.
fn report(name: &str, mut samples: Vec<Duration>) -> String {
    samples.sort();
    let (p50, p99, max) = (
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples.last().copied().unwrap_or_default(),
    );
    println!(
        "{name}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        ms(p50),
        ms(p99),
        ms(max)
    );
    format!("{:.2} / {:.2} / {:.2} ms", ms(p50), ms(p99), ms(max))
}

/// Times the write pair of `WARM_UP + POSTS` posts on `ledger`, and prints the figures.
fn write_pairs(backend: &str, ledger: &Ledger) -> String {
    let now = Utc::now();
    let start = now + chrono::Duration::days(30);
    let keys: Vec<Key> = (0..WARM_UP + POSTS)
        .map(|i| Key {
            event_id: format!("e{i:05}"),
            kind: Kind::Reminder(Duration::from_secs(3600)),
            start,
        })
        .collect();
    // The events are tracked first, as the announcer's planning does, in one batch.
    ledger.begin().expect("begin");
    for key in &keys {
        ledger
            .track(&key.event_id, Path::new("events/e.md"), start, now)
            .expect("track");
    }
    ledger.commit().expect("commit");
    let due = start - chrono::Duration::hours(1);
    let (mut sending, mut sent, mut pair) = (Vec::new(), Vec::new(), Vec::new());
    for (i, key) in keys.iter().enumerate() {
        let id = format!("message-{i}");
        let t0 = Instant::now();
        ledger
            .record(key, due, Progress::Sending, None, None, Utc::now())
            .expect("sending");
        let t1 = Instant::now();
        ledger
            .record(key, due, Progress::Sent, Some(&id), None, Utc::now())
            .expect("sent");
        let t2 = Instant::now();
        if i >= WARM_UP {
            sending.push(t1 - t0);
            sent.push(t2 - t1);
            pair.push(t2 - t0);
        }
    }
    report(&format!("{backend}: sending"), sending);
    report(&format!("{backend}: sent"), sent);
    report(&format!("{backend}: the pair"), pair)
}

fn writes() {
    let mut rows = Vec::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = Store::connect(&LedgerConfig {
        state_dir: dir.path().to_path_buf(),
        postgres: None,
    })
    .expect("SQLite");
    let ledger = sqlite.open("default").expect("opens");
    rows.push((
        "SQLite (WAL, synchronous = NORMAL)",
        write_pairs("sqlite", &ledger),
    ));
    drop(ledger);
    let Some(cluster) = Postgres::start_or_skip() else {
        print_rows(&rows);
        return;
    };
    for (name, db, settings) in [
        (
            "PostgreSQL on loopback, fenced (fsync, synchronous_commit off: the tests' server)",
            "bench_fast",
            "off",
        ),
        (
            "PostgreSQL on loopback, fenced (fsync, synchronous_commit on)",
            "bench_durable",
            "on",
        ),
    ] {
        for setting in ["fsync", "synchronous_commit", "full_page_writes"] {
            cluster.psql(
                "postgres",
                &format!("ALTER SYSTEM SET {setting} = {settings}"),
            );
        }
        cluster.psql("postgres", "SELECT pg_reload_conf()");
        std::thread::sleep(Duration::from_millis(200));
        let shown = cluster.psql("postgres", "SHOW fsync");
        assert_eq!(shown, settings, "fsync is {settings}");
        cluster.create_database(db);
        let state = tempfile::tempdir().expect("tempdir");
        let config = LedgerConfig {
            state_dir: state.path().to_path_buf(),
            postgres: Some(PostgresLedger {
                url: cluster.url(db),
                password_file: Some(cluster.password_file()),
            }),
        };
        let store = Store::connect(&config).expect("PostgreSQL");
        // A lease longer than the run, so that no renewal is needed while timing.
        let term = store
            .try_lead("bench", Duration::from_secs(3600))
            .expect("the lease")
            .expect("free");
        let ledger = store.open_fenced("default", &term.fence()).expect("opens");
        rows.push((name, write_pairs(&format!("postgres {db}"), &ledger)));
        drop(ledger);
        drop(store);
    }
    print_rows(&rows);
}

fn print_rows(rows: &[(&str, String)]) {
    println!("\n| backend | the write pair per post, p50 / p99 / max |\n|---|---|");
    for (name, cell) in rows {
        println!("| {name} | {cell} |");
    }
}

/// A stream of reminders (an hour ahead: 15 minutes' grace), one falling due each second from 6 s
/// on, for 40 s.
fn write_stream(site: &Site) -> DateTime<Utc> {
    let first = in_secs(6);
    for i in 0..40 {
        let due = first + chrono::Duration::seconds(i);
        let start = due + chrono::Duration::hours(1);
        site.event(
            &format!("r{i:02}.md"),
            &format!(
                "---\nid: r{i:02}\ntitle: Meetup r{i:02}\ndate: \"{}\"\nonline: true\n---\n",
                start.to_rfc3339_opts(SecondsFormat::Secs, true)
            ),
        );
    }
    first
}

/// The role line of a process's `/healthz`, if it answers now.
fn role(app: &support::crier::Crier) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", app.port())).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer
        .lines()
        .find(|l| l.starts_with("leader: ") || l.starts_with("standby: "))
        .map(str::to_owned)
}

fn wait_for_role(app: &support::crier::Crier, wanted: &str) {
    let end = Instant::now() + Duration::from_secs(20);
    while !role(app).is_some_and(|r| r.contains(wanted)) {
        assert!(
            Instant::now() < end,
            "no {wanted:?} in /healthz: {:?}\n{}",
            role(app),
            app.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn takeover() {
    let Some(cluster) = Postgres::start_or_skip() else {
        return;
    };
    let mut times = Vec::new();
    for run in 0..TAKEOVERS {
        let db = format!("takeover_{run}");
        cluster.create_database(&db);
        let site = Site::new();
        write_stream(&site);
        let process = |name: &str| {
            site.crier()
                .listen()
                .config(&format!(
                    "state_dir = \"state-{name}\"\n[reminders]\noffsets = [\"1h\"]\nannounce_new = false\n[ledger]\nurl = \"{}\"\npassword_file = \"{}\"\n",
                    cluster.url(&db),
                    cluster.password_file().display()
                ))
                .env("RUST_LOG", "warn")
        };
        let mut a = process("a").start();
        wait_for_role(&a, "leader: this process");
        let mut b = process("b").start();
        wait_for_role(&b, " leads (epoch 1)");
        for _ in 0..3 {
            a.next(Duration::from_secs(20));
        }
        // Each run kills at another point of the leader's 3 s renewal period.
        std::thread::sleep(RENEWAL_PHASE * run as u32);
        let killed = Instant::now();
        a.kill();
        b.next(Duration::from_secs(30));
        let took = killed.elapsed();
        println!("takeover {}: {:.2} s", run + 1, took.as_secs_f64());
        times.push(took);
        b.stop();
    }
    times.sort();
    println!(
        "takeover after kill -9, {} runs: min {:.2} s, median {:.2} s, max {:.2} s",
        times.len(),
        times[0].as_secs_f64(),
        percentile(&times, 0.5).as_secs_f64(),
        times[times.len() - 1].as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes flags such as --bench, ignored; other arguments pick parts by name.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let parts: [(&str, fn()); 2] = [("writes", writes), ("takeover", takeover)];
    let mut ran = false;
    for (name, part) in parts {
        if filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())) {
            part();
            ran = true;
        }
    }
    if !ran {
        eprintln!("no part matches {filters:?}; the parts are: writes, takeover");
    }
}
