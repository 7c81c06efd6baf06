//! A real git server on 127.0.0.1 (smart HTTP, as GitHub serves it) and a fixture to make commits.
//!
//! The tests of crier's "follow a git repository" feature point crier (gitoxide with its reqwest
//! transport) at [`GitServer::url`] and change the repository with [`SiteRepo`] between fetches.
//!
//! [`GitServer`] is a small hyper 0.14 server that runs `git http-backend` as a CGI program for
//! every request, so what crier talks to is git's own server side (protocol v0 and v2, with
//! `Git-Protocol` passed on as `GIT_PROTOCOL`), not an imitation of it. Like the fake Discord it
//! runs on its own current-thread runtime in a background thread, so tests use a plain synchronous
//! API. On top of git it adds what tests need: every request recorded ([`GitServer::requests`]),
//! an optional token checked as HTTP Basic auth ([`GitServer::with_token`]), a broken mode that
//! answers 500 ([`GitServer::set_failing`]), and a real stop and restart on the same port
//! ([`GitServer::stop`], [`GitServer::start_on`]).
//!
//! [`SiteRepo`] is a bare repository under the server's root plus a working clone in a temp dir,
//! driven by the `git` CLI. Pushes go straight to the bare repository on disk, not through the
//! server, so they never show up in [`GitServer::requests`].
//!
//! Every git run here (server and fixture) gets an isolated environment ([`git_command`]): no
//! system config, `HOME` an empty temp dir, fixed author and committer, no terminal prompts. So the
//! host's git configuration never matters, and a missing credential fails instead of hanging.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hyper::header::{HeaderName, HeaderValue};
use hyper::service::service_fn;
use hyper::{Body, Request, Response, StatusCode};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// The author and committer of every commit made here.
pub const GIT_NAME: &str = "Crier Test";
pub const GIT_EMAIL: &str = "crier-test@example.invalid";

/// Why the git tests cannot run on this machine (no `git`, or no `git http-backend`), if they can't.
/// Tests print it as `skipped: ...` and return.
pub fn skip_reason() -> Option<String> {
    match Command::new("git").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Some(format!("`git --version` failed: {}", out.status)),
        Err(e) => return Some(format!("no `git` on PATH: {e}")),
    }
    match http_backend() {
        Some(_) => None,
        None => Some("no `git-http-backend` found (looked in `git --exec-path`)".into()),
    }
}

/// The `git-http-backend` program of the `git` on PATH: it lives in `git --exec-path`, which is
/// not on PATH. (A machine may have two gits, e.g. /usr/local/bin and /usr/bin, each with its own
/// exec path; the one that matches `git` is taken first.)
pub fn http_backend() -> Option<PathBuf> {
    let exec_path = Command::new("git")
        .arg("--exec-path")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    exec_path
        .into_iter()
        .chain([PathBuf::from("/usr/lib/git-core")])
        .map(|dir| dir.join("git-http-backend"))
        .find(|p| p.is_file())
}

/// A `git` command with an isolated environment: the inherited environment is cleared (so no
/// `GIT_DIR`, `XDG_CONFIG_HOME` or askpass leaks in) except `PATH`; `HOME` is `home` (keep it an
/// empty dir), there is no system config, the author and committer are fixed, and git never asks
/// for a password on the terminal. `init.defaultBranch` is `main`. Add the subcommand and run it.
pub fn git_command(home: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_AUTHOR_NAME", GIT_NAME)
        .env("GIT_AUTHOR_EMAIL", GIT_EMAIL)
        .env("GIT_COMMITTER_NAME", GIT_NAME)
        .env("GIT_COMMITTER_EMAIL", GIT_EMAIL)
        .args(["-c", "init.defaultBranch=main"]);
    cmd
}

/// Runs `cmd`, panicking with its arguments and stderr if it fails; returns stdout, trimmed.
pub fn run_git(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// One request as the server answered it (refused ones too).
#[derive(Clone, Debug)]
pub struct Served {
    pub method: String,
    /// e.g. `/site.git/info/refs` or `/site.git/git-upload-pack`.
    pub path: String,
    /// The raw query without `?`, e.g. `service=git-upload-pack`; empty if none.
    pub query: String,
    pub status: u16,
    /// Whether the request got past authentication: always when the server needs no token,
    /// otherwise only with HTTP Basic auth whose password is the token.
    pub authorized: bool,
    /// The Basic auth user name sent, if any (whether or not the password was right).
    pub user: Option<String>,
    /// The `Git-Protocol` header, e.g. `version=2`, if sent.
    pub protocol: Option<String>,
    /// For a `git-upload-pack` POST, what it asked for: `ls-refs` or `fetch` (protocol v2
    /// `command=...`), or `fetch` for a v0 request (which starts with `want`). `None` for other
    /// requests and for gzipped bodies (git compresses only big ones, which are fetches with many
    /// `have` lines; the server does not inflate them).
    pub command: Option<String>,
    /// Whether the body came gzipped (`Content-Encoding: gzip`); http-backend inflates it.
    pub gzipped: bool,
}

impl Served {
    /// A `POST .../git-upload-pack`: one round of a clone, fetch or (v2) `ls-remote`.
    pub fn is_upload_pack(&self) -> bool {
        self.method == "POST" && self.path.ends_with("/git-upload-pack")
    }
}

#[derive(Default)]
struct State {
    requests: Vec<Served>,
    /// The password every request must carry, if any.
    token: Option<String>,
    failing: bool,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// `GIT_PROJECT_ROOT`: the folder holding the bare repositories.
    root: PathBuf,
    backend: PathBuf,
    /// The CGI's `HOME`, an empty dir, so no `~/.gitconfig` applies to the server side.
    home: TempDir,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The handle tests hold; dropping it stops the server.
pub struct GitServer {
    shared: Arc<Shared>,
    port: u16,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl GitServer {
    /// Serves every bare repository under `root` at `http://127.0.0.1:PORT/<name>.git`, on a port
    /// chosen by the OS. Panics if there is no `git http-backend` (check [`skip_reason`] first).
    pub fn start(root: &Path) -> GitServer {
        GitServer::start_on(root, 0)
    }

    /// Like [`GitServer::start`] on a given port (0: any), e.g. the port of a server stopped
    /// before, to bring it back where the client expects it. Panics if the port is taken.
    pub fn start_on(root: &Path, port: u16) -> GitServer {
        let backend = http_backend().expect("no git-http-backend (see skip_reason)");
        let root = root
            .canonicalize()
            .unwrap_or_else(|e| panic!("git server root {}: {e}", root.display()));
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            root,
            backend,
            home: TempDir::new().expect("temp HOME for git http-backend"),
        });
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let for_thread = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("git server runtime");
            rt.block_on(serve(for_thread, port, ready_tx, stop_rx));
            // Dropping the runtime also drops the open connections; the wait only covers a CGI
            // still running (they take milliseconds).
            rt.shutdown_timeout(Duration::from_secs(5));
        });
        let port = match ready_rx.recv() {
            Ok(Ok(port)) => port,
            Ok(Err(e)) => panic!("git server cannot bind 127.0.0.1:{port}: {e}"),
            Err(_) => panic!("git server thread died before binding"),
        };
        GitServer {
            shared,
            port,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// From now on every request must carry HTTP Basic auth with this password (any user name);
    /// others get 401 with `WWW-Authenticate: Basic realm="git"`.
    pub fn with_token(self, token: &str) -> Self {
        self.shared.lock().token = Some(token.to_owned());
        self
    }

    /// [`GitServer::start`] then [`GitServer::with_token`].
    pub fn start_with_token(root: &Path, token: &str) -> GitServer {
        GitServer::start(root).with_token(token)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:PORT/<repo>.git`.
    pub fn url(&self, repo: &str) -> String {
        format!("http://127.0.0.1:{}/{repo}.git", self.port)
    }

    /// `http://USER:PASSWORD@127.0.0.1:PORT/<repo>.git`: credentials in the URL, as a user might
    /// configure them. (Put no `@`, `:` or `/` in them; they are not percent-encoded.)
    pub fn url_with_auth(&self, repo: &str, user: &str, password: &str) -> String {
        format!(
            "http://{user}:{password}@127.0.0.1:{}/{repo}.git",
            self.port
        )
    }

    /// While on, every request is answered 500: the server is up but broken.
    pub fn set_failing(&self, on: bool) {
        self.shared.lock().failing = on;
    }

    /// Every request so far, in the order answered.
    pub fn requests(&self) -> Vec<Served> {
        self.shared.lock().requests.clone()
    }

    /// How many `git-upload-pack` POSTs were answered 200. A v0 clone or fetch is one; a v2 one
    /// is an `ls-refs` POST and, if anything is to be downloaded, a `fetch` POST; a v2
    /// `ls-remote` is one `ls-refs` POST. See [`GitServer::fetches`] for downloads only.
    pub fn upload_packs(&self) -> usize {
        self.count(|r| r.is_upload_pack() && r.status == 200)
    }

    /// How many `git-upload-pack` POSTs answered 200 asked for objects (`command` is `fetch`):
    /// the fetches that found something to download (or could not tell it had everything).
    pub fn fetches(&self) -> usize {
        self.count(|r| {
            r.is_upload_pack() && r.status == 200 && r.command.as_deref() == Some("fetch")
        })
    }

    /// How many recorded requests match `pred`.
    pub fn count(&self, pred: impl Fn(&Served) -> bool) -> usize {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| pred(r))
            .count()
    }

    /// Waits until [`GitServer::upload_packs`] is at least `n`; false if `timeout` passes first.
    pub fn wait_for_upload_packs(&self, n: usize, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut st = self.shared.lock();
        loop {
            let served = st
                .requests
                .iter()
                .filter(|r| r.is_upload_pack() && r.status == 200)
                .count();
            if served >= n {
                return true;
            }
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            st = match self.shared.changed.wait_timeout(st, left) {
                Ok((st, _)) => st,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// Shuts the server down: the listener is closed and open connections dropped before this
    /// returns, so connecting is refused and the port is free (for [`GitServer::start_on`]).
    /// Recorded requests stay readable. Stopping twice does nothing.
    pub fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for GitServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Binds, reports the port (or the bind error), then accepts connections until told to stop.
/// Returning drops the listener, which is what makes later connections fail.
async fn serve(
    shared: Arc<Shared>,
    port: u16,
    ready: std::sync::mpsc::Sender<std::io::Result<u16>>,
    mut stop: oneshot::Receiver<()>,
) {
    // tokio's bind sets SO_REUSEADDR on unix, so a restart on the port of a stopped server works
    // even with that server's connections still in TIME_WAIT.
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let bound = listener.local_addr().map(|a| a.port());
    let _ = ready.send(bound);
    loop {
        tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(shared.clone(), peer, req));
                    let _ = hyper::server::conn::Http::new()
                        .http1_only(true)
                        .serve_connection(stream, service)
                        .await;
                });
            }
        }
    }
}

async fn handle(
    shared: Arc<Shared>,
    peer: SocketAddr,
    req: Request<Body>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // Buffered whole: the CGI wants CONTENT_LENGTH, and git may send big bodies chunked.
    let body = hyper::body::to_bytes(body).await.unwrap_or_default();
    let credentials = header("authorization").and_then(|h| basic_credentials(&h));
    let protocol = header("git-protocol");
    let (token, failing) = {
        let st = shared.lock();
        (st.token.clone(), st.failing)
    };
    let authorized = match &token {
        None => true,
        Some(token) => credentials.as_ref().is_some_and(|(_, pass)| pass == token),
    };
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let gzipped = header("content-encoding").is_some_and(|e| e.contains("gzip"));
    let command = (parts.method == "POST" && path.ends_with("/git-upload-pack") && !gzipped)
        .then(|| upload_pack_command(&body))
        .flatten();

    let response = if failing {
        plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the git server is failing",
        )
    } else if !authorized {
        let mut resp = plain(StatusCode::UNAUTHORIZED, "authentication required");
        resp.headers_mut().insert(
            "www-authenticate",
            HeaderValue::from_static("Basic realm=\"git\""),
        );
        resp
    } else {
        let mut env: Vec<(&str, String)> = vec![
            ("REQUEST_METHOD", parts.method.as_str().to_owned()),
            ("PATH_INFO", path.clone()),
            ("QUERY_STRING", query.clone()),
            ("REMOTE_ADDR", peer.ip().to_string()),
            ("CONTENT_LENGTH", body.len().to_string()),
        ];
        let passed_on = [
            ("CONTENT_TYPE", "content-type"),
            ("HTTP_CONTENT_ENCODING", "content-encoding"),
            ("GIT_PROTOCOL", "git-protocol"),
        ];
        for (var, name) in passed_on {
            if let Some(value) = header(name) {
                env.push((var, value));
            }
        }
        if token.is_some() {
            // http-backend only needs it for pushes, but it is what a real server would set.
            let user = credentials.as_ref().map_or("", |(u, _)| u.as_str());
            env.push((
                "REMOTE_USER",
                if user.is_empty() { "git" } else { user }.to_owned(),
            ));
        }
        let cgi = shared.clone();
        let body = body.to_vec();
        match tokio::task::spawn_blocking(move || run_cgi(&cgi, &env, &body)).await {
            Ok(resp) => resp,
            Err(e) => plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("CGI task: {e}")),
        }
    };

    let served = Served {
        method: parts.method.as_str().to_owned(),
        path,
        query,
        status: response.status().as_u16(),
        authorized,
        user: credentials.map(|(u, _)| u),
        protocol,
        command,
        gzipped,
    };
    shared.lock().requests.push(served);
    shared.changed.notify_all();
    Ok(response)
}

/// Runs `git http-backend` for one request and turns its CGI output into a response.
fn run_cgi(shared: &Shared, env: &[(&str, String)], body: &[u8]) -> Response<Body> {
    let mut cmd = Command::new(&shared.backend);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", shared.home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_PROJECT_ROOT", &shared.root)
        // Serve every repository, without a `git-daemon-export-ok` file in each.
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("spawn CGI: {e}"),
            )
        }
    };
    // Written from another thread: the CGI may start answering before it has read everything,
    // and with both pipes full each side would wait for the other.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let body = body.to_vec();
    let writer = std::thread::spawn(move || {
        // An error means the CGI stopped reading (e.g. refused the request); its output says why.
        let _ = stdin.write_all(&body);
    });
    let out = match child.wait_with_output() {
        Ok(out) => out,
        Err(e) => return plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("run CGI: {e}")),
    };
    let _ = writer.join();
    if !out.stderr.is_empty() {
        // Shown with the failing test's output: usually why a request got 4xx/5xx.
        eprintln!(
            "git http-backend ({}): {}",
            env.iter()
                .find(|(k, _)| *k == "PATH_INFO")
                .map_or("", |(_, v)| v.as_str()),
            String::from_utf8_lossy(&out.stderr).trim_end()
        );
    }
    match parse_cgi(&out.stdout) {
        Some(resp) => resp,
        None => plain(
            StatusCode::BAD_GATEWAY,
            &format!(
                "git http-backend gave no CGI headers ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ),
        ),
    }
}

/// CGI output: header lines up to a blank line (git ends lines with `\r\n`; a bare `\n` is
/// accepted too), then the body. `Status: 404 Not Found` sets the status, 200 otherwise.
fn parse_cgi(out: &[u8]) -> Option<Response<Body>> {
    let crlf = find(out, b"\r\n\r\n").map(|i| (i, 4));
    let lf = find(out, b"\n\n").map(|i| (i, 2));
    let (end, sep) = match (crlf, lf) {
        (Some(a), Some(b)) => std::cmp::min_by_key(a, b, |(i, _)| *i),
        (a, b) => a.or(b)?,
    };
    let head = std::str::from_utf8(&out[..end]).ok()?;
    let mut resp = Response::new(Body::from(out[end + sep..].to_vec()));
    for line in head.lines() {
        let (name, value) = line.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value.split_whitespace().next()?.parse().ok()?;
            *resp.status_mut() = StatusCode::from_u16(code).ok()?;
        } else {
            resp.headers_mut().append(
                HeaderName::from_bytes(name.trim().as_bytes()).ok()?,
                HeaderValue::from_str(value).ok()?,
            );
        }
    }
    Some(resp)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut resp = Response::new(Body::from(format!("{text}\n")));
    *resp.status_mut() = status;
    resp.headers_mut()
        .insert("content-type", HeaderValue::from_static("text/plain"));
    resp
}

/// What an upload-pack request asks for, from its first pkt-line: v2 `command=ls-refs` ->
/// `ls-refs`; a v0 request starts with `want <id> ...` -> `fetch`.
fn upload_pack_command(body: &[u8]) -> Option<String> {
    let len = usize::from_str_radix(std::str::from_utf8(body.get(..4)?).ok()?, 16).ok()?;
    let line = std::str::from_utf8(body.get(4..len)?).ok()?.trim_end();
    if let Some(command) = line.strip_prefix("command=") {
        Some(command.to_owned())
    } else if line.starts_with("want ") {
        Some("fetch".to_owned())
    } else {
        None
    }
}

/// `(user, password)` from `Authorization: Basic <base64 of user:password>`.
fn basic_credentials(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let decoded = String::from_utf8(bytes).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// A site repository to commit to: the bare repository `root/<name>.git` (what [`GitServer`]
/// serves) and a working clone of it in a temp dir. All through the `git` CLI with
/// [`git_command`]'s isolated environment; any git failure panics with git's message.
pub struct SiteRepo {
    bare: PathBuf,
    /// The working clone, whose `origin` is the bare repository.
    work: TempDir,
    home: TempDir,
}

impl SiteRepo {
    /// Creates the bare repository `root/<name>.git` (initial branch `main`, no commits yet) and
    /// an empty working clone on `main`.
    pub fn new(root: &Path, name: &str) -> SiteRepo {
        let home = TempDir::new().expect("temp HOME for git");
        let work = TempDir::new().expect("temp working clone");
        let bare = root.join(format!("{name}.git"));
        run_git(
            git_command(home.path())
                .args(["init", "--quiet", "--bare", "-b", "main"])
                .arg(&bare),
        );
        // `init` + `remote add` rather than `clone`: cloning an empty repository only warns,
        // but this way the branch is `main` whatever the git version.
        run_git(
            git_command(home.path())
                .args(["init", "--quiet", "-b", "main"])
                .arg(work.path()),
        );
        let repo = SiteRepo { bare, work, home };
        run_git(repo.git().args(["remote", "add", "origin"]).arg(&repo.bare));
        repo
    }

    /// The bare repository (`root/<name>.git`).
    pub fn bare_path(&self) -> &Path {
        &self.bare
    }

    /// The working clone.
    pub fn work_path(&self) -> &Path {
        self.work.path()
    }

    /// A `git` command (isolated environment) run in the working clone.
    pub fn git(&self) -> Command {
        let mut cmd = git_command(self.home.path());
        cmd.current_dir(self.work.path());
        cmd
    }

    /// Writes a file in the working clone (`path` relative to its top, `/`-separated), creating
    /// its folders. Nothing is committed.
    pub fn write(&self, path: &str, text: &str) {
        let file = self.work.path().join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
        }
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    }

    /// Deletes a file (or a folder with everything in it) from the working clone.
    pub fn remove(&self, path: &str) {
        let file = self.work.path().join(path);
        let result = if file.is_dir() {
            std::fs::remove_dir_all(&file)
        } else {
            std::fs::remove_file(&file)
        };
        result.unwrap_or_else(|e| panic!("remove {}: {e}", file.display()));
    }

    /// Commits every change (`git add -A`) on the current branch and returns the full commit id.
    /// With nothing changed it still makes a (empty) commit, so HEAD always moves.
    pub fn commit(&self, message: &str) -> String {
        run_git(self.git().args(["add", "-A"]));
        run_git(
            self.git()
                .args(["commit", "--quiet", "--allow-empty", "-m", message]),
        );
        self.head()
    }

    /// Like [`SiteRepo::commit`] with the author and committer date set to this Unix time.
    pub fn commit_at(&self, message: &str, unix_seconds: i64) -> String {
        let date = format!("@{unix_seconds} +0000");
        run_git(self.git().args(["add", "-A"]));
        run_git(
            self.git()
                .env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_DATE", &date)
                .args(["commit", "--quiet", "--allow-empty", "-m", message]),
        );
        self.head()
    }

    /// Pushes the local `main` to the bare repository's `main`.
    pub fn push(&self) {
        run_git(
            self.git()
                .args(["push", "--quiet", "origin", "main:refs/heads/main"]),
        );
    }

    /// Rewrites history: `git reset --hard <to>` on the current branch, then force-pushes it to
    /// the branch of the same name.
    pub fn force_push_reset(&self, to: &str) {
        run_git(self.git().args(["reset", "--quiet", "--hard", to]));
        let branch = self.current_branch();
        run_git(
            self.git()
                .args(["push", "--quiet", "--force", "origin"])
                .arg(format!("refs/heads/{branch}:refs/heads/{branch}")),
        );
    }

    /// Creates branch `name` at the current commit and switches to it; later commits go there.
    pub fn branch(&self, name: &str) {
        run_git(self.git().args(["switch", "--quiet", "-c", name]));
    }

    /// Switches the working clone to an existing branch (e.g. back to `main`).
    pub fn checkout(&self, name: &str) {
        run_git(self.git().args(["switch", "--quiet", name]));
    }

    /// Pushes the local branch `name` to the bare repository's branch `name`.
    pub fn push_branch(&self, name: &str) {
        run_git(
            self.git()
                .args(["push", "--quiet", "origin"])
                .arg(format!("refs/heads/{name}:refs/heads/{name}")),
        );
    }

    /// The branch the working clone is on.
    pub fn current_branch(&self) -> String {
        run_git(self.git().args(["symbolic-ref", "--short", "HEAD"]))
    }

    /// The full id of the working clone's HEAD.
    pub fn head(&self) -> String {
        self.rev_parse("HEAD")
    }

    /// The full commit id `rev` names in the working clone.
    pub fn rev_parse(&self, rev: &str) -> String {
        run_git(
            self.git()
                .args(["rev-parse", "--verify", &format!("{rev}^{{commit}}")]),
        )
    }

    /// The full commit id of branch `name` in the bare repository (what the server serves).
    pub fn remote_head(&self, name: &str) -> String {
        run_git(
            git_command(self.home.path())
                .arg("--git-dir")
                .arg(&self.bare)
                .args([
                    "rev-parse",
                    "--verify",
                    &format!("refs/heads/{name}^{{commit}}"),
                ]),
        )
    }

    /// The committer time of `rev`, in Unix seconds.
    pub fn commit_time_seconds(&self, rev: &str) -> i64 {
        let out = run_git(self.git().args(["show", "-s", "--format=%ct", rev]));
        out.parse()
            .unwrap_or_else(|e| panic!("commit time of {rev}: {out:?}: {e}"))
    }

    /// Makes branch `name` the bare repository's default (its `HEAD`), which is what a clone
    /// checks out and what `HEAD` means to a client.
    pub fn set_default_branch(&self, name: &str) {
        run_git(
            git_command(self.home.path())
                .arg("--git-dir")
                .arg(&self.bare)
                .args(["symbolic-ref", "HEAD", &format!("refs/heads/{name}")]),
        );
    }
}
