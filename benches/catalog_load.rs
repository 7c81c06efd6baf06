//! Loading a whole site against the floor of reading its files.
//!
//! ```text
//! cargo bench --bench catalog_load            # 10,000 event files
//! CRIER_BENCH_EVENTS=2000 cargo bench --bench catalog_load
//! ```
//!
//! One synthetic site (`examples/gen_events.rs`: event files in the three formats crier reads, with the
//! `presentations/` and `people/` they link to) is written to a temporary folder once, then:
//!
//! - `read_only`: list `events/`, `presentations/` and `people/`, sort, and `std::fs::read` every file,
//!   one after the other (`gen_events::read_site`). Loading cannot be much faster than reading: this is
//!   the floor.
//! - `catalog_load`: `Catalog::load` on the same folders (listing, reading, parsing, linking talks and
//!   speakers, sorting), checked once beforehand to give every event and no error.
//!
//! The target is `catalog_load` within 1.5x of `read_only`. Both run with a warm OS page cache (the files
//! were just written, and criterion warms up before measuring): that is the same for both and is the case
//! that matters for `crier check` in a pre-commit hook or CI, where the checkout was just written too.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use crier::catalog::Settings;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};

#[allow(dead_code)] // The generator's command line (`main`) is not used here.
#[path = "../examples/gen_events.rs"]
mod gen_events;

/// The number of event files, `CRIER_BENCH_EVENTS` or 10,000.
fn event_count() -> usize {
    match std::env::var("CRIER_BENCH_EVENTS") {
        Ok(n) => n
            .parse()
            .expect("CRIER_BENCH_EVENTS must be a number of event files"),
        Err(_) => gen_events::DEFAULT_EVENTS,
    }
}

/// The floor: list and read every file, and nothing else. Returns the bytes read.
fn read_only(root: &Path) -> u64 {
    gen_events::read_site(root)
        .expect("the generated site is readable")
        .1
}

fn catalog_load(c: &mut Criterion) {
    let events = event_count();
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let generated = gen_events::generate(root, events).expect("the site is generated");
    let settings = Settings::for_events_dir(root.join("events"));

    // Once, untimed: the load must see every event and no error, or the figures mean nothing.
    let catalog = crier::site_files::load(&settings).expect("the events folder loads");
    assert_eq!(
        catalog.errors(),
        0,
        "the generated site has errors: {:?}",
        catalog.problems.first()
    );
    assert_eq!(catalog.events.len(), events, "every event file is an event");
    assert_eq!(catalog.presentation_files, generated.presentations);
    assert_eq!(catalog.people_files, generated.people);
    assert_eq!(read_only(root), generated.bytes);
    drop(catalog);

    let mut group = c.benchmark_group(format!("catalog_{events}_events"));
    // An iteration takes 0.1 to 0.5 s at 10,000 events: ten samples of a few iterations each (flat
    // sampling; criterion's default linear sampling would run 55 times the shortest sample).
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6))
        .throughput(Throughput::Elements(generated.files() as u64));
    group.bench_function("read_only", |b| b.iter(|| black_box(read_only(root))));
    // Freeing the catalog afterwards is not part of loading it (`crier check` could skip it by exiting).
    group.bench_function("catalog_load", |b| {
        b.iter_with_large_drop(|| {
            crier::site_files::load(&settings).expect("the events folder loads")
        });
    });
    group.finish();

    pieces(c, events, &settings);
}

/// The parts of a load, each timed on its own and on one thread, to see where the time goes:
/// `cargo bench --bench catalog_load -- pieces`. The files are read into memory first, except for
/// `read_limited` (crier's own read, to compare with `read_only`).
fn pieces(c: &mut Criterion, events: usize, settings: &Settings) {
    use crier::catalog::front::Front;
    use crier::catalog::{frontmatter, Catalog, FileText};

    let files = crier::site_files::list(settings).expect("the site lists");
    let all: Vec<_> = files
        .events
        .iter()
        .chain(&files.people)
        .chain(&files.presentations)
        .cloned()
        .collect();
    let texts: Vec<(std::path::PathBuf, String)> = all
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a generated file is UTF-8");
            (path.clone(), text)
        })
        .collect();
    let by_path: std::collections::HashMap<_, _> = texts.iter().cloned().collect();
    let in_memory = |path: &Path| -> Result<FileText, crier::catalog::Problem> {
        Ok(FileText {
            text: by_path.get(path).cloned().unwrap_or_default(),
            modified: None,
        })
    };

    let mut group = c.benchmark_group(format!("catalog_pieces_{events}_events"));
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("read_limited", |b| {
        b.iter(|| {
            all.iter()
                .map(|path| crier::site_files::read_limited(path).map_or(0, |f| f.text.len()))
                .sum::<usize>()
        });
    });
    group.bench_function("split_serde_yaml", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter_map(|(_, text)| frontmatter::split(text).ok())
                .filter_map(|split| serde_yaml::from_str::<serde_yaml::Value>(split.front).ok())
                .count()
        });
    });
    group.bench_function("split_front_parse", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter_map(|(path, text)| {
                    let split = frontmatter::split(text).ok()?;
                    Front::parse(path, &split).ok().map(|f| f.values.len())
                })
                .sum::<usize>()
        });
    });
    group.bench_function("catalog_read_in_memory", |b| {
        b.iter_with_large_drop(|| {
            let files = crier::site_files::list(settings).expect("the site lists");
            Catalog::read(settings, files, in_memory, chrono::Utc::now())
        });
    });
    group.finish();
}

criterion_group!(benches, catalog_load);
criterion_main!(benches);
