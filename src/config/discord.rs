//! The `[discord]` table: the server and channel, the token's file, and how the bot posts there.

use std::path::PathBuf;
use std::time::Duration;

use super::origin::{ConfigError, Origins};
use super::raw::RawDiscord;

/// The `[discord]` table, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscordConfig {
    /// Register slash commands in this guild (instant); without it, globally.
    pub guild_id: Option<u64>,
    /// The announcements channel; required when a token is given.
    pub channel_id: Option<u64>,
    /// A file holding the token (container secrets); `DISCORD_TOKEN` wins over it.
    pub token_file: Option<PathBuf>,
    /// Base URL of Discord's REST API (an HTTP rate-limiting proxy, or a fake in tests).
    pub api_url: Option<String>,
    /// The only mention crier ever makes.
    pub mention_role: Option<u64>,
    /// Crosspost announcements in an announcement channel.
    pub publish: bool,
    /// Keep a guild scheduled event (the server's Events tab) for each upcoming event.
    pub scheduled_events: bool,
    /// A scheduled event's length when the file gives no end.
    pub event_duration: Duration,
    /// How often the Events tab is read back (interested counts, events that start), and a failed
    /// sync retried.
    pub events_refresh: Duration,
}

pub(super) fn resolve(raw: RawDiscord, at: &Origins) -> Result<DiscordConfig, ConfigError> {
    if raw.token.is_some() {
        return Err(at.error("discord.token", "the bot token never belongs in a config file (it would end up in git and backups); set the DISCORD_TOKEN environment variable, or `discord.token_file` to a file that holds it"));
    }
    let api_url = api_url(raw.api_url, at)?;
    Ok(DiscordConfig {
        guild_id: id("discord.guild_id", raw.guild_id, at)?,
        channel_id: id("discord.channel_id", raw.channel_id, at)?,
        token_file: at.file_path("discord.token_file", raw.token_file)?,
        api_url,
        mention_role: id("discord.mention_role", raw.mention_role, at)?,
        publish: raw.publish.unwrap_or(false),
        scheduled_events: raw.scheduled_events.unwrap_or(false),
        event_duration: positive("discord.event_duration", raw.event_duration, 150 * 60, at)?,
        events_refresh: positive("discord.events_refresh", raw.events_refresh, 300, at)?,
    })
}

/// A Discord id, read as `[[routes]]` reads them.
fn id(key: &str, value: Option<toml::Value>, at: &Origins) -> Result<Option<u64>, ConfigError> {
    value
        .map(|v| {
            crier_core::routing::snowflake_id(&v).ok_or_else(|| {
                at.error(
                    key,
                    "is not a Discord id; copy it with Developer Mode on (right-click, Copy ID)",
                )
            })
        })
        .transpose()
}

/// `discord.api_url`: an http(s) URL, kept without its trailing slash; blank is Discord itself.
fn api_url(raw: Option<String>, at: &Origins) -> Result<Option<String>, ConfigError> {
    let Some(url) = raw.filter(|u| !u.trim().is_empty()) else {
        return Ok(None);
    };
    let parsed = url::Url::parse(url.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    if parsed.is_none() {
        return Err(at.error("discord.api_url", format!("`{url}` is not an http(s) URL")));
    }
    Ok(Some(url.trim().trim_end_matches('/').to_string()))
}

/// A duration longer than zero, `default_secs` when not set.
fn positive(
    key: &str,
    text: Option<String>,
    default_secs: u64,
    at: &Origins,
) -> Result<Duration, ConfigError> {
    let Some(text) = text else {
        return Ok(Duration::from_secs(default_secs));
    };
    let value = super::duration(key, &text, at)?;
    if value.is_zero() {
        return Err(at.error(key, "must be longer than zero; write it like `2h30m`"));
    }
    Ok(value)
}

/// `discord.shards`: how many gateway connections (shards) serve the bot's guilds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shards {
    /// As many as Discord recommends for the bot's guilds (`GET /gateway/bot`).
    Auto,
    /// This many, all run by this process.
    Count(u32),
}

/// `discord.shards`: `"auto"` or a number from 1; `None` (one shard) when not set.
pub(super) fn shards(
    raw: Option<toml::Value>,
    at: &Origins,
) -> Result<Option<Shards>, ConfigError> {
    let key = "discord.shards";
    let invalid = |shown: String| {
        at.error(
            key,
            format!("`{shown}` is not a number of shards; write `\"auto\"` or a number like `4`"),
        )
    };
    match raw {
        None => Ok(None),
        Some(toml::Value::String(text)) if text.trim().eq_ignore_ascii_case("auto") => {
            Ok(Some(Shards::Auto))
        }
        Some(toml::Value::String(text)) => match text.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Ok(Some(Shards::Count(n))),
            _ => Err(invalid(text)),
        },
        Some(toml::Value::Integer(n)) => match u32::try_from(n) {
            Ok(n) if n >= 1 => Ok(Some(Shards::Count(n))),
            _ => Err(invalid(n.to_string())),
        },
        Some(other) => Err(invalid(other.to_string())),
    }
}
