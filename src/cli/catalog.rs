//! The catalog commands: `crier check` (for pre-commit hooks and a site's CI) and `crier list`.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::adapters::ledger::Ledger;
use crier_core::catalog::{Catalog, Event, Talk};
use crier_core::routing::Router;
use crier_core::schedule::{plan_event, Rules};

/// Prints every problem, then one summary line. Returns whether there were errors.
pub fn check(catalog: &Catalog, out: &mut impl Write) -> io::Result<bool> {
    for problem in &catalog.problems {
        writeln!(out, "{problem}")?;
    }
    writeln!(out, "{}", summary(catalog))?;
    Ok(catalog.errors() > 0)
}

/// `N events, N talks, N speakers; N errors, N warnings`, with `N series` after the events when the
/// site has recurring events (counted once each: their occurrences depend on the date).
pub fn summary(catalog: &Catalog) -> String {
    let series = match catalog.series.len() {
        0 => String::new(),
        n => format!(", {n} series"),
    };
    format!(
        "{} events{series}, {} talks, {} speakers; {} errors, {} warnings",
        catalog.single_count(),
        catalog.talk_count(),
        catalog.speaker_count(),
        catalog.errors(),
        catalog.warnings()
    )
}

/// The events to list: upcoming ones (not started by `now`), or all.
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
        let place = crier_core::render::place(event).unwrap_or_else(|| "not announced".into());
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

/// Lists the upcoming events that no route takes and that have no default channel: they are listed
/// by the commands and the feed, never announced. One line each, as `path: warning: ...`.
pub fn unroutable(
    catalog: &Catalog,
    router: &Router,
    rules: &Rules,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> io::Result<usize> {
    let mut count = 0;
    // One line per file: a series' occurrences share theirs.
    let mut warned = std::collections::HashSet::new();
    for event in catalog.upcoming(now) {
        if router.route(event, rules).is_none() && warned.insert(&event.source) {
            count += 1;
            writeln!(
                out,
                "{}: warning: `{}` matches no route and `discord.channel_id` is not set: it is listed, never announced. Add a route that takes it, or set `discord.channel_id`",
                event.source.display(),
                event.title
            )?;
        }
    }
    Ok(count)
}

/// Writes `path` whole or not at all: a temporary file beside it, renamed over it.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "events.ics".into());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// The timeline: every announcement the ledger recorded, and what the schedule will do next, with
/// the channel each goes to.
pub fn schedule(
    catalog: &Catalog,
    ledger: &Ledger,
    router: &Router,
    rules: &Rules,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let memory = ledger.load()?;
    let titles: std::collections::HashMap<&str, &str> = catalog
        .events
        .iter()
        .map(|e| (e.id.as_str(), e.title.as_str()))
        .collect();
    let mut rows: Vec<(DateTime<Utc>, String, String, String, String)> = Vec::new();
    for record in ledger.records(None)? {
        let status = match &record.detail {
            Some(detail) => format!("{:?}: {detail}", record.status).to_lowercase(),
            None => format!("{:?}", record.status).to_lowercase(),
        };
        let title = titles
            .get(record.key.event_id.as_str())
            .copied()
            .unwrap_or(&record.key.event_id);
        let channel = record
            .channel
            .map_or_else(|| "-".to_string(), |c| format!("#{c}"));
        rows.push((
            record.due,
            status,
            record.key.kind.to_string(),
            channel,
            title.to_string(),
        ));
    }
    for event in catalog.upcoming(now) {
        let routed = router.route(event, rules);
        let channel = Router::channel_name(routed.as_ref());
        let Some(routed) = routed else {
            rows.push((
                event.start.with_timezone(&Utc),
                "never announced: no route takes it and `discord.channel_id` is not set".into(),
                "-".into(),
                channel,
                event.title.clone(),
            ));
            continue;
        };
        let mut plan = plan_event(event, &memory, &routed.rules, now);
        let (posted, held) = router.hold_back(&routed, std::mem::take(&mut plan.due));
        plan.due = posted;
        plan.skip.extend(held);
        for due in &plan.due {
            rows.push((
                now,
                "due now".into(),
                due.key.kind.to_string(),
                channel.clone(),
                event.title.clone(),
            ));
        }
        for pending in &plan.pending {
            rows.push((
                pending.due,
                "planned".into(),
                pending.key.kind.to_string(),
                channel.clone(),
                event.title.clone(),
            ));
        }
        for skip in &plan.skip {
            rows.push((
                skip.due,
                format!("will skip: {}", skip.reason),
                skip.key.kind.to_string(),
                channel.clone(),
                event.title.clone(),
            ));
        }
    }
    rows.sort();
    if rows.is_empty() {
        writeln!(out, "Nothing announced and nothing planned.")?;
    }
    for (at, status, kind, channel, title) in rows {
        writeln!(
            out,
            "{}  {kind:<14} {channel:<21} {title}  [{status}]",
            at.format("%Y-%m-%d %H:%M:%S UTC")
        )?;
    }
    Ok(())
}
