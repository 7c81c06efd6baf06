//! The cost of rendering one announcement, as the announcer and the Discord sink do per post:
//! `render::announcement` (in the Texts of the message's locale), then `embed::embed` and
//! `embed::link_button`. Target: p99 ≤ 50 µs per message.
//!
//! 1. criterion group `messages`: every kind (new, reminder 1 day, rescheduled with a previous
//!    start, cancelled, recording) in `en` and `he`, plus the long-title variant of `new`, and
//!    `reminder` alone in `fr`, `de`, `es`;
//! 2. then, outside criterion, per locale: 20,000 messages cycling through the kinds and the two
//!    events (realistic and long title), each timed with `Instant`; p50/p99/max per locale and the
//!    p99 of all locales together, printed to stdout.
//!
//! Run: `cargo bench --bench messages -- --warm-up-time 1 --measurement-time 2`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crier_core::catalog::{Event, Link, Speaker, Talk};
use crier_core::embed;
use crier_core::l10n::{Locale, Texts, Wording};
use crier_core::render;
use crier_core::schedule::{recording_id, Kind};
use criterion::Criterion;

const RECORDING_URL: &str = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
const SAMPLES_PER_LOCALE: usize = 20_000;
const TARGET_P99: Duration = Duration::from_micros(50);

fn speaker(name: &str, url: &str) -> Speaker {
    Speaker {
        name: name.into(),
        url: Some(url.into()),
    }
}

fn talk(title: &str, speakers: Vec<Speaker>, minutes: u32, abstract_md: &str) -> Talk {
    Talk {
        length_minutes: Some(minutes),
        language: Some("Hebrew".into()),
        abstract_md: Some(abstract_md.into()),
        ..Talk::new(title.into(), speakers)
    }
}

/// A meetup as rust.org.il writes them: a title mixing scripts, three talks with one or two
/// speakers (with links), a place, a language and a registration page; the first talk has a
/// recording.
fn event(title: &str) -> Event {
    let start = DateTime::parse_from_rfc3339("2030-01-10T18:30:00+02:00").expect("rfc3339");
    let talks = vec![
        talk(
            "Async בפועל: tokio, hyper ו-axum @everyone",
            vec![speaker("דנה כהן", "https://github.com/dana-cohen")],
            30,
            "Walking through [my first service](https://x.example) with **tokio**.\n\n* hyper\n* axum",
        )
        .with_recordings(vec![Link {
            label: "הקלטה (עברית)".into(),
            url: RECORDING_URL.into(),
        }]),
        talk(
            "WebAssembly in the browser [and beyond]",
            vec![
                speaker("Ada Lovelace", "https://ada.example.org"),
                speaker("יוסי לוי", "https://www.linkedin.com/in/yossi-levi"),
            ],
            45,
            "From `wasm-bindgen` to the component model.",
        ),
        talk(
            "Lightning talk: לוגים מובנים עם tracing",
            vec![speaker("Gábor Szabó", "https://szabgab.com")],
            10,
            "Spans, fields and subscribers in ten minutes.",
        ),
    ];
    Event {
        timezone: "Asia/Jerusalem".into(),
        online: Some(false),
        location: Some("Azrieli Sarona Tower, floor 23, Tel Aviv (מגדל עזריאלי שרונה)".into()),
        language: Some("Hebrew".into()),
        register: Some("https://www.meetup.com/rust-in-israel/events/301234567/".into()),
        end: Some(start + chrono::Duration::hours(3)),
        talks,
        ..Event::new(
            "https://www.meetup.com/rust-in-israel/events/301234567/",
            title,
            start,
            "_events/2030-01-10-rust-webassembly.md",
        )
    }
}

/// The kinds a post can be, with the previous start a rescheduled notice carries.
fn kinds(event: &Event) -> [(&'static str, Kind, Option<DateTime<Utc>>); 5] {
    let previous = (event.start - chrono::Duration::days(7)).with_timezone(&Utc);
    [
        ("new", Kind::New, None),
        (
            "reminder",
            Kind::Reminder(Duration::from_secs(24 * 3600)),
            None,
        ),
        ("rescheduled", Kind::Rescheduled, Some(previous)),
        ("cancelled", Kind::Cancelled, None),
        (
            "recording",
            Kind::Recording(recording_id(RECORDING_URL)),
            None,
        ),
    ]
}

/// One post: the message, its embed and its button, as the Discord sink builds them.
fn render_one(
    event: &Event,
    kind: Kind,
    previous: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> (render::Message, embed::Embed, Option<(String, String)>) {
    let message = render::announcement(event, kind, previous, now, texts);
    let embed = embed::embed(&message, texts);
    let button = embed::link_button(&message, texts);
    (message, embed, button)
}

struct Fixture {
    normal: Event,
    long: Event,
    now: DateTime<Utc>,
}

fn fixture() -> Fixture {
    let normal = event("Rust ו-WebAssembly: async בפועל");
    let long_title = format!(
        "Rust ו-WebAssembly: async בפועל, {}and a very long evening of talks that goes on",
        "מפגש קהילת ראסט הישראלית, ".repeat(12)
    );
    let long = event(&long_title);
    // A day before the start: the reminder says "tomorrow".
    let now = (normal.start - chrono::Duration::days(1)).with_timezone(&Utc);
    // What is timed is a whole post: the recording is found, the long title is cut.
    let texts = Wording::builtin();
    let texts = texts.texts(Locale::En);
    let recording = kinds(&normal)[4];
    let (message, _, button) = render_one(&normal, recording.1, None, now, &texts);
    assert_eq!(message.recording.as_deref(), Some(RECORDING_URL));
    assert!(button.is_some(), "a recording has its button");
    let (_, embed, _) = render_one(&long, Kind::New, None, now, &texts);
    assert!(embed.title.chars().count() <= embed::TITLE_MAX);
    Fixture { normal, long, now }
}

fn messages(c: &mut Criterion, fx: &Fixture) {
    let wording = Wording::builtin();
    let mut group = c.benchmark_group("messages");
    for locale in Locale::ALL {
        let texts = wording.texts(locale);
        let every_kind = matches!(locale, Locale::En | Locale::He);
        for (name, kind, previous) in kinds(&fx.normal) {
            if !every_kind && name != "reminder" {
                continue;
            }
            group.bench_function(format!("{}/{name}", locale.code()), |b| {
                b.iter(|| {
                    black_box(render_one(
                        black_box(&fx.normal),
                        kind,
                        previous,
                        fx.now,
                        &texts,
                    ))
                });
            });
        }
        if every_kind {
            group.bench_function(format!("{}/new_long_title", locale.code()), |b| {
                b.iter(|| {
                    black_box(render_one(
                        black_box(&fx.long),
                        Kind::New,
                        None,
                        fx.now,
                        &texts,
                    ))
                });
            });
        }
    }
    group.finish();
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Per locale, 20,000 posts cycling through the kinds and both events, each timed on its own
/// (dropping the post included, as the sink does).
fn p99(fx: &Fixture) {
    let wording = Wording::builtin();
    let plan: Vec<(&Event, Kind, Option<DateTime<Utc>>)> = [&fx.normal, &fx.long]
        .into_iter()
        .flat_map(|e| kinds(e).map(|(_, kind, previous)| (e, kind, previous)))
        .collect();
    let mut all = Vec::with_capacity(SAMPLES_PER_LOCALE * Locale::ALL.len());
    println!();
    println!(
        "per-message render (announcement + embed + link_button), {SAMPLES_PER_LOCALE} per locale:"
    );
    for locale in Locale::ALL {
        let texts = wording.texts(locale);
        // Warm the caches and the allocator before timing.
        for (event, kind, previous) in plan.iter().cycle().take(1_000) {
            black_box(render_one(event, *kind, *previous, fx.now, &texts));
        }
        let mut samples = Vec::with_capacity(SAMPLES_PER_LOCALE);
        for (event, kind, previous) in plan.iter().cycle().take(SAMPLES_PER_LOCALE) {
            let started = Instant::now();
            let post = render_one(black_box(event), *kind, *previous, fx.now, &texts);
            drop(black_box(post));
            samples.push(started.elapsed());
        }
        samples.sort_unstable();
        println!(
            "  {}: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
            locale.code(),
            micros(percentile(&samples, 0.50)),
            micros(percentile(&samples, 0.99)),
            micros(samples[samples.len() - 1]),
        );
        all.extend(samples);
    }
    all.sort_unstable();
    let overall = percentile(&all, 0.99);
    println!(
        "all locales: p99 {:.1} µs (target ≤ {} µs): {}",
        micros(overall),
        TARGET_P99.as_micros(),
        if overall <= TARGET_P99 {
            "met"
        } else {
            "MISSED"
        }
    );
}

fn main() {
    let fx = fixture();
    let mut criterion = Criterion::default().configure_from_args();
    messages(&mut criterion, &fx);
    criterion.final_summary();
    // `cargo test --benches` runs each bench once without `--bench`: no percentiles then.
    if std::env::args().any(|a| a == "--bench") {
        p99(&fx);
    }
}
