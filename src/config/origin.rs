//! Where each value came from — the config file or a `CRIER_*` variable — so that an error names the
//! place to fix it, and so that a relative path is resolved against the right folder.
//!
//! Keys are always named by their full path (`discord.token_file`, never `token_file`): two tables
//! may have a key of the same name, and each must be resolved and blamed on its own.

use std::fmt;
use std::path::{Path, PathBuf};

/// A configuration error: which key, from where, and what is wrong.
#[derive(Debug)]
pub struct ConfigError {
    /// `config.toml`, `config.toml:3:1` or `CRIER_TIMEZONE`.
    pub origin: String,
    /// The key's full path, like `discord.token_file`.
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

/// The variable that overrides `key`: `CRIER_` and the key's path in capitals, dots as underscores.
pub(super) fn variable(key: &str) -> String {
    format!("CRIER_{}", key.replace('.', "_").to_uppercase())
}

/// Where the values of one load came from.
#[derive(Debug)]
pub(super) struct Origins {
    /// The config file as named (`config.toml`, `site/crier.toml`), or `defaults` without one.
    file: String,
    /// The config file's folder: relative paths in the file are relative to it, so that
    /// `--config site/crier.toml` works from anywhere.
    base: Option<PathBuf>,
    /// The keys the environment set, by full path, with the variable that set each.
    from_env: Vec<(String, String)>,
    /// For a site of `[[sites]]`: `sites[N]` and the keys its table gives, so that an error about
    /// one of them is named `sites[N].key`, and one about a default it inherits just `key`.
    site: Option<(String, Vec<String>)>,
}

impl Origins {
    pub(super) fn new(file: Option<&Path>) -> Origins {
        Origins {
            file: file.map_or("defaults".to_string(), |p| p.display().to_string()),
            base: file
                .and_then(Path::parent)
                .filter(|p| !p.as_os_str().is_empty())
                .map(Path::to_path_buf),
            from_env: Vec::new(),
            site: None,
        }
    }

    /// The origins of the site at `index` of `[[sites]]`, whose table gives `keys` (full paths).
    pub(super) fn for_site(&self, index: usize, keys: Vec<String>) -> Origins {
        // A key the site gives is the file's, whatever variable set the default under it.
        let from_env = self
            .from_env
            .iter()
            .filter(|(key, _)| !keys.contains(key))
            .cloned()
            .collect();
        Origins {
            file: self.file.clone(),
            base: self.base.clone(),
            from_env,
            site: Some((format!("sites[{index}]"), keys)),
        }
    }

    /// `key` as the user finds it: `sites[N].key` when the site's own table gives it.
    pub(super) fn name(&self, key: &str) -> String {
        match &self.site {
            Some((prefix, keys))
                if keys.iter().any(|given| {
                    key == given
                        || key
                            .strip_prefix(given.as_str())
                            .is_some_and(|rest| rest.starts_with(['.', '[']))
                }) =>
            {
                format!("{prefix}.{key}")
            }
            _ => key.to_string(),
        }
    }
    /// Records that the environment variable `var` set `key`.
    pub(super) fn set_by_env(&mut self, key: &str, var: String) {
        self.from_env.push((key.to_string(), var));
    }

    /// The variable that set `key`, if one did.
    fn variable_of(&self, key: &str) -> Option<&str> {
        self.from_env
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, var)| var.as_str())
    }

    /// Where `key`'s value came from: its variable, else the file.
    pub(super) fn of(&self, key: &str) -> &str {
        self.variable_of(key).unwrap_or(&self.file)
    }

    /// The config file, for errors about the file as a whole.
    pub(super) fn file(&self) -> &str {
        &self.file
    }

    /// An error about `key`, blamed on where its value came from.
    pub(super) fn error(&self, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            origin: self.of(key).to_string(),
            key: Some(self.name(key)),
            message: message.into(),
        }
    }

    /// The one path resolver: a relative path from the file is relative to the file's folder; one
    /// from the environment is relative to the working directory, as a shell user expects.
    pub(super) fn path(&self, key: &str, value: Option<PathBuf>) -> Option<PathBuf> {
        let value = value?;
        Some(match &self.base {
            Some(base) if value.is_relative() && self.variable_of(key).is_none() => {
                base.join(value)
            }
            _ => value,
        })
    }

    /// A path to a file crier reads (a secret): [`Origins::path`], and empty is an error, since
    /// no file is named "" (empty would otherwise name the folder it is resolved against).
    pub(super) fn file_path(
        &self,
        key: &str,
        value: Option<PathBuf>,
    ) -> Result<Option<PathBuf>, ConfigError> {
        if value
            .as_ref()
            .is_some_and(|p| p.as_os_str().to_string_lossy().trim().is_empty())
        {
            return Err(self.error(
                key,
                "is empty; set it to the file that holds the secret, or leave it unset",
            ));
        }
        Ok(self.path(key, value))
    }

    /// `name` in the config file's folder (the working directory without a file): a default path.
    pub(super) fn beside_file(&self, name: &str) -> PathBuf {
        self.base.clone().unwrap_or_default().join(name)
    }
}

/// `origin:line:column` of a span of `text`, for a syntax error.
pub(super) fn with_position(
    origin: &str,
    text: &str,
    span: Option<std::ops::Range<usize>>,
) -> String {
    // A span off a character's boundary (it never should be) loses the position, not the error.
    let Some(before) = span.and_then(|span| text.get(..span.start.min(text.len()))) else {
        return origin.to_string();
    };
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    format!("{origin}:{line}:{column}")
}
