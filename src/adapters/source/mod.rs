//! Where the event files come from: a folder on disk ([`folder`], watched), or a git repository
//! ([`git`], fetched every `source.interval` and on a push webhook). Either way the run loop gets
//! the same two things: the catalog settings to read from (`config.catalog`, which for git points
//! into `state_dir/source/current`), and a stream of [`Change`]s that say "read it again".
//!
//! A git change is applied by the run loop itself ([`Change::apply`] swaps the tree), between two
//! catalog reads: the catalog never sees a tree change under it.

pub mod folder;
pub mod git;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::{mpsc, oneshot, watch, Notify};
use tracing::{info, warn};

use crate::app::telemetry::Telemetry;
use crate::config::source::root;
use crate::config::GitSource;
use crate::secret::Secret;
use crier_core::catalog::Settings;
use git::{Checkout, Follower};

/// Something changed in the source.
pub enum Change {
    /// Files changed in the folder.
    Files,
    /// A fetch brought a new commit, already written out; [`Change::apply`] makes it current.
    Commit(FetchedTree),
}

/// A new commit's tree, waiting to be made current.
pub struct FetchedTree {
    checkout: Checkout,
    follower: Arc<Follower>,
    applied: oneshot::Sender<()>,
}

impl Change {
    /// Makes the change current; for a commit, returns it (the tree swapped to). On an error the
    /// last tree stays current, and the next fetch tries again.
    pub fn apply(self) -> std::io::Result<Option<Checkout>> {
        match self {
            Change::Files => Ok(None),
            Change::Commit(pending) => {
                pending.follower.activate(&pending.checkout)?;
                let _ = pending.applied.send(());
                Ok(Some(pending.checkout))
            }
        }
    }
}

/// The source, running: dropping it stops the watch or the fetching.
pub struct Source {
    pub changes: mpsc::Receiver<Change>,
    /// The commit read at start (git only).
    pub commit: Option<Checkout>,
    /// For `POST /hooks/git`, when `source.webhook_secret_file` is set.
    pub hook: Option<Hook>,
    _keep: Keep,
}

enum Keep {
    Watch(#[allow(dead_code)] folder::Watch),
    Task(tokio::task::JoinHandle<()>, Arc<Follower>),
}

impl Drop for Keep {
    fn drop(&mut self) {
        if let Keep::Task(task, follower) = self {
            follower
                .interrupt
                .store(true, std::sync::atomic::Ordering::Relaxed);
            task.abort();
        }
    }
}

/// What the webhook needs: the secret, a way to ask for a fetch, and the branch followed.
#[derive(Clone)]
pub struct Hook {
    pub secret: Secret,
    pub trigger: Arc<Notify>,
    /// `refs/heads/<name>`, once known (for the default branch, after the first fetch).
    pub branch: watch::Receiver<Option<String>>,
}

/// Starts the configured source. For git, the first start clones the repository (an error then
/// ends the start: there is nothing to announce from); later starts read the last tree at once and
/// fetch in the background.
///
/// `git` is `[source]`; without it the folders of `settings` are watched. `state_dir` holds the
/// git source's repository and trees.
pub async fn start(
    git: Option<&GitSource>,
    settings: &Settings,
    state_dir: &Path,
    telemetry: Arc<Telemetry>,
) -> anyhow::Result<Source> {
    match git {
        None => {
            let dirs = [
                settings.events_dir.clone(),
                settings.presentations_dir.clone(),
                settings.people_dir.clone(),
                settings.speakers_dir.clone(),
            ];
            let (watch, changes) = folder::watch(&dirs, Duration::from_millis(100))
                .context("cannot watch the events folder")?;
            Ok(Source {
                changes,
                commit: None,
                hook: None,
                _keep: Keep::Watch(watch),
            })
        }
        Some(git) => start_git(root(state_dir), git, telemetry).await,
    }
}

/// The follower for `source` in `root` (`state_dir/source`), with its token read.
pub fn follower(root: PathBuf, source: &GitSource) -> anyhow::Result<Follower> {
    Ok(Follower::new(
        root,
        git::Remote {
            url: source.url.clone(),
            branch: source.branch.clone(),
            token: read_secret(source.token_file.as_deref(), "source.token_file")?,
            username: source.username.clone(),
        },
        source.path.clone(),
    ))
}

fn read_secret(file: Option<&Path>, key: &str) -> anyhow::Result<Option<Secret>> {
    file.map(|file| Secret::from_file(file, key))
        .transpose()
        .map_err(anyhow::Error::msg)
}

async fn start_git(
    root: PathBuf,
    source: &GitSource,
    telemetry: Arc<Telemetry>,
) -> anyhow::Result<Source> {
    git::install_crypto_provider();
    let secret = read_secret(
        source.webhook_secret_file.as_deref(),
        "source.webhook_secret_file",
    )?;
    let follower = Arc::new(follower(root, source)?);
    let url = source.url.clone();
    let (branch_tx, branch_rx) = watch::channel(None);
    let current = {
        let follower = follower.clone();
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            follower
                .recover()
                .with_context(|| format!("cannot tidy {}", follower.current_dir().display()))?;
            Ok(follower.current())
        })
        .await??
    };
    // A tree from an earlier run may be days old: fetch at once. A fresh clone is current.
    let fetch_at_once = current.is_some();
    let commit = if let Some(checkout) = current {
        info!(commit = %checkout.short(), summary = %checkout.summary, url = %url, "reading the last tree fetched; fetching");
        checkout
    } else {
        info!(url = %url, "cloning the site's repository");
        let started = std::time::Instant::now();
        let follower = follower.clone();
        let (fetched, checkout) = tokio::task::spawn_blocking(move || {
            let fetched = follower.fetch()?;
            let checkout = follower.checkout(&fetched.commit)?;
            follower.activate(&checkout)?;
            anyhow::Ok((fetched, checkout))
        })
        .await?
        .with_context(|| format!("cannot clone {url} (`source.git`)"))?;
        telemetry.source_fetched("updated");
        info!(commit = %checkout.short(), summary = %checkout.summary, branch = fetched.branch.as_deref().unwrap_or("?"), seconds = started.elapsed().as_secs_f64(), "cloned");
        branch_tx.send_replace(fetched.branch);
        checkout
    };
    telemetry.set_source_commit(commit.time);
    let (tx, changes) = mpsc::channel(1);
    let trigger = Arc::new(Notify::new());
    let task = tokio::spawn(follow(
        follower.clone(),
        source.interval,
        trigger.clone(),
        tx,
        telemetry,
        branch_tx,
        commit.commit.clone(),
        fetch_at_once,
    ));
    Ok(Source {
        changes,
        commit: Some(commit),
        hook: secret.map(|secret| Hook {
            secret,
            trigger,
            branch: branch_rx,
        }),
        _keep: Keep::Task(task, follower),
    })
}

/// Webhook deliveries this close together make one fetch (a push of several branches or tags
/// sends one delivery each).
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Fetches every `interval`, and when `trigger` is notified; at most one fetch runs at a time, and
/// triggers that come during one make one more. Each new commit is written out and handed to the
/// run loop, which applies it; only then are older trees removed. `fetch_at_once` for a tree from
/// an earlier run; a fresh clone waits an interval.
#[allow(clippy::too_many_arguments)]
async fn follow(
    follower: Arc<Follower>,
    interval: Duration,
    trigger: Arc<Notify>,
    changes: mpsc::Sender<Change>,
    telemetry: Arc<Telemetry>,
    branch: watch::Sender<Option<String>>,
    mut current: String,
    fetch_at_once: bool,
) {
    let mut failures = 0u32;
    // One fetch every `interval` from the start of the last, so a slow fetch does not stretch the
    // period.
    let mut next = tokio::time::Instant::now();
    if !fetch_at_once {
        next += interval;
    }
    loop {
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            () = trigger.notified() => {
                tokio::time::sleep(DEBOUNCE).await;
                info!("webhook: fetching now");
            }
            () = changes.closed() => return,
        }
        next = tokio::time::Instant::now() + interval;
        let worker = follower.clone();
        let known = current.clone();
        let result = tokio::task::spawn_blocking(move || {
            let fetched = worker.fetch()?;
            let checkout = if fetched.commit == known {
                None
            } else {
                info!(commit = %&fetched.commit[..12.min(fetched.commit.len())], "writing the tree of a new commit");
                Some(worker.checkout(&fetched.commit)?)
            };
            anyhow::Ok((fetched, checkout))
        })
        .await
        .unwrap_or_else(|e| Err(anyhow::anyhow!("the fetch task failed: {e}")));
        match result {
            Ok((fetched, checkout)) => {
                failures = 0;
                telemetry.set_source_failures(0, None);
                if fetched.branch.is_some() {
                    branch.send_replace(fetched.branch);
                }
                let Some(checkout) = checkout else {
                    telemetry.source_fetched("unchanged");
                    continue;
                };
                telemetry.source_fetched("updated");
                info!(commit = %checkout.short(), summary = %checkout.summary, "fetched a new commit");
                let (applied_tx, applied) = oneshot::channel();
                let pending = FetchedTree {
                    checkout: checkout.clone(),
                    follower: follower.clone(),
                    applied: applied_tx,
                };
                if changes.send(Change::Commit(pending)).await.is_err() {
                    return;
                }
                if applied.await.is_ok() {
                    current = checkout.commit;
                    let pruner = follower.clone();
                    let _ = tokio::task::spawn_blocking(move || {
                        if let Err(e) = pruner.prune() {
                            warn!(error = %e, "cannot remove old trees");
                        }
                    })
                    .await;
                }
            }
            Err(e) => {
                failures += 1;
                let error = format!("{e:#}");
                telemetry.source_fetched("failed");
                telemetry.set_source_failures(failures, Some(error.clone()));
                let stale = crate::app::health::source_stale(failures);
                warn!(error = %error, failures, stale, url = %follower.remote().url, "fetch failed; announcing from the last tree");
            }
        }
    }
}
