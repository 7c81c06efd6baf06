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
//!    writes over 3 read-backs: none expected). Printed as lines and as markdown table rows;
//! 4. commands under load through start-up and reloads: a generated site of 10,000 events
//!    (`examples/gen_events.rs`, the catalog bench's), an empty ledger, and 20 commands a second
//!    (round-robin of the kinds below) from the moment the commands are registered, sent without
//!    waiting for the answers, as users would. p50/p99/max of the answers during the first start
//!    (until every event is baselined in the ledger), steady, and the 4 s after each of two reloads
//!    (one file written and renamed into place; 1,000 files deleted and 1,000 new ones written),
//!    each beside the floor (a REST round trip to the fake, sent half-way between two commands),
//!    then the bot's peak resident set size (`VmHWM`), and again after ten more reloads.
//!
//! Run: `cargo bench --bench discord`, or `cargo bench --bench discord -- commands` (or
//! `-- lateness`, `-- events_tab`, `-- load`) for one part. `CRIER_BIN=path` runs another build of
//! crier (a copy of an older release binary, for before/after figures) instead of this one's. Plain `main`, not criterion: each sample is a
//! whole round trip through another process, and percentiles are what the targets name.

#[path = "../tests/support/mod.rs"]
mod support;

#[allow(dead_code)] // The generator's command line (`main`) is not used here.
#[path = "../examples/gen_events.rs"]
mod gen_events;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
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

/// Starts `crier run` on `site` against the fake, with `discord` lines added to the `[discord]`
/// table of the configuration.
fn start_bot(
    fake: &FakeDiscord,
    site: &std::path::Path,
    announce_new: bool,
    discord: &str,
) -> Child {
    let config = format!(
        "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\n[reminders]\noffsets = []\nannounce_new = {announce_new}\n[discord]\napi_url = \"{}\"\nguild_id = \"{GUILD_ID}\"\nchannel_id = \"{CHANNEL_ID}\"\n{discord}",
        fake.api_url()
    );
    std::fs::write(site.join("config.toml"), config).expect("config");
    Command::new(crier_bin())
        .arg("run")
        .current_dir(site)
        .env("DISCORD_TOKEN", fake.token())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("crier starts")
}

/// The binary under test: `CRIER_BIN`, else the release build of this package.
fn crier_bin() -> std::ffi::OsString {
    std::env::var_os("CRIER_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_crier").into())
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
fn peak_rss(bot: &Child) -> String {
    match peak_rss_kb(bot.id()) {
        Some(kb) => format!("{:.1} MiB", kb as f64 / 1024.0),
        None => format!("unavailable (no VmHWM in /proc/{}/status)", bot.id()),
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
    let mut bot = start_bot(&fake, dir.path(), false, "");
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
    let _ = bot.kill();
    let _ = bot.wait();
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
    let mut bot = start_bot(&fake, dir.path(), false, "");
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
    let _ = bot.kill();
    let _ = bot.wait();
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
    let mut bot = start_bot(&fake, dir.path(), false, TAB);
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
    let _ = bot.kill();
    let _ = bot.wait();
    let base = fake.requests().len();
    let restarted = Instant::now();
    let mut bot = start_bot(&fake, dir.path(), false, TAB);
    let (_, first_read) = wait_nth(&fake, base, 1, is_tab_read, "the first read-back");
    let (restart_end, third_read) = wait_nth(&fake, base, 3, is_tab_read, "3 read-backs");
    let (restart_writes, restart_reads) = tab_counts(&fake, base..restart_end + 1);
    let first_read_time = first_read.at.saturating_duration_since(restarted);
    let restart_time = third_read.at.saturating_duration_since(restarted);
    let kept = tab_names(&fake).len();
    let restart_rss = peak_rss(&bot);
    let _ = bot.kill();
    let _ = bot.wait();
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

/// Commands a second in the load test, and the kinds sent round-robin. None needs a particular
/// title, so each has an answer from the first moment (an empty list before the catalog is loaded).
/// The paged `/speakers` is not among them: it formats a line for every speaker with an upcoming
/// talk before it takes a page (3-5 ms on this site, whatever else the bot is doing), a cost of the
/// command itself that the `commands` part shows; this part is about commands waiting for the rest.
const LOAD_RATE: u32 = 20;
const LOAD_KINDS: [&str; 6] = [
    "/next",
    "/upcoming COUNT",
    "/upcoming",
    "autocomplete /event NAME",
    "/talks",
    "/speakers NAME",
];
/// How long a reload is measured for, from the file change (the debounce, the load, the re-plan).
const RELOAD_WINDOW: Duration = Duration::from_secs(4);
/// Files deleted, and as many new ones written, in the second reload.
const REPLACED: usize = 1_000;
/// Reloads after the measured phases, for the resident size of a bot that has run a while.
const MORE_RELOADS: usize = 10;

/// Dispatches the `n`-th command of the load test, without waiting for its answer.
fn dispatch(fake: &FakeDiscord, n: usize, speakers: &[String]) -> String {
    match n % LOAD_KINDS.len() {
        0 => fake.slash("next", json!([])),
        1 => fake.slash(
            "upcoming",
            json!([{"name": "count", "type": 4, "value": 5}]),
        ),
        2 => fake.slash("upcoming", json!([])),
        3 => fake.autocomplete(
            "event",
            json!([{"name": "name", "type": 3, "value": "rust", "focused": true}]),
        ),
        4 => fake.slash("talks", json!([])),
        _ => {
            let name = &speakers[(n / LOAD_KINDS.len()) % speakers.len()];
            fake.slash(
                "speakers",
                json!([{"name": "name", "type": 3, "value": name}]),
            )
        }
    }
}

/// The `name:` of the site's first 50 people files.
fn speaker_names(site: &std::path::Path) -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir(site.join("people"))
        .expect("people")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
        .iter()
        .take(50)
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let name = text.lines().find_map(|l| l.strip_prefix("name: "))?;
            Some(name.trim().to_string())
        })
        .collect()
}

/// Rows in the ledger's `recording_baselines`: one per event looked at, the first start's writes.
fn baselines(ledger: &std::path::Path) -> usize {
    let Ok(conn) =
        rusqlite::Connection::open_with_flags(ledger, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return 0;
    };
    conn.query_row("SELECT count(*) FROM recording_baselines", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_or(0, |n| usize::try_from(n).unwrap_or(0))
}

/// What the load's sender recorded: each command (when sent, its kind, its interaction id) and,
/// half-way between two commands, the floor (a REST round trip to the fake, without the bot).
#[derive(Default)]
struct Sent {
    commands: Vec<(Instant, usize, String)>,
    floor: Vec<(Instant, Duration)>,
}

fn load() {
    let fake = FakeDiscord::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path();
    let generated = gen_events::generate(site, EVENTS).expect("the site is generated");
    let speakers = speaker_names(site);
    assert!(!speakers.is_empty(), "the site has people");
    // The reminders' default offsets; no "new" posts (a first start would announce every upcoming
    // event): what is measured is the bot's own work, not the fake taking 2,500 posts.
    let config = format!(
        "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\n[reminders]\nannounce_new = false\n[discord]\napi_url = \"{}\"\nguild_id = \"{GUILD_ID}\"\nchannel_id = \"{CHANNEL_ID}\"\n",
        fake.api_url()
    );
    std::fs::write(site.join("config.toml"), config).expect("config");
    let spawned = Instant::now();
    let mut bot = Command::new(crier_bin())
        .arg("run")
        .current_dir(site)
        .env("DISCORD_TOKEN", fake.token())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("crier starts");
    wait_registered(&fake);
    let registered = Instant::now();

    // The load: a command every 50 ms on a schedule of its own (a slow answer does not delay the
    // next command), until told to stop.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (sent, marks) = std::thread::scope(|scope| {
        let sender = scope.spawn(|| {
            let mut sent = Sent::default();
            let period = Duration::from_secs(1) / LOAD_RATE;
            let mut next = Instant::now();
            for n in 0.. {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                if let Some(wait) = next.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                let at = Instant::now();
                let id = dispatch(&fake, n, &speakers);
                sent.commands.push((at, n % LOAD_KINDS.len(), id));
                if let Some(wait) = (next + period / 2).checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                sent.floor.push((Instant::now(), rest_round_trip(&fake)));
                next += period;
            }
            sent
        });
        // The first start ends when every event has its baseline in the ledger.
        let ledger = site.join("state/ledger.sqlite3");
        let end = Instant::now() + Duration::from_secs(120);
        let first_done = loop {
            let n = baselines(&ledger);
            if n >= generated.events {
                break Instant::now();
            }
            assert!(
                Instant::now() < end,
                "the first start did not baseline {} events within 120 s ({n} so far)",
                generated.events
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        std::thread::sleep(Duration::from_secs(5));
        // Reload 1: one new event file, written aside and renamed into place.
        let start = Utc::now() + chrono::Duration::days(3);
        let tmp = site.join("events/.load-one.md.tmp");
        std::fs::write(&tmp, event_text(EVENTS, "Load one", start, "")).expect("write");
        let one = Instant::now();
        std::fs::rename(&tmp, site.join("events/load-one.md")).expect("rename");
        std::thread::sleep(RELOAD_WINDOW + Duration::from_secs(2));
        // Reload 2: 1,000 files deleted and 1,000 new ones written, as a big merge would.
        let mut files: Vec<_> = std::fs::read_dir(site.join("events"))
            .expect("events")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        files.sort();
        let many = Instant::now();
        for (i, path) in files
            .iter()
            .step_by(files.len() / REPLACED)
            .take(REPLACED)
            .enumerate()
        {
            std::fs::remove_file(path).expect("remove");
            let start = Utc::now() + chrono::Duration::days(2 + i as i64 % 300);
            std::fs::write(
                site.join(format!("events/load-{i:04}.md")),
                event_text(EVENTS + 1 + i, &format!("Load {i}"), start, ""),
            )
            .expect("write");
        }
        let many_written = Instant::now();
        std::thread::sleep(RELOAD_WINDOW + Duration::from_secs(2));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let sent = sender.join().expect("the sender");
        (sent, (first_done, one, many, many_written))
    });
    let (first_done, one, many, many_written) = marks;
    // Every answer has had time to arrive (the fake refuses those after 3 s, and records them).
    std::thread::sleep(Duration::from_secs(1));
    let rss = peak_rss(&bot);
    // A bot reloads many times a day: ten more reloads, each rewriting 100 files (a line added), show
    // whether the resident size settles or climbs with each (freed catalogs the next does not fit).
    let mut files: Vec<_> = std::fs::read_dir(site.join("events"))
        .expect("events")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    for round in 0..MORE_RELOADS {
        for path in files.iter().skip(round * 7 % 10).step_by(10).take(100) {
            let text = std::fs::read_to_string(path).expect("read");
            let tmp = path.with_extension("md.tmp");
            std::fs::write(&tmp, format!("{}\n<!-- {round} -->\n", text.trim_end()))
                .expect("write");
            std::fs::rename(&tmp, path).expect("rename");
        }
        std::thread::sleep(Duration::from_millis(1500));
    }
    let rss_later = peak_rss(&bot);
    let _ = bot.kill();
    let _ = bot.wait();

    let mut answered: std::collections::HashMap<String, Instant> = Default::default();
    for r in fake.requests() {
        let route = r.route();
        if r.method == "POST" && route.ends_with("/callback") {
            if let Some(id) = route
                .strip_prefix("/interactions/")
                .and_then(|s| s.split('/').next())
            {
                answered.entry(id.to_string()).or_insert(r.at);
            }
        }
    }
    let took = |(at, _, id): &(Instant, usize, String)| {
        answered
            .get(id)
            .map(|back| back.saturating_duration_since(*at))
    };
    println!(
        "commands under load: {} events ({} files), {LOAD_RATE} commands a second from the \
         registration ({:.2} s after spawn); first start done (every event baselined) {:.2} s \
         after the registration; 1,000 files replaced in {:.0} ms",
        generated.events,
        generated.files(),
        secs(registered - spawned),
        secs(first_done - registered),
        (many_written - many).as_secs_f64() * 1000.0,
    );
    // The first command after the registration is reported on its own: the fake's gateway socket
    // holds its frame back until the bot acknowledges the ones just before it (Nagle's algorithm
    // against a delayed ACK, about 40 ms), which is the fake's doing, not the bot's.
    if let Some(first) = sent.commands.first() {
        match took(first) {
            Some(t) => println!("the first command after the registration: {:.2} ms", ms(t)),
            None => println!("the first command after the registration: never answered"),
        }
    }
    let end = sent
        .commands
        .last()
        .map_or(Instant::now(), |(at, _, _)| *at)
        + Duration::from_millis(1);
    let second = sent.commands.get(1).map_or(registered, |(at, _, _)| *at);
    let phases = [
        ("first start (empty ledger)", second, first_done),
        ("steady", first_done, one),
        ("reload, one file renamed in", one, one + RELOAD_WINDOW),
        ("reload, 1,000 files replaced", many, many + RELOAD_WINDOW),
        ("steady, after the reloads", many + RELOAD_WINDOW, end),
    ];
    let mut rows = Vec::new();
    for (name, from, to) in phases {
        let within = |at: &Instant| *at >= from && *at < to;
        let mut samples = Vec::new();
        let mut missing = 0;
        for command in sent.commands.iter().filter(|(at, _, _)| within(at)) {
            match took(command) {
                Some(t) => samples.push(t),
                None => missing += 1,
            }
        }
        let mut floor: Vec<Duration> = sent
            .floor
            .iter()
            .filter(|(at, _)| within(at))
            .map(|(_, t)| *t)
            .collect();
        floor.sort();
        samples.sort();
        let n = samples.len();
        let max = samples.last().copied().unwrap_or_default();
        let stats = report(name, samples);
        let floor_p99 = if floor.is_empty() {
            Duration::ZERO
        } else {
            percentile(&floor, 0.99)
        };
        if missing > 0 {
            println!("  {missing} commands of this phase were never answered");
        }
        rows.push((name, n, stats, max, missing, floor_p99));
    }
    println!();
    println!("| phase | commands | p50 | p99 | max | floor p99 |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, n, s, max, missing, floor) in rows {
        let unanswered = if missing > 0 {
            format!(" ({missing} unanswered)")
        } else {
            String::new()
        };
        println!(
            "| {name} | {n}{unanswered} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |",
            ms(s.p50),
            ms(s.p99),
            ms(max),
            ms(floor)
        );
    }
    println!();
    println!(
        "peak RSS with {} events, after the first start, two reloads and {} commands: {rss}; \
         after {MORE_RELOADS} more reloads of 100 files: {rss_later}",
        group(generated.events),
        sent.commands.len()
    );
}

fn main() {
    // `cargo bench` passes flags such as --bench, ignored; other arguments pick parts by name
    // (a part runs if an argument is part of its name), none runs all.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let parts: [(&str, fn()); 4] = [
        ("commands", commands),
        ("lateness", lateness),
        ("events_tab", events_tab),
        ("load", load),
    ];
    let mut ran = false;
    for (name, part) in parts {
        if filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())) {
            part();
            ran = true;
        }
    }
    if !ran {
        eprintln!(
            "no part matches {filters:?}; the parts are: commands, lateness, events_tab, load"
        );
    }
}
