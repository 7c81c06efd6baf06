//! The real `crier run` binary with a Discord token, against a fake Discord on 127.0.0.1 (REST and
//! gateway, `tests/support/fake_discord.rs`). Every request crier sends is also checked against
//! Discord's OpenAPI description.

mod support;

use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use support::fake_discord::{FakeDiscord, Recorded, APP_ID, CHANNEL_ID};
use support::openapi::assert_requests_valid;
use support::site::{in_secs, Site};

const START: Duration = Duration::from_secs(10);

/// A long abstract, longer than a command shows, that tries to ping everyone.
const ABSTRACT: &str = "\"Why futures are lazy, @everyone. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. THE END.\"";

fn event_file(id: &str, title: &str, start: DateTime<Utc>, reminders: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: \"{title}\"\ndate: \"{}\"\nonline: false\nlocation: Hall A\nlanguage: English\nregister: https://example.org/{id}\nreminders: [{reminders}]\ntalks:\n  - title: Async Rust\n    speakers:\n      - name: Ada Example\n        github: ada\n    length: 30\n    abstract: {ABSTRACT}\n  - title: Macros\n    speakers: [Bob Example]\n---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

#[test]
fn start_up_identifies_with_guilds_intent_and_registers_commands_in_the_guild_only() {
    let fake = FakeDiscord::start();
    let site = Site::with_events([("a.md", event_file("a", "Rust night", in_secs(3600), ""))]);
    let bot = site.crier().discord(&fake).start();
    let identify = fake.wait_for_frame(START, 2).expect("IDENTIFY");
    assert_eq!(identify["d"]["intents"], 1, "GUILDS only");
    let put = fake.registered(START);
    let names: Vec<&str> = put
        .body
        .as_ref()
        .and_then(Value::as_array)
        .expect("a command list")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["upcoming", "next", "event", "talks", "speakers", "crier"]
    );
    // Preflight checked the token and the channel before anything else.
    assert!(fake.count(|r| r.method == "GET" && r.route() == "/users/@me") >= 1);
    assert!(
        fake.count(|r| r.method == "GET" && r.route() == format!("/channels/{CHANNEL_ID}")) >= 1
    );
    // Never both guild and global registration.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        fake.count(|r| r.method == "PUT" && r.route() == format!("/applications/{APP_ID}/commands")),
        0
    );
    let logs = bot.logs();
    assert!(
        !logs.contains(fake.token()),
        "the token is never logged:\n{logs}"
    );
    assert!(logs.contains("a Discord token is set"), "{logs}");
    assert_requests_valid(&fake);
}

#[test]
fn an_announcement_is_posted_once_on_time_with_no_mentions_allowed() {
    let fake = FakeDiscord::start();
    let start = in_secs(6);
    let site = Site::with_events([("a.md", event_file("a", "Rust night @everyone", start, "3s"))]);
    let began = Instant::now();
    let began_utc = Utc::now();
    let _bot = site.crier().discord(&fake).start();
    let first = fake
        .wait_for(START, Recorded::is_post_message)
        .expect("the new-event announcement");
    let body = first.body.clone().expect("json");
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(body["allowed_mentions"]["roles"], json!([]));
    assert_eq!(body["allowed_mentions"]["users"], json!([]));
    assert_eq!(body["enforce_nonce"], true);
    assert!(body["nonce"].as_str().is_some_and(|n| n.len() <= 25));
    let embed = &body["embeds"][0];
    let title = embed["title"].as_str().expect("title");
    assert!(!title.contains("@everyone"), "neutralised: {title}");
    assert_eq!(embed["url"], "https://example.org/a");
    assert_eq!(
        embed["fields"][0]["value"],
        format!("<t:{0}:F> (<t:{0}:R>)", start.timestamp())
    );
    assert!(embed["description"]
        .as_str()
        .expect("description")
        .contains("[Ada Example](https://github.com/ada)"));
    assert_eq!(
        body["components"][0]["components"][0]["url"],
        "https://example.org/a"
    );
    assert_eq!(body["components"][0]["components"][0]["label"], "Register");
    // The reminder, 3 s before the start, on time.
    let reminder = fake
        .wait_for(START, |r| r.is_post_message() && r.at > first.at)
        .expect("the reminder");
    let due = began
        + (start - chrono::Duration::seconds(3) - began_utc)
            .to_std()
            .expect("future");
    let late = reminder.at.saturating_duration_since(due);
    assert!(reminder.at + Duration::from_millis(50) >= due, "not early");
    assert!(late < Duration::from_millis(500), "{late:?} late");
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(
        fake.count(Recorded::is_post_message),
        2,
        "each announcement exactly once"
    );
    assert_requests_valid(&fake);
}

#[test]
fn a_429_then_a_500_then_success_posts_exactly_once() {
    let fake = FakeDiscord::start();
    let path = format!("/channels/{CHANNEL_ID}/messages");
    fake.queue_fault("POST", &path, 429, &[("retry-after", "0.5")], json!({"message": "You are being rate limited.", "retry_after": 0.5, "global": false, "code": 0}));
    fake.queue_fault(
        "POST",
        &path,
        500,
        &[],
        json!({"message": "internal", "code": 0}),
    );
    let site = Site::with_events([("a.md", event_file("a", "Rust night", in_secs(3600), ""))]);
    let bot = site.crier().discord(&fake).start();
    let attempts = || fake.count(Recorded::is_post_message);
    let end = Instant::now() + Duration::from_secs(15);
    while attempts() < 3 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(attempts(), 3, "{}", bot.logs());
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(attempts(), 3, "no more after the success");
    let nonces: Vec<Value> = fake
        .requests()
        .iter()
        .filter(|r| r.is_post_message())
        .map(|r| r.body.clone().unwrap_or_default()["nonce"].clone())
        .collect();
    assert!(
        nonces.windows(2).all(|w| w[0] == w[1]),
        "one nonce for every attempt: {nonces:?}"
    );
}

#[test]
fn a_403_is_not_retried_and_says_what_is_missing() {
    let fake = FakeDiscord::start();
    let path = format!("/channels/{CHANNEL_ID}/messages");
    fake.queue_fault(
        "POST",
        &path,
        403,
        &[],
        json!({"message": "Missing Permissions", "code": 50013}),
    );
    let site = Site::with_events([("a.md", event_file("a", "Rust night", in_secs(3600), ""))]);
    let bot = site.crier().discord(&fake).start();
    fake.wait_for(START, Recorded::is_post_message)
        .expect("a first attempt");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        fake.count(Recorded::is_post_message),
        1,
        "403 is not retried"
    );
    let logs = bot.logs();
    assert!(
        logs.contains("lacks View Channel, Send Messages or Embed Links"),
        "{logs}"
    );
}

#[test]
fn preflight_prints_missing_permissions_and_exits() {
    let fake = FakeDiscord::start();
    fake.set_bot_permissions(1 << 10); // VIEW_CHANNEL only
    let site = Site::new();
    let mut bot = site.crier().discord(&fake).start();
    assert_eq!(bot.exit_code(START), Some(1));
    let logs = bot.logs();
    assert!(logs.contains("Send Messages: MISSING"), "{logs}");
    assert!(logs.contains("lacks permissions"), "{logs}");
    assert_eq!(fake.count(Recorded::is_post_message), 0);
}

#[test]
fn a_bad_token_exits_non_zero_with_a_clear_message() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    let mut bot = site
        .crier()
        .discord(&fake)
        .env("DISCORD_TOKEN", "wrong-token")
        .start();
    assert_eq!(bot.exit_code(START), Some(1));
    let logs = bot.logs();
    assert!(logs.contains("Discord rejected the bot token"), "{logs}");
    assert!(
        !logs.contains("wrong-token"),
        "the token is never printed:\n{logs}"
    );
}

#[test]
fn gateway_close_4004_exits_non_zero() {
    let fake = FakeDiscord::start();
    let site = Site::new();
    let mut bot = site.crier().discord(&fake).start();
    fake.registered(START);
    fake.close(4004);
    assert_eq!(bot.exit_code(START), Some(1), "{}", bot.logs());
    assert!(bot.logs().contains("close 4004"), "{}", bot.logs());
}

#[test]
fn gateway_reconnect_drop_and_invalid_session_resume_and_still_answer() {
    let fake = FakeDiscord::start();
    let site = Site::with_events([("a.md", event_file("a", "Rust night", in_secs(3600), ""))]);
    let _bot = site.crier().discord(&fake).start();
    fake.registered(START);
    fake.send_raw(json!({"op": 7, "d": null}));
    fake.wait_for_frame(START, 6)
        .expect("RESUME after RECONNECT");
    fake.drop_socket();
    fake.wait_for_frame(START, 6)
        .expect("RESUME after a dropped socket");
    fake.send_raw(json!({"op": 9, "d": true}));
    fake.wait_for_frame(START, 6)
        .expect("RESUME after a resumable INVALID_SESSION");
    let id = fake.slash("next", json!([]));
    let reply = fake.answered(&id);
    assert_eq!(reply["type"], 4);
    assert_eq!(reply["data"]["embeds"][0]["title"], "Rust night");
    assert_requests_valid(&fake);
}

#[test]
fn slash_commands_answer_with_embeds_autocomplete_and_paging() {
    let fake = FakeDiscord::start();
    let mut events: Vec<(String, String)> = (0..14)
        .map(|i| {
            let id = format!("e{i:02}");
            let text = event_file(&id, &format!("Meetup {i:02}"), in_secs(3600 * (i + 1)), "");
            (format!("{id}.md"), text)
        })
        .collect();
    events.push((
        "past.md".into(),
        event_file("past", "Old meetup", in_secs(-86400), ""),
    ));
    let site = Site::with_events(events);
    let _bot = site.crier().discord(&fake).start();
    fake.registered(START);

    let next = fake.answered(&fake.slash("next", json!([])));
    assert_eq!(next["data"]["embeds"][0]["title"], "Meetup 00");
    assert_eq!(next["data"]["allowed_mentions"]["parse"], json!([]));

    let event = fake.answered(&fake.slash(
        "event",
        json!([{"name": "name", "type": 3, "value": "meetup 03"}]),
    ));
    assert_eq!(event["data"]["embeds"][0]["title"], "Meetup 03");
    // Each talk's abstract, as a quote, cut to fit, and unable to ping.
    let description = event["data"]["embeds"][0]["description"]
        .as_str()
        .expect("event description");
    assert!(
        description.contains("**Async Rust** (30 min), [Ada Example](https://github.com/ada)\n> Why futures are lazy, @\u{200b}everyone."),
        "{description}"
    );
    assert!(!description.contains("THE END"), "cut: {description}");
    assert!(description.contains('…'), "{description}");
    let past = fake.answered(&fake.slash(
        "event",
        json!([{"name": "name", "type": 3, "value": "Old"}]),
    ));
    assert_eq!(past["data"]["embeds"][0]["title"], "Old meetup");

    let talks = fake.answered(&fake.slash("talks", json!([])));
    let description = talks["data"]["embeds"][0]["description"]
        .as_str()
        .expect("talks");
    assert!(
        description.contains("**Async Rust** (30 min)"),
        "{description}"
    );
    assert!(
        description.contains("> Why futures are lazy, @\u{200b}everyone."),
        "{description}"
    );
    assert!(
        description.contains("[Ada Example](https://github.com/ada)"),
        "{description}"
    );

    let speakers = fake.answered(&fake.slash(
        "speakers",
        json!([{"name": "name", "type": 3, "value": "Bob Example"}]),
    ));
    let text = speakers["data"]["embeds"][0]["description"]
        .as_str()
        .expect("speaker");
    assert_eq!(
        text.matches("**Macros**").count(),
        15,
        "all 15 talks, upcoming and past: {text}"
    );

    let complete = fake.answered(&fake.autocomplete(
        "event",
        json!([{"name": "name", "type": 3, "value": "meetup 1", "focused": true}]),
    ));
    assert_eq!(complete["type"], 8);
    let choices: Vec<&str> = complete["data"]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(
        choices,
        ["Meetup 10", "Meetup 11", "Meetup 12", "Meetup 13"]
    );

    let upcoming = fake.answered(&fake.slash("upcoming", json!([])));
    assert_eq!(
        upcoming["data"]["embeds"][0]["footer"]["text"],
        "Page 1 of 2"
    );
    let buttons = &upcoming["data"]["components"][0]["components"];
    assert_eq!(buttons[1]["custom_id"], "crier:page:upcoming:1");
    let page = fake.answered(&fake.click("crier:page:upcoming:1", "900000000000000099"));
    assert_eq!(page["type"], 7, "UPDATE_MESSAGE");
    assert_eq!(page["data"]["embeds"][0]["footer"]["text"], "Page 2 of 2");
    assert!(page["data"]["embeds"][0]["description"]
        .as_str()
        .expect("page")
        .contains("Meetup 13"));

    let status = fake.answered(&fake.slash(
        "crier",
        json!([{"name": "status", "type": 1, "options": []}]),
    ));
    assert_eq!(status["data"]["flags"], 64, "ephemeral");
    let text = status["data"]["embeds"][0]["description"]
        .as_str()
        .expect("status");
    assert!(text.contains("**15 events** loaded, 14 upcoming"), "{text}");
    assert_requests_valid(&fake);
}

/// The `name`s of an answer's autocomplete choices.
fn choice_names(answer: &Value) -> Vec<&str> {
    answer["data"]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect()
}

fn embed_text<'a>(answer: &'a Value, field: &str) -> &'a str {
    answer["data"]["embeds"][0][field]
        .as_str()
        .unwrap_or_else(|| panic!("an embed {field}: {answer}"))
}

#[test]
fn the_group_option_narrows_the_commands_to_one_groups_events() {
    let fake = FakeDiscord::start();
    let file = |id: &str, title: &str, hours: i64, group: Option<&str>| {
        let mut text = event_file(id, title, in_secs(3600 * hours), "");
        if let Some(group) = group {
            text = text.replacen("---\n", &format!("---\ngroup: {group}\n"), 1);
        }
        (format!("{id}.md"), text)
    };
    let mut events = vec![
        file("none", "Ungrouped night", 1, None),
        file("tlv1", "TLV one", 2, Some("tlv")),
        file("berlin1", "Berlin one", 3, Some("berlin")),
        file("tlv2", "TLV two", 4, Some("TLV")),
        // Another spelling of the same group.
        file("berlin2", "Berlin two", 5, Some("Berlin")),
        file("tlvpast", "TLV past", -24, Some("tlv")),
    ];
    // Enough tlv events for a second page.
    events.extend((0..10).map(|i| {
        file(
            &format!("x{i}"),
            &format!("TLV extra {i}"),
            10 + i,
            Some("tlv"),
        )
    }));
    let site = Site::with_events(events);
    let _bot = site.crier().discord(&fake).start();

    // Every command that lists or finds events takes an optional, autocompleted `group`.
    let put = fake.registered(START);
    for command in put
        .body
        .as_ref()
        .and_then(Value::as_array)
        .expect("a command list")
    {
        let name = command["name"].as_str().expect("a name");
        let group = command["options"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|o| o["name"] == "group");
        if name == "crier" {
            assert!(group.is_none(), "{command}");
            continue;
        }
        let group = group.unwrap_or_else(|| panic!("/{name} has a group option: {command}"));
        assert_eq!(group["type"], 3, "a string: {group}");
        assert_eq!(group["autocomplete"], true, "{group}");
        assert_ne!(group["required"], true, "{group}");
        assert_eq!(
            group["description"],
            "Only this group's events (the `group:` of the event files)"
        );
    }

    let group = |value: &str| json!({"name": "group", "type": 3, "value": value});
    let upcoming = fake.answered(&fake.slash("upcoming", json!([group("tlv")])));
    assert_eq!(embed_text(&upcoming, "title"), "Upcoming events in tlv");
    let text = embed_text(&upcoming, "description");
    assert!(
        text.contains("TLV one") && text.contains("TLV two"),
        "{text}"
    );
    for other in ["Berlin", "Ungrouped", "TLV past"] {
        assert!(!text.contains(other), "only tlv's upcoming events: {text}");
    }
    assert_eq!(
        upcoming["data"]["embeds"][0]["footer"]["text"],
        "Page 1 of 2"
    );
    // The buttons carry the group, so the next page is tlv's too, even after a restart.
    let next_page = upcoming["data"]["components"][0]["components"][1]["custom_id"]
        .as_str()
        .expect("a Next button");
    assert!(
        next_page.starts_with("crier:page:upcoming.") && next_page.ends_with(":1"),
        "{next_page}"
    );
    let page = fake.answered(&fake.click(next_page, "900000000000000098"));
    assert_eq!(page["type"], 7, "UPDATE_MESSAGE");
    assert_eq!(embed_text(&page, "title"), "Upcoming events in tlv");
    assert_eq!(page["data"]["embeds"][0]["footer"]["text"], "Page 2 of 2");
    let text = embed_text(&page, "description");
    assert!(
        text.contains("TLV extra 9") && !text.contains("Berlin"),
        "{text}"
    );

    // A button whose group no event names any more (the files changed since): said privately.
    let gone = fake.answered(&fake.click(
        "crier:page:upcoming.0000000000000000:1",
        "900000000000000097",
    ));
    assert_eq!(gone["type"], 4, "a message, not an update: {gone}");
    assert_eq!(gone["data"]["flags"], 64, "ephemeral");
    assert_eq!(
        gone["data"]["content"],
        "No events are in this list's group any more."
    );

    let counted = fake.answered(&fake.slash(
        "upcoming",
        json!([{"name": "count", "type": 4, "value": 1}, group("TLV")]),
    ));
    let text = embed_text(&counted, "description");
    assert!(
        text.contains("TLV one") && !text.contains("TLV two"),
        "{text}"
    );

    // Any case, spaces around: the next berlin event, though others come first.
    let next = fake.answered(&fake.slash("next", json!([group(" BERLIN ")])));
    assert_eq!(embed_text(&next, "title"), "Berlin one");
    let next = fake.answered(&fake.slash("next", json!([])));
    assert_eq!(
        embed_text(&next, "title"),
        "Ungrouped night",
        "no group: as before"
    );

    let name = |value: &str| json!({"name": "name", "type": 3, "value": value});
    let found = fake.answered(&fake.slash("event", json!([name("one")])));
    assert_eq!(embed_text(&found, "title"), "TLV one");
    let found = fake.answered(&fake.slash("event", json!([name("one"), group("berlin")])));
    assert_eq!(embed_text(&found, "title"), "Berlin one");
    let missing = fake.answered(&fake.slash("event", json!([name("Ungrouped"), group("berlin")])));
    assert_eq!(missing["data"]["flags"], 64, "ephemeral");
    assert_eq!(
        missing["data"]["content"],
        "No event matches “Ungrouped” in the group `berlin`."
    );

    let talks = fake.answered(&fake.slash("talks", json!([group("berlin")])));
    assert_eq!(embed_text(&talks, "title"), "Talks: Berlin one");

    let speakers = fake.answered(&fake.slash("speakers", json!([group("berlin")])));
    assert_eq!(
        embed_text(&speakers, "title"),
        "Speakers of upcoming events in berlin"
    );
    let text = embed_text(&speakers, "description");
    assert!(
        text.contains("(Berlin one)") && !text.contains("TLV"),
        "{text}"
    );
    let speaker =
        fake.answered(&fake.slash("speakers", json!([name("Bob Example"), group("berlin")])));
    let text = embed_text(&speaker, "description");
    assert_eq!(
        text.matches("**Macros**").count(),
        2,
        "berlin's two: {text}"
    );

    // The groups, once each whatever the spelling, sorted, narrowed by what is typed.
    let typed = |value: &str| json!({"name": "group", "type": 3, "value": value, "focused": true});
    let complete = fake.answered(&fake.autocomplete("upcoming", json!([typed("")])));
    assert_eq!(complete["type"], 8);
    assert_eq!(choice_names(&complete), ["berlin", "tlv"]);
    let complete = fake.answered(&fake.autocomplete("next", json!([typed("T")])));
    assert_eq!(choice_names(&complete), ["tlv"]);
    let complete = fake.answered(&fake.autocomplete("event", json!([name("x"), typed("er")])));
    assert_eq!(choice_names(&complete), ["berlin"]);

    // Titles offered: only the group's once it is filled in.
    let title = |value: &str| json!({"name": "name", "type": 3, "value": value, "focused": true});
    let complete = fake.answered(&fake.autocomplete("event", json!([title("one")])));
    assert_eq!(choice_names(&complete), ["TLV one", "Berlin one"]);
    let complete =
        fake.answered(&fake.autocomplete("event", json!([title("one"), group("Berlin")])));
    assert_eq!(choice_names(&complete), ["Berlin one"]);
    let complete = fake.answered(&fake.autocomplete(
        "talks",
        json!([{"name": "event", "type": 3, "value": "", "focused": true}, group("berlin")]),
    ));
    assert_eq!(choice_names(&complete), ["Berlin one", "Berlin two"]);

    // A group no event has: said privately, with the groups there are.
    for command in ["upcoming", "next", "event", "talks", "speakers"] {
        let mut options = vec![group("rust-tlv")];
        if command == "event" {
            options.insert(0, name("one"));
        }
        let unknown = fake.answered(&fake.slash(command, json!(options)));
        assert_eq!(unknown["type"], 4, "/{command}");
        assert_eq!(unknown["data"]["flags"], 64, "/{command}: ephemeral");
        assert_eq!(
            unknown["data"]["content"],
            "No events in the group `rust-tlv`; the groups are: berlin, tlv.",
            "/{command}"
        );
    }
    assert_requests_valid(&fake);
}

#[test]
fn kill_9_between_the_post_and_the_ledger_write_resends_the_same_nonce() {
    let fake = FakeDiscord::start();
    fake.hold_next("POST", &format!("/channels/{CHANNEL_ID}/messages"));
    let site = Site::with_events([("a.md", event_file("a", "Rust night", in_secs(3600), ""))]);
    let mut bot = site.crier().discord(&fake).start();
    let first = fake
        .wait_for(START, Recorded::is_post_message)
        .expect("the first POST");
    bot.kill();
    let _again = site.crier().discord(&fake).start();
    let second = fake
        .wait_for(START, |r| r.is_post_message() && r.at > first.at)
        .expect("the resend after restart");
    let nonce = |r: &Recorded| r.body.clone().unwrap_or_default()["nonce"].clone();
    assert_eq!(nonce(&first), nonce(&second));
    assert_eq!(
        second.body.clone().unwrap_or_default()["enforce_nonce"],
        true
    );
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        fake.count(Recorded::is_post_message),
        2,
        "nothing else is sent"
    );
}

#[test]
fn a_recording_is_posted_with_a_watch_button_and_no_mentions() {
    let fake = FakeDiscord::start();
    let past = in_secs(-86_400);
    let talk = |video: &str| {
        format!(
            "---\nid: old\ntitle: \"Rust night\"\ndate: \"{}\"\nregister: https://example.org/old\ntalks:\n  - title: \"Async @everyone\"\n    speakers: [Ada Example]\n{video}---\n",
            past.to_rfc3339_opts(SecondsFormat::Secs, true)
        )
    };
    let site = Site::with_events([("old.md", talk(""))]);
    let _bot = site.crier().discord(&fake).start();
    fake.registered(START);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        fake.count(Recorded::is_post_message),
        0,
        "a past event is not announced"
    );
    site.event("old.md", &talk("    video: https://youtu.be/recorded\n"));
    let post = fake
        .wait_for(START, Recorded::is_post_message)
        .expect("the recording announcement");
    let body = post.body.clone().expect("json");
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    let embed = &body["embeds"][0];
    assert_eq!(embed["footer"]["text"], "Recording available");
    assert_eq!(embed["url"], "https://youtu.be/recorded");
    assert!(!embed["title"]
        .as_str()
        .expect("title")
        .contains("@everyone"));
    let button = &body["components"][0]["components"][0];
    assert_eq!(button["label"], "Watch");
    assert_eq!(button["url"], "https://youtu.be/recorded");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(fake.count(Recorded::is_post_message), 1, "once");
    assert_requests_valid(&fake);
}
