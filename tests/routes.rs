//! Routing with the real `crier` binary: `[[routes]]` in config.toml send each event to its group's or
//! language's channel, with that route's role and kinds of posts, against the fake Discord on
//! 127.0.0.1 (`tests/support/fake_discord.rs`). Every request crier sends is checked against Discord's
//! OpenAPI description.

mod support;

use std::time::Duration;

use chrono::SecondsFormat;
use serde_json::json;
use support::fake_discord::{
    FakeDiscord, Recorded, ANNOUNCE_CHANNEL_ID, CHANNEL_ID, ROUTE_CHANNEL_ID,
};
use support::openapi::assert_requests_valid;
use support::site::{in_secs, Site};

const START: Duration = Duration::from_secs(10);

/// Channel A: the Hebrew route's (the fake's announcement channel, `#announcements`).
const HEBREW_CHANNEL: &str = ANNOUNCE_CHANNEL_ID;
/// Channel B: the berlin route's (`#berlin`).
const BERLIN_CHANNEL: &str = ROUTE_CHANNEL_ID;
/// Channel C: `discord.channel_id` (`#general`).
const DEFAULT_CHANNEL: &str = CHANNEL_ID;
/// Role R, mentioned in the Hebrew channel.
const HEBREW_ROLE: &str = "123456789012345678";

/// An event file with a language, an optional group and a one-day reminder (not due for days).
fn event_file(id: &str, title: &str, language: &str, group: Option<&str>) -> String {
    let group = group.map_or_else(String::new, |g| format!("group: {g}\n"));
    format!(
        "---\nid: {id}\ntitle: \"{title}\"\ndate: \"{}\"\nonline: false\nlocation: Hall A\nlanguage: {language}\n{group}register: https://example.org/{id}\nreminders: [1d]\ntalks:\n  - title: Async Rust\n    speakers: [Ada Example]\n---\n",
        in_secs(3 * 86400).to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

fn posts_in(channel: &str) -> impl Fn(&Recorded) -> bool + '_ {
    move |r| r.method == "POST" && r.route() == format!("/channels/{channel}/messages")
}

fn is_any_post(r: &Recorded) -> bool {
    r.method == "POST" && r.route().starts_with("/channels/") && r.route().ends_with("/messages")
}

fn embed_title(r: &Recorded) -> String {
    r.body.as_ref().expect("json")["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn each_event_goes_to_its_routes_channel_with_its_role_and_kinds() {
    let fake = FakeDiscord::start();
    let site = Site::with_events([
        (
            "hebrew.md",
            event_file("hebrew", "Rust in Hebrew", "Hebrew", None),
        ),
        (
            "berlin.md",
            event_file("berlin", "Rust Berlin", "English", Some("berlin")),
        ),
        (
            "english.md",
            event_file("english", "Rust in English", "English", None),
        ),
    ]);
    let routes = format!(
        "\n[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = \"{HEBREW_CHANNEL}\"\nmention_role = \"{HEBREW_ROLE}\"\n\n[[routes]]\ngroup = \"berlin\"\nchannel_id = \"{BERLIN_CHANNEL}\"\nnew = false\n"
    );
    let mut bot = site.crier().discord(&fake).config(&routes).start();

    // Preflight looked at every routed channel and the default one.
    let hebrew = fake
        .wait_for(START, posts_in(HEBREW_CHANNEL))
        .unwrap_or_else(|| panic!("the Hebrew event's new post in A\n{}", bot.logs()));
    let english = fake
        .wait_for(START, posts_in(DEFAULT_CHANNEL))
        .unwrap_or_else(|| panic!("the English event's new post in C\n{}", bot.logs()));
    for channel in [HEBREW_CHANNEL, BERLIN_CHANNEL, DEFAULT_CHANNEL] {
        assert!(
            fake.count(|r| r.method == "GET" && r.route() == format!("/channels/{channel}")) >= 1,
            "preflight checks channel {channel}"
        );
    }

    // A: the Hebrew event, pinging the route's role and only it.
    let body = hebrew.body.clone().expect("json");
    assert_eq!(embed_title(&hebrew), "Rust in Hebrew", "{body}");
    assert_eq!(body["content"], format!("<@&{HEBREW_ROLE}>"));
    assert_eq!(body["allowed_mentions"]["roles"], json!([HEBREW_ROLE]));
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(body["allowed_mentions"]["users"], json!([]));

    // C: the English event, with no role (no `discord.mention_role`, and the route's is not inherited).
    let body = english.body.clone().expect("json");
    assert_eq!(embed_title(&english), "Rust in English", "{body}");
    assert!(
        body["content"].is_null() || body["content"] == "",
        "no mention in C: {body}"
    );
    assert_eq!(body["allowed_mentions"]["roles"], json!([]));

    // B: the berlin route posts no "new" notices; give the bot time to (wrongly) post one.
    std::thread::sleep(Duration::from_secs(3));
    let posts: Vec<Recorded> = fake.requests().into_iter().filter(is_any_post).collect();
    let summary: Vec<(String, String)> = posts
        .iter()
        .map(|r| (r.route().to_string(), embed_title(r)))
        .collect();
    assert_eq!(fake.count(posts_in(BERLIN_CHANNEL)), 0, "{summary:?}");
    assert!(
        !summary.iter().any(|(_, title)| title == "Rust Berlin"),
        "the berlin event is never posted as new anywhere: {summary:?}"
    );
    assert_eq!(posts.len(), 2, "one new post each in A and C: {summary:?}");
    assert_requests_valid(&fake);

    // `crier schedule` on the same state folder, with the bot stopped.
    bot.kill();
    let out = site.crier().output(&["schedule"]);
    let schedule = out.stdout;
    assert_eq!(out.code, Some(0), "{schedule}\n{}", out.stderr);
    let rows = |title: &str| -> Vec<String> {
        schedule
            .lines()
            .filter(|l| l.contains(title))
            .map(str::to_string)
            .collect()
    };
    let berlin = rows("Rust Berlin");
    assert!(
        berlin.iter().any(|l| l.contains("reminder 1day")
            && l.contains(&format!("#{BERLIN_CHANNEL}"))
            && l.contains("[planned]")),
        "the berlin reminder is planned in #B:\n{schedule}"
    );
    assert!(
        !berlin
            .iter()
            .any(|l| l.contains(" new ") && !l.contains("skip")),
        "the berlin event's new notice is neither sent nor planned:\n{schedule}"
    );
    let hebrew = rows("Rust in Hebrew");
    assert!(
        hebrew.iter().any(|l| l.contains(" new ")
            && l.contains(&format!("#{HEBREW_CHANNEL}"))
            && l.contains("[sent")),
        "the Hebrew new post is recorded as sent in #A:\n{schedule}"
    );
    assert!(
        hebrew.iter().any(|l| l.contains("reminder 1day")
            && l.contains(&format!("#{HEBREW_CHANNEL}"))
            && l.contains("[planned]")),
        "the Hebrew reminder is planned in #A:\n{schedule}"
    );
    let english = rows("Rust in English");
    assert!(
        english.iter().any(|l| l.contains(" new ")
            && l.contains(&format!("#{DEFAULT_CHANNEL}"))
            && l.contains("[sent")),
        "the English new post is recorded as sent in #C:\n{schedule}"
    );
}

/// A route's `new = false` settles the "new" notice as skipped, naming the route, so a later re-route
/// never posts it late.
#[test]
fn a_route_without_new_posts_records_the_new_notice_as_skipped_naming_the_route() {
    let fake = FakeDiscord::start();
    let site = Site::with_events([(
        "berlin.md",
        event_file("berlin", "Rust Berlin", "English", Some("berlin")),
    )]);
    let routes = format!(
        "\n[[routes]]\ngroup = \"berlin\"\nchannel_id = \"{BERLIN_CHANNEL}\"\nnew = false\n"
    );
    let mut bot = site.crier().discord(&fake).config(&routes).start();
    fake.wait_for(START, |r| {
        r.method == "PUT" && r.route().ends_with("/commands")
    })
    .expect("the bot is up");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(fake.count(is_any_post), 0);
    bot.kill();
    let schedule = site.crier().output(&["schedule"]).stdout;
    assert!(
        schedule.lines().any(|l| l.contains("Rust Berlin")
            && l.contains(" new ")
            && l.contains("skipped")
            && l.contains("route 1 (group = berlin)")),
        "the berlin new notice is shown as skipped naming the route:\n{schedule}"
    );
}

#[test]
fn an_event_no_route_takes_is_never_posted_and_check_warns_about_it() {
    let fake = FakeDiscord::start();
    let site = Site::with_events([
        (
            "hebrew.md",
            event_file("hebrew", "Rust in Hebrew", "Hebrew", None),
        ),
        (
            "stray.md",
            event_file("stray", "Rust in English", "English", None),
        ),
    ]);
    // Routes only: Hebrew events to A, nothing else anywhere (no `discord.channel_id`).
    let routes = format!("[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = \"{HEBREW_CHANNEL}\"\n");
    let bot = site
        .crier()
        .discord(&fake)
        .unset("discord.channel_id")
        .config(&routes)
        .start();
    let hebrew = fake
        .wait_for(START, posts_in(HEBREW_CHANNEL))
        .unwrap_or_else(|| panic!("the routed event is posted\n{}", bot.logs()));
    assert_eq!(embed_title(&hebrew), "Rust in Hebrew");
    assert!(
        bot.wait_for_log(START, "no route takes this event"),
        "the unroutable event is logged:\n{}",
        bot.logs()
    );
    std::thread::sleep(Duration::from_secs(3));
    let posts: Vec<(String, String)> = fake
        .requests()
        .into_iter()
        .filter(is_any_post)
        .map(|r| (r.route().to_string(), embed_title(&r)))
        .collect();
    assert_eq!(
        posts,
        [(
            format!("/channels/{HEBREW_CHANNEL}/messages"),
            "Rust in Hebrew".to_string()
        )],
        "only the routed event is posted"
    );
    assert_eq!(
        bot.logs().matches("no route takes this event").count(),
        1,
        "warned once, not once per rescan:\n{}",
        bot.logs()
    );
    assert_requests_valid(&fake);
    drop(bot);

    let out = site.crier().output(&["check"]);
    let stdout = out.stdout;
    assert_eq!(
        out.code,
        Some(0),
        "a warning only: {stdout}\n{}",
        out.stderr
    );
    let warnings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("matches no route"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stdout}");
    assert!(
        warnings[0].contains("stray.md") && warnings[0].contains(": warning: "),
        "{stdout}"
    );
    assert!(
        !stdout.contains("hebrew.md: warning"),
        "the routed event is not warned about: {stdout}"
    );
}

#[test]
fn a_bad_route_is_a_configuration_error_naming_the_key() {
    let site = Site::with_events([("a.md", event_file("a", "Rust night", "English", None))]);
    let head = "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\n[discord]\nchannel_id = \"333333333333333333\"\n\n";
    let cases = [
        (
            "[[routes]]\nchannel_id = \"555555555555555555\"\n",
            "routes[1]",
            "a route needs at least one of language, online, group, register, path",
        ),
        (
            "[[routes]]\nlangauge = \"Hebrew\"\nchannel_id = \"555555555555555555\"\n",
            "routes[1].langauge",
            "did you mean `language`?",
        ),
        (
            "[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = \"general\"\n",
            "routes[1].channel_id",
            "not a Discord id",
        ),
    ];
    for (routes, key, message) in cases {
        let crier = site.crier().config_file(&format!("{head}{routes}"));
        for args in [&["check"][..], &["schedule"], &["run"]] {
            let out = crier.output(args);
            let stderr = out.stderr;
            assert_eq!(out.code, Some(2), "{args:?} {routes}: {stderr}");
            assert!(
                stderr.contains("configuration error") && stderr.contains(&format!("`{key}`")),
                "{args:?} names `{key}`: {stderr}"
            );
            assert!(stderr.contains(message), "{args:?} {routes}: {stderr}");
        }
    }
}

#[test]
fn preflight_names_the_routes_channel_the_bot_cannot_post_in() {
    // The fake has no per-channel permission overwrites: the bot's role lacks Send Messages in every
    // channel, so this checks that the route's channel A is named with its route, not that A alone
    // is found.
    eprintln!("the fake Discord has no per-channel permission overwrites: Send Messages is withheld in every channel, A included");
    let fake = FakeDiscord::start();
    fake.set_bot_permissions(
        (serenity::model::Permissions::VIEW_CHANNEL
            | serenity::model::Permissions::EMBED_LINKS
            | serenity::model::Permissions::MENTION_EVERYONE)
            .bits(),
    );
    let site = Site::with_events([(
        "hebrew.md",
        event_file("hebrew", "Rust in Hebrew", "Hebrew", None),
    )]);
    let routes = format!(
        "\n[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = \"{HEBREW_CHANNEL}\"\nmention_role = \"{HEBREW_ROLE}\"\n"
    );
    let mut bot = site.crier().discord(&fake).config(&routes).start();
    let code = bot.exit_code(START);
    let logs = bot.logs();
    assert!(matches!(code, Some(c) if c != 0), "{code:?}\n{logs}");
    assert!(
        logs.contains(&format!(
            "the bot lacks permissions in #announcements ({HEBREW_CHANNEL}, `channel_id` of route 1 (language = Hebrew)): Send Messages"
        )),
        "{logs}"
    );
    assert!(
        logs.contains(&format!(
            "#general ({DEFAULT_CHANNEL}, `discord.channel_id`): Send Messages"
        )),
        "{logs}"
    );
    assert_eq!(fake.count(is_any_post), 0, "nothing is posted");
}

/// Channels are posted to side by side and each channel in order: while Discord sits on a post to
/// one channel, the other channel's post goes out, and the first channel's next post waits its turn.
#[test]
fn a_stalled_channel_holds_up_only_its_own_posts() {
    let fake = FakeDiscord::start();
    fake.hold_next("POST", &format!("/channels/{HEBREW_CHANNEL}/messages"));
    let site = Site::with_events([
        (
            "hebrew-1.md",
            event_file("hebrew-1", "Rust in Hebrew", "Hebrew", None),
        ),
        (
            "hebrew-2.md",
            event_file("hebrew-2", "More Rust in Hebrew", "Hebrew", None),
        ),
        (
            "zz-english.md",
            event_file("zz-english", "Rust in English", "English", None),
        ),
    ]);
    let routes =
        format!("\n[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = \"{HEBREW_CHANNEL}\"\n");
    let bot = site.crier().discord(&fake).config(&routes).start();
    let held = fake
        .wait_for(START, posts_in(HEBREW_CHANNEL))
        .unwrap_or_else(|| panic!("the first Hebrew post\n{}", bot.logs()));
    let english = fake
        .wait_for(START, posts_in(DEFAULT_CHANNEL))
        .unwrap_or_else(|| panic!("the English post while #A is stalled\n{}", bot.logs()));
    assert_eq!(embed_title(&english), "Rust in English");
    // The request timeout is 10 s: until then the stalled post is in flight, and the second Hebrew
    // event waits behind it.
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        fake.count(posts_in(HEBREW_CHANNEL)),
        1,
        "one post at a time in a channel (held: {})",
        embed_title(&held)
    );
}
