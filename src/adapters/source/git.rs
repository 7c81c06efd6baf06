//! Follows a site's git repository with gitoxide: fetches one branch into a bare repository, writes
//! each new commit's catalog folders to a tree of their own, and makes that tree current in one rename.
//!
//! The layout under `state_dir/source/` is Kubernetes git-sync's (its paths are said once, in
//! [`crate::config::source`], which the config reads too):
//!
//! ```text
//! repo.git/            a bare repository: objects, and refs/crier/followed (nothing else is kept)
//! trees/<commit>/      the folders the catalog reads, as of <commit>; never changed once complete
//! current -> trees/<commit>   what the catalog reads (a relative symlink)
//! ```
//!
//! A tree is written under `trees/<commit>.partial` and renamed when complete, and `current` is
//! replaced by renaming a new symlink over it. Both renames are atomic, so a crash at any moment
//! leaves `current` naming a complete tree; [`Follower::recover`] sweeps what a crash left half-done.
//! Only blobs are written: a symlink in the repository could point anywhere on the bot's disk (a
//! site's `people/x.md -> /run/secrets/...` would be announced), so symlinks and submodules are
//! skipped.
//!
//! HTTP goes through `git_http.rs`: gitoxide's smart-HTTP transport over the reqwest that serenity
//! already uses.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use gix::bstr::ByteSlice;
use gix::remote::Direction;

use crate::config::source::current_dir;
use crate::secret::Secret;

#[path = "git_http.rs"]
mod http;

/// The local ref the followed branch is fetched into; the negotiation tells the server we have it.
const FOLLOWED: &str = "refs/crier/followed";

/// Where to fetch from, and as whom.
#[derive(Debug, Clone)]
pub struct Remote {
    /// An http(s) URL without credentials (so it can be logged as it is).
    pub url: String,
    /// `None`: the remote's default branch (its HEAD).
    pub branch: Option<String>,
    pub token: Option<Secret>,
    /// The user name sent with the token (GitHub and Gitea take any; GitLab deploy tokens have one).
    pub username: String,
}

/// A commit's tree, written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The full commit id, in hex.
    pub commit: String,
    /// The commit's time (committer), in seconds since the epoch.
    pub time: i64,
    /// The first line of the commit message.
    pub summary: String,
    /// `trees/<commit>`.
    pub dir: PathBuf,
}

impl Checkout {
    /// The abbreviated id, for logs.
    pub fn short(&self) -> &str {
        &self.commit[..self.commit.len().min(12)]
    }
}

/// What a fetch found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub commit: String,
    /// The branch followed, `refs/heads/<name>` (for the default branch, what the remote's HEAD names).
    pub branch: Option<String>,
}

/// One followed repository in one folder.
#[derive(Debug)]
pub struct Follower {
    root: PathBuf,
    remote: Remote,
    /// The folders inside the repository the catalog reads: the events folder and, beside it,
    /// presentations/, people/ and speakers/.
    folders: Vec<PathBuf>,
    /// The events folder inside the repository (`source.path`).
    events: PathBuf,
    /// Set on shutdown: gitoxide stops a fetch in progress at its next check.
    pub interrupt: Arc<AtomicBool>,
}

impl Follower {
    /// `root` is `state_dir/source`; `events` the events folder inside the repository.
    pub fn new(root: PathBuf, remote: Remote, events: PathBuf) -> Follower {
        let settings = crier_core::catalog::Settings::for_events_dir(&events);
        let folders = [
            settings.events_dir.clone(),
            settings.presentations_dir,
            settings.people_dir,
            settings.speakers_dir,
        ]
        .into_iter()
        .map(|p| p.components().filter(|c| *c != Component::CurDir).collect())
        .collect();
        Follower {
            root,
            remote,
            folders,
            events,
            interrupt: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn remote(&self) -> &Remote {
        &self.remote
    }

    /// `state_dir/source/current`: the catalog's tree, whichever commit it is.
    pub fn current_dir(&self) -> PathBuf {
        current_dir(&self.root)
    }

    fn trees(&self) -> PathBuf {
        self.root.join("trees")
    }

    fn repo_dir(&self) -> PathBuf {
        self.root.join("repo.git")
    }

    /// The tree `current` names, if it is a complete one.
    pub fn current(&self) -> Option<Checkout> {
        let target = fs::read_link(self.current_dir()).ok()?;
        let commit = target.file_name()?.to_str()?.to_string();
        let dir = self.trees().join(&commit);
        let meta = fs::read_to_string(dir.join(META)).ok()?;
        let mut lines = meta.lines();
        let time = lines.next()?.parse().ok()?;
        let summary = lines.next().unwrap_or_default().to_string();
        Some(Checkout {
            commit,
            time,
            summary,
            dir,
        })
    }

    /// Sweeps what a crash mid-update left: half-written trees and a `current` symlink not yet
    /// renamed into place. `current` itself is never touched.
    pub fn recover(&self) -> io::Result<()> {
        fs::create_dir_all(self.trees())?;
        let _ = fs::remove_file(self.root.join(CURRENT_NEW));
        for entry in fs::read_dir(self.trees())? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "partial") {
                fs::remove_dir_all(&path)?;
            }
        }
        Ok(())
    }

    /// Fetches the followed branch; returns the commit it is at. Blocking: run it off the runtime.
    pub fn fetch(&self) -> anyhow::Result<Fetched> {
        if self.remote.token.is_some() && !token_may_go_to(&self.remote.url) {
            bail!(
                "`source.token_file` is set but {} is plain http: the token would cross the network in clear text; use the repository's https:// URL",
                self.remote.url
            );
        }
        let repo = self.open()?;
        let spec = match &self.remote.branch {
            Some(branch) => format!("+refs/heads/{branch}:{FOLLOWED}"),
            None => format!("+HEAD:{FOLLOWED}"),
        };
        let remote = repo
            .remote_at(self.remote.url.as_str())
            .map_err(|e| anyhow!("`{}` is not a repository URL: {e}", self.remote.url))?
            .with_refspecs([spec.as_str()], Direction::Fetch)
            .map_err(|e| anyhow!("bad refspec {spec}: {e}"))?
            .with_fetch_tags(gix::remote::fetch::Tags::None);
        let token = self.remote.token.clone();
        let username = self.remote.username.clone();
        // `Remote::connect` would pick gitoxide's own HTTP client; this one is crier's (see
        // git_http.rs). The URL and protocol version are gitoxide's, checked as `connect` does.
        let (url, version) = remote
            .sanitized_url_and_version(Direction::Fetch)
            .map_err(|e| anyhow!("cannot connect: {}", describe(&e)))?;
        let connection = remote
            .to_connection_with_transport(http::connect(url, version))
            .with_credentials(move |action| credentials(action, token.as_ref(), &username));
        let outcome = connection
            .prepare_fetch(gix::progress::Discard, Default::default())
            .map_err(|e| self.explain(e))?
            .receive(gix::progress::Discard, &self.interrupt)
            .map_err(|e| self.explain(e))?;
        let branch = match &self.remote.branch {
            Some(branch) => Some(format!("refs/heads/{branch}")),
            None => outcome.ref_map.remote_refs.iter().find_map(|r| match r {
                gix::protocol::handshake::Ref::Symbolic {
                    full_ref_name,
                    target,
                    ..
                } if full_ref_name == "HEAD" => Some(target.to_string()),
                _ => None,
            }),
        };
        let mut followed = repo
            .find_reference(FOLLOWED)
            .map_err(|e| anyhow!("the fetch left no {FOLLOWED}: {e}"))?;
        let id = followed
            .peel_to_id()
            .map_err(|e| anyhow!("cannot resolve {FOLLOWED}: {e}"))?;
        Ok(Fetched {
            commit: id.to_string(),
            branch,
        })
    }

    /// The error of a fetch, said the way the organiser can act on it.
    fn explain(&self, e: gix::Error) -> anyhow::Error {
        let text = describe(&e);
        if text.contains("matched any of the") {
            match &self.remote.branch {
                Some(branch) => {
                    anyhow!("the repository has no branch `{branch}` (`source.branch`)")
                }
                None => anyhow!("the repository has no default branch (is it empty?)"),
            }
        } else if text.contains("401")
            || ["authenti", "credential"]
                .iter()
                .any(|w| text.to_lowercase().contains(w))
        {
            anyhow!(
                "the server refused the credentials ({}): {text}",
                if self.remote.token.is_some() {
                    "check the token in `source.token_file` and its read access to the repository"
                } else {
                    "a private repository needs `source.token_file`"
                }
            )
        } else {
            anyhow!("{text}")
        }
    }

    fn open(&self) -> anyhow::Result<gix::Repository> {
        let dir = self.repo_dir();
        // Each fetch adds a pack and gitoxide does not repack, so lookups slow down as they pile up.
        // The trees are apart from the repository, so starting it afresh costs one full fetch (a
        // quarter of a second for rust.org.il's history) and loses nothing.
        let packs = fs::read_dir(dir.join("objects/pack")).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "pack"))
                .count()
        });
        if packs > MAX_PACKS {
            tracing::info!(packs, "the repository has many packs; fetching it afresh");
            fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        // Isolated: the host's ~/.gitconfig, credential helpers and GIT_* variables never apply.
        let options = gix::open::Options::isolated();
        if dir.join("HEAD").is_file() {
            return gix::open_opts(&dir, options)
                .with_context(|| format!("cannot open the repository {}", dir.display()));
        }
        fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create {}", self.root.display()))?;
        gix::ThreadSafeRepository::init_opts(
            &dir,
            gix::create::Kind::Bare,
            gix::create::Options::default(),
            options,
        )
        .map(gix::Repository::from)
        .with_context(|| format!("cannot create the repository {}", dir.display()))
    }

    /// Writes `commit`'s catalog folders to `trees/<commit>` (if not already there). Blocking.
    pub fn checkout(&self, commit: &str) -> anyhow::Result<Checkout> {
        let repo = self.open()?;
        let id = gix::ObjectId::from_hex(commit.as_bytes())
            .map_err(|e| anyhow!("`{commit}` is not a commit id: {e}"))?;
        let commit_object = repo
            .find_commit(id)
            .map_err(|e| anyhow!("commit {commit} is missing: {e}"))?;
        let time = commit_object.time().map_or(0, |t| t.seconds);
        let summary = commit_object
            .message_raw_sloppy()
            .lines()
            .next()
            .map(|l| l.to_str_lossy().trim().to_string())
            .unwrap_or_default();
        let tree = commit_object
            .tree()
            .map_err(|e| anyhow!("the tree of commit {commit} is missing: {e}"))?;
        let dir = self.trees().join(commit);
        let checkout = Checkout {
            commit: commit.to_string(),
            time,
            summary: summary.clone(),
            dir: dir.clone(),
        };
        if dir.join(META).is_file() {
            return Ok(checkout);
        }
        match tree.lookup_entry_by_path(&self.events) {
            Ok(Some(entry)) if entry.mode().is_tree() => {}
            _ => {
                let top: Vec<String> = tree
                    .iter()
                    .filter_map(Result::ok)
                    .filter(|e| e.mode().is_tree())
                    .map(|e| e.filename().to_string())
                    .collect();
                bail!(
                    "the repository has no folder `{}` at commit {} (set `source.path` to the folder of event files; its top-level folders are: {})",
                    self.events.display(),
                    &commit[..commit.len().min(12)],
                    if top.is_empty() { "none".to_string() } else { top.join(", ") }
                );
            }
        }
        let partial = self.trees().join(format!("{commit}.partial"));
        let _ = fs::remove_dir_all(&partial);
        fs::create_dir_all(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        for folder in &self.folders {
            if let Ok(Some(entry)) = tree.lookup_entry_by_path(folder) {
                if entry.mode().is_tree() {
                    let subtree = repo
                        .find_tree(entry.object_id())
                        .map_err(|e| anyhow!("tree {} is missing: {e}", folder.display()))?;
                    write_tree(&repo, &subtree, &partial.join(folder))?;
                }
            }
        }
        // The metadata last: a tree with it is complete.
        write_synced(
            &partial.join(META),
            format!("{time}\n{summary}\n").as_bytes(),
        )?;
        sync_dir(&partial)?;
        fs::rename(&partial, &dir)
            .with_context(|| format!("cannot move {} into place", partial.display()))?;
        sync_dir(&self.trees())?;
        Ok(checkout)
    }

    /// Makes `checkout` the current tree: a new symlink renamed over `current`, in one step.
    pub fn activate(&self, checkout: &Checkout) -> io::Result<()> {
        let staged = self.root.join(CURRENT_NEW);
        let _ = fs::remove_file(&staged);
        std::os::unix::fs::symlink(Path::new("trees").join(&checkout.commit), &staged)?;
        fs::rename(&staged, self.current_dir())?;
        sync_dir(&self.root)
    }

    /// Removes every tree but the current one (after [`activate`](Self::activate), old trees are
    /// only disk space: the catalog has already been read from the new one).
    pub fn prune(&self) -> io::Result<()> {
        let keep = self.current().map(|c| c.commit);
        for entry in fs::read_dir(self.trees())? {
            let entry = entry?;
            let name = entry.file_name();
            if Some(name.to_string_lossy().as_ref()) != keep.as_deref() {
                fs::remove_dir_all(entry.path())?;
            }
        }
        Ok(())
    }
}

/// Packs in the repository beyond which it is fetched afresh (see [`Follower::open`]).
const MAX_PACKS: usize = 32;

/// The file in a tree that says it is complete: the commit's time, then its summary.
const META: &str = ".crier-commit";
/// The symlink staged before it replaces `current`.
const CURRENT_NEW: &str = "current.new";

/// A gitoxide error and its causes on one line: "Transport handshake failed: Connection refused".
fn describe(e: &gix::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.iter_errors() {
        let text = cause.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// Answers gitoxide's credential requests with the token, and never with anything else: no
/// credential helper, no prompt (a bot has no terminal), no `~/.git-credentials`.
fn credentials(
    action: gix::credentials::helper::Action,
    token: Option<&Secret>,
    username: &str,
) -> gix::Result<Option<gix::credentials::protocol::Outcome>> {
    match (action, token) {
        (gix::credentials::helper::Action::Get(context), Some(token)) => {
            Ok(Some(gix::credentials::protocol::Outcome {
                identity: gix::sec::identity::Account {
                    username: username.to_string(),
                    password: token.expose().to_string(),
                    oauth_refresh_token: None,
                },
                next: context.into(),
            }))
        }
        _ => Ok(None),
    }
}

/// Writes the blobs of `tree` under `dir`, recursively; symlinks and submodules are skipped.
fn write_tree(repo: &gix::Repository, tree: &gix::Tree<'_>, dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for entry in tree.iter() {
        let entry = entry.map_err(|e| anyhow!("a tree entry cannot be read: {e}"))?;
        let name = entry.filename().to_str_lossy().to_string();
        // Git refuses such names, but a crafted repository may hold them: never write outside `dir`.
        if name.is_empty() || name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
            continue;
        }
        let mode = entry.mode();
        if mode.is_tree() {
            let subtree = repo
                .find_tree(entry.object_id())
                .map_err(|e| anyhow!("tree {name} is missing: {e}"))?;
            write_tree(repo, &subtree, &dir.join(&name))?;
        } else if mode.is_blob() {
            let blob = repo
                .find_blob(entry.object_id())
                .map_err(|e| anyhow!("blob {name} is missing: {e}"))?;
            write_synced(&dir.join(&name), &blob.data)?;
        }
    }
    Ok(())
}

/// Writes and syncs a file: the tree's rename must not reach the disk before its contents.
fn write_synced(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    let mut file =
        fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(data)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// Whether a token may be sent to `url`: over https, or over http to this machine only.
fn token_may_go_to(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    match (url.scheme(), url.host()) {
        ("https", _) => true,
        ("http", Some(url::Host::Ipv4(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Ipv6(ip))) => ip.is_loopback(),
        ("http", Some(url::Host::Domain(name))) => name == "localhost",
        _ => false,
    }
}

/// Installs rustls' ring provider once as the process default. Every TLS client in crier is built
/// on ring (serenity's reqwest, and the git source's, which names it itself); the default makes
/// sure that anything asking rustls for "the" provider gets ring too, not an error: the binary
/// has no other (aws-lc, rustls' usual default, needs a C toolchain and grows the image).
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_goes_over_https_or_to_this_machine_only() {
        for (url, ok) in [
            ("https://github.com/org/site", true),
            ("http://127.0.0.1:8080/site.git", true),
            ("http://[::1]/site.git", true),
            ("http://localhost/site.git", true),
            ("http://git.example.org/site.git", false),
            ("http://10.0.0.5/site.git", false),
        ] {
            assert_eq!(token_may_go_to(url), ok, "{url}");
        }
        let follower = Follower::new(
            PathBuf::from("/nonexistent"),
            Remote {
                url: "http://git.example.org/site.git".into(),
                branch: None,
                token: Some(Secret::new("t")),
                username: "x".into(),
            },
            "events".into(),
        );
        let error = follower.fetch().expect_err("refused before connecting");
        assert!(error.to_string().contains("clear text"), "{error}");
    }
}
