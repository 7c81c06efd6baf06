//! The one way tests start the real `crier` binary.
//!
//! [`Crier::builder`] takes the folder crier runs in, then its mode (console, or Discord against
//! the fake with [`Builder::discord`]), its source (the folder `events`, or a repository with
//! [`Builder::git`]), extra configuration and environment. [`Builder::start`] runs `crier run`;
//! [`Builder::output`] runs a one-shot command (`check`, `list`, `ics`, `schedule`, `health`, ...)
//! to its end.
//!
//! The configuration is the folder's `config.toml`: [`TEST_CONFIG`] with the test's TOML merged in,
//! written on `start` (and on `output` when the test gave any); a one-shot command given none reads
//! the folder as it is. The binary never sees the outer shell's `CRIER_*` or `DISCORD_*` variables
//! (a developer's own token or events folder), and logs at `info` unless the test sets `RUST_LOG`.
//!
//! A running [`Crier`] hands over its stdout lines (announcements, JSON in console mode) one by
//! one, keeps its log (stderr) for assertions, answers HTTP on its `http.listen` port, and ends by
//! SIGTERM ([`Crier::stop`]) or SIGKILL ([`Crier::kill`], and when dropped). [`Crier::pause`] and
//! [`Crier::resume`] freeze and thaw it (SIGSTOP, SIGCONT).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::fake_discord::{FakeDiscord, CHANNEL_ID, GUILD_ID};
use super::http::{self, Response};

/// What every test starts from: events in `events/`, state in `state/`, times in UTC, no default
/// reminders (each test says which it wants), and a rescan every second so that tests are quick.
const TEST_CONFIG: &str = "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\nrescan_interval = \"1s\"\n[reminders]\noffsets = []\n";

/// How long a stopped crier may take to exit before the test fails.
const EXIT_WAIT: Duration = Duration::from_secs(30);

/// How to run crier; cheap to clone, and reusable to restart on the same folder.
#[derive(Clone)]
pub struct Builder {
    dir: PathBuf,
    config: Option<toml::Table>,
    file: Option<String>,
    env: Vec<(String, String)>,
    port: Option<u16>,
    discord: bool,
    open_files: Option<u32>,
}

/// A one-shot command's result.
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// A running `crier run`.
pub struct Crier {
    child: Child,
    lines: Receiver<String>,
    logs: Logs,
    readers: Vec<JoinHandle<()>>,
    port: Option<u16>,
}

impl Crier {
    /// crier in `dir`, in console mode, reading `dir/events`.
    pub fn builder(dir: impl AsRef<Path>) -> Builder {
        Builder {
            dir: dir.as_ref().to_path_buf(),
            config: None,
            file: None,
            env: Vec::new(),
            port: None,
            discord: false,
            open_files: None,
        }
    }
}

impl Builder {
    /// Merges `toml` into the configuration: tables key by key, arrays of tables (`[[routes]]`)
    /// appended, any other value replaced.
    pub fn config(mut self, toml: &str) -> Self {
        let extra: toml::Table = toml
            .parse()
            .unwrap_or_else(|e| panic!("test TOML: {e}\n{toml}"));
        merge(self.table(), extra);
        self
    }

    /// Removes a key, given as a dotted path (`discord.channel_id`).
    pub fn unset(mut self, key: &str) -> Self {
        let (tables, last) = key.rsplit_once('.').unwrap_or(("", key));
        let mut table = self.table();
        for name in tables.split('.').filter(|n| !n.is_empty()) {
            table = table
                .get_mut(name)
                .and_then(toml::Value::as_table_mut)
                .unwrap_or_else(|| panic!("no table {name} for {key}"));
        }
        table.remove(last);
        self
    }

    /// `config.toml` exactly as given, instead of the test configuration (for configuration errors).
    pub fn config_file(mut self, text: &str) -> Self {
        self.file = Some(text.to_owned());
        self
    }

    /// Discord mode against `fake`: its URL, guild and `#general`, and its token.
    pub fn discord(mut self, fake: &FakeDiscord) -> Self {
        self.discord = true;
        let table = format!(
            "[discord]\napi_url = \"{}\"\nguild_id = \"{GUILD_ID}\"\nchannel_id = \"{CHANNEL_ID}\"\n",
            fake.api_url()
        );
        self.config(&table).env("DISCORD_TOKEN", fake.token())
    }

    /// Follows the repository at `url` instead of reading `events/`. The rescan goes back to its
    /// default: a new tree is reloaded as it arrives.
    pub fn git(self, url: &str) -> Self {
        self.config(&format!("[source]\ngit = \"{url}\"\n"))
            .unset("events_dir")
            .unset("rescan_interval")
    }

    /// Serves HTTP (health, metrics, the feed, the webhook) on a free loopback port.
    pub fn listen(mut self) -> Self {
        let port = http::free_port();
        self.port = Some(port);
        self.config(&format!("[http]\nlisten = \"127.0.0.1:{port}\"\n"))
    }

    /// Runs crier with at most `limit` open file descriptors (`ulimit -n` in a shell that execs it:
    /// the limit is crier's alone, not the test's).
    pub fn open_files(mut self, limit: u32) -> Self {
        self.open_files = Some(limit);
        self
    }

    /// Sets an environment variable (after the outer shell's are cleared: this one wins).
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// `crier run` (`--json` in console mode), with the configuration written first.
    pub fn start(&self) -> Crier {
        self.write_config(true);
        let args: &[&str] = if self.discord {
            &["run"]
        } else {
            &["run", "--json"]
        };
        let mut child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("crier starts");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stdout = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let logs = Logs::default();
        let stderr = logs.collect(child.stderr.take().expect("stderr"));
        Crier {
            child,
            lines,
            logs,
            readers: vec![stdout, stderr],
            port: self.port,
        }
    }

    /// `crier <args>` to its end.
    pub fn output(&self, args: &[&str]) -> Output {
        self.write_config(false);
        let out = self.command(args).output().expect("crier runs");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn table(&mut self) -> &mut toml::Table {
        self.config
            .get_or_insert_with(|| TEST_CONFIG.parse().expect("the test configuration"))
    }

    fn write_config(&self, or_default: bool) {
        let text = match (&self.file, &self.config) {
            (Some(file), _) => file.clone(),
            (None, Some(table)) => toml::to_string(table).expect("TOML"),
            (None, None) if or_default => TEST_CONFIG.to_owned(),
            (None, None) => return,
        };
        std::fs::write(self.dir.join("config.toml"), text).expect("config.toml");
    }

    fn command(&self, args: &[&str]) -> Command {
        let binary = env!("CARGO_BIN_EXE_crier");
        let mut command = match self.open_files {
            Some(limit) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(binary);
                sh
            }
            None => Command::new(binary),
        };
        command.args(args).current_dir(&self.dir);
        for (key, _) in std::env::vars_os() {
            let name = key.to_string_lossy();
            if name.starts_with("CRIER_") || name.starts_with("DISCORD_") {
                command.env_remove(&key);
            }
        }
        command.env("RUST_LOG", "info");
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }
}

/// Tables merge key by key and arrays of tables append, so a test can add a key to `[discord]`
/// or another `[[routes]]` without restating the rest.
fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(old)), toml::Value::Table(new)) => merge(old, new),
            (Some(toml::Value::Array(old)), toml::Value::Array(new))
                if !new.is_empty() && new.iter().all(toml::Value::is_table) =>
            {
                old.extend(new);
            }
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

impl Crier {
    /// The next stdout line, as JSON (an announcement, in console mode), within `within`.
    pub fn next(&self, within: Duration) -> Value {
        match self.lines.recv_timeout(within) {
            Ok(line) => json(&line),
            Err(_) => panic!("no announcement within {within:?}; log:\n{}", self.logs()),
        }
    }

    /// The announcements that arrive within `within`.
    pub fn collect(&self, within: Duration) -> Vec<Value> {
        let end = Instant::now() + within;
        let mut out = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => out.push(json(&line)),
                Err(_) => break,
            }
        }
        out
    }

    /// The announcements received so far and not yet taken, without waiting.
    pub fn received(&self) -> Vec<Value> {
        self.lines.try_iter().map(|line| json(&line)).collect()
    }

    /// The log (stderr) so far; all of it once crier has exited.
    pub fn logs(&self) -> String {
        self.logs.text()
    }

    /// Waits until the log contains `needle`.
    pub fn wait_for_log(&self, within: Duration, needle: &str) -> bool {
        let end = Instant::now() + within;
        while !self.logs().contains(needle) {
            if Instant::now() > end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }

    /// Waits for crier to exit on its own: its exit code, or `None` if it is still running.
    pub fn exit_code(&mut self, within: Duration) -> Option<i32> {
        let status = wait(&mut self.child, within)?;
        self.drain();
        status.code()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, and the exit.
    pub fn stop(&mut self) -> ExitStatus {
        self.end("TERM")
            .unwrap_or_else(|| panic!("still running {EXIT_WAIT:?} after SIGTERM\n{}", self.logs()))
    }

    /// SIGKILL, and the exit.
    pub fn kill(&mut self) -> ExitStatus {
        self.end("KILL").expect("killed")
    }

    /// SIGSTOP: crier is frozen where it stands (a stalled machine, a long GC pause) until
    /// [`Crier::resume`]; its clocks go on meanwhile.
    pub fn pause(&self) {
        self.signal("STOP");
    }

    /// SIGCONT after [`Crier::pause`].
    pub fn resume(&self) {
        self.signal("CONT");
    }

    /// Sends `signal` to the running crier; panics if it cannot be sent.
    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args(["-s", signal, &self.child.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        assert!(
            sent,
            "kill -s {signal} {}\n{}",
            self.child.id(),
            self.logs()
        );
    }

    /// Sends `signal` unless crier has exited, and waits for the exit (SIGKILL past [`EXIT_WAIT`]):
    /// the one way a test ends crier.
    fn end(&mut self, signal: &str) -> Option<ExitStatus> {
        let mut status = self.child.try_wait().unwrap_or(None);
        if status.is_none() {
            // An exited but unreaped crier keeps its pid, so the signal cannot reach another process.
            let _ = Command::new("kill")
                .args(["-s", signal, &self.child.id().to_string()])
                .status();
            status = wait(&mut self.child, EXIT_WAIT);
        }
        if status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.drain();
        status
    }

    /// Waits for the readers to reach the end of crier's output, so that the log is whole.
    fn drain(&mut self) {
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }

    /// The `http.listen` port ([`Builder::listen`]).
    pub fn port(&self) -> u16 {
        self.port.expect("started with .listen()")
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        http::request(self.port(), method, path, headers, body)
    }

    /// One series of `/metrics`, e.g. `crier_events_loaded` or
    /// `crier_feed_requests_total{status="304"}`; `None` when it is not there.
    pub fn metric(&self, series: &str) -> Option<f64> {
        let metrics = self.get("/metrics");
        assert_eq!(metrics.status, 200, "{}", metrics.body);
        metrics.body.lines().find_map(|line| {
            let value = line.strip_prefix(series)?.strip_prefix(' ')?;
            Some(value.parse().expect("a number"))
        })
    }

    /// Waits until `/healthz` answers `status`, and gives the last answer.
    pub fn wait_for_health(&self, status: u16, within: Duration) -> Response {
        let end = Instant::now() + within;
        loop {
            let answer = self.get("/healthz");
            if answer.status == status || Instant::now() > end {
                return answer;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Crier {
    fn drop(&mut self) {
        self.end("KILL");
    }
}

fn json(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"))
}

fn wait(child: &mut Child, within: Duration) -> Option<ExitStatus> {
    let end = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        if Instant::now() > end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `event_id kind [offset]` of an announcement, e.g. `meetup new` or `meetup reminder 2s`.
pub fn label(v: &Value) -> String {
    let mut label = format!(
        "{} {}",
        v["event_id"].as_str().unwrap_or(""),
        v["kind"].as_str().unwrap_or("")
    );
    if let Some(offset) = v["offset"].as_str() {
        label.push_str(&format!(" {offset}"));
    }
    label
}

/// A stream's lines, collected by a thread as they arrive.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<String>>);

impl Logs {
    fn collect(&self, pipe: impl Read + Send + 'static) -> JoinHandle<()> {
        let sink = self.0.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut all = sink
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                all.push_str(&line);
                all.push('\n');
            }
        })
    }

    fn text(&self) -> String {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
