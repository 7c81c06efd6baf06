//! The real `crier run` binary with a Discord token, pointed at a [`FakeDiscord`], on its own site folder.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::fake_discord::{FakeDiscord, CHANNEL_ID, GUILD_ID};

/// A bot process with its own site and state folder.
pub struct Bot {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Bot {
    pub fn start(fake: &FakeDiscord, site: &Path) -> Bot {
        Self::start_with(fake, site, fake.token(), "")
    }

    pub fn start_with_token(fake: &FakeDiscord, site: &Path, token: &str) -> Bot {
        Self::start_with(fake, site, token, "")
    }

    /// With `discord` lines added to the `[discord]` table of the configuration.
    pub fn start_with(fake: &FakeDiscord, site: &Path, token: &str, discord: &str) -> Bot {
        let config = format!(
            "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\nrescan_interval = \"1s\"\n[reminders]\noffsets = []\n[discord]\napi_url = \"{}\"\nguild_id = \"{GUILD_ID}\"\nchannel_id = \"{CHANNEL_ID}\"\n{discord}",
            fake.api_url()
        );
        Bot::start_with_config(site, token, &config)
    }

    /// With `config` as the whole configuration file.
    pub fn start_with_config(site: &Path, token: &str, config: &str) -> Bot {
        std::fs::write(site.join("config.toml"), config).expect("config");
        let mut child = Command::new(env!("CARGO_BIN_EXE_crier"))
            .args(["run"])
            .current_dir(site)
            .env("DISCORD_TOKEN", token)
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("crier starts");
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
        Bot { child, stderr }
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
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    pub fn kill9(&mut self) {
        Command::new("kill")
            .args(["-9", &self.child.id().to_string()])
            .status()
            .expect("kill");
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

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
