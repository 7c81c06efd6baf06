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
mod ledger;
mod messages;
mod origin;
mod raw;
mod reminders;
mod sites;
pub mod source;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use discord::{DiscordConfig, Shards};
pub use ledger::{LedgerConfig, PostgresLedger};
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

/// The name a configuration without `[[sites]]` gives its one site: in the ledger's rows, the logs,
/// the metrics' labels and `run --json`.
pub const DEFAULT_SITE: &str = "default";

/// The whole configuration, resolved and checked: what the process shares, and each site's own.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, if any.
    pub file: Option<PathBuf>,
    /// Where the ledger (with SQLite) and the lock file live.
    pub state_dir: PathBuf,
    /// Where `/healthz`, `/metrics` and the feeds are served; off when `None`.
    pub http_listen: Option<SocketAddr>,
    pub ledger: LedgerConfig,
    /// `discord.shards`: how the gateway connection is sharded (`None`: one shard).
    pub shards: Option<Shards>,
    /// One site without `[[sites]]`, else each of `[[sites]]`, in the file's order.
    pub sites: Vec<SiteConfig>,
}

/// One site's configuration, with the top-level keys it inherits.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// `[[sites]] name`; `None` for the one site of a configuration without `[[sites]]`.
    pub name: Option<String>,
    /// The file it was read from, if any.
    pub file: Option<PathBuf>,
    pub catalog: Settings,
    /// Where the ledger and the lock file live (shared by every site).
    pub state_dir: PathBuf,
    pub ledger: LedgerConfig,
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
        let (mut table, origins) = raw::read(file.as_deref(), &env)?;
        // The process's own keys, read once from the top level.
        let sites = table.remove("sites");
        let mut top = toml::Table::new();
        for key in ["state_dir", "http", "ledger"] {
            if let Some(value) = table.get(key) {
                top.insert(key.to_string(), value.clone());
            }
        }
        if let Some(discord) = table.get("discord").and_then(toml::Value::as_table) {
            if let Some(shards) = discord.get("shards") {
                let mut inner = toml::Table::new();
                inner.insert("shards".into(), shards.clone());
                top.insert("discord".into(), toml::Value::Table(inner));
            }
        }
        let top = raw::deserialize(top, &origins)?;
        let state_dir = origins
            .path("state_dir", top.state_dir)
            .unwrap_or_else(|| origins.beside_file("state"));
        let http_listen = listen(top.http.and_then(|h| h.listen), &origins)?;
        let ledger = ledger::resolve(top.ledger, state_dir.clone(), &origins)?;
        let shards = discord::shards(top.discord.and_then(|d| d.shards), &origins)?;
        table.remove("ledger");
        if let Some(discord) = table.get_mut("discord").and_then(toml::Value::as_table_mut) {
            discord.remove("shards");
        }
        let sites = match sites {
            None => vec![SiteConfig::resolve(
                file.clone(),
                None,
                raw::deserialize(table, &origins)?,
                ledger.clone(),
                &origins,
            )?],
            Some(value) => {
                let mut sites: Vec<SiteConfig> = Vec::new();
                for (index, mut site) in sites::tables(value, &origins)?.into_iter().enumerate() {
                    let taken: Vec<String> = sites.iter().filter_map(|s| s.name.clone()).collect();
                    let name = sites::name(index, &mut site, &taken, &origins)?;
                    let keys = sites::given_keys(&site);
                    sites::refuse_top_level_keys(index, &keys, &origins)?;
                    let at = origins.for_site(index, keys);
                    let raw = raw::deserialize(sites::merged(&table, site), &at)?;
                    sites.push(SiteConfig::resolve(
                        file.clone(),
                        Some(name),
                        raw,
                        ledger.clone(),
                        &at,
                    )?);
                }
                sites
            }
        };
        Ok(Config {
            file,
            state_dir,
            http_listen,
            ledger,
            shards,
            sites,
        })
    }

    /// Whether the sites are `[[sites]]` (named), rather than one site as before.
    pub fn has_named_sites(&self) -> bool {
        self.sites.iter().any(|s| s.name.is_some())
    }

    /// The site a command works on: `--site NAME`, or the only one. With several sites and no
    /// name, or an unknown name, the error lists the names.
    pub fn site(&self, name: Option<&str>) -> Result<&SiteConfig, String> {
        let names = || {
            self.sites
                .iter()
                .filter_map(|s| s.name.as_deref())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match name {
            None => match self.sites.as_slice() {
                [only] => Ok(only),
                _ => Err(format!(
                    "this configuration has several sites ({}); choose one with `--site NAME`",
                    names()
                )),
            },
            Some(name) => self.sites.iter().find(|s| s.key() == name).ok_or_else(|| {
                let hint =
                    crier_core::text::did_you_mean(name, self.sites.iter().map(SiteConfig::key))
                        .map(|hint| format!(" ({hint})"))
                        .unwrap_or_default();
                format!(
                    "there is no site `{name}`{hint}; the sites are: {}",
                    if self.has_named_sites() {
                        names()
                    } else {
                        DEFAULT_SITE.to_string()
                    }
                )
            }),
        }
    }
}

impl SiteConfig {
    /// The site's name in the ledger, the logs, the metrics and `run --json`: its `name`, or
    /// [`DEFAULT_SITE`] for a configuration without `[[sites]]`.
    pub fn key(&self) -> &str {
        self.name.as_deref().unwrap_or(DEFAULT_SITE)
    }

    /// The site's own folder under the state folder, for its git checkout: `state_dir` itself
    /// without `[[sites]]` (as before), else `state_dir/sites/<name>`.
    pub fn own_dir(&self) -> PathBuf {
        own_dir(&self.state_dir, self.name.as_deref())
    }

    /// Stage two: each table checked, its paths resolved and its defaults applied.
    fn resolve(
        file: Option<PathBuf>,
        name: Option<String>,
        raw: RawConfig,
        ledger: LedgerConfig,
        at: &Origins,
    ) -> Result<SiteConfig, ConfigError> {
        // First: the conflict with the folder keys echoes the URL, which must be known clean.
        let git = source::url(raw.source.as_ref(), at)?;
        let mut catalog = catalog::resolve(&raw, git.as_deref(), at)?;
        let state_dir = at
            .path("state_dir", raw.state_dir)
            .unwrap_or_else(|| at.beside_file("state"));
        let own_dir = own_dir(&state_dir, name.as_deref());
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
                &source::events_dir(&own_dir, source),
                &source::tree_root(&own_dir),
            );
        }
        let messages = messages::resolve(raw.messages.unwrap_or_default(), at)?;
        let routes = routes(raw.routes, &discord, &rules, at)?;
        catalog.reach = catalog::reach(&routes, &rules, rescan_interval);
        Ok(SiteConfig {
            name,
            file,
            catalog,
            state_dir,
            ledger,
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

/// [`SiteConfig::own_dir`], before there is a `SiteConfig`.
fn own_dir(state_dir: &Path, name: Option<&str>) -> PathBuf {
    match name {
        Some(name) => state_dir.join("sites").join(name),
        None => state_dir.to_path_buf(),
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
            key: Some(at.name(&e.key)),
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

    /// The one site of a configuration without `[[sites]]`.
    fn load_site(
        path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<SiteConfig, ConfigError> {
        let mut config = Config::load_with_env(path, env)?;
        assert_eq!(config.sites.len(), 1);
        Ok(config.sites.remove(0))
    }

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("config.toml");
        std::fs::write(&path, text).expect("write config");
        path
    }

    #[test]
    fn defaults_without_a_file() {
        let config = load_site(None, |_| None).expect("defaults");
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
        let config = load_site(Some(&path), |_| None).expect("loads");
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
        let config = load_site(Some(&path), |key| match key {
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
        let err = load_site(Some(&path), |_| None).expect_err("bad zone");
        let text = err.to_string();
        assert!(text.contains("config.toml: `timezone`"), "{text}");
        assert!(text.contains("did you mean `Europe/Berlin`"), "{text}");

        let path = write(dir.path(), "timezone = \"Europe/Berlin\"\n");
        let err = load_site(Some(&path), |key| {
            (key == "CRIER_DEFAULT_TIME").then(|| "evening".to_string())
        })
        .expect_err("bad time");
        assert!(
            err.to_string()
                .starts_with("CRIER_DEFAULT_TIME: `default_time`"),
            "{err}"
        );

        let path = write(dir.path(), "event_dir = \"x\"\n");
        let err = load_site(Some(&path), |_| None).expect_err("unknown key");
        assert_eq!(err.key.as_deref(), Some("event_dir"), "{err}");

        let path = write(dir.path(), "timezone = \n");
        let err = load_site(Some(&path), |_| None).expect_err("syntax");
        assert!(err.origin.ends_with("config.toml:1:12"), "{err}");
    }

    #[test]
    fn announcer_keys_from_file_and_environment() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "state_dir = \"/data\"\nrescan_interval = \"30s\"\n[reminders]\noffsets = [\"3d\", \"90m\"]\nannounce_new = false\n[digest]\ncron = \"0 0 9 * * Mon\"\n",
        );
        let config = load_site(Some(&path), |key| {
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

        let config = load_site(Some(&path), |key| {
            (key == "CRIER_REMINDERS_OFFSETS").then(|| "1d, 2h".to_string())
        })
        .expect("loads");
        assert_eq!(config.rules.offsets.len(), 2);

        let path = write(dir.path(), "[digest]\ncron = \"every monday\"\n");
        let err = load_site(Some(&path), |_| None).expect_err("bad cron");
        assert!(err.to_string().contains("`digest.cron`"), "{err}");
        let path = write(dir.path(), "[reminders]\noffsets = [\"soon\"]\n");
        let err = load_site(Some(&path), |_| None).expect_err("bad offset");
        assert!(err.to_string().contains("`reminders.offsets`"), "{err}");
    }

    #[test]
    fn discord_keys_and_a_token_in_the_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "[discord]\nguild_id = 222222222222222222\nchannel_id = \"333333333333333333\"\napi_url = \"http://127.0.0.1:9/\"\npublish = true\n",
        );
        let config = load_site(Some(&path), |key| {
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
        let config = load_site(Some(&path), |key| {
            (key == "CRIER_HTTP_LISTEN").then(|| "127.0.0.1:8080".to_string())
        })
        .expect("loads");
        assert_eq!(
            config.http_listen,
            Some("127.0.0.1:8080".parse().expect("addr"))
        );

        let path = write(dir.path(), "[discord]\ntoken = \"abc.def\"\n");
        let err = load_site(Some(&path), |_| None).expect_err("token refused");
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
        let err = load_site(Some(&path), |_| None).expect_err("bad id");
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
        let config = load_site(Some(&path), env).expect("loads");
        assert_eq!(
            config.discord.token_file,
            Some(dir.path().join("secrets/discord")),
            "relative to the config file's folder"
        );
        let source = config.source.expect("git");
        assert_eq!(source.token_file, Some(PathBuf::from("/run/secrets/git")));

        let path = write(dir.path(), "[discord]\ntoken_file = \"\"\n");
        let err = load_site(Some(&path), env).expect_err("empty path");
        let text = err.to_string();
        assert_eq!(err.origin, path.display().to_string(), "{text}");
        assert_eq!(err.key.as_deref(), Some("discord.token_file"), "{text}");
        assert!(!text.contains("CRIER_SOURCE_TOKEN_FILE"), "{text}");
        let err = load_site(Some(&path), |key| match key {
            "CRIER_DISCORD_TOKEN_FILE" => Some(" ".to_string()),
            _ => env(key),
        })
        .expect_err("empty variable");
        assert_eq!(err.origin, "CRIER_DISCORD_TOKEN_FILE", "{err}");
        assert_eq!(err.key.as_deref(), Some("discord.token_file"), "{err}");

        // And the other way round: `source.token_file` is blamed on the file, not on the
        // variable of `discord.token_file`.
        let path = write(dir.path(), "[source]\ntoken_file = \"git-token\"\n");
        let err = load_site(Some(&path), |key| {
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
        let err = load_site(Some(&path), |_| None).expect_err("unknown key");
        assert_eq!(err.key.as_deref(), Some("discord.tokn_file"), "{err}");
        let err = load_site(None, |key| {
            (key == "CRIER_DISCORD_PUBLISH").then(|| "maybe".to_string())
        })
        .expect_err("not a boolean");
        assert_eq!(err.origin, "CRIER_DISCORD_PUBLISH", "{err}");
        assert_eq!(err.key.as_deref(), Some("discord.publish"), "{err}");
    }

    #[test]
    fn a_named_file_must_exist() {
        let err =
            load_site(Some(Path::new("/nonexistent/crier.toml")), |_| None).expect_err("missing");
        assert!(
            err.to_string().contains("cannot read the config file"),
            "{err}"
        );
    }

    #[test]
    fn sites_inherit_the_top_level_keys_and_override_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            r#"
timezone = "Europe/Berlin"
state_dir = "/data"
[reminders]
offsets = ["1d"]
[discord]
guild_id = 1
channel_id = 2

[[sites]]
name = "rust-berlin"
events_dir = "berlin/events"

[[sites]]
name = "rust-tlv"
events_dir = "tlv/_posts"
timezone = "Asia/Jerusalem"
[sites.discord]
channel_id = 3
[[sites.routes]]
language = "Hebrew"
channel_id = 4
"#,
        );
        let config = Config::load_with_env(Some(&path), |_| None).expect("loads");
        assert!(config.has_named_sites());
        assert_eq!(config.state_dir, PathBuf::from("/data"));
        let berlin = config.site(Some("rust-berlin")).expect("berlin");
        assert_eq!(berlin.catalog.timezone, chrono_tz::Europe::Berlin);
        assert_eq!(berlin.catalog.events_dir, dir.path().join("berlin/events"));
        assert_eq!(berlin.discord.channel_id, Some(2));
        assert_eq!(berlin.rules.offsets, [Duration::from_secs(86400)]);
        assert_eq!(berlin.own_dir(), PathBuf::from("/data/sites/rust-berlin"));
        let tlv = config.site(Some("rust-tlv")).expect("tlv");
        assert_eq!(tlv.catalog.timezone, chrono_tz::Asia::Jerusalem);
        assert_eq!(
            tlv.discord.guild_id,
            Some(1),
            "a table's other keys are inherited"
        );
        assert_eq!(tlv.discord.channel_id, Some(3));
        assert!(!tlv.routes.is_empty());
        assert!(berlin.routes.is_empty());
        let err = config.site(None).expect_err("several");
        assert!(
            err.contains("rust-berlin, rust-tlv") && err.contains("--site"),
            "{err}"
        );
        let err = config.site(Some("rust-tvl")).expect_err("unknown");
        assert!(err.contains("did you mean `rust-tlv`"), "{err}");
    }

    #[test]
    fn a_site_error_names_the_site_and_its_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = [
            (
                "[[sites]]\nname = \"a\"\ntimezone = \"Europe/Berln\"\n",
                "sites[0].timezone",
            ),
            (
                "[[sites]]\nname = \"a\"\n[[sites]]\nname = \"b\"\nstate_dir = \"/x\"\n",
                "sites[1].state_dir",
            ),
            (
                "[[sites]]\nname = \"a\"\n[sites.discord]\ntoken_file = \"t\"\n",
                "sites[0].discord.token_file",
            ),
            ("[[sites]]\nname = \"a b\"\n", "sites[0].name"),
            ("[[sites]]\nevents_dir = \"e\"\n", "sites[0].name"),
            (
                "[[sites]]\nname = \"a\"\n[[sites]]\nname = \"A\"\n",
                "sites[1].name",
            ),
            (
                "[[sites]]\nname = \"a\"\neventz_dir = \"e\"\n",
                "sites[0].eventz_dir",
            ),
            (
                "[[sites]]\nname = \"a\"\n[[sites.routes]]\nchannel_id = 1\n",
                "sites[0].routes[1]",
            ),
            ("sites = []\n", "sites"),
        ];
        for (text, key) in cases {
            let path = write(dir.path(), text);
            let err = Config::load_with_env(Some(&path), |_| None).expect_err(text);
            assert!(
                err.key.as_deref().is_some_and(|k| k.starts_with(key)),
                "{text}: {err}"
            );
        }
        // A default the site inherits is blamed on the top level.
        let path = write(
            dir.path(),
            "timezone = \"Europe/Berln\"\n[[sites]]\nname = \"a\"\n",
        );
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("bad default");
        assert_eq!(err.key.as_deref(), Some("timezone"), "{err}");
    }

    #[test]
    fn the_ledger_url_never_holds_the_password() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write(
            dir.path(),
            "[ledger]\nurl = \"postgres://crier:s3cret@db.example:5432/crier\"\n",
        );
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("password in URL");
        assert_eq!(err.key.as_deref(), Some("ledger.url"));
        assert!(!err.to_string().contains("s3cret"), "{err}");
        let path = write(
            dir.path(),
            "[ledger]\nurl = \"postgres://crier@db.example:5432/crier?password=s3cret\"\n",
        );
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("password in query");
        assert_eq!(err.key.as_deref(), Some("ledger.url"));
        assert!(!err.to_string().contains("s3cret"), "{err}");
        let path = write(
            dir.path(),
            "[ledger]\nurl = \"postgres://crier@db.example:5432/crier\"\npassword_file = \"pw\"\n[discord]\nshards = \"auto\"\n",
        );
        let config = Config::load_with_env(Some(&path), |_| None).expect("loads");
        let pg = config.ledger.postgres.expect("postgres");
        assert_eq!(pg.url, "postgres://crier@db.example:5432/crier");
        assert_eq!(pg.password_file, Some(dir.path().join("pw")));
        assert_eq!(config.shards, Some(Shards::Auto));
        let path = write(dir.path(), "[ledger]\npassword = \"x\"\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("password key");
        assert_eq!(err.key.as_deref(), Some("ledger.password"));
        let path = write(dir.path(), "[ledger]\nurl = \"mysql://db/crier\"\n");
        assert!(Config::load_with_env(Some(&path), |_| None).is_err());
        let path = write(dir.path(), "[discord]\nshards = 0\n");
        let err = Config::load_with_env(Some(&path), |_| None).expect_err("no shards");
        assert_eq!(err.key.as_deref(), Some("discord.shards"));
    }
}
