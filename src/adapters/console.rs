//! Announces to standard output: readable text, or one JSON object per line (`--json`).
//!
//! This is what `crier run` does without a Discord token, and what the integration tests read.

use std::io::Write;

use chrono::{SecondsFormat, Utc};
use serde_json::json;

use crate::app::sink::{Outgoing, Sink, SinkError};

pub struct Console<W> {
    out: W,
    json: bool,
    sent: u64,
    /// The site's name as `--json` writes it, and `Some` for a site of `[[sites]]`, whose text
    /// header names it too.
    site: String,
    named: bool,
}

impl<W: Write> Console<W> {
    pub fn new(out: W, json: bool) -> Self {
        Console {
            out,
            json,
            sent: 0,
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
    async fn send(&mut self, outgoing: Outgoing<'_>) -> Result<String, SinkError> {
        let sent_at = Utc::now();
        let m = outgoing.message;
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
            writeln!(self.out, "{line}")
        } else {
            let mut channel = outgoing
                .destination
                .map(|d| format!(" in #{}", d.channel_id))
                .unwrap_or_default();
            if self.named {
                channel = format!(" {{{}}}{channel}", self.site);
            }
            writeln!(
                self.out,
                "=== {} [{}]{channel} ===\n{}",
                sent_at.format("%Y-%m-%d %H:%M:%S UTC"),
                m.kind,
                m.text
            )
        };
        result
            .and_then(|()| self.out.flush())
            .map_err(|e| SinkError::Retry(format!("cannot write to standard output: {e}")))?;
        self.sent += 1;
        Ok(format!(
            "console-{}-{}-{}",
            self.site,
            std::process::id(),
            self.sent
        ))
    }
}
