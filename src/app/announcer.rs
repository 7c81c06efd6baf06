//! The announcer: applies the schedule's decisions, writes them to the ledger, and sends through a sink.
//!
//! It owns the live catalog (with the last good version of a file that stopped parsing), the ledger
//! and its in-memory mirror, and the timeline of when each event next needs a look. It reads no clock:
//! every call takes `now`, so the run loop in `run.rs` is the only place that knows real time.
//!
//! It works in two halves. [`Core`] (everything but the sink) decides and keeps the books: SQLite and
//! CPU, synchronous, and run on the announcer's own thread ([`Announcer::blocking`]), never on a
//! runtime thread. A tick plans every event due at once and writes what it decided in one
//! transaction per [`BATCH`] events (a first start with 10,000 events is ten commits, not 20,000).
//! The async half then sends what the plan says is due, one announcement at a time, each written
//! `sending` before the sink is called and `sent` after: exactly once across a `kill -9`.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::{error, info, warn};

use crate::adapters::ledger::{Ledger, LedgerError, Progress};
use crate::app::sink::{Outgoing, Sink, SinkError};
use crier_core::backoff::Backoff;
use crier_core::catalog::{Catalog, Event};
use crier_core::l10n::{Choice, Policy, Wording};
use crier_core::recordings;
use crier_core::render::{self, Message};
use crier_core::routing::{Destination, Router};
use crier_core::schedule::{plan_event, Due, Key, Kind, Memory, Rules, Timeline};

/// The timeline entry of the digest, beside the events.
const DIGEST_ID: &str = "\u{0}digest";

/// How many channels are posted to at once. Discord allows a bot 50 requests a second in all:
/// a second's worth in flight keeps every channel busy without queueing hundreds of requests in
/// serenity's rate limiter.
pub const PARALLEL_CHANNELS: usize = 50;

/// The work of a tick by channel (`None`: the sink's default channel), each channel's in the order
/// planned, channels in the order their first work was planned.
fn by_channel(work: &[Work]) -> Vec<Vec<&Work>> {
    let mut groups: Vec<(Option<u64>, Vec<&Work>)> = Vec::new();
    for item in work {
        let channel = match item {
            Work::Event(d) => d.destination.as_ref().map(|d| d.channel_id),
            Work::Digest(post) => post.destination.as_ref().map(|d| d.channel_id),
        };
        match groups.iter_mut().find(|(c, _)| *c == channel) {
            Some((_, items)) => items.push(item),
            None => groups.push((channel, vec![item])),
        }
    }
    groups.into_iter().map(|(_, items)| items).collect()
}

/// Events planned per transaction: one commit for many rows, yet a bounded hold on the write lock (the
/// feed's and the Events tab's connections wait meanwhile) and a bounded write-ahead log.
pub const BATCH: usize = 1_000;

pub struct Announcer<S> {
    sink: S,
    /// Behind a mutex only so the announcer's thread can borrow it: the run loop is its one user, so
    /// it is never contended.
    core: Arc<Mutex<Core>>,
    /// The announcer's thread; `None` if it could not be started, and then tokio's blocking pool
    /// does its work.
    worker: Option<rayon::ThreadPool>,
    /// With a shared ledger: the lease this process posts under, looked at once more just before
    /// each post (the `sending` row was checked against it; a pause may fall in between).
    fence: Option<crate::adapters::ledger::Fence>,
}

/// The announcer minus its sink: the catalog, the ledger and its mirror, the timeline.
pub struct Core {
    ledger: Ledger,
    memory: Memory,
    /// The recording links the ledger knows, mirrored.
    recordings: recordings::Known,
    /// A batch failed and was rolled back after `memory` and `recordings` took its decisions in:
    /// both are read again from the ledger before anything else is planned.
    stale: bool,
    timeline: Timeline,
    rules: Rules,
    digest: Option<cron::Schedule>,
    digest_zone: chrono_tz::Tz,
    next_digest: Option<DateTime<Utc>>,
    /// The events, sorted and indexed for the commands; the announcer looks them up here too, so
    /// they are held once.
    snapshot: Arc<crate::app::status::Snapshot>,
    /// Problems already logged, so a broken file is reported once per change, not once per rescan.
    logged: HashSet<String>,
    /// Failed sends: attempts so far, per announcement.
    attempts: HashMap<Key, u32>,
    /// The problems of the latest load.
    problems: Vec<crier_core::catalog::Problem>,
    telemetry: Option<Arc<crate::app::telemetry::Telemetry>>,
    /// Which channel (and rules) each event gets.
    router: Router,
    /// Events that no route takes, already logged.
    unroutable: HashSet<String>,
    /// The recurring series of the latest load, for the calendar feed.
    series: Arc<Vec<crier_core::catalog::Series>>,
    /// Every locale's messages, with the organiser's overrides, and which one each post is in.
    wording: Arc<Wording>,
    policy: Policy,
}

/// An event with announcements to send, as a tick planned it.
struct Delivery {
    event: Arc<Event>,
    destination: Option<Destination>,
    /// The event's own announcements, then its recordings'.
    due: Vec<Due>,
    /// When to look again if every send goes through.
    next_check: Option<DateTime<Utc>>,
}

/// A digest to post.
struct DigestPost {
    key: Key,
    fire: DateTime<Utc>,
    message: Message,
    destination: Option<Destination>,
}

enum Work {
    Event(Delivery),
    /// Boxed: a rendered message is several times the size of a delivery.
    Digest(Box<DigestPost>),
}

/// The id and channel of an event's latest posted announcement.
type Posted = (String, Option<u64>);

/// The announcer's own thread: a rayon pool of one, so that the catalog reader's parallel loops run
/// on it too, and everything the core does (parsing the site, building its indexes, SQLite) is done
/// by this one thread. One thread, not tokio's blocking pool with rayon's workers beside it: glibc
/// gives each thread a malloc arena of its own, and a catalog allocated across three arenas, then
/// freed at the next reload, leaves holes there that the next catalog, parsed in other proportions
/// on each, does not fit into; the resident size then climbs with every reload (10,000 events, ten
/// reloads of 100 files: 98 MiB that way, 72 MiB on one thread). A load takes longer on one core,
/// and leaves the other core of a 2-core machine to the commands.
fn worker() -> Option<rayon::ThreadPool> {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "crier-announcer".into())
        .build()
    {
        Ok(pool) => Some(pool),
        Err(e) => {
            warn!(error = %e, "cannot start the announcer's thread; its work goes to the blocking pool");
            None
        }
    }
}

/// Runs `job` on `worker` (else on tokio's blocking pool) and waits for it. A panic there is resumed
/// here, in the run loop, which then ends as if it had panicked itself.
async fn on_worker<T: Send + 'static>(
    worker: Option<&rayon::ThreadPool>,
    job: impl FnOnce() -> T + Send + 'static,
) -> T {
    let job = move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    let done = match worker {
        Some(worker) => {
            let (done, result) = tokio::sync::oneshot::channel();
            worker.spawn(move || {
                // The receiver is gone only when crier is stopping.
                let _ = done.send(job());
            });
            result.await.ok()
        }
        None => tokio::task::spawn_blocking(job).await.ok(),
    };
    match done {
        Some(Ok(value)) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // The job was dropped unrun: the runtime is shutting down and drops this future with it.
        None => std::future::pending().await,
    }
}

fn lock(core: &Mutex<Core>) -> MutexGuard<'_, Core> {
    // A panic in the core is resumed in the run loop (see `blocking`), which then ends: nothing
    // runs on a core left half-way.
    core.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<S: Sink> Announcer<S> {
    /// Reads the ledger's memory here and now (the run loop opens it on the announcer's thread, with
    /// [`Announcer::start`]).
    pub fn new(
        sink: S,
        ledger: Ledger,
        rules: Rules,
        digest: Option<cron::Schedule>,
        digest_zone: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> Result<Self, LedgerError> {
        Ok(Self::from_core(
            sink,
            Core::open(ledger, rules, digest, digest_zone, now)?,
        ))
    }

    /// An announcer around the core `open` gives, which it runs on the announcer's own thread
    /// (opening reads every row of the ledger).
    pub async fn start<E, F>(sink: S, open: F) -> Result<Self, E>
    where
        F: FnOnce() -> Result<Core, E> + Send + 'static,
        E: Send + 'static,
    {
        let worker = worker();
        let core = on_worker(worker.as_ref(), open).await?;
        Ok(Announcer {
            sink,
            core: Arc::new(Mutex::new(core)),
            worker,
            fence: None,
        })
    }

    fn from_core(sink: S, core: Core) -> Self {
        Announcer {
            sink,
            core: Arc::new(Mutex::new(core)),
            worker: worker(),
            fence: None,
        }
    }

    /// Counts sends, failures and skips, and reports the catalog, in `telemetry`.
    pub fn with_telemetry(self, telemetry: Arc<crate::app::telemetry::Telemetry>) -> Self {
        self.core().telemetry = Some(telemetry);
        self
    }

    /// Posts only while `fence` (this process's lease) holds.
    #[must_use]
    pub fn with_fence(mut self, fence: Option<crate::adapters::ledger::Fence>) -> Self {
        self.fence = fence;
        self
    }

    /// Whether a post may go out now: always with one process; with several, while this one's
    /// lease holds by its own clock. A leader paused past its lease (SIGSTOP) wakes up refusing.
    fn may_post(&self) -> Result<(), LedgerError> {
        match &self.fence {
            Some(fence) => fence.check_locally().map(drop),
            None => Ok(()),
        }
    }

    /// Routes events with `router` (the console default sends every event to the sink's own place).
    pub fn with_router(self, router: Router) -> Self {
        self.core().router = router;
        self
    }

    /// Writes posts in the language `policy` chooses, with `wording`'s messages.
    pub fn with_messages(self, wording: Arc<Wording>, policy: Policy) -> Self {
        {
            let mut core = self.core();
            core.wording = wording;
            core.policy = policy;
        }
        self
    }

    /// New override files: posts from now on use them.
    pub fn set_wording(&self, wording: Arc<Wording>) {
        self.core().wording = wording;
    }

    fn core(&self) -> MutexGuard<'_, Core> {
        lock(&self.core)
    }

    /// Runs `f` with the core on the announcer's thread ([`worker`]) and waits for it: what touches
    /// SQLite or walks the whole catalog never holds up a runtime thread (the HTTP listener, signals,
    /// the Events tab sync; the gateway has a thread of its own, see `discord::run_gateway`).
    pub async fn blocking<T, F>(&self, f: F) -> T
    where
        F: FnOnce(&mut Core) -> T + Send + 'static,
        T: Send + 'static,
    {
        let core = self.core.clone();
        on_worker(self.worker.as_ref(), move || f(&mut lock(&core))).await
    }

    /// Replaces the catalog with a fresh load, here and now (the run loop does it on the announcer's
    /// thread, through [`Announcer::blocking`] and [`Core::replace_catalog`]).
    pub fn replace_catalog(&mut self, catalog: Catalog, now: DateTime<Utc>) {
        self.core().replace_catalog(catalog, now);
    }

    /// A snapshot for the slash commands and the health endpoint.
    pub fn status(&self, now: DateTime<Utc>) -> Result<crate::app::status::Status, LedgerError> {
        self.core().status(now)
    }

    /// When something next needs doing.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.core().timeline.next_wake()
    }

    /// Does everything due at `now`: plans the events that need a look and records the decisions (on
    /// the announcer's thread, in batches), then sends. Returns how many announcements were sent.
    ///
    /// Posts to different channels go out side by side, at most [`PARALLEL_CHANNELS`] channels at a
    /// time; within a channel they go one after another, in the order planned (a reminder never
    /// overtakes the "new event" before it). Discord limits each channel on its own, so a slow or
    /// rate-limited channel holds up only its own posts.
    pub async fn tick(&mut self, now: DateTime<Utc>) -> Result<usize, LedgerError> {
        use futures_util::StreamExt;
        let work = self.blocking(move |core| core.plan_due(now)).await?;
        let this = &*self;
        let results: Vec<Result<usize, LedgerError>> =
            futures_util::stream::iter(by_channel(&work))
                .map(|items| this.deliver_in_order(items, now))
                .buffer_unordered(PARALLEL_CHANNELS)
                .collect()
                .await;
        let mut sent = 0;
        let mut failed = None;
        for result in results {
            match result {
                Ok(n) => sent += n,
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        failed.map_or(Ok(sent), Err)
    }

    /// One channel's work, in order. When the ledger fails, this item and the ones after it stay
    /// due, so the next tick (after the ledger recovers) plans them again: nothing is lost.
    async fn deliver_in_order(
        &self,
        items: Vec<&Work>,
        now: DateTime<Utc>,
    ) -> Result<usize, LedgerError> {
        let mut sent = 0;
        for (i, item) in items.iter().enumerate() {
            let result = match item {
                Work::Event(delivery) => self.deliver(delivery, now).await,
                Work::Digest(post) => self.post_digest(post, now).await,
            };
            match result {
                Ok(n) => sent += n,
                Err(e) => {
                    let mut core = self.core();
                    for item in &items[i..] {
                        match item {
                            Work::Event(d) => core.timeline.set(&d.event.id, Some(now)),
                            Work::Digest(post) => core.retry_digest(post.fire, now),
                        }
                    }
                    return Err(e);
                }
            }
        }
        Ok(sent)
    }

    /// Sends one event's due announcements, then sets when it next needs a look.
    async fn deliver(&self, delivery: &Delivery, now: DateTime<Utc>) -> Result<usize, LedgerError> {
        let mut sent = 0;
        let mut retry_at: Option<DateTime<Utc>> = None;
        for due in &delivery.due {
            match self
                .send(&delivery.event, due, delivery.destination.as_ref(), now)
                .await?
            {
                Some(at) => retry_at = Some(retry_at.map_or(at, |r| r.min(at))),
                None => sent += 1,
            }
        }
        let next = [delivery.next_check, retry_at].into_iter().flatten().min();
        self.core().timeline.set(&delivery.event.id, next);
        Ok(sent)
    }

    /// Sends one announcement. Returns when to retry, if it failed and there is time left.
    async fn send(
        &self,
        event: &Arc<Event>,
        due: &Due,
        destination: Option<&Destination>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, LedgerError> {
        let route_locale = destination.and_then(|d| d.locale);
        let (message, previous) = {
            let (event, due) = (event.clone(), due.clone());
            self.blocking(move |core| core.before_send(&event, &due, route_locale, now))
                .await?
        };
        let wording = self.core().wording.clone();
        // The row says `sending`: if the lease is gone now, the successor sends it (same key, same
        // nonce) and this process must not.
        self.may_post()?;
        let result = self
            .sink
            .send(Outgoing {
                key: &due.key,
                message: &message,
                wording: &wording,
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
        let (event, due) = (event.clone(), due.clone());
        let channel = destination.map(|d| d.channel_id);
        self.blocking(move |core| core.after_send(&event, &due, channel, result, now))
            .await
    }

    async fn post_digest(
        &self,
        post: &DigestPost,
        now: DateTime<Utc>,
    ) -> Result<usize, LedgerError> {
        let (key, fire) = (post.key.clone(), post.fire);
        self.blocking(move |core| {
            core.ledger
                .record(&key, fire, Progress::Sending, None, None, now)
        })
        .await?;
        let wording = self.core().wording.clone();
        self.may_post()?;
        let result = self
            .sink
            .send(Outgoing {
                key: &post.key,
                message: &post.message,
                wording: &wording,
                due: post.fire,
                previous_message: None,
                destination: post.destination.as_ref(),
            })
            .await;
        let key = post.key.clone();
        self.blocking(move |core| {
            let sent = match result {
                Ok(id) => {
                    core.ledger
                        .record(&key, fire, Progress::Sent, Some(&id), None, now)?;
                    1
                }
                Err(e) => {
                    error!(error = %e, "digest failed");
                    core.ledger.record(
                        &key,
                        fire,
                        Progress::Failed,
                        None,
                        Some(&e.to_string()),
                        now,
                    )?;
                    0
                }
            };
            core.memory.settled.insert(key);
            Ok(sent)
        })
        .await
    }
}

impl Core {
    /// Reads the ledger's memory: every tracked event and settled announcement.
    pub fn open(
        ledger: Ledger,
        rules: Rules,
        digest: Option<cron::Schedule>,
        digest_zone: chrono_tz::Tz,
        now: DateTime<Utc>,
    ) -> Result<Core, LedgerError> {
        let memory = ledger.load()?;
        let known_recordings = ledger.recordings()?;
        let next_digest = digest
            .as_ref()
            .and_then(|c| c.after(&now.with_timezone(&digest_zone)).next())
            .map(|t| t.with_timezone(&Utc));
        let mut core = Core {
            ledger,
            memory,
            recordings: known_recordings,
            stale: false,
            timeline: Timeline::default(),
            rules,
            digest,
            digest_zone,
            next_digest,
            snapshot: Arc::default(),
            logged: HashSet::new(),
            attempts: HashMap::new(),
            problems: Vec::new(),
            telemetry: None,
            router: Router::fallback(),
            unroutable: HashSet::new(),
            series: Arc::default(),
            wording: Wording::builtin(),
            policy: Policy::default(),
        };
        core.timeline.set(DIGEST_ID, next_digest);
        Ok(core)
    }

    fn count(&self, kind: Kind, result: &str) {
        if let Some(t) = &self.telemetry {
            t.count(kind.name(), result);
        }
    }

    /// Replaces the catalog with a fresh load. A file that now has errors keeps its last good events; an
    /// event disappears only when its file is deleted or parses without it. Changed events get a look now.
    pub fn replace_catalog(&mut self, catalog: Catalog, now: DateTime<Utc>) {
        let Catalog {
            mut events,
            series,
            problems,
            ..
        } = catalog;
        let old = self.snapshot.clone();
        // A file that now has errors keeps its last good events, appended after the fresh ones.
        let fresh = events.len();
        {
            let broken: HashSet<&std::path::Path> = problems
                .iter()
                .filter(|p| p.is_error())
                .map(|p| p.path.as_path())
                .collect();
            events.extend(
                old.events
                    .iter()
                    .filter(|e| broken.contains(e.source.as_path()) && e.source.exists())
                    .cloned(),
            );
        }
        // Each id once. Among the events of one id a kept one comes first, then the fresh ones in
        // the catalog's order, each taking the place of those before it; except that a series' own
        // occurrence never takes the place of a dated file's last good version (a cancellation
        // would be undone). Worked out on indexes, so no event and no id is copied.
        let rank = |i: usize| if i < fresh { i + 1 } else { 0 };
        let mut order: Vec<usize> = (0..events.len()).collect();
        order
            .sort_unstable_by(|&a, &b| events[a].id.cmp(&events[b].id).then(rank(a).cmp(&rank(b))));
        let mut keep = vec![false; events.len()];
        for same_id in order.chunk_by(|&a, &b| events[a].id == events[b].id) {
            let mut taken: Option<usize> = None;
            for &i in same_id {
                let plain_occurrence =
                    i < fresh && events[i].occurrence.as_ref().is_some_and(|o| !o.overridden);
                if !(plain_occurrence && taken.is_some()) {
                    taken = Some(i);
                }
            }
            if let Some(i) = taken {
                keep[i] = true;
            }
        }
        drop(order);
        let mut kept = keep.into_iter();
        events.retain(|_| kept.next().unwrap_or(false));
        let current: HashSet<String> = problems
            .iter()
            .map(std::string::ToString::to_string)
            .collect();
        for problem in &problems {
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
            let errors = problems.iter().filter(|p| p.is_error()).count();
            t.set_catalog(events.len(), errors, problems.len() - errors);
        }
        self.problems = problems;
        // Replaced only when it changed: the feed is rebuilt when this pointer changes.
        if *self.series != series {
            self.series = Arc::new(series);
        }
        // The new snapshot takes the events as they are (moved, not copied): while a reload runs,
        // the old snapshot, which the commands may still be reading, and this one are the only two
        // catalogs alive.
        let next = crate::app::status::Snapshot::new(events);
        let mut changed = false;
        for event in &next.events {
            if old.get(&event.id) != Some(event) {
                self.timeline.set(&event.id, Some(now));
                changed = true;
            }
        }
        for event in &old.events {
            if next.get(&event.id).is_none() {
                info!(event = %event.id, "event removed; its pending announcements are dropped");
                self.timeline.set(&event.id, None);
                changed = true;
            }
        }
        // Replaced only when something changed: a rescan that finds the same files leaves the
        // commands' indexes, and the Events tab sync, alone.
        if changed {
            self.snapshot = Arc::new(next);
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
            wording: self.wording.clone(),
            policy: self.policy,
        })
    }

    /// Plans everything due at `now` and records the decisions, [`BATCH`] events per transaction.
    /// Returns what is to be sent. On a ledger error every event taken stays due (the next tick
    /// plans them again), and what a rolled-back batch decided is forgotten.
    fn plan_due(&mut self, now: DateTime<Utc>) -> Result<Vec<Work>, LedgerError> {
        if self.stale {
            self.memory = self.ledger.load()?;
            self.recordings = self.ledger.recordings()?;
            self.stale = false;
        }
        let due = self.timeline.take_due(now);
        let next_digest = self.next_digest;
        let mut work = Vec::new();
        // The keys this tick sends: a series' "new" is keyed by the series, so two of its
        // occurrences planned together must not both send it.
        let mut sending: HashSet<Key> = HashSet::new();
        for chunk in due.chunks(BATCH) {
            let result = self.ledger.begin().and_then(|()| {
                for id in chunk {
                    if id == DIGEST_ID {
                        work.extend(
                            self.plan_digest(now)
                                .map(|post| Work::Digest(Box::new(post))),
                        );
                    } else if let Some(delivery) = self.plan_one(id, now, &mut sending)? {
                        work.push(Work::Event(delivery));
                    }
                }
                self.ledger.commit()
            });
            if let Err(e) = result {
                self.ledger.rollback();
                self.stale = true;
                self.next_digest = next_digest;
                for id in &due {
                    self.timeline.set(id, Some(now));
                }
                return Err(e);
            }
        }
        Ok(work)
    }

    /// Plans one event and records the decisions (in the caller's transaction); returns what it
    /// has to send, if anything.
    fn plan_one(
        &mut self,
        id: &str,
        now: DateTime<Utc>,
        sending: &mut HashSet<Key>,
    ) -> Result<Option<Delivery>, LedgerError> {
        let snapshot = self.snapshot.clone();
        let Some(event) = snapshot.get(id) else {
            return Ok(None);
        };
        let Some(routed) = self.router.route(event, &self.rules) else {
            if self.unroutable.insert(event.id.clone()) {
                warn!(event = %event.id, file = %event.source.display(), "no route takes this event and `discord.channel_id` is not set: it is listed, never announced");
            }
            self.timeline.set(&event.id, None);
            return Ok(None);
        };
        self.unroutable.remove(&event.id);
        self.carry_over_identity(event)?;
        let mut plan = plan_event(event, &self.memory, &routed.rules, now);
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
        let found = recordings::plan_announcements(
            event,
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
        let next_check = [plan.next_check, found.next_check]
            .into_iter()
            .flatten()
            .min();
        let due: Vec<Due> = plan
            .due
            .into_iter()
            .chain(recordings_due)
            .filter(|due| sending.insert(due.key.clone()))
            .collect();
        if due.is_empty() {
            self.timeline.set(&event.id, next_check);
            return Ok(None);
        }
        Ok(Some(Delivery {
            event: Arc::new(event.clone()),
            destination: routed.destination,
            due,
            next_check,
        }))
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
            .find(|old| old != &event.id && self.snapshot.get(old).is_none());
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

    /// Renders an announcement and records it as `sending`, before the sink is called. Gives the
    /// message, and the earlier announcement a move or a cancellation updates.
    fn before_send(
        &mut self,
        event: &Event,
        due: &Due,
        route_locale: Option<Choice>,
        now: DateTime<Utc>,
    ) -> Result<(Message, Option<Posted>), LedgerError> {
        let locale = self
            .policy
            .for_event(event.language.as_deref(), route_locale);
        let texts = self.wording.texts(locale);
        let message = render::announcement(event, due.key.kind, due.previous_start, now, &texts);
        let previous = match due.key.kind {
            Kind::Rescheduled | Kind::Cancelled => self.ledger.latest_message(&event.id)?,
            _ => None,
        };
        self.ledger
            .record(&due.key, due.due, Progress::Sending, None, None, now)?;
        Ok((message, previous))
    }

    /// Records what the sink answered. Returns when to retry, if it failed and there is time left.
    fn after_send(
        &mut self,
        event: &Event,
        due: &Due,
        channel: Option<u64>,
        result: Result<String, SinkError>,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, LedgerError> {
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
                if let Some(channel) = channel {
                    self.ledger.set_channel(&due.key, channel)?;
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

    /// The digest due now, if not posted yet; moves the next one on.
    fn plan_digest(&mut self, now: DateTime<Utc>) -> Option<DigestPost> {
        let fire = self.next_digest?;
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
            return None;
        }
        // The snapshot is sorted by start: the first ten upcoming are the soonest.
        let upcoming: Vec<&Event> = self
            .snapshot
            .events
            .iter()
            .filter(|e| !e.cancelled && e.start > now)
            .take(10)
            .collect();
        let destination = self.router.routes.default_destination().cloned();
        let locale = self
            .policy
            .server(destination.as_ref().and_then(|d| d.locale));
        Some(DigestPost {
            message: render::digest(&upcoming, now, &self.wording.texts(locale)),
            key,
            fire,
            destination,
        })
    }

    /// A digest whose post could not be recorded: it is due again, for the same time.
    fn retry_digest(&mut self, fire: DateTime<Utc>, now: DateTime<Utc>) {
        self.next_digest = Some(fire);
        self.timeline.set(DIGEST_ID, Some(now));
    }
}

/// 1s, 2s, 4s, ... at most 5 minutes, for the `attempt`-th failed send of one announcement (the
/// attempts are counted per announcement, so a flaky channel never slows another's retries).
fn backoff(attempt: u32) -> Duration {
    const SEND: Backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    SEND.delay_for(attempt)
}
