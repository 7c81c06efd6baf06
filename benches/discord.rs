//! Figures of the Discord side, through the fake Discord on loopback, with the real (release) binary:
//!
//! 1. command handling with 10,000 events loaded (2,000 past, 300 speakers): interaction dispatched
//!    by the fake to the callback the fake receives, p50/p99/max of 300 samples of each command and
//!    autocomplete, sent round-robin (one of each per round, so drift affects all alike), plus the
//!    floor: a REST round trip from here to the fake, without the bot. Printed as lines and as
//!    markdown table rows for the README, then the bot's peak resident set size (`VmHWM`);
//! 2. announcement lateness: 60 reminders, two due each second for 30 seconds, the fake's receive time minus the
//!    due time, p50/p99/max;
//! 3. the Events tab (`discord.scheduled_events`, read back every 2 s): 100 upcoming events, the
//!    requests and time until all 100 are created, then one edited file (its writes, and the time
//!    from the rename to the PATCH), then a restart after `kill -9` with nothing changed (its
//!    writes over 3 read-backs: none expected). Printed as lines and as markdown table rows.
//!
//! Run: `cargo bench --bench discord`, or `cargo bench --bench discord -- commands` (or
//! `-- lateness`, `-- events_tab`) for one part. Plain `main`, not criterion: each sample is a
//! whole round trip through another process, and percentiles are what the targets name.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
use support::crier::Crier;
use support::fake_discord::{FakeDiscord, Recorded, APP_ID, CHANNEL_ID, GUILD_ID};

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Stats {
    p50: Duration,
    p99: Duration,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    if samples.is_empty() {
        println!("{name}: n=0");
        return Stats {
            p50: Duration::ZERO,
            p99: Duration::ZERO,
        };
    }
    let stats = Stats {
        p50: percentile(&samples, 0.5),
        p99: percentile(&samples, 0.99),
    };
    println!(
        "{name}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        ms(stats.p50),
        ms(stats.p99),
        ms(samples.last().copied().unwrap_or_default())
    );
    stats
}

/// Starts `crier run` on `site` against the fake, announcing no new events, with `discord` lines
/// added to the `[discord]` table of the configuration. The rescan and the log level are a
/// deployment's (every 5 minutes, warnings), not the tests' quicker ones.
fn start_bot(fake: &FakeDiscord, site: &std::path::Path, discord: &str) -> Crier {
    Crier::builder(site)
        .discord(fake)
        .unset("rescan_interval")
        .config(&format!(
            "[reminders]\nannounce_new = false\n[discord]\n{discord}"
        ))
        .env("RUST_LOG", "warn")
        .start()
}

/// Event `i`'s file (`events/e{i:05}.md`), relative to the site.
fn event_path(i: usize) -> String {
    format!("events/e{i:05}.md")
}

fn event_text(i: usize, title: &str, start: DateTime<Utc>, reminders: &str) -> String {
    format!(
        "---\nid: e{i}\ntitle: \"{title}\"\ndate: \"{}\"\nonline: true\nregister: https://example.org/e/{i}\nreminders: [{reminders}]\ntalks:\n  - title: Talk {i}\n    speakers: [Speaker {}]\n---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true),
        i % 300
    )
}

fn write_event(site: &std::path::Path, i: usize, start: DateTime<Utc>, reminders: &str) {
    let text = event_text(i, &format!("Meetup number {i}"), start, reminders);
    std::fs::write(site.join(event_path(i)), text).expect("write");
}

/// A process's peak resident set size (`VmHWM` in `/proc/<pid>/status`), in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

/// `X.Y MiB`, or why not, for [`peak_rss_kb`] of the bot.
fn peak_rss(bot: &Crier) -> String {
    match peak_rss_kb(bot.pid()) {
        Some(kb) => format!("{:.1} MiB", kb as f64 / 1024.0),
        None => format!("unavailable (no VmHWM in /proc/{}/status)", bot.pid()),
    }
}

fn wait_registered(fake: &FakeDiscord) {
    fake.wait_for(Duration::from_secs(60), |r| {
        r.method == "PUT"
            && r.route() == format!("/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    })
    .expect("registered");
}

/// The commands measured, in the order they are sent (one of each per round).
const KINDS: [&str; 11] = [
    "/next",
    "/upcoming COUNT",
    "/upcoming",
    "/event NAME",
    "autocomplete /event NAME",
    "/talks",
    "/talks EVENT",
    "/speakers",
    "/speakers NAME",
    "autocomplete /speakers NAME",
    "floor: REST round trip to the fake",
];
const SAMPLES: usize = 300;
const EVENTS: usize = 10_000;
/// Events 0..PAST start in the past (a day ago and earlier), the rest in the future.
const PAST: usize = 2_000;
const SPEAKERS: usize = 300;

/// The callback the fake received for this interaction, waiting up to 5 s for it.
fn callback(fake: &FakeDiscord, id: &str) -> Option<Recorded> {
    let prefix = format!("/interactions/{id}/");
    fake.wait_for(Duration::from_secs(5), |r| {
        r.method == "POST" && r.route().starts_with(&prefix) && r.route().ends_with("/callback")
    })
}

/// Sends the `round`-th instance of command `kind`, waits for its callback and gives the time from
/// the dispatch to the callback the fake received (for the floor: a whole REST round trip).
fn sample(fake: &FakeDiscord, kind: usize, round: usize) -> Duration {
    let string = |name: &str, value: String| json!([{"name": name, "type": 3, "value": value}]);
    let focused = |name: &str, value: String| {
        let mut options = string(name, value);
        options[0]["focused"] = json!(true);
        options
    };
    // Varied per round: a title (past and upcoming alike), a partial, a speaker.
    let title = |salt: usize| format!("Meetup number {}", (round * 37 + salt) % EVENTS);
    let sent = Instant::now();
    let id = match kind {
        0 => fake.slash("next", json!([])),
        1 => fake.slash(
            "upcoming",
            json!([{"name": "count", "type": 4, "value": 5}]),
        ),
        2 => fake.slash("upcoming", json!([])),
        3 => fake.slash("event", string("name", title(11))),
        4 => fake.autocomplete(
            "event",
            focused("name", format!("number {}", (round * 7) % 1000)),
        ),
        5 => fake.slash("talks", json!([])),
        6 => fake.slash("talks", string("event", title(5003))),
        7 => fake.slash("speakers", json!([])),
        8 => fake.slash(
            "speakers",
            string("name", format!("Speaker {}", (round * 7) % SPEAKERS)),
        ),
        9 => fake.autocomplete(
            "speakers",
            focused("name", format!("speaker {}", round % 30)),
        ),
        _ => return rest_round_trip(fake),
    };
    let callback = callback(fake, &id)
        .unwrap_or_else(|| panic!("{} (round {round}) not answered within 5 s", KINDS[kind]));
    let took = callback.at.saturating_duration_since(sent);
    // A reply without the expected content (an error, "no such event") would time a shortcut.
    let body = callback.body.unwrap_or_default();
    let answered = if matches!(kind, 4 | 9) {
        body["type"] == 8
            && body["data"]["choices"]
                .as_array()
                .is_some_and(|c| !c.is_empty())
    } else {
        body["data"]["embeds"][0]["title"].is_string()
    };
    assert!(
        answered,
        "{} (round {round}): unexpected reply {body}",
        KINDS[kind]
    );
    took
}

/// `GET /api/v10/gateway` from here to the fake over a fresh connection (no keep-alive), read to
/// the end: what the fake itself costs, without the bot.
fn rest_round_trip(fake: &FakeDiscord) -> Duration {
    let api = fake.api_url();
    let host = api.strip_prefix("http://").expect("http api url");
    let request = format!(
        "GET /api/v10/gateway HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bot {}\r\n\
         Accept: application/json\r\nConnection: close\r\n\r\n",
        fake.token()
    );
    let sent = Instant::now();
    let mut stream = TcpStream::connect(host).expect("connect to the fake");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    stream.set_nodelay(true).expect("nodelay");
    stream.write_all(request.as_bytes()).expect("send GET");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .unwrap_or_else(|e| panic!("{} not answered within 5 s: {e}", KINDS[10]));
    let took = sent.elapsed();
    assert!(
        response.starts_with(b"HTTP/1.1 200"),
        "GET /gateway: {}",
        String::from_utf8_lossy(&response)
    );
    took
}

/// Waits until `/next` answers with the first upcoming event, i.e. the catalog is loaded.
fn wait_loaded(fake: &FakeDiscord) {
    let expected = format!("Meetup number {PAST}");
    let end = Instant::now() + Duration::from_secs(60);
    loop {
        let id = fake.slash("next", json!([]));
        let reply = callback(fake, &id).and_then(|r| r.body);
        let title = reply
            .as_ref()
            .map(|b| b["data"]["embeds"][0]["title"].clone());
        if title.as_ref().and_then(|t| t.as_str()) == Some(expected.as_str()) {
            return;
        }
        assert!(
            Instant::now() < end,
            "/next never answered with {expected:?}; last reply: {reply:?}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn commands() {
    let fake = FakeDiscord::start();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("events")).expect("mkdir");
    let now = Utc::now().timestamp();
    for i in 0..EVENTS {
        // Hourly: the past ones end a day ago, the upcoming ones begin in a day.
        let at = if i < PAST {
            now - 86400 - (PAST - i) as i64 * 3600
        } else {
            now + 86400 + (i - PAST) as i64 * 3600
        };
        let start = DateTime::from_timestamp(at, 0).expect("valid");
        write_event(dir.path(), i, start, "");
    }
    let mut bot = start_bot(&fake, dir.path(), "");
    wait_registered(&fake);
    wait_loaded(&fake);
    // One unmeasured round to warm up, then SAMPLES rounds, each sending every kind once.
    for kind in 0..KINDS.len() {
        sample(&fake, kind, SAMPLES);
    }
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(SAMPLES); KINDS.len()];
    for round in 0..SAMPLES {
        for (kind, times) in samples.iter_mut().enumerate() {
            times.push(sample(&fake, kind, round));
        }
    }
    let rss = peak_rss(&bot);
    bot.kill();
    println!(
        "command handling, {EVENTS} events ({PAST} past), {SPEAKERS} speakers: \
         dispatch by the fake to the callback it receives"
    );
    let rows: Vec<(&str, Stats)> = KINDS
        .iter()
        .zip(samples)
        .map(|(name, times)| (*name, report(name, times)))
        .collect();
    println!();
    println!("| command | p50 | p99 |");
    println!("|---|---:|---:|");
    for (name, s) in rows {
        println!("| {name} | {:.2} ms | {:.2} ms |", ms(s.p50), ms(s.p99));
    }
    println!();
    println!("peak RSS with {} events: {rss}", group(EVENTS));
}

/// `10000` as `10,000`.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn lateness() {
    let fake = FakeDiscord::start();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("events")).expect("mkdir");
    let base = Utc::now().timestamp() + 15;
    let mut due: Vec<DateTime<Utc>> = Vec::new();
    for i in 0..60 {
        let start = DateTime::from_timestamp(base + (i / 2) as i64, 0).expect("valid");
        write_event(dir.path(), i, start, "4s");
        due.push(start - chrono::Duration::seconds(4));
    }
    let began = Instant::now();
    let began_utc = Utc::now();
    let mut bot = start_bot(&fake, dir.path(), "");
    std::thread::sleep(Duration::from_secs(42));
    // Each post is matched to its event by the embed's title.
    let posts: Vec<(Instant, usize)> = fake
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.route() == format!("/channels/{CHANNEL_ID}/messages"))
        .filter_map(|r| {
            let body = r.body.as_ref()?;
            let title = body["embeds"][0]["title"].as_str()?;
            let i = title.strip_prefix("Meetup number ")?.parse().ok()?;
            Some((r.at, i))
        })
        .collect();
    bot.kill();
    println!(
        "reminders posted: {} of {} (a reminder later than its grace, 1 s for a 4 s offset, is skipped)",
        posts.len(),
        due.len()
    );
    let samples: Vec<Duration> = posts
        .iter()
        .map(|(at, i)| {
            let due_instant = began + (due[*i] - began_utc).to_std().unwrap_or_default();
            at.saturating_duration_since(due_instant)
        })
        .collect();
    report(
        "announcement lateness through the fake (received minus due)",
        samples,
    );
}

/// The Events tab kept, read back every 2 s.
const TAB: &str = "scheduled_events = true\nevents_refresh = \"2s\"\n";
const TAB_EVENTS: usize = 100;
/// The event whose file is edited.
const EDITED: usize = 50;
const TAB_WAIT: Duration = Duration::from_secs(60);

fn is_tab(r: &Recorded) -> bool {
    r.route().contains("/scheduled-events")
}

fn is_tab_write(r: &Recorded) -> bool {
    is_tab(r) && matches!(r.method.as_str(), "POST" | "PATCH" | "DELETE")
}

fn is_tab_read(r: &Recorded) -> bool {
    is_tab(r) && r.method == "GET"
}

/// Waits until the requests from index `from` on hold `n` matching `pred`; gives the n-th one
/// and its index among all requests.
fn wait_nth(
    fake: &FakeDiscord,
    from: usize,
    n: usize,
    pred: impl Fn(&Recorded) -> bool,
    what: &str,
) -> (usize, Recorded) {
    let end = Instant::now() + TAB_WAIT;
    loop {
        let requests = fake.requests();
        let found = requests
            .iter()
            .enumerate()
            .skip(from)
            .filter(|(_, r)| pred(r))
            .nth(n - 1);
        if let Some((i, r)) = found {
            return (i, r.clone());
        }
        assert!(
            Instant::now() < end,
            "{what}: not within {TAB_WAIT:?}; Events tab requests since #{from}: {:?}",
            requests
                .iter()
                .skip(from)
                .filter(|r| is_tab(r))
                .map(|r| format!("{} {}", r.method, r.route()))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// (writes, reads) on the Events tab routes among `requests[range]`.
fn tab_counts(fake: &FakeDiscord, range: std::ops::Range<usize>) -> (usize, usize) {
    let requests = fake.requests();
    let slice = &requests[range.start..range.end.min(requests.len())];
    (
        slice.iter().filter(|r| is_tab_write(r)).count(),
        slice.iter().filter(|r| is_tab_read(r)).count(),
    )
}

/// The names of the scheduled events the bot made, as the fake holds them.
fn tab_names(fake: &FakeDiscord) -> Vec<String> {
    fake.scheduled_events()
        .iter()
        .filter(|e| e["creator_id"] == support::fake_discord::BOT_USER_ID)
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn events_tab() {
    let fake = FakeDiscord::start();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("events")).expect("mkdir");
    let now = Utc::now().timestamp();
    let starts: Vec<DateTime<Utc>> = (0..TAB_EVENTS)
        .map(|i| DateTime::from_timestamp(now + 86400 + i as i64 * 3600, 0).expect("valid"))
        .collect();
    for (i, start) in starts.iter().enumerate() {
        write_event(dir.path(), i, *start, "");
    }
    println!(
        "Events tab: {TAB_EVENTS} upcoming events (hourly from tomorrow), \
         discord.events_refresh = 2s"
    );

    // Start-up: every event created.
    let spawned = Instant::now();
    let mut bot = start_bot(&fake, dir.path(), TAB);
    let (last_post, post) = wait_nth(
        &fake,
        0,
        TAB_EVENTS,
        |r| is_tab(r) && r.method == "POST",
        "all events created",
    );
    let startup_time = post.at.saturating_duration_since(spawned);
    let (startup_writes, startup_reads) = tab_counts(&fake, 0..last_post + 1);
    // Settled: the next read-back, and whether anything else was written before it.
    let (settled, _) = wait_nth(&fake, last_post + 1, 1, is_tab_read, "a read-back");
    let (late_writes, _) = tab_counts(&fake, last_post + 1..settled);
    let created = tab_names(&fake).len();
    assert_eq!(created, TAB_EVENTS, "the fake holds one event per file");
    println!(
        "start-up: {startup_writes} writes (+{startup_reads} reads) until the {TAB_EVENTS}th POST, \
         {:.3} s from spawn to the {TAB_EVENTS}th POST received; {late_writes} more writes \
         before the next read-back",
        secs(startup_time)
    );

    // One edited file: a new title, written to a temp file and renamed into place.
    let base = fake.requests().len();
    let title = format!("Meetup number {EDITED}, renamed");
    let tmp = dir.path().join(format!(".e{EDITED:05}.md.tmp"));
    std::fs::write(&tmp, event_text(EDITED, &title, starts[EDITED], "")).expect("write");
    let renamed = Instant::now();
    std::fs::rename(&tmp, dir.path().join(event_path(EDITED))).expect("rename");
    let (patched, patch) = wait_nth(
        &fake,
        base,
        1,
        |r| is_tab(r) && r.method == "PATCH",
        "the edit's PATCH",
    );
    let edit_time = patch.at.saturating_duration_since(renamed);
    let (edit_end, _) = wait_nth(&fake, patched + 1, 2, is_tab_read, "2 read-backs");
    let (edit_writes, edit_reads) = tab_counts(&fake, base..edit_end + 1);
    assert!(
        tab_names(&fake).contains(&title),
        "the PATCH renamed the event"
    );
    println!(
        "one edited file: {edit_writes} writes (+{edit_reads} reads) until 2 read-backs after the \
         PATCH, {:.3} s from the rename to the PATCH received",
        secs(edit_time)
    );
    let rss = peak_rss(&bot);

    // A restart with nothing changed, after kill -9.
    bot.kill();
    let base = fake.requests().len();
    let restarted = Instant::now();
    let mut bot = start_bot(&fake, dir.path(), TAB);
    let (_, first_read) = wait_nth(&fake, base, 1, is_tab_read, "the first read-back");
    let (restart_end, third_read) = wait_nth(&fake, base, 3, is_tab_read, "3 read-backs");
    let (restart_writes, restart_reads) = tab_counts(&fake, base..restart_end + 1);
    let first_read_time = first_read.at.saturating_duration_since(restarted);
    let restart_time = third_read.at.saturating_duration_since(restarted);
    let kept = tab_names(&fake).len();
    let restart_rss = peak_rss(&bot);
    bot.kill();
    println!(
        "restart after kill -9, nothing changed: {restart_writes} writes (expected 0) \
         (+{restart_reads} reads), {:.3} s from spawn to the first read-back, {:.2} s to the \
         third; {kept} scheduled events by the bot in the fake (expected {TAB_EVENTS})",
        secs(first_read_time),
        secs(restart_time)
    );
    println!("peak RSS with {TAB_EVENTS} events, Events tab kept: {rss} (after the restart: {restart_rss})");
    println!();
    println!("| Events tab | requests | time |");
    println!("|---|---:|---:|");
    println!(
        "| start-up, {TAB_EVENTS} events | {startup_writes} writes (+{startup_reads} reads) | {:.3} s |",
        secs(startup_time)
    );
    println!(
        "| one edited file | {edit_writes} writes (+{edit_reads} reads) | {:.3} s |",
        secs(edit_time)
    );
    println!(
        "| restart, nothing changed | {restart_writes} writes (+{restart_reads} reads) | {:.3} s |",
        secs(first_read_time)
    );
    println!();
}

fn main() {
    // `cargo bench` passes flags such as --bench, ignored; other arguments pick parts by name
    // (a part runs if an argument is part of its name), none runs all.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let parts: [(&str, fn()); 3] = [
        ("commands", commands),
        ("lateness", lateness),
        ("events_tab", events_tab),
    ];
    let mut ran = false;
    for (name, part) in parts {
        if filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())) {
            part();
            ran = true;
        }
    }
    if !ran {
        eprintln!("no part matches {filters:?}; the parts are: commands, lateness, events_tab");
    }
}
