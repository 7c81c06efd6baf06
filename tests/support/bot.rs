//! The real `crier run` binary with a Discord token, pointed at a [`FakeDiscord`], on its own site folder.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::fake_discord::{FakeDiscord, CHANNEL_ID, GUILD_ID};
use super::process::{self, Logs};

/// A bot process with its own site and state folder.
pub struct Bot {
    child: Child,
    logs: Logs,
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
        let logs = Logs::collect(child.stderr.take().expect("stderr"));
        Bot { child, logs }
    }

    pub fn logs(&self) -> String {
        self.logs.text()
    }

    /// Waits until the logs contain `needle`.
    pub fn wait_for_log(&self, within: Duration, needle: &str) -> bool {
        self.logs.wait_for(within, needle)
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
        process::exit_code(&mut self.child, within)
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
