//! Localization with the real `crier` binary in console mode: every kind of post in the event's own
//! language or the one a route or the server chooses, the organiser's override files (used, checked,
//! reloaded live), `crier messages`, and `crier preview` agreeing with what `crier run` prints.
//!
//! The expected wording is copied from `crates/crier-core/messages/*.ftl`, and the expected dates
//! from the locales' own day and month names (glibc's, as CLDR writes them), so that a post in the
//! wrong language, or with an English date, fails here.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use serde_json::Value;
use support::crier::{label, Crier};
use support::site::{in_secs, Site};

/// How long any one expected post may take to come out.
const WITHIN: Duration = Duration::from_secs(20);

/// First strong isolate and pop directional isolate: what Fluent puts around a Hebrew placeable.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// A fixed start, far ahead: Thursday 10 January 2030, 19:00 UTC (as the README's examples).
const THURSDAY: &str = "2030-01-10T19:00:00Z";
/// Where the moving events go: Tuesday 15 January 2030, 19:00 UTC.
const TUESDAY: &str = "2030-01-15T19:00:00Z";

/// A channel for the route in console mode (the console prints it as each post's `channel`).
const BERLIN_CHANNEL: &str = "555555555555555555";

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

/// An event file: `language` and `extra` (YAML lines) when given.
fn event(
    id: &str,
    title: &str,
    start: DateTime<Utc>,
    language: Option<&str>,
    extra: &str,
) -> String {
    let language = language.map_or_else(String::new, |l| format!("language: {l}\n"));
    format!(
        "---\nid: {id}\ntitle: \"{title}\"\ndate: \"{}\"\nonline: true\n{language}{extra}---\n",
        start.to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

/// A start one day ahead and `secs` more, with a one-day reminder: the reminder falls due `secs`
/// from now and reads "tomorrow".
fn tomorrow_plus(secs: i64) -> DateTime<Utc> {
    in_secs(86_400 + secs)
}

/// The next `n` posts, in the order they come.
fn take(app: &Crier, n: usize, within: Duration) -> Vec<Value> {
    let end = Instant::now() + within;
    let mut posts: Vec<Value> = Vec::new();
    while posts.len() < n {
        let left = end.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "only {:?} of {n} posts within {within:?}\n{}",
            posts.iter().map(label).collect::<Vec<_>>(),
            app.logs()
        );
        posts.push(app.next(left));
    }
    posts
}

/// The post labelled `wanted` (`event_id kind [offset]`).
fn post<'a>(posts: &'a [Value], wanted: &str) -> &'a Value {
    posts
        .iter()
        .find(|p| label(p) == wanted)
        .unwrap_or_else(|| {
            panic!(
                "no post {wanted:?} among {:?}",
                posts.iter().map(label).collect::<Vec<_>>()
            )
        })
}

fn text(post: &Value) -> &str {
    post["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text: {post}"))
}

/// The text without its bidi isolation marks, to compare with the wording of the .ftl files.
fn plain(text: &str) -> String {
    text.replace([FSI, PDI], "")
}

/// How crier writes a date itself, in each locale's own names and order (see the README):
/// en `Thu 10 Jan 2030, 19:00`, fr `jeu. 10 janv. 2030, 19:00`, de `Do, 10. Jan 2030, 19:00`,
/// he `יום חמישי, 10 בינואר 2030, 19:00`. The names are the locales' (glibc's `LC_TIME`).
fn date(code: &str, at: DateTime<Utc>) -> String {
    const EN_DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const FR_DAYS: [&str; 7] = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];
    const FR_MONTHS: [&str; 12] = [
        "janv.", "févr.", "mars", "avril", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const DE_DAYS: [&str; 7] = ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"];
    const DE_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ];
    const HE_DAYS: [&str; 7] = ["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"];
    const HE_MONTHS: [&str; 12] = [
        "ינואר",
        "פברואר",
        "מרץ",
        "אפריל",
        "מאי",
        "יוני",
        "יולי",
        "אוגוסט",
        "ספטמבר",
        "אוקטובר",
        "נובמבר",
        "דצמבר",
    ];
    let day = at.weekday().num_days_from_sunday() as usize;
    let month = at.month0() as usize;
    let (d, y) = (at.day(), at.year());
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    match code {
        "en" => format!("{} {d} {} {y}, {time}", EN_DAYS[day], EN_MONTHS[month]),
        "fr" => format!("{} {d} {} {y}, {time}", FR_DAYS[day], FR_MONTHS[month]),
        "de" => format!("{}, {d}. {} {y}, {time}", DE_DAYS[day], DE_MONTHS[month]),
        "he" => format!(
            "יום {}, {d} ב{} {y}, {time}",
            HE_DAYS[day], HE_MONTHS[month]
        ),
        other => panic!("no date names for {other}"),
    }
}

/// English weekday abbreviations written as words in `text`.
fn english_weekdays(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(w))
        .map(str::to_string)
        .collect()
}

/// One language's wording, from `crates/crier-core/messages/<code>.ftl`.
struct Lang {
    code: &'static str,
    /// The event files' `language:` (`None`: the file says none, and the fallback is English).
    language: Option<&'static str>,
    /// Titles of this language's events (a Hebrew one mixes scripts).
    title: &'static str,
    /// `post-new`, `post-cancelled`, `post-recording`.
    new: &'static str,
    cancelled: &'static str,
    recording: &'static str,
    /// `post-reminder` with `$when` = `starts-in` for tomorrow.
    reminder_tomorrow: &'static str,
    /// `post-rescheduled-from` up to `$was`.
    rescheduled_was: &'static str,
    /// Between the heading and the title in `text-heading`.
    separator: &'static str,
    /// `text-when` up to `$date`; `text-by` up to `$speakers`; `text-at` up to `$event`.
    when: &'static str,
    by: &'static str,
    at: &'static str,
}

const LANGS: [Lang; 4] = [
    Lang {
        code: "he",
        language: Some("Hebrew"),
        title: "מפגש Rust ו-WebAssembly",
        new: "אירוע חדש",
        cancelled: "בוטל",
        recording: "הקלטה זמינה",
        reminder_tomorrow: "תזכורת: מחר",
        rescheduled_was: "שינוי מועד (במקום ",
        separator: ": ",
        when: "מתי: ",
        by: "מאת: ",
        at: "אירוע: ",
    },
    Lang {
        code: "fr",
        language: Some("Français"),
        title: "Rencontre Rust",
        new: "Nouvel événement",
        cancelled: "Annulé",
        recording: "Enregistrement disponible",
        reminder_tomorrow: "Rappel : demain",
        rescheduled_was: "Changement de date (initialement ",
        separator: " : ",
        when: "Quand : ",
        by: "Par : ",
        at: "Événement : ",
    },
    Lang {
        code: "de",
        language: Some("Deutsch"),
        title: "Rust-Treffen",
        new: "Neue Veranstaltung",
        cancelled: "Abgesagt",
        recording: "Aufzeichnung verfügbar",
        reminder_tomorrow: "Erinnerung: morgen",
        rescheduled_was: "Verschoben (ursprünglich ",
        separator: ": ",
        when: "Wann: ",
        by: "Von: ",
        at: "Veranstaltung: ",
    },
    Lang {
        code: "en",
        language: None,
        title: "Rust meetup",
        new: "New event",
        cancelled: "Cancelled",
        recording: "Recording available",
        reminder_tomorrow: "Reminder: tomorrow",
        rescheduled_was: "Rescheduled (was ",
        separator: ": ",
        when: "When: ",
        by: "By: ",
        at: "At: ",
    },
];

impl Lang {
    /// The first line of a post: `text-heading` with this heading and title.
    fn heading_line(&self, heading: &str, title: &str) -> String {
        format!("{heading}{}{title}", self.separator)
    }

    /// Checks a post's text: its first line, its "When" line (for a post about an event), and that
    /// it is written in this language alone.
    fn check(&self, post: &Value, heading: &str, title: &str, start: Option<DateTime<Utc>>) {
        let raw = text(post);
        let text = plain(raw);
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            self.heading_line(heading, title),
            "{} {}: the heading in {}:\n{raw}",
            label(post),
            self.code,
            self.code
        );
        if let Some(start) = start {
            let when = format!("{}{} (", self.when, date(self.code, start));
            assert!(
                text.lines().any(|l| l.starts_with(&when)),
                "{}: a line starting {when:?}:\n{raw}",
                label(post)
            );
        }
        if self.code != "en" {
            assert_eq!(
                english_weekdays(&text),
                Vec::<String>::new(),
                "{}: no English day name in a {} post:\n{raw}",
                label(post),
                self.code
            );
        }
        if self.code == "he" {
            assert!(
                raw.starts_with(FSI),
                "{}: Hebrew isolates its placeables:\n{raw:?}",
                label(post)
            );
        } else {
            assert!(
                !raw.contains([FSI, PDI]),
                "{}: no isolation marks outside right-to-left text:\n{raw:?}",
                label(post)
            );
        }
    }
}

/// Writes `<code>-<name>.md`, the event `<code>-<name>` in `lang`, starting at `start`, with `extra`
/// front matter.
fn lang_event(site: &Site, lang: &Lang, name: &str, start: DateTime<Utc>, extra: &str) {
    let c = lang.code;
    site.event(
        &format!("{c}-{name}.md"),
        &event(
            &format!("{c}-{name}"),
            lang.title,
            start,
            lang.language,
            extra,
        ),
    );
}

/// A past event with one talk by an English-named speaker, and its recording when given.
fn past_talk(lang: &Lang, video: Option<&str>) -> String {
    let video = video.map_or_else(String::new, |v| format!("    video: {v}\n"));
    let talk = if lang.code == "he" {
        "Async ב-Rust"
    } else {
        "Async Rust"
    };
    event(
        &format!("{}-past", lang.code),
        lang.title,
        in_secs(-86_400),
        lang.language,
        &format!(
            "reminders: []\ntalks:\n  - title: \"{talk}\"\n    speaker: Ada Lovelace\n{video}"
        ),
    )
}

#[test]
fn every_kind_comes_out_in_the_events_language() {
    // The expected dates are right for the README's examples.
    let thursday = at(THURSDAY);
    assert_eq!(date("fr", thursday), "jeu. 10 janv. 2030, 19:00");
    assert_eq!(date("de", thursday), "Do, 10. Jan 2030, 19:00");
    assert_eq!(date("he", thursday), "יום חמישי, 10 בינואר 2030, 19:00");
    assert_eq!(date("en", thursday), "Thu 10 Jan 2030, 19:00");

    let site = Site::new();
    let soon = tomorrow_plus(15);
    for lang in &LANGS {
        let c = lang.code;
        lang_event(&site, lang, "soon", soon, "reminders: [1d]\n");
        lang_event(&site, lang, "moving", thursday, "reminders: []\n");
        site.event(&format!("{c}-past.md"), &past_talk(lang, None));
    }
    let app = site
        .crier()
        .config("[messages]\nlocale = \"event\"\nfallback = \"en\"\n")
        .start();

    // New posts for the upcoming events, then the reminders (due 15 s after the start).
    let posts = take(&app, 12, WITHIN + Duration::from_secs(15));
    for lang in &LANGS {
        let c = lang.code;
        let new = post(&posts, &format!("{c}-soon new"));
        lang.check(new, lang.new, lang.title, Some(soon));
        let new = post(&posts, &format!("{c}-moving new"));
        lang.check(new, lang.new, lang.title, Some(thursday));
        let reminder = post(&posts, &format!("{c}-soon reminder 1day"));
        lang.check(reminder, lang.reminder_tomorrow, lang.title, Some(soon));
    }
    let hebrew = text(post(&posts, "he-soon new"));
    assert!(
        hebrew.contains(&format!("{FSI}{}{PDI}", LANGS[0].title)),
        "the mixed-script title is isolated in the Hebrew post:\n{hebrew:?}"
    );

    // Moved while running: "rescheduled", naming the old date in the locale's words.
    let tuesday = at(TUESDAY);
    for lang in &LANGS {
        lang_event(&site, lang, "moving", tuesday, "reminders: []\n");
    }
    let posts = take(&app, 4, WITHIN);
    for lang in &LANGS {
        let moved = post(&posts, &format!("{}-moving rescheduled", lang.code));
        let heading = format!("{}{})", lang.rescheduled_was, date(lang.code, thursday));
        lang.check(moved, &heading, lang.title, Some(tuesday));
    }

    // Cancelled.
    for lang in &LANGS {
        lang_event(
            &site,
            lang,
            "moving",
            tuesday,
            "reminders: []\ncancelled: true\n",
        );
    }
    let posts = take(&app, 4, WITHIN);
    for lang in &LANGS {
        let cancelled = post(&posts, &format!("{}-moving cancelled", lang.code));
        lang.check(cancelled, lang.cancelled, lang.title, Some(tuesday));
    }

    // A recording added to a past talk: the talk's title, its speaker and the event in the locale.
    for lang in &LANGS {
        site.event(
            &format!("{}-past.md", lang.code),
            &past_talk(lang, Some(&format!("https://youtu.be/{}", lang.code))),
        );
    }
    let posts = take(&app, 4, WITHIN);
    for lang in &LANGS {
        let recording = post(&posts, &format!("{}-past recording", lang.code));
        let title = recording["title"].as_str().expect("the talk's title");
        lang.check(recording, lang.recording, title, None);
        let text = plain(text(recording));
        let by = format!("{}Ada Lovelace", lang.by);
        assert!(text.lines().any(|l| l == by), "{by:?} in:\n{text}");
        let past = DateTime::parse_from_rfc3339(recording["start"].as_str().expect("start"))
            .expect("rfc3339")
            .with_timezone(&Utc);
        let at_line = format!("{}{} ({})", lang.at, lang.title, date(lang.code, past));
        assert!(
            text.lines().any(|l| l == at_line),
            "{at_line:?} in:\n{text}"
        );
    }
    let hebrew = text(post(&posts, "he-past recording"));
    assert!(
        hebrew.contains(&format!("{FSI}Ada Lovelace{PDI}")),
        "the English speaker's name is isolated in the Hebrew post:\n{hebrew:?}"
    );
    assert!(
        hebrew.contains(&format!("{FSI}Async ב-Rust{PDI}")),
        "the mixed-script talk title is isolated in the Hebrew post:\n{hebrew:?}"
    );
    let extra: Vec<String> = app
        .collect(Duration::from_millis(1500))
        .iter()
        .map(label)
        .collect();
    assert!(extra.is_empty(), "nothing else is posted: {extra:?}");
}

#[test]
fn a_route_locale_wins_over_the_server_and_the_event() {
    let start = tomorrow_plus(12);
    let site = Site::with_events([
        (
            "berlin.md",
            event(
                "berlin",
                "Rust Berlin",
                start,
                Some("English"),
                "group: berlin\nreminders: [1d]\n",
            ),
        ),
        (
            "paris.md",
            event(
                "paris",
                "Rust Paris",
                start,
                Some("Hebrew"),
                "reminders: [1d]\n",
            ),
        ),
    ]);
    let crier = site.crier().config(&format!(
        "[messages]\nlocale = \"fr\"\n\n[[routes]]\ngroup = \"berlin\"\nchannel_id = \"{BERLIN_CHANNEL}\"\nlocale = \"de\"\n"
    ));
    let app = crier.start();
    let posts = take(&app, 4, WITHIN + Duration::from_secs(12));
    let (de, fr) = (&LANGS[2], &LANGS[1]);
    for kind in ["new", "reminder 1day"] {
        let berlin = post(&posts, &format!("berlin {kind}"));
        assert_eq!(berlin["channel"], BERLIN_CHANNEL, "the route's: {berlin}");
        let paris = post(&posts, &format!("paris {kind}"));
        assert!(
            paris["channel"].is_null(),
            "no route takes it, the console shows it anyway: {paris}"
        );
        let (de_heading, fr_heading) = match kind {
            "new" => (de.new, fr.new),
            _ => (de.reminder_tomorrow, fr.reminder_tomorrow),
        };
        de.check(berlin, de_heading, "Rust Berlin", Some(start));
        fr.check(paris, fr_heading, "Rust Paris", Some(start));
    }
    // The preview chooses as `run` does.
    let preview = crier.output(&["preview", "events/berlin.md"]);
    assert_eq!(preview.code, Some(0), "{}", preview.stderr);
    assert_eq!(preview.stdout, text(post(&posts, "berlin new")));
    let preview = crier.output(&["preview", "events/paris.md"]);
    assert_eq!(preview.code, Some(0), "{}", preview.stderr);
    assert_eq!(preview.stdout, text(post(&posts, "paris new")));
}

#[test]
fn an_override_file_replaces_one_message() {
    let start = tomorrow_plus(10);
    let site = Site::with_events([
        (
            "soon.md",
            event(
                "soon",
                "Rencontre Rust",
                start,
                Some("French"),
                "reminders: [1d]\n",
            ),
        ),
        (
            "later.md",
            event(
                "later",
                "Atelier Rust",
                at(THURSDAY),
                Some("fr"),
                "reminders: []\n",
            ),
        ),
        (
            "english.md",
            event(
                "english",
                "Rust meetup",
                at(THURSDAY),
                Some("English"),
                "reminders: []\n",
            ),
        ),
    ]);
    site.write("messages/fr.ftl", "post-new = Nouveau rendez-vous !\n");
    let app = site
        .crier()
        .config("[messages]\nlocale = \"event\"\ndir = \"messages\"\n")
        .start();
    let posts = take(&app, 4, WITHIN + Duration::from_secs(10));
    let (fr, en) = (&LANGS[1], &LANGS[3]);
    fr.check(
        post(&posts, "soon new"),
        "Nouveau rendez-vous !",
        "Rencontre Rust",
        Some(start),
    );
    fr.check(
        post(&posts, "later new"),
        "Nouveau rendez-vous !",
        "Atelier Rust",
        Some(at(THURSDAY)),
    );
    // The other messages keep the built-in French, and other languages their own.
    fr.check(
        post(&posts, "soon reminder 1day"),
        fr.reminder_tomorrow,
        "Rencontre Rust",
        Some(start),
    );
    en.check(
        post(&posts, "english new"),
        en.new,
        "Rust meetup",
        Some(at(THURSDAY)),
    );
    site.event(
        "later.md",
        &event(
            "later",
            "Atelier Rust",
            at(THURSDAY),
            Some("fr"),
            "reminders: []\ncancelled: true\n",
        ),
    );
    let cancelled = app.next(WITHIN);
    assert_eq!(label(&cancelled), "later cancelled");
    fr.check(&cancelled, fr.cancelled, "Atelier Rust", Some(at(THURSDAY)));
}

#[test]
fn preview_agrees_byte_for_byte_with_the_console() {
    let start = tomorrow_plus(10);
    let site = Site::with_events([(
        "p.md",
        format!(
            "---\nid: p\ntitle: \"Rust & Café\"\ndate: \"{}\"\nonline: false\nlocation: \"Salle 2, 10 rue de la Paix\"\nlanguage: Français\nregister: https://example.org/p\nreminders: [1d]\ntalks:\n  - title: \"Async, enfin\"\n    speakers: [Ada Lovelace, Grace Hopper]\n---\n",
            start.to_rfc3339_opts(SecondsFormat::Secs, true)
        ),
    )]);
    // The override is used by both, and the language comes from the event.
    site.write(
        "messages/fr.ftl",
        "post-new = Nouveau rendez-vous !\ntext-where = Lieu : { $place }\n",
    );
    let crier = site
        .crier()
        .config("[messages]\nlocale = \"event\"\ndir = \"messages\"\n");
    let app = crier.start();
    let new = app.next(WITHIN);
    assert_eq!(label(&new), "p new");
    let reminder = app.next(WITHIN + Duration::from_secs(10));
    assert_eq!(label(&reminder), "p reminder 1day");
    let offset = reminder["offset"].as_str().expect("offset");
    assert!(
        text(&new).starts_with("Nouveau rendez-vous ! : Rust & Café\n")
            && text(&new).contains("\nLieu : en présentiel, Salle 2, 10 rue de la Paix\n"),
        "{}",
        text(&new)
    );

    let cases: [(&[&str], &Value); 2] = [
        (&["preview", "events/p.md"], &new),
        (
            &[
                "preview",
                "events/p.md",
                "--kind",
                "reminder",
                "--offset",
                offset,
            ],
            &reminder,
        ),
    ];
    for (args, console) in cases {
        let out = crier.output(args);
        assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
        assert_eq!(
            out.stdout,
            text(console),
            "{args:?} prints the console's text exactly"
        );
        let mut json_args = args.to_vec();
        json_args.push("--json");
        let out = crier.output(&json_args);
        assert_eq!(out.code, Some(0), "{json_args:?}: {}", out.stderr);
        assert_eq!(
            out.stdout.lines().count(),
            1,
            "{json_args:?}: one line:\n{}",
            out.stdout
        );
        let body: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
            panic!("{json_args:?}: not one JSON object ({e}):\n{}", out.stdout)
        });
        assert!(body.is_object(), "{body}");
        let embed = &body["embeds"][0];
        assert_eq!(embed["title"], "Rust & Café", "{body}");
        let heading = text(console)
            .lines()
            .next()
            .and_then(|first| first.strip_suffix(" : Rust & Café"))
            .expect("a heading, then the title");
        assert_eq!(
            embed["footer"]["text"], heading,
            "the embed's footer is the console's heading: {body}"
        );
    }
}

/// The ids of a .ftl file, each with the variables its message uses (its value and attributes).
fn ids_and_variables(ftl: &str) -> Vec<(String, BTreeSet<String>)> {
    let mut out: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in ftl.lines() {
        let starts_entry = line.starts_with(|c: char| c.is_ascii_lowercase());
        if starts_entry {
            let (id, _) = line.split_once(" =").expect("`id =`");
            out.push((id.to_string(), BTreeSet::new()));
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some((_, variables)) = out.last_mut() {
            for part in line.split('$').skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                variables.insert(name);
            }
        }
    }
    out
}

#[test]
fn crier_messages_lists_every_id_with_its_comment_above() {
    let site = Site::new();
    let crier = site.crier().config("[messages]\nlocale = \"de\"\n");
    let out = crier.output(&["messages", "--locale", "fr"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "post-reminder = Rappel : { $when }")
        .unwrap_or_else(|| panic!("the French reminder:\n{}", out.stdout));
    assert!(at >= 2, "{}", out.stdout);
    assert_eq!(lines[at - 1], "# Variables: $when", "{}", out.stdout);
    assert!(
        lines[at - 2].starts_with("# ") && !lines[at - 2].starts_with("# Variables"),
        "a comment above the variables: {:?}",
        lines[at - 2]
    );

    // Every id of the built-in messages, each in French, with its comment and variables above it.
    let english = ids_and_variables(include_str!("../crates/crier-core/messages/en.ftl"));
    let french = ids_and_variables(include_str!("../crates/crier-core/messages/fr.ftl"));
    assert_eq!(
        english.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        french.iter().map(|(id, _)| id).collect::<Vec<_>>()
    );
    let french_file = include_str!("../crates/crier-core/messages/fr.ftl");
    for (id, variables) in &english {
        let first = french_file
            .lines()
            .find(|l| l.starts_with(&format!("{id} =")))
            .expect("in fr.ftl");
        let at = lines
            .iter()
            .position(|l| l.trim_end() == first.trim_end())
            .unwrap_or_else(|| panic!("{first:?} is listed:\n{}", out.stdout));
        let mut above = at - 1;
        if !variables.is_empty() {
            let list: Vec<String> = variables.iter().map(|v| format!("${v}")).collect();
            assert_eq!(
                lines[above],
                format!("# Variables: {}", list.join(", ")),
                "{id}"
            );
            above -= 1;
        }
        assert!(
            lines[above].starts_with("# ") && !lines[above].starts_with("# Variables"),
            "{id}: its comment directly above: {:?}",
            lines[above]
        );
    }

    // Without --locale: the configured one.
    let out = crier.output(&["messages"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout
            .lines()
            .any(|l| l == "post-new = Neue Veranstaltung"),
        "{}",
        out.stdout
    );

    let out = crier.output(&["messages", "--locale", "xx"]);
    assert_eq!(out.code, Some(2), "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("xx"), "{}", out.stderr);
}

#[test]
fn check_reports_override_files() {
    let site = Site::with_events([(
        "a.md",
        event(
            "a",
            "Rencontre Rust",
            at(THURSDAY),
            Some("French"),
            "reminders: []\n",
        ),
    )]);
    let crier = site
        .crier()
        .config("[messages]\nlocale = \"event\"\ndir = \"messages\"\n");

    // A stray `}` on line 4, after accented letters: the column counts characters, as editors do.
    let broken = "# Nos messages\npost-new = Nouveau rendez-vous\n\npost-cancelled = Événement annulé } désolé\n";
    let (line, column) = broken
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find('}')
                .map(|byte| (i + 1, l[..byte].chars().count() + 1))
        })
        .expect("a brace");
    assert_eq!((line, column), (4, 35));
    site.write("messages/fr.ftl", broken);
    let out = crier.output(&["check"]);
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    let wanted = format!("messages/fr.ftl:{line}:{column}: error: ");
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert!(
        errors.len() == 1 && errors[0].contains(&wanted),
        "one error, {wanted:?}:\n{}",
        out.stdout
    );

    // An unknown id and an unknown variable: warnings with a suggestion, and exit 0.
    let mistyped = "post-cancelld = Annulé !\npost-reminder = Rappel : { $wehn }\n";
    let (line, column) = mistyped
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find("$wehn")
                .map(|byte| (i + 1, l[..byte].chars().count() + 1))
        })
        .expect("the variable");
    assert_eq!((line, column), (2, 28));
    site.write("messages/fr.ftl", mistyped);
    let out = crier.output(&["check"]);
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    let warnings: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("messages/fr.ftl:") && l.contains(": warning: "))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", out.stdout);
    assert!(
        warnings[0].contains("messages/fr.ftl:1:1: warning: ")
            && warnings[0].contains("post-cancelld")
            && warnings[0].contains("did you mean `post-cancelled`"),
        "{}",
        out.stdout
    );
    assert!(
        warnings[1].contains(&format!("messages/fr.ftl:{line}:{column}: warning: "))
            && warnings[1].contains("$wehn")
            && warnings[1].contains("did you mean `$when`"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(": error: "), "{}", out.stdout);
}

#[test]
fn overrides_reload_live_and_a_broken_one_keeps_the_last_good() {
    let site = Site::new();
    let write = |id: &str| {
        site.event(
            &format!("{id}.md"),
            &event(
                id,
                &format!("Soirée {id}"),
                at(THURSDAY),
                None,
                "reminders: []\n",
            ),
        );
    };
    site.write("messages/fr.ftl", "post-new = Première version\n");
    write("a");
    let app = site
        .crier()
        .config("[messages]\nlocale = \"fr\"\ndir = \"messages\"\n")
        .start();
    let fr = &LANGS[1];
    let first = app.next(WITHIN);
    assert_eq!(label(&first), "a new");
    fr.check(&first, "Première version", "Soirée a", Some(at(THURSDAY)));

    // A new wording: the next post uses it.
    site.write("messages/fr.ftl", "post-new = Deuxième version\n");
    assert!(
        app.wait_for_log(WITHIN, "message overrides changed"),
        "the change is picked up:\n{}",
        app.logs()
    );
    write("b");
    let second = app.next(WITHIN);
    assert_eq!(label(&second), "b new");
    fr.check(&second, "Deuxième version", "Soirée b", Some(at(THURSDAY)));

    // A syntax error: the last good version stays, and the error is logged once.
    site.write(
        "messages/fr.ftl",
        "post-new = Troisième version }\npost-cancelled = Annulé\n",
    );
    let error = "a message override file has an error";
    assert!(
        app.wait_for_log(WITHIN, error),
        "the broken file is logged:\n{}",
        app.logs()
    );
    write("c");
    let third = app.next(WITHIN);
    assert_eq!(label(&third), "c new");
    fr.check(&third, "Deuxième version", "Soirée c", Some(at(THURSDAY)));
    // Several rescans (every second) read the broken file again.
    std::thread::sleep(Duration::from_millis(3500));
    let logs = app.logs();
    assert_eq!(logs.matches(error).count(), 1, "logged once:\n{logs}");
    assert!(logs.contains("fr.ftl:1:"), "the file and line:\n{logs}");
}

/// The recording post's link line is crier's own words too (the catalog names the link
/// "Recording", "Recording 2", "Recording (English)"): in a French post it should be French.
#[test]
fn a_recording_post_in_french_has_no_english_line() {
    let fr = &LANGS[1];
    let site = Site::with_events([("fr-past.md", past_talk(fr, None))]);
    let app = site.crier().config("[messages]\nlocale = \"fr\"\n").start();
    assert!(app.collect(Duration::from_millis(1500)).is_empty());
    site.event("fr-past.md", &past_talk(fr, Some("https://youtu.be/fr")));
    let recording = app.next(WITHIN);
    assert_eq!(label(&recording), "fr-past recording");
    fr.check(&recording, fr.recording, "Async Rust", None);
    let text = text(&recording);
    let english: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "Recording")
        })
        .collect();
    assert_eq!(
        english,
        Vec::<&str>::new(),
        "every line of a French post is in French:\n{text}"
    );
}
