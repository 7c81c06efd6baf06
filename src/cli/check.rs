//! `crier check`: every problem of the site as `path:line:col: error|warning: message`, for
//! pre-commit hooks and a site's CI; `--git URL` checks a repository's branch from a temporary clone.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::{events_to_read, load_catalog, router, USAGE_ERROR};
use crate::config::Config;
use crier_core::catalog::Catalog;
use crier_core::routing::Router;
use crier_core::schedule::Rules;

pub fn command(config: Config, events: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let events = events_to_read(&config, events);
    let mut router = router(&config, false);
    if let Some(dir) = &events {
        // Path globs are relative to the site being checked.
        router.site_root = crier_core::catalog::Settings::for_events_dir(dir).site_root();
    }
    let rules = config.rules.clone();
    let uses_discord = config.discord.channel_id.is_some() || !config.routes.is_empty();
    let catalog = load_catalog(config, events)?;
    let mut out = io::stdout().lock();
    // Only a configured server routes: with no channel at all, crier announces to the console.
    if uses_discord {
        unroutable(&catalog, &router, &rules, chrono::Utc::now(), &mut out)?;
    }
    let has_errors = print_problems(&catalog, &mut out)?;
    out.flush()?;
    // The process ends here: freeing 10,000 events one by one would only delay the exit.
    std::mem::forget(catalog);
    Ok(if has_errors {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `crier check --git URL`: the site as of the branch's last commit, read from a temporary clone.
/// Problems are reported with paths inside the repository (`events/2024-05-01.md`), as in CI.
pub fn command_git(config: Config, url: &str, branch: Option<String>) -> anyhow::Result<ExitCode> {
    use crate::adapters::source::git;
    let url = match crate::config::source::check_url(url) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("crier: --git: {e}");
            return Ok(ExitCode::from(USAGE_ERROR));
        }
    };
    // The configured path, token and user name; the URL and branch given here.
    let source = crate::config::GitSource {
        url: url.clone(),
        branch,
        ..config
            .source
            .clone()
            .unwrap_or_else(|| crate::config::GitSource::new(url.clone()))
    };
    // Removed when dropped, on every return path.
    let scratch = tempfile::Builder::new()
        .prefix("crier-check-")
        .tempdir()
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot create a temporary folder in {} for the clone: {e}; set TMPDIR to a writable folder (a read-only container: mount a tmpfs at /tmp)",
                std::env::temp_dir().display()
            )
        })?;
    let follower = crate::adapters::source::follower(scratch.path().to_path_buf(), &source)?;
    git::install_crypto_provider();
    let checkout = follower
        .fetch()
        .and_then(|fetched| follower.checkout(&fetched.commit))
        .map_err(|e| anyhow::anyhow!("cannot check {url}: {e:#}"))?;
    eprintln!(
        "crier: checking {url} at commit {} ({})",
        checkout.short(),
        checkout.summary
    );
    let back = std::env::current_dir()?;
    std::env::set_current_dir(&checkout.dir)?;
    let result = command(config, Some(source.path));
    std::env::set_current_dir(back)?;
    result
}

/// Prints every problem, then one summary line. Returns whether there were errors.
pub fn print_problems(catalog: &Catalog, out: &mut impl Write) -> io::Result<bool> {
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
