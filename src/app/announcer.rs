//! The announcer: applies the schedule's decisions, writes them to the ledger, and sends through a sink.
//!
//! It owns the live catalog (with the last good version of a file that stopped parsing), the ledger
//! and its in-memory mirror, and the timeline of when each event next needs a look. It reads no clock:
//! every call takes `now`, so the run loop in `run.rs` is the only place that knows real time.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::{error, info, warn};

use crate::adapters::ledger::{Ledger, LedgerError, Progress};
use crate::app::sink::{Outgoing, Sink, SinkError};
use crier_core::catalog::{Catalog, Event};
use crier_core::recordings;
use crier_core::render;
use crier_core::routing::{Destination, Router};
use crier_core::schedule::{plan_event, Due, Key, Kind, Memory, Rules, Timeline};

/// The timeline entry of the digest, beside the events.
const DIGEST_ID: &str = "\u{0}digest";

pub struct Announcer<S> {
    sink: S,
    ledger: Ledger,
    memory: Memory,
    /// The recording links the ledger knows, mirrored.
    recordings: recordings::Known,
    timeline: Timeline,
    rules: Rules,
    digest: Option<cron::Schedule>,
    digest_zone: chrono_tz::Tz,
    next_digest: Option<DateTime<Utc>>,
    events: HashMap<String, Event>,
    /// `events`, sorted and indexed for the commands.
    snapshot: std::sync::Arc<crate::app::status::Snapshot>,
    /// Problems already logged, so a broken file is reported once per change, not once per rescan.
    logged: HashSet<String>,
    /// Failed sends: attempts so far, per announcement.
    attempts: HashMap<Key, u32>,
    /// The problems of the latest load.
    problems: Vec<crier_core::catalog::Problem>,
    telemetry: Option<std::sync::Arc<crate::app::telemetry::Telemetry>>,
    /// Which channel (and rules) each event gets.
    router: Router,
    /// Events that no route takes, already logged.
    unroutable: HashSet<String>,
    /// The recurring series of the latest load, for the calendar feed.
    series: std::sync::Arc<Vec<crier_core::catalog::Series>>,
}

impl<S: Sink> Announcer<S> {
    pub fn new(
        sink: S,
        ledger: Ledger,
        rules: Rules,
        digest: Option<cron::Schedule>,
        digest_zone: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> Result<Self, LedgerError> {
        let memory = ledger.load()?;
        let known_recordings = ledger.recordings()?;
        let next_digest = digest
            .as_ref()
            .and_then(|c| c.after(&now.with_timezone(&digest_zone)).next())
            .map(|t| t.with_timezone(&Utc));
        let mut announcer = Announcer {
            sink,
            ledger,
            memory,
            recordings: known_recordings,
            timeline: Timeline::default(),
            rules,
            digest,
            digest_zone,
            next_digest,
            events: HashMap::new(),
            snapshot: std::sync::Arc::default(),
            logged: HashSet::new(),
            attempts: HashMap::new(),
            problems: Vec::new(),
            telemetry: None,
            router: Router::fallback(),
            unroutable: HashSet::new(),
            series: std::sync::Arc::default(),
        };
        announcer.timeline.set(DIGEST_ID, next_digest);
        Ok(announcer)
    }

    /// Counts sends, failures and skips, and reports the catalog, in `telemetry`.
    pub fn with_telemetry(
        mut self,
        telemetry: std::sync::Arc<crate::app::telemetry::Telemetry>,
    ) -> Self {
        self.telemetry = Some(telemetry);
        self
    }

    /// Routes events with `router` (the console default sends every event to the sink's own place).
    pub fn with_router(mut self, router: Router) -> Self {
        self.router = router;
        self
    }

    fn count(&self, kind: Kind, result: &str) {
        if let Some(t) = &self.telemetry {
            t.count(kind.name(), result);
        }
    }

    /// Replaces the catalog with a fresh load. A file that now has errors keeps its last good events; an
    /// event disappears only when its file is deleted or parses without it. Changed events get a look now.
    pub fn replace_catalog(&mut self, catalog: Catalog, now: DateTime<Utc>) {
        let broken: HashSet<PathBuf> = catalog
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.path.clone())
            .collect();
        let mut next: HashMap<String, Event> = HashMap::with_capacity(catalog.events.len());
        for event in self.events.values() {
            if broken.contains(&event.source) && event.source.exists() {
                next.insert(event.id.clone(), event.clone());
            }
        }
        for event in catalog.events {
            // A dated file of a series that stopped parsing keeps its last good version: the series'
            // own occurrence for that date must not take its place (a cancellation would be undone).
            let plain_occurrence = event.occurrence.as_ref().is_some_and(|o| !o.overridden);
            if plain_occurrence && next.contains_key(&event.id) {
                continue;
            }
            next.insert(event.id.clone(), event);
        }
        let current: HashSet<String> = catalog
            .problems
            .iter()
            .map(std::string::ToString::to_string)
            .collect();
        for problem in &catalog.problems {
            let text = problem.to_string();
            if !self.logged.contains(&text) {
                if problem.is_error() {
                    error!("{text}");
                } else {
                    warn!("{text}");
                }
            }
        }
        self.logged = current;
        if let Some(t) = &self.telemetry {
            let errors = catalog.problems.iter().filter(|p| p.is_error()).count();
            t.set_catalog(next.len(), errors, catalog.problems.len() - errors);
        }
        self.problems = catalog.problems;
        // Replaced only when it changed: the feed is rebuilt when this pointer changes.
        if *self.series != catalog.series {
            self.series = std::sync::Arc::new(catalog.series);
        }
        let mut changed = false;
        for (id, event) in &next {
            if self.events.get(id) != Some(event) {
                self.timeline.set(id, Some(now));
                changed = true;
            }
        }
        for id in self.events.keys() {
            if !next.contains_key(id) {
                info!(event = %id, "event removed; its pending announcements are dropped");
                self.timeline.set(id, None);
                changed = true;
            }
        }
        self.events = next;
        // Rebuilt only when something changed: a rescan that finds the same files leaves the commands'
        // indexes, and the Events tab sync, alone.
        if changed {
            self.snapshot = std::sync::Arc::new(crate::app::status::Snapshot::new(
                self.events.values().cloned().collect(),
            ));
        }
    }

    /// A snapshot for the slash commands and the health endpoint.
    pub fn status(&self, now: DateTime<Utc>) -> Result<crate::app::status::Status, LedgerError> {
        let mut next = Vec::new();
        for event in self.snapshot.events.iter().filter(|e| e.start > now) {
            let Some(routed) = self.router.route(event, &self.rules) else {
                continue;
            };
            let plan = plan_event(event, &self.memory, &routed.rules, now);
            for p in &plan.pending {
                next.push(crate::app::status::Upcoming {
                    due: p.due,
                    kind: p.key.kind.to_string(),
                    title: event.title.clone(),
                });
            }
            if next.len() > 200 {
                break;
            }
        }
        next.sort_by_key(|n| n.due);
        next.truncate(25);
        Ok(crate::app::status::Status {
            catalog: self.snapshot.clone(),
            series: self.series.clone(),
            problems: self.problems.clone(),
            next,
            recent: self.ledger.records(Some(20))?,
        })
    }

    /// When something next needs doing.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.timeline.next_wake()
    }

    /// Does everything due at `now`: plans the events that need a look, records the decisions, sends.
    /// Returns how many announcements were sent.
    pub async fn tick(&mut self, now: DateTime<Utc>) -> Result<usize, LedgerError> {
        let due = self.timeline.take_due(now);
        let mut sent = 0;
        for (i, id) in due.iter().enumerate() {
            match self.look_at(id, now).await {
                Ok(n) => sent += n,
                Err(e) => {
                    // The ledger failed: this event and the ones not reached yet stay due, so the
                    // next tick (after the ledger recovers) looks at them again; nothing is lost.
                    for id in &due[i..] {
                        self.timeline.set(id, Some(now));
                    }
                    return Err(e);
                }
            }
        }
        Ok(sent)
    }

    /// Plans one event (or the digest), records the decisions and sends what is due.
    async fn look_at(&mut self, id: &str, now: DateTime<Utc>) -> Result<usize, LedgerError> {
        let mut sent = 0;
        if id == DIGEST_ID {
            return self.send_digest(now).await;
        }
        let Some(event) = self.events.get(id).cloned() else {
            return Ok(0);
        };
        let Some(routed) = self.router.route(&event, &self.rules) else {
            if self.unroutable.insert(event.id.clone()) {
                warn!(event = %event.id, file = %event.source.display(), "no route takes this event and `discord.channel_id` is not set: it is listed, never announced");
            }
            self.timeline.set(&event.id, None);
            return Ok(0);
        };
        self.unroutable.remove(&event.id);
        self.carry_over_identity(&event)?;
        let mut plan = plan_event(&event, &self.memory, &routed.rules, now);
        // Kinds the route does not post are settled as skipped, so they are never reconsidered.
        let (posted, held) = self
            .router
            .hold_back(&routed, std::mem::take(&mut plan.due));
        plan.due = posted;
        plan.skip.extend(held);
        if let Some(start) = plan.track {
            self.ledger.track(&event.id, &event.source, start, now)?;
        } else {
            self.ledger.set_source(&event.id, &event.source)?;
        }
        for skip in &plan.skip {
            self.record_skip(&event.id, skip, now)?;
        }
        self.memory.apply(&plan, &[]);
        let mut retry_at: Option<DateTime<Utc>> = None;
        for due in &plan.due {
            match self
                .send(&event, due, routed.destination.as_ref(), now)
                .await?
            {
                Some(at) => retry_at = Some(retry_at.map_or(at, |r| r.min(at))),
                None => sent += 1,
            }
        }
        let found = recordings::plan_announcements(
            &event,
            &self.recordings,
            |k| self.memory.settled.contains(k),
            now,
        );
        self.ledger.record_recordings(&event.id, &found, now)?;
        self.recordings.apply(&event.id, &found);
        for url in &found.new {
            info!(event = %event.id, %url, "a new recording");
        }
        let (recordings_due, recordings_held) = self.router.hold_back(&routed, found.due.clone());
        for skip in &recordings_held {
            self.record_skip(&event.id, skip, now)?;
            self.memory.settled.insert(skip.key.clone());
        }
        for due in &recordings_due {
            match self
                .send(&event, due, routed.destination.as_ref(), now)
                .await?
            {
                Some(at) => retry_at = Some(retry_at.map_or(at, |r| r.min(at))),
                None => sent += 1,
            }
        }
        let next = [plan.next_check, retry_at, found.next_check]
            .into_iter()
            .flatten()
            .min();
        self.timeline.set(&event.id, next);
        Ok(sent)
    }

    /// Records an announcement that will not be posted, and counts and logs it.
    fn record_skip(
        &mut self,
        event_id: &str,
        skip: &crier_core::schedule::Skip,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.count(skip.key.kind, "skipped");
        info!(event = %event_id, kind = %skip.key.kind, reason = %skip.reason, "skipped");
        self.ledger.record(
            &skip.key,
            skip.due,
            Progress::Skipped,
            None,
            Some(&skip.reason),
            now,
        )
    }

    /// An event the ledger does not know, read from a file whose event the ledger knows under another
    /// identity that no current event has, is that event: its identity changed with the data (a
    /// `register` link that a second file now shares, an `id:` added). Its records move to the new
    /// identity, so nothing is announced again.
    fn carry_over_identity(&mut self, event: &Event) -> Result<(), LedgerError> {
        // Occurrences of a series share their file: none is another's earlier identity.
        if self.memory.tracked.contains_key(&event.id) || event.occurrence.is_some() {
            return Ok(());
        }
        let previous = self
            .ledger
            .tracked_from(&event.source)?
            .into_iter()
            .find(|old| old != &event.id && !self.events.contains_key(old));
        if let Some(old) = previous {
            self.ledger.rename(&old, &event.id)?;
            self.memory.rename(&old, &event.id);
            self.recordings.rename(&old, &event.id);
            self.timeline.set(&old, None);
            self.attempts.retain(|key, _| key.event_id != old);
            info!(from = %old, to = %event.id, file = %event.source.display(), "the event's identity changed; its announcements carry over");
        }
        Ok(())
    }

    /// Sends one announcement. Returns when to retry, if it failed and there is time left.
    async fn send(
        &mut self,
        event: &Event,
        due: &Due,
        destination: Option<&Destination>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, LedgerError> {
        let message = render::announcement(event, due.key.kind, due.previous_start, now);
        let previous = match due.key.kind {
            Kind::Rescheduled | Kind::Cancelled => self.ledger.latest_message(&event.id)?,
            _ => None,
        };
        self.ledger
            .record(&due.key, due.due, Progress::Sending, None, None, now)?;
        let result = self
            .sink
            .send(Outgoing {
                key: &due.key,
                message: &message,
                due: due.due,
                previous_message: previous.as_ref().map(|(id, channel)| {
                    crate::app::sink::Previous {
                        message_id: id,
                        channel_id: *channel,
                    }
                }),
                destination,
            })
            .await;
        let now = Utc::now().max(now);
        match result {
            Ok(message_id) => {
                self.ledger.record(
                    &due.key,
                    due.due,
                    Progress::Sent,
                    Some(&message_id),
                    None,
                    now,
                )?;
                if let Some(destination) = destination {
                    self.ledger.set_channel(&due.key, destination.channel_id)?;
                }
                self.memory.mark_sent(&due.key);
                // A series' "new" is keyed by the series; the occurrence it was posted for is announced.
                if due.key.event_id != event.id {
                    self.ledger.mark_announced(&event.id)?;
                    self.memory.mark_announced(&event.id);
                }
                self.attempts.remove(&due.key);
                self.count(due.key.kind, "sent");
                info!(event = %event.id, kind = %due.key.kind, %message_id, "announced");
                Ok(None)
            }
            Err(e) => {
                let attempts = self.attempts.entry(due.key.clone()).or_insert(0);
                *attempts += 1;
                let backoff = backoff(*attempts);
                let retry = now + chrono::Duration::from_std(backoff).unwrap_or_default();
                if matches!(e, SinkError::Retry(_)) && retry < due.deadline {
                    self.count(due.key.kind, "retried");
                    warn!(event = %event.id, kind = %due.key.kind, error = %e, retry_in = %humantime::format_duration(backoff), "send failed");
                    self.ledger.record(
                        &due.key,
                        due.due,
                        Progress::Planned,
                        None,
                        Some(&e.to_string()),
                        now,
                    )?;
                    Ok(Some(retry))
                } else {
                    self.count(due.key.kind, "failed");
                    error!(event = %event.id, kind = %due.key.kind, error = %e, "send failed for good");
                    self.ledger.record(
                        &due.key,
                        due.due,
                        Progress::Failed,
                        None,
                        Some(&e.to_string()),
                        now,
                    )?;
                    self.memory.settled.insert(due.key.clone());
                    Ok(None)
                }
            }
        }
    }

    async fn send_digest(&mut self, now: DateTime<Utc>) -> Result<usize, LedgerError> {
        let Some(fire) = self.next_digest else {
            return Ok(0);
        };
        self.next_digest = self
            .digest
            .as_ref()
            .and_then(|c| c.after(&now.with_timezone(&self.digest_zone)).next())
            .map(|t| t.with_timezone(&Utc));
        self.timeline.set(DIGEST_ID, self.next_digest);
        let key = Key {
            event_id: "digest".into(),
            kind: Kind::Digest,
            start: fire,
        };
        if self.memory.settled.contains(&key) {
            return Ok(0);
        }
        let mut upcoming: Vec<&Event> = self
            .events
            .values()
            .filter(|e| !e.cancelled && e.start > now)
            .collect();
        upcoming.sort_by_key(|e| e.start);
        upcoming.truncate(10);
        let message = render::digest(&upcoming, now);
        let due = Due {
            key: key.clone(),
            due: fire,
            deadline: fire + chrono::Duration::hours(1),
            previous_start: None,
        };
        self.ledger
            .record(&key, fire, Progress::Sending, None, None, now)?;
        match self
            .sink
            .send(Outgoing {
                key: &key,
                message: &message,
                due: due.due,
                previous_message: None,
                destination: self.router.routes.default_destination(),
            })
            .await
        {
            Ok(id) => {
                self.ledger
                    .record(&key, fire, Progress::Sent, Some(&id), None, now)?;
                self.memory.settled.insert(key);
                Ok(1)
            }
            Err(e) => {
                error!(error = %e, "digest failed");
                self.ledger.record(
                    &key,
                    fire,
                    Progress::Failed,
                    None,
                    Some(&e.to_string()),
                    now,
                )?;
                self.memory.settled.insert(key);
                Ok(0)
            }
        }
    }
}

/// 1s, 2s, 4s, ... at most 5 minutes.
fn backoff(attempt: u32) -> Duration {
    Duration::from_secs(1u64 << attempt.saturating_sub(1).min(8)).min(Duration::from_secs(300))
}
