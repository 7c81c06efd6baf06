//! Configuration: `config.toml`, overridden key by key by `CRIER_<KEY>` environment variables.
//!
//! Every key has a default, so crier runs with no file at all (a container configured by environment
//! alone). A bad value is reported with its key and the file (or variable) it came from, because the
//! person reading the message is the one who has to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use serde::Deserialize;

use crate::catalog::{datetime, Settings};

/// The config file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "config.toml";

/// Top-level keys, each of which `CRIER_<KEY>` overrides.
const KEYS: &[&str] = &[
    "events_dir",
    "presentations_dir",
    "people_dir",
    "timezone",
    "default_time",
];

/// The file as written. Unknown keys are errors: a typo in a config file must not be silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    events_dir: Option<PathBuf>,
    presentations_dir: Option<PathBuf>,
    people_dir: Option<PathBuf>,
    timezone: Option<String>,
    default_time: Option<String>,
}

/// The whole configuration, resolved and checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from, if any.
    pub file: Option<PathBuf>,
    pub catalog: Settings,
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
        let events_dir = path_key("events_dir", raw.events_dir)
            .unwrap_or_else(|| base.clone().unwrap_or_default().join("events"));
        let mut catalog = Settings::for_events_dir(events_dir);
        if let Some(dir) = path_key("presentations_dir", raw.presentations_dir) {
            catalog.presentations_dir = dir;
        }
        if let Some(dir) = path_key("people_dir", raw.people_dir) {
            catalog.people_dir = dir;
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
        Ok(Config { file, catalog })
    }
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
    fn a_named_file_must_exist() {
        let err = Config::load_with_env(Some(Path::new("/nonexistent/crier.toml")), |_| None)
            .expect_err("missing");
        assert!(
            err.to_string().contains("cannot read the config file"),
            "{err}"
        );
    }
}
