//! crier's words in every built-in locale, against the fake Discord (`tests/support/fake_discord.rs`):
//! the slash commands' localizations, replies in the member's language, posts in the event's
//! language within Discord's limits, and `crier preview --json` as the very body the sink posts.
//!
//! Expected words are read from the built-in messages (`crates/crier-core/messages/*.ftl`), never
//! restated here, so a change of wording does not break these tests but a wrong locale does.

mod support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use support::fake_discord::{FakeDiscord, Recorded};
use support::openapi::assert_requests_valid;
use support::site::{in_secs, Site};

const START: Duration = Duration::from_secs(10);

/// Discord's locales crier registers its commands in, and the built-in locale of each.
const DISCORD_LOCALES: [(&str, &str); 5] = [
    ("he", "he"),
    ("fr", "fr"),
    ("de", "de"),
    ("es-ES", "es"),
    ("es-419", "es"),
];

/// Unicode's FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, which Fluent puts around every
/// placeable in a right-to-left locale.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

// Discord's limits on a message (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELDS_MAX: usize = 25;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1024;
const FOOTER_MAX: usize = 2048;
const AUTHOR_MAX: usize = 256;
const EMBEDS_TOTAL_MAX: usize = 6000;
const CONTENT_MAX: usize = 2000;
const BUTTON_LABEL_MAX: usize = 80;

/// The fake Discord on 127.0.0.1, as every test of this suite starts it: a machine where it cannot
/// listen fails these tests rather than skipping them.
fn fake_discord() -> Option<FakeDiscord> {
    Some(FakeDiscord::start())
}

/// One locale's built-in messages as written in its `.ftl` file: each message whose value is on its
/// id's line (`id`), and each attribute (`id.description`). Multi-line messages are left out.
fn messages(code: &str) -> HashMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/crier-core/messages")
        .join(format!("{code}.ftl"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut out = HashMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            current = line.split_once('=').map(|(id, value)| {
                let id = id.trim().to_owned();
                if !value.trim().is_empty() {
                    out.insert(id.clone(), value.trim().to_owned());
                }
                id
            });
        } else if let (Some(id), Some(attribute)) = (&current, line.trim().strip_prefix('.')) {
            if let Some((name, value)) = attribute.split_once('=') {
                out.insert(format!("{id}.{}", name.trim()), value.trim().to_owned());
            }
        }
    }
    out
}

/// The message `id` of locale `code`, read from its file.
fn say(code: &str, id: &str) -> String {
    messages(code)
        .remove(id)
        .unwrap_or_else(|| panic!("{code}.ftl has no one-line message {id}"))
}

/// The message `id` of locale `code` with its variables filled in, each one isolated in Hebrew as
/// Fluent isolates placeables in a right-to-left locale.
fn say_with(code: &str, id: &str, args: &[(&str, &str)]) -> String {
    let mut text = say(code, id);
    for (name, value) in args {
        let value = if code == "he" {
            format!("{FSI}{value}{PDI}")
        } else {
            (*value).to_owned()
        };
        text = text.replace(&format!("{{ ${name} }}"), &value);
    }
    assert!(
        !text.contains("{ $"),
        "a variable left in {code} {id}: {text}"
    );
    text
}

/// The part of a message before its variable `name` (`Reminder: ` of `Reminder: { $when }`).
fn before_variable(code: &str, id: &str, name: &str) -> String {
    let text = say(code, id);
    let (before, _) = text
        .split_once(&format!("{{ ${name} }}"))
        .unwrap_or_else(|| panic!("{code} {id} has no {{ ${name} }}: {text}"));
    before.to_owned()
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An event file in person at `location`, in `language`, with `reminders` (`4s, 5m`) and `talks`
/// (YAML list items, indented by two spaces), registering at `https://example.org/{id}`.
fn event_file(
    id: &str,
    title: &str,
    start: DateTime<Utc>,
    language: &str,
    location: &str,
    reminders: &str,
    talks: &str,
) -> String {
    format!(
        "---\nid: {id}\ntitle: {}\ndate: \"{}\"\nonline: false\nlocation: {}\nlanguage: {}\nregister: https://example.org/{id}\nreminders: [{reminders}]\ntalks:\n{talks}---\n",
        quoted(title),
        rfc3339(start),
        quoted(location),
        quoted(language),
    )
}

/// One short talk.
const ONE_TALK: &str =
    "  - title: Async Rust\n    speakers:\n      - name: Ada Example\n        github: ada\n    length: 30\n";

/// The posts so far, once there are `n` of them (within `within`); fails with crier's log if not.
fn posts(fake: &FakeDiscord, n: usize, within: Duration, logs: impl Fn() -> String) -> Vec<Value> {
    let end = Instant::now() + within;
    while fake.count(Recorded::is_post_message) < n && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    let posts: Vec<Value> = fake
        .requests()
        .iter()
        .filter(|r| r.is_post_message())
        .map(|r| r.body.clone().expect("a JSON body"))
        .collect();
    assert!(
        posts.len() >= n,
        "{} posts of {n} within {within:?}; log:\n{}",
        posts.len(),
        logs()
    );
    posts
}

fn field_names(embed: &Value) -> Vec<&str> {
    embed["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["name"].as_str().expect("a field name"))
        .collect()
}

fn field_value<'a>(embed: &'a Value, name: &str) -> &'a str {
    embed["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["name"] == name)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name:?} in {embed}"))
}

/// The message that names a command (`crier status` for a subcommand) or one of its options.
fn message_of(command: &str, option: Option<&str>) -> String {
    match option {
        None => format!("command-{}", command.replace(' ', "-")),
        Some("group") => "option-group".into(),
        Some(option) => match (command, option) {
            ("upcoming", "count") => "option-count".into(),
            ("event", "name") => "option-event-name".into(),
            ("talks", "event") => "option-talks-event".into(),
            ("speakers", "name") => "option-speaker-name".into(),
            _ => panic!("/{command} has an option `{option}` that no message localizes"),
        },
    }
}

/// How a command's or an option's localizations differ from those of its message `id` in every
/// locale Discord knows crier's languages by (no more, no fewer); empty when they are the same.
fn localization_problems(
    item: &Value,
    id: &str,
    files: &HashMap<&str, HashMap<String, String>>,
) -> Vec<String> {
    let what = format!("{id} ({})", item["name"]);
    let mut problems = Vec::new();
    let wanted: BTreeSet<&str> = DISCORD_LOCALES.iter().map(|(code, _)| *code).collect();
    for key in ["name_localizations", "description_localizations"] {
        let codes: BTreeSet<&str> = item[key]
            .as_object()
            .into_iter()
            .flat_map(|map| map.keys().map(String::as_str))
            .collect();
        if codes != wanted {
            problems.push(format!(
                "{what}: {key} has the locales {codes:?} (`{}`), not {wanted:?}",
                item[key]
            ));
        }
    }
    if item["name"].as_str() != files["en"].get(id).map(String::as_str) {
        problems.push(format!("{what}: not named as en.ftl names it"));
    }
    for (discord, code) in DISCORD_LOCALES {
        let file = &files[code];
        for (key, message) in [
            ("name_localizations", id.to_owned()),
            ("description_localizations", format!("{id}.description")),
        ] {
            let got = item[key][discord].as_str();
            let want = file.get(&message).map(String::as_str);
            if got != want {
                problems.push(format!(
                    "{what}: {key}.{discord} is {got:?}, and {code}.ftl's {message} is {want:?}"
                ));
            }
        }
    }
    problems
}

#[test]
fn registered_commands_carry_every_locale() {
    let Some(fake) = fake_discord() else { return };
    let site = Site::with_events([(
        "a.md",
        event_file(
            "a",
            "Rust night",
            in_secs(3600),
            "English",
            "Hall A",
            "",
            ONE_TALK,
        ),
    )]);
    let _bot = site.crier().discord(&fake).start();
    let put = fake.registered(START);
    let files: HashMap<&str, HashMap<String, String>> = ["en", "he", "fr", "de", "es"]
        .into_iter()
        .map(|code| (code, messages(code)))
        .collect();
    let commands = put
        .body
        .as_ref()
        .and_then(Value::as_array)
        .expect("a command list");
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for command in commands {
        let name = command["name"].as_str().expect("a command name");
        problems.extend(localization_problems(
            command,
            &message_of(name, None),
            &files,
        ));
        checked.push(name.to_owned());
        for option in command["options"].as_array().into_iter().flatten() {
            let option_name = option["name"].as_str().expect("an option name");
            if option["type"] == 1 {
                // A subcommand is named like a command, and its options like the command's.
                let qualified = format!("{name} {option_name}");
                problems.extend(localization_problems(
                    option,
                    &message_of(&qualified, None),
                    &files,
                ));
                for inner in option["options"].as_array().into_iter().flatten() {
                    let inner_name = inner["name"].as_str().expect("an option name");
                    problems.extend(localization_problems(
                        inner,
                        &message_of(&qualified, Some(inner_name)),
                        &files,
                    ));
                    checked.push(format!("{qualified} {inner_name}"));
                }
                checked.push(qualified);
            } else {
                problems.extend(localization_problems(
                    option,
                    &message_of(name, Some(option_name)),
                    &files,
                ));
                checked.push(format!("{name} {option_name}"));
            }
        }
    }
    assert!(
        checked.contains(&"crier status".to_owned()) && checked.contains(&"event name".to_owned()),
        "every command, subcommand and option: {checked:?}"
    );
    let next = commands
        .iter()
        .find(|c| c["name"] == "next")
        .expect("/next");
    assert_eq!(next["name_localizations"]["fr"], say("fr", "command-next"));
    assert_eq!(
        next["name_localizations"]["fr"], "prochain",
        "/next is /prochain in French (fr.ftl)"
    );
    assert_requests_valid(&fake);
    assert!(
        problems.is_empty(),
        "localizations missing or wrong in the registration of {checked:?}:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_french_member_gets_a_french_reply() {
    let Some(fake) = fake_discord() else { return };
    let location = "Hall A";
    let site = Site::with_events([(
        "a.md",
        event_file(
            "a",
            "Rust night",
            in_secs(7200),
            "English",
            location,
            "",
            ONE_TALK,
        ),
    )]);
    // The server's own language, for a member whose locale and guild's locale crier lacks.
    let bot = site
        .crier()
        .discord(&fake)
        .config("[messages]\nlocale = \"he\"\n")
        .start();
    fake.registered(START);

    // (member's locale, guild's locale, the locale crier must answer in)
    let cases = [
        ("fr", Some("en-US"), "fr"),
        ("ja", Some("de"), "de"),
        ("en-US", Some("fr"), "en"),
        ("es-419", None, "es"),
        ("pt-BR", None, "he"),
    ];
    for (locale, guild_locale, code) in cases {
        let case = format!("member {locale}, guild {guild_locale:?}: {code}");
        let next = fake.answered(&fake.slash_in("next", json!([]), locale, guild_locale));
        assert_eq!(next["type"], 4, "{case}: {next}");
        let embed = &next["data"]["embeds"][0];
        assert_eq!(embed["title"], "Rust night", "{case}");
        let expected = [
            say(code, "field-when"),
            say(code, "field-where"),
            say(code, "field-language"),
        ];
        assert_eq!(field_names(embed), expected, "{case}: {embed}");
        assert_eq!(
            field_value(embed, &expected[1]),
            say_with(code, "place-at", &[("location", location)]),
            "{case}"
        );
        let upcoming = fake.answered(&fake.slash_in("upcoming", json!([]), locale, guild_locale));
        assert_eq!(
            upcoming["data"]["embeds"][0]["title"],
            say(code, "post-digest"),
            "{case}: {upcoming}"
        );
    }
    let french = fake.answered(&fake.slash_in("next", json!([]), "fr", None));
    assert_eq!(
        field_names(&french["data"]["embeds"][0])[0],
        "Quand",
        "fr.ftl's field-when"
    );

    let query = "zzz nothing like it";
    let missing = fake.answered(&fake.slash_in(
        "event",
        json!([{"name": "name", "type": 3, "value": query}]),
        "es-419",
        Some("en-US"),
    ));
    assert_eq!(missing["type"], 4, "{missing}");
    assert_eq!(missing["data"]["flags"], 64, "ephemeral: {missing}");
    assert_eq!(
        missing["data"]["content"],
        say_with("es", "reply-no-event-match", &[("query", query)]),
        "{}",
        bot.logs()
    );
    assert_requests_valid(&fake);
}

/// `text` repeated, words whole, to at least `len` characters.
fn long(text: &str, len: usize) -> String {
    let mut out = String::new();
    while out.chars().count() < len {
        out.push_str(text);
        out.push(' ');
    }
    out.trim_end().to_owned()
}

/// Talks with long mixed Hebrew and Latin titles, many speakers each and long abstracts.
fn many_talks(tag: &str) -> String {
    let mut yaml = String::new();
    for t in 0..30 {
        let title = long(
            &format!("{tag} הרצאה {t}: Zero-cost abstractions ו-async traits בעולם האמיתי, with lifetimes"),
            220,
        );
        yaml.push_str(&format!(
            "  - title: {}\n    length: 45\n    abstract: {}\n    speakers:\n",
            quoted(&title),
            quoted(&long(
                "Lorem ipsum dolor sit amet, שלום עולם, consectetur adipiscing elit.",
                900
            )),
        ));
        for s in 0..12 {
            yaml.push_str(&format!(
                "      - name: {}\n        github: speaker{t}x{s}\n",
                quoted(&format!("Ada Lovelace-Example {t}.{s} עדה"))
            ));
        }
    }
    yaml
}

/// Every way a message can break Discord's limits; empty when it fits.
fn over_discord_limits(body: &Value) -> Vec<String> {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let mut problems = Vec::new();
    let mut check = |what: String, len: usize, max: usize| {
        if len > max {
            problems.push(format!("{what}: {len} characters, over {max}"));
        }
    };
    check("content".into(), chars(&body["content"]), CONTENT_MAX);
    let mut total = 0;
    for (i, embed) in body["embeds"].as_array().into_iter().flatten().enumerate() {
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        check(format!("embed {i}: fields"), fields.len(), FIELDS_MAX);
        check(
            format!("embed {i}: title"),
            chars(&embed["title"]),
            TITLE_MAX,
        );
        check(
            format!("embed {i}: description"),
            chars(&embed["description"]),
            DESCRIPTION_MAX,
        );
        check(
            format!("embed {i}: footer"),
            chars(&embed["footer"]["text"]),
            FOOTER_MAX,
        );
        check(
            format!("embed {i}: author"),
            chars(&embed["author"]["name"]),
            AUTHOR_MAX,
        );
        total += chars(&embed["title"])
            + chars(&embed["description"])
            + chars(&embed["footer"]["text"])
            + chars(&embed["author"]["name"]);
        for (j, field) in fields.iter().enumerate() {
            check(
                format!("embed {i}: field {j} name"),
                chars(&field["name"]),
                FIELD_NAME_MAX,
            );
            check(
                format!("embed {i}: field {j} value"),
                chars(&field["value"]),
                FIELD_VALUE_MAX,
            );
            total += chars(&field["name"]) + chars(&field["value"]);
        }
    }
    check("all embeds".into(), total, EMBEDS_TOTAL_MAX);
    for row in body["components"].as_array().into_iter().flatten() {
        for button in row["components"].as_array().into_iter().flatten() {
            check(
                "a button's label".into(),
                chars(&button["label"]),
                BUTTON_LABEL_MAX,
            );
        }
    }
    problems
}

#[test]
fn every_embed_fits_discord_limits_in_every_locale() {
    let Some(fake) = fake_discord() else { return };
    // (event id, `language:`, the locale its posts are in)
    let events = [
        ("he", "Hebrew", "he"),
        ("fr", "French", "fr"),
        ("de", "German", "de"),
        ("es", "Spanish", "es"),
        ("en", "English", "en"),
    ];
    // Reminders 10 s before a start 20 s away: armed at first sight even on a slow machine.
    let start = in_secs(20);
    let location_start = "Hall A, Google for Startups Campus";
    let files: Vec<(String, String)> = events
        .iter()
        .map(|(id, language, _)| {
            let title = long(
                &format!("מפגש Rust ו-WebAssembly #{id}: async, macros ו-unsafe בעברית and English together —"),
                340,
            );
            // A language named first, then far more than a field holds.
            let language = long(
                &format!("{language} (slides in English, שאלות בעברית, questions welcome)"),
                1500,
            );
            let location = long(&format!("{location_start}, רחוב יגאל אלון 98, Tel Aviv"), 1500);
            let text = event_file(
                id,
                &title,
                start,
                &language,
                &location,
                "10s",
                &many_talks(id),
            );
            (format!("{id}.md"), text)
        })
        .collect();
    let site = Site::with_events(files);
    let bot = site
        .crier()
        .discord(&fake)
        .config("[messages]\nlocale = \"event\"\n")
        .start();
    // A new-event post and a reminder for each event.
    let posts = posts(&fake, 2 * events.len(), Duration::from_secs(40), || {
        bot.logs()
    });
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        fake.count(Recorded::is_post_message),
        2 * events.len(),
        "each post once, none refused and retried"
    );
    let mut kinds: Vec<(String, &str)> = Vec::new();
    for body in &posts {
        let problems = over_discord_limits(body);
        assert!(problems.is_empty(), "{problems:#?}\nin {body:#}");
        let embed = &body["embeds"][0];
        let url = embed["url"].as_str().expect("the registration link");
        let id = url.trim_start_matches("https://example.org/");
        let (_, language, code) = events
            .iter()
            .find(|(event, _, _)| *event == id)
            .unwrap_or_else(|| panic!("a post of an unknown event: {url}"));
        let footer = embed["footer"]["text"].as_str().expect("a footer");
        let kind = if footer == say(code, "post-new") {
            "new"
        } else {
            let heading = before_variable(code, "post-reminder", "when");
            assert!(
                footer.starts_with(&heading),
                "{id}: a post in {code} is a new event or a reminder: {footer:?}"
            );
            // Hebrew isolates how soon the event starts; no other locale has isolation marks.
            if *code == "he" {
                assert!(
                    footer[heading.len()..].starts_with(FSI) && footer.ends_with(PDI),
                    "{footer:?}"
                );
            }
            "reminder"
        };
        kinds.push((id.to_owned(), kind));
        assert!(
            embed["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("מפגש Rust ו-WebAssembly #")),
            "{embed}"
        );
        let expected = [
            say(code, "field-when"),
            say(code, "field-where"),
            say(code, "field-language"),
        ];
        assert_eq!(field_names(embed), expected, "{id}");
        let place = field_value(embed, &expected[1]);
        let before = before_variable(code, "place-at", "location");
        let isolated = if *code == "he" {
            format!("{before}{FSI}{location_start}")
        } else {
            format!("{before}{location_start}")
        };
        assert!(place.starts_with(&isolated), "{id}: {place:?}");
        // The inputs were too long for Discord: each part was cut, and the whole filled.
        let cut = |text: &str| text.ends_with('…');
        assert!(
            embed["title"].as_str().is_some_and(cut) && cut(place),
            "{id}: the title and the place are cut: {embed}"
        );
        let size: usize = [
            &embed["title"],
            &embed["description"],
            &embed["footer"]["text"],
        ]
        .into_iter()
        .chain(
            embed["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|f| [&f["name"], &f["value"]]),
        )
        .map(|v| v.as_str().map_or(0, |s| s.chars().count()))
        .sum();
        assert!(
            size > EMBEDS_TOTAL_MAX - 200,
            "{id}: the embed is filled ({size} characters)"
        );
        assert!(
            field_value(embed, &expected[2]).starts_with(language),
            "{id}: the language as the file writes it"
        );
        assert_eq!(
            body["components"][0]["components"][0]["label"],
            say(code, "button-register"),
            "{id}"
        );
        let json = body.to_string();
        if *code != "he" {
            assert!(
                !json.contains(FSI) && !json.contains(PDI),
                "{id}: no isolation marks outside Hebrew: {body:#}"
            );
        }
    }
    kinds.sort();
    let wanted: Vec<(String, &str)> = {
        let mut all: Vec<(String, &str)> = events
            .iter()
            .flat_map(|(id, _, _)| [(id.to_string(), "new"), (id.to_string(), "reminder")])
            .collect();
        all.sort();
        all
    };
    assert_eq!(kinds, wanted, "each event's new post and reminder");
    assert_requests_valid(&fake);
}

/// Runs `crier preview <file> <args> --json` and parses what it prints.
fn preview(crier: &support::crier::Builder, file: &str, args: &[&str]) -> Value {
    let mut all = vec!["preview", file];
    all.extend_from_slice(args);
    all.push("--json");
    let out = crier.output(&all);
    assert_eq!(out.code, Some(0), "{all:?}: {}\n{}", out.stdout, out.stderr);
    serde_json::from_str(out.stdout.trim())
        .unwrap_or_else(|e| panic!("{all:?} prints one JSON body ({e}): {}", out.stdout))
}

/// The members where two bodies differ, as `/pointer: posted ≠ previewed`.
fn differences(posted: &Value, previewed: &Value, at: &str, out: &mut Vec<String>) {
    match (posted, previewed) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                differences(x, y, &format!("{at}/{key}"), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, &format!("{at}/{i}"), out);
            }
        }
        (a, b) if a != b => out.push(format!("{at}: posted {a} ≠ previewed {b}")),
        _ => {}
    }
}

fn assert_same_body(kind: &str, posted: &Value, previewed: &Value) {
    let mut diff = Vec::new();
    differences(posted, previewed, "", &mut diff);
    assert!(
        diff.is_empty() && posted == previewed,
        "{kind}: `crier preview --json` is not the body posted:\n{}\nposted: {posted:#}\npreviewed: {previewed:#}",
        diff.join("\n")
    );
}

#[test]
fn preview_json_is_the_body_the_sink_posts() {
    let Some(fake) = fake_discord() else { return };
    // A reminder 5 minutes before a start 5 minutes and 10 seconds away: due 10 s after the start
    // of the test, and said in whole minutes ("in 5 minutes") whenever within the second it fires.
    let start = in_secs(310);
    let talks = "  - title: \"Async Rust @everyone\"\n    speakers:\n      - name: Ada Example\n        github: ada\n      - Bob Example\n    length: 30\n    abstract: \"Why futures are lazy.\"\n";
    let site = Site::with_events([(
        "fr.md",
        event_file(
            "fr",
            "Soirée Rust à Paris",
            start,
            "Français",
            "Station F, Paris",
            "5m",
            talks,
        ),
    )]);
    let crier = site
        .crier()
        .discord(&fake)
        .config("[messages]\nlocale = \"event\"\n");
    let bot = crier.start();
    let posts = posts(&fake, 2, Duration::from_secs(30), || bot.logs());
    assert_eq!(posts.len(), 2, "the new-event post and the reminder");
    let file = "events/fr.md";
    let new = preview(&crier, file, &["--kind", "new"]);
    assert_same_body("new", &posts[0], &new);
    let reminder = preview(&crier, file, &["--kind", "reminder", "--offset", "5m"]);
    assert_same_body("reminder 5m", &posts[1], &reminder);
    // The posts are French, as the event is: the comparison is not between two English bodies.
    assert_eq!(
        posts[0]["embeds"][0]["footer"]["text"],
        say("fr", "post-new")
    );
    assert!(posts[1]["embeds"][0]["footer"]["text"]
        .as_str()
        .is_some_and(|f| f.starts_with(&before_variable("fr", "post-reminder", "when"))));
    assert_requests_valid(&fake);
}
