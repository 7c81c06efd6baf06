//! Event folders written for each rule: every error and warning names its file and line, says how to fix
//! it, and never hides another file's event.

use std::fs;
use std::path::Path;

use crier::catalog::{Catalog, Event, Problem, Settings};
use tempfile::TempDir;

/// A site with `events/`, `presentations/` and `people/`, built from (path, text) pairs.
fn site(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for sub in ["events", "presentations", "people"] {
        fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
    }
    for (path, text) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }
    dir
}

fn load(dir: &TempDir) -> Catalog {
    crier::site_files::load(&Settings::for_events_dir(dir.path().join("events"))).expect("loads")
}

fn only_problem(catalog: &Catalog) -> &Problem {
    assert_eq!(catalog.problems.len(), 1, "{:#?}", catalog.problems);
    &catalog.problems[0]
}

fn event<'a>(catalog: &'a Catalog, file: &str) -> &'a Event {
    catalog
        .events
        .iter()
        .find(|e| e.source.ends_with(file))
        .unwrap_or_else(|| panic!("{file} loaded; problems: {:#?}", catalog.problems))
}

const GOOD: &str = "---\ndate: 2030.01.01\ntime: \"18:00\"\ntitle: Good\nregister: https://example.org/good\n---\n";

#[test]
fn no_front_matter_is_an_error_and_the_other_file_still_loads() {
    let dir = site(&[
        ("events/good.md", GOOD),
        ("events/bad.md", "# A meetup\n\nSoon.\n"),
    ]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(p.is_error());
    assert!(p.path.ends_with("events/bad.md"));
    assert_eq!((p.line, p.column), (Some(1), Some(1)));
    assert!(p.message.contains("no front matter"), "{p}");
    assert!(p.message.contains("starts with a line `---`"), "{p}");
    assert_eq!(catalog.events.len(), 1);
    assert_eq!(catalog.events[0].title, "Good");
}

#[test]
fn unclosed_front_matter_says_to_close_it() {
    let dir = site(&[("events/a.md", "---\ndate: 2030.01.01\ntitle: x\n")]);
    let p = only_problem(&load(&dir)).clone();
    assert!(p.message.contains("never closed"), "{p}");
}

#[test]
fn yaml_syntax_error_names_the_line() {
    let dir = site(&[
        ("events/good.md", GOOD),
        (
            "events/bad.md",
            "---\ndate: 2030.01.01\ntitle: [unclosed\nonline: true\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(p.is_error());
    assert!(p.message.starts_with("YAML syntax"), "{p}");
    assert!(matches!(p.line, Some(3..=5)), "{p}");
    assert!(p.to_string().contains("events/bad.md:"), "{p}");
    assert_eq!(catalog.events.len(), 1);
}

#[test]
fn no_usable_date_is_an_error() {
    let dir = site(&[("events/undated.md", "---\ntitle: Someday\n---\n")]);
    let p = only_problem(&load(&dir)).clone();
    assert!(p.is_error());
    assert!(p.message.contains("no usable date"), "{p}");
    assert!(p.message.contains("date: YYYY-MM-DD"), "{p}");

    let dir = site(&[("events/a.md", "---\ntitle: x\ndate: next Tuesday\n---\n")]);
    let p = only_problem(&load(&dir)).clone();
    assert!(p.is_error());
    assert_eq!(p.line, Some(3));
    assert!(p.message.contains("`next Tuesday` is not a date"), "{p}");
}

#[test]
fn unknown_timezone_is_an_error_with_a_suggestion() {
    let dir = site(&[(
        "events/a.md",
        "---\ntitle: x\ndate: 2030-01-01\ntimezone: Europe/Berln\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(p.is_error());
    assert_eq!(p.line, Some(4));
    assert!(p.message.contains("unknown timezone `Europe/Berln`"), "{p}");
    assert!(p.message.contains("did you mean `Europe/Berlin`"), "{p}");
    assert!(catalog.events.is_empty());

    let dir = site(&[(
        "events/a.md",
        "---\ntitle: x\ndate: 2030-01-01 19:00 Mars/Olympus\n---\n",
    )]);
    let p = only_problem(&load(&dir)).clone();
    assert!(
        p.is_error() && p.message.contains("unknown timezone"),
        "{p}"
    );
}

#[test]
fn missing_schedule_entry_is_a_warning_at_its_line_and_the_event_is_kept() {
    let dir = site(&[
        ("people/ada.md", "---\nname: Ada Example\ngithub: ada\n---\nBio.\n"),
        (
            "presentations/intro.md",
            "---\ntitle: Intro\nspeakers:\n  - people/ada.md\nlength: 30\nlanguage: English\n---\nAbstract.\n",
        ),
        (
            "events/a.md",
            "---\ndate: 2030.01.01\ntitle: x\nschedule:\n  - mingling\n  - presentations/intro.md\n  - presentations/intr0.md\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(
        !p.is_error(),
        "a malformed talk leaves the start certain: {p}"
    );
    assert_eq!(catalog.events.len(), 1, "the event is kept");
    assert_eq!(
        catalog.events[0].talks.len(),
        1,
        "with the talk that exists"
    );
    assert_eq!((p.line, p.column), (Some(7), Some(5)), "{p}");
    assert!(
        p.message
            .contains("`presentations/intr0.md` does not exist"),
        "{p}"
    );
    assert!(p.message.contains("did you mean `intro.md`"), "{p}");
}

#[test]
fn schedule_reads_presentations_and_people() {
    let dir = site(&[
        ("people/ada.md", "---\nname: Ada Example\nlinkedin:\ngithub: ada\nhome:\n---\nBio.\n"),
        ("people/bob.md", "---\nname: Bob Example\nhome: https://bob.example\n---\n"),
        (
            "presentations/intro.md",
            "---\ntitle: Intro\nspeakers:\n  - people/ada.md\n  - people/bob.md\nlength: 0\nlanguage: English\n---\nThe abstract.\n",
        ),
        ("events/a.md", "---\ndate: 2030.01.01\ntitle: x\nschedule:\n  - presentations/intro.md\n  - break\n---\n"),
    ]);
    let catalog = load(&dir);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let talk = &event(&catalog, "a.md").talks[0];
    assert_eq!(talk.title, "Intro");
    assert_eq!(talk.length_minutes, None, "length 0 means unknown");
    assert_eq!(talk.language.as_deref(), Some("English"));
    assert_eq!(talk.abstract_md.as_deref(), Some("The abstract."));
    let speakers: Vec<(&str, Option<&str>)> = talk
        .speakers
        .iter()
        .map(|s| (s.name.as_str(), s.url.as_deref()))
        .collect();
    assert_eq!(
        speakers,
        [
            ("Ada Example", Some("https://github.com/ada")),
            ("Bob Example", Some("https://bob.example"))
        ]
    );
}

#[test]
fn missing_speaker_file_is_an_error_on_the_presentation() {
    let dir = site(&[
        (
            "presentations/intro.md",
            "---\ntitle: Intro\nspeakers:\n  - people/nobody.md\n---\n",
        ),
        (
            "events/a.md",
            "---\ndate: 2030.01.01\ntitle: x\nschedule:\n  - presentations/intro.md\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(p.is_error());
    assert!(p.path.ends_with("presentations/intro.md"), "{p}");
    assert_eq!(p.line, Some(4));
    assert!(
        p.message.contains("`people/nobody.md` does not exist"),
        "{p}"
    );
    // The event itself is fine and keeps its talk.
    assert_eq!(event(&catalog, "a.md").talks[0].title, "Intro");
}

#[test]
fn unknown_key_warns_with_the_closest_key() {
    let dir = site(&[(
        "events/a.md",
        "---\ndate: 2030.01.01\ntitle: x\nregster: https://example.org/x\nlayout: post\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(!p.is_error());
    assert_eq!((p.line, p.column), (Some(4), Some(1)));
    assert!(p.message.contains("unknown key `regster`"), "{p}");
    assert!(p.message.contains("did you mean `register`?"), "{p}");
    assert_eq!(catalog.events.len(), 1, "a warning never drops the event");
}

#[test]
fn title_cut_at_hash_warns_and_keeps_the_whole_title() {
    let dir = site(&[(
        "events/a.md",
        "---\ndate: 2030.01.01\ntitle: Summer Camp Session #3 - Kernel\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(!p.is_error());
    assert_eq!(p.line, Some(3));
    assert!(
        p.message
            .contains("title: \"Summer Camp Session #3 - Kernel\""),
        "{p}"
    );
    assert_eq!(catalog.events[0].title, "Summer Camp Session #3 - Kernel");
}

#[test]
fn unquoted_time_warns_about_yaml_1_1() {
    let dir = site(&[(
        "events/a.md",
        "---\ndate: 2030.01.01\ntime: 18:00\ntitle: x\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(!p.is_error());
    assert_eq!((p.line, p.column), (Some(3), Some(7)));
    assert!(p.message.contains("1080"), "{p}");
    assert!(p.message.contains("`time: \"18:00\"`"), "{p}");
    assert_eq!(
        catalog.events[0].start.to_rfc3339(),
        "2030-01-01T18:00:00+02:00"
    );
}

#[test]
fn file_name_date_that_disagrees_warns() {
    let dir = site(&[(
        "events/2030-01-02-meetup.md",
        "---\ndate: 2030-01-03\ntitle: x\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(!p.is_error());
    assert!(
        p.message
            .contains("the file's name says 2030-01-02 but `date` says 2030-01-03"),
        "{p}"
    );
    assert_eq!(
        catalog.events[0].start.date_naive().to_string(),
        "2030-01-03"
    );
}

#[test]
fn date_from_the_file_name_when_there_is_none() {
    let dir = site(&[(
        "events/2030-01-02-meetup.md",
        "---\ntitle: x\ntime: 7:30pm\n---\n",
    )]);
    let catalog = load(&dir);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    assert_eq!(
        catalog.events[0].start.to_rfc3339(),
        "2030-01-02T19:30:00+02:00"
    );
    assert!(catalog.events[0].time_known);
}

#[test]
fn register_that_is_not_a_url_warns() {
    let dir = site(&[(
        "events/a.md",
        "---\ndate: 2030.01.01\ntitle: x\nregister: meetup.com/x\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(!p.is_error());
    assert_eq!((p.line, p.column), (Some(4), Some(11)));
    assert!(p.message.contains("is not a URL"), "{p}");
    assert!(p.message.contains("https://"), "{p}");
}

#[test]
fn a_shared_register_link_identifies_no_event_and_loses_none() {
    let text = "---\ndate: 2030.01.01\ntitle: x\nregister: https://example.org/group\n---\n";
    let own = "---\ndate: 2030.01.02\ntitle: y\nregister: https://example.org/own\n---\n";
    let dir = site(&[
        ("events/a.md", text),
        ("events/b.md", text),
        ("events/sub/c.md", text),
        ("events/d.md", own),
    ]);
    let catalog = load(&dir);
    // One warning for the link, on the first file, naming every file that shares it.
    let p = only_problem(&catalog);
    assert!(!p.is_error(), "{p}");
    assert!(p.path.ends_with("events/a.md"));
    assert_eq!(p.line, Some(4));
    assert!(p.message.contains("shared by 3 files"), "{p}");
    for file in ["a.md", "b.md", "sub/c.md"] {
        assert!(p.message.contains(file), "{p}");
    }
    // Every event is kept, identified by its file; a link of its own still identifies an event.
    let mut ids: Vec<&str> = catalog.events.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["a", "b", "https://example.org/own", "sub/c"]);
}

#[test]
fn the_same_explicit_id_in_two_files_is_an_error() {
    let text = "---\nid: meetup-1\ndate: 2030.01.01\ntitle: x\n---\n";
    let dir = site(&[("events/a.md", text), ("events/b.md", text)]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(p.is_error());
    assert!(p.path.ends_with("events/b.md"));
    assert!(p.message.contains("same identity `meetup-1`"), "{p}");
    assert!(p.message.contains("another `id:`"), "{p}");
    assert_eq!(catalog.events.len(), 1);
}

#[test]
fn identity_survives_a_postponement() {
    let before = site(&[(
        "events/2030-01-01-meetup.md",
        "---\ndate: 2030.01.01\ntitle: x\nregister: https://example.org/e/1\n---\n",
    )]);
    let after = site(&[(
        "events/2030-02-01-meetup.md",
        "---\ndate: 2030.02.01\ntitle: x\nregister: https://example.org/e/1\n---\n",
    )]);
    assert_eq!(load(&before).events[0].id, load(&after).events[0].id);
    assert_eq!(load(&after).events[0].id, "https://example.org/e/1");
    // Without a register link, the file name; with an `id`, the id.
    let dir = site(&[
        ("events/plain.md", "---\ndate: 2030.01.01\ntitle: x\n---\n"),
        (
            "events/named.md",
            "---\nid: my-id\ndate: 2030.01.01\ntitle: x\nregister: https://example.org/n\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    assert_eq!(event(&catalog, "plain.md").id, "plain");
    assert_eq!(event(&catalog, "named.md").id, "my-id");
}

#[test]
fn cancelled_by_key_or_by_first_body_line() {
    let dir = site(&[
        (
            "events/a.md",
            "---\ndate: 2030.01.01\ntitle: a\ncancelled: true\n---\n",
        ),
        (
            "events/b.md",
            "---\ndate: 2030.01.02\ntitle: b\n---\n\ncancelled\n\nWe are sorry.\n",
        ),
        (
            "events/c.md",
            "---\ndate: 2030.01.03\ntitle: c\n---\nNot cancelled: this goes on.\n",
        ),
    ]);
    let catalog = load(&dir);
    assert!(event(&catalog, "a.md").cancelled);
    assert!(event(&catalog, "b.md").cancelled);
    assert!(!event(&catalog, "c.md").cancelled);
}

#[test]
fn skips_hidden_swap_template_and_other_files_silently() {
    let dir = site(&[
        ("events/good.md", GOOD),
        ("events/.hidden.md", "garbage"),
        ("events/.good.md.swp", "garbage"),
        ("events/good.md~", "garbage"),
        ("events/#good.md#", "garbage"),
        (
            "events/skeleton.md",
            "---\ndate: 2025.01.01\ntitle: \"\"\n---\n",
        ),
        ("events/notes.txt", "garbage"),
        ("events/photo.png", "garbage"),
    ]);
    let catalog = load(&dir);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    assert_eq!(catalog.events.len(), 1);
}

#[test]
fn huge_files_and_symlinks_leaving_the_folder_are_errors() {
    let dir = site(&[("events/good.md", GOOD)]);
    let huge = format!(
        "---\ndate: 2030.01.01\ntitle: x\n---\n{}",
        "x".repeat(1024 * 1024)
    );
    fs::write(dir.path().join("events/huge.md"), huge).expect("write");
    let outside = dir.path().join("outside.md");
    fs::write(&outside, GOOD).expect("write");
    std::os::unix::fs::symlink(&outside, dir.path().join("events/link.md")).expect("symlink");
    std::os::unix::fs::symlink(
        dir.path().join("events/good.md"),
        dir.path().join("events/inside.md"),
    )
    .expect("symlink");
    let catalog = load(&dir);
    let messages: Vec<String> = catalog
        .problems
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    assert_eq!(catalog.errors(), 2, "{messages:#?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("huge.md") && m.contains("larger than 1 MiB")));
    assert!(messages
        .iter()
        .any(|m| m.contains("link.md") && m.contains("outside the events folder")));
    // The link inside the folder points at a file that is read anyway: not read twice.
    assert!(messages
        .iter()
        .any(|m| m.contains("inside.md") && m.contains("read once")));
    assert_eq!(catalog.events.len(), 1);
}

#[test]
fn no_time_uses_the_default_and_says_so() {
    let dir = site(&[("events/a.md", "---\ndate: 2030.07.01\ntitle: x\n---\n")]);
    let e = &load(&dir).events[0];
    assert!(!e.time_known);
    assert_eq!(e.start.to_rfc3339(), "2030-07-01T18:00:00+03:00");
    assert_eq!(e.timezone, "Asia/Jerusalem");
}

/// Jekyll and Hugo title a page without `title` from its name: the slug without its date, `-` read
/// as a space. A body's first heading is often a notice, never the title.
#[test]
fn title_falls_back_to_the_file_name_never_a_heading() {
    let dir = site(&[
        (
            "events/2019-05-08-Hack-Night-S19E05.md",
            "---\n---\n## Safety rules\n\nWear shoes.\n",
        ),
        (
            "events/b-meetup.md",
            "---\ndate: 2030.01.02\ntitle: \"\"\n---\n# Venue change\n",
        ),
        (
            "events/2030/03-04-rust-and-tell/index.md",
            "---\ndate: 2030-03-04T19:00:00\n---\n",
        ),
        ("events/talk-night-2030-05-06.md", "---\n---\n"),
    ]);
    let catalog = load(&dir);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let titles: Vec<(&str, String)> = catalog
        .events
        .iter()
        .map(|e| (e.title.as_str(), e.start.date_naive().to_string()))
        .collect();
    assert_eq!(
        titles,
        [
            ("Hack Night S19E05", "2019-05-08".to_string()),
            ("b meetup", "2030-01-02".to_string()),
            ("rust and tell", "2030-03-04".to_string()),
            ("talk night", "2030-05-06".to_string()),
        ]
    );
    let bundle = event(&catalog, "index.md");
    assert_eq!(bundle.id, "2030/03-04-rust-and-tell");
}

#[test]
fn native_format_reads_every_key() {
    let dir = site(&[
        ("people/ada.md", "---\nname: Ada Example\nhome: https://ada.example\n---\n"),
        (
            "events/native.md",
            "---\nid: native-1\ntitle: Native\ndate: 2030-03-29\ntime: \"19:00\"\ntimezone: Europe/Berlin\nduration: 2h 30m\nlocation: Hall A\nonline: false\nlanguage: [English, German]\nregister: https://example.org/n\nreminders: [3d, 1h, 30s]\ntalks:\n  - title: One\n    speakers: [people/ada.md, Bob Example]\n    length: 25\n    language: English\n    abstract: Why.\n  - title: Two\n    speaker: {name: Cy Example, github: cy}\n    length: 10m\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    let e = event(&catalog, "native.md");
    assert_eq!(e.id, "native-1");
    // 2030-03-29 is before Berlin's spring change (31 March): winter time.
    assert_eq!(e.start.to_rfc3339(), "2030-03-29T19:00:00+01:00");
    assert_eq!(e.timezone, "Europe/Berlin");
    assert_eq!(
        e.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2030-03-29T21:30:00+01:00")
    );
    assert_eq!(e.location.as_deref(), Some("Hall A"));
    assert_eq!(e.online, Some(false));
    assert_eq!(e.language.as_deref(), Some("English, German"));
    let reminders: Vec<u64> = e
        .reminders
        .as_ref()
        .expect("reminders")
        .iter()
        .map(std::time::Duration::as_secs)
        .collect();
    assert_eq!(reminders, [3 * 86400, 3600, 30]);
    assert_eq!(e.talks.len(), 2);
    assert_eq!(
        e.talks[0].speakers[0].url.as_deref(),
        Some("https://ada.example")
    );
    assert_eq!(e.talks[0].speakers[1].name, "Bob Example");
    assert_eq!(e.talks[0].length_minutes, Some(25));
    assert_eq!(
        e.talks[1].speakers[0].url.as_deref(),
        Some("https://github.com/cy")
    );
    assert_eq!(e.talks[1].length_minutes, Some(10));
}

#[test]
fn jekyll_time_range_gives_the_end() {
    let dir = site(&[(
        "events/2030-01-10-x.md",
        "---\ntitle: x\ntime: 7:00pm to 9:00pm\n---\n",
    )]);
    let e = &load(&dir).events[0];
    assert_eq!(e.start.to_rfc3339(), "2030-01-10T19:00:00+02:00");
    assert_eq!(
        e.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2030-01-10T21:00:00+02:00")
    );
}

#[test]
fn bad_values_that_leave_the_start_certain_are_warnings_at_their_key() {
    let dir = site(&[
        (
            "events/a.md",
            "---\ndate: 2030.01.01\ntitle: a\ntime: evening\n---\n",
        ),
        (
            "events/b.md",
            "---\ndate: 2030.01.01\ntitle: b\nreminders: [1d, soon]\n---\n",
        ),
        (
            "events/c.md",
            "---\ndate: 2030.01.01\ntitle: c\nduration: long\n---\n",
        ),
        (
            "events/d.md",
            "---\ndate: 2030.01.01\ntitle: d\ntalks: yes please\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    // A time, a reminder, a duration or a talk list that cannot be read loses that value, not the
    // event: each file is kept, at its date.
    assert_eq!(catalog.events.len(), 4, "{:#?}", catalog.problems);
    assert!(
        catalog.problems.iter().all(|p| !p.is_error()),
        "{:#?}",
        catalog.problems
    );
    let a = catalog.events.iter().find(|e| e.title == "a").expect("a");
    assert!(
        !a.time_known,
        "an unreadable time keeps the date without a time"
    );
    let lines: Vec<(String, Option<usize>)> = catalog
        .problems
        .iter()
        .map(|p| {
            (
                p.path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                p.line,
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("a.md".into(), Some(4)),
            ("b.md".into(), Some(4)),
            ("c.md".into(), Some(4)),
            ("d.md".into(), Some(4))
        ]
    );
}

#[test]
fn toml_front_matter_and_drafts() {
    let dir = site(&[
        (
            "events/hugo.md",
            "+++\ntitle = \"Hugo\"\ndate = 2030-05-01T19:00:00+02:00\n+++\nBody.\n",
        ),
        (
            "events/draft.md",
            "---\ndate: 2030.01.01\ntitle: draft\ndraft: true\n---\n",
        ),
    ]);
    let catalog = load(&dir);
    assert!(catalog.problems.is_empty(), "{:#?}", catalog.problems);
    assert_eq!(catalog.events.len(), 1, "drafts are not events");
    assert_eq!(
        catalog.events[0].start.to_rfc3339(),
        "2030-05-01T19:00:00+02:00"
    );
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    let dir = site(&[("events/good.md", GOOD)]);
    fs::write(
        dir.path().join("events/latin1.md"),
        b"---\ndate: 2030.01.01\ntitle: Caf\xe9\n---\n",
    )
    .expect("write");
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(p.is_error());
    assert_eq!((p.line, p.column), (Some(3), Some(11)));
    assert!(p.message.contains("UTF-8"), "{p}");
    assert_eq!(catalog.events.len(), 1);
}

#[test]
fn a_missing_events_folder_is_a_load_error() {
    let err = crier::site_files::load(&Settings::for_events_dir(Path::new("/nonexistent/events")))
        .expect_err("no folder");
    assert!(err.to_string().contains("/nonexistent/events"), "{err}");
}

/// A Hugo page's date sits in its year folder and `MM-DD-` name; a `date` that disagrees wins, and the
/// warning does not ask for a Jekyll file name.
#[test]
fn a_hugo_path_date_that_disagrees_warns_without_a_jekyll_hint() {
    let dir = site(&[(
        "events/2016/06-28-jenkins.md",
        "---\ndate: 2016-06-07T19:00:00\ntitle: Jenkins\n---\n",
    )]);
    let catalog = load(&dir);
    let p = only_problem(&catalog);
    assert!(!p.is_error());
    assert!(
        p.message
            .contains("the file's name says 2016-06-28 but `date` says 2016-06-07"),
        "{p}"
    );
    assert!(p.message.contains("Fix whichever is wrong"), "{p}");
    assert_eq!(
        catalog.events[0].start.date_naive().to_string(),
        "2016-06-07"
    );
}
