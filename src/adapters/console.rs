//! Announces to standard output: readable text, or one JSON object per line (`--json`).
//!
//! This is what `crier run` does without a Discord token, and what the integration tests read.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::{SecondsFormat, Utc};
use serde_json::json;

use crate::app::sink::{Outgoing, Sink, SinkError};

pub struct Console<W> {
    /// Each announcement is written whole under the lock: posts to different channels go out at
    /// once, and their lines must not interleave.
    out: Mutex<W>,
    json: bool,
    sent: AtomicU64,
    /// The site's name as `--json` writes it, and `Some` for a site of `[[sites]]`, whose text
    /// header names it too.
    site: String,
    named: bool,
}

impl<W: Write> Console<W> {
    pub fn new(out: W, json: bool) -> Self {
        Console {
            out: Mutex::new(out),
            json,
            sent: AtomicU64::new(0),
            site: crate::config::DEFAULT_SITE.to_string(),
            named: false,
        }
    }

    /// Announces for the site `name` of `[[sites]]` (`None`: the one site of a configuration
    /// without it).
    #[must_use]
    pub fn for_site(mut self, name: Option<String>) -> Self {
        self.named = name.is_some();
        if let Some(name) = name {
            self.site = name;
        }
        self
    }
}

impl<W: Write> Sink for Console<W> {
    async fn send(&self, outgoing: Outgoing<'_>) -> Result<String, SinkError> {
        let sent_at = Utc::now();
        let m = outgoing.message;
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        let result = if self.json {
            let line = json!({
                "site": self.site,
                "kind": m.kind.name(),
                "offset": match m.kind {
                    crier_core::schedule::Kind::Reminder(d) => Some(humantime::format_duration(d).to_string()),
                    _ => None,
                },
                "event_id": m.event_id,
                "title": m.title,
                "start": m.start.map(|s| s.to_rfc3339()),
                "due": outgoing.due.to_rfc3339_opts(SecondsFormat::Millis, true),
                "sent_at": sent_at.to_rfc3339_opts(SecondsFormat::Millis, true),
                "recording": m.recording,
                // The routed channel, so a preview on the console shows where each post would go.
                "channel": outgoing.destination.map(|d| d.channel_id.to_string()),
                "text": m.text,
            });
            writeln!(out, "{line}")
        } else {
            let mut channel = outgoing
                .destination
                .map(|d| format!(" in #{}", d.channel_id))
                .unwrap_or_default();
            if self.named {
                channel = format!(" {{{}}}{channel}", self.site);
            }
            writeln!(
                out,
                "=== {} [{}]{channel} ===\n{}",
                sent_at.format("%Y-%m-%d %H:%M:%S UTC"),
                m.kind,
                m.text
            )
        };
        result
            .and_then(|()| out.flush())
            .map_err(|e| SinkError::Retry(format!("cannot write to standard output: {e}")))?;
        drop(out);
        let sent = self.sent.fetch_add(1, Ordering::Relaxed) + 1;
        Ok(format!(
            "console-{}-{}-{sent}",
            self.site,
            std::process::id(),
        ))
    }
}
