//! Health and Prometheus metrics, shared by the run loop, the Discord adapter and the HTTP listener.
//!
//! Counters are updated where things happen (a send, a reload, a reconnect); `/metrics` only encodes
//! them, so scraping never touches the ledger or the files.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SendLabels {
    pub kind: String,
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub action: String,
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SeverityLabels {
    pub severity: String,
}

/// Everything `/healthz` and `/metrics` report.
pub struct Telemetry {
    registry: Registry,
    pub events_loaded: Gauge,
    pub file_problems: Family<SeverityLabels, Gauge>,
    pub announcements: Family<SendLabels, Counter>,
    /// Unix time of the next planned announcement, 0 when none.
    pub next_announcement: Gauge,
    pub gateway_reconnects: Counter,
    pub command_seconds: Histogram,
    /// Events tab requests, by action (create, update, cancel, delete) and result.
    pub scheduled_event_requests: Family<RequestLabels, Counter>,
    /// Upcoming events crier keeps a scheduled event for in the Events tab.
    pub scheduled_events_kept: Gauge,
    /// `/events.ics` answers by status (200, 304, 503): how much polling the 304s save.
    pub feed_requests: Family<StatusLabels, Counter>,
    /// `VEVENT`s in the current calendar feed.
    pub feed_events: Gauge,
    /// Fetches of the git source by result (updated, unchanged, failed).
    pub source_fetches: Family<ResultLabels, Counter>,
    /// The commit time of the tree announced from.
    pub source_commit_timestamp: Gauge,
    /// `POST /hooks/git` answers by status.
    pub webhook_requests: Family<StatusLabels, Counter>,
    /// Failed fetches in a row, and the last error; stale at [`crate::app::health::STALE_AFTER`].
    source_failures: std::sync::Mutex<(u32, Option<String>)>,
    catalog_loaded: AtomicBool,
    /// What this telemetry reports on: the health of a catalog is a site's, not the process's.
    part: Part,
    /// Why the site's source (its folder watch, or its first git clone) cannot start, while it cannot.
    source_error: std::sync::Mutex<Option<String>>,
    ledger_ok: AtomicBool,
    /// `None` without Discord; else whether the gateway is connected.
    discord: Option<AtomicBool>,
    ledger_error: std::sync::Mutex<Option<String>>,
    /// Set after the first gateway connection: later ones are reconnections.
    connected_before: AtomicBool,
}

/// Several expositions (the process's and each site's) as one: each metric family once, its
/// `# HELP` and `# TYPE` first, then every exposition's samples of it, and one `# EOF`. The
/// OpenMetrics text format wants a family's lines together and declared once.
pub fn merge_expositions(texts: &[String]) -> String {
    let mut families: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for text in texts {
        let mut current: Option<usize> = None;
        for line in text.lines() {
            if line == "# EOF" {
                continue;
            }
            let header = line
                .strip_prefix("# HELP ")
                .or_else(|| line.strip_prefix("# TYPE "))
                .or_else(|| line.strip_prefix("# UNIT "));
            if let Some(rest) = header {
                let name = rest
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let index = if let Some(index) = families.iter().position(|(n, _, _)| *n == name) {
                    index
                } else {
                    families.push((name, Vec::new(), Vec::new()));
                    families.len() - 1
                };
                let headers = &mut families[index].1;
                if !headers.iter().any(|h| h == line) {
                    headers.push(line.to_string());
                }
                current = Some(index);
            } else if let Some(index) = current {
                families[index].2.push(line.to_string());
            }
        }
    }
    let mut out = String::new();
    for (_, headers, samples) in families {
        for line in headers.iter().chain(&samples) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("# EOF\n");
    out
}

/// What a [`Telemetry`] reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// A process with one site (no `[[sites]]`): everything, unlabelled.
    Whole,
    /// The process of `[[sites]]`: the gateway and the commands, which every site shares.
    Process,
    /// One site of `[[sites]]`: its catalog, ledger, announcements, feed and source.
    Site,
}

/// `registry` for a metric the telemetry reports, else `unreported`.
fn pick<'a>(
    reported: bool,
    registry: &'a mut Registry,
    unreported: &'a mut Registry,
) -> &'a mut Registry {
    if reported {
        registry
    } else {
        unreported
    }
}

impl Telemetry {
    pub fn new(with_discord: bool) -> Arc<Telemetry> {
        Telemetry::labelled(with_discord, None, Part::Whole)
    }

    /// The process's own telemetry in a process with `[[sites]]`: the Discord gateway and the
    /// slash commands. It has no catalog: its health does not wait for one, and it has none of the
    /// sites' metrics (an unlabelled `crier_events_loaded 0` beside every site's would be wrong).
    pub fn for_process(with_discord: bool) -> Arc<Telemetry> {
        Telemetry::labelled(with_discord, None, Part::Process)
    }

    /// A site's telemetry in a process with `[[sites]]`: every metric carries `site="<name>"`.
    /// The process's metrics (the gateway's reconnections, the commands' durations) are not a
    /// site's, and are left to [`Telemetry::for_process`].
    pub fn for_site(name: &str) -> Arc<Telemetry> {
        Telemetry::labelled(false, Some(name), Part::Site)
    }

    fn labelled(with_discord: bool, site: Option<&str>, part: Part) -> Arc<Telemetry> {
        let mut registry = match site {
            Some(name) => Registry::with_prefix_and_labels(
                "crier",
                [(
                    std::borrow::Cow::Borrowed("site"),
                    std::borrow::Cow::Owned(name.to_string()),
                )]
                .into_iter(),
            ),
            None => Registry::with_prefix("crier"),
        };
        // Each metric is reported by the part it is about; a part's others go to a registry that is
        // never encoded.
        let mut unreported = Registry::default();
        let (site_metrics, process_metrics) = (part != Part::Process, part != Part::Site);
        let events_loaded = Gauge::default();
        let file_problems = Family::<SeverityLabels, Gauge>::default();
        let announcements = Family::<SendLabels, Counter>::default();
        let next_announcement = Gauge::default();
        let gateway_reconnects = Counter::default();
        let scheduled_event_requests = Family::<RequestLabels, Counter>::default();
        let scheduled_events_kept = Gauge::default();
        let command_seconds = Histogram::new([
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 3.0,
        ]);
        pick(site_metrics, &mut registry, &mut unreported).register(
            "events_loaded",
            "Events in the catalog",
            events_loaded.clone(),
        );
        pick(site_metrics, &mut registry, &mut unreported).register(
            "file_problems",
            "Problems in the event files, by severity",
            file_problems.clone(),
        );
        pick(site_metrics, &mut registry, &mut unreported).register(
            "announcements",
            "Announcements by kind and result (sent, failed, skipped)",
            announcements.clone(),
        );
        pick(site_metrics, &mut registry, &mut unreported).register(
            "next_announcement_timestamp_seconds",
            "Unix time of the next planned announcement (0: none)",
            next_announcement.clone(),
        );
        pick(process_metrics, &mut registry, &mut unreported).register(
            "gateway_reconnects",
            "Discord gateway reconnections",
            gateway_reconnects.clone(),
        );
        pick(process_metrics, &mut registry, &mut unreported).register(
            "command_duration_seconds",
            "Slash command handling time, interaction received to reply sent",
            command_seconds.clone(),
        );
        pick(site_metrics, &mut registry, &mut unreported).register(
            "scheduled_event_requests",
            "Events tab requests by action (create, update, cancel, delete) and result",
            scheduled_event_requests.clone(),
        );
        pick(site_metrics, &mut registry, &mut unreported).register(
            "scheduled_events_kept",
            "Upcoming events that crier keeps a scheduled event for in the server's Events tab",
            scheduled_events_kept.clone(),
        );
        let feed_requests = Family::<StatusLabels, Counter>::default();
        pick(site_metrics, &mut registry, &mut unreported).register(
            "feed_requests",
            "Calendar feed (/events.ics) requests by answer status",
            feed_requests.clone(),
        );
        let feed_events = Gauge::default();
        pick(site_metrics, &mut registry, &mut unreported).register(
            "feed_events",
            "VEVENTs in the calendar feed (a series counts once)",
            feed_events.clone(),
        );
        let source_fetches = Family::<ResultLabels, Counter>::default();
        pick(site_metrics, &mut registry, &mut unreported).register(
            "source_fetch",
            "Fetches of the git source by result (updated, unchanged, failed)",
            source_fetches.clone(),
        );
        let source_commit_timestamp = Gauge::default();
        pick(site_metrics, &mut registry, &mut unreported).register(
            "source_commit_timestamp_seconds",
            "Commit time of the git tree the catalog is read from (0: not a git source)",
            source_commit_timestamp.clone(),
        );
        let webhook_requests = Family::<StatusLabels, Counter>::default();
        pick(site_metrics, &mut registry, &mut unreported).register(
            "webhook_requests",
            "Push webhook (/hooks/git) requests by answer status",
            webhook_requests.clone(),
        );
        Arc::new(Telemetry {
            source_fetches,
            source_commit_timestamp,
            webhook_requests,
            source_failures: std::sync::Mutex::new((0, None)),
            feed_requests,
            feed_events,
            registry,
            events_loaded,
            file_problems,
            announcements,
            next_announcement,
            gateway_reconnects,
            command_seconds,
            scheduled_event_requests,
            scheduled_events_kept,
            catalog_loaded: AtomicBool::new(false),
            part,
            source_error: std::sync::Mutex::new(None),
            ledger_ok: AtomicBool::new(true),
            discord: with_discord.then(|| AtomicBool::new(false)),
            ledger_error: std::sync::Mutex::new(None),
            connected_before: AtomicBool::new(false),
        })
    }

    pub fn set_catalog(&self, events: usize, errors: usize, warnings: usize) {
        self.catalog_loaded.store(true, Ordering::Relaxed);
        self.events_loaded
            .set(i64::try_from(events).unwrap_or(i64::MAX));
        for (severity, n) in [("error", errors), ("warning", warnings)] {
            self.file_problems
                .get_or_create(&SeverityLabels {
                    severity: severity.into(),
                })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
    }

    pub fn count(&self, kind: &str, result: &str) {
        self.announcements
            .get_or_create(&SendLabels {
                kind: kind.into(),
                result: result.into(),
            })
            .inc();
    }

    pub fn set_ledger(&self, result: Result<(), String>) {
        self.ledger_ok.store(result.is_ok(), Ordering::Relaxed);
        if let Ok(mut slot) = self.ledger_error.lock() {
            *slot = result.err();
        }
    }

    /// Why the site's source cannot start (`Err`), or that it has started.
    pub fn set_source_start(&self, result: Result<(), String>) {
        if let Ok(mut slot) = self.source_error.lock() {
            *slot = result.err();
        }
    }

    pub fn set_gateway(&self, connected: bool) {
        if let Some(flag) = &self.discord {
            let was = flag.swap(connected, Ordering::Relaxed);
            if connected && !was && self.connected_before.swap(true, Ordering::Relaxed) {
                self.gateway_reconnects.inc();
            }
        }
    }

    /// Counts a fetch of the git source.
    pub fn source_fetched(&self, result: &str) {
        self.source_fetches
            .get_or_create(&ResultLabels {
                result: result.into(),
            })
            .inc();
    }

    /// The commit time of the tree now read from (set when a tree becomes current).
    pub fn set_source_commit(&self, time: i64) {
        self.source_commit_timestamp.set(time);
    }

    /// Failed fetches in a row (0 after a good one) and the last error.
    pub fn set_source_failures(&self, failures: u32, error: Option<String>) {
        if let Ok(mut slot) = self.source_failures.lock() {
            *slot = (failures, error);
        }
    }

    /// `Ok` when healthy, else the reasons.
    pub fn health(&self) -> Result<(), String> {
        let mut reasons = Vec::new();
        if let Some(error) = self.source_error.lock().ok().and_then(|e| e.clone()) {
            reasons.push(format!("the site's source cannot start: {error}"));
        }
        if self.part != Part::Process && !self.catalog_loaded.load(Ordering::Relaxed) {
            reasons.push("the catalog is not loaded yet".to_string());
        }
        if !self.ledger_ok.load(Ordering::Relaxed) {
            let detail = self
                .ledger_error
                .lock()
                .ok()
                .and_then(|e| e.clone())
                .unwrap_or_default();
            reasons.push(format!("the ledger is not writable: {detail}"));
        }
        if let Some(flag) = &self.discord {
            if !flag.load(Ordering::Relaxed) {
                reasons.push("the Discord gateway is not connected".into());
            }
        }
        if let Ok(slot) = self.source_failures.lock() {
            if let (failures @ crate::app::health::STALE_AFTER.., error) = &*slot {
                reasons.push(format!(
                    "the git source is stale: {failures} fetches failed in a row, announcing from the last tree fetched (last error: {})",
                    error.as_deref().unwrap_or("unknown")
                ));
            }
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(reasons.join("; "))
        }
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_says_why_it_is_unhealthy() {
        let t = Telemetry::new(true);
        let reasons = t.health().expect_err("not loaded, not connected");
        assert!(reasons.contains("catalog is not loaded"), "{reasons}");
        assert!(reasons.contains("gateway is not connected"), "{reasons}");
        t.set_catalog(3, 0, 1);
        t.set_gateway(true);
        assert_eq!(t.health(), Ok(()));
        t.set_ledger(Err("disk full".into()));
        assert!(t.health().expect_err("ledger").contains("disk full"));
        let console = Telemetry::new(false);
        console.set_catalog(0, 0, 0);
        assert_eq!(console.health(), Ok(()));
        // Two failed fetches are a blip; the third makes the source stale, a good one clears it.
        console.set_source_failures(2, Some("connection refused".into()));
        assert_eq!(console.health(), Ok(()));
        console.set_source_failures(3, Some("connection refused".into()));
        let reasons = console.health().expect_err("stale");
        assert!(
            reasons.contains("git source is stale: 3 fetches failed"),
            "{reasons}"
        );
        assert!(reasons.contains("connection refused"), "{reasons}");
        console.set_source_failures(0, None);
        assert_eq!(console.health(), Ok(()));
    }

    /// With `[[sites]]`, the process's telemetry has no catalog: it is healthy without one, and
    /// reports only what is the process's; each site's reports the rest, and why its source cannot
    /// start.
    #[test]
    fn the_process_and_each_site_report_their_own_part() {
        let process = Telemetry::for_process(true);
        process.set_gateway(true);
        assert_eq!(process.health(), Ok(()));
        let text = process.encode();
        assert!(text.contains("crier_gateway_reconnects_total 0"), "{text}");
        assert!(!text.contains("events_loaded"), "{text}");
        let site = Telemetry::for_site("rust-tlv");
        assert!(site.health().is_err(), "a site waits for its catalog");
        site.set_catalog(2, 0, 0);
        assert_eq!(site.health(), Ok(()));
        site.set_source_start(Err("cannot clone".into()));
        let reasons = site.health().expect_err("no source");
        assert!(
            reasons.contains("source cannot start: cannot clone") && !reasons.contains("ledger"),
            "{reasons}"
        );
        site.set_source_start(Ok(()));
        assert_eq!(site.health(), Ok(()));
        let text = site.encode();
        assert!(
            text.contains("crier_events_loaded{site=\"rust-tlv\"} 2"),
            "{text}"
        );
        assert!(!text.contains("gateway_reconnects"), "{text}");
    }

    #[test]
    fn metrics_are_prometheus_text() {
        let t = Telemetry::new(true);
        t.set_catalog(49, 0, 1);
        t.count("reminder", "sent");
        t.set_gateway(true);
        t.set_gateway(false);
        t.set_gateway(true);
        t.command_seconds.observe(0.002);
        let text = t.encode();
        assert!(text.contains("crier_events_loaded 49"), "{text}");
        assert!(
            text.contains("crier_file_problems{severity=\"warning\"} 1"),
            "{text}"
        );
        assert!(
            text.contains("crier_announcements_total{kind=\"reminder\",result=\"sent\"} 1"),
            "{text}"
        );
        assert!(text.contains("crier_gateway_reconnects_total 1"), "{text}");
        assert!(
            text.contains("crier_command_duration_seconds_count 1"),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
