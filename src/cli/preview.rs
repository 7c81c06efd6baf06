//! `crier preview FILE`: the post for one event exactly as `crier run` would send it: the text the
//! console prints, or with `--json` the body of the Discord message (the sink's own builder, so the
//! two cannot drift apart). Organisers check their wording with it before anything is posted.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{load_catalog, router, USAGE_ERROR};
use crate::adapters::override_files::Overrides;
use crate::config::SiteConfig;
use crier_core::catalog::Event;
use crier_core::l10n::{locale, Locale};
use crier_core::schedule::{Key, Kind};

/// The announcement kinds `--kind` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PreviewKind {
    New,
    Reminder,
    Rescheduled,
    Cancelled,
    Recording,
}

/// What `crier preview` was asked.
#[derive(clap::Args)]
pub struct Request {
    /// An event file, as a path from the working directory.
    file: PathBuf,
    /// Which post.
    #[arg(long, value_enum, default_value = "new")]
    kind: PreviewKind,
    /// For a reminder: how long before the start (default: the event's first reminder).
    #[arg(long, value_name = "DURATION")]
    offset: Option<String>,
    /// The language (default: the one `run` would use for this event).
    #[arg(long, value_name = "L")]
    locale: Option<String>,
    /// Print the Discord message's body as one JSON object, and nothing else.
    #[arg(long)]
    json: bool,
    /// The events folder (default: `events_dir` from the configuration).
    #[arg(long, value_name = "DIR")]
    events: Option<PathBuf>,
    /// The site of `[[sites]]` whose configuration to use (needed when there are several).
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
}

pub fn command(config: SiteConfig, request: Request) -> anyhow::Result<ExitCode> {
    let usage = |message: String| {
        eprintln!("crier: {message}");
        Ok(ExitCode::from(USAGE_ERROR))
    };
    let wanted = match std::fs::canonicalize(&request.file) {
        Ok(path) => path,
        Err(e) => return usage(format!("{}: {e}", request.file.display())),
    };
    let locale = match request.locale.as_deref().map(Locale::from_code) {
        Some(None) => {
            return usage(format!(
                "--locale: `{}` is not a language crier has messages in; use one of {}",
                request.locale.unwrap_or_default(),
                locale::codes()
            ))
        }
        Some(Some(locale)) => Some(locale),
        None => None,
    };
    let offset = match request.offset.as_deref().map(humantime::parse_duration) {
        Some(Err(e)) => return usage(format!("--offset: {e}; write it like `1d` or `2h`")),
        Some(Ok(offset)) => Some(offset),
        None => None,
    };
    let router = router(&config, true);
    let rules = config.rules.clone();
    let policy = config.messages.policy;
    let overrides = Overrides::load(config.messages.dir.as_deref());
    let role = config.discord.mention_role;
    let site = config.name.clone();
    let catalog = load_catalog(config, request.events)?;
    let now = Utc::now();
    let Some(event) = pick(&catalog.events, &wanted, now) else {
        let problems: Vec<String> = catalog
            .problems
            .iter()
            .filter(|p| same_file(&p.path, &wanted))
            .map(ToString::to_string)
            .collect();
        if problems.is_empty() {
            return usage(format!(
                "{}: no event comes from this file; give a file of the events folder ({})",
                request.file.display(),
                catalog_dir_hint()
            ));
        }
        for problem in problems {
            eprintln!("{problem}");
        }
        return Ok(ExitCode::FAILURE);
    };
    let routed = router.route(event, &rules);
    let destination = routed.as_ref().and_then(|r| r.destination.clone());
    let kind = match request.kind {
        PreviewKind::New => Kind::New,
        PreviewKind::Rescheduled => Kind::Rescheduled,
        PreviewKind::Cancelled => Kind::Cancelled,
        PreviewKind::Reminder => {
            // As the schedule chooses them: the file's own `reminders:`, else the route's, else
            // the configured ones.
            let offsets = event
                .reminders
                .as_ref()
                .unwrap_or_else(|| routed.as_ref().map_or(&rules.offsets, |r| &r.rules.offsets));
            let offset = offset
                .or_else(|| offsets.first().copied())
                .unwrap_or(Duration::from_secs(86400));
            Kind::Reminder(offset)
        }
        PreviewKind::Recording => {
            let Some(link) = crier_core::recordings::links(event).into_iter().next() else {
                return usage(format!(
                    "{}: this event has no recording link yet, so there is no recording post to show",
                    request.file.display()
                ));
            };
            Kind::Recording(crier_core::schedule::recording_id(&link.url))
        }
    };
    // A reminder is rendered at the moment it falls due, so that "in 2 hours" reads as it will.
    let at: DateTime<Utc> = match kind {
        Kind::Reminder(offset) => {
            event.start.with_timezone(&Utc) - chrono::Duration::from_std(offset).unwrap_or_default()
        }
        _ => now,
    };
    let locale = locale.unwrap_or_else(|| {
        policy.for_event(
            event.language.as_deref(),
            destination.as_ref().and_then(|d| d.locale),
        )
    });
    let wording = overrides.wording();
    let texts = wording.texts(locale);
    let message = crier_core::render::announcement(event, kind, None, at, &texts);
    let mut out = io::stdout().lock();
    if request.json {
        // The key the schedule gives this post, so that the nonce is the one `run` would send. A
        // series is announced as new once, keyed by the series (see `schedule::plan_event`).
        let key = match (&event.occurrence, kind) {
            (Some(occurrence), Kind::New) if !occurrence.overridden => Key {
                event_id: occurrence.series.clone(),
                kind,
                start: DateTime::UNIX_EPOCH,
            },
            _ => Key {
                event_id: event.id.clone(),
                kind,
                start: event.start.with_timezone(&Utc),
            },
        };
        let role = match &destination {
            Some(d) => d.mention_role,
            None => role,
        }
        .map(serenity::all::RoleId::new);
        let body =
            crate::adapters::discord::post_body(&message, site.as_deref(), &key, &wording, role);
        writeln!(out, "{}", serde_json::to_string(&body)?)?;
    } else {
        out.write_all(message.text.as_bytes())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn catalog_dir_hint() -> &'static str {
    "`events_dir` in the configuration, or --events"
}

/// Whether `path` is the file `wanted` (canonical). The names first: only a file of the same name is
/// worth resolving, and a site may have thousands.
fn same_file(path: &Path, wanted: &Path) -> bool {
    path.file_name() == wanted.file_name() && std::fs::canonicalize(path).is_ok_and(|p| p == wanted)
}

/// The event read from `wanted`: for a series, its next occurrence (else its last).
fn pick<'a>(events: &'a [Event], wanted: &Path, now: DateTime<Utc>) -> Option<&'a Event> {
    let from_file: Vec<&Event> = events
        .iter()
        .filter(|e| same_file(&e.source, wanted))
        .collect();
    from_file
        .iter()
        .find(|e| e.start >= now)
        .or(from_file.last())
        .copied()
}
