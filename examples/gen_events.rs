//! Writes a synthetic site shaped like the real event corpora, for benchmarks.
//!
//! ```text
//! cargo run --release --example gen_events -- OUT_DIR [N=10000]
//! cargo run --release --example gen_events -- --read-only OUT_DIR
//! ```
//!
//! The first form writes `OUT_DIR/events/` (N event files), `OUT_DIR/presentations/` and `OUT_DIR/people/`,
//! so that `crier check --events OUT_DIR/events` loads every file with zero errors and zero warnings.
//! The second reads every file of those folders and nothing else ([`read_site`]): the floor that
//! `scripts/bench-catalog` times `crier check` against, as a process of its own like crier.
//!
//! The event files are a mix of the three formats crier reads, interleaved by index:
//!
//! - 60% rust.org.il (current): `date: 2025.06.08`, quoted `time`, `schedule:` of `presentations/x.md`
//!   entries (and agenda words such as `mingling`); each presentation names speakers in `people/`.
//! - 20% rust.org.il (legacy): no `time`, talks written in the markdown body as `* Title by [Speaker](url)`
//!   and the other bullet shapes organisers used.
//! - 20% Jekyll (berline.rs `_posts/`): `date: "2026-10-22 19:00 +0200"`, a `links:` map, a structured
//!   `talks:` list or `talks: false`, bodies with `---` horizontal rules.
//!
//! File sizes follow the corpus; averages generated (corpus): current events 390 bytes (430),
//! presentations 670 (640), people 220 (200), legacy events 1.3 KB (1.5 KB), Jekyll posts 1.6 KB
//! (1.8 KB). The output depends only on N: the text varies by index through a small deterministic mixer,
//! no random numbers.
//!
//! The benchmark `benches/catalog_load.rs` includes this file for [`generate`].

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use chrono::{Datelike, Days, NaiveDate};

/// The default number of event files.
pub const DEFAULT_EVENTS: usize = 10_000;

/// Written into OUT_DIR so that a later run may clear the folders it made, and only those.
const MARKER: &str = ".crier-gen-events";

/// What [`generate`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub events: usize,
    pub presentations: usize,
    pub people: usize,
    /// Total bytes of all files written.
    pub bytes: u64,
}

impl Generated {
    pub fn files(&self) -> usize {
        self.events + self.presentations + self.people
    }
}

/// The three folders of a site, as [`generate`] writes them.
pub const SITE_DIRS: [&str; 3] = ["events", "presentations", "people"];

/// The floor of loading a site: list its three folders, sort the paths (as bytes, the cheapest order),
/// and read every file to bytes with `std::fs::read`, one after the other. Returns the number of files
/// and of bytes.
pub fn read_site(root: &Path) -> io::Result<(usize, u64)> {
    let mut files = Vec::new();
    for dir in SITE_DIRS {
        for entry in fs::read_dir(root.join(dir))? {
            files.push(entry?.path());
        }
    }
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    let mut bytes = 0;
    for path in &files {
        bytes += fs::read(path)?.len() as u64;
    }
    Ok((files.len(), bytes))
}

/// Presentations for `events` event files: one for every two current-format events, so each is on
/// about four schedules (a talk given again, or a shared agenda).
pub fn presentation_count(events: usize) -> usize {
    (events * 3 / 10).max(1)
}

/// People for `events` event files: speakers give a few talks each.
pub fn people_count(events: usize) -> usize {
    (events / 5).max(1)
}

/// Writes `root/events/` (`events` files), `root/presentations/` and `root/people/`.
///
/// Fails rather than overwrite folders it did not make: the three folders must be absent or empty, or
/// have been written by an earlier run (which is then replaced whole).
pub fn generate(root: &Path, events: usize) -> io::Result<Generated> {
    let dirs = SITE_DIRS.map(|d| root.join(d));
    let ours = root.join(MARKER).is_file();
    for dir in &dirs {
        if !dir.exists() {
            continue;
        }
        if ours {
            fs::remove_dir_all(dir)?;
        } else if fs::read_dir(dir)?.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "{} is not empty and was not written by gen_events; choose another OUT_DIR",
                    dir.display()
                ),
            ));
        }
    }
    for dir in &dirs {
        fs::create_dir_all(dir)?;
    }
    fs::write(root.join(MARKER), format!("{events}\n"))?;

    let people = people_count(events);
    let presentations = presentation_count(events);
    let mut bytes = 0u64;
    let mut write = |dir: &Path, name: &str, text: &str| -> io::Result<()> {
        bytes += text.len() as u64;
        fs::write(dir.join(name), text)
    };
    for index in 0..people {
        let (name, text) = person(index);
        write(&dirs[2], &name, &text)?;
    }
    for index in 0..presentations {
        let (name, text) = presentation(index, people);
        write(&dirs[1], &name, &text)?;
    }
    for index in 0..events {
        let (name, text) = match index % 10 {
            0..=5 => current_event(index, presentations),
            6 | 7 => legacy_event(index),
            _ => jekyll_event(index),
        };
        write(&dirs[0], &name, &text)?;
    }
    Ok(Generated {
        events,
        presentations,
        people,
        bytes,
    })
}

/// A deterministic stream of numbers for one file (splitmix64, seeded by kind and index).
struct Mix(u64);

impl Mix {
    fn new(kind: u64, index: usize) -> Mix {
        Mix((kind << 40) ^ index as u64)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// One chance in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

const FIRST_NAMES: &[&str] = &[
    "Gabor", "Dan", "Yuval", "Noam", "Daniel", "Isan", "Anton", "Yoav", "Gavrie", "Aviram",
    "Dotan", "Roei", "Efi", "Tomer", "Maor", "Igor", "Ben", "Lukas", "Leon", "Stefan", "Mitchell",
    "Zeeshan", "Ryan", "Bastian", "Maya", "Tamar", "Noa", "Shira", "Yael", "Michal", "Hanna",
    "Lena", "Sophie", "Marta", "Elena", "Ines", "Johanna", "Clara", "Amit", "Omer",
];

const LAST_NAMES: &[&str] = &[
    "Szabo",
    "Aloni",
    "Adam",
    "Tenne",
    "Brodie",
    "Rivkin",
    "Weiss",
    "Yanilov",
    "Philipson",
    "Hassan",
    "Nahum",
    "Mutay",
    "Kravitz",
    "Cohen",
    "Malka",
    "Khanin",
    "Bender",
    "Wirth",
    "Matthes",
    "Buschmann",
    "Nordine",
    "Ali",
    "Levick",
    "Gruber",
    "Levi",
    "Mizrahi",
    "Peretz",
    "Biton",
    "Friedman",
    "Schmidt",
    "Fischer",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Braun",
];

const TOPICS: &[&str] = &[
    "Async Rust",
    "Embedded Rust",
    "Procedural Macros",
    "Error Handling",
    "the Borrow Checker",
    "Tokio",
    "WebAssembly",
    "Bevy",
    "Axum",
    "Serde",
    "FFI with C++",
    "the Linux Kernel",
    "Cargo Workspaces",
    "Unsafe Code",
    "Trait Objects",
    "Lifetimes",
    "SIMD",
    "Rayon",
    "gRPC with Tonic",
    "Command Line Tools",
    "Property Testing",
    "Fuzzing",
    "Zero-Copy Parsing",
    "GPU Programming",
    "Database Drivers",
    "Typst",
    "Polars",
    "Game Servers",
];

const TALK_SHAPES: &[&str] = &[
    "Introduction to {}",
    "A deeper look at {}",
    "{} in production",
    "What I learned from {}",
    "Rewriting a high performance system with {}",
    "{}: tips and tricks",
    "Going low with {}",
    "Bridging Rust and {}",
    "{} for C and C++ programmers",
    "Testing {}",
];

const WORDS: &[&str] = &[
    "rust",
    "crate",
    "compiler",
    "memory",
    "safety",
    "performance",
    "team",
    "production",
    "service",
    "latency",
    "trait",
    "generic",
    "macro",
    "async",
    "runtime",
    "thread",
    "ownership",
    "borrow",
    "lifetime",
    "binary",
    "library",
    "build",
    "test",
    "benchmark",
    "profile",
    "allocation",
    "stack",
    "heap",
    "pointer",
    "iterator",
    "closure",
    "pattern",
    "enum",
    "struct",
    "module",
    "workspace",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "with",
    "for",
    "how",
    "we",
    "our",
    "this",
    "that",
    "it",
    "is",
    "was",
    "on",
    "from",
    "about",
    "will",
    "can",
    "using",
    "when",
    "why",
    "you",
    "your",
    "developers",
    "system",
    "code",
    "design",
    "story",
    "experience",
    "years",
    "project",
];

const HOSTS: &[&str] = &[
    "AWS",
    "Braavos",
    "Varonis",
    "Checkpoint",
    "Spectral",
    "Microsoft",
    "Google",
    "Wix",
    "Pinecone",
    "MetalBear",
    "StarkWare",
    "Nuvoton",
];

const CITIES: &[&str] = &[
    "Tel Aviv",
    "Herzeliya",
    "Haifa",
    "Jerusalem",
    "Ramat Gan",
    "Petah Tikva",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The event's date: spread over twenty years (2012-2031), several events on some days.
fn event_date(index: usize) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2012, 1, 1).expect("a valid date");
    base + Days::new((index as u64 * 37) % 7300)
}

fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `words` words of filler text, as one sentence-cased paragraph.
fn sentence(mix: &mut Mix, words: usize) -> String {
    let mut out = String::new();
    for i in 0..words {
        let word = mix.pick(WORDS);
        if i == 0 {
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
        if i + 1 < words && mix.one_in(12) {
            out.push(',');
        }
    }
    out.push('.');
    out
}

/// A paragraph of a few sentences, `low..=high` words in all (roughly).
fn paragraph(mix: &mut Mix, low: usize, high: usize) -> String {
    let mut left = mix.between(low, high);
    let mut out = String::new();
    while left > 0 {
        let n = mix.between(6, 16).min(left);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence(mix, n));
        left -= n;
    }
    out
}

/// `title: ...`, quoted when asked to or when YAML needs it (a `: ` in the title), as organisers do.
fn title_line(text: &mut String, title: &str, quoted: bool) {
    if quoted || title.contains(": ") {
        let _ = writeln!(text, "title: \"{title}\"");
    } else {
        let _ = writeln!(text, "title: {title}");
    }
}

fn person_name(index: usize) -> (String, String) {
    let mut mix = Mix::new(1, index);
    let first = mix.pick(FIRST_NAMES);
    let last = mix.pick(LAST_NAMES);
    let name = format!("{first} {last}");
    let file = format!("{}-{index}", slug(&name));
    (name, file)
}

fn talk_title(mix: &mut Mix) -> String {
    mix.pick(TALK_SHAPES).replace("{}", mix.pick(TOPICS))
}

/// A presentation's title and file name (without `.md`), from its index alone.
fn presentation_name(index: usize) -> (String, String) {
    let title = talk_title(&mut Mix::new(7, index));
    let file = format!("{}-{index}", slug(&title));
    (title, file)
}

/// A `people/` file: name and links in the front matter, a short bio in the body (often none).
fn person(index: usize) -> (String, String) {
    let mut mix = Mix::new(2, index);
    let (name, file) = person_name(index);
    let handle = file.replace('-', "");
    let mut text = String::from("---\n");
    let _ = writeln!(text, "name: {name}");
    if mix.one_in(4) {
        text.push_str("linkedin:\n");
    } else {
        let _ = writeln!(text, "linkedin: https://www.linkedin.com/in/{file}/");
    }
    if mix.one_in(3) {
        text.push_str("github:\n");
    } else {
        let _ = writeln!(text, "github: {handle}");
    }
    if mix.one_in(2) {
        text.push_str("crates:\n");
    } else {
        let _ = writeln!(text, "crates: {handle}");
    }
    if mix.one_in(3) {
        let _ = writeln!(text, "home: https://{handle}.example.com/");
    } else {
        text.push_str("home:\n");
    }
    let _ = writeln!(text, "img: {file}.jpeg");
    text.push_str("---\n\n");
    if mix.one_in(2) {
        text.push_str(&paragraph(&mut mix, 5, 40));
        text.push('\n');
    }
    (format!("{file}.md"), text)
}

/// A `presentations/` file: title, speakers (people files), length, language; the abstract as body.
fn presentation(index: usize, people: usize) -> (String, String) {
    let mut mix = Mix::new(3, index);
    let (title, file) = presentation_name(index);
    let mut text = String::from("---\n");
    title_line(&mut text, &title, mix.one_in(3));
    text.push_str("speakers:\n");
    let speakers = if mix.one_in(6) { 2 } else { 1 };
    for k in 0..speakers {
        let (_, file) = person_name((index * 7 + k * 3) % people);
        let _ = writeln!(text, "    - people/{file}.md");
    }
    let length = ["0", "20", "30", "40", "45", "60"][mix.below(6)];
    let _ = writeln!(text, "length: {length}");
    let _ = writeln!(text, "language: {}", mix.pick(&["Hebrew", "English"]));
    if mix.one_in(4) {
        let _ = writeln!(
            text,
            "video_he: https://www.youtube.com/watch?v=v{index:010}"
        );
    }
    text.push_str("---\n\n");
    text.push_str(&paragraph(&mut mix, 15, 70));
    text.push_str("\n\n");
    if mix.one_in(2) {
        text.push_str("Draft Agenda:\n\n");
        for _ in 0..mix.between(2, 5) {
            let words = mix.between(5, 14);
            let _ = writeln!(text, "* {}", sentence(&mut mix, words));
        }
        text.push('\n');
    }
    if mix.one_in(3) {
        text.push_str(&paragraph(&mut mix, 20, 80));
        text.push_str("\n\n");
    }
    if mix.one_in(2) {
        let _ = writeln!(text, "[slides](/slides/{file}.pdf)");
    }
    (format!("{file}.md"), text)
}

/// A current rust.org.il event: everything in the front matter, talks in `presentations/`.
fn current_event(index: usize, presentations: usize) -> (String, String) {
    let mut mix = Mix::new(4, index);
    let date = event_date(index);
    let online = mix.one_in(3);
    let title = if mix.one_in(3) {
        talk_title(&mut mix)
    } else {
        let month = MONTHS[date.month0() as usize];
        let host = mix.pick(HOSTS);
        if online {
            format!("Online Rust {month} {} hosted by {host}", date.year())
        } else {
            let city = mix.pick(CITIES);
            format!("In person Rust {month} {} at {host} in {city}", date.year())
        }
    };
    let mut text = String::from("---\n");
    let _ = writeln!(text, "date: {}", date.format("%Y.%m.%d"));
    let _ = writeln!(
        text,
        "time: \"{}:{}\"",
        mix.pick(&["18", "18", "19", "17"]),
        mix.pick(&["00", "30"])
    );
    title_line(&mut text, &title, mix.one_in(2));
    let _ = writeln!(text, "online: {online}");
    let _ = writeln!(
        text,
        "register: https://www.meetup.com/rust-tlv/events/{}/",
        300_000_000 + index
    );
    let _ = writeln!(text, "language: {}", mix.pick(&["Hebrew", "English"]));
    if mix.one_in(40) {
        // An event whose programme is not known yet.
        text.push_str("schedule:\n");
    } else {
        text.push_str("schedule:\n");
        let indent = mix.pick(&["  ", "    "]);
        if mix.one_in(3) {
            let _ = writeln!(text, "{indent}- mingling");
        }
        let talks = mix.between(1, 3);
        let first = mix.below(presentations);
        for k in 0..talks {
            let (_, file) = presentation_name((first + k) % presentations);
            let _ = writeln!(text, "{indent}- presentations/{file}.md");
            if k + 1 < talks && mix.one_in(4) {
                let _ = writeln!(text, "{indent}- break");
            }
        }
    }
    text.push_str("---\n\n");
    let cancelled = mix.one_in(100);
    if cancelled {
        text.push_str("cancelled\n\n");
    }
    if cancelled || mix.one_in(3) {
        text.push_str(&paragraph(&mut mix, 10, 60));
        text.push('\n');
    }
    let name = format!("{}-{}-{index}.md", date.format("%Y-%m-%d"), slug(&title));
    (name, text)
}

/// A legacy rust.org.il event: talks and speakers written in the body.
fn legacy_event(index: usize) -> (String, String) {
    let mut mix = Mix::new(5, index);
    let date = event_date(index);
    let month = MONTHS[date.month0() as usize];
    let title = format!(
        "{month} Edition - {} and {}",
        mix.pick(TOPICS),
        mix.pick(TOPICS)
    );
    let mut text = String::from("---\n");
    let _ = writeln!(text, "date: {}", date.format("%Y.%m.%d"));
    let _ = writeln!(text, "title: {title}");
    let _ = writeln!(
        text,
        "register: https://www.meetup.com/rust-tlv/events/{}/",
        200_000_000 + index
    );
    let _ = writeln!(text, "online: {}", mix.one_in(3));
    let _ = writeln!(text, "language: {}", mix.pick(&["Hebrew", "English"]));
    text.push_str("---\n\n");
    let host = mix.pick(HOSTS);
    let _ = writeln!(
        text,
        "Rust TLV is back with another event, this time hosted by [{host}](https://www.{}.com/)! {}\n",
        slug(host),
        paragraph(&mut mix, 15, 40)
    );
    for _ in 0..mix.between(2, 4) {
        let talk = talk_title(&mut mix);
        let (speaker, file) = person_name(mix.below(10_000));
        let url = format!("https://www.linkedin.com/in/{file}/");
        match mix.below(5) {
            0 | 1 => {
                let _ = writeln!(text, "* {talk} by [{speaker}]({url})");
            }
            2 => {
                let _ = writeln!(text, "* {talk} - [{speaker}]({url})");
            }
            3 => {
                let _ = writeln!(text, "* [{speaker}]({url}) - {talk}");
            }
            _ => {
                let minutes = mix.pick(&["20", "30", "30-40"]);
                let _ = writeln!(text, "* [{speaker}]({url}): {talk} ({minutes} min)");
            }
        }
        if mix.one_in(2) {
            let _ = writeln!(text, "{}", paragraph(&mut mix, 12, 45));
        }
        text.push('\n');
    }
    if mix.one_in(3) {
        let _ = writeln!(text, "* [Video](https://youtu.be/v{index:09})");
    }
    if mix.one_in(4) {
        let _ = writeln!(text, "* Language: {}.", mix.pick(&["English", "Hebrew"]));
    }
    text.push('\n');
    text.push_str(&paragraph(&mut mix, 20, 70));
    text.push('\n');
    let name = format!("{}-{}-{index}.md", date.format("%Y-%m-%d"), slug(&title));
    (name, text)
}

const HACK_AND_LEARN_BODY: &str = "Bring your ideas, questions & projects and let's meet.

* What did you work on this week?
* What problems did you solve this week with Rust?
* Are you just learning Rust and want some topic explained?
* Found an interesting crate you want to talk about?

Feel free to join and drop out at any point.
Everyone is invited to join us, no travel necessary.

## Community

Rust is a language empowering everyone to build reliable and efficient software.

Let's meet for open hacking and (co)-learning in our bi-weekly learning group!

- Never written a single line of Rust, but interested in the language? There will be people around to get you set up and going.
- Already have a project? Just hack on it or find others interested in contributing.
- Don't have a project yet? There are lots of ideas and cool projects floating around that you can work on!
";

/// A Jekyll post as on berline.rs: zoned `date`, `links:` map, structured `talks:` or `talks: false`.
fn jekyll_event(index: usize) -> (String, String) {
    let mut mix = Mix::new(6, index);
    let date = event_date(index);
    let summer = (4..=10).contains(&date.month());
    let hack = mix.one_in(2);
    let title = if hack {
        "Rust Hack and Learn".to_string()
    } else {
        mix.pick(&[
            "Rust and Tell",
            "Rust Berlin Talks",
            "Rust Berlin on Location",
        ])
        .to_string()
    };
    let time = mix.pick(&["19:00", "18:30", "19:00:00", "18:30:00"]);
    let zone = match (mix.below(3), summer) {
        (0, true) => "+0200",
        (0, false) => "+0100",
        (1, true) => "UTC+2",
        (1, false) => "UTC+1",
        (_, true) => "CEST",
        (_, false) => "CET",
    };
    let location = if hack && mix.one_in(2) {
        "online"
    } else {
        mix.pick(&["jetbrains", "dalia", "prenzlauer", "mitte"])
    };
    let mut text = String::from("---\n");
    let _ = writeln!(text, "title: \"{title}\"");
    let _ = writeln!(text, "date: \"{} {time} {zone}\"", date.format("%Y-%m-%d"));
    text.push_str("categories: meetup\n");
    let _ = writeln!(text, "location: {location}");
    text.push_str("links:\n");
    let _ = writeln!(
        text,
        "    \"Meetup.com\": https://www.meetup.com/rust-berlin/events/{}/",
        100_000_000 + index
    );
    if mix.one_in(2) {
        let _ = writeln!(
            text,
            "    \"YouTube Livestream\": https://www.youtube.com/watch?v=b{index:010}"
        );
    }
    let mut speakers = Vec::new();
    if hack {
        text.push_str("talks: false\n");
    } else {
        text.push_str("talks:\n");
        for _ in 0..mix.between(1, 3) {
            let (name, file) = person_name(mix.below(10_000));
            let talk = talk_title(&mut mix);
            let _ = writeln!(text, "  - title: \"{talk}\"");
            text.push_str("    speaker:\n");
            let _ = writeln!(text, "      name: {name}");
            if mix.one_in(2) {
                let _ = writeln!(text, "      github: {}", file.replace('-', ""));
            }
            if mix.one_in(4) {
                let _ = writeln!(text, "    abstract: {}", sentence(&mut mix, 14));
            }
            speakers.push((name, talk));
        }
    }
    text.push_str("---\n\n");
    if hack {
        text.push_str("<center>\n    <h2 style=\"display: inline-block; padding: 0 20px;\"><a href=\"https://meet.jit.si/RustHackAndLearnBerlin\">Jitsi Video chat</a></h2>\n</center>\n\n---\n\n");
        text.push_str(HACK_AND_LEARN_BODY);
    } else {
        let _ = writeln!(
            text,
            "**{title}** is back for another evening of talks, shared ideas, and networking.\n"
        );
        text.push_str("## Agenda\n\n- Doors open: 18:30\n- Start: 19:00\n- Talks\n- Networking\n\n## Speakers\n\n");
        for (name, talk) in &speakers {
            let _ = writeln!(text, "{name} - {talk}\n");
        }
        text.push_str("---\n\n## Speaker Bios\n\n");
        for _ in &speakers {
            let _ = writeln!(text, "{}\n", paragraph(&mut mix, 30, 90));
        }
        text.push_str("## Registration\n\n");
        text.push_str(&paragraph(&mut mix, 30, 80));
        text.push('\n');
    }
    let name = format!("{}-{}-{index}.md", date.format("%Y-%m-%d"), slug(&title));
    (name, text)
}

fn main() {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let usage = || -> ! {
        eprintln!("usage: gen_events OUT_DIR [N={DEFAULT_EVENTS}]\n       gen_events --read-only SITE_DIR");
        std::process::exit(2);
    };
    if args.first().is_some_and(|a| a == "--read-only") {
        let Some(root) = args.get(1).filter(|_| args.len() == 2) else {
            usage()
        };
        let root = Path::new(root);
        match read_site(root) {
            Ok((files, bytes)) => println!("read {files} files, {bytes} bytes"),
            Err(e) => {
                eprintln!("gen_events: cannot read {}: {e}", root.display());
                std::process::exit(1);
            }
        }
        return;
    }
    let (out, events) = match args.as_slice() {
        [out] => (out, DEFAULT_EVENTS),
        [out, n] => match n.to_string_lossy().parse::<usize>() {
            Ok(n) => (out, n),
            Err(e) => {
                eprintln!("gen_events: N must be a number of event files: {e}");
                std::process::exit(2);
            }
        },
        _ => usage(),
    };
    let out = Path::new(out);
    match generate(out, events) {
        Ok(g) => println!(
            "wrote {} events, {} presentations, {} people ({} files, {:.1} MB) under {}",
            g.events,
            g.presentations,
            g.people,
            g.files(),
            g.bytes as f64 / 1e6,
            out.display()
        ),
        Err(e) => {
            eprintln!("gen_events: cannot write {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
