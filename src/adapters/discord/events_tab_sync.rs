//! Keeps the server's Events tab in step: runs the actions [`crier_core::events_tab`] decides, against
//! Discord's guild scheduled events, and writes each result to the ledger.
//!
//! It runs as its own task with its own ledger handle, so a slow or failing Discord never holds up an
//! announcement. The task runs on the run loop's runtime, and the ledger blocks (the PostgreSQL
//! client would even panic there): every ledger call goes through [`SharedLedger::run`], on tokio's
//! blocking threads. It wakes when the catalog changes, when an event starts (room frees up under
//! Discord's limit of 100), and every `discord.events_refresh`, when it reads the Events tab back
//! (`with_user_count=true`: the interested counts the commands show; no gateway intent needed).
//!
//! Exactly once: a create is recorded as `creating` before the POST and as `scheduled`, with Discord's
//! id, after it. If the answer is lost (a crash, a timeout), the next read finds the event by the
//! marker at the end of its description and adopts it, or, where Discord has none, creates it again.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::Utc;
use serenity::all::{
    CreateScheduledEvent, EditScheduledEvent, GuildId, Http, ScheduledEventId,
    ScheduledEventStatus, ScheduledEventType, UserId,
};
use tokio::sync::watch;
use tracing::{error, info, warn};

use super::errors::{self, Class};
use crate::adapters::ledger::{Ledger, LedgerError};
use crate::app::status::{SharedTab, Snapshot};
use crier_core::backoff::Backoff;
use crier_core::events_tab::{self, Action, Fix, Guild, Recorded, Remote, State};

/// What the bot may do with scheduled events, from its guild permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventPermissions {
    /// CREATE_EVENTS: needed to create (MANAGE_EVENTS alone no longer is).
    pub create: bool,
    /// CREATE_EVENTS or MANAGE_EVENTS: needed to edit or delete its own.
    pub edit: bool,
}

impl EventPermissions {
    /// The line `/crier status` and the start-up log give when something is missing.
    pub fn problem(self) -> Option<String> {
        match (self.create, self.edit) {
            (true, _) => None,
            (false, true) => Some("the bot lacks Create Events: new events are not added to the Events tab (grant Create Events to the bot's role in Server Settings → Roles)".into()),
            (false, false) => Some("the bot lacks Create Events and Manage Events: the Events tab is not kept (grant Create Events to the bot's role in Server Settings → Roles)".into()),
        }
    }
}

/// Everything the sync needs.
pub struct TabSync {
    pub http: Arc<Http>,
    pub guild: GuildId,
    pub bot: UserId,
    pub ledger: SharedLedger,
    pub duration: Duration,
    pub refresh: Duration,
    pub permissions: EventPermissions,
    pub shared: SharedTab,
    pub telemetry: Arc<crate::app::telemetry::Telemetry>,
    /// The words a scheduled event's place and registration line are written in, per event.
    pub wording: Arc<crier_core::l10n::Wording>,
    pub policy: crier_core::l10n::Policy,
}

/// The sync's ledger handle, used from async code: each call runs on a blocking thread.
#[derive(Clone)]
pub struct SharedLedger(Arc<Mutex<Ledger>>);

impl SharedLedger {
    pub fn new(ledger: Ledger) -> SharedLedger {
        SharedLedger(Arc::new(Mutex::new(ledger)))
    }

    /// Runs `f` on the ledger in `spawn_blocking`: never on the runtime's thread, which the
    /// announcers' loops and the HTTP listener share (and where the PostgreSQL client panics).
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Ledger) -> Result<T, LedgerError> + Send + 'static,
    ) -> Result<T, LedgerError> {
        let ledger = self.0.clone();
        let job = tokio::task::spawn_blocking(move || {
            // A panic in an earlier call left no write half-done: each is a statement or a
            // transaction of its own.
            f(&ledger.lock().unwrap_or_else(PoisonError::into_inner))
        });
        match job.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Cancelled: the runtime is shutting down, and drops this task with it.
            Err(_) => std::future::pending().await,
        }
    }
}

/// How a failed request is handled.
enum Failure {
    /// Worth trying again later (429, 5xx, no answer): stop this pass and read back first.
    Retry(String),
    /// Discord refused it for good; the action is dropped (and logged).
    Refused(String),
    /// 403: a permission is missing.
    Forbidden(String),
    /// 404: the scheduled event is gone.
    Gone,
    /// 30038: the guild is at Discord's limit.
    Full,
    /// 180000: it started or ended; nothing more can change.
    Finished,
}

fn failure(e: &serenity::Error) -> Failure {
    // Discord's own codes first: they say more than the status they come with.
    match errors::code(e) {
        Some(30038) => return Failure::Full,
        Some(180_000) => return Failure::Finished,
        _ => {}
    }
    match Class::of(e) {
        Class::PermissionMissing => Failure::Forbidden(e.to_string()),
        Class::NotFound => Failure::Gone,
        class if class.is_retryable() => Failure::Retry(e.to_string()),
        _ => Failure::Refused(e.to_string()),
    }
}

impl Failure {
    /// The `result` label of `crier_scheduled_event_requests_total`.
    fn label(&self) -> &'static str {
        match self {
            Failure::Retry(_) => "retry",
            Failure::Refused(_) => "refused",
            Failure::Forbidden(_) => "forbidden",
            Failure::Gone => "gone",
            Failure::Full => "full",
            Failure::Finished => "finished",
        }
    }
}

impl TabSync {
    /// Runs until the catalog channel closes. `catalog` holds `None` until the first catalog is loaded:
    /// an empty catalog before that would read as "every event deleted".
    pub async fn run(mut self, mut catalog: watch::Receiver<Option<Arc<Snapshot>>>) {
        let mut remote: Option<Vec<Remote>> = None;
        let mut read_at = tokio::time::Instant::now();
        let mut backoff = Backoff::new(Duration::from_secs(1), self.refresh);
        let mut synced: Option<Arc<Snapshot>> = None;
        let mut dirty = true;
        // Without Create Events, one create is tried after each read: a permission granted later is
        // noticed without a restart, at the cost of one refused request per `events_refresh`.
        let mut probe = false;
        // Specs Discord refused (400): not sent again until the file changes them, so one bad event
        // is one error line, not one per pass.
        let mut refused: HashSet<String> = HashSet::new();
        self.shared.update(|t| {
            t.enabled = true;
            t.problem = self.permissions.problem();
        });
        if let Some(problem) = self.permissions.problem() {
            warn!("{problem}; announcements carry on");
        }
        loop {
            let Some(snapshot) = catalog.borrow_and_update().clone() else {
                // No catalog yet: nothing to compare Discord with.
                if catalog.changed().await.is_err() {
                    return;
                }
                continue;
            };
            if synced.as_ref().is_none_or(|s| !Arc::ptr_eq(s, &snapshot)) {
                dirty = true;
            }
            if tokio::time::Instant::now() >= read_at {
                match self.read(&snapshot).await {
                    Ok(list) => {
                        remote = Some(list);
                        probe = !self.permissions.create;
                        read_at = tokio::time::Instant::now() + self.refresh;
                        backoff.reset();
                        dirty = true;
                    }
                    Err(e) => {
                        let wait = backoff.fail();
                        warn!(error = %e, retry_in = ?wait, "cannot read the Events tab");
                        read_at = tokio::time::Instant::now() + wait;
                    }
                }
            }
            if let (true, Some(list)) = (dirty, &remote) {
                if let Ok(()) = self
                    .sync(&snapshot, list, std::mem::take(&mut probe), &mut refused)
                    .await
                {
                    synced = Some(snapshot.clone());
                    dirty = false;
                } else {
                    // Read back before trying again: a lost create is adopted, not repeated.
                    remote = None;
                    read_at = tokio::time::Instant::now() + backoff.fail();
                }
            }
            let wake = synced
                .as_ref()
                .and_then(|s| events_tab::next_wake(&s.events, Utc::now()))
                .and_then(|at| (at - Utc::now()).to_std().ok())
                .map(|d| tokio::time::Instant::now() + d)
                .map_or(read_at, |at| at.min(read_at));
            tokio::select! {
                changed = catalog.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
                () = tokio::time::sleep_until(wake) => {
                    // An event started: its slot may go to the next one in line.
                    dirty = true;
                }
            }
        }
    }

    /// Reads the Events tab, squares the ledger with it, and publishes the interested counts.
    async fn read(&mut self, snapshot: &Snapshot) -> anyhow::Result<Vec<Remote>> {
        let listed = self.guild.scheduled_events(&self.http, true).await?;
        let remote: Vec<Remote> = listed
            .into_iter()
            .map(|e| Remote {
                id: e.id.to_string(),
                by_bot: e.creator_id == Some(self.bot),
                description: e.description.unwrap_or_default(),
                status: u8::from(e.status),
                user_count: e.user_count,
            })
            .collect();
        let mut records = self.ledger.run(Ledger::scheduled_events).await?;
        let now = Utc::now();
        let fixes = events_tab::reconcile(&records, &remote, &snapshot.events);
        let fixed = !fixes.is_empty();
        for fix in fixes {
            match fix {
                Fix::Adopt {
                    event_id,
                    discord_id,
                } => {
                    let old = records.iter().find(|r| r.event_id == event_id);
                    let start = old.map(|r| r.start).or_else(|| {
                        snapshot
                            .events
                            .iter()
                            .find(|e| e.id == event_id)
                            .map(|e| e.start.with_timezone(&Utc))
                    });
                    info!(event = %event_id, scheduled_event = %discord_id, "found the scheduled event of a create whose answer was lost; adopting it");
                    let record = Recorded {
                        event_id,
                        discord_id: Some(discord_id),
                        state: State::Scheduled,
                        // Unknown for an event the ledger lost: the next sync sends one PATCH.
                        fingerprint: old.map(|r| r.fingerprint.clone()).unwrap_or_default(),
                        start: start.unwrap_or(now),
                    };
                    self.ledger
                        .run(move |l| l.put_scheduled_event(&record, now))
                        .await?;
                }
                Fix::Forget { event_id } => {
                    self.ledger
                        .run(move |l| l.forget_scheduled_event(&event_id))
                        .await?;
                }
            }
        }
        if fixed {
            records = self.ledger.run(Ledger::scheduled_events).await?;
        }
        let counts = events_tab::interested(&records, &remote);
        self.shared.update(|t| {
            t.interested = counts;
            t.last_read = Some(now);
        });
        Ok(remote)
    }

    /// Runs one pass of the diff. `Err` when a request should be retried after a read.
    async fn sync(
        &mut self,
        snapshot: &Snapshot,
        remote: &[Remote],
        mut probe: bool,
        refused: &mut HashSet<String>,
    ) -> Result<(), ()> {
        let records = match self.ledger.run(Ledger::scheduled_events).await {
            Ok(records) => records,
            Err(e) => {
                error!(error = %e, "cannot read the ledger for the Events tab");
                return Err(());
            }
        };
        // Every uncompleted event that is not one of crier's counts against the limit (members', other
        // bots', and any this bot made without crier's marker).
        let ours: HashSet<&str> = records
            .iter()
            .filter_map(|r| r.discord_id.as_deref())
            .collect();
        let guild = Guild {
            foreign_uncompleted: remote
                .iter()
                .filter(|r| matches!(r.status, 1 | 2) && !ours.contains(r.id.as_str()))
                .count(),
        };
        let actions = events_tab::plan_actions(
            &snapshot.events,
            &records,
            guild,
            self.duration,
            Utc::now(),
            &crier_core::l10n::Words {
                wording: &self.wording,
                policy: self.policy,
            },
        );
        let mut result = Ok(());
        let mut full = false;
        for action in actions {
            let creates = matches!(action, Action::Create { .. });
            // A create without the permission, allowed once per read to notice a grant.
            let probing = creates && !self.permissions.create;
            // No room under Discord's limit, or no permission to create: the rest wait.
            if creates && (full || (probing && !std::mem::take(&mut probe))) {
                continue;
            }
            let fingerprint = match &action {
                Action::Create { spec, .. } | Action::Update { spec, .. } => {
                    Some(spec.fingerprint())
                }
                _ => None,
            };
            if fingerprint.as_ref().is_some_and(|f| refused.contains(f)) {
                continue;
            }
            let name = match &action {
                Action::Create { .. } => Some("create"),
                Action::Update { .. } => Some("update"),
                Action::Cancel { .. } => Some("cancel"),
                Action::Delete { .. } => Some("delete"),
                Action::Forget { .. } => None,
            };
            let outcome = self.apply(action).await;
            if let Some(name) = name {
                let result = outcome.as_ref().map_or_else(Failure::label, |()| "ok");
                self.telemetry
                    .scheduled_event_requests
                    .get_or_create(&crate::app::telemetry::RequestLabels {
                        action: name.into(),
                        result: result.into(),
                    })
                    .inc();
            }
            match outcome {
                Ok(()) => {}
                Err(Failure::Full) => full = true,
                // Still not allowed: the start-up line said so already.
                Err(Failure::Forbidden(_)) if probing => {}
                Err(Failure::Forbidden(e)) => {
                    let problem = format!("Discord refused a change to the Events tab (403): the bot lacks Create Events or Manage Events; announcements carry on: {e}");
                    if self.shared.get().problem.as_deref() != Some(problem.as_str()) {
                        warn!("{problem}");
                    }
                    self.shared.update(|t| t.problem = Some(problem));
                    break;
                }
                Err(Failure::Retry(e)) => {
                    warn!(error = %e, "an Events tab request failed; trying again after a read");
                    result = Err(());
                    break;
                }
                Err(Failure::Refused(e)) => {
                    error!(error = %e, "Discord refused an Events tab request; it is sent again once the event's file changes");
                    refused.extend(fingerprint);
                }
                Err(Failure::Gone | Failure::Finished) => {}
            }
        }
        let now = Utc::now();
        let kept = self
            .ledger
            .run(Ledger::scheduled_events)
            .await
            .map_or(0, |r| {
                r.iter()
                    .filter(|r| r.state == State::Scheduled && r.start > now)
                    .count()
            });
        self.shared.update(|t| t.kept = kept);
        self.telemetry
            .scheduled_events_kept
            .set(i64::try_from(kept).unwrap_or(i64::MAX));
        result
    }

    /// Runs one action and records its result.
    async fn apply(&mut self, action: Action) -> Result<(), Failure> {
        let now = Utc::now();
        let ledger_failed = |e: LedgerError| Failure::Retry(e.to_string());
        match action {
            Action::Create { event_id, spec } => {
                let mut record = Recorded {
                    event_id: event_id.clone(),
                    discord_id: None,
                    state: State::Creating,
                    fingerprint: spec.fingerprint(),
                    start: spec.start,
                };
                self.put(&record, now).await.map_err(ledger_failed)?;
                let create =
                    CreateScheduledEvent::new(ScheduledEventType::External, &spec.name, spec.start)
                        .end_time(spec.end)
                        .location(&spec.location)
                        .description(&spec.description);
                match self.guild.create_scheduled_event(&self.http, create).await {
                    Ok(created) => {
                        record.discord_id = Some(created.id.to_string());
                        record.state = State::Scheduled;
                        self.put(&record, Utc::now()).await.map_err(ledger_failed)?;
                        if !self.permissions.create {
                            info!("the bot may create events now; keeping the Events tab");
                            self.permissions.create = true;
                            self.permissions.edit = true;
                        }
                        self.clear_problem();
                        info!(event = %event_id, scheduled_event = %created.id, "added to the Events tab");
                        Ok(())
                    }
                    Err(e) => {
                        let failed = failure(&e);
                        // Refused outright: nothing was created. Otherwise (no answer, 5xx) it may have
                        // been; the `creating` record stays for the next read to settle.
                        if !matches!(failed, Failure::Retry(_)) {
                            self.forget(&event_id).await.map_err(ledger_failed)?;
                        }
                        Err(failed)
                    }
                }
            }
            Action::Update {
                event_id,
                discord_id,
                spec,
            } => {
                let edit = EditScheduledEvent::new()
                    .name(&spec.name)
                    .description(&spec.description)
                    .location(&spec.location)
                    .start_time(spec.start)
                    .end_time(spec.end);
                let record = Recorded {
                    event_id: event_id.clone(),
                    discord_id: Some(discord_id.clone()),
                    state: State::Scheduled,
                    fingerprint: spec.fingerprint(),
                    start: spec.start,
                };
                self.edit(&discord_id, edit, record).await?;
                info!(event = %event_id, scheduled_event = %discord_id, "updated in the Events tab");
                Ok(())
            }
            Action::Cancel {
                event_id,
                discord_id,
                spec,
            } => {
                let edit = EditScheduledEvent::new().status(ScheduledEventStatus::Canceled);
                let record = Recorded {
                    event_id: event_id.clone(),
                    discord_id: Some(discord_id.clone()),
                    state: State::Cancelled,
                    fingerprint: spec.fingerprint(),
                    start: spec.start,
                };
                self.edit(&discord_id, edit, record).await?;
                info!(event = %event_id, scheduled_event = %discord_id, "cancelled in the Events tab");
                Ok(())
            }
            Action::Delete {
                event_id,
                discord_id,
            } => {
                let id = parse_id(&discord_id)?;
                match self.guild.delete_scheduled_event(&self.http, id).await {
                    Ok(()) => {}
                    Err(e) => match failure(&e) {
                        Failure::Gone => {}
                        other => return Err(other),
                    },
                }
                self.forget(&event_id).await.map_err(ledger_failed)?;
                info!(event = %event_id, scheduled_event = %discord_id, "removed from the Events tab");
                Ok(())
            }
            Action::Forget { event_id } => self.forget(&event_id).await.map_err(ledger_failed),
        }
    }

    /// PATCHes a scheduled event and records `record` once Discord has it. A scheduled event someone
    /// deleted is forgotten (the next pass creates it again); a finished one is recorded as it is, so
    /// it is not asked again.
    async fn edit(
        &mut self,
        discord_id: &str,
        edit: EditScheduledEvent<'_>,
        record: Recorded,
    ) -> Result<(), Failure> {
        let ledger_failed = |e: LedgerError| Failure::Retry(e.to_string());
        let id = parse_id(discord_id)?;
        match self.guild.edit_scheduled_event(&self.http, id, edit).await {
            Ok(_) => {
                self.clear_problem();
                self.put(&record, Utc::now()).await.map_err(ledger_failed)
            }
            Err(e) => match failure(&e) {
                Failure::Gone => {
                    self.forget(&record.event_id).await.map_err(ledger_failed)?;
                    Err(Failure::Gone)
                }
                Failure::Finished => {
                    self.put(&record, Utc::now()).await.map_err(ledger_failed)?;
                    Err(Failure::Finished)
                }
                other => Err(other),
            },
        }
    }

    /// Writes the record of an event's scheduled event (on a blocking thread).
    async fn put(&self, record: &Recorded, now: chrono::DateTime<Utc>) -> Result<(), LedgerError> {
        let record = record.clone();
        self.ledger
            .run(move |l| l.put_scheduled_event(&record, now))
            .await
    }

    /// Forgets the record of an event's scheduled event (on a blocking thread).
    async fn forget(&self, event_id: &str) -> Result<(), LedgerError> {
        let event_id = event_id.to_string();
        self.ledger
            .run(move |l| l.forget_scheduled_event(&event_id))
            .await
    }

    fn clear_problem(&self) {
        if self.shared.get().problem.is_some() && self.permissions.problem().is_none() {
            self.shared.update(|t| t.problem = None);
        }
    }
}

fn parse_id(id: &str) -> Result<ScheduledEventId, Failure> {
    id.parse::<u64>()
        .ok()
        .filter(|&n| n != 0)
        .map(ScheduledEventId::new)
        .ok_or_else(|| {
            Failure::Refused(format!("`{id}` in the ledger is not a scheduled event id"))
        })
}
