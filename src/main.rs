//! The `crier` command line: parses arguments, loads the configuration and wires the parts together.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crier::catalog::Catalog;
use crier::commands;
use crier::config::Config;

/// Announces community meetups from the event files kept in a website repository.
#[derive(Parser)]
#[command(name = "crier", version, about)]
struct Cli {
    /// Configuration file (default: ./config.toml if it exists). CRIER_<KEY> variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    },
    /// Lists upcoming events with their talks and speakers.
    List {
        /// Past events too.
        #[arg(long)]
        all: bool,
        /// One JSON array, for scripts.
        #[arg(long)]
        json: bool,
        /// The events folder (default: `events_dir` from the configuration).
        #[arg(long, value_name = "DIR")]
        events: Option<PathBuf>,
    },
    /// Runs the bot: announces new events, reminders, moves and cancellations as they fall due.
    /// Without DISCORD_TOKEN it announces to standard output.
    Run {
        /// Announce as one JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Shows the timeline: what will be announced when, where, and what was already sent or skipped.
    Schedule,
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
    },
    /// Exits 0 when the running bot is healthy (asks `http.listen`), else 1 with the reason.
    /// Without a listener, checks the configuration and that the state folder is writable.
    Health,
}

/// Exit code for usage and configuration errors, as clap uses for usage errors.
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("crier: configuration error: {e}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    let result = match cli.command {
        Command::Check {
            git: Some(url),
            branch,
            ..
        } => check_git(config, &url, branch),
        Command::Check { events, .. } => check(config, events),
        Command::List { all, json, events } => list(config, events, all, json),
        Command::Run { json } => run(config, json),
        Command::Schedule => schedule(config),
        Command::Ics { all, out, events } => ics(config, all, out, events),
        Command::Health => health(config),
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
fn events_to_read(config: &Config, events: Option<PathBuf>) -> Option<PathBuf> {
    events.or_else(|| {
        config.source.as_ref()?;
        std::fs::canonicalize(&config.catalog.events_dir).ok()
    })
}

fn load_catalog(mut config: Config, events: Option<PathBuf>) -> anyhow::Result<Catalog> {
    let events = events_to_read(&config, events);
    if let Some(dir) = events {
        // `--events` moves the whole site: presentations/ and people/ sit beside it.
        config.catalog = crier::catalog::Settings {
            timezone: config.catalog.timezone,
            default_time: config.catalog.default_time,
            reach: config.catalog.reach,
            ..crier::catalog::Settings::for_events_dir(dir)
        };
    }
    Ok(crier::site_files::load(&config.catalog)?)
}

fn check(config: Config, events: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let events = events_to_read(&config, events);
    let mut router = router(&config, false);
    if let Some(dir) = &events {
        // Path globs are relative to the site being checked.
        router.site_root = crier::catalog::Settings::for_events_dir(dir).site_root();
    }
    let rules = config.rules.clone();
    let uses_discord = config.discord.channel_id.is_some() || !config.routes.is_empty();
    let catalog = load_catalog(config, events)?;
    let mut out = io::stdout().lock();
    // Only a configured server routes: with no channel at all, crier announces to the console.
    if uses_discord {
        commands::unroutable(&catalog, &router, &rules, chrono::Utc::now(), &mut out)?;
    }
    let has_errors = commands::check(&catalog, &mut out)?;
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
fn check_git(config: Config, url: &str, branch: Option<String>) -> anyhow::Result<ExitCode> {
    use crier::source::git;
    let url = match git::check_url(url) {
        Ok(url) => url,
        Err(e) => {
            eprintln!("crier: --git: {e}");
            return Ok(ExitCode::from(USAGE_ERROR));
        }
    };
    // The configured path, token and user name; the URL and branch given here.
    let source = crier::config::GitSource {
        url: url.clone(),
        branch,
        ..config
            .source
            .clone()
            .unwrap_or_else(|| crier::config::GitSource::new(url.clone()))
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
    let follower = crier::source::follower(scratch.path().to_path_buf(), &source)?;
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
    let result = check(config, Some(source.path));
    std::env::set_current_dir(back)?;
    result
}

fn list(
    config: Config,
    events: Option<PathBuf>,
    all: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let catalog = load_catalog(config, events)?;
    let listed = commands::listed(&catalog, all, chrono::Utc::now());
    let mut out = io::stdout().lock();
    if json {
        commands::list_json(&listed, &mut out)?;
    } else {
        commands::list_text(&listed, &mut out)?;
    }
    out.flush()?;
    if !catalog.problems.is_empty() {
        eprintln!(
            "crier: {}; `crier check` shows them",
            commands::summary(&catalog)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run(config: Config, json: bool) -> anyhow::Result<ExitCode> {
    let token = match crier::discord::Token::from_env_or_file(
        std::env::var("DISCORD_TOKEN").ok(),
        config.discord.token_file.as_deref(),
    ) {
        Ok(token) => token,
        Err(e) => {
            eprintln!("crier: {e}");
            return Ok(ExitCode::from(USAGE_ERROR));
        }
    };
    // The lock first: a second instance must be refused before it touches Discord.
    let lock = match crier::run::StateLock::acquire(&config.state_dir) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("crier: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    // One thread for the run loop, the HTTP listener and the Events tab sync, which mostly wait on
    // I/O. Two kinds of work have a thread of their own: the Discord gateway and its commands, which
    // must answer within 3 s whatever else is going on (see `discord::run_gateway`), and the
    // announcer's catalog and ledger work, which is the slow part (see `announcer::Core`).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let status = crier::status::Shared::default();
    let result = match token {
        None => {
            tracing::info!("no DISCORD_TOKEN: announcing to the console (standard output)");
            let sink = crier::console::Console::new(io::stdout(), json);
            // The console has one place to write: events no route takes are shown there too.
            let router = router(&config, true);
            runtime.block_on(crier::run::run(
                config,
                lock,
                sink,
                router,
                status,
                crier::telemetry::Telemetry::new(false),
                std::future::pending(),
            ))
        }
        Some(token) => runtime.block_on(run_discord(config, lock, token, status)),
    };
    // A git fetch in flight is interrupted, not waited for: the ledger is not its business, and
    // the half-written tree it leaves is swept at the next start.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("crier: {e:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn run_discord(
    config: Config,
    lock: crier::run::StateLock,
    token: crier::discord::Token,
    status: crier::status::Shared,
) -> anyhow::Result<()> {
    use crier::discord;
    tracing::info!(
        "a Discord token is set (DISCORD_TOKEN or discord.token_file): announcing to Discord"
    );
    let http = discord::http(&token, &config.discord)?;
    // The run loop handles signals from its start; until then (preflight, which may wait for Discord
    // to come back) stop here, so a container stops at once whatever the network does.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let ready = tokio::select! {
        result = discord::preflight_until_reachable(&http, &config.discord, &config.routes) => result?,
        _ = tokio::signal::ctrl_c() => return Ok(()),
        _ = terminate.recv() => return Ok(()),
    };
    let http = std::sync::Arc::new(http);
    let telemetry = crier::telemetry::Telemetry::new(true);
    let tab = crier::status::SharedTab::default();
    if config.discord.scheduled_events {
        // Its own ledger connection: the sync never waits on the announcer, nor it on the sync.
        let sync = discord::events_tab_sync::TabSync {
            http: http.clone(),
            guild: ready.guild_id,
            bot: ready.bot_id,
            ledger: crier::ledger::Ledger::open(&config.state_dir)?,
            duration: config.discord.event_duration,
            refresh: config.discord.events_refresh,
            permissions: ready.events,
            shared: tab.clone(),
            telemetry: telemetry.clone(),
        };
        tokio::spawn(sync.run(status.catalog()));
    }
    if config.digest.is_some() && config.discord.channel_id.is_none() {
        tracing::warn!("`digest.cron` is set but `discord.channel_id` is not: the digest goes to the default channel, so it will not be posted; set `discord.channel_id`");
    }
    let sink = discord::DiscordSink::new(http, &config.discord)?;
    let gateway = tokio::spawn(discord::run_gateway(
        discord::http(&token, &config.discord)?,
        config.discord.clone(),
        status.clone(),
        tab,
        telemetry.clone(),
    ));
    let fatal = async move {
        match gateway.await {
            Ok(result) => result,
            Err(e) => Err(anyhow::anyhow!("the Discord task failed: {e}")),
        }
    };
    let router = router(&config, false);
    crier::run::run(config, lock, sink, router, status, telemetry, fatal).await
}

/// The configured routes for the site.
fn router(config: &Config, fallback: bool) -> crier::routing::Router {
    crier::routing::Router {
        routes: config.routes.clone(),
        site_root: config.catalog.site_root(),
        fallback,
    }
}

fn health(config: Config) -> anyhow::Result<ExitCode> {
    let verdict = match config.http_listen {
        Some(addr) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(crier::http::probe(addr)),
        None => state_dir_writable(&config.state_dir),
    };
    match verdict {
        Ok(answer) => {
            println!("healthy: {answer}");
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            println!("unhealthy: {reason}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn state_dir_writable(dir: &std::path::Path) -> Result<String, String> {
    let probe = dir.join(format!(".health-{}", std::process::id()));
    std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .map(|()| {
            format!(
                "configuration valid, state folder {} writable",
                dir.display()
            )
        })
        .map_err(|e| format!("the state folder {} is not writable: {e}", dir.display()))
}

fn ics(
    config: Config,
    all: bool,
    out: Option<PathBuf>,
    events: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let state_dir = config.state_dir.clone();
    let catalog = load_catalog(config, events)?;
    for problem in catalog.problems.iter().filter(|p| p.is_error()) {
        eprintln!("{problem}");
    }
    // SEQUENCE numbers live in the ledger; without a state folder every event is at 0.
    let sequences = if state_dir.join("ledger.sqlite3").is_file() {
        let mut ledger = crier::ledger::Ledger::open(&state_dir)?;
        ledger.feed_sequences(&crier::feed::fingerprints(&catalog.events, &catalog.series))?
    } else {
        Default::default()
    };
    let scope = if all {
        crier::feed::Scope::All
    } else {
        crier::feed::Scope::Recent {
            now: chrono::Utc::now(),
        }
    };
    let feed = crier::feed::build(&catalog.events, &catalog.series, scope, &|id| {
        sequences.get(id).copied().unwrap_or(0)
    });
    match out {
        Some(path) => commands::write_atomically(&path, feed.body.as_bytes())?,
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(feed.body.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(if catalog.errors() > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn schedule(config: Config) -> anyhow::Result<ExitCode> {
    let catalog = crier::site_files::load(&config.catalog)?;
    let ledger = crier::ledger::Ledger::open(&config.state_dir)?;
    let mut out = io::stdout().lock();
    let console = config.discord.channel_id.is_none() && config.routes.is_empty();
    commands::schedule(
        &catalog,
        &ledger,
        &router(&config, console),
        &config.rules,
        chrono::Utc::now(),
        &mut out,
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Logs go to stderr (stdout is for output), filtered by RUST_LOG; `CRIER_LOG_FORMAT=json` for JSON lines.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    // No colour codes where nobody sees colours (docker logs, files, CI).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(io::stderr);
    if std::env::var("CRIER_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}
