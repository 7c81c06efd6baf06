//! Configuration: `config.toml`, overridden key by key by `CRIER_<KEY>` environment variables.
//!
//! Every key has a default, so crier runs with no file at all (a container configured by environment
//! alone). A bad value is reported with its key and the file (or variable) it came from, because the
//! person reading the message is the one who has to fix it.
//!
//! Loading is two stages. [`raw`] reads the file, lays the environment over it and deserializes it,
//! remembering where each value came from ([`origin`]). Then each table is checked, its paths
//! resolved and its defaults applied by its own module ([`catalog`], [`reminders`], [`discord`],
//! [`source`]), into the section the part that uses it is handed: the announcer its rules, the
//! Discord adapter its `[discord]`, the git source its `[source]`.
//!
//! The config imports neither the git source (`src/adapters/source/`) nor telemetry: the source's layout on
//! disk, which both the config and the source need, is described in [`source`] here, and the source
//! imports it.

mod catalog;
mod discord;
mod messages;
mod origin;
mod raw;
mod reminders;
pub mod source;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use discord::DiscordConfig;
pub use messages::MessagesConfig;
pub use origin::ConfigError;
pub use source::GitSource;

use crier_core::catalog::Settings;
use crier_core::routing::{Destination, Routes};
use crier_core::schedule::Rules;
use origin::Origins;
use raw::RawConfig;

/// The config file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "config.toml";

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
    pub http_listen: Option<SocketAddr>,
    /// Which channel each event is announced in: `[[routes]]`, then `discord.channel_id`.
    pub routes: Routes,
    /// Follow a git repository (`[source] git`); `None`: read the folders in `catalog` as they are.
    pub source: Option<GitSource>,
    /// `[messages]`: which language each post is in, and where the override files are.
    pub messages: MessagesConfig,
}

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
        let (raw, origins) = raw::read(file.as_deref(), &env)?;
        Config::resolve(file, raw, &origins)
    }

    /// Stage two: each table checked, its paths resolved and its defaults applied.
    fn resolve(file: Option<PathBuf>, raw: RawConfig, at: &Origins) -> Result<Config, ConfigError> {
        // First: the conflict with the folder keys echoes the URL, which must be known clean.
        let git = source::url(raw.source.as_ref(), at)?;
        let mut catalog = catalog::resolve(&raw, git.as_deref(), at)?;
        let state_dir = at
            .path("state_dir", raw.state_dir)
            .unwrap_or_else(|| at.beside_file("state"));
        let rescan_interval = rescan_interval(raw.rescan_interval.as_deref(), at)?;
        let rules = reminders::rules(raw.reminders.unwrap_or_default(), at)?;
        let digest = reminders::digest(raw.digest.unwrap_or_default(), at)?;
        let discord = discord::resolve(raw.discord.unwrap_or_default(), at)?;
        let http_listen = listen(raw.http.and_then(|h| h.listen), at)?;
        let source = source::resolve(
            raw.source.unwrap_or_default(),
            git,
            http_listen.is_some(),
            at,
        )?;
        if let Some(source) = &source {
            catalog::follow_tree(
                &mut catalog,
                &source::events_dir(&state_dir, source),
                &source::tree_root(&state_dir),
            );
        }
        let messages = messages::resolve(raw.messages.unwrap_or_default(), at)?;
        let routes = routes(raw.routes, &discord, &rules, at)?;
        catalog.reach = catalog::reach(&routes, &rules, rescan_interval);
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
            messages,
        })
    }
}

/// A duration as people write them (`90m`, `2h30m`, `7d`).
fn duration(key: &str, text: &str, at: &Origins) -> Result<Duration, ConfigError> {
    humantime::parse_duration(text).map_err(|e| {
        at.error(
            key,
            format!("`{text}` is not a duration ({e}); write it like `5m`, `2h` or `7d`"),
        )
    })
}

/// `rescan_interval`: at least a second, five minutes when not set.
fn rescan_interval(text: Option<&str>, at: &Origins) -> Result<Duration, ConfigError> {
    let interval = match text {
        Some(text) => duration("rescan_interval", text, at)?,
        None => Duration::from_secs(300),
    };
    if interval < Duration::from_secs(1) {
        return Err(at.error("rescan_interval", "must be at least 1s"));
    }
    Ok(interval)
}

/// `http.listen`, an address to serve on; blank is no listener.
fn listen(text: Option<String>, at: &Origins) -> Result<Option<SocketAddr>, ConfigError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    text.trim().parse().map(Some).map_err(|_| {
        at.error(
            "http.listen",
            format!("`{text}` is not an address; write it like `0.0.0.0:8080`"),
        )
    })
}

/// `[[routes]]`, then `discord.channel_id` for the events no route takes.
fn routes(
    raw: Option<toml::Value>,
    discord: &DiscordConfig,
    rules: &Rules,
    at: &Origins,
) -> Result<Routes, ConfigError> {
    let routes = match raw {
        Some(value) => crier_core::routing::parse(&value).map_err(|e| ConfigError {
            origin: at.file().to_string(),
            key: Some(e.key),
            message: e.message,
        })?,
        None => Vec::new(),
    };
    let default = discord.channel_id.map(|channel| {
        let mut destination = Destination::new(channel, discord.mention_role);
        destination.posts.new = rules.announce_new;
        destination
    });
    Ok(Routes::new(routes, default))
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

    /// `discord.token_file` and `source.token_file` end alike: each is resolved, and blamed, by its
    /// own key (once, a bare `token_file` lookup let `CRIER_SOURCE_TOKEN_FILE` decide for both).
    #[test]
    fn a_source_token_variable_does_not_touch_discord_token_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        // The file's folder is not the working directory (which is the crate's root under cargo).
        let path = write(dir.path(), "[discord]\ntoken_file = \"secrets/discord\"\n");
        let env = |key: &str| match key {
            "CRIER_SOURCE_GIT" => Some("https://example.org/site".to_string()),
            "CRIER_SOURCE_TOKEN_FILE" => Some("/run/secrets/git".to_string()),
            _ => None,
        };
        let config = Config::load_with_env(Some(&path), env).expect("loads");
        assert_eq!(
            config.discord.token_file,
            Some(dir.path().join("secrets/discord")),
            "relative to the config file's folder"
        );
        let source = config.source.expect("git");
        assert_eq!(source.token_file, Some(PathBuf::from("/run/secrets/git")));

        let path = write(dir.path(), "[discord]\ntoken_file = \"\"\n");
        let err = Config::load_with_env(Some(&path), env).expect_err("empty path");
        let text = err.to_string();
        assert_eq!(err.origin, path.display().to_string(), "{text}");
        assert_eq!(err.key.as_deref(), Some("discord.token_file"), "{text}");
        assert!(!text.contains("CRIER_SOURCE_TOKEN_FILE"), "{text}");
        let err = Config::load_with_env(Some(&path), |key| match key {
            "CRIER_DISCORD_TOKEN_FILE" => Some(" ".to_string()),
            _ => env(key),
        })
        .expect_err("empty variable");
        assert_eq!(err.origin, "CRIER_DISCORD_TOKEN_FILE", "{err}");
        assert_eq!(err.key.as_deref(), Some("discord.token_file"), "{err}");

        // And the other way round: `source.token_file` is blamed on the file, not on the
        // variable of `discord.token_file`.
        let path = write(dir.path(), "[source]\ntoken_file = \"git-token\"\n");
        let err = Config::load_with_env(Some(&path), |key| {
            (key == "CRIER_DISCORD_TOKEN_FILE").then(|| "/run/secrets/discord".to_string())
        })
        .expect_err("source.token_file without source.git");
        assert_eq!(err.origin, path.display().to_string(), "{err}");
        assert_eq!(err.key.as_deref(), Some("source.token_file"), "{err}");
    }

    #[test]
    fn an_unknown_key_is_named_by_its_path_and_a_bad_variable_by_its_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(dir.path(), "[discord]\ntokn_file = \"token\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("unknown key");
        assert_eq!(err.key.as_deref(), Some("discord.tokn_file"), "{err}");
        let err = Config::load_with_env(None, |key| {
            (key == "CRIER_DISCORD_PUBLISH").then(|| "maybe".to_string())
        })
        .expect_err("not a boolean");
        assert_eq!(err.origin, "CRIER_DISCORD_PUBLISH", "{err}");
        assert_eq!(err.key.as_deref(), Some("discord.publish"), "{err}");
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
