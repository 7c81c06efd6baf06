//! The command line: the arguments (clap), and one file per subcommand that `main.rs` dispatches to.
//! Each subcommand loads what it needs through the adapters and prints; none decides anything the
//! core does not.

mod check;
mod health;
mod ics;
mod list;
mod messages;
mod preview;
mod run;
mod schedule;
mod status;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, SiteConfig};
use crier_core::catalog::Catalog;

/// Announces community meetups from the event files kept in a website repository.
#[derive(Parser)]
#[command(name = "crier", version, about)]
pub struct Cli {
    /// Configuration file (default: ./config.toml if it exists). CRIER_<KEY> variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Checks every event file and reports problems as `path:line:col: error|warning: message`.
    /// Exits 0 without errors, 1 with errors, 2 for a usage or configuration error.
    Check {
        /// The events folder (default: `events_dir` from the configuration).
        #[arg(long, value_name = "DIR", conflicts_with = "git")]
        events: Option<PathBuf>,
        /// Check a site's git repository instead (fetched into a temporary folder, removed after);
        /// the events folder in it is `source.path` (default `events`).
        #[arg(long, value_name = "URL")]
        git: Option<String>,
        /// With --git: the branch (default: the repository's default branch).
        #[arg(long, value_name = "BRANCH", requires = "git")]
        branch: Option<String>,
        /// Also print what crier understood of each event (or of FILE only): the start and where it
        /// came from (which key, which zone and why), and each talk and speaker with the key or rule
        /// that produced it.
        #[arg(long, value_name = "FILE", num_args = 0..=1)]
        explain: Option<Option<PathBuf>>,
        /// Only the site of `[[sites]]` with this name (default: every site, one after another).
        #[arg(long, value_name = "NAME")]
        site: Option<String>,
    },
    /// Lists upcoming events with their talks and speakers.
    List {
        /// Past events too, with every past occurrence of a recurring series (the latest 500 of
        /// each).
        #[arg(long)]
        all: bool,
        /// One JSON array, for scripts.
        #[arg(long)]
        json: bool,
        /// The events folder (default: `events_dir` from the configuration).
        #[arg(long, value_name = "DIR")]
        events: Option<PathBuf>,
        /// The site of `[[sites]]` to work on (needed when there are several).
        #[arg(long, value_name = "NAME")]
        site: Option<String>,
    },
    /// Runs the bot: announces new events, reminders, moves and cancellations as they fall due.
    /// Without DISCORD_TOKEN it announces to standard output.
    Run {
        /// Announce as one JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Shows the timeline: what will be announced when, where, and what was already sent or skipped.
    Schedule {
        /// The site of `[[sites]]` to work on (needed when there are several).
        #[arg(long, value_name = "NAME")]
        site: Option<String>,
    },
    /// Writes the calendar (iCalendar, RFC 5545) of the upcoming events and those of the last 30 days,
    /// as `/events.ics` serves it.
    Ics {
        /// Every event, past ones too.
        #[arg(long)]
        all: bool,
        /// Write to FILE instead of standard output (replaced whole: a reader never sees half a file).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The events folder (default: `events_dir` from the configuration).
        #[arg(long, value_name = "DIR")]
        events: Option<PathBuf>,
        /// The site of `[[sites]]` to work on (needed when there are several).
        #[arg(long, value_name = "NAME")]
        site: Option<String>,
    },
    /// Prints the built-in messages of a language, each with where it appears and its variables:
    /// copy one into `<locale>.ftl` in `[messages] dir` to change its wording.
    Messages {
        /// The language (en, he, fr, de, es; default: `[messages] locale`).
        #[arg(long, value_name = "L")]
        locale: Option<String>,
        /// The site of `[[sites]]` to work on (needed when there are several).
        #[arg(long, value_name = "NAME")]
        site: Option<String>,
    },
    /// Prints the post for the event of FILE exactly as `crier run` would send it: the text the
    /// console shows, or with --json the Discord message's body.
    Preview(preview::Request),
    /// Exits 0 when the running bot is healthy (asks `http.listen`), else 1 with the reason.
    /// Without a listener, checks the configuration and that the state folder is writable.
    Health,
    /// Where the ledger is, which process leads (with a shared PostgreSQL ledger), and what this
    /// machine's bot says about each site (asks `http.listen`).
    Status,
}

/// Exit code for usage and configuration errors, as clap uses for usage errors.
pub(crate) const USAGE_ERROR: u8 = 2;

/// Runs the command line's subcommand with the loaded configuration.
pub fn dispatch(cli: Cli) -> ExitCode {
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("crier: configuration error: {e}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    // The site a command works on: `--site`, or the only one.
    let site = |name: Option<String>| -> Result<SiteConfig, ExitCode> {
        config.site(name.as_deref()).cloned().map_err(|e| {
            eprintln!("crier: {e}");
            ExitCode::from(USAGE_ERROR)
        })
    };
    let result = match cli.command {
        Command::Check {
            git: Some(url),
            branch,
            explain,
            site: name,
            ..
        } => match site(name) {
            Ok(site) => check::command_git(site, &url, branch, explain),
            Err(code) => return code,
        },
        Command::Check {
            events,
            explain,
            site: name,
            ..
        } => {
            let sites = match name {
                Some(name) => match site(Some(name)) {
                    Ok(site) => vec![site],
                    Err(code) => return code,
                },
                None => config.sites.clone(),
            };
            check::command_sites(sites, events, explain)
        }
        Command::List {
            all,
            json,
            events,
            site: name,
        } => match site(name) {
            Ok(site) => list::command(site, events, all, json),
            Err(code) => return code,
        },
        Command::Run { json } => run::command(config, json),
        Command::Schedule { site: name } => match site(name) {
            Ok(site) => schedule::command(&site),
            Err(code) => return code,
        },
        Command::Ics {
            all,
            out,
            events,
            site: name,
        } => match site(name) {
            Ok(site) => ics::command(site, all, out, events),
            Err(code) => return code,
        },
        Command::Health => health::command(&config),
        Command::Status => status::command(&config),
        Command::Messages { locale, site: name } => match site(name) {
            Ok(site) => messages::command(&site, locale.as_deref()),
            Err(code) => return code,
        },
        Command::Preview(request) => match site(request.site.clone()) {
            Ok(site) => preview::command(site, request),
            Err(code) => return code,
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("crier: {e:#}");
            ExitCode::from(USAGE_ERROR)
        }
    }
}

/// `--events`, or with the git source the events folder of the tree `current` names now: the bot may
/// swap the tree (and remove the old one) while a command reads, so it reads one tree whole rather
/// than through the symlink file by file.
pub(crate) fn events_to_read(config: &SiteConfig, events: Option<PathBuf>) -> Option<PathBuf> {
    events.or_else(|| {
        config.source.as_ref()?;
        std::fs::canonicalize(&config.catalog.events_dir).ok()
    })
}

pub(crate) fn load_catalog(
    mut config: SiteConfig,
    events: Option<PathBuf>,
) -> anyhow::Result<Catalog> {
    let events = events_to_read(&config, events);
    if let Some(dir) = events {
        // `--events` moves the whole site: presentations/ and people/ sit beside it.
        // The git tree's root bounds the search for the site's generator only when this is that tree.
        let root_limit = config.catalog.root_limit.take().filter(|root| {
            let (Ok(root), Ok(dir)) = (std::fs::canonicalize(root), std::fs::canonicalize(&dir))
            else {
                return false;
            };
            dir.starts_with(root)
        });
        config.catalog = crier_core::catalog::Settings {
            timezone: config.catalog.timezone,
            default_time: config.catalog.default_time,
            reach: config.catalog.reach,
            past: config.catalog.past,
            dates_timezone: config.catalog.dates_timezone,
            vocabulary: config.catalog.vocabulary.clone(),
            explain: config.catalog.explain,
            root_limit,
            ..crier_core::catalog::Settings::for_events_dir(dir)
        };
    }
    Ok(crate::adapters::site_files::load(&config.catalog)?)
}

/// The configured routes for the site.
pub(crate) fn router(config: &SiteConfig, fallback: bool) -> crier_core::routing::Router {
    crier_core::routing::Router {
        routes: config.routes.clone(),
        site_root: config.catalog.site_root(),
        fallback,
    }
}
