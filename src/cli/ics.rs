//! `crier ics`: the calendar (iCalendar, RFC 5545) as `/events.ics` serves it, to standard output or
//! written whole to a file, for a site's CI that publishes a static calendar.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::load_catalog;
use crate::config::SiteConfig;

pub fn command(
    config: SiteConfig,
    all: bool,
    out: Option<PathBuf>,
    events: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let state_dir = config.state_dir.clone();
    let (ledger, site) = (config.ledger.clone(), config.key().to_string());
    let policy = config.messages.policy;
    let overrides =
        crate::adapters::override_files::Overrides::load(config.messages.dir.as_deref());
    let catalog = load_catalog(config, events)?;
    for problem in catalog.problems.iter().filter(|p| p.is_error()) {
        eprintln!("{problem}");
    }
    // The ledger's count of each event's changes, added to the SEQUENCE its file's modification time
    // gives; without a ledger that time alone raises it.
    let sequences = if ledger.postgres.is_some() || state_dir.join("ledger.sqlite3").is_file() {
        let mut ledger = crate::adapters::ledger::Ledger::open(&ledger, &site)?;
        ledger.feed_sequences(&crier_core::feed::fingerprints(
            &catalog.events,
            &catalog.series,
        ))?
    } else {
        Default::default()
    };
    let scope = if all {
        crier_core::feed::Scope::All
    } else {
        crier_core::feed::Scope::Recent {
            now: chrono::Utc::now(),
        }
    };
    let feed = crier_core::feed::build_in(
        &catalog.events,
        &catalog.series,
        scope,
        &|id| sequences.get(id).copied().unwrap_or(0),
        &overrides.wording(),
        policy,
    );
    if let Some(path) = out {
        write_atomically(&path, feed.body.as_bytes())?;
    } else {
        let mut stdout = io::stdout().lock();
        stdout.write_all(feed.body.as_bytes())?;
        stdout.flush()?;
    }
    Ok(if catalog.errors() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes `path` whole or not at all: a temporary file beside it, renamed over it.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "events.ics".into(), |n| n.to_string_lossy().into_owned());
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
