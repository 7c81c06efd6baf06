//! The real `crier run --json` binary in console mode (no Discord token): each announcement is one
//! JSON line on stdout, arriving on a channel; the logs (stderr) are kept for assertions.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::process::{self, Logs};

pub struct App {
    child: Child,
    lines: Receiver<Value>,
    logs: Logs,
}

impl App {
    /// `crier run --json` in `cwd`, which holds `config.toml`.
    pub fn spawn(cwd: &Path) -> App {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crier"))
            .args(["run", "--json"])
            .current_dir(cwd)
            .env_remove("DISCORD_TOKEN")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("crier starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let value: Value =
                    serde_json::from_str(&line).expect("each line is one JSON object");
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let logs = Logs::collect(child.stderr.take().expect("stderr"));
        App { child, lines, logs }
    }

    pub fn logs(&self) -> String {
        self.logs.text()
    }

    /// Waits until the logs contain `needle`.
    pub fn wait_for_log(&self, within: Duration, needle: &str) -> bool {
        self.logs.wait_for(within, needle)
    }

    /// The announcements that arrive within `wait`.
    pub fn collect(&self, wait: Duration) -> Vec<Value> {
        let end = Instant::now() + wait;
        let mut out = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(v) => out.push(v),
                Err(_) => break,
            }
        }
        out
    }

    /// The next announcement, if one comes within `wait`.
    pub fn next(&self, wait: Duration) -> Option<Value> {
        self.lines.recv_timeout(wait).ok()
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits for the process to exit on its own.
    pub fn exit_code(&mut self, within: Duration) -> Option<i32> {
        process::exit_code(&mut self.child, within)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `kind event_id` of an announcement, e.g. `new meetup-1`.
pub fn label(v: &Value) -> String {
    format!(
        "{} {}",
        v["kind"].as_str().unwrap_or(""),
        v["event_id"].as_str().unwrap_or("")
    )
}
