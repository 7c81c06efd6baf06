//! The `[source]` table — follow a git repository instead of reading `events_dir` — and the layout
//! of what the git source keeps on disk. The layout is said here, once, because both sides need it:
//! the config points the catalog into the current tree, and the git source (`src/adapters/source/`) writes
//! that tree.
//! Everything here is pure: no git, no I/O.
//!
//! ```text
//! state_dir/source/          root(state_dir)
//!   current -> trees/<commit> current_dir(root): the tree the catalog reads
//!   current/<source.path>     events_dir(state_dir, source)
//! ```

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::origin::{ConfigError, Origins};
use super::raw::RawSource;

/// The `[source]` table, checked: a git repository to follow.
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

/// Where the git source keeps its repository and trees: `state_dir/source`.
pub fn root(state_dir: &Path) -> PathBuf {
    state_dir.join("source")
}

/// `root/current`, the symlink to the current tree.
pub fn current_dir(root: &Path) -> PathBuf {
    root.join("current")
}

/// The events folder the catalog reads for `source`: inside the current tree.
pub fn events_dir(state_dir: &Path, source: &GitSource) -> PathBuf {
    tree_root(state_dir).join(&source.path)
}

/// The root of the checked-out tree that `current` names.
pub fn tree_root(state_dir: &Path) -> PathBuf {
    current_dir(&root(state_dir))
}

/// Checks a `source.git` value: an http(s) URL with no credentials in it.
pub fn check_url(text: &str) -> Result<String, String> {
    // The text is not echoed: a mistyped URL may hold a token.
    let url = url::Url::parse(text.trim())
        .map_err(|e| format!("not a URL ({e}); write it like https://github.com/ORG/SITE"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(format!(
            "`{}` URLs are not supported (the image has no ssh); use the repository's https:// URL, with `source.token_file` for a private one",
            url.scheme()
        ));
    }
    if url.password().is_some() || !url.username().is_empty() {
        return Err("the URL holds credentials; a token never belongs in a config file or a URL (it would be logged): put it in a file and set `source.token_file`".into());
    }
    Ok(url.to_string())
}

/// `source.git`, checked; `None` when it is not set (or blank).
pub(super) fn url(raw: Option<&RawSource>, at: &Origins) -> Result<Option<String>, ConfigError> {
    raw.and_then(RawSource::git)
        .map(|git| check_url(git).map_err(|m| at.error("source.git", m)))
        .transpose()
}

/// The `[source]` table, given `source.git` checked by [`url`]. `listens`: whether `http.listen`
/// is set, which the webhook needs.
pub(super) fn resolve(
    raw: RawSource,
    url: Option<String>,
    listens: bool,
    at: &Origins,
) -> Result<Option<GitSource>, ConfigError> {
    let Some(url) = url else {
        refuse_without_git(&raw, at)?;
        return Ok(None);
    };
    if raw.token.is_some() {
        return Err(at.error("source.token", "a token never belongs in a config file (it would end up in git and backups); put it in a file and set `source.token_file`"));
    }
    let defaults = GitSource::new(url);
    let branch = branch(raw.branch, at)?;
    let path = inside_repository(raw.path.unwrap_or_else(|| defaults.path.clone()), at)?;
    let interval = match raw.interval.as_deref() {
        Some(text) => humantime::parse_duration(text).map_err(|e| {
            at.error(
                "source.interval",
                format!("`{text}` is not a duration ({e}); write it like `5m` or `30s`"),
            )
        })?,
        None => defaults.interval,
    };
    if interval < Duration::from_secs(1) {
        return Err(at.error("source.interval", "must be at least 1s"));
    }
    let webhook_secret_file =
        at.file_path("source.webhook_secret_file", raw.webhook_secret_file)?;
    if webhook_secret_file.is_some() && !listens {
        return Err(at.error(
            "source.webhook_secret_file",
            "the webhook is served by the HTTP listener, which is off; set `http.listen` too (e.g. `0.0.0.0:8080`)",
        ));
    }
    Ok(Some(GitSource {
        branch,
        path,
        interval,
        token_file: at.file_path("source.token_file", raw.token_file)?,
        username: raw
            .username
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| defaults.username.clone()),
        webhook_secret_file,
        ..defaults
    }))
}

/// Keys that only mean something with `source.git` are refused without it: the person meant git.
fn refuse_without_git(raw: &RawSource, at: &Origins) -> Result<(), ConfigError> {
    for (key, given) in [
        ("source.branch", raw.branch.is_some()),
        ("source.path", raw.path.is_some()),
        ("source.token_file", raw.token_file.is_some()),
        (
            "source.webhook_secret_file",
            raw.webhook_secret_file.is_some(),
        ),
    ] {
        if given {
            return Err(at.error(key, "is set but `source.git` is not; set `source.git` to the repository's URL, or remove it"));
        }
    }
    Ok(())
}

/// `source.branch`: a branch name (`refs/heads/` dropped); blank is the remote's default branch.
fn branch(raw: Option<String>, at: &Origins) -> Result<Option<String>, ConfigError> {
    let Some(branch) = raw.map(|b| b.trim().to_string()).filter(|b| !b.is_empty()) else {
        return Ok(None);
    };
    let name = branch.strip_prefix("refs/heads/").unwrap_or(&branch);
    if name.contains(['*', ':', ' ', '~', '^', '?', '[', '\\']) || name.contains("..") {
        return Err(at.error("source.branch", format!("`{branch}` is not a branch name")));
    }
    Ok(Some(name.to_string()))
}

/// `source.path`: a folder inside the repository, never outside it (no `..`, not absolute).
fn inside_repository(path: PathBuf, at: &Origins) -> Result<PathBuf, ConfigError> {
    let clean = !path.as_os_str().is_empty()
        && path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if clean {
        Ok(path)
    } else {
        Err(at.error(
            "source.path",
            format!(
                "`{}` is not a folder inside the repository; write it relative to the repository's root, like `events` or `_posts`",
                path.display()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_credentials_or_other_schemes_are_refused() {
        assert!(check_url("https://github.com/org/site").is_ok());
        let error = check_url("https://me:tok@github.com/org/site").expect_err("password");
        assert!(
            error.contains("source.token_file") && !error.contains("tok@"),
            "{error}"
        );
        assert!(check_url("ssh://git@github.com/org/site").is_err());
        assert!(check_url("file:///srv/site.git").is_err());
        let error = check_url("me:ghp_secret@github.com/org/site").expect_err("no scheme");
        assert!(!error.contains("ghp_secret"), "{error}");
    }

    #[test]
    fn the_events_folder_is_inside_the_current_tree() {
        let source = GitSource {
            path: PathBuf::from("content/events"),
            ..GitSource::new("https://example.org/site".into())
        };
        assert_eq!(
            events_dir(Path::new("/state"), &source),
            PathBuf::from("/state/source/current/content/events")
        );
    }
}
