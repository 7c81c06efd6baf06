//! Sites crier has never seen: the generator's date rules, the common vocabulary of people and talk
//! keys, data files, and that a problem which leaves the start certain never loses the event. Each
//! test names the pattern it reads, not a site.

mod support;

use crier::catalog::{Catalog, Event, Settings};
use support::site::Site;

/// The site's catalog, read as the bot reads it, in Europe/London.
fn load(site: &Site) -> Catalog {
    load_with(site, |_| {})
}

fn load_with(site: &Site, adjust: impl FnOnce(&mut Settings)) -> Catalog {
    let mut settings = Settings::for_events_dir(site.path().join("events"));
    settings.timezone = chrono_tz::Europe::London;
    adjust(&mut settings);
    crier::site_files::load(&settings).expect("loads")
}

fn only_event(catalog: &Catalog) -> &Event {
    assert_eq!(catalog.events.len(), 1, "{:#?}", catalog.problems);
    &catalog.events[0]
}

fn speakers(event: &Event) -> Vec<Vec<&str>> {
    event
        .talks
        .iter()
        .map(|t| t.speakers.iter().map(|s| s.name.as_str()).collect())
        .collect()
}

fn titles(event: &Event) -> Vec<&str> {
    event.talks.iter().map(|t| t.title.as_str()).collect()
}

const OFFSETLESS: &str = "---\ntitle: Summer meetup\ndate: 2030-07-04T18:00:00\n---\n";

#[test]
fn hugo_without_time_zone_reads_offset_less_dates_as_utc() {
    let site = Site::with_events([("a.md", OFFSETLESS)]);
    site.write(
        "hugo.toml",
        "baseURL = 'https://example.org/'\ntitle = 'x'\n",
    );
    let catalog = load(&site);
    assert_eq!(
        only_event(&catalog).start.to_rfc3339(),
        "2030-07-04T18:00:00+00:00"
    );
    let rule = catalog.dates.as_ref().expect("a rule");
    assert!(
        rule.why.starts_with("Hugo site without `timeZone`"),
        "{}",
        rule.why
    );
    assert_eq!(catalog.offsetless_files, 1);
}

#[test]
fn hugo_time_zone_a_date_comment_and_the_configuration_each_decide() {
    let site = Site::with_events([("a.md", OFFSETLESS)]);
    site.write(
        "config/_default/hugo.toml",
        "baseURL = '/'\ntimeZone = 'America/New_York'\n",
    );
    assert_eq!(
        only_event(&load(&site)).start.to_rfc3339(),
        "2030-07-04T18:00:00-04:00"
    );
    // crier's own `dates_timezone` overrides the generator.
    let catalog = load_with(&site, |s| s.dates_timezone = Some(chrono_tz::Europe::Paris));
    assert_eq!(
        only_event(&catalog).start.to_rfc3339(),
        "2030-07-04T18:00:00+02:00"
    );
    // A zone named on the date's line overrides both.
    site.event(
        "a.md",
        "---\ntitle: x\ndate: 2030-07-04T18:00:00 # UTC date and time of event start time\n---\n",
    );
    let catalog = load_with(&site, |s| s.dates_timezone = Some(chrono_tz::Europe::Paris));
    assert_eq!(
        only_event(&catalog).start.to_rfc3339(),
        "2030-07-04T18:00:00+00:00"
    );
}

#[test]
fn jekyll_without_timezone_reads_them_in_the_configured_zone_and_eleventy_in_utc() {
    let site = Site::with_events([("2030-07-04-a.md", OFFSETLESS)]);
    site.write("_config.yml", "title: x\n");
    assert_eq!(
        only_event(&load(&site)).start.to_rfc3339(),
        "2030-07-04T18:00:00+01:00"
    );
    let site = Site::with_events([(
        "2030-07-04.md",
        "---\ntitle: x\nstarted_at: 2030-07-04 17:30:00\nended_at: 2030-07-04 20:00:00\n---\n",
    )]);
    site.write(
        "package.json",
        r#"{"devDependencies": {"@11ty/eleventy": "^2"}}"#,
    );
    let event = only_event(&load(&site)).clone();
    assert_eq!(event.start.to_rfc3339(), "2030-07-04T17:30:00+00:00");
    assert_eq!(
        event.end.map(|e| e.to_rfc3339()).as_deref(),
        Some("2030-07-04T20:00:00+00:00")
    );
}

#[test]
fn split_date_and_time_strings_and_a_multi_day_end_are_read_in_the_events_zone() {
    let site = Site::with_events([(
        "conf/index.md",
        "---\ntitle: Conf\nstartDate: \"2030-06-18\"\nstartTime: \"08:00\"\nendDate: \"2030-06-20\"\nendTime: \"18:00\"\ntimezone: \"Asia/Singapore\"\n---\n",
    )]);
    let event = only_event(&load(&site)).clone();
    assert_eq!(event.start.to_rfc3339(), "2030-06-18T08:00:00+08:00");
    assert_eq!(
        event.end.map(|e| e.to_rfc3339()).as_deref(),
        Some("2030-06-20T18:00:00+08:00")
    );
}

#[test]
fn an_event_specific_start_key_wins_over_the_pages_date() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: x\ndate: 2030-01-01\nevent_date: 2030-02-14 19:00\n---\n",
    )]);
    let event = only_event(&load(&site)).clone();
    assert_eq!(event.start.to_rfc3339(), "2030-02-14T19:00:00+00:00");
}

#[test]
fn a_day_first_date_and_a_labelled_body_line_are_read_when_nothing_else_is() {
    let site = Site::with_events([
        (
            "a.md",
            "---\ntitle: a\ndate: 14/08/2030\ntime: \"18:30\"\n---\n",
        ),
        (
            "b.md",
            "---\ntitle: b\n---\nJoin us!\n\n**Event Date:** Thursday, 15 August 2030, 6:30pm\n",
        ),
    ]);
    let catalog = load(&site);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let starts: Vec<String> = catalog
        .events
        .iter()
        .map(|e| e.start.to_rfc3339())
        .collect();
    assert_eq!(
        starts,
        ["2030-08-14T18:30:00+01:00", "2030-08-15T18:30:00+01:00"]
    );
}

#[test]
fn a_file_without_a_date_anywhere_is_an_error_naming_the_key_and_the_fix() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: a\ndate: someday soon\n---\nNo date here.\n",
    )]);
    let catalog = load(&site);
    assert!(catalog.events.is_empty());
    let p = &catalog.problems[0];
    assert!(p.is_error(), "{p}");
    assert_eq!(p.line, Some(3));
    assert!(
        p.message
            .contains("neither the file's name nor a `Date:` line"),
        "{p}"
    );
}

#[test]
fn an_unreadable_date_beside_a_dated_file_name_is_a_warning() {
    let site = Site::with_events([("2030-05-02-a.md", "---\ntitle: a\ndate: someday\n---\n")]);
    let catalog = load(&site);
    let event = only_event(&catalog);
    assert_eq!(event.start.date_naive().to_string(), "2030-05-02");
    assert!(catalog.problems.iter().all(|p| !p.is_error()));
    assert!(catalog.problems[0]
        .message
        .contains("the file's name is used instead"));
}

#[test]
fn an_end_before_the_start_is_a_warning_and_the_event_is_kept() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: a\ndate: 2030-05-02 19:00\nend: 2030-05-01 21:00\n---\n",
    )]);
    let catalog = load(&site);
    assert_eq!(only_event(&catalog).end, None);
    assert!(!catalog.problems[0].is_error());
    assert!(catalog.problems[0].message.contains("not after the start"));
}

#[test]
fn people_keys_in_every_shape_and_never_the_pages_author() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: Evening\ndate: 2030-05-02\nauthor: Webmaster Will\norganizer: Olga Org\ntalks:\n  - title: One\n    presenter: '[Ann Lee](https://ann.example)'\n  - title: Two\n    speakers: [{name: Bo Chen, github: bochen}, Cy Dee]\n  - title: Three\n    authors:\n      - name: '@dee'\n  - title: Four\n    speaker: TBA\n---\n",
    )]);
    let catalog = load(&site);
    let event = only_event(&catalog);
    assert_eq!(titles(event), ["One", "Two", "Three", "Four"]);
    assert_eq!(
        speakers(event),
        [
            vec!["Ann Lee"],
            vec!["Bo Chen", "Cy Dee"],
            vec!["@dee"],
            vec![]
        ]
    );
    assert_eq!(
        event.talks[1].speakers[0].url.as_deref(),
        Some("https://github.com/bochen")
    );
}

#[test]
fn one_presenter_and_no_talk_titles_is_one_talk_titled_like_the_event() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: Intro to Rust\ndate: 2030-05-02\npresenter: Ann Lee\n---\nFollowing on from the previous two introductory sessions on GitHub given last month, Ann goes further.\n",
    )]);
    let event = only_event(&load(&site)).clone();
    assert_eq!(titles(&event), ["Intro to Rust"]);
    assert_eq!(speakers(&event), [vec!["Ann Lee"]]);
}

#[test]
fn a_speaker_who_is_also_the_pages_author_gets_a_warning() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: x\ndate: 2030-05-02\nauthor: Ann Lee\nspeaker: Ann Lee\n---\n",
    )]);
    let catalog = load(&site);
    assert_eq!(speakers(only_event(&catalog)), [vec!["Ann Lee"]]);
    let p = &catalog.problems[0];
    assert!(
        !p.is_error() && p.message.contains("also the page's `author`"),
        "{p}"
    );
}

#[test]
fn talk_and_speaker_slugs_point_into_other_folders() {
    let site = Site::with_events([(
        "2030-05-02-may.md",
        "+++\ntitle = \"May\"\ndate = 2030-05-02\n[extra]\nstart = \"19:00\"\ntalks = [\"approval-testing\"]\n+++\n",
    )]);
    site.write(
        "talks/approval-testing.md",
        "+++\ntitle = \"Approval testing\"\n[extra]\nspeaker = \"erik-example\"\n+++\nAbstract.\n",
    );
    site.write(
        "speakers/erik-example.md",
        "+++\ntitle = \"Erik Example\"\n+++\n",
    );
    let catalog = load(&site);
    let event = only_event(&catalog);
    assert_eq!(event.start.to_rfc3339(), "2030-05-02T19:00:00+01:00");
    assert_eq!(titles(event), ["Approval testing"]);
    assert_eq!(speakers(event), [vec!["Erik Example"]]);
}

#[test]
fn a_yaml_file_that_lists_talks_is_an_event_dated_by_its_name() {
    let site = Site::with_events([
        (
            "2030-07-12.yml",
            "- title: Globalize\n  speaker:\n    name: Ann Lee\n    twitter: annlee\n- title: Drinks\n  speaker:\n    name: Cologne.js team\n- title: Two at once\n  speaker:\n    name: Bo Chen, Cy Dee\n",
        ),
        ("2030-08-09.yml", ""),
    ]);
    let catalog = load(&site);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    assert_eq!(catalog.events.len(), 2);
    let first = &catalog.events[0];
    assert_eq!(first.title, "2030-07-12");
    assert!(!first.time_known);
    assert_eq!(
        titles(first),
        ["Globalize", "Two at once"],
        "an item by the organisers is no talk"
    );
    assert_eq!(
        speakers(first),
        [vec!["Ann Lee"], vec!["Bo Chen", "Cy Dee"]]
    );
    assert!(catalog.events[1].talks.is_empty());
}

#[test]
fn a_hugo_academic_talk_page_is_one_talk() {
    let site = Site::with_events([(
        "12vo-meetup/index.md",
        "---\ntitle: \"Introducción a Manjaro \"\nevent: Introducción a Manjaro\nevent_url: https://example.org/group\ndate: 2030-05-02T21:00:00-05:00\nauthors: []\nsummary: Lina nos platicará.\n---\n",
    )]);
    let event = only_event(&load(&site)).clone();
    assert_eq!(event.title, "Introducción a Manjaro");
    assert_eq!(titles(&event), ["Introducción a Manjaro"]);
    assert_eq!(speakers(&event), [Vec::<&str>::new()]);
}

#[test]
fn a_themes_own_keys_are_reported_once_for_the_site_and_typos_at_each_file() {
    let site = Site::with_events([
        (
            "a.md",
            "---\ntitle: a\ndate: 2030-05-02\nheroImage: a.png\n---\n",
        ),
        (
            "b.md",
            "---\ntitle: b\ndate: 2030-05-03\nheroImage: b.png\ntitel: x\n---\n",
        ),
    ]);
    let catalog = load(&site);
    let messages: Vec<&str> = catalog
        .problems
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("key `heroImage` is not one crier reads (and in 1 other file)")));
    assert!(messages.iter().any(|m| m.contains("unknown key `titel`")));
}

#[test]
fn the_configured_vocabulary_reads_a_sites_own_keys_and_can_leave_the_body_alone() {
    let text = "---\ntitle: Evening\ndate: 2030-05-02\nguest: Ann Lee\nsessions_list:\n  - title: One\n---\n";
    let site = Site::with_events([("a.md", text)]);
    let catalog = load_with(&site, |s| {
        s.vocabulary.speaker_keys = vec!["guest".into()];
        s.vocabulary.talk_keys = vec!["sessions_list".into()];
    });
    let event = only_event(&catalog);
    assert_eq!(titles(event), ["One"]);
    assert_eq!(
        speakers(event),
        [vec!["Ann Lee"]],
        "one listed talk takes the event's speaker"
    );
    let body = "---\ntitle: Evening\ndate: 2030-05-02\n---\n- Rust for fun - Ann Lee\n- Async in depth - Bo Chen\n";
    let site = Site::with_events([("a.md", body)]);
    assert_eq!(only_event(&load(&site)).talks.len(), 2);
    let catalog = load_with(&site, |s| s.vocabulary.body_talks = false);
    assert!(only_event(&catalog).talks.is_empty());
}

#[test]
fn check_says_once_how_offset_less_dates_were_read_and_explains_an_event() {
    let site = Site::with_events([
        ("a.md", OFFSETLESS),
        (
            "b.md",
            "---\ntitle: Second\ndate: 2030-07-05T18:00:00\nspeaker: Ann Lee\n---\n",
        ),
    ]);
    site.write("hugo.toml", "baseURL = '/'\n");
    let out = site.crier().output(&["check", "--events", "events"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let dates: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("dates: "))
        .collect();
    assert_eq!(dates.len(), 1, "{}", out.stdout);
    assert!(
        dates[0].contains("Hugo site without `timeZone`") && dates[0].contains("(2 files)"),
        "{}",
        dates[0]
    );
    let out = site
        .crier()
        .output(&["check", "--events", "events", "--explain", "events/b.md"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let text = out.stdout;
    assert!(text.contains("events/b.md: Second"), "{text}");
    assert!(
        !text.contains("a.md: Summer meetup"),
        "only the file asked for: {text}"
    );
    assert!(
        text.contains(
            "start: 2030-07-05T18:00:00+00:00 from `date`; zone: Hugo site without `timeZone`"
        ),
        "{text}"
    );
    assert!(text.contains("people: `speaker` names Ann Lee"), "{text}");
    assert!(
        text.contains("\"Second\" by Ann Lee: the front matter names one presenter"),
        "{text}"
    );
}

#[test]
fn the_catalog_table_of_the_configuration_is_read() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: Evening\ndate: 2030-05-02T18:00:00\nguest: Ann Lee\n---\n",
    )]);
    site.write("hugo.toml", "baseURL = '/'\n");
    let out = site
        .crier()
        .config("[catalog]\ndates_timezone = \"Europe/Paris\"\nspeaker_keys = [\"guest\"]\n")
        .output(&["list", "--all", "--json"]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    let events: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let event = &events[0];
    assert_eq!(event["start"], "2030-05-02T18:00:00+02:00", "{event}");
    assert_eq!(
        event["talks"][0]["speakers"][0]["name"], "Ann Lee",
        "{event}"
    );
    let bad = site
        .crier()
        .config("[catalog]\ndates_timezone = \"Europe/Pariss\"\n")
        .output(&["check"]);
    assert_eq!(bad.code, Some(2), "{}{}", bad.stdout, bad.stderr);
    assert!(bad.stderr.contains("Europe/Paris"), "{}", bad.stderr);
}

#[test]
fn ids_point_into_the_sites_data_files() {
    let site = Site::with_events([(
        "2030-05-02-may.md",
        "---\ntitle: May\ndate: 2030-05-02\ntalks: [async-rust]\n---\n",
    )]);
    site.write(
        "_data/speakers.yml",
        "jane:\n  name: Jane Doe\n  github: janedoe\n",
    );
    site.write(
        "_data/talks.yml",
        "- id: async-rust\n  title: Async Rust in practice\n  speakers: [jane]\n",
    );
    site.write("_data/navigation.yml", "- title: Home\n  url: /\n");
    let catalog = load(&site);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let event = only_event(&catalog);
    assert_eq!(titles(event), ["Async Rust in practice"]);
    assert_eq!(speakers(event), [vec!["Jane Doe"]]);
    assert_eq!(
        event.talks[0].speakers[0].url.as_deref(),
        Some("https://github.com/janedoe")
    );
}

#[test]
fn an_ambiguous_numeric_date_is_read_the_way_the_sites_other_files_write_theirs() {
    let ambiguous = ("c.md", "---\ntitle: c\ndate: 03/04/2030\n---\n");
    // Two files show month first (the second number is above 12).
    let site = Site::with_events([
        ("a.md", "---\ntitle: a\ndate: 01/20/2030\n---\n"),
        ("b.md", "---\ntitle: b\ndate: 02/21/2030\n---\n"),
        ambiguous,
    ]);
    let catalog = load(&site);
    let c = catalog.events.iter().find(|e| e.title == "c").expect("c");
    assert_eq!(c.start.date_naive().to_string(), "2030-03-04");
    let warning = catalog
        .problems
        .iter()
        .find(|p| p.path.ends_with("c.md"))
        .expect("a warning on the ambiguous file");
    assert!(!warning.is_error());
    assert!(
        warning
            .message
            .contains("read month first, as 2 other files"),
        "{warning}"
    );
    // A site that writes day first reads it day first.
    let site = Site::with_events([
        ("a.md", "---\ntitle: a\ndate: 20/01/2030\n---\n"),
        ambiguous,
    ]);
    let catalog = load(&site);
    let c = catalog.events.iter().find(|e| e.title == "c").expect("c");
    assert_eq!(c.start.date_naive().to_string(), "2030-04-03");
}

#[test]
fn a_data_file_without_a_date_says_why_it_is_not_read() {
    let site = Site::with_events([("groups.yml", "- name: Rust\n- name: Go\n")]);
    let catalog = load(&site);
    assert!(catalog.events.is_empty());
    let p = &catalog.problems[0];
    assert!(p.is_error(), "{p}");
    assert!(p.message.contains("name it YYYY-MM-DD.yml"), "{p}");
    assert!(
        p.message.contains("move it out of the events folder"),
        "{p}"
    );
}

#[test]
fn a_speaker_slug_without_a_page_is_shown_as_words_with_a_warning() {
    let site = Site::with_events([(
        "a.md",
        "---\ntitle: Evening\ndate: 2030-05-02\nspeakers: [jane-doe]\n---\n",
    )]);
    let catalog = load(&site);
    assert_eq!(speakers(only_event(&catalog)), [vec!["Jane Doe"]]);
    let p = &catalog.problems[0];
    assert!(!p.is_error(), "{p}");
    assert!(p.message.contains("shown as `Jane Doe`"), "{p}");
}
