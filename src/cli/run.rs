//! `crier run`: the bot. Takes the state folder's lock, then runs the app's loop with the console
//! sink (no token) or with Discord (posting, the gateway with the slash commands, the Events tab).

use std::io;
use std::process::ExitCode;

use super::{router, USAGE_ERROR};
use crate::config::Config;

pub fn command(config: Config, json: bool) -> anyhow::Result<ExitCode> {
    let token = match crate::adapters::discord::Token::from_env_or_file(
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
    let lock = match crate::app::run_loop::StateLock::acquire(&config.state_dir) {
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
    let status = crate::app::status::Shared::default();
    let overrides =
        crate::adapters::override_files::Overrides::load(config.messages.dir.as_deref());
    let result = match token {
        None => {
            tracing::info!("no DISCORD_TOKEN: announcing to the console (standard output)");
            let sink = crate::adapters::console::Console::new(io::stdout(), json);
            // The console has one place to write: events no route takes are shown there too.
            let router = router(&config, true);
            runtime.block_on(crate::app::run_loop::run(
                config,
                lock,
                sink,
                router,
                status,
                crate::app::telemetry::Telemetry::new(false),
                overrides,
                std::future::pending(),
            ))
        }
        Some(token) => runtime.block_on(run_discord(config, lock, token, status, overrides)),
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
    lock: crate::app::run_loop::StateLock,
    token: crate::adapters::discord::Token,
    status: crate::app::status::Shared,
    overrides: crate::adapters::override_files::Overrides,
) -> anyhow::Result<()> {
    use crate::adapters::discord;
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
    let telemetry = crate::app::telemetry::Telemetry::new(true);
    let tab = crate::app::status::SharedTab::default();
    if config.discord.scheduled_events {
        // Its own ledger connection: the sync never waits on the announcer, nor it on the sync.
        let sync = discord::events_tab_sync::TabSync {
            http: http.clone(),
            guild: ready.guild_id,
            bot: ready.bot_id,
            ledger: crate::adapters::ledger::Ledger::open(&config.state_dir)?,
            duration: config.discord.event_duration,
            refresh: config.discord.events_refresh,
            permissions: ready.events,
            shared: tab.clone(),
            telemetry: telemetry.clone(),
            wording: overrides.wording(),
            policy: config.messages.policy,
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
        overrides.wording(),
    ));
    let fatal = async move {
        match gateway.await {
            Ok(result) => result,
            Err(e) => Err(anyhow::anyhow!("the Discord task failed: {e}")),
        }
    };
    let router = router(&config, false);
    crate::app::run_loop::run(
        config, lock, sink, router, status, telemetry, overrides, fatal,
    )
    .await
}
