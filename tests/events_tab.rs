//! The server's Events tab, kept by the real `crier run` binary against the fake Discord on 127.0.0.1:
//! created once, one PATCH per edit, nothing on a restart, cancelled and deleted with the files, no
//! duplicate after a crash, foreign events untouched, Discord's limit of 100, and announcements that
//! carry on without the permission. Every request is checked against Discord's OpenAPI description.

mod support;

use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use support::crier::Builder;
use support::fake_discord::{default_bot_permissions, FakeDiscord, Recorded, CHANNEL_ID};
use support::openapi::assert_requests_valid;
use support::site::Site;

/// The sync reads the Events tab back every second here (5 minutes by default).
const TAB: &str = "[discord]\nscheduled_events = true\nevents_refresh = \"1s\"\n";
const WAIT: Duration = Duration::from_secs(15);

fn whole_hours(n: i64) -> DateTime<Utc> {
    let now = Utc::now().timestamp();
    DateTime::from_timestamp(now - now % 3600 + n * 3600, 0).expect("valid")
}

fn event_file(id: &str, title: &str, start: DateTime<Utc>, extra: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: \"{title}\"\ndate: \"{}\"\nonline: false\nlocation: Hall A\nregister: https://example.org/{id}\ntalks:\n  - title: Async Rust\n    speakers: [Ada Example]\n{extra}---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

/// crier in `site` against `fake`, keeping the Events tab.
fn with_tab(site: &Site, fake: &FakeDiscord) -> Builder {
    site.crier().discord(fake).config(TAB)
}

fn is_tab(r: &Recorded) -> bool {
    r.route().contains("/scheduled-events")
}

fn writes(fake: &FakeDiscord) -> Vec<Recorded> {
    fake.requests()
        .into_iter()
        .filter(|r| is_tab(r) && r.method != "GET")
        .collect()
}

fn count(fake: &FakeDiscord, method: &str) -> usize {
    writes(fake).iter().filter(|r| r.method == method).count()
}

/// Waits until `n` requests of `method` reached the Events tab routes.
fn wait_writes(fake: &FakeDiscord, method: &str, n: usize) {
    let end = Instant::now() + WAIT;
    while count(fake, method) < n {
        assert!(
            Instant::now() < end,
            "{n} {method} expected, got {}: {:#?}",
            count(fake, method),
            writes(fake)
                .iter()
                .map(|r| format!("{} {}", r.method, r.path))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `n` reads of the Events tab after the call: by then the sync has done a whole pass.
fn wait_reads(fake: &FakeDiscord, n: usize) {
    let before = reads(fake);
    let end = Instant::now() + WAIT;
    while reads(fake) < before + n {
        assert!(Instant::now() < end, "the Events tab is not read back");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn reads(fake: &FakeDiscord) -> usize {
    fake.count(|r| is_tab(r) && r.method == "GET")
}

/// The bot's answer to an interaction.
fn answer(fake: &FakeDiscord, interaction: &str) -> Value {
    let end = Instant::now() + WAIT;
    loop {
        if let Some(r) = fake.callbacks(interaction).first() {
            return r.body.clone().expect("body");
        }
        assert!(
            Instant::now() < end,
            "interaction {interaction} not answered"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn ours(fake: &FakeDiscord) -> Vec<Value> {
    fake.scheduled_events()
        .into_iter()
        .filter(|e| e["creator_id"] == support::fake_discord::BOT_USER_ID)
        .collect()
}

#[test]
fn created_once_patched_per_edit_and_untouched_on_a_restart() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    let start = whole_hours(48);
    site.event("a.md", &event_file("a", "Rust night", start, ""));
    site.event(
        "b.md",
        &event_file("b", "Embedded day", whole_hours(72), ""),
    );
    site.event("past.md", &event_file("past", "Old", whole_hours(-48), ""));
    site.event(
        "off.md",
        &event_file("off", "Called off", whole_hours(96), "cancelled: true\n"),
    );
    let mut bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 2);
    wait_reads(&fake, 2);
    assert_eq!(
        writes(&fake).len(),
        2,
        "one create per upcoming event, none for past or cancelled ones"
    );
    let created = ours(&fake);
    let night = created
        .iter()
        .find(|e| e["name"] == "Rust night")
        .expect("created");
    assert_eq!(night["entity_type"], 3);
    assert_eq!(night["privacy_level"], 2);
    assert_eq!(night["entity_metadata"]["location"], "Hall A");
    let starts = |key: &str| {
        DateTime::parse_from_rfc3339(night[key].as_str().expect(key))
            .expect("time")
            .with_timezone(&Utc)
    };
    assert_eq!(starts("scheduled_start_time"), start);
    assert_eq!(
        starts("scheduled_end_time") - start,
        chrono::Duration::minutes(150),
        "the default length"
    );
    let description = night["description"].as_str().expect("description");
    assert!(
        description.contains("• Async Rust (Ada Example)"),
        "{description}"
    );
    assert!(
        description.contains("Register: https://example.org/a"),
        "{description}"
    );
    let night_id = night["id"].as_str().expect("id").to_string();

    // One edit, one PATCH, to that event.
    site.event(
        "a.md",
        &event_file(
            "a",
            "Rust night, moved",
            start + chrono::Duration::hours(1),
            "",
        ),
    );
    wait_writes(&fake, "PATCH", 1);
    wait_reads(&fake, 2);
    let patches: Vec<Recorded> = writes(&fake)
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 1, "one PATCH per edit");
    assert!(patches[0].route().ends_with(&night_id));
    let moved = fake.scheduled_event(&night_id).expect("still there");
    assert_eq!(moved["name"], "Rust night, moved");

    // A restart with nothing changed sends nothing.
    bot.kill();
    let before = writes(&fake).len();
    let _bot = with_tab(&site, &fake).start();
    wait_reads(&fake, 3);
    assert_eq!(
        writes(&fake).len(),
        before,
        "a restart with no change writes nothing"
    );
    assert_eq!(ours(&fake).len(), 2, "and creates no duplicate");
    assert_requests_valid(&fake);
}

#[test]
fn a_cancelled_event_is_cancelled_and_a_deleted_file_deletes_its_event() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    site.event("a.md", &event_file("a", "Rust night", whole_hours(48), ""));
    site.event(
        "b.md",
        &event_file("b", "Embedded day", whole_hours(72), ""),
    );
    let bot = with_tab(&site, &fake).listen().start();
    wait_writes(&fake, "POST", 2);
    let id_of = |name: &str| {
        ours(&fake)
            .into_iter()
            .find(|e| e["name"] == name)
            .and_then(|e| e["id"].as_str().map(str::to_string))
            .expect("created")
    };
    let (a, b) = (id_of("Rust night"), id_of("Embedded day"));
    site.event(
        "a.md",
        &event_file("a", "Rust night", whole_hours(48), "cancelled: true\n"),
    );
    wait_writes(&fake, "PATCH", 1);
    let cancel = writes(&fake)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("patch");
    assert_eq!(
        cancel.body.as_ref().map(|b| b["status"].clone()),
        Some(json!(4))
    );
    assert_eq!(fake.scheduled_event(&a).expect("kept")["status"], 4);
    site.remove("events/b.md");
    wait_writes(&fake, "DELETE", 1);
    assert!(fake.scheduled_event(&b).is_none(), "deleted with its file");
    wait_reads(&fake, 2);
    assert_eq!(count(&fake, "PATCH"), 1);
    assert_eq!(count(&fake, "DELETE"), 1);
    for (series, value) in [
        (
            "crier_scheduled_event_requests_total{action=\"create\",result=\"ok\"}",
            2.0,
        ),
        (
            "crier_scheduled_event_requests_total{action=\"cancel\",result=\"ok\"}",
            1.0,
        ),
        (
            "crier_scheduled_event_requests_total{action=\"delete\",result=\"ok\"}",
            1.0,
        ),
        ("crier_scheduled_events_kept", 0.0),
    ] {
        assert_eq!(bot.metric(series), Some(value), "{series}");
    }
    assert_requests_valid(&fake);
}

#[test]
fn a_kill_between_the_create_and_the_ledger_write_leaves_no_duplicate() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    site.event("a.md", &event_file("a", "Rust night", whole_hours(48), ""));
    // Discord creates the event, and the bot never hears back.
    fake.hold_next("POST", "/scheduled-events");
    let mut bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 1);
    bot.kill();
    assert_eq!(ours(&fake).len(), 1);
    let id = ours(&fake)[0]["id"].as_str().expect("id").to_string();
    let _bot = with_tab(&site, &fake).start();
    wait_reads(&fake, 3);
    assert_eq!(
        count(&fake, "POST"),
        1,
        "found by its marker, not created again"
    );
    assert_eq!(ours(&fake).len(), 1);
    // And it is crier's from then on: an edit patches it.
    site.event(
        "a.md",
        &event_file("a", "Rust night II", whole_hours(48), ""),
    );
    wait_writes(&fake, "PATCH", 1);
    assert_eq!(
        fake.scheduled_event(&id).expect("kept")["name"],
        "Rust night II"
    );
    assert_requests_valid(&fake);
}

#[test]
fn a_foreign_scheduled_event_is_never_touched() {
    let fake = FakeDiscord::start();
    let start = whole_hours(48);
    // A member's event with the very same name and time as the site's.
    let foreign = fake.add_foreign_scheduled_event(
        "Rust night",
        start,
        start + chrono::Duration::hours(2),
        "The pub",
    );
    let site = Site::new();
    site.event("a.md", &event_file("a", "Rust night", start, ""));
    let _bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 1);
    site.event(
        "a.md",
        &event_file("a", "Rust night", start, "cancelled: true\n"),
    );
    wait_writes(&fake, "PATCH", 1);
    site.remove("events/a.md");
    wait_writes(&fake, "DELETE", 1);
    wait_reads(&fake, 2);
    assert!(
        writes(&fake).iter().all(|r| !r.route().ends_with(&foreign)),
        "no request names the foreign event"
    );
    let kept = fake.scheduled_event(&foreign).expect("still there");
    assert_eq!(kept["status"], 1);
    assert_eq!(kept["name"], "Rust night");
    assert_requests_valid(&fake);
}

#[test]
fn the_nearest_events_take_discords_100_places() {
    let fake = FakeDiscord::start();
    let start = whole_hours(24);
    fake.add_foreign_scheduled_event(
        "Members' picnic",
        start,
        start + chrono::Duration::hours(2),
        "Park",
    );
    let site = Site::new();
    for i in 0..105 {
        site.event(
            &format!("e{i:03}.md"),
            &event_file(
                &format!("e{i:03}"),
                &format!("Meetup {i}"),
                whole_hours(48 + i),
                "",
            ),
        );
    }
    let _bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 99);
    wait_reads(&fake, 2);
    assert_eq!(
        count(&fake, "POST"),
        99,
        "the foreign event takes one of the 100 places"
    );
    let names: Vec<String> = ours(&fake)
        .iter()
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    assert!(names.contains(&"Meetup 0".to_string()) && names.contains(&"Meetup 98".to_string()));
    assert!(
        !names.contains(&"Meetup 99".to_string()),
        "the farthest wait their turn"
    );
    // A nearer event: the farthest one makes room for it.
    site.event(
        "early.md",
        &event_file("early", "Early bird", whole_hours(30), ""),
    );
    wait_writes(&fake, "POST", 100);
    wait_writes(&fake, "DELETE", 1);
    let names: Vec<String> = ours(&fake)
        .iter()
        .filter_map(|e| e["name"].as_str().map(str::to_string))
        .collect();
    assert!(names.contains(&"Early bird".to_string()));
    assert!(!names.contains(&"Meetup 98".to_string()));
    assert_eq!(ours(&fake).len(), 99);
    assert_requests_valid(&fake);
}

#[test]
fn without_the_events_permissions_announcements_still_go_out() {
    let fake = FakeDiscord::start();
    use serenity::model::Permissions;
    let without = Permissions::from_bits_truncate(default_bot_permissions())
        - Permissions::CREATE_EVENTS
        - Permissions::MANAGE_EVENTS;
    fake.set_bot_permissions(without.bits());
    let site = Site::new();
    site.event("a.md", &event_file("a", "Rust night", whole_hours(48), ""));
    let bot = with_tab(&site, &fake).start();
    fake.wait_for(WAIT, |r| {
        r.method == "POST" && r.route() == format!("/channels/{CHANNEL_ID}/messages")
    })
    .expect("the announcement is posted");
    wait_reads(&fake, 2);
    // At most one create per read, to notice a grant, each refused.
    assert!(
        count(&fake, "POST") <= reads(&fake),
        "{}",
        count(&fake, "POST")
    );
    assert!(ours(&fake).is_empty());
    let logs = bot.logs();
    let line = "the bot lacks Create Events and Manage Events";
    assert_eq!(logs.matches(line).count(), 1, "one clear line:\n{logs}");
    assert!(
        logs.contains("Create Events (for `discord.scheduled_events`): MISSING"),
        "{logs}"
    );
    let interaction = fake.slash(
        "crier",
        json!([{"name": "status", "type": 1, "options": []}]),
    );
    let status = answer(&fake, &interaction);
    let text = status["data"]["embeds"][0]["description"]
        .as_str()
        .expect("status");
    assert!(
        text.contains("⚠ Events tab: the bot lacks Create Events"),
        "{text}"
    );
    // Granted later: noticed at the next read, with no restart.
    fake.set_bot_permissions(default_bot_permissions());
    let end = Instant::now() + WAIT;
    while ours(&fake).is_empty() {
        assert!(
            Instant::now() < end,
            "created once the permission is granted"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_requests_valid(&fake);
}

#[test]
fn interested_counts_show_in_event_and_next() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    site.event("a.md", &event_file("a", "Rust night", whole_hours(48), ""));
    let _bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 1);
    let id = ours(&fake)[0]["id"].as_str().expect("id").to_string();
    fake.set_user_count(&id, 42);
    wait_reads(&fake, 2);
    for (command, options) in [
        ("next", json!([])),
        (
            "event",
            json!([{"name": "name", "type": 3, "value": "Rust night"}]),
        ),
    ] {
        let interaction = fake.slash(command, options);
        let body = answer(&fake, &interaction);
        let fields = body["data"]["embeds"][0]["fields"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            fields
                .iter()
                .any(|f| f["name"] == "Interested" && f["value"] == "42"),
            "/{command}: {body}"
        );
    }
    assert_requests_valid(&fake);
}

#[test]
fn a_429_or_a_500_is_retried_and_still_creates_one_event() {
    let fake = FakeDiscord::start();
    fake.queue_fault(
        "POST",
        "/scheduled-events",
        429,
        &[("retry-after", "1"), ("x-ratelimit-scope", "user")],
        json!({"message": "You are being rate limited.", "retry_after": 0.5, "global": false}),
    );
    fake.queue_fault(
        "POST",
        "/scheduled-events",
        500,
        &[],
        json!({"message": "500: Internal Server Error", "code": 0}),
    );
    let site = Site::new();
    site.event("a.md", &event_file("a", "Rust night", whole_hours(48), ""));
    let _bot = with_tab(&site, &fake).start();
    let end = Instant::now() + WAIT;
    while ours(&fake).is_empty() {
        assert!(Instant::now() < end, "created after the retries");
        std::thread::sleep(Duration::from_millis(20));
    }
    wait_reads(&fake, 2);
    assert_eq!(count(&fake, "POST"), 3, "two refused, then one that took");
    assert_eq!(ours(&fake).len(), 1);
    assert_requests_valid(&fake);
}

#[test]
fn a_stuck_events_tab_request_does_not_delay_an_announcement() {
    let fake = FakeDiscord::start();
    // Discord never answers the create (the request times out after 10 s).
    fake.hold_next("POST", "/scheduled-events");
    let site = Site::new();
    let now = Utc::now().timestamp();
    let start = DateTime::from_timestamp(now + 6, 0).expect("valid");
    site.event(
        "a.md",
        &event_file("a", "Rust night", start, "reminders: [3s]\n"),
    );
    // A later event, whose create is the one that hangs (one starting within a minute gets none).
    site.event(
        "b.md",
        &event_file("b", "Embedded day", whole_hours(48), ""),
    );
    let began = Instant::now();
    let began_utc = Utc::now();
    let _bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 1);
    let is_post = |r: &Recorded| {
        r.method == "POST" && r.route() == format!("/channels/{CHANNEL_ID}/messages")
    };
    let reminder = fake
        .wait_for(WAIT, |r| {
            is_post(r)
                && r.body.as_ref().is_some_and(|b| {
                    b["embeds"][0]["title"] == "Rust night"
                        && b["embeds"][0]["footer"]["text"]
                            .as_str()
                            .is_some_and(|f| f.starts_with("Reminder"))
                })
        })
        .expect("the reminder");
    let due = began
        + (start - chrono::Duration::seconds(3) - began_utc)
            .to_std()
            .expect("future");
    assert!(reminder.at + Duration::from_millis(50) >= due, "not early");
    let late = reminder.at.saturating_duration_since(due);
    assert!(
        late < Duration::from_millis(500),
        "the reminder was {late:?} late"
    );
}

#[test]
fn a_refused_event_is_not_sent_again_until_its_file_changes() {
    let fake = FakeDiscord::start();
    fake.queue_fault(
        "POST",
        "/scheduled-events",
        400,
        &[],
        json!({"message": "Invalid Form Body", "code": 50035, "errors": {}}),
    );
    let site = Site::new();
    let start = whole_hours(48);
    site.event("a.md", &event_file("a", "Rust night", start, ""));
    let bot = with_tab(&site, &fake).start();
    wait_writes(&fake, "POST", 1);
    wait_reads(&fake, 3);
    assert_eq!(
        count(&fake, "POST"),
        1,
        "the same refused spec is not sent again"
    );
    assert_eq!(
        bot.logs()
            .matches("Discord refused an Events tab request")
            .count(),
        1
    );
    site.event("a.md", &event_file("a", "Rust night, fixed", start, ""));
    wait_writes(&fake, "POST", 2);
    assert_eq!(ours(&fake).len(), 1);
    assert_requests_valid(&fake);
}
