//! `crier check`: every problem of the site as `path:line:col: error|warning: message`, for
//! pre-commit hooks and a site's CI; `--git URL` checks a repository's branch from a temporary clone.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::{events_to_read, load_catalog, router, USAGE_ERROR};
use crate::config::SiteConfig;
use crier_core::catalog::Catalog;
use crier_core::routing::Router;
use crier_core::schedule::Rules;

/// `--explain`, with or without a file.
pub type Explain = Option<Option<PathBuf>>;

/// Checks each site in turn; with several, each site's report begins with its name. Exits 1 if
/// any site has errors.
pub fn command_sites(
    sites: Vec<SiteConfig>,
    events: Option<PathBuf>,
    explain: Explain,
) -> anyhow::Result<ExitCode> {
    let several = sites.len() > 1;
    let mut failed = false;
    for site in sites {
        if several {
            println!("== site {} ==", site.key());
        }
        failed |= command(site, events.clone(), explain.clone())? == ExitCode::FAILURE;
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn command(
    mut config: SiteConfig,
    events: Option<PathBuf>,
    explain: Explain,
) -> anyhow::Result<ExitCode> {
    config.catalog.explain = explain.is_some();
    let events = events_to_read(&config, events);
    let mut router = router(&config, false);
    if let Some(dir) = &events {
        // Path globs are relative to the site being checked.
        router.site_root = crier_core::catalog::Settings::for_events_dir(dir).site_root();
    }
    let rules = config.rules.clone();
    let uses_discord = config.discord.channel_id.is_some() || !config.routes.is_empty();
    let messages = config.messages.clone();
    let catalog = load_catalog(config, events)?;
    let mut out = io::stdout().lock();
    // Only a configured server routes: with no channel at all, crier announces to the console.
    if uses_discord {
        unroutable(&catalog, &router, &rules, chrono::Utc::now(), &mut out)?;
    }
    if let Some(only) = &explain {
        print_explanations(&catalog, only.as_deref(), &mut out)?;
    }
    print_date_rule(&catalog, &mut out)?;
    let message_errors = print_messages(&messages, &catalog, &router, &rules, &mut out)?;
    let has_errors = print_problems(&catalog, &mut out)? || message_errors;
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
pub fn command_git(
    mut config: SiteConfig,
    url: &str,
    branch: Option<String>,
    explain: Explain,
) -> anyhow::Result<ExitCode> {
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
    // The site's generator is looked for in the clone, not in the folders around it.
    config.catalog.root_limit = Some(checkout.dir.clone());
    let back = std::env::current_dir()?;
    std::env::set_current_dir(&checkout.dir)?;
    let result = command(config, Some(source.path), explain);
    std::env::set_current_dir(back)?;
    result
}

/// Says once how dates without an offset were read, and why, when any file wrote one.
fn print_date_rule(catalog: &Catalog, out: &mut impl Write) -> io::Result<()> {
    if let (Some(rule), n @ 1..) = (&catalog.dates, catalog.offsetless_files) {
        let files = if n == 1 {
            "1 file"
        } else {
            &format!("{n} files")
        };
        writeln!(
            out,
            "dates: {} ({files}). Set `[catalog] dates_timezone` to read them otherwise",
            rule.why
        )?;
    }
    Ok(())
}

/// What crier understood of each event file (or of `only`): title, start and its source, talks.
fn print_explanations(
    catalog: &Catalog,
    only: Option<&std::path::Path>,
    out: &mut impl Write,
) -> io::Result<()> {
    let only = only.map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()));
    // One pass over the events, not one per file: `--explain` alone explains every file.
    let titles: std::collections::HashMap<&std::path::Path, &str> = catalog
        .events
        .iter()
        .map(|e| (e.source.as_path(), e.title.as_str()))
        .collect();
    let mut shown = 0;
    for (path, explained) in &catalog.explanations {
        if let Some(only) = &only {
            // The name first: only a file of the same name is worth resolving.
            if path.file_name() != only.file_name()
                || &std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()) != only
            {
                continue;
            }
        }
        shown += 1;
        let title = titles
            .get(path.as_path())
            .copied()
            .unwrap_or("(not read: see its problems below)");
        writeln!(out, "{}: {title}", path.display())?;
        writeln!(out, "  start: {}", explained.start)?;
        for line in &explained.talks {
            writeln!(out, "  {line}")?;
        }
        if explained.talks.is_empty() {
            let why = explained
                .no_talks
                .as_deref()
                .unwrap_or("no talk list in the front matter, and none found in the body");
            writeln!(out, "  talks: none ({why})")?;
        }
    }
    if let (Some(only), 0) = (&only, shown) {
        writeln!(out, "{}: not an event file of this site", only.display())?;
    }
    Ok(())
}

/// Checks the override files (`[messages] dir`) and the languages the events ask for: a Fluent
/// syntax error is an error; an unknown id or variable, a language crier has no messages in, or a
/// message that real events push past Discord's limits, a warning. Returns whether there were errors.
fn print_messages(
    messages: &crate::config::MessagesConfig,
    catalog: &Catalog,
    router: &Router,
    rules: &Rules,
    out: &mut impl Write,
) -> io::Result<bool> {
    use crier_core::l10n::{Choice, Locale};
    let mut errors = false;
    let files = match &messages.dir {
        Some(dir) => crate::adapters::override_files::read(dir).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot read `[messages] dir` {}: {e}", dir.display()),
            )
        })?,
        None => Vec::new(),
    };
    let mut counts = (0, 0);
    for file in &files {
        for finding in &file.findings {
            errors |= finding.error;
            if finding.error {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
            writeln!(
                out,
                "{}:{}:{}: {}: {}",
                file.path.display(),
                finding.line,
                finding.column,
                if finding.error { "error" } else { "warning" },
                finding.message
            )?;
        }
    }
    let overridden: Vec<crier_core::l10n::Override> = files
        .iter()
        .filter(|f| !f.has_errors())
        .filter_map(|f| {
            f.locale.map(|locale| crier_core::l10n::Override {
                locale,
                text: f.text.clone(),
            })
        })
        .collect();
    if !files.is_empty() {
        writeln!(
            out,
            "messages: {} override files; {} errors, {} warnings",
            files.len(),
            counts.0,
            counts.1
        )?;
    }
    let wording = crier_core::l10n::Wording::with_overrides(&overridden);
    for (locale, problem) in crier_core::l10n::commands::problems(&wording) {
        let file = messages
            .dir
            .as_deref()
            .unwrap_or(std::path::Path::new("."))
            .join(format!("{locale}.ftl"));
        writeln!(out, "{}: warning: {problem}", file.display())?;
    }
    // Events in a language crier has no messages in: said once per language.
    let now = Utc::now();
    let mut said = std::collections::HashSet::new();
    let mut fitted = std::collections::HashSet::new();
    for event in catalog.upcoming(now) {
        let routed = router.route(event, rules);
        let route_locale = routed
            .as_ref()
            .and_then(|r| r.destination.as_ref())
            .and_then(|d| d.locale);
        let by_event = route_locale.unwrap_or(messages.policy.choice) == Choice::Event;
        if let (true, Some(language)) = (by_event, event.language.as_deref()) {
            if Locale::from_language(language).is_none()
                && said.insert(language.trim().to_lowercase())
            {
                writeln!(
                    out,
                    "{}: warning: `language: {}` is not a language crier has messages in; its events are announced in the fallback, {} (`[messages] fallback`)",
                    event.source.display(),
                    language.trim(),
                    messages.policy.fallback.english_name()
                )?;
            }
        }
        // Overridden wording that real events push past Discord's limits: once per file.
        let locale = messages
            .policy
            .for_event(event.language.as_deref(), route_locale);
        if overridden.iter().any(|o| o.locale == locale) && fitted.insert(&event.source) {
            let texts = wording.texts(locale);
            for problem in crier_core::embed::overflows(event, &texts, now) {
                writeln!(
                    out,
                    "{}: warning: `{}`: {problem}",
                    event.source.display(),
                    event.title
                )?;
            }
        }
    }
    Ok(errors)
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
