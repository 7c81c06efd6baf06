//! `crier run`: the bot. Takes the state folder's lock, then runs the app's loop over every site
//! with the console sink (no token) or with Discord (posting, one gateway connection with the slash
//! commands for every site, each site's Events tab).

use std::io;
use std::process::ExitCode;
use std::sync::Arc;

use super::{router, USAGE_ERROR};
use crate::adapters::ledger::{Fence, Store};
use crate::adapters::override_files::Overrides;
use crate::app::leadership::{self, Role};
use crate::app::run_loop::{AbortOnDrop, Process, SiteRun};
use crate::app::status::Shared;
use crate::app::telemetry::Telemetry;
use crate::config::{Config, SiteConfig};

pub fn command(config: Config, json: bool) -> anyhow::Result<ExitCode> {
    let token = match crate::adapters::discord::Token::from_env_or_file(
        std::env::var("DISCORD_TOKEN").ok(),
        config.sites[0].discord.token_file.as_deref(),
    ) {
        Ok(token) => token,
        Err(e) => {
            eprintln!("crier: {e}");
            return Ok(ExitCode::from(USAGE_ERROR));
        }
    };
    // The lock first: a second instance must be refused before it touches Discord.
    let lock = match crate::app::run_loop::StateLock::acquire(&config.state_dir) {
        Ok(lock) => lock,
        Err(e) => {
            eprintln!("crier: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    // The ledger before the runtime: connecting to PostgreSQL blocks (its client may not be called
    // on a runtime's thread), and a wrong address or password is better said now than at the first
    // announcement. One store for the process: every site's ledger handles share its pool.
    let store = match crate::adapters::ledger::Store::connect(&config.ledger) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("crier: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    // One thread for the run loop, the HTTP listener and the Events tab sync, which mostly wait on
    // I/O. Two kinds of work have a thread of their own: the Discord gateway and its commands, which
    // must answer within 3 s whatever else is going on (see `discord::run_gateway`), and each site's
    // announcer, whose catalog and ledger work is the slow part (see `announcer::Core`).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        if store.is_shared() {
            lead_or_stand_by(&config, &store, token.as_ref(), json).await
        } else {
            let forever = std::future::pending();
            lead(
                &config,
                &store,
                (None, Role::default()),
                token.as_ref(),
                json,
                forever,
            )
            .await
        }
    });
    drop(lock);
    // A git fetch in flight is interrupted, not waited for: the ledger is not its business, and
    // the half-written tree it leaves is swept at the next start.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    // The store's last handle goes here, off the runtime: closing a PostgreSQL connection blocks,
    // which may not happen on a thread that drives a runtime.
    drop(store);
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("crier: {e:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The lease was lost: the process stands by again.
#[derive(Debug, thiserror::Error)]
#[error("lost the lease: {0}")]
struct LeaseLost(String);

/// With a shared ledger: stands by until this process holds the lease, then leads until a signal
/// (gives the lease up and exits) or until the lease is lost (stands by again).
async fn lead_or_stand_by(
    config: &Config,
    store: &Store,
    token: Option<&crate::adapters::discord::Token>,
    json: bool,
) -> anyhow::Result<()> {
    let holder = leadership::holder_id(&config.state_dir);
    let role = Role::default();
    role.set(format!("standby: {holder} is waiting for the lease"));
    loop {
        let listener = standby_listener(config, &role).await;
        let term = leadership::wait_to_lead(store, &holder, &role, stop_signal()).await;
        if let Some(listener) = listener {
            // Awaited, so the port is free for the leader's own listener.
            listener.abort();
            let _ = listener.await;
        }
        let Some(term) = term? else {
            return Ok(());
        };
        let fence = term.fence();
        let keeper = leadership::keep(store.clone(), term, fence.clone());
        let lost = async move { Err(anyhow::Error::new(LeaseLost(keeper.await))) };
        let lease = (Some(fence.clone()), role.clone());
        match lead(config, store, lease, token, json, lost).await {
            Err(e) if e.is::<LeaseLost>() => {
                tracing::warn!(error = %e, "standing by: another process may lead now");
                role.set(format!("standby: {e}"));
            }
            other => {
                leadership::resign(store, &fence).await;
                return other;
            }
        }
    }
}

/// Resolves at SIGTERM or Ctrl-C.
async fn stop_signal() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut terminate) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// A standby's `/healthz` (who leads) and `/metrics`; no feed, no webhook: the leader serves them.
async fn standby_listener(config: &Config, role: &Role) -> Option<tokio::task::JoinHandle<()>> {
    let addr = config.http_listen?;
    // The leader's listener this process had a moment ago may still hold the port.
    for _ in 0..20 {
        let endpoints = crate::adapters::http::Endpoints {
            process: Telemetry::for_process(false),
            sites: Vec::new(),
            role: role.clone(),
        };
        match crate::adapters::http::serve(addr, endpoints).await {
            Ok(serving) => return Some(tokio::spawn(serving)),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    tracing::warn!(%addr, "cannot listen while standing by");
    None
}

/// Runs every site: to the console without a token, else to Discord. With a ledger of this
/// process's own (SQLite) there is no fence; with a shared one, `lease` is the fence of this
/// process's lease and what to say about it, and `lost` resolves when the lease is lost.
async fn lead(
    config: &Config,
    store: &Store,
    lease: (Option<Fence>, Role),
    token: Option<&crate::adapters::discord::Token>,
    json: bool,
    lost: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<()> {
    let (fence, role) = lease;
    let Some(token) = token else {
        tracing::info!("no DISCORD_TOKEN: announcing to the console (standard output)");
        let (telemetry, telemetries) = telemetries(config, false);
        let sites = config
            .sites
            .iter()
            .zip(telemetries)
            .map(|(site, telemetry)| SiteRun {
                sink: crate::adapters::console::Console::new(io::stdout(), json)
                    .for_site(site.name.clone()),
                // The console has one place to write: events no route takes are shown there too.
                router: router(site, true),
                status: Shared::default(),
                telemetry,
                overrides: Overrides::load(site.messages.dir.as_deref()),
                config: site.clone(),
            })
            .collect();
        let process = Process {
            store: store.clone(),
            telemetry,
            fence,
            role,
        };
        return crate::app::run_loop::run(config, process, sites, lost).await;
    };
    run_discord(config, store, token, fence, role, lost).await
}

/// The process's telemetry and each site's. Without `[[sites]]` they are one and the same, so the
/// metrics carry no `site` label, as before; with it each site's metrics are labelled with its name.
fn telemetries(config: &Config, discord: bool) -> (Arc<Telemetry>, Vec<Arc<Telemetry>>) {
    if !config.has_named_sites() {
        let whole = Telemetry::new(discord);
        return (whole.clone(), vec![whole]);
    }
    let process = Telemetry::for_process(discord);
    let sites = config
        .sites
        .iter()
        .map(|site| Telemetry::for_site(site.key()))
        .collect();
    (process, sites)
}

async fn run_discord(
    config: &Config,
    store: &Store,
    token: &crate::adapters::discord::Token,
    fence: Option<Fence>,
    role: Role,
    lost: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<()> {
    use crate::adapters::discord;
    tracing::info!(
        "a Discord token is set (DISCORD_TOKEN or discord.token_file): announcing to Discord"
    );
    let first = &config.sites[0].discord;
    let http = discord::http(token, first)?;
    // The run loop handles signals from its start; until then (preflight, which may wait for Discord
    // to come back) stop here, so a container stops at once whatever the network does.
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let named = config.has_named_sites();
    let mut readies = Vec::new();
    for site in &config.sites {
        let checked = tokio::select! {
            result = discord::preflight_until_reachable(&http, &site.discord, &site.routes) => result,
            _ = tokio::signal::ctrl_c() => return Ok(()),
            _ = terminate.recv() => return Ok(()),
        };
        match checked {
            Ok(ready) => readies.push(Some(ready)),
            // One site's missing channel or permission is that site's problem: it is logged, its
            // posts fail as they come (and are logged), and the other sites go on.
            Err(e) if named => {
                tracing::error!(site = %site.key(), error = %format!("{e:#}"), "this site cannot post to Discord; the other sites carry on");
                readies.push(None);
            }
            Err(e) => return Err(e),
        }
    }
    let http = Arc::new(http);
    let (process, telemetries) = telemetries(config, true);
    let mut sites = Vec::new();
    let mut desks = Vec::new();
    // The Events tab syncs end with the sites: a leader that loses its lease must stop them too.
    let mut syncs = Vec::new();
    for ((site, telemetry), ready) in config.sites.iter().zip(telemetries).zip(readies) {
        let status = Shared::default();
        let tab = crate::app::status::SharedTab::default();
        let overrides = Overrides::load(site.messages.dir.as_deref());
        if let (true, Some(ready)) = (site.discord.scheduled_events, ready) {
            let tab_sync = TabContext {
                http: &http,
                ready,
                tab: &tab,
                status: &status,
                telemetry: &telemetry,
                overrides: &overrides,
            };
            syncs.push(AbortOnDrop(spawn_tab_sync(site, store, tab_sync).await?));
        }
        if site.digest.is_some() && site.discord.channel_id.is_none() {
            tracing::warn!(site = %site.key(), "`digest.cron` is set but `discord.channel_id` is not: the digest goes to the default channel, so it will not be posted; set `discord.channel_id`");
        }
        desks.push(discord::slash::Desk {
            name: site.key().to_string(),
            guild: site
                .discord
                .guild_id
                .or(ready.map(|r| r.guild_id.get()).filter(|_| named)),
            status: status.clone(),
            tab,
        });
        sites.push(SiteRun {
            sink: discord::DiscordSink::new(http.clone(), site.name.clone(), &site.discord)?,
            router: router(site, false),
            status,
            telemetry,
            overrides,
            config: site.clone(),
        });
    }
    let (close, closed) = tokio::sync::watch::channel(false);
    let gateway = tokio::spawn(discord::run_gateway(
        discord::http(token, first)?,
        discord::Gateway {
            desks,
            // The first site's, already read: the commands are registered once, in one language set.
            wording: sites[0].overrides.wording(),
            shards: config.shards,
            registered: config.state_dir.join("commands"),
            stop: closed,
        },
        process.clone(),
    ));
    let fatal = async move {
        tokio::select! {
            ended = gateway => match ended {
                Ok(result) => result,
                Err(e) => Err(anyhow::anyhow!("the Discord task failed: {e}")),
            },
            lost = lost => lost,
        }
    };
    let process = Process {
        store: store.clone(),
        telemetry: process,
        fence,
        role,
    };
    let result = crate::app::run_loop::run(config, process, sites, fatal).await;
    close.send_replace(true);
    drop(syncs);
    result
}

/// What a site's Events tab sync shares with the rest of the process.
struct TabContext<'a> {
    http: &'a Arc<serenity::all::Http>,
    ready: crate::adapters::discord::Ready,
    tab: &'a crate::app::status::SharedTab,
    status: &'a Shared,
    telemetry: &'a Arc<Telemetry>,
    overrides: &'a Overrides,
}

/// Keeps the site's Events tab in step, beside the announcer, with its own ledger handle: the sync
/// never waits on the announcer, nor it on the sync. The handle is opened on a blocking thread (a
/// SQLite file is opened and migrated there), as is all the sync's ledger work.
async fn spawn_tab_sync(
    site: &SiteConfig,
    store: &Store,
    context: TabContext<'_>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let TabContext {
        http,
        ready,
        tab,
        status,
        telemetry,
        overrides,
    } = context;
    let (store, key) = (store.clone(), site.key().to_string());
    let ledger = tokio::task::spawn_blocking(move || store.open(&key)).await??;
    let sync = crate::adapters::discord::events_tab_sync::TabSync {
        http: http.clone(),
        guild: ready.guild_id,
        bot: ready.bot_id,
        ledger: crate::adapters::discord::events_tab_sync::SharedLedger::new(ledger),
        duration: site.discord.event_duration,
        refresh: site.discord.events_refresh,
        permissions: ready.events,
        shared: tab.clone(),
        telemetry: telemetry.clone(),
        wording: overrides.wording(),
        policy: site.messages.policy,
    };
    Ok(tokio::spawn(sync.run(status.catalog())))
}
