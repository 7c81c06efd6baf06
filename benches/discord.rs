//! Figures of the Discord side, through the fake Discord on loopback, with the real (release) binary:
//!
//! 1. command handling with 10,000 events loaded: interaction dispatched by the fake to the callback
//!    the fake receives, p50/p99/max over 600 commands (a mix of /next, /upcoming, /event, autocomplete);
//! 2. announcement lateness: 60 reminders, two due each second for 30 seconds, the fake's receive time minus the
//!    due time, p50/p99/max.
//!
//! Run: `cargo bench --bench discord`. Plain `main`, not criterion: each sample is a whole round trip
//! through another process, and percentiles are what the targets name.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;
use support::fake_discord::{FakeDiscord, APP_ID, CHANNEL_ID, GUILD_ID};

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1000.0,
        percentile(&samples, 0.99).as_secs_f64() * 1000.0,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1000.0
    );
}

fn start_bot(fake: &FakeDiscord, site: &std::path::Path, announce_new: bool) -> Child {
    let config = format!(
        "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\n[reminders]\noffsets = []\nannounce_new = {announce_new}\n[discord]\napi_url = \"{}\"\nguild_id = \"{GUILD_ID}\"\nchannel_id = \"{CHANNEL_ID}\"\n",
        fake.api_url()
    );
    std::fs::write(site.join("config.toml"), config).expect("config");
    Command::new(env!("CARGO_BIN_EXE_crier"))
        .arg("run")
        .current_dir(site)
        .env("DISCORD_TOKEN", fake.token())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("crier starts")
}

fn write_event(site: &std::path::Path, i: usize, start: DateTime<Utc>, reminders: &str) {
    let text = format!(
        "---\nid: e{i}\ntitle: \"Meetup number {i}\"\ndate: \"{}\"\nonline: true\nregister: https://example.org/e/{i}\nreminders: [{reminders}]\ntalks:\n  - title: Talk {i}\n    speakers: [Speaker {}]\n---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true),
        i % 300
    );
    std::fs::write(site.join("events").join(format!("e{i:05}.md")), text).expect("write");
}

fn wait_registered(fake: &FakeDiscord) {
    fake.wait_for(Duration::from_secs(60), |r| {
        r.method == "PUT"
            && r.route() == format!("/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    })
    .expect("registered");
}

fn commands() {
    let fake = FakeDiscord::start();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("events")).expect("mkdir");
    let base = Utc::now().timestamp() + 86400;
    for i in 0..10_000 {
        let start = DateTime::from_timestamp(base + i as i64 * 3600, 0).expect("valid");
        write_event(dir.path(), i, start, "");
    }
    let mut bot = start_bot(&fake, dir.path(), false);
    wait_registered(&fake);
    std::thread::sleep(Duration::from_secs(1));
    let mut samples = Vec::new();
    for n in 0..600 {
        let sent = Instant::now();
        let id = match n % 4 {
            0 => fake.slash("next", json!([])),
            1 => fake.slash("upcoming", json!([{"name": "count", "type": 4, "value": 5}])),
            2 => fake.slash(
                "event",
                json!([{"name": "name", "type": 3, "value": format!("Meetup number {}", n * 13)}]),
            ),
            _ => fake.autocomplete(
                "event",
                json!([{"name": "name", "type": 3, "value": format!("number {}", n * 7), "focused": true}]),
            ),
        };
        let end = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(r) = fake.callbacks(&id).first() {
                samples.push(r.at.saturating_duration_since(sent));
                break;
            }
            assert!(Instant::now() < end, "command {n} not answered");
            std::thread::yield_now();
        }
    }
    let _ = bot.kill();
    let _ = bot.wait();
    report(
        "command handling, 10,000 events (dispatch to callback)",
        samples,
    );
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
    let mut bot = start_bot(&fake, dir.path(), false);
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

fn main() {
    // `cargo bench` passes flags such as --bench; this harness takes none.
    commands();
    lateness();
}
