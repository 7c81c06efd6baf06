//! Event files to a typed catalog, with the problems of each file.
//!
//! [`Catalog::read`] takes a site's file list ([`SiteFiles`]: the events folder and the
//! `presentations/`, `people/` and `speakers/` folders beside it) and a function that gives one file's
//! text. It reads no disk itself: the `crier` crate lists the folder and reads the files (or a test
//! hands texts in), and this module parses them in parallel. Each file is read on its own: a bad file
//! adds problems, never hides another event.

pub mod body;
pub mod datetime;
pub mod flat_yaml;
pub mod front;
pub mod frontmatter;
pub mod library;
pub mod loose_date;
pub mod model;
pub mod names;
pub mod page;
pub mod people;
pub mod problem;
pub mod reader;
pub mod recording_links;
pub mod recurrence;
pub mod site;
pub mod talks;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;

pub use library::Library;
pub use model::Occurrence;
pub use model::{Event, Link, Speaker, Talk};
pub use problem::{Position, Problem, Severity};
pub use recurrence::{Override, Past, Series};

/// Files larger than this are not event files; reading them would only slow every check down.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The default reach of a series' expansion: the default longest reminder (7 days) and a day.
pub const DEFAULT_REACH: std::time::Duration = std::time::Duration::from_secs(8 * 86400);

/// Where the event files are and how to read times in them.
#[derive(Debug, Clone)]
pub struct Settings {
    pub events_dir: PathBuf,
    pub presentations_dir: PathBuf,
    pub people_dir: PathBuf,
    /// Hugo sites keep speaker pages in `speakers/` beside the events (`content/speakers/`).
    pub speakers_dir: PathBuf,
    /// The zone of events that name none.
    pub timezone: Tz,
    /// The start of events that give a date but no time.
    pub default_time: NaiveTime,
    /// How far ahead a recurring series is expanded (the longest reminder offset and a margin): the
    /// announcer needs no occurrence beyond it. The next occurrence is listed whatever its distance.
    pub reach: std::time::Duration,
    /// How far back a recurring series is expanded: the last days only for the announcer (the
    /// default), or its whole past for `crier list --all` (see [`recurrence::PAST_LIMIT`]).
    pub past: Past,
    /// The zone of dates written without an offset, when the site's generator's own rule is wrong for
    /// this site (see [`site::date_rule`]); `None` follows the generator.
    pub dates_timezone: Option<Tz>,
    /// How this site names its people and talks, where crier's common vocabulary misses them.
    pub vocabulary: Vocabulary,
    /// Record, for each event, where its start and talks came from (`crier check --explain`).
    pub explain: bool,
    /// The folder above which no site configuration is looked for (a git checkout's root).
    pub root_limit: Option<PathBuf>,
}

/// The organiser's corrections for a site that crier's common vocabulary misreads.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    /// Front-matter keys that hold the speakers, tried before the common ones (`presenter`, ...).
    pub speaker_keys: Vec<String>,
    /// Front-matter keys that hold the list of talks, tried before the common ones (`talks`, ...).
    pub talk_keys: Vec<String>,
    /// Whether the body is read for talks when the front matter lists none.
    pub body_talks: bool,
}

impl Vocabulary {
    /// The configured keys, then `common`: the order in which a reader tries them. Borrowed, not
    /// collected: it is asked for every file and every talk of a list.
    pub fn keys<'k>(
        configured: &'k [String],
        common: &'k [&'k str],
    ) -> impl Iterator<Item = &'k str> {
        configured
            .iter()
            .map(String::as_str)
            .chain(common.iter().copied())
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            speaker_keys: Vec::new(),
            talk_keys: Vec::new(),
            body_talks: true,
        }
    }
}

impl Settings {
    /// Settings for `events_dir`, with `presentations/` and `people/` beside it, in Asia/Jerusalem at 18:00.
    pub fn for_events_dir(events_dir: impl Into<PathBuf>) -> Settings {
        let events_dir = events_dir.into();
        let root = site_root_of(&events_dir);
        Settings {
            presentations_dir: root.join("presentations"),
            people_dir: root.join("people"),
            speakers_dir: root.join("speakers"),
            events_dir,
            timezone: chrono_tz::Asia::Jerusalem,
            default_time: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
            reach: DEFAULT_REACH,
            past: Past::Recent,
            dates_timezone: None,
            vocabulary: Vocabulary::default(),
            explain: false,
            root_limit: None,
        }
    }

    /// The site's root: the folder that holds the events folder.
    pub fn site_root(&self) -> PathBuf {
        site_root_of(&self.events_dir)
    }
}

fn site_root_of(events_dir: &Path) -> PathBuf {
    match events_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Every event of a folder, sorted by start, and every problem found on the way.
#[derive(Debug, Default)]
pub struct Catalog {
    pub events: Vec<Event>,
    /// The recurring series whose occurrences are among `events`, by id.
    pub series: Vec<Series>,
    /// Sorted by path, then line.
    pub problems: Vec<Problem>,
    /// Presentations and people files read.
    pub presentation_files: usize,
    pub people_files: usize,
    /// How offset-less dates were read, and how many files wrote one.
    pub dates: Option<site::DateRule>,
    pub offsetless_files: usize,
    /// Where each event's start and talks came from, by file (with `Settings::explain`).
    pub explanations: Vec<(PathBuf, reader::Explanation)>,
}

/// One file's text as the site holds it, with its modification time (the feed's `LAST-MODIFIED`).
#[derive(Debug, Clone, Default)]
pub struct FileText {
    pub text: String,
    pub modified: Option<DateTime<Utc>>,
}

/// The files of a site, as the `crier` crate found them on disk or in a git tree.
#[derive(Debug, Default)]
pub struct SiteFiles {
    /// The event files, sorted by path (byte order).
    pub events: Vec<PathBuf>,
    /// `people/` and `speakers/` pages, sorted.
    pub people: Vec<PathBuf>,
    /// `presentations/` files, sorted.
    pub presentations: Vec<PathBuf>,
    /// Files found but not to be read (a link out of the folder, say), as problems.
    pub problems: Vec<Problem>,
    /// Candidate generator configuration files ([`site::MARKERS`]), nearest folder first.
    pub site_config: Vec<PathBuf>,
    /// The site's data files (`_data/*.yml`, `data/*.toml`), where people and talks may be kept by id.
    pub data: Vec<PathBuf>,
}

impl Catalog {
    /// Reads the site's files with `read`, with the series expanded around `now` and as far back as
    /// `settings.past` says (see [`recurrence::expand`]). `read` is called once per file, from several threads: the texts are
    /// parsed as they arrive and dropped, so a large site is never held in memory whole.
    pub fn read<R>(settings: &Settings, files: SiteFiles, read: R, now: DateTime<Utc>) -> Catalog
    where
        R: Fn(&Path) -> Result<FileText, Problem> + Sync,
    {
        let SiteFiles {
            events: paths,
            people,
            presentations,
            mut problems,
            site_config,
            data,
        } = files;
        let configs: Vec<(PathBuf, String)> = site_config
            .iter()
            .filter_map(|path| read(path).ok().map(|f| (path.clone(), f.text)))
            .collect();
        let generator = site::detect(&configs);
        let dates = site::date_rule(
            generator.as_ref(),
            settings.dates_timezone,
            settings.timezone,
        );
        let library = Library::read(settings, &people, &presentations, &data, &read);
        let outcomes: Vec<_> = paths
            .par_iter()
            .map(|path| match read(path) {
                Ok(file) => {
                    let mut outcome =
                        reader::read_event(path, &file.text, settings, &library, &dates);
                    if let Some((event, _)) = &mut outcome.event {
                        event.modified = file.modified;
                    }
                    if let Some(series) = &mut outcome.series {
                        series.template.modified = file.modified;
                    }
                    outcome
                }
                Err(problem) => reader::FileOutcome {
                    problems: vec![problem],
                    ..reader::FileOutcome::default()
                },
            })
            .collect();
        let mut events = Vec::with_capacity(outcomes.len());
        let mut identities = Vec::with_capacity(outcomes.len());
        let mut series = Vec::new();
        let mut overrides = Vec::new();
        let mut offsetless_files = 0;
        let mut explanations = Vec::new();
        let mut unknown_keys = reader::UnknownKeys::default();
        let order = DateOrderVote::count(&outcomes);
        for mut outcome in outcomes {
            order.settle(&mut outcome);
            problems.extend(outcome.problems);
            offsetless_files += usize::from(outcome.offsetless);
            unknown_keys.add(outcome.unknown_keys);
            if let Some(explained) = outcome.explanation {
                explanations.push(explained);
            }
            if let Some(one) = outcome.series {
                series.push(one);
            } else if let Some((event, identity)) = outcome.event {
                if let Some(given) = outcome.given {
                    overrides.push((event, given));
                } else {
                    events.push(event);
                    identities.push(identity);
                }
            }
        }
        problems.extend(unknown_keys.problems());
        problems.extend(identify_shared_links(&mut events, &identities));
        problems.extend(library.problems.iter().cloned());
        problems.extend(recurrence::attach_overrides(&mut series, overrides));
        events.extend(recurrence::expand(
            &series,
            now,
            settings.reach,
            settings.past,
        ));
        let mut catalog = Catalog {
            events,
            series,
            problems,
            presentation_files: library.presentation_count(),
            people_files: library.people_count(),
            dates: Some(dates),
            offsetless_files,
            explanations,
        };
        catalog.reject_duplicate_ids();
        catalog
            .events
            .sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.source.cmp(&b.source)));
        catalog
            .problems
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        catalog
    }

    /// Two files with one identity (the same explicit `id:`) would be announced as one event: keep the
    /// first (by path), report the others.
    fn reject_duplicate_ids(&mut self) {
        // The events are in the order of their files (sorted by path) already.
        let mut first: HashMap<String, PathBuf> = HashMap::new();
        let mut problems = Vec::new();
        self.events.retain(|event| {
            if let Some(other) = first.get(&event.id) {
                problems.push(Problem::error(
                    &event.source,
                    None,
                    format!(
                    "this event has the same identity `{}` as {}; give one of them another `id:`",
                    event.id,
                    other.display()
                ),
                ));
                false
            } else {
                first.insert(event.id.clone(), event.source.clone());
                true
            }
        });
        self.problems.extend(problems);
    }

    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.problems.len() - self.errors()
    }

    /// The events as the files write them: single events, each series once, and each dated file of
    /// a series; not the occurrences expanded from a rule, whose number depends on the date.
    pub fn written(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| e.occurrence.is_none()).chain(
            self.series.iter().flat_map(|s| {
                std::iter::once(&s.template).chain(s.overrides.iter().map(|o| &o.event))
            }),
        )
    }

    /// Single events (not occurrences of a series).
    pub fn single_count(&self) -> usize {
        self.events
            .iter()
            .filter(|e| e.occurrence.is_none())
            .count()
    }

    /// Talks over all events as written.
    pub fn talk_count(&self) -> usize {
        self.written().map(|e| e.talks.len()).sum()
    }

    /// Distinct speakers (by name) over all events as written.
    pub fn speaker_count(&self) -> usize {
        self.written()
            .flat_map(|e| &e.talks)
            .flat_map(|t| &t.speakers)
            .map(|s| s.name.as_str())
            .collect::<HashSet<_>>()
            .len()
    }

    /// Events that have not started by `now`.
    pub fn upcoming(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.start >= now)
    }
}

/// How the site's files write numeric dates: the files that show their order decide the ones that
/// cannot (`03/04/2025`), as a reader of the site would.
struct DateOrderVote {
    day_first: usize,
    month_first: usize,
}

impl DateOrderVote {
    fn count(outcomes: &[reader::FileOutcome]) -> DateOrderVote {
        let count = |order| {
            outcomes
                .iter()
                .filter(|o| o.date_order.written == Some(order))
                .count()
        };
        DateOrderVote {
            day_first: count(loose_date::Order::DayFirst),
            month_first: count(loose_date::Order::MonthFirst),
        }
    }

    /// Reads an ambiguous date month-first when the site writes month-first, and says which way it
    /// was read and why.
    fn settle(&self, outcome: &mut reader::FileOutcome) {
        let Some((month_first, at)) = outcome.date_order.month_first else {
            return;
        };
        let Some((event, _)) = &mut outcome.event else {
            return;
        };
        let (day, month) = (self.day_first, self.month_first);
        let message = if month > day {
            let shift = month_first - event.start;
            event.start = month_first;
            event.end = event.end.map(|end| end + shift);
            format!("this date could be day or month first; read month first, as {month} other files of the site write theirs ({day} write day first). Write it as YYYY-MM-DD to be sure")
        } else {
            format!("this date could be day or month first; read day first, as {day} other files of the site write theirs ({month} write month first). Write it as YYYY-MM-DD to be sure")
        };
        outcome
            .problems
            .push(Problem::warning(&event.source, at, message));
    }
}

/// A `register` link that several files share (a group page, a ticket shop's home) identifies none of
/// them: each of those events takes its file as its identity instead, and one warning per link names
/// the files. A link that belongs to one file stays its identity, so a postponed event whose file is
/// renamed stays the same event.
fn identify_shared_links(events: &mut [Event], identities: &[reader::Identity]) -> Vec<Problem> {
    let mut by_link: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        if let Some(link) = event.register.as_deref() {
            by_link.entry(link).or_default().push(i);
        }
    }
    let mut shared: Vec<(String, Vec<usize>)> = by_link
        .into_iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(link, files)| (link.to_string(), files))
        .collect();
    shared.sort();
    let mut problems = Vec::new();
    for (link, files) in shared {
        let names: Vec<String> = files
            .iter()
            .map(|&i| events[i].source.display().to_string())
            .collect();
        let first = files[0];
        problems.push(Problem::warning(
            &events[first].source,
            identities[first].register_at,
            format!(
                "`register: {link}` is shared by {} files ({}); it identifies none of them, so each is identified by its file. Give each event its own registration link or an `id:`, so that renaming its file keeps it the same event",
                files.len(),
                names.join(", ")
            ),
        ));
        for &i in &files {
            if !identities[i].explicit {
                events[i].id = identities[i].file.clone();
            }
        }
    }
    problems
}

/// Whether a path names a markdown file that is meant to be read: not hidden, not an editor's swap or
/// backup file, not a template.
pub fn is_markdown_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    // `_index.md` is a Hugo section's list page, and `_` files are drafts or partials elsewhere: none
    // is an event, a talk or a person.
    if name.starts_with('.') || name.starts_with('#') || name.starts_with('_') {
        return false;
    }
    if name == "skeleton.md" || name.ends_with('~') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// A data file that may be an event: `2016-07-12.yml`, a YAML list of talks or a map of event keys
/// (cologne-js keeps its events so). Same exclusions as [`is_markdown_file`].
pub fn is_data_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with(['.', '#', '_']) || name.ends_with('~') {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// A file of the events folder that crier reads as an event: markdown, or a data file.
pub fn is_event_file(path: &Path) -> bool {
    is_markdown_file(path) || is_data_file(path)
}
