//! Stage one: the config file and the environment, as written. The file is read into a TOML table,
//! each `CRIER_*` variable replaces its key in it, and the result is deserialized into the shapes
//! below. Nothing is checked here beyond TOML's types and the key names: what the values mean is
//! stage two's ([`super::Config::load_with_env`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::origin::{variable, with_position, ConfigError, Origins};

/// Every key a variable overrides, by its path: `events_dir` by `CRIER_EVENTS_DIR`,
/// `discord.token_file` by `CRIER_DISCORD_TOKEN_FILE`. Applied in this order.
const KEYS: &[&str] = &[
    "events_dir",
    "presentations_dir",
    "people_dir",
    "speakers_dir",
    "timezone",
    "default_time",
    "state_dir",
    "rescan_interval",
    "reminders.offsets",
    "reminders.announce_new",
    "reminders.grace",
    "digest.cron",
    "discord.guild_id",
    "discord.channel_id",
    "discord.token_file",
    "discord.api_url",
    "discord.mention_role",
    "discord.publish",
    "discord.scheduled_events",
    "discord.event_duration",
    "discord.events_refresh",
    "http.listen",
    "source.git",
    "source.branch",
    "source.path",
    "source.interval",
    "source.token_file",
    "source.username",
    "source.webhook_secret_file",
    "catalog.dates_timezone",
    "catalog.speaker_keys",
    "catalog.talk_keys",
    "catalog.body_talks",
    "messages.locale",
    "messages.fallback",
    "messages.dir",
    "ledger.url",
    "ledger.password_file",
    "discord.shards",
];

/// Keys whose variable is a list, written comma-separated.
const LISTS: &[&str] = &[
    "reminders.offsets",
    "catalog.speaker_keys",
    "catalog.talk_keys",
];

/// Keys whose variable is a boolean.
const BOOLEANS: &[&str] = &[
    "reminders.announce_new",
    "discord.publish",
    "discord.scheduled_events",
    "catalog.body_talks",
];

/// The file as written. Unknown keys are errors: a typo in a config file must not be silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub events_dir: Option<PathBuf>,
    pub presentations_dir: Option<PathBuf>,
    pub people_dir: Option<PathBuf>,
    pub speakers_dir: Option<PathBuf>,
    pub timezone: Option<String>,
    pub default_time: Option<String>,
    pub state_dir: Option<PathBuf>,
    pub rescan_interval: Option<String>,
    pub reminders: Option<RawReminders>,
    pub digest: Option<RawDigest>,
    pub discord: Option<RawDiscord>,
    pub http: Option<RawHttp>,
    pub source: Option<RawSource>,
    pub catalog: Option<RawCatalog>,
    pub messages: Option<RawMessages>,
    /// Read by [`crier_core::routing::parse`], which names the route and key of each error.
    pub routes: Option<toml::Value>,
    pub ledger: Option<RawLedger>,
}

/// `[ledger]`: where every site's rows are kept. Top-level only.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLedger {
    pub url: Option<String>,
    pub password_file: Option<PathBuf>,
    /// Only here to refuse it with a clear message, as `discord.token`.
    pub password: Option<toml::Value>,
}

/// `[catalog]`: corrections for a site that crier's common vocabulary misreads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalog {
    pub dates_timezone: Option<String>,
    pub speaker_keys: Option<Vec<String>>,
    pub talk_keys: Option<Vec<String>>,
    pub body_talks: Option<bool>,
}

/// `[messages]`: the language of the posts and replies, and the organiser's own wording.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMessages {
    pub locale: Option<String>,
    pub fallback: Option<String>,
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReminders {
    pub offsets: Option<Vec<String>>,
    pub announce_new: Option<bool>,
    pub grace: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDigest {
    pub cron: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDiscord {
    /// Ids are read by [`crier_core::routing::snowflake`]: an integer, or a string as Discord writes them.
    pub guild_id: Option<toml::Value>,
    pub channel_id: Option<toml::Value>,
    pub token_file: Option<PathBuf>,
    pub api_url: Option<String>,
    pub mention_role: Option<toml::Value>,
    pub publish: Option<bool>,
    pub scheduled_events: Option<bool>,
    pub event_duration: Option<String>,
    pub events_refresh: Option<String>,
    /// Only here to refuse it with a clear message: a token in a config file ends up in git.
    pub token: Option<toml::Value>,
    /// `auto` or a number: the gateway's shards. Top-level only (one connection for all sites).
    pub shards: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHttp {
    pub listen: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub git: Option<String>,
    pub branch: Option<String>,
    pub path: Option<PathBuf>,
    pub interval: Option<String>,
    pub token_file: Option<PathBuf>,
    pub username: Option<String>,
    pub webhook_secret_file: Option<PathBuf>,
    /// Only here to refuse it with a clear message, as `discord.token`.
    pub token: Option<toml::Value>,
}

impl RawSource {
    /// `source.git`, unless unset or blank (a blank variable turns the git source off).
    pub fn git(&self) -> Option<&str> {
        self.git.as_deref().filter(|g| !g.trim().is_empty())
    }
}

/// Reads `file` (which must exist when given) and lays the environment over it, as one TOML table.
pub(super) fn read(
    file: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(toml::Table, Origins), ConfigError> {
    let mut origins = Origins::new(file);
    let mut table = match file {
        Some(path) => parse_file(path)?,
        None => toml::Table::new(),
    };
    for key in KEYS {
        let var = variable(key);
        let Some(text) = env(&var) else { continue };
        let value = from_env(key, &var, text)?;
        set(&mut table, key, value);
        origins.set_by_env(key, var);
    }
    Ok((table, origins))
}

fn parse_file(path: &Path) -> Result<toml::Table, ConfigError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        origin: origin.clone(),
        key: None,
        message: format!("cannot read the config file: {e}"),
    })?;
    text.parse::<toml::Table>().map_err(|e| ConfigError {
        origin: with_position(&origin, &text, e.span()),
        key: None,
        message: e.message().to_string(),
    })
}

/// A variable's text as the TOML value its key takes.
fn from_env(key: &str, var: &str, text: String) -> Result<toml::Value, ConfigError> {
    if LISTS.contains(&key) {
        return Ok(toml::Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| toml::Value::String(s.to_string()))
                .collect(),
        ));
    }
    if BOOLEANS.contains(&key) {
        return match text.trim() {
            "true" | "1" | "yes" => Ok(toml::Value::Boolean(true)),
            "false" | "0" | "no" => Ok(toml::Value::Boolean(false)),
            _ => Err(ConfigError {
                origin: var.to_string(),
                key: Some(key.to_string()),
                message: format!("`{text}` is not true or false; write `true` or `false`"),
            }),
        };
    }
    Ok(toml::Value::String(text))
}

/// Sets `key` (`name` or `table.name`) in `table`, creating the table if the file has none. A
/// table the file wrote as something else is left as written, for deserialization to refuse.
fn set(table: &mut toml::Table, key: &str, value: toml::Value) {
    match key.split_once('.') {
        None => {
            table.insert(key.to_string(), value);
        }
        Some((name, inner)) => {
            let sub = table
                .entry(name.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(sub) = sub {
                sub.insert(inner.to_string(), value);
            }
        }
    }
}

/// The table's keys in the shapes above; an unknown key is named by its path (and its site's).
pub(super) fn deserialize(table: toml::Table, origins: &Origins) -> Result<RawConfig, ConfigError> {
    // The tables' names, to name an unknown key by its path (`discord.tokn`).
    let top: Vec<String> = table.keys().cloned().collect();
    let tables: Vec<(String, toml::Table)> = table
        .iter()
        .filter_map(|(name, value)| Some((name.clone(), value.as_table()?.clone())))
        .collect();
    table.try_into().map_err(|e: toml::de::Error| {
        let message = e.message().to_string();
        let key = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
            .map(
                |name| match tables.iter().find(|(_, t)| t.contains_key(name)) {
                    Some((table, _)) if !top.iter().any(|k| k == name) => format!("{table}.{name}"),
                    _ => name.to_string(),
                },
            );
        ConfigError {
            origin: origins.file().to_string(),
            key: key.map(|key| origins.name(&key)),
            message: format!("{message}; see the README for the keys crier knows"),
        }
    })
}
