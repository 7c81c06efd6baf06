//! `[[sites]]` end to end, on the real `crier` binary: several communities in one process, each
//! announcing from its own events folder to its own channels, answering slash commands in its own
//! guild, serving its own calendar, reported on its own line of `/healthz`, and keeping its own rows
//! of the one ledger. Discord is the fake on 127.0.0.1 (`tests/support/fake_discord.rs`), which has
//! two guilds for these tests.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use support::crier::{label, Builder, Crier};
use support::fake_discord::{
    FakeDiscord, Recorded, CHANNEL_ID, GUILD2_CHANNEL_ID, GUILD2_ID, GUILD_ID, MEETUPS_CHANNEL_ID,
    ROUTE_CHANNEL_ID,
};
use support::openapi::assert_requests_valid;
use support::site::{in_secs, Site};

/// How long crier may take to start and post what is due at once.
const START: Duration = Duration::from_secs(15);

/// An online event file at `start`, in `language`, with `extra` front matter lines.
fn event_file(id: &str, title: &str, start: DateTime<Utc>, language: &str, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: \"{title}\"\ndate: \"{}\"\nonline: true\nlanguage: {language}\n{extra}---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

/// `n` days from now.
fn days(n: i64) -> DateTime<Utc> {
    in_secs(n * 86400)
}

/// The `[[sites]]` tables for `(name, events folder)` pairs, each followed by its `extra` TOML.
fn sites_toml(sites: &[(&str, &str, &str)]) -> String {
    let mut toml = String::new();
    for (name, events, extra) in sites {
        toml.push_str(&format!(
            "[[sites]]\nname = \"{name}\"\nevents_dir = \"{events}\"\n{extra}\n"
        ));
    }
    toml
}

/// The announcement posts so far: (embed title, channel), in the order they were sent.
fn posts(fake: &FakeDiscord) -> Vec<(String, String)> {
    fake.requests()
        .iter()
        .filter_map(|r| {
            let channel = r.posted_in()?;
            Some((embed_title(r), channel.to_string()))
        })
        .collect()
}

fn embed_title(r: &Recorded) -> String {
    r.body.as_ref().expect("json")["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits until at least `n` posts were sent; then the posts.
fn wait_for_posts(fake: &FakeDiscord, bot: &Crier, n: usize) -> Vec<(String, String)> {
    let end = Instant::now() + START;
    loop {
        let posts = posts(fake);
        if posts.len() >= n {
            return posts;
        }
        assert!(
            Instant::now() < end,
            "{} of {n} posts within {START:?}: {posts:?}\n{}",
            posts.len(),
            bot.logs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether a registered command, or any of its subcommands, has an option called `site`.
fn has_site_option(command: &Value) -> bool {
    command["options"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|o| o["name"] == "site" || has_site_option(o))
}

/// The registered commands of a bulk overwrite, by name.
fn commands(put: &Recorded) -> Vec<Value> {
    put.body
        .as_ref()
        .and_then(Value::as_array)
        .expect("a command list")
        .clone()
}

/// An interaction's answer as one text, for checking which events it names.
fn answer_text(answer: &Value) -> String {
    answer["data"].to_string()
}

/// The `site` option of a slash command.
fn site_option(name: &str) -> Value {
    json!({"name": "site", "type": 3, "value": name})
}

/// How many times the log holds `needle`.
fn count_in_log(bot: &Crier, needle: &str) -> usize {
    bot.logs().matches(needle).count()
}

#[test]
fn three_sites_in_two_guilds_post_in_their_own_channels_and_answer_in_their_own_guild() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    let events = [
        ("a/events", "a1", "Alpha English", "English"),
        ("a/events", "a2", "Alpha Hebrew", "Hebrew"),
        ("b/events", "b1", "Beta English", "English"),
        // The same language as a's routed event: a's route is a's own, not b's.
        ("b/events", "b2", "Beta Hebrew", "Hebrew"),
        ("c/events", "c1", "Gamma English", "English"),
    ];
    for (i, (folder, id, title, language)) in events.iter().enumerate() {
        let start = days(3 + i64::try_from(i).expect("small"));
        site.event_in(
            folder,
            &format!("{id}.md"),
            &event_file(id, title, start, language, ""),
        );
    }
    let sites = sites_toml(&[
        (
            "a",
            "a/events",
            &format!("[[sites.routes]]\nlanguage = \"Hebrew\"\nchannel_id = \"{ROUTE_CHANNEL_ID}\"\n"),
        ),
        (
            "b",
            "b/events",
            &format!("[sites.discord]\nchannel_id = \"{MEETUPS_CHANNEL_ID}\"\n"),
        ),
        (
            "c",
            "c/events",
            &format!("[sites.discord]\nguild_id = \"{GUILD2_ID}\"\nchannel_id = \"{GUILD2_CHANNEL_ID}\"\n"),
        ),
    ]);
    let crier = site.crier().discord(&fake).config(&sites);
    let mut bot = crier.start();
    fake.wait_for_frame(START, 2).expect("the first IDENTIFY");

    // Each event once, in its own site's channel: a's Hebrew event by a's route, b's Hebrew event
    // in b's channel, c's in the other guild's.
    wait_for_posts(&fake, &bot, 5);
    // Time for a wrong post (a second one, or one in another site's channel) to be sent.
    std::thread::sleep(Duration::from_secs(2));
    let mut got = posts(&fake);
    got.sort();
    let mut expected: Vec<(String, String)> = [
        ("Alpha English", CHANNEL_ID),
        ("Alpha Hebrew", ROUTE_CHANNEL_ID),
        ("Beta English", MEETUPS_CHANNEL_ID),
        ("Beta Hebrew", MEETUPS_CHANNEL_ID),
        ("Gamma English", GUILD2_CHANNEL_ID),
    ]
    .iter()
    .map(|(title, channel)| ((*title).to_string(), (*channel).to_string()))
    .collect();
    expected.sort();
    assert_eq!(got, expected, "{}", bot.logs());

    // Commands are registered once per guild: with the `site` option where the guild has two
    // sites, without it where it has one.
    let first = fake.registered_in(GUILD_ID, START);
    let second = fake.registered_in(GUILD2_ID, START);
    let in_first = commands(&first);
    assert_eq!(in_first.len(), 6, "{in_first:?}");
    for command in &in_first {
        assert!(
            has_site_option(command),
            "/{} takes `site` in guild 1: {command}",
            command["name"]
        );
    }
    let upcoming = in_first
        .iter()
        .find(|c| c["name"] == "upcoming")
        .expect("/upcoming");
    let option = upcoming["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["name"] == "site")
        .expect("site");
    assert_eq!(option["type"], 3, "a string: {option}");
    assert_eq!(option["autocomplete"], true, "{option}");
    assert_ne!(option["required"], true, "{option}");
    let in_second = commands(&second);
    assert_eq!(in_second.len(), 6, "{in_second:?}");
    for command in &in_second {
        assert!(
            !has_site_option(command),
            "/{} has no `site` in guild 2: {command}",
            command["name"]
        );
    }
    assert_eq!(fake.registrations_in(GUILD_ID), 1);
    assert_eq!(fake.registrations_in(GUILD2_ID), 1);

    // Guild 2 has one site: its commands answer from it, with no option.
    let answer =
        fake.answered(&fake.slash_from(GUILD2_ID, GUILD2_CHANNEL_ID, "upcoming", json!([])));
    let text = answer_text(&answer);
    assert!(text.contains("Gamma English"), "{text}");
    for other in ["Alpha", "Beta"] {
        assert!(!text.contains(other), "only site c's events: {text}");
    }

    // Guild 1 has two: without `site`, a private reply naming them; with it, that site's events.
    let answer = fake.answered(&fake.slash("upcoming", json!([])));
    assert_eq!(answer["data"]["flags"], 64, "ephemeral: {answer}");
    let content = answer["data"]["content"].as_str().unwrap_or_default();
    assert!(content.contains("several sites: a, b"), "{answer}");
    let text = answer_text(&answer);
    for event in ["Alpha", "Beta", "Gamma"] {
        assert!(!text.contains(event), "no events without a site: {text}");
    }
    let answer = fake.answered(&fake.slash("upcoming", json!([site_option("b")])));
    let text = answer_text(&answer);
    assert!(
        text.contains("Beta English") && text.contains("Beta Hebrew"),
        "{text}"
    );
    for other in ["Alpha", "Gamma"] {
        assert!(!text.contains(other), "only site b's events: {text}");
    }
    let answer = fake.answered(&fake.slash("next", json!([site_option("a")])));
    let text = answer_text(&answer);
    assert!(text.contains("Alpha English"), "{text}");
    assert!(!text.contains("Beta") && !text.contains("Gamma"), "{text}");
    // The option's autocomplete offers the guild's sites, and only them.
    let complete = fake.answered(&fake.autocomplete(
        "upcoming",
        json!([{"name": "site", "type": 3, "value": "", "focused": true}]),
    ));
    let choices: Vec<&str> = complete["data"]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert_eq!(choices, ["a", "b"], "{complete}");
    assert_requests_valid(&fake);

    // A second start: the same commands are not registered again, and nothing is posted again.
    bot.stop();
    let posted = posts(&fake).len();
    let bot = crier.start();
    fake.wait_for_frame(START, 2).expect("the second IDENTIFY");
    let unchanged = "slash commands unchanged since they were last registered; not sent again";
    let end = Instant::now() + START;
    while count_in_log(&bot, unchanged) < 2 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The bot is up again: it answers.
    let answer =
        fake.answered(&fake.slash_from(GUILD2_ID, GUILD2_CHANNEL_ID, "upcoming", json!([])));
    assert!(answer_text(&answer).contains("Gamma English"), "{answer}");
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        (
            fake.registrations_in(GUILD_ID),
            fake.registrations_in(GUILD2_ID)
        ),
        (1, 1),
        "registered again though unchanged:\n{}",
        bot.logs()
    );
    assert_eq!(count_in_log(&bot, unchanged), 2, "{}", bot.logs());
    assert_eq!(posts(&fake).len(), posted, "nothing is posted again");
}

/// The lines of a `/healthz` answer.
fn lines(body: &str) -> Vec<&str> {
    body.lines().filter(|l| !l.is_empty()).collect()
}

/// Waits until `/healthz`'s body contains `needle`; then the answer.
fn wait_for_health_line(bot: &Crier, needle: &str) -> support::http::Response {
    let end = Instant::now() + START;
    loop {
        let answer = bot.get("/healthz");
        if answer.body.contains(needle) {
            return answer;
        }
        assert!(
            Instant::now() < end,
            "no `{needle}` in /healthz within {START:?}: {} {}\n{}",
            answer.status,
            answer.body,
            bot.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn time(v: &Value, key: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v[key].as_str().expect(key))
        .expect("rfc3339")
        .with_timezone(&Utc)
}

#[test]
fn a_sites_broken_source_leaves_the_others_announcing_on_time_and_is_its_own_health_line() {
    let site = Site::new();
    let start = in_secs(8);
    site.event_in(
        "a/events",
        "a1.md",
        &event_file("a1", "Alpha soon", start, "English", "reminders: [3s]\n"),
    );
    // b's folder does not exist; c's repository is a port nothing listens on.
    let refused = format!("http://127.0.0.1:{}/site.git", support::http::free_port());
    let sites = sites_toml(&[("a", "a/events", ""), ("b", "b/events", "")])
        + &format!("[[sites]]\nname = \"c\"\n[sites.source]\ngit = \"{refused}\"\n");
    let launched = Instant::now();
    let bot = site
        .crier()
        .unset("events_dir")
        .config(&sites)
        .listen()
        .start();

    let new = bot.next(START);
    assert_eq!(
        (label(&new).as_str(), new["site"].as_str()),
        ("a1 new", Some("a"))
    );
    assert!(
        launched.elapsed() < Duration::from_secs(5),
        "a's new event is announced at once, not after the others' failures: {:?}\n{}",
        launched.elapsed(),
        bot.logs()
    );
    let reminder = bot.next(Duration::from_secs(10));
    assert_eq!(label(&reminder), "a1 reminder 3s");
    assert_eq!(reminder["site"], "a");
    let late = time(&reminder, "sent_at") - time(&reminder, "due");
    assert!(
        late >= chrono::Duration::zero() && late < chrono::Duration::seconds(1),
        "the reminder was {late} late\n{}",
        bot.logs()
    );

    // One line per site, the broken ones unhealthy with their reason; 503 while any is.
    let health = wait_for_health_line(&bot, "site a: ok");
    assert_eq!(health.status, 503, "{}", health.body);
    let body = health.body.clone();
    let got = lines(&body);
    assert_eq!(got.len(), 3, "one line per site and nothing else: {body}");
    assert_eq!(got[0], "site a: ok", "{body}");
    assert!(got[1].starts_with("site b: unhealthy: "), "{body}");
    assert!(got[2].starts_with("site c: unhealthy: "), "{body}");
    assert!(
        got[2].contains("source") && !got[2].contains("ledger"),
        "c's line says its source cannot start, not that the ledger is broken: {body}"
    );
    // Every site's metrics, under its label.
    assert_eq!(bot.metric("crier_events_loaded{site=\"a\"}"), Some(1.0));
    assert_eq!(bot.metric("crier_events_loaded{site=\"b\"}"), Some(0.0));
    assert_eq!(bot.metric("crier_events_loaded{site=\"c\"}"), Some(0.0));
    assert_eq!(
        bot.metric("crier_events_loaded"),
        None,
        "no unlabelled count beside the sites'"
    );
    assert_eq!(
        bot.metric("crier_announcements_total{site=\"a\",kind=\"reminder\",result=\"sent\"}"),
        Some(1.0)
    );

    // b's folder appears: the next rescan reads it, announces its event, and b is healthy; c is
    // still broken, so still 503.
    site.event_in(
        "b/events",
        "b1.md",
        &event_file("b1", "Beta later", days(3), "English", ""),
    );
    let late_b = bot.next(Duration::from_secs(10));
    assert_eq!(
        (label(&late_b).as_str(), late_b["site"].as_str()),
        ("b1 new", Some("b"))
    );
    let health = wait_for_health_line(&bot, "site b: ok");
    assert_eq!(health.status, 503, "{}", health.body);
    assert!(health.body.contains("site c: unhealthy"), "{}", health.body);
    assert!(bot.collect(Duration::from_secs(1)).is_empty());
}

/// `GET path` until it is not 503 (a feed is built once the site's events are read).
fn get_ready(bot: &Crier, path: &str) -> support::http::Response {
    let end = Instant::now() + START;
    loop {
        let answer = bot.get(path);
        if answer.status != 503 || Instant::now() > end {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn console_run_json_names_each_lines_site_and_each_site_has_its_own_feed() {
    let site = Site::new();
    // The same id in both sites: two events, each announced in its own site.
    let files = [
        ("a/events", "meetup", "Alpha meetup", 3),
        ("a/events", "a2", "Alpha workshop", 4),
        ("b/events", "meetup", "Beta meetup", 5),
    ];
    for (folder, id, title, day) in files {
        site.event_in(
            folder,
            &format!("{id}.md"),
            &event_file(id, title, days(day), "English", ""),
        );
    }
    let sites = sites_toml(&[("a", "a/events", ""), ("b", "b/events", "")]);
    let bot = site.crier().config(&sites).listen().start();
    let mut got: Vec<(String, String, String)> = (0..3)
        .map(|_| {
            let line = bot.next(START);
            (
                line["site"].as_str().unwrap_or_default().to_string(),
                label(&line),
                line["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    got.sort();
    let owned = |site: &str, label: &str, title: &str| {
        (site.to_string(), label.to_string(), title.to_string())
    };
    assert_eq!(
        got,
        [
            owned("a", "a2 new", "Alpha workshop"),
            owned("a", "meetup new", "Alpha meetup"),
            owned("b", "meetup new", "Beta meetup"),
        ]
    );
    assert!(bot.collect(Duration::from_millis(1500)).is_empty());
    // Every site healthy: 200, with a line per site.
    let health = wait_for_health_line(&bot, "site b: ok");
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(
        lines(&health.body),
        ["ok", "site a: ok", "site b: ok"],
        "{}",
        health.body
    );

    let feed_a = get_ready(&bot, "/sites/a/events.ics");
    assert_eq!(feed_a.status, 200, "{}", feed_a.body);
    assert!(
        feed_a.body.contains("SUMMARY:Alpha meetup")
            && feed_a.body.contains("SUMMARY:Alpha workshop"),
        "{}",
        feed_a.body
    );
    assert!(!feed_a.body.contains("Beta"), "{}", feed_a.body);
    let feed_b = get_ready(&bot, "/sites/b/events.ics");
    assert_eq!(feed_b.status, 200, "{}", feed_b.body);
    assert!(
        feed_b.body.contains("SUMMARY:Beta meetup"),
        "{}",
        feed_b.body
    );
    assert!(!feed_b.body.contains("Alpha"), "{}", feed_b.body);
    assert_eq!(
        feed_b.body.matches("BEGIN:VEVENT").count(),
        1,
        "{}",
        feed_b.body
    );
    // With several sites there is no plain feed; a site without a webhook secret has no hook.
    for path in ["/events.ics", "/sites/c/events.ics", "/sites/a/events.ics/"] {
        assert_eq!(bot.get(path).status, 404, "{path}");
    }
    for path in ["/hooks/git/a", "/hooks/git/b", "/hooks/git"] {
        let answer = bot.request("POST", path, &[("Content-Type", "application/json")], b"{}");
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
    }
}

/// The configuration of two sites for the one-shot commands: a (with a broken file) and b.
fn two_sites_with_a_broken_file() -> (Site, Builder) {
    let site = Site::new();
    site.event_in(
        "a/events",
        "a1.md",
        &event_file("a1", "Alpha one", days(3), "English", ""),
    );
    site.event_in(
        "a/events",
        "broken.md",
        "---\nid: broken\ntitle: \"Broken\"\ndate: \"not a date\"\n---\n",
    );
    for (id, title, day) in [("b1", "Beta one", 4), ("b2", "Beta two", 5)] {
        site.event_in(
            "b/events",
            &format!("{id}.md"),
            &event_file(id, title, days(day), "English", ""),
        );
    }
    let crier = site
        .crier()
        .config(&sites_toml(&[("a", "a/events", ""), ("b", "b/events", "")]));
    (site, crier)
}

#[test]
fn one_shot_commands_work_on_the_site_they_are_given() {
    let (_site, crier) = two_sites_with_a_broken_file();

    let out = crier.output(&["list", "--site", "b", "--json"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let listed: Value = serde_json::from_str(&out.stdout).expect("a JSON array");
    let ids: Vec<&str> = listed
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(ids, ["b1", "b2"], "{}", out.stdout);

    // With several sites, a command on one site must be told which; the message names them.
    for args in [
        &["list"][..],
        &["list", "--site", "z"],
        &["ics"],
        &["schedule"],
    ] {
        let out = crier.output(args);
        assert_eq!(out.code, Some(2), "{args:?}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains("a, b"),
            "{args:?} names the sites: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }

    // `check` checks every site, each under its name; a's error fails it, b is still checked.
    let out = crier.output(&["check"]);
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    let text = out.stdout;
    let a = text
        .find("== site a ==")
        .unwrap_or_else(|| panic!("{text}"));
    let b = text
        .find("== site b ==")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(a < b, "{text}");
    assert_eq!(text.matches("== site ").count(), 2, "{text}");
    let (part_a, part_b) = (&text[a..b], &text[b..]);
    assert!(
        part_a.contains("broken.md") && part_a.contains("error"),
        "{text}"
    );
    assert!(
        part_a.contains("1 events") && part_a.contains("; 1 errors"),
        "{text}"
    );
    assert!(
        part_b.contains("2 events") && part_b.contains("; 0 errors"),
        "b's summary is printed after a's error: {text}"
    );
    assert!(!part_b.contains("broken.md"), "{text}");
    let out = crier.output(&["check", "--site", "b"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains("== site"), "{}", out.stdout);
    assert!(out.stdout.contains("2 events"), "{}", out.stdout);

    // a's calendar, written though a's broken file makes it exit 1 (as `ics` always has).
    let out = crier.output(&["ics", "--site", "a"]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("broken.md"), "{}", out.stderr);
    assert!(out.stdout.starts_with("BEGIN:VCALENDAR"), "{}", out.stdout);
    assert!(out.stdout.contains("SUMMARY:Alpha one"), "{}", out.stdout);
    assert!(!out.stdout.contains("Beta"), "{}", out.stdout);
    let out = crier.output(&["ics", "--site", "b"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("SUMMARY:Beta one") && out.stdout.contains("SUMMARY:Beta two"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("Alpha"), "{}", out.stdout);

    let out = crier.output(&["schedule", "--site", "b"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("Beta one"), "{}", out.stdout);
    assert!(!out.stdout.contains("Alpha"), "{}", out.stdout);
}

/// The ledger's tables as the release before `[[sites]]` (commit 37d4c1f, schema 4) created them:
/// its `SCHEMA` to `SCHEMA_4`, run in order on a new file.
const SCHEMA_4_LEDGER: [&str; 4] = [
    "
CREATE TABLE IF NOT EXISTS events (
    event_id   TEXT PRIMARY KEY,
    start      INTEGER NOT NULL,
    announced  INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS announcements (
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    due        INTEGER NOT NULL,
    status     TEXT NOT NULL,
    message_id TEXT,
    detail     TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event_id, kind, start)
);
CREATE INDEX IF NOT EXISTS announcements_updated ON announcements (updated_at);
",
    "
ALTER TABLE events ADD COLUMN source TEXT;
CREATE INDEX IF NOT EXISTS events_source ON events (source);
",
    "
CREATE TABLE IF NOT EXISTS recording_baselines (
    event_id TEXT PRIMARY KEY,
    taken_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recordings (
    event_id   TEXT NOT NULL,
    url        TEXT NOT NULL,
    announce   INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (event_id, url)
);
CREATE TABLE IF NOT EXISTS scheduled_events (
    event_id    TEXT PRIMARY KEY,
    discord_id  TEXT,
    state       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    start       INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
",
    "
ALTER TABLE announcements ADD COLUMN channel TEXT;
CREATE TABLE IF NOT EXISTS feed_sequences (
    event_id    TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    sequence    INTEGER NOT NULL
);
",
];

/// Writes `state/ledger.sqlite3` as the release before `[[sites]]` left it after a first run in
/// console mode that announced each of `events` (id, start, file) as new: the event tracked and
/// announced, its recordings baselined, and its `new` announcement sent.
fn schema_4_ledger(state: &Path, events: &[(&str, DateTime<Utc>, &Path)]) {
    std::fs::create_dir_all(state).expect("state/");
    let conn = rusqlite::Connection::open(state.join("ledger.sqlite3")).expect("sqlite");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    let tx = conn.unchecked_transaction().expect("tx");
    for schema in SCHEMA_4_LEDGER {
        tx.execute_batch(schema).expect("schema");
    }
    tx.pragma_update(None, "user_version", 4)
        .expect("user_version");
    let seen = Utc::now() - chrono::Duration::hours(1);
    let sent = seen + chrono::Duration::seconds(1);
    for (n, (id, start, source)) in events.iter().enumerate() {
        tx.execute(
            "INSERT INTO events (event_id, start, announced, first_seen, source) VALUES (?1, ?2, 1, ?3, ?4)",
            rusqlite::params![id, start.timestamp(), seen.to_rfc3339(), source.to_string_lossy()],
        )
        .expect("events row");
        tx.execute(
            "INSERT INTO recording_baselines (event_id, taken_at) VALUES (?1, ?2)",
            rusqlite::params![id, seen.to_rfc3339()],
        )
        .expect("baseline row");
        tx.execute(
            "INSERT INTO announcements (event_id, kind, start, due, status, message_id, detail, attempts, updated_at, channel)
             VALUES (?1, 'new', ?2, ?3, 'sent', ?4, NULL, 1, ?5, NULL)",
            rusqlite::params![
                id,
                start.timestamp(),
                seen.timestamp(),
                format!("console-4242-{}", n + 1),
                sent.to_rfc3339()
            ],
        )
        .expect("announcement row");
    }
    tx.commit().expect("commit");
}

/// The ledger's `sent` announcements after the upgrade: (site, event, kind), sorted.
fn sent_rows(state: &Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(state.join("ledger.sqlite3")).expect("sqlite");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .expect("user_version");
    assert_eq!(version, 5, "migrated to schema 5");
    let mut stmt = conn
        .prepare("SELECT site, event_id, kind FROM announcements WHERE status = 'sent' ORDER BY site, event_id, kind")
        .expect("select");
    let rows = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("rows");
    rows.collect::<Result<_, _>>().expect("rows")
}

fn row(site: &str, event: &str, kind: &str) -> (String, String, String) {
    (site.to_string(), event.to_string(), kind.to_string())
}

/// A site whose events `old1` and `old2` a schema-4 ledger records as announced, and a `fresh`
/// event it has never seen.
fn upgraded_site() -> Site {
    let site = Site::new();
    let mut old = Vec::new();
    for (id, day) in [("old1", 3), ("old2", 4)] {
        let start = days(day);
        site.event(
            &format!("{id}.md"),
            &event_file(id, &format!("Old {id}"), start, "English", ""),
        );
        old.push((id, start, site.path().join(format!("events/{id}.md"))));
    }
    site.event(
        "fresh.md",
        &event_file("fresh", "Fresh", days(5), "English", ""),
    );
    let events: Vec<(&str, DateTime<Utc>, &Path)> = old
        .iter()
        .map(|(id, start, p)| (*id, *start, p.as_path()))
        .collect();
    schema_4_ledger(&site.path().join("state"), &events);
    site
}

/// The `(site, label)` of each line `bot` prints until it is quiet for 2 s (at least `n` lines).
fn announced(bot: &Crier, n: usize) -> Vec<(String, String)> {
    let mut got: Vec<Value> = (0..n).map(|_| bot.next(START)).collect();
    got.extend(bot.collect(Duration::from_secs(2)));
    let mut out: Vec<(String, String)> = got
        .iter()
        .map(|v| (v["site"].as_str().unwrap_or_default().to_string(), label(v)))
        .collect();
    out.sort();
    out
}

#[test]
fn a_ledger_from_before_sites_posts_nothing_again_without_sites() {
    let site = upgraded_site();
    let mut bot = site.crier().start();
    assert_eq!(
        announced(&bot, 1),
        [("default".to_string(), "fresh new".to_string())],
        "only the event the old ledger does not know\n{}",
        bot.logs()
    );
    bot.stop();
    assert_eq!(
        sent_rows(&site.path().join("state")),
        [
            row("default", "fresh", "new"),
            row("default", "old1", "new"),
            row("default", "old2", "new"),
        ]
    );
}

#[test]
fn a_ledger_from_before_sites_posts_nothing_again_once_the_site_is_named() {
    let site = upgraded_site();
    site.event_in(
        "other/events",
        "o1.md",
        &event_file("o1", "Other one", days(3), "English", ""),
    );
    // The same site, moved under `[[sites]]` with a name, first; a new site after it.
    let sites = sites_toml(&[("main", "events", ""), ("other", "other/events", "")]);
    let mut bot = site.crier().config(&sites).start();
    assert_eq!(
        announced(&bot, 2),
        [
            ("main".to_string(), "fresh new".to_string()),
            ("other".to_string(), "o1 new".to_string()),
        ],
        "only the events the old ledger does not know\n{}",
        bot.logs()
    );
    bot.stop();
    assert_eq!(
        sent_rows(&site.path().join("state")),
        [
            row("main", "fresh", "new"),
            row("main", "old1", "new"),
            row("main", "old2", "new"),
            row("other", "o1", "new"),
        ],
        "the old rows are the named site's now"
    );
}
