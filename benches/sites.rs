//! One crier process with many sites (`[[sites]]`), end to end: the release binary against the fake
//! Discord on 127.0.0.1, with a token, so the real Discord path runs (preflight of every site, one
//! gateway connection, the slash commands registered in every guild, posting).
//!
//! The world: `CRIER_BENCH_SITES` sites (1,000) of `CRIER_BENCH_EVENTS` events each (50), generated
//! in a temporary folder (each site its own events folder), across `CRIER_BENCH_CHANNELS` channels
//! (500) in `CRIER_BENCH_GUILDS` guilds (100): site `i` posts in channel `i % channels`, and channel
//! `j` is in guild `j % guilds` (with the defaults, site `i` is in guild `i % 100`: 10 sites a guild,
//! 5 channels a guild, 2 sites a channel). `[reminders] announce_new = false` at the top level: a first start would
//! otherwise announce every upcoming event as new (50,000 posts), which is not what is measured here,
//! so the first start posts nothing and only baselines every event in the ledger.
//!
//! Measured, and printed as a table at the end (the README's "Many sites" rows):
//!
//! 1. start: from spawning the process to `/healthz` answering 200 with a `site …: ok` line for
//!    every site (every catalog loaded, the gateway connected); to the commands registered in every
//!    guild; and to the first start's work done (every event baselined in the ledger, nothing to
//!    post); then how many sites' calendar feeds are served;
//! 2. slash commands: `CRIER_BENCH_COMMANDS` (2,000) `/upcoming count:5 site:…` sent through the
//!    fake's gateway at `CRIER_BENCH_COMMAND_RATE` a second (100), round-robin over the guilds and
//!    their sites, without waiting for the answers; from the fake dispatching each interaction to the
//!    fake receiving its callback, p50 / p99 / max; every answer must be the named site's;
//! 3. reminders due in the same minute: event 0 of every site starts at T + 1 h with
//!    `reminders: [1h]`, T = spawn + `CRIER_BENCH_REMINDER_AT` seconds (90), so one reminder per site
//!    (two per channel) falls due at T; from T to the fake receiving the last of them, none twice;
//! 4. the bot's peak resident set size (`VmHWM`) after all of it; and what the fake itself costs:
//!    the time it held a POST before answering ([`Recorded::answered_in`]), and a POST's round trip
//!    from here to the fake without the bot.
//!
//! Run: `cargo bench --bench sites` (a few minutes at full size); a quick run:
//! `CRIER_BENCH_SITES=20 CRIER_BENCH_GUILDS=4 CRIER_BENCH_CHANNELS=10 CRIER_BENCH_COMMANDS=200
//! CRIER_BENCH_REMINDER_AT=20 cargo bench --bench sites`. `CRIER_BIN=path` runs another build;
//! `CRIER_BENCH_KEEP=1` keeps the generated folder (and the bot's log, `crier.log`) and prints its
//! path. Plain `main`, not criterion: each figure is one run of a whole process.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use support::fake_discord::{FakeDiscord, Recorded, World, APP_ID, CHANNEL_ID};

/// The sizes, from the environment.
#[derive(Clone, Copy, Debug)]
struct Sizes {
    sites: usize,
    events: usize,
    channels: usize,
    guilds: usize,
    commands: usize,
    command_rate: u32,
    reminder_at: u64,
}

fn env_or(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a whole number")),
        Err(_) => default,
    }
}

impl Sizes {
    fn from_env() -> Sizes {
        let sizes = Sizes {
            sites: env_or("CRIER_BENCH_SITES", 1_000) as usize,
            events: env_or("CRIER_BENCH_EVENTS", 50) as usize,
            channels: env_or("CRIER_BENCH_CHANNELS", 500) as usize,
            guilds: env_or("CRIER_BENCH_GUILDS", 100) as usize,
            commands: env_or("CRIER_BENCH_COMMANDS", 2_000) as usize,
            command_rate: env_or("CRIER_BENCH_COMMAND_RATE", 100) as u32,
            reminder_at: env_or("CRIER_BENCH_REMINDER_AT", 90),
        };
        assert!(
            sizes.sites >= sizes.channels && sizes.channels >= sizes.guilds && sizes.guilds > 0,
            "sites >= channels >= guilds > 0: {sizes:?}"
        );
        assert!(sizes.events > 0 && sizes.command_rate > 0, "{sizes:?}");
        sizes
    }
}

/// The binary under test: `CRIER_BIN`, else the release build of this package.
fn crier_bin() -> std::ffi::OsString {
    std::env::var_os("CRIER_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_crier").into())
}

fn site_name(i: usize) -> String {
    format!("s{i:04}")
}

/// The title of site `i`'s event `k`; event 0 is the one whose reminder falls due at T.
fn title(i: usize, k: usize) -> String {
    if k == 0 {
        format!("Site {i} reminder")
    } else {
        format!("Site {i} meetup {k}")
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Writes every site's events folder and `config.toml`.
fn generate(dir: &Path, sizes: Sizes, world: &World, api_url: &str, port: u16, due: DateTime<Utc>) {
    let mut config = format!(
        "state_dir = \"state\"\ntimezone = \"UTC\"\nrescan_interval = \"24h\"\n\
         [reminders]\noffsets = []\nannounce_new = false\n\
         [http]\nlisten = \"127.0.0.1:{port}\"\n[discord]\napi_url = \"{api_url}\"\n"
    );
    for i in 0..sizes.sites {
        let name = site_name(i);
        let events = dir.join("sites").join(&name).join("events");
        std::fs::create_dir_all(&events).expect("events folder");
        for k in 0..sizes.events {
            // Event 0's reminder is due at T; the others start in the coming weeks, without reminders.
            let (start, reminders) = if k == 0 {
                (due + chrono::Duration::hours(1), "reminders: [1h]\n")
            } else {
                (due + chrono::Duration::days(k as i64), "")
            };
            let text = format!(
                "---\nid: {name}-e{k}\ntitle: \"{}\"\ndate: \"{}\"\nonline: true\nlanguage: English\n\
                 register: https://example.org/{name}/{k}\n{reminders}---\nMeetup {k} of site {i}.\n",
                title(i, k),
                rfc3339(start)
            );
            std::fs::write(events.join(format!("e{k:02}.md")), text).expect("event file");
        }
        let (channel, guild) = &world.channels[i % sizes.channels];
        config.push_str(&format!(
            "\n[[sites]]\nname = \"{name}\"\nevents_dir = \"sites/{name}/events\"\n\
             [sites.discord]\nguild_id = \"{guild}\"\nchannel_id = \"{channel}\"\n"
        ));
    }
    std::fs::write(dir.join("config.toml"), config).expect("config.toml");
}

/// `GET path` on crier's listener; `None` while nothing answers there.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

/// A process's peak resident set size (`VmHWM` in `/proc/<pid>/status`), in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

/// The bot's threads now (`Threads:` in `/proc/<pid>/status`).
fn threads(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find_map(|l| l.strip_prefix("Threads:"))?;
    line.trim().parse().ok()
}

/// Rows in the ledger's `recording_baselines`: one per event the first start looked at.
fn baselines(ledger: &Path) -> usize {
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

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// `p50 / p99 / max` in milliseconds.
fn spread(mut samples: Vec<Duration>) -> String {
    samples.sort();
    format!(
        "{:.2} / {:.2} / {:.2} ms",
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99)),
        ms(samples.last().copied().unwrap_or_default())
    )
}

/// Follows the fake's recorded requests as they come, without copying the whole list each time.
struct Follower<'a> {
    fake: &'a FakeDiscord,
    seen: usize,
}

impl Follower<'_> {
    fn new(fake: &FakeDiscord) -> Follower<'_> {
        Follower { fake, seen: 0 }
    }

    /// The requests recorded since the last call.
    fn next(&mut self) -> Vec<Recorded> {
        let new = self.fake.requests_from(self.seen);
        self.seen += new.len();
        new
    }
}

fn is_registration(r: &Recorded) -> Option<&str> {
    if r.method != "PUT" {
        return None;
    }
    r.route()
        .strip_prefix(&format!("/applications/{APP_ID}/guilds/"))?
        .strip_suffix("/commands")
}

fn callback_of(r: &Recorded) -> Option<&str> {
    if r.method != "POST" {
        return None;
    }
    let rest = r.route().strip_prefix("/interactions/")?;
    rest.ends_with("/callback")
        .then(|| rest.split('/').next())
        .flatten()
}

/// The figures, as the README's table rows.
#[derive(Default)]
struct Figures {
    rows: Vec<(String, String)>,
}

impl Figures {
    fn add(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        println!("{name}: {value}");
        self.rows.push((name, value));
    }
}

/// The phases' clocks: the spawn as an `Instant` and as wall time, to place T on the `Instant` scale.
struct Clock {
    spawned: Instant,
    spawned_wall: SystemTime,
}

impl Clock {
    fn instant_of(&self, t: DateTime<Utc>) -> Instant {
        let wall = SystemTime::from(t);
        match wall.duration_since(self.spawned_wall) {
            Ok(after) => self.spawned + after,
            Err(before) => self
                .spawned
                .checked_sub(before.duration())
                .unwrap_or(self.spawned),
        }
    }
}

/// The bot's process, killed if the bench panics before it stops it.
struct Bot(Child);

impl Drop for Bot {
    fn drop(&mut self) {
        // Nothing is sent to a child already reaped (`try_wait` saw it exit).
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_bot(dir: &Path, fake: &FakeDiscord) -> Bot {
    let log = std::fs::File::create(dir.join("crier.log")).expect("crier.log");
    let mut command = Command::new(crier_bin());
    command.arg("run").current_dir(dir);
    // crier reads `CRIER_<TABLE>_<KEY>` overrides: none of the bench's own settings may reach it.
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if name.starts_with("CRIER_") || name.starts_with("DISCORD_") || name == "RUST_LOG" {
            command.env_remove(&key);
        }
    }
    // The default log level (info), to a file: as it would run.
    let child = command
        .env("DISCORD_TOKEN", fake.token())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("crier starts");
    Bot(child)
}

/// Phase 1: until `/healthz` is 200 with every site ok, the commands registered in every guild and
/// every event baselined.
fn wait_started(
    bot: &mut Child,
    follower: &mut Follower<'_>,
    sizes: Sizes,
    port: u16,
    ledger: &Path,
    clock: &Clock,
    figures: &mut Figures,
) {
    let deadline = clock.spawned + Duration::from_secs(600);
    let (mut listening, mut healthy, mut registered, mut baselined) = (None, None, None, None);
    let mut guilds: HashSet<String> = HashSet::new();
    let mut preflight_done = None;
    let mut last_body = String::new();
    while healthy.is_none() || registered.is_none() || baselined.is_none() {
        if let Some(status) = bot.try_wait().expect("wait") {
            panic!("crier exited during the start: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "not started within 600 s: healthy {healthy:?}, registered {registered:?} ({} guilds), \
             baselined {baselined:?}; last /healthz: {}",
            guilds.len(),
            last_body.lines().take(5).collect::<Vec<_>>().join(" | ")
        );
        for r in follower.next() {
            if let Some(guild) = is_registration(&r) {
                guilds.insert(guild.to_owned());
                if guilds.len() == sizes.guilds {
                    registered = Some(r.at);
                }
            }
            if r.method == "GET" && r.route().contains("/members/") {
                preflight_done = Some(r.at);
            }
        }
        if healthy.is_none() {
            if let Some((status, body)) = get(port, "/healthz") {
                listening.get_or_insert_with(Instant::now);
                let ok = body
                    .lines()
                    .filter(|l| l.starts_with("site ") && l.ends_with(": ok"))
                    .count();
                if status == 200 && ok == sizes.sites {
                    healthy = Some(Instant::now());
                }
                last_body = body;
            }
        }
        if baselined.is_none() && baselines(ledger) >= sizes.sites * sizes.events {
            baselined = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let since = |t: Option<Instant>| t.map_or(Duration::ZERO, |t| t - clock.spawned);
    figures.add(
        "start: preflight of every site done (the last GET of a member)",
        format!("{:.2} s", secs(since(preflight_done))),
    );
    figures.add(
        "start: /healthz first answers (the listener is up)",
        format!("{:.2} s", secs(since(listening))),
    );
    figures.add(
        format!(
            "start: /healthz 200 with {} `site …: ok` lines (catalogs loaded, gateway ready)",
            sizes.sites
        ),
        format!("{:.2} s", secs(since(healthy))),
    );
    figures.add(
        format!("start: commands registered in all {} guilds", sizes.guilds),
        format!("{:.2} s", secs(since(registered))),
    );
    // Every site's calendar is served (the feed is built at its first load).
    let served = (0..sizes.sites)
        .filter(|&i| {
            get(port, &format!("/sites/{}/events.ics", site_name(i))).is_some_and(|(s, _)| s == 200)
        })
        .count();
    figures.add(
        "start: sites whose `/sites/<name>/events.ics` answers 200 right after",
        format!("{served} of {}", sizes.sites),
    );
    figures.add(
        format!(
            "start: first start's work done (all {} events baselined in the ledger; `announce_new = false`, nothing posted)",
            sizes.sites * sizes.events
        ),
        format!("{:.2} s", secs(since(baselined))),
    );
}

/// Phase 2: the commands, sent at a steady rate without waiting; returns the figures' rows.
fn commands(
    fake: &FakeDiscord,
    follower: &mut Follower<'_>,
    sizes: Sizes,
    world: &World,
    figures: &mut Figures,
    label: &str,
) {
    // Site i posts in channel i % channels, which is in guild (i % channels) % guilds.
    let mut sites_of: Vec<Vec<usize>> = vec![Vec::new(); sizes.guilds];
    for i in 0..sizes.sites {
        sites_of[(i % sizes.channels) % sizes.guilds].push(i);
    }
    let period = Duration::from_secs(1) / sizes.command_rate;
    let mut sent: Vec<(Instant, String, usize)> = Vec::with_capacity(sizes.commands);
    let mut next = Instant::now();
    for n in 0..sizes.commands {
        let g = n % sizes.guilds;
        let site = sites_of[g][(n / sizes.guilds) % sites_of[g].len()];
        let (channel, guild) = &world.channels[site % sizes.channels];
        assert_eq!(guild, &world.guilds[g], "site {site} is in guild {g}");
        let options = json!([
            {"name": "count", "type": 4, "value": 5},
            {"name": "site", "type": 3, "value": site_name(site)},
        ]);
        if let Some(wait) = next.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let at = Instant::now();
        let id = fake.slash_from(guild, channel, "upcoming", options);
        sent.push((at, id, site));
        next += period;
    }
    let sending_took = sent
        .last()
        .map_or(Duration::ZERO, |(at, _, _)| *at - sent[0].0);
    let mut answers: HashMap<String, Recorded> = HashMap::new();
    let end = Instant::now() + Duration::from_secs(30);
    while answers.len() < sent.len() && Instant::now() < end {
        for r in follower.next() {
            if let Some(id) = callback_of(&r) {
                answers.insert(id.to_owned(), r);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut samples = Vec::new();
    let mut wrong = 0;
    for (at, id, site) in &sent {
        let Some(answer) = answers.get(id) else {
            continue;
        };
        samples.push(answer.at.saturating_duration_since(*at));
        let body = answer
            .body
            .as_ref()
            .map(Value::to_string)
            .unwrap_or_default();
        if !body.contains(&format!("Site {site} ")) {
            wrong += 1;
            if wrong <= 3 {
                eprintln!(
                    "the answer to /upcoming site:{} is not its own: {body}",
                    site_name(*site)
                );
            }
        }
    }
    let late = samples
        .iter()
        .filter(|d| **d > Duration::from_secs(3))
        .count();
    figures.add(
        format!(
            "/upcoming count:5 site:…, {} sent at {}/s over {} guilds ({:.1} s){label}: p50 / p99 / max",
            sent.len(),
            sizes.command_rate,
            sizes.guilds,
            secs(sending_took)
        ),
        spread(samples.clone()),
    );
    figures.add(
        "commands answered / from another site / past Discord's 3 s",
        format!("{} / {wrong} / {late}", samples.len()),
    );
    assert_eq!(samples.len(), sent.len(), "every command is answered");
    assert_eq!(wrong, 0, "every answer is the named site's");
}

/// Phase 3: the reminders due at `due`; from T to the last one received. Returns the fake's
/// answer times of those POSTs.
fn reminders(
    follower: &mut Follower<'_>,
    sizes: Sizes,
    world: &World,
    due: Instant,
    figures: &mut Figures,
) -> Vec<Duration> {
    let channels: HashSet<&str> = world.channels[..sizes.channels]
        .iter()
        .map(|(c, _)| c.as_str())
        .collect();
    let mut posts: Vec<Recorded> = Vec::new();
    let end = due + Duration::from_secs(600);
    if let Some(wait) = due.checked_duration_since(Instant::now()) {
        println!("waiting {:.1} s for the reminders' moment", secs(wait));
    }
    while posts.len() < sizes.sites && Instant::now() < end {
        posts.extend(
            follower
                .next()
                .into_iter()
                .filter(|r| r.posted_in().is_some_and(|c| channels.contains(c))),
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Time for a post too many to come.
    std::thread::sleep(Duration::from_secs(3));
    posts.extend(
        follower
            .next()
            .into_iter()
            .filter(|r| r.posted_in().is_some_and(|c| channels.contains(c))),
    );
    let mut per_channel: HashMap<&str, Vec<(String, String)>> = HashMap::new();
    for r in &posts {
        let body = r.body.as_ref().expect("a JSON body");
        let nonce = body["nonce"].as_str().unwrap_or_default().to_owned();
        let title = body["embeds"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        per_channel
            .entry(r.posted_in().expect("a post"))
            .or_default()
            .push((nonce, title));
    }
    let mut twice = 0;
    for list in per_channel.values() {
        let nonces: HashSet<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
        let titles: HashSet<&str> = list.iter().map(|(_, t)| t.as_str()).collect();
        twice += list.len() - nonces.len().min(titles.len());
    }
    let lateness: Vec<Duration> = posts
        .iter()
        .map(|r| r.at.saturating_duration_since(due))
        .collect();
    let last = lateness.iter().max().copied().unwrap_or_default();
    let mut sorted = lateness.clone();
    sorted.sort();
    figures.add(
        format!(
            "{} reminders due at the same moment, {} channels: T to the last one received",
            sizes.sites, sizes.channels
        ),
        format!("{:.2} s", secs(last)),
    );
    figures.add(
        "reminders received / channels posted in / posted twice",
        format!("{} / {} / {twice}", posts.len(), per_channel.len()),
    );
    figures.add(
        "each reminder's lateness (received minus due), p50 / p99 / max",
        spread(lateness),
    );
    assert_eq!(twice, 0, "no reminder is posted twice");
    assert_eq!(posts.len(), sizes.sites, "one reminder per site");
    posts.iter().map(|r| r.answered_in).collect()
}

/// A POST of a message from here to the fake, read to the end, over a fresh connection: what the
/// fake costs a post, without the bot.
fn post_round_trip(fake: &FakeDiscord, n: usize) -> Duration {
    let api = fake.api_url();
    let host = api.strip_prefix("http://").expect("http api url");
    let body = json!({
        "embeds": [{"title": format!("Floor {n}"), "description": "A meetup, online.",
            "fields": [{"name": "When", "value": "<t:1900000000:F>", "inline": false}]}],
        "nonce": format!("floor{n:012}"), "enforce_nonce": true,
        "allowed_mentions": {"parse": []},
    })
    .to_string();
    let request = format!(
        "POST /api/v10/channels/{CHANNEL_ID}/messages HTTP/1.1\r\nHost: {host}\r\n\
         Authorization: Bot {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        fake.token(),
        body.len()
    );
    let sent = Instant::now();
    let mut stream = TcpStream::connect(host).expect("connect to the fake");
    stream.set_nodelay(true).expect("nodelay");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("answer");
    let took = sent.elapsed();
    assert!(
        response.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&response)
    );
    took
}

fn main() {
    let sizes = Sizes::from_env();
    println!("sizes: {sizes:?}");
    let fake = FakeDiscord::start();
    let world = fake.add_world(sizes.guilds, sizes.channels);
    let dir = tempfile::tempdir().expect("tempdir");
    let port = support::http::free_port();
    // T: whole seconds (event files give times to the second).
    let now = Utc::now();
    let due = DateTime::from_timestamp(now.timestamp() + sizes.reminder_at as i64, 0).expect("T");
    let generating = Instant::now();
    generate(dir.path(), sizes, &world, &fake.api_url(), port, due);
    println!(
        "generated {} sites of {} events in {:.1} s",
        sizes.sites,
        sizes.events,
        secs(generating.elapsed())
    );
    let mut figures = Figures::default();
    let mut follower = Follower::new(&fake);
    let clock = Clock {
        spawned: Instant::now(),
        spawned_wall: SystemTime::now(),
    };
    let mut bot = start_bot(dir.path(), &fake);
    let pid = bot.0.id();
    let ledger = dir.path().join("state").join("ledger.sqlite3");
    wait_started(
        &mut bot.0,
        &mut follower,
        sizes,
        port,
        &ledger,
        &clock,
        &mut figures,
    );
    println!("threads after the start: {:?}", threads(pid));
    let due_at = clock.instant_of(due);
    let commands_take = Duration::from_secs(sizes.commands as u64) / sizes.command_rate;
    let before = Instant::now() + commands_take + Duration::from_secs(5) < due_at;
    if before {
        commands(&fake, &mut follower, sizes, &world, &mut figures, "");
    } else {
        println!("no time for the commands before T: they are sent after the reminders");
    }
    let answered_in = reminders(&mut follower, sizes, &world, due_at, &mut figures);
    if !before {
        commands(
            &fake,
            &mut follower,
            sizes,
            &world,
            &mut figures,
            " (after the reminders)",
        );
    }
    figures.add(
        "the fake's hold of each reminder POST (lock wait and answer), p50 / p99 / max",
        spread(answered_in),
    );
    let floor: Vec<Duration> = (0..200).map(|n| post_round_trip(&fake, n)).collect();
    figures.add(
        "a POST's round trip to the fake from the bench, no bot, 200 on fresh connections, p50 / p99 / max",
        spread(floor),
    );
    match peak_rss_kb(pid) {
        Some(kb) => figures.add(
            "peak RSS (VmHWM) after all of the above",
            format!("{:.1} MiB", kb as f64 / 1024.0),
        ),
        None => figures.add("peak RSS (VmHWM) after all of the above", "unavailable"),
    }
    figures.add(
        "threads of the bot at the end",
        threads(pid).map_or("unavailable".into(), |n| n.to_string()),
    );
    let _ = Command::new("kill")
        .args(["-s", "TERM", &pid.to_string()])
        .status();
    let stopping = Instant::now();
    let mut status = None;
    while stopping.elapsed() < Duration::from_secs(30) {
        if let Some(s) = bot.0.try_wait().expect("wait") {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    match status {
        Some(s) => figures.add(
            "SIGTERM to exit",
            format!("{:.2} s ({s})", secs(stopping.elapsed())),
        ),
        None => figures.add("SIGTERM to exit", "not within 30 s (killed)"),
    }
    let log = std::fs::read_to_string(dir.path().join("crier.log")).unwrap_or_default();
    let errors = log.lines().filter(|l| l.contains("ERROR")).count();
    let warnings = log.lines().filter(|l| l.contains("WARN")).count();
    figures.add(
        "the bot's log: lines / ERROR / WARN",
        format!("{} / {errors} / {warnings}", log.lines().count()),
    );
    for line in log
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("WARN"))
        .take(5)
    {
        println!("  {line}");
    }

    println!("\n| figure | measured |\n|---|---|");
    for (name, value) in &figures.rows {
        println!("| {name} | {value} |");
    }
    if std::env::var_os("CRIER_BENCH_KEEP").is_some() {
        println!("kept: {}", dir.keep().display());
    }
}
