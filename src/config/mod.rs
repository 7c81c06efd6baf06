//! Configuration: `config.toml`, overridden key by key by `CRIER_<KEY>` environment variables.
//!
//! Every key has a default, so crier runs with no file at all (a container configured by environment
//! alone). A bad value is reported with its key and the file (or variable) it came from, because the
//! person reading the message is the one who has to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveTime;
use serde::Deserialize;

use crate::catalog::{datetime, Settings};
use crate::schedule::Rules;

/// The config file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "config.toml";

/// Top-level keys, each of which `CRIER_<KEY>` overrides.
const KEYS: &[&str] = &[
    "events_dir",
    "presentations_dir",
    "people_dir",
    "speakers_dir",
    "timezone",
    "default_time",
    "state_dir",
    "rescan_interval",
];

/// Keys of tables, overridden by `CRIER_<TABLE>_<KEY>`.
const TABLE_KEYS: &[(&str, &str)] = &[
    ("reminders", "offsets"),
    ("reminders", "announce_new"),
    ("reminders", "grace"),
    ("digest", "cron"),
    ("discord", "guild_id"),
    ("discord", "channel_id"),
    ("discord", "token_file"),
    ("discord", "api_url"),
    ("discord", "mention_role"),
    ("discord", "publish"),
    ("discord", "scheduled_events"),
    ("discord", "event_duration"),
    ("discord", "events_refresh"),
    ("http", "listen"),
    ("source", "git"),
    ("source", "branch"),
    ("source", "path"),
    ("source", "interval"),
    ("source", "token_file"),
    ("source", "username"),
    ("source", "webhook_secret_file"),
];

/// The file as written. Unknown keys are errors: a typo in a config file must not be silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    events_dir: Option<PathBuf>,
    presentations_dir: Option<PathBuf>,
    people_dir: Option<PathBuf>,
    speakers_dir: Option<PathBuf>,
    timezone: Option<String>,
    default_time: Option<String>,
    state_dir: Option<PathBuf>,
    rescan_interval: Option<String>,
    reminders: Option<RawReminders>,
    digest: Option<RawDigest>,
    discord: Option<RawDiscord>,
    http: Option<RawHttp>,
    source: Option<RawSource>,
    /// Read by [`crate::routing::parse`], which names the route and key of each error.
    routes: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    git: Option<String>,
    branch: Option<String>,
    path: Option<PathBuf>,
    interval: Option<String>,
    token_file: Option<PathBuf>,
    username: Option<String>,
    webhook_secret_file: Option<PathBuf>,
    /// Only here to refuse it with a clear message, as `discord.token`.
    token: Option<toml::Value>,
}

/// The `[source]` table: follow a git repository instead of reading `events_dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// An http(s) URL without credentials.
    pub url: String,
    /// `None`: the remote's default branch.
    pub branch: Option<String>,
    /// The events folder inside the repository; presentations/ and people/ sit beside it.
    pub path: PathBuf,
    /// How often the repository is fetched.
    pub interval: Duration,
    /// A file holding the token for a private repository.
    pub token_file: Option<PathBuf>,
    /// The user name sent with the token.
    pub username: String,
    /// A file holding the push webhook's secret; without it there is no `/hooks/git`.
    pub webhook_secret_file: Option<PathBuf>,
}

impl GitSource {
    /// `url` with every other key at its default.
    pub fn new(url: String) -> GitSource {
        GitSource {
            url,
            branch: None,
            path: PathBuf::from("events"),
            interval: Duration::from_secs(300),
            token_file: None,
            username: "x-access-token".into(),
            webhook_secret_file: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    guild_id: Option<Snowflake>,
    channel_id: Option<Snowflake>,
    token_file: Option<PathBuf>,
    api_url: Option<String>,
    mention_role: Option<Snowflake>,
    publish: Option<bool>,
    scheduled_events: Option<bool>,
    event_duration: Option<String>,
    events_refresh: Option<String>,
    /// Only here to refuse it with a clear message: a token in a config file ends up in git.
    token: Option<toml::Value>,
}

/// Discord ids are 64-bit: TOML integers hold them, and strings are accepted too (as Discord writes them).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Snowflake {
    Number(u64),
    Text(String),
}

impl Snowflake {
    fn get(&self) -> Option<u64> {
        match self {
            Snowflake::Number(n) => Some(*n),
            Snowflake::Text(s) => s.trim().parse().ok(),
        }
        .filter(|&n| n > 0)
    }
}

/// The `[discord]` table.
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReminders {
    offsets: Option<Vec<String>>,
    announce_new: Option<bool>,
    grace: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    cron: Option<String>,
}

/// The whole configuration, resolved and checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, if any.
    pub file: Option<PathBuf>,
    pub catalog: Settings,
    /// Where the ledger and the lock file live.
    pub state_dir: PathBuf,
    /// A full rescan of the folders this often, since file events get lost on bind mounts.
    pub rescan_interval: Duration,
    pub rules: Rules,
    /// The digest's schedule, in `timezone`.
    pub digest: Option<cron::Schedule>,
    pub discord: DiscordConfig,
    /// Where `/healthz`, `/metrics` and `/events.ics` are served; off when `None`.
    pub http_listen: Option<std::net::SocketAddr>,
    /// Which channel each event is announced in: `[[routes]]`, then `discord.channel_id`.
    pub routes: crate::routing::Routes,
    /// Follow a git repository (`[source] git`); `None`: read the folders in `catalog` as they are.
    pub source: Option<GitSource>,
}

/// A configuration error: which key, from where, and what is wrong.
#[derive(Debug)]
pub struct ConfigError {
    /// `config.toml`, `config.toml:3:1` or `CRIER_TIMEZONE`.
    pub origin: String,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: `{key}`: {}", self.origin, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads `path` (required to exist) or, without one, `config.toml` if present; then the environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        Self::load_with_env(path, |key| std::env::var(key).ok())
    }

    /// [`Config::load`] with the environment given as a function, for tests.
    pub fn load_with_env(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let file = match path {
            Some(p) => Some(p.to_path_buf()),
            None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|p| p.is_file()),
        };
        let origin = file
            .as_ref()
            .map_or("defaults".to_string(), |p| p.display().to_string());
        let mut table = match &file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| ConfigError {
                    origin: origin.clone(),
                    key: None,
                    message: format!("cannot read the config file: {e}"),
                })?;
                text.parse::<toml::Table>().map_err(|e| ConfigError {
                    origin: with_position(&origin, &text, e.span()),
                    key: None,
                    message: e.message().to_string(),
                })?
            }
            None => toml::Table::new(),
        };
        // Relative paths in the file are relative to the file, so `--config site/crier.toml` works
        // from anywhere; relative paths from the environment are relative to the working directory.
        let base = file
            .as_ref()
            .and_then(|p| p.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf);
        let mut from_env = Vec::new();
        for key in KEYS {
            let var = format!("CRIER_{}", key.to_uppercase());
            if let Some(value) = env(&var) {
                table.insert((*key).to_string(), toml::Value::String(value));
                from_env.push((*key, var));
            }
        }
        for (table_name, key) in TABLE_KEYS {
            let var = format!("CRIER_{}_{}", table_name.to_uppercase(), key.to_uppercase());
            let Some(value) = env(&var) else { continue };
            let value = match *key {
                "offsets" => toml::Value::Array(
                    value
                        .split(',')
                        .map(|s| toml::Value::String(s.trim().to_string()))
                        .filter(|v| v.as_str() != Some(""))
                        .collect(),
                ),
                "announce_new" | "publish" | "scheduled_events" => match value.trim() {
                    "true" | "1" | "yes" => toml::Value::Boolean(true),
                    "false" | "0" | "no" => toml::Value::Boolean(false),
                    _ => {
                        return Err(ConfigError {
                            origin: var,
                            key: Some(format!("{table_name}.{key}")),
                            message: format!("`{value}` is not true or false"),
                        })
                    }
                },
                _ => toml::Value::String(value),
            };
            let table_value = table
                .entry(table_name.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(sub) = table_value {
                sub.insert((*key).to_string(), value);
            }
            from_env.push((key, var));
        }
        let origin_of = |key: &str| {
            from_env
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(origin.clone(), |(_, var)| var.clone())
        };
        let raw: RawConfig = table.try_into().map_err(|e: toml::de::Error| {
            let message = e.message().to_string();
            let key = message
                .split('`')
                .nth(1)
                .map(str::to_string)
                .filter(|_| message.starts_with("unknown field"));
            ConfigError {
                origin: origin.clone(),
                key,
                message: format!("{message}; see the README for the keys crier knows"),
            }
        })?;
        let path_key = |key: &str, value: Option<PathBuf>| -> Option<PathBuf> {
            let value = value?;
            let from_file = !from_env.iter().any(|(k, _)| *k == key);
            Some(match (&base, from_file) {
                (Some(base), true) if value.is_relative() => base.join(value),
                _ => value,
            })
        };
        let raw_source = raw.source.unwrap_or_default();
        if let Some(git) = raw_source.git.as_deref().filter(|g| !g.trim().is_empty()) {
            // With git the repository says where the files are; a folder as well is ambiguous.
            for (key, given) in [
                ("events_dir", raw.events_dir.is_some()),
                ("presentations_dir", raw.presentations_dir.is_some()),
                ("people_dir", raw.people_dir.is_some()),
                ("speakers_dir", raw.speakers_dir.is_some()),
            ] {
                if given {
                    return Err(ConfigError {
                        origin: origin_of(key),
                        key: Some(key.into()),
                        message: format!("`source.git` ({git}) and `{key}` both say where the files are; remove `{key}` (with git, `source.path` is the events folder inside the repository, and presentations/ and people/ are read beside it)"),
                    });
                }
            }
        }
        let events_dir = path_key("events_dir", raw.events_dir)
            .unwrap_or_else(|| base.clone().unwrap_or_default().join("events"));
        let mut catalog = Settings::for_events_dir(events_dir);
        if let Some(dir) = path_key("presentations_dir", raw.presentations_dir) {
            catalog.presentations_dir = dir;
        }
        if let Some(dir) = path_key("people_dir", raw.people_dir) {
            catalog.people_dir = dir;
        }
        if let Some(dir) = path_key("speakers_dir", raw.speakers_dir) {
            catalog.speakers_dir = dir;
        }
        if let Some(name) = raw.timezone {
            catalog.timezone = datetime::parse_iana(&name).map_err(|message| ConfigError {
                origin: origin_of("timezone"),
                key: Some("timezone".into()),
                message,
            })?;
        }
        if let Some(text) = raw.default_time {
            catalog.default_time = parse_default_time(&text).map_err(|message| ConfigError {
                origin: origin_of("default_time"),
                key: Some("default_time".into()),
                message,
            })?;
        }
        let state_dir = path_key("state_dir", raw.state_dir)
            .unwrap_or_else(|| base.clone().unwrap_or_default().join("state"));
        let duration = |key: &str, text: &str| {
            humantime::parse_duration(text).map_err(|e| ConfigError {
                origin: origin_of(key.rsplit('.').next().unwrap_or(key)),
                key: Some(key.to_string()),
                message: format!(
                    "`{text}` is not a duration ({e}); write it like `5m`, `2h` or `7d`"
                ),
            })
        };
        let positive = |key: &str, value: Duration| {
            if value.is_zero() {
                Err(ConfigError {
                    origin: origin_of(key.rsplit('.').next().unwrap_or(key)),
                    key: Some(key.to_string()),
                    message: "must be longer than zero; write it like `2h30m`".into(),
                })
            } else {
                Ok(value)
            }
        };
        let rescan_interval = match raw.rescan_interval.as_deref() {
            Some(text) => duration("rescan_interval", text)?,
            None => Duration::from_secs(300),
        };
        if rescan_interval < Duration::from_secs(1) {
            return Err(ConfigError {
                origin: origin_of("rescan_interval"),
                key: Some("rescan_interval".into()),
                message: "must be at least 1s".into(),
            });
        }
        let mut rules = Rules::default();
        let reminders = raw.reminders.unwrap_or_default();
        if let Some(offsets) = reminders.offsets {
            rules.offsets = offsets
                .iter()
                .map(|o| duration("reminders.offsets", o))
                .collect::<Result<_, _>>()?;
        }
        if let Some(announce_new) = reminders.announce_new {
            rules.announce_new = announce_new;
        }
        if let Some(grace) = reminders.grace.as_deref() {
            rules.grace = Some(duration("reminders.grace", grace)?);
        }
        let digest = match raw.digest.and_then(|d| d.cron) {
            Some(expr) if !expr.trim().is_empty() => {
                Some(cron::Schedule::from_str(&expr).map_err(|e| ConfigError {
                    origin: origin_of("cron"),
                    key: Some("digest.cron".into()),
                    message: format!(
                        "`{expr}` is not a cron schedule ({e}); write six fields, seconds first, e.g. `0 0 9 * * Mon`"
                    ),
                })?)
            }
            _ => None,
        };
        let raw_discord = raw.discord.unwrap_or_default();
        if raw_discord.token.is_some() {
            return Err(ConfigError {
                origin: origin.clone(),
                key: Some("discord.token".into()),
                message: "the bot token never belongs in a config file (it would end up in git and backups); set the DISCORD_TOKEN environment variable, or `discord.token_file` to a file that holds it".into(),
            });
        }
        let snowflake = |key: &str, value: Option<Snowflake>| -> Result<Option<u64>, ConfigError> {
            match value {
                None => Ok(None),
                Some(v) => v.get().map(Some).ok_or_else(|| ConfigError {
                    origin: origin_of(key),
                    key: Some(format!("discord.{key}")),
                    message:
                        "is not a Discord id; copy it with Developer Mode on (right-click, Copy ID)"
                            .into(),
                }),
            }
        };
        let api_url = match raw_discord.api_url {
            Some(url) if !url.trim().is_empty() => {
                let parsed = url::Url::parse(url.trim())
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"));
                if parsed.is_none() {
                    return Err(ConfigError {
                        origin: origin_of("api_url"),
                        key: Some("discord.api_url".into()),
                        message: format!("`{url}` is not an http(s) URL"),
                    });
                }
                Some(url.trim().trim_end_matches('/').to_string())
            }
            _ => None,
        };
        let discord = DiscordConfig {
            guild_id: snowflake("guild_id", raw_discord.guild_id)?,
            channel_id: snowflake("channel_id", raw_discord.channel_id)?,
            token_file: path_key("token_file", raw_discord.token_file),
            api_url,
            mention_role: snowflake("mention_role", raw_discord.mention_role)?,
            publish: raw_discord.publish.unwrap_or(false),
            scheduled_events: raw_discord.scheduled_events.unwrap_or(false),
            event_duration: match raw_discord.event_duration.as_deref() {
                Some(text) => positive(
                    "discord.event_duration",
                    duration("discord.event_duration", text)?,
                )?,
                None => Duration::from_secs(150 * 60),
            },
            events_refresh: match raw_discord.events_refresh.as_deref() {
                Some(text) => positive(
                    "discord.events_refresh",
                    duration("discord.events_refresh", text)?,
                )?,
                None => Duration::from_secs(300),
            },
        };
        let http_listen = match raw.http.and_then(|h| h.listen) {
            Some(text) if !text.trim().is_empty() => {
                Some(text.trim().parse().map_err(|_| ConfigError {
                    origin: origin_of("listen"),
                    key: Some("http.listen".into()),
                    message: format!("`{text}` is not an address; write it like `0.0.0.0:8080`"),
                })?)
            }
            _ => None,
        };
        let source = match raw_source.git.clone().filter(|g| !g.trim().is_empty()) {
            None => {
                for (key, given) in [
                    ("branch", raw_source.branch.is_some()),
                    ("path", raw_source.path.is_some()),
                    ("token_file", raw_source.token_file.is_some()),
                    (
                        "webhook_secret_file",
                        raw_source.webhook_secret_file.is_some(),
                    ),
                ] {
                    if given {
                        return Err(ConfigError {
                            origin: origin_of(key),
                            key: Some(format!("source.{key}")),
                            message: "is set but `source.git` is not; set `source.git` to the repository's URL, or remove it".into(),
                        });
                    }
                }
                None
            }
            Some(git) => Some(git_source(
                git,
                raw_source,
                &origin_of,
                |key: &str, value: Option<PathBuf>| {
                    let var = format!("CRIER_SOURCE_{}", key.to_uppercase());
                    let value = value?;
                    let from_file = !from_env.iter().any(|(_, v)| *v == var);
                    Some(match (&base, from_file) {
                        (Some(base), true) if value.is_relative() => base.join(value),
                        _ => value,
                    })
                },
                http_listen.is_some(),
            )?),
        };
        if let Some(source) = &source {
            catalog.events_dir = crate::source::events_dir(&state_dir, source);
            let beside = Settings::for_events_dir(&catalog.events_dir);
            catalog.presentations_dir = beside.presentations_dir;
            catalog.people_dir = beside.people_dir;
            catalog.speakers_dir = beside.speakers_dir;
        }
        let routes = match raw.routes {
            Some(value) => crate::routing::parse(&value).map_err(|e| ConfigError {
                origin: origin.clone(),
                key: Some(e.key),
                message: e.message,
            })?,
            None => Vec::new(),
        };
        let default = discord.channel_id.map(|channel| {
            let mut destination = crate::routing::Destination::new(channel, discord.mention_role);
            destination.posts.new = rules.announce_new;
            destination
        });
        let routes = crate::routing::Routes::new(routes, default);
        // Series are expanded as far as the longest reminder reaches, and a margin more, so that each
        // occurrence is seen before its first reminder is due.
        let longest = routes
            .destinations()
            .filter_map(|d| d.offsets.as_ref())
            .flatten()
            .chain(&rules.offsets)
            .max()
            .copied()
            .unwrap_or_default();
        // The margin covers the time between two rescans, which is when a new occurrence is noticed.
        catalog.reach = longest + Duration::from_secs(86400).max(rescan_interval * 2);
        Ok(Config {
            file,
            catalog,
            state_dir,
            rescan_interval,
            rules,
            digest,
            discord,
            http_listen,
            routes,
            source,
        })
    }
}

/// Checks the `[source]` table once `git` is known to be set.
fn git_source(
    git: String,
    raw: RawSource,
    origin_of: &dyn Fn(&str) -> String,
    path_key: impl Fn(&str, Option<PathBuf>) -> Option<PathBuf>,
    listens: bool,
) -> Result<GitSource, ConfigError> {
    let error = |key: &str, message: String| ConfigError {
        origin: origin_of(key),
        key: Some(format!("source.{key}")),
        message,
    };
    if raw.token.is_some() {
        return Err(error("token", "a token never belongs in a config file (it would end up in git and backups); put it in a file and set `source.token_file`".into()));
    }
    let defaults =
        GitSource::new(crate::source::git::check_url(&git).map_err(|m| error("git", m))?);
    let branch = match raw.branch.map(|b| b.trim().to_string()) {
        Some(b) if b.is_empty() => None,
        Some(b) => {
            let name = b.strip_prefix("refs/heads/").unwrap_or(&b).to_string();
            if name.contains(['*', ':', ' ', '~', '^', '?', '[', '\\']) || name.contains("..") {
                return Err(error("branch", format!("`{b}` is not a branch name")));
            }
            Some(name)
        }
        None => None,
    };
    let path = raw.path.unwrap_or_else(|| defaults.path.clone());
    let clean = !path.as_os_str().is_empty()
        && path.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if !clean {
        return Err(error(
            "path",
            format!(
                "`{}` is not a folder inside the repository; write it relative to the repository's root, like `events` or `_posts`",
                path.display()
            ),
        ));
    }
    let interval = match raw.interval.as_deref() {
        Some(text) => humantime::parse_duration(text).map_err(|e| {
            error(
                "interval",
                format!("`{text}` is not a duration ({e}); write it like `5m` or `30s`"),
            )
        })?,
        None => defaults.interval,
    };
    if interval < Duration::from_secs(1) {
        return Err(error("interval", "must be at least 1s".into()));
    }
    let webhook_secret_file = path_key("webhook_secret_file", raw.webhook_secret_file);
    if webhook_secret_file.is_some() && !listens {
        return Err(error(
            "webhook_secret_file",
            "the webhook is served by the HTTP listener, which is off; set `http.listen` too (e.g. `0.0.0.0:8080`)".into(),
        ));
    }
    Ok(GitSource {
        branch,
        path,
        interval,
        token_file: path_key("token_file", raw.token_file),
        username: raw
            .username
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| defaults.username.clone()),
        webhook_secret_file,
        ..defaults
    })
}

fn parse_default_time(text: &str) -> Result<NaiveTime, String> {
    datetime::parse_clock(text)
        .ok_or_else(|| format!("`{text}` is not a time of day; write it as \"18:00\""))
}

fn with_position(origin: &str, text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return origin.to_string();
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{origin}:{line}:{column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("config.toml");
        std::fs::write(&path, text).expect("write config");
        path
    }

    #[test]
    fn defaults_without_a_file() {
        let config = Config::load_with_env(None, |_| None).expect("defaults");
        assert_eq!(config.catalog.timezone, chrono_tz::Asia::Jerusalem);
        assert_eq!(config.catalog.default_time.to_string(), "18:00:00");
    }

    #[test]
    fn reads_keys_relative_to_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "events_dir = \"site/_posts\"\ntimezone = \"Europe/Berlin\"\ndefault_time = \"19:00\"\n",
        );
        let config = Config::load_with_env(Some(&path), |_| None).expect("loads");
        assert_eq!(config.catalog.events_dir, dir.path().join("site/_posts"));
        assert_eq!(config.catalog.people_dir, dir.path().join("site/people"));
        assert_eq!(
            config.catalog.speakers_dir,
            dir.path().join("site/speakers")
        );
        assert_eq!(config.catalog.timezone, chrono_tz::Europe::Berlin);
        assert_eq!(config.catalog.default_time.to_string(), "19:00:00");
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "timezone = \"Europe/Berlin\"\n");
        let config = Config::load_with_env(Some(&path), |key| match key {
            "CRIER_TIMEZONE" => Some("America/New_York".into()),
            "CRIER_EVENTS_DIR" => Some("/events".into()),
            _ => None,
        })
        .expect("loads");
        assert_eq!(config.catalog.timezone, chrono_tz::America::New_York);
        assert_eq!(config.catalog.events_dir, PathBuf::from("/events"));
    }

    #[test]
    fn errors_name_the_key_and_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "timezone = \"Europe/Berln\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("bad zone");
        let text = err.to_string();
        assert!(text.contains("config.toml: `timezone`"), "{text}");
        assert!(text.contains("did you mean `Europe/Berlin`"), "{text}");

        let path = write(dir.path(), "timezone = \"Europe/Berlin\"\n");
        let err = Config::load_with_env(Some(&path), |key| {
            (key == "CRIER_DEFAULT_TIME").then(|| "evening".to_string())
        })
        .expect_err("bad time");
        assert!(
            err.to_string()
                .starts_with("CRIER_DEFAULT_TIME: `default_time`"),
            "{err}"
        );

        let path = write(dir.path(), "event_dir = \"x\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("unknown key");
        assert_eq!(err.key.as_deref(), Some("event_dir"), "{err}");

        let path = write(dir.path(), "timezone = \n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("syntax");
        assert!(err.origin.ends_with("config.toml:1:12"), "{err}");
    }

    #[test]
    fn announcer_keys_from_file_and_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "state_dir = \"/data\"\nrescan_interval = \"30s\"\n[reminders]\noffsets = [\"3d\", \"90m\"]\nannounce_new = false\n[digest]\ncron = \"0 0 9 * * Mon\"\n",
        );
        let config = Config::load_with_env(Some(&path), |key| {
            (key == "CRIER_REMINDERS_GRACE").then(|| "10m".to_string())
        })
        .expect("loads");
        assert_eq!(config.state_dir, PathBuf::from("/data"));
        assert_eq!(config.rescan_interval, Duration::from_secs(30));
        assert_eq!(
            config.rules.offsets,
            [Duration::from_secs(3 * 86400), Duration::from_secs(90 * 60)]
        );
        assert!(!config.rules.announce_new);
        assert_eq!(config.rules.grace, Some(Duration::from_secs(600)));
        assert!(config.digest.is_some());

        let config = Config::load_with_env(Some(&path), |key| {
            (key == "CRIER_REMINDERS_OFFSETS").then(|| "1d, 2h".to_string())
        })
        .expect("loads");
        assert_eq!(config.rules.offsets.len(), 2);

        let path = write(dir.path(), "[digest]\ncron = \"every monday\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("bad cron");
        assert!(err.to_string().contains("`digest.cron`"), "{err}");
        let path = write(dir.path(), "[reminders]\noffsets = [\"soon\"]\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("bad offset");
        assert!(err.to_string().contains("`reminders.offsets`"), "{err}");
    }

    #[test]
    fn discord_keys_and_a_token_in_the_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "[discord]\nguild_id = 222222222222222222\nchannel_id = \"333333333333333333\"\napi_url = \"http://127.0.0.1:9/\"\npublish = true\n",
        );
        let config = Config::load_with_env(Some(&path), |key| {
            (key == "CRIER_DISCORD_MENTION_ROLE").then(|| "555".to_string())
        })
        .expect("loads");
        assert_eq!(config.discord.guild_id, Some(222222222222222222));
        assert_eq!(config.discord.channel_id, Some(333333333333333333));
        assert_eq!(
            config.discord.api_url.as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(config.discord.mention_role, Some(555));
        assert!(config.discord.publish);
        assert_eq!(config.http_listen, None);
        let config = Config::load_with_env(Some(&path), |key| {
            (key == "CRIER_HTTP_LISTEN").then(|| "127.0.0.1:8080".to_string())
        })
        .expect("loads");
        assert_eq!(
            config.http_listen,
            Some("127.0.0.1:8080".parse().expect("addr"))
        );

        let path = write(dir.path(), "[discord]\ntoken = \"abc.def\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("token refused");
        let text = err.to_string();
        assert!(
            text.contains("`discord.token`") && text.contains("DISCORD_TOKEN"),
            "{text}"
        );
        assert!(
            !text.contains("abc.def"),
            "the token is never echoed: {text}"
        );

        let path = write(dir.path(), "[discord]\nchannel_id = \"general\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("bad id");
        assert!(err.to_string().contains("`discord.channel_id`"), "{err}");
    }

    #[test]
    fn a_named_file_must_exist() {
        let err = Config::load_with_env(Some(Path::new("/nonexistent/crier.toml")), |_| None)
            .expect_err("missing");
        assert!(
            err.to_string().contains("cannot read the config file"),
            "{err}"
        );
    }
}
