//! High availability end to end: two `crier run` processes, each with its own state folder, on the
//! same site and the same PostgreSQL ledger. One leads, the other stands by (no gateway, no post,
//! nothing on standard output). The leader is killed (SIGKILL) or frozen past its lease (SIGSTOP)
//! in the middle of a stream of reminders, and the standby takes over within 15 s, with every
//! reminder posted once and none lost. Last, the same stream on the default SQLite ledger, where
//! one process is killed and restarted twice.
//!
//! The stream ([`Stream`]): 30 events, each with one reminder an hour before it starts (so its grace
//! is a quarter of that, 15 minutes), falling due one a second from about 6 s after the files are
//! written. New-event announcements are off, so each line on standard output (each message, on
//! Discord) is one reminder. The reminders that fall due while nobody leads (the takeover's gap) are
//! posted late by the new leader, well within their grace.
//!
//! Exactly once, and the one exception on the console. The ledger records `sending` before a post
//! and `sent` after it. A process killed between the two leaves the row at `sending`, and whoever
//! runs next posts it again. On Discord the repeat carries the same nonce (made from the row's key,
//! with `enforce_nonce`), so Discord answers it with the first message and nothing is posted twice.
//! Standard output has no such thing: the reminder in flight at the kill can appear twice. So
//! [`assert_each_once`] allows one repeat per kill, and only of that reminder: the killed process's
//! last line, whose row the ledger still had at `sending` just after the kill. Anything else
//! repeated, and anything missing, fails.
//!
//! Everything runs on 127.0.0.1: the PostgreSQL server is a throwaway cluster started here
//! (`tests/support/postgres.rs`; without PostgreSQL on the machine the three PostgreSQL tests print
//! `skipped: ...` and pass, except under CI, which installs it) and Discord is the fake.

mod support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::process::ExitStatusExt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use support::crier::{label, Builder, Crier};
use support::fake_discord::FakeDiscord;
use support::postgres::Postgres;
use support::site::{in_secs, Site};

/// Events in the stream, one reminder each.
const EVENTS: i64 = 30;

/// How long after the files are written the first reminder falls due.
const FIRST_DUE: i64 = 6;

/// The bound on a takeover: the lease (10 s) runs out at most 10 s after the leader's last renewal,
/// and the standby asks every 2 s.
const TAKEOVER: Duration = Duration::from_secs(15);

/// Every event's one reminder, an hour ahead (grace: 15 minutes); no new-event announcements.
const STREAM_TOML: &str = "[reminders]\noffsets = [\"1h\"]\nannounce_new = false\n";

/// The reminder stream written into a site: each event's id and when its reminder falls due.
struct Stream {
    due: Vec<(String, DateTime<Utc>)>,
}

impl Stream {
    fn write(site: &Site) -> Stream {
        let first = in_secs(FIRST_DUE);
        let due = (0..EVENTS)
            .map(|i| {
                let id = format!("r{i:02}");
                let due = first + chrono::Duration::seconds(i);
                let start = due + chrono::Duration::hours(1);
                site.event(
                    &format!("{id}.md"),
                    &format!(
                        "---\nid: {id}\ntitle: Meetup {id}\ndate: \"{}\"\nonline: true\n---\n",
                        start.to_rfc3339_opts(SecondsFormat::Secs, true)
                    ),
                );
                (id, due)
            })
            .collect();
        Stream { due }
    }

    fn due_of(&self, id: &str) -> DateTime<Utc> {
        self.due
            .iter()
            .find(|(event, _)| event == id)
            .map_or_else(|| panic!("{id} is not in the stream"), |(_, due)| *due)
    }

    /// From now until `margin` after the last reminder falls due.
    fn until_end(&self, margin: Duration) -> Duration {
        let last = self.due.last().expect("a stream").1;
        (last - Utc::now()).to_std().unwrap_or_default() + margin
    }

    /// The reminders due in `[from, to)`.
    fn due_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
        self.due
            .iter()
            .filter(|(_, due)| *due >= from && *due < to)
            .map(|(id, _)| id.clone())
            .collect()
    }
}

/// One process's run: what it printed, in order, and the reminders whose rows the ledger still had
/// at `sending` just after it was killed (the post in flight, if any).
struct Run {
    name: &'static str,
    lines: Vec<Value>,
    in_flight: Vec<String>,
}

impl Run {
    fn ids(&self) -> Vec<&str> {
        self.lines
            .iter()
            .map(|line| line["event_id"].as_str().unwrap_or(""))
            .collect()
    }
}

/// Every reminder of `stream` was printed exactly once across `runs` (in the order they ran), with
/// the console's one exception (see the top of this file): a reminder may be printed twice when one
/// run was killed with it in flight (its row at `sending`, and that run's last line) and the next
/// run printed it again. Returns the repeats, one per kill at most.
fn assert_each_once(stream: &Stream, runs: &[Run]) -> Vec<String> {
    let shown = || {
        runs.iter()
            .map(|run| {
                format!(
                    "{}: {:?} (in flight: {:?})",
                    run.name,
                    run.ids(),
                    run.in_flight
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut seen: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, run) in runs.iter().enumerate() {
        for line in &run.lines {
            assert_eq!(
                label(line),
                format!("{} reminder 1h", line["event_id"].as_str().unwrap_or("")),
                "only the stream's reminders are posted\n{}",
                shown()
            );
            let id = line["event_id"].as_str().unwrap_or("");
            assert!(
                stream.due.iter().any(|(event, _)| event == id),
                "{id} is not in the stream\n{}",
                shown()
            );
            seen.entry(id).or_default().push(i);
        }
    }
    let mut repeats = Vec::new();
    for (id, _) in &stream.due {
        let by = seen
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{id} was never posted (lost)\n{}", shown()));
        match by.as_slice() {
            [_] => {}
            [killed, next]
                if *next == killed + 1
                    && runs[*killed].ids().last() == Some(&id.as_str())
                    && runs[*killed].in_flight.contains(id) =>
            {
                eprintln!(
                    "note: {id} was in flight when {} was killed (printed, not yet recorded as \
                     sent): printed again by {}, as the console cannot drop a repeat",
                    runs[*killed].name, runs[*next].name
                );
                repeats.push(id.clone());
            }
            other => panic!(
                "{id} was posted {} times (by runs {other:?}); only the post in flight at a kill \
                 may be repeated\n{}",
                other.len(),
                shown()
            ),
        }
    }
    repeats
}

/// A database of its own on the shared server, for one test.
struct Db {
    cluster: Arc<Postgres>,
    name: String,
}

impl Db {
    /// `None` (after `skipped: ...`) when this machine has no PostgreSQL.
    fn new() -> Option<Db> {
        let (cluster, name) = Postgres::shared_database("failover")?;
        Some(Db { cluster, name })
    }

    /// `[ledger]` for `crier run`: the URL without the password, and the password file.
    fn toml(&self) -> String {
        format!(
            "[ledger]\nurl = \"{}\"\npassword_file = \"{}\"\n",
            self.cluster.url(&self.name),
            self.cluster.password_file().display()
        )
    }

    fn psql(&self, sql: &str) -> String {
        self.cluster.psql(&self.name, sql)
    }

    /// The reminders whose rows are at `sending`: a post in flight, or one a killed leader left.
    fn sending(&self) -> Vec<String> {
        self.psql("SELECT event_id FROM announcements WHERE status = 'sending' ORDER BY event_id")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn sent(&self) -> usize {
        self.psql("SELECT count(*) FROM announcements WHERE status = 'sent'")
            .parse()
            .expect("a count")
    }
}

/// One of the high-availability processes: `state-NAME`, HTTP on a port of its own, the stream's
/// reminders, the shared ledger.
fn process(site: &Site, db: &Db, name: &str) -> Builder {
    site.crier()
        .listen()
        .config(&format!("state_dir = \"state-{name}\"\n{STREAM_TOML}"))
        .config(&db.toml())
}

/// `/healthz`'s body, or `None` while nothing answers (a process between its leader's and its
/// standby's listener, or gone).
fn healthz(port: u16) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer.split_once("\r\n\r\n")?.1.to_owned())
}

/// The role `/healthz` gives: `leader: this process (HOLDER, epoch N)` or `standby: ...`.
fn role(app: &Crier) -> Option<String> {
    healthz(app.port())?
        .lines()
        .find(|line| line.starts_with("leader: ") || line.starts_with("standby: "))
        .map(str::to_owned)
}

/// Waits until `/healthz`'s role satisfies `wanted`, and gives it.
fn wait_for_role(app: &Crier, within: Duration, wanted: impl Fn(&str) -> bool) -> String {
    let end = Instant::now() + within;
    loop {
        let now = role(app);
        if let Some(role) = now.as_deref().filter(|role| wanted(role)) {
            return role.to_owned();
        }
        assert!(
            Instant::now() < end,
            "/healthz's role is {now:?} after {within:?}; log:\n{}",
            app.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The holder id a process keeps in its state folder (`state-NAME/instance-id`).
fn holder(site: &Site, name: &str) -> String {
    let file = site.path().join(format!("state-{name}/instance-id"));
    std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .trim()
        .to_owned()
}

/// Waits until `a` leads (its `/healthz` says so), then starts `b` and waits until it stands by
/// behind `a`. Gives `b`, and `a`'s holder id.
fn lead_then_stand_by(site: &Site, a: &Crier, b: &Builder) -> (Crier, String) {
    let leading = wait_for_role(a, Duration::from_secs(15), |r| {
        r.starts_with("leader: this process")
    });
    let a_holder = holder(site, "a");
    assert!(
        leading.contains(&a_holder) && leading.contains("epoch 1"),
        "{leading}"
    );
    let b = b.start();
    let standing = wait_for_role(&b, Duration::from_secs(15), |r| r.contains(" leads (epoch"));
    assert_eq!(
        standing,
        format!(
            "standby: {} leads (epoch 1)",
            leading
                .trim_start_matches("leader: this process (")
                .trim_end_matches(", epoch 1)")
        ),
        "the standby names the leader"
    );
    assert!(
        b.logs().contains("standing by: another process leads"),
        "{}",
        b.logs()
    );
    (b, a_holder)
}

fn time(v: &Value, key: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}")))
        .expect("rfc3339")
        .with_timezone(&Utc)
}

/// Takes `n` more lines from `app` (within 15 s each) into `lines`.
fn take(app: &Crier, lines: &mut Vec<Value>, n: usize) {
    for _ in 0..n {
        lines.push(app.next(Duration::from_secs(15)));
    }
}

/// Console mode: the leader is killed with SIGKILL mid-stream; the standby takes over within 15 s,
/// posts the reminders that fell due meanwhile (late, within their grace) and the rest on time, and
/// across both processes' standard output each reminder appears once (the console's exception for
/// the post in flight at the kill is at the top of this file).
#[test]
fn console_a_standby_takes_over_from_a_killed_leader() {
    let started = Instant::now();
    let Some(db) = Db::new() else {
        return;
    };
    let site = Site::new();
    let stream = Stream::write(&site);
    let mut a = process(&site, &db, "a").start();
    let (mut b, _) = lead_then_stand_by(&site, &a, &process(&site, &db, "b"));
    let mut a_lines = Vec::new();
    take(&a, &mut a_lines, 8);
    // Between two reminders (they fall due on whole seconds), though a kill anywhere is allowed.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        b.received(),
        Vec::<Value>::new(),
        "a standby prints nothing"
    );
    let killed_at = Utc::now();
    let killed = Instant::now();
    assert_eq!(a.kill().signal(), Some(9), "{}", a.logs());
    // The leader is gone and nobody leads for a while: what it left at `sending` is as it left it.
    let in_flight = db.sending();
    a_lines.extend(a.received());
    let first = b.next(Duration::from_secs(25));
    let takeover = killed.elapsed();
    eprintln!("takeover after kill -9 (console): {takeover:?}");
    assert!(
        takeover < TAKEOVER,
        "the standby's first post came {takeover:?} after the kill; log:\n{}",
        b.logs()
    );
    let first_at = time(&first, "sent_at");
    let mut b_lines = vec![first];
    b_lines.extend(b.collect(stream.until_end(Duration::from_secs(3))));
    for line in &b_lines {
        assert!(
            time(line, "sent_at") >= killed_at,
            "the standby posted before the leader was killed: {line}"
        );
    }
    let runs = [
        Run {
            name: "A (killed)",
            lines: a_lines,
            in_flight,
        },
        Run {
            name: "B",
            lines: b_lines,
            in_flight: Vec::new(),
        },
    ];
    let repeats = assert_each_once(&stream, &runs);
    // None lost: the reminders that fell due while nobody led were posted by B, late, within grace.
    let gap = stream.due_between(killed_at, first_at);
    assert!(
        gap.len() >= 3,
        "reminders fell due during the takeover: {gap:?}"
    );
    for id in &gap {
        let line = runs[1]
            .lines
            .iter()
            .find(|l| l["event_id"] == id.as_str())
            .unwrap_or_else(|| panic!("{id}, due during the takeover, posted by B"));
        let late = time(line, "sent_at") - stream.due_of(id);
        assert!(
            late > chrono::Duration::zero() && late < chrono::Duration::minutes(15),
            "{id} was {late} late"
        );
    }
    assert_eq!(db.sent(), EVENTS as usize, "every row ends `sent`");
    let leading = role(&b).unwrap_or_default();
    assert!(
        leading.starts_with("leader: this process") && leading.ends_with("epoch 2)"),
        "{leading}"
    );
    let status = b.stop();
    assert!(status.success(), "{status}: {}", b.logs());
    assert!(!b.logs().contains("panicked"), "{}", b.logs());
    eprintln!(
        "console kill -9: {} reminders, {} due during the takeover, repeats {repeats:?}, test took {:?}",
        EVENTS,
        gap.len(),
        started.elapsed()
    );
}

/// Console mode: the leader is frozen (SIGSTOP) for 15 s, past its 10 s lease. The standby takes
/// over and posts; when the old leader is thawed (SIGCONT) it posts nothing more (its fence is
/// reckoned from its own monotonic clock, which ran on while it was frozen), says in its log that it
/// lost the lease, stands by, and its `/healthz` says so. Every reminder appears once.
#[test]
fn console_a_leader_frozen_past_its_lease_wakes_up_as_a_standby() {
    let started = Instant::now();
    let Some(db) = Db::new() else {
        return;
    };
    let site = Site::new();
    let stream = Stream::write(&site);
    // A rescans rarely, as in production (the tests' 1 s rescan would have a reload come first at
    // the thaw): its run loop then goes straight to the overdue reminders, racing the lease keeper.
    // A tick that finds the fence gone must leave the standing-by to the keeper, not end the run.
    let mut a = process(&site, &db, "a")
        .config("rescan_interval = \"1h\"")
        .start();
    let (mut b, a_holder) = lead_then_stand_by(&site, &a, &process(&site, &db, "b"));
    let mut a_lines = Vec::new();
    take(&a, &mut a_lines, 5);
    // Half-way between two reminders: a leader frozen between a post and its `sent` record (or in
    // the middle of a ledger transaction, holding the lease row) is the kill's case, not this one.
    let last_due = time(a_lines.last().expect("a line"), "due");
    if let Ok(wait) = (last_due + chrono::Duration::milliseconds(500) - Utc::now()).to_std() {
        std::thread::sleep(wait);
    }
    assert_eq!(
        b.received(),
        Vec::<Value>::new(),
        "a standby prints nothing"
    );
    let frozen_at = Utc::now();
    let frozen = Instant::now();
    a.pause();
    let in_flight = db.sending();
    let first = b.next(Duration::from_secs(25));
    let takeover = frozen.elapsed();
    eprintln!("takeover after SIGSTOP (console): {takeover:?}");
    assert!(
        takeover < TAKEOVER,
        "the standby's first post came {takeover:?} after the freeze; log:\n{}",
        b.logs()
    );
    let mut b_lines = vec![first];
    if let Some(wait) = Duration::from_secs(15).checked_sub(frozen.elapsed()) {
        b_lines.extend(b.collect(wait));
    }
    // What the frozen leader printed before it froze; then thaw it.
    a_lines.extend(a.collect(Duration::from_millis(200)));
    let printed_before = a_lines.len();
    let resumed_at = Utc::now();
    a.resume();
    let standing = wait_for_role(&a, Duration::from_secs(10), |r| {
        r.contains(" leads (epoch 2)")
    });
    assert!(
        standing.starts_with("standby: ") && !standing.contains(&a_holder),
        "A stands by behind B: {standing}"
    );
    for said in [
        "standing by: another process may lead now error=lost the lease",
        "standing by: another process leads",
    ] {
        assert!(
            a.logs().contains(said),
            "A's log says {said:?}:\n{}",
            a.logs()
        );
    }
    b_lines.extend(b.collect(stream.until_end(Duration::from_secs(3))));
    let after = a.received();
    assert_eq!(
        after.iter().map(label).collect::<Vec<_>>(),
        Vec::<String>::new(),
        "A posted after it was thawed; log:\n{}",
        a.logs()
    );
    assert_eq!(a_lines.len(), printed_before);
    assert_eq!(
        a.exit_code(Duration::ZERO),
        None,
        "A stands by; it does not exit:\n{}",
        a.logs()
    );
    assert_eq!(
        role(&a).as_deref(),
        Some(standing.as_str()),
        "A still stands by at the end"
    );
    for line in &b_lines {
        assert!(
            time(line, "sent_at") >= frozen_at,
            "B posted before A froze: {line}"
        );
    }
    let runs = [
        Run {
            name: "A (frozen)",
            lines: a_lines,
            in_flight,
        },
        Run {
            name: "B",
            lines: b_lines,
            in_flight: Vec::new(),
        },
    ];
    let repeats = assert_each_once(&stream, &runs);
    assert_eq!(
        repeats,
        Vec::<String>::new(),
        "nothing repeated: A was not killed"
    );
    assert_eq!(db.sent(), EVENTS as usize, "every row ends `sent`");
    assert!(
        !runs[0]
            .lines
            .iter()
            .any(|l| time(l, "sent_at") >= resumed_at),
        "A posted nothing after SIGCONT"
    );
    let status = b.stop();
    assert!(status.success(), "{status}: {}", b.logs());
    let status = a.stop();
    assert!(status.success(), "{status}: {}", a.logs());
    for log in [a.logs(), b.logs()] {
        assert!(!log.contains("panicked"), "{log}");
    }
    eprintln!(
        "console SIGSTOP 15 s: A posted {} before it froze, B the other {}; test took {:?}",
        runs[0].lines.len(),
        runs[1].lines.len(),
        started.elapsed()
    );
}

/// Discord (the fake): the leader is killed mid-stream. The standby had not touched Discord before
/// (no gateway connection, no IDENTIFY, no request at all); it takes over within 15 s, and each
/// reminder is one message, the one in flight at the kill included: its repeat carries the same
/// nonce, which Discord answers with the first message.
#[test]
fn discord_a_standby_takes_over_from_a_killed_leader_and_nothing_is_posted_twice() {
    let started = Instant::now();
    let Some(db) = Db::new() else {
        return;
    };
    let fake = FakeDiscord::start();
    let site = Site::new();
    let stream = Stream::write(&site);
    let mut a = process(&site, &db, "a").discord(&fake).start();
    let b_builder = process(&site, &db, "b").discord(&fake);
    let leading = wait_for_role(&a, Duration::from_secs(15), |r| {
        r.starts_with("leader: this process")
    });
    // A is connected and has registered its commands before B starts: from then on A sends only
    // its posts, so anything else seen until the kill would be B's.
    assert!(
        fake.wait_for_frame(Duration::from_secs(15), 2).is_some(),
        "A identifies"
    );
    fake.registered(Duration::from_secs(15));
    let b_started = Instant::now();
    let (mut b, _) = lead_then_stand_by(&site, &a, &b_builder);
    assert!(leading.contains("epoch 1"), "{leading}");
    let posts = || fake.count(support::fake_discord::Recorded::is_post_message);
    let end = Instant::now() + Duration::from_secs(30);
    while posts() < 8 {
        assert!(Instant::now() < end, "A posts; log:\n{}", a.logs());
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(400));
    // Up to the kill, the standby has connected to nothing and sent nothing.
    assert_eq!(fake.gateway_connections(), 1, "only A's gateway connection");
    assert_eq!(fake.frames_with_op(2), 1, "only A's IDENTIFY");
    let killed = Instant::now();
    assert_eq!(a.kill().signal(), Some(9), "{}", a.logs());
    let in_flight = db.sending();
    let before_kill: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.at <= killed)
        .collect();
    for request in before_kill.iter().filter(|r| r.at >= b_started) {
        assert!(
            request.is_post_message(),
            "while B stood by, only A's posts reached Discord: {} {}",
            request.method,
            request.path
        );
    }
    let a_posts = before_kill.iter().filter(|r| r.is_post_message()).count();
    let a_announced = a
        .logs()
        .lines()
        .filter(|l| l.contains("announced") && l.contains("message_id"))
        .count();
    assert!(
        a_posts == a_announced || a_posts == a_announced + 1,
        "every post before the kill was A's ({a_announced} announced, and at most one in flight), \
         not {a_posts}"
    );
    // B's first request of any kind, then its first post.
    let first_request = fake
        .wait_for(Duration::from_secs(25), |r| r.at > killed)
        .unwrap_or_else(|| panic!("B reached Discord after the kill; log:\n{}", b.logs()));
    let first_post = fake
        .wait_for(Duration::from_secs(25), |r| {
            r.is_post_message() && r.at > killed
        })
        .unwrap_or_else(|| panic!("B posts; log:\n{}", b.logs()));
    let takeover = first_post.at - killed;
    eprintln!(
        "takeover after kill -9 (Discord): first request {:?}, first post {takeover:?}",
        first_request.at - killed
    );
    assert!(
        takeover < TAKEOVER,
        "B's first post came {takeover:?} after the kill; log:\n{}",
        b.logs()
    );
    let end = Instant::now() + stream.until_end(Duration::from_secs(5));
    while fake.messages().len() < EVENTS as usize && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    // One message per reminder, in the stream's order of events.
    let messages = fake.messages();
    let titles: Vec<String> = messages
        .iter()
        .map(|m| {
            let text = m.to_string();
            let ids: Vec<&str> = stream
                .due
                .iter()
                .map(|(id, _)| id.as_str())
                .filter(|id| text.contains(&format!("Meetup {id}")))
                .collect();
            assert_eq!(ids.len(), 1, "one event per message: {m}");
            ids[0].to_owned()
        })
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        titles.len(),
        "a reminder posted twice: {titles:?}"
    );
    assert_eq!(
        titles.len(),
        EVENTS as usize,
        "every reminder posted (none lost): {titles:?}; B's log:\n{}",
        b.logs()
    );
    // Repeated POSTs: at most the one in flight at the kill, with its first nonce.
    let all_posts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(support::fake_discord::Recorded::is_post_message)
        .collect();
    let mut by_nonce: BTreeMap<String, usize> = BTreeMap::new();
    for post in &all_posts {
        let nonce = post.body.as_ref().and_then(|b| b["nonce"].as_str());
        let nonce = nonce.unwrap_or_else(|| panic!("a post without a nonce: {post:?}"));
        *by_nonce.entry(nonce.to_owned()).or_default() += 1;
    }
    assert_eq!(by_nonce.len(), EVENTS as usize, "one nonce per reminder");
    let repeated: Vec<&String> = by_nonce
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(nonce, _)| nonce)
        .collect();
    assert!(repeated.len() <= 1, "repeated nonces: {repeated:?}");
    if let Some(nonce) = repeated.first() {
        let id = &titles[messages
            .iter()
            .position(|m| m["nonce"] == nonce.as_str())
            .expect("the repeated nonce's message")];
        assert!(
            in_flight.contains(id),
            "the repeated post ({id}) was the one in flight at the kill ({in_flight:?})"
        );
        eprintln!("note: {id} was in flight at the kill; its repeat got the first message back");
    }
    // B connected to the gateway only once it led.
    let end = Instant::now() + Duration::from_secs(10);
    while fake.frames_with_op(2) < 2 {
        assert!(
            Instant::now() < end,
            "B identifies once it leads:\n{}",
            b.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(fake.gateway_connections(), 2, "A's connection, then B's");
    assert_eq!(db.sent(), EVENTS as usize, "every row ends `sent`");
    let status = b.stop();
    assert!(status.success(), "{status}: {}", b.logs());
    assert!(!b.logs().contains("panicked"), "{}", b.logs());
    eprintln!(
        "Discord kill -9: {} messages from {} POSTs; test took {:?}",
        messages.len(),
        all_posts.len(),
        started.elapsed()
    );
}

/// The default SQLite ledger: one process, killed (SIGKILL) and restarted twice mid-stream, each
/// restart 2.5 s after the kill so that reminders fall due while nothing runs. Each reminder is
/// printed once, with the console's exception for the post in flight at each kill.
/// (`tests/run.rs`'s `kill_9_and_restart_posts_nothing_twice_and_misses_nothing` is one kill of an
/// event with three reminders; this is the stream, and two kills.)
#[test]
fn sqlite_one_process_killed_and_restarted_twice_posts_each_reminder_once() {
    let started = Instant::now();
    let site = Site::new();
    let stream = Stream::write(&site);
    let crier = site.crier().config(STREAM_TOML);
    let sending = || -> Vec<String> {
        let conn = rusqlite::Connection::open(site.path().join("state/ledger.sqlite3"))
            .expect("the ledger");
        let mut query = conn
            .prepare(
                "SELECT event_id FROM announcements WHERE status = 'sending' ORDER BY event_id",
            )
            .expect("query");
        query
            .query_map([], |row| row.get::<_, String>(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let mut runs = Vec::new();
    let mut app = crier.start();
    for name in ["first (killed)", "second (killed)"] {
        let mut lines = Vec::new();
        take(&app, &mut lines, 7);
        assert_eq!(app.kill().signal(), Some(9), "{}", app.logs());
        lines.extend(app.received());
        runs.push(Run {
            name,
            lines,
            in_flight: sending(),
        });
        std::thread::sleep(Duration::from_millis(2500));
        app = crier.start();
    }
    let mut lines = app.collect(stream.until_end(Duration::from_secs(3)));
    lines.extend(app.received());
    runs.push(Run {
        name: "third",
        lines,
        in_flight: Vec::new(),
    });
    let repeats = assert_each_once(&stream, &runs);
    // The reminders due while nothing ran were posted late, within their grace.
    let mut late = 0;
    for line in runs.iter().flat_map(|r| &r.lines) {
        let id = line["event_id"].as_str().unwrap_or("");
        if time(line, "sent_at") - stream.due_of(id) > chrono::Duration::seconds(1) {
            late += 1;
        }
    }
    assert!(
        late >= 2,
        "reminders due while nothing ran were posted late: {late}"
    );
    let status = app.stop();
    assert!(status.success(), "{status}: {}", app.logs());
    assert_eq!(sending(), Vec::<String>::new(), "nothing left in flight");
    eprintln!(
        "SQLite, two kills: {} late, repeats {repeats:?}; test took {:?}",
        late,
        started.elapsed()
    );
}
