//! The real `crier run --json` binary in console mode (no Discord token): each announcement is one
//! JSON line on stdout, arriving on a channel; the logs (stderr) are kept for assertions.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

pub struct App {
    child: Child,
    lines: Receiver<Value>,
    stderr: Arc<Mutex<String>>,
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
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let pipe = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if let Ok(mut all) = sink.lock() {
                    all.push_str(&line);
                    all.push('\n');
                }
            }
        });
        App {
            child,
            lines,
            stderr,
        }
    }

    pub fn logs(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Waits until the logs contain `needle`.
    pub fn wait_for_log(&self, within: Duration, needle: &str) -> bool {
        let end = Instant::now() + within;
        while Instant::now() < end {
            if self.logs().contains(needle) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
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
        let end = Instant::now() + within;
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
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
