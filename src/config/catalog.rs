//! Where the event files are and how to read them: the folder keys, `timezone` and `default_time`,
//! and how far ahead a series is expanded.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveTime;

use super::origin::{ConfigError, Origins};
use super::raw::RawConfig;
use crier_core::catalog::{datetime, Settings};
use crier_core::routing::Routes;
use crier_core::schedule::Rules;

/// The folder keys, each a path.
const FOLDERS: [&str; 4] = [
    "events_dir",
    "presentations_dir",
    "people_dir",
    "speakers_dir",
];

/// The catalog's settings from the top-level keys. `git`: `source.git`, checked, if set; the
/// repository then says where the files are, and a folder key as well is ambiguous.
pub(super) fn resolve(
    raw: &RawConfig,
    git: Option<&str>,
    at: &Origins,
) -> Result<Settings, ConfigError> {
    let given = [
        &raw.events_dir,
        &raw.presentations_dir,
        &raw.people_dir,
        &raw.speakers_dir,
    ];
    if let Some(git) = git {
        if let Some((key, _)) = FOLDERS.iter().zip(given).find(|(_, v)| v.is_some()) {
            return Err(at.error(key, format!("`source.git` ({git}) and `{key}` both say where the files are; remove `{key}` (with git, `source.path` is the events folder inside the repository, and presentations/ and people/ are read beside it)")));
        }
    }
    let [events, presentations, people, speakers] = given.map(std::clone::Clone::clone);
    let events_dir = at
        .path("events_dir", events)
        .unwrap_or_else(|| at.beside_file("events"));
    let mut catalog = Settings::for_events_dir(events_dir);
    if let Some(dir) = at.path("presentations_dir", presentations) {
        catalog.presentations_dir = dir;
    }
    if let Some(dir) = at.path("people_dir", people) {
        catalog.people_dir = dir;
    }
    if let Some(dir) = at.path("speakers_dir", speakers) {
        catalog.speakers_dir = dir;
    }
    if let Some(name) = &raw.timezone {
        catalog.timezone = datetime::parse_iana(name).map_err(|m| at.error("timezone", m))?;
    }
    if let Some(text) = &raw.default_time {
        catalog.default_time = parse_default_time(text).map_err(|m| at.error("default_time", m))?;
    }
    if let Some(reading) = &raw.catalog {
        if let Some(name) = &reading.dates_timezone {
            catalog.dates_timezone = Some(
                datetime::parse_iana(name).map_err(|m| at.error("catalog.dates_timezone", m))?,
            );
        }
        if let Some(keys) = &reading.speaker_keys {
            catalog.vocabulary.speaker_keys.clone_from(keys);
        }
        if let Some(keys) = &reading.talk_keys {
            catalog.vocabulary.talk_keys.clone_from(keys);
        }
        if let Some(body) = reading.body_talks {
            catalog.vocabulary.body_talks = body;
        }
    }
    Ok(catalog)
}

/// Points `catalog` at `events_dir` in the git source's tree, with its sibling folders beside it; the
/// site's generator is looked for no higher than the tree's root.
pub(super) fn follow_tree(catalog: &mut Settings, events_dir: &Path, tree_root: &Path) {
    catalog.root_limit = Some(tree_root.to_path_buf());
    let beside = Settings::for_events_dir(events_dir);
    catalog.events_dir = beside.events_dir;
    catalog.presentations_dir = beside.presentations_dir;
    catalog.people_dir = beside.people_dir;
    catalog.speakers_dir = beside.speakers_dir;
}

/// How far ahead series are expanded: as far as the longest reminder reaches, and a margin more, so
/// that each occurrence is seen before its first reminder is due. The margin covers the time between
/// two rescans, which is when a new occurrence is noticed.
pub(super) fn reach(routes: &Routes, rules: &Rules, rescan_interval: Duration) -> Duration {
    let longest = routes
        .destinations()
        .filter_map(|d| d.offsets.as_ref())
        .flatten()
        .chain(&rules.offsets)
        .max()
        .copied()
        .unwrap_or_default();
    longest + Duration::from_secs(86400).max(rescan_interval * 2)
}

fn parse_default_time(text: &str) -> Result<NaiveTime, String> {
    datetime::parse_clock(text)
        .ok_or_else(|| format!("`{text}` is not a time of day; write it as \"18:00\""))
}
