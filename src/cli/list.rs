//! `crier list`: the upcoming (or all) events with their talks and speakers, as text or JSON.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::load_catalog;
use crate::config::SiteConfig;
use crier_core::catalog::{Catalog, Event, Past, Talk};

pub fn command(
    mut config: SiteConfig,
    events: Option<PathBuf>,
    all: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    if all {
        // Every past occurrence of a series too, as far back as the core bounds it; the announcer and
        // the other commands expand only the recent ones.
        config.catalog.past = Past::All;
    }
    let catalog = load_catalog(config, events)?;
    let listed = listed(&catalog, all, chrono::Utc::now());
    let mut out = io::stdout().lock();
    if json {
        list_json(&listed, &mut out)?;
    } else {
        list_text(&listed, &mut out)?;
    }
    out.flush()?;
    if !catalog.problems.is_empty() {
        eprintln!(
            "crier: {}; `crier check` shows them",
            super::check::summary(&catalog)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The events to list: upcoming ones (not started by `now`), or all (the catalog read with
/// [`Past::All`] for a series' whole past).
pub fn listed(catalog: &Catalog, all: bool, now: DateTime<Utc>) -> Vec<&Event> {
    catalog
        .events
        .iter()
        .filter(|e| all || e.start >= now)
        .collect()
}

/// One event as `crier list --json` prints it: a stable shape for scripts.
#[derive(Serialize)]
struct JsonEvent<'a> {
    id: &'a str,
    title: &'a str,
    start: String,
    time_known: bool,
    timezone: &'a str,
    end: Option<String>,
    online: Option<bool>,
    language: Option<&'a str>,
    location: Option<&'a str>,
    register: Option<&'a str>,
    cancelled: bool,
    source: String,
    talks: &'a [Talk],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    recordings: &'a [crier_core::catalog::Link],
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    /// For an occurrence of a recurring series: the series' id.
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<&'a str>,
}

pub fn list_json(events: &[&Event], out: &mut impl Write) -> io::Result<()> {
    let items: Vec<JsonEvent<'_>> = events
        .iter()
        .map(|e| JsonEvent {
            id: &e.id,
            title: &e.title,
            start: e.start.to_rfc3339(),
            time_known: e.time_known,
            timezone: &e.timezone,
            end: e.end.map(|t| t.to_rfc3339()),
            online: e.online,
            language: e.language.as_deref(),
            location: e.location.as_deref(),
            register: e.register.as_deref(),
            cancelled: e.cancelled,
            source: e.source.display().to_string(),
            talks: &e.talks,
            recordings: &e.recordings,
            group: e.group.as_deref(),
            series: e.occurrence.as_ref().map(|o| o.series.as_str()),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

/// How much of a talk's abstract `crier list` shows.
const LIST_ABSTRACT_MAX: usize = 300;

/// Readable text: each event with its local start, place, language, link, talks and speakers.
pub fn list_text(events: &[&Event], out: &mut impl Write) -> io::Result<()> {
    if events.is_empty() {
        writeln!(
            out,
            "No upcoming events. (`crier list --all` shows past ones too.)"
        )?;
    }
    for (i, event) in events.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let when = if event.time_known {
            event.start.format("%a %-d %b %Y, %H:%M").to_string()
        } else {
            event
                .start
                .format("%a %-d %b %Y, time to be announced")
                .to_string()
        };
        let cancelled = if event.cancelled { "CANCELLED: " } else { "" };
        writeln!(out, "{cancelled}{}", event.title)?;
        writeln!(out, "  when:     {when} ({})", event.timezone)?;
        let place = crier_core::render::place(
            event,
            &crier_core::l10n::Wording::builtin_texts(crier_core::l10n::Locale::En),
        )
        .unwrap_or_else(|| "not announced".into());
        writeln!(out, "  where:    {place}")?;
        if let Some(language) = &event.language {
            writeln!(out, "  language: {language}")?;
        }
        if let Some(register) = &event.register {
            writeln!(out, "  register: {register}")?;
        }
        for talk in &event.talks {
            writeln!(out, "  - {}", crier_core::talk_line::listing(talk))?;
            if let Some(abstract_md) = &talk.abstract_md {
                // The opening of the abstract; `--json` has all of it.
                let text = crier_core::render::abstract_text(abstract_md).replace('\n', " ");
                let text = crier_core::text::truncate(&text, LIST_ABSTRACT_MAX);
                writeln!(out, "      {text}")?;
            }
            for recording in &talk.recordings {
                writeln!(out, "      {}: {}", recording.label, recording.url)?;
            }
        }
        for recording in &event.recordings {
            writeln!(out, "  {}: {}", recording.label, recording.url)?;
        }
    }
    Ok(())
}
