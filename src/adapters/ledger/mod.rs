//! The record of what was announced, so nothing is posted twice across restarts and crashes.
//!
//! Each announcement is a row keyed by (event, kind, start) that moves through `planned` → `sending` →
//! `sent` (with the sink's message id), or to `skipped` / `failed` with a reason. `sending` is written
//! before the sink is called: a row left in `sending` by a crash is sent again, with the same key (the
//! Discord sink derives its nonce from it, so Discord drops the duplicate). The announcer's
//! bookkeeping for many events at once (the first start's baselines, a reload that re-plans
//! thousands) is written in batches ([`Ledger::begin`]), one transaction for many rows rather than
//! one commit per row.
//!
//! Two backends keep the same rows with the same rules:
//!
//! - `sqlite.rs`: `state_dir/ledger.sqlite3`, the default; one process (the state folder's lock file
//!   keeps a second one out).
//! - `postgres.rs`: a PostgreSQL server (`ledger.url`), when several crier processes share one
//!   ledger (machines in turn, one leading through the lease of `lease.rs`) or one process runs
//!   many sites. One pool of connections ([`Store`]) serves every site's handles.
//!
//! A [`Store`] is made once per process from the configuration; [`Store::open`] gives one site's
//! [`Ledger`], the façade every caller uses. The façade writes each rule once (what `load` reads,
//! that a `sent` row marks its event announced, the fence before `sending`); a private `Backend`
//! trait carries the SQL, once per backend.
//!
//! Every method blocks on I/O. The PostgreSQL client even panics when called on a thread that runs a
//! tokio runtime, so ledger work happens on the announcer's thread or in `spawn_blocking`, never
//! directly in async code.

mod lease;
mod postgres;
mod sqlite;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::LedgerConfig;
use crier_core::schedule::{Key, Kind, Memory, Tracked};

pub use self::postgres::POOL_SIZE;
pub use lease::{Fence, Leadership, Lease, LEASE_SAFETY_MARGIN};

/// Where an announcement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Planned,
    Sending,
    Sent,
    Skipped,
    Failed,
}

impl Progress {
    fn as_str(self) -> &'static str {
        match self {
            Progress::Planned => "planned",
            Progress::Sending => "sending",
            Progress::Sent => "sent",
            Progress::Skipped => "skipped",
            Progress::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<Progress> {
        Some(match text {
            "planned" => Progress::Planned,
            "sending" => Progress::Sending,
            "sent" => Progress::Sent,
            "skipped" => Progress::Skipped,
            "failed" => Progress::Failed,
            _ => return None,
        })
    }

    /// Settled announcements are never reconsidered.
    pub fn is_settled(self) -> bool {
        matches!(self, Progress::Sent | Progress::Skipped | Progress::Failed)
    }
}

/// One row of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: Key,
    pub due: DateTime<Utc>,
    pub status: Progress,
    pub message_id: Option<String>,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
    pub attempts: u32,
    pub updated_at: DateTime<Utc>,
    /// The channel it was posted in, when routed (schema 4 on).
    pub channel: Option<u64>,
}

/// Why the ledger cannot be read or written. No variant carries the database password: the URL
/// never holds one, and the password file's contents are never part of a message.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "cannot create the state folder {path}: {source}; check `state_dir` and its permissions"
    )]
    StateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `ledger` is the SQLite file or the PostgreSQL URL.
    #[error("the ledger {ledger} was written by a newer crier (schema {found}; this one knows {known}); upgrade crier, or restore the backup taken before the upgrade")]
    Newer {
        ledger: String,
        found: i64,
        known: i64,
    },
    #[error("the ledger database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the ledger database {url}: {source}")]
    Postgres {
        url: String,
        source: ::postgres::Error,
    },
    #[error("no connection to the ledger database {url} came free or could be made within {wait:?}: {source}")]
    Pool {
        url: String,
        wait: Duration,
        source: r2d2_postgres::r2d2::Error,
    },
    /// The password file cannot be used (the message names the file, never what it holds).
    #[error("the ledger database {url}: {message}")]
    Password { url: String, message: String },
    /// `ledger.url` cannot be used as it is (the message never quotes a password).
    #[error("the ledger database {url}: {message}")]
    Url { url: String, message: String },
    /// A batch in which a write failed: PostgreSQL has rolled all of it back.
    #[error("the ledger database {url}: a write in this batch failed, so none of the batch was kept: {message}")]
    Aborted { url: String, message: String },
    /// `sending` was refused: this process no longer leads.
    #[error("the leader lease was lost to another process (or ran out): this process led as `{holder}` in epoch {epoch}, so it sends nothing more until it leads again")]
    Fenced { holder: String, epoch: i64 },
    #[error("the leader lease needs a PostgreSQL ledger (`ledger.url`); a SQLite ledger has one process, kept alone by the state folder's lock file")]
    NoLease,
}

/// The ledger as a process reaches it: made once from the configuration, cheap to clone, and
/// shared by every site's handles ([`Store::open`]). For PostgreSQL it holds the connection pool
/// (at most [`POOL_SIZE`] connections, whatever the number of sites); for SQLite, the state folder.
#[derive(Clone)]
pub struct Store {
    kind: StoreKind,
}

#[derive(Clone)]
enum StoreKind {
    Sqlite(PathBuf),
    Postgres(postgres::PgStore),
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("ledger", &self.describe())
            .finish()
    }
}

impl Store {
    /// The configured ledger. For PostgreSQL this reads the password file, connects once (a wrong
    /// address or password is an error here, at start, not at the first announcement), brings the
    /// schema up to date, and makes the pool; it blocks, so call it before the runtime starts or
    /// in `spawn_blocking`. For SQLite nothing is opened until [`Store::open`].
    pub fn connect(config: &LedgerConfig) -> Result<Store, LedgerError> {
        let kind = match &config.postgres {
            None => StoreKind::Sqlite(config.state_dir.clone()),
            Some(pg) => StoreKind::Postgres(postgres::PgStore::connect(pg)?),
        };
        Ok(Store { kind })
    }

    /// The ledger as logs name it: the SQLite file, or the server's URL (which holds no secret).
    pub fn describe(&self) -> String {
        match &self.kind {
            StoreKind::Sqlite(dir) => sqlite::file(dir).display().to_string(),
            StoreKind::Postgres(pg) => pg.url().to_string(),
        }
    }

    /// Whether several processes may share this ledger, one leading through the lease
    /// ([`Store::try_lead`]): PostgreSQL's.
    pub fn is_shared(&self) -> bool {
        matches!(self.kind, StoreKind::Postgres(_))
    }

    /// One site's ledger. For SQLite this opens the file (and migrates it); for PostgreSQL it only
    /// takes a handle on the pool, without I/O.
    pub fn open(&self, site: &str) -> Result<Ledger, LedgerError> {
        let backend: Box<dyn Backend> = match &self.kind {
            StoreKind::Sqlite(dir) => Box::new(sqlite::SqliteLedger::open(dir, site)?),
            StoreKind::Postgres(pg) => Box::new(pg.ledger(site)),
        };
        Ok(Ledger {
            backend,
            site: site.to_string(),
            fence: None,
        })
    }

    /// One site's ledger that writes `sending` only while `fence` leads (see [`Ledger::set_fence`]).
    pub fn open_fenced(&self, site: &str, fence: &Fence) -> Result<Ledger, LedgerError> {
        let mut ledger = self.open(site)?;
        ledger.set_fence(Some(fence.clone()));
        Ok(ledger)
    }

    /// Takes the leader lease for `lease` if it is free or ran out (by the database's clock), with
    /// a new epoch; or extends it, same epoch, if `holder` holds it already. `None`: another
    /// process leads. `holder` names this process (host and process id, say): two processes must
    /// never share one.
    pub fn try_lead(
        &self,
        holder: &str,
        lease: Duration,
    ) -> Result<Option<Leadership>, LedgerError> {
        self.postgres()?.try_lead(holder, lease)
    }

    /// Extends `current` for `lease` from now. `None`: it was lost (it ran out, or another process
    /// took it); stop sending, and clear every [`Fence`] made from it.
    pub fn renew(
        &self,
        current: &Leadership,
        lease: Duration,
    ) -> Result<Option<Leadership>, LedgerError> {
        self.postgres()?.renew(current, lease)
    }

    /// Ends `current` at once (a clean shutdown), so a standby takes over without waiting for it
    /// to run out. Nothing happens if it was lost already.
    pub fn resign(&self, current: &Leadership) -> Result<(), LedgerError> {
        self.postgres()?.resign(current)
    }

    /// The lease as the database has it (it may have run out), for status pages.
    pub fn leader(&self) -> Result<Option<Lease>, LedgerError> {
        self.postgres()?.leader()
    }

    fn postgres(&self) -> Result<&postgres::PgStore, LedgerError> {
        match &self.kind {
            StoreKind::Postgres(pg) => Ok(pg),
            StoreKind::Sqlite(_) => Err(LedgerError::NoLease),
        }
    }
}

/// One announcement's change of status, as [`Ledger::record`] is given it.
struct Change<'a> {
    key: &'a Key,
    due: DateTime<Utc>,
    status: Progress,
    message_id: Option<&'a str>,
    detail: Option<&'a str>,
    now: DateTime<Utc>,
}

impl Change<'_> {
    /// What one write adds to `attempts`: each `sending` is one more try.
    fn attempts(&self) -> i64 {
        i64::from(self.status == Progress::Sending)
    }
}

/// The SQL of one backend, for the rows of the site it was opened for. Each method is one write or
/// read of [`Ledger`]'s; the rules that do not depend on the database are the façade's.
trait Backend: Send {
    /// Whether the site has any row at all.
    fn is_empty(&self) -> Result<bool, LedgerError>;
    /// Moves every row of site `from` to this one, atomically; whether there was any.
    fn take_rows(&self, from: &str) -> Result<bool, LedgerError>;
    fn begin(&self) -> Result<(), LedgerError>;
    fn commit(&self) -> Result<(), LedgerError>;
    fn rollback(&self);
    /// Every tracked event: identity, start (Unix seconds), announced.
    fn tracked(&self) -> Result<Vec<(String, i64, bool)>, LedgerError>;
    fn track(&self, event_id: &str, source: &str, start: i64, now: &str)
        -> Result<(), LedgerError>;
    fn set_source(&self, event_id: &str, source: &str) -> Result<(), LedgerError>;
    fn tracked_from(&self, source: &str) -> Result<Vec<String>, LedgerError>;
    fn rename(&self, from: &str, to: &str) -> Result<(), LedgerError>;
    fn recordings(&self) -> Result<crier_core::recordings::Known, LedgerError>;
    fn record_recordings(
        &self,
        event_id: &str,
        plan: &crier_core::recordings::Plan,
        now: &str,
    ) -> Result<(), LedgerError>;
    fn scheduled_events(&self) -> Result<Vec<crier_core::events_tab::Recorded>, LedgerError>;
    fn put_scheduled_event(
        &self,
        record: &crier_core::events_tab::Recorded,
        now: &str,
    ) -> Result<(), LedgerError>;
    fn forget_scheduled_event(&self, event_id: &str) -> Result<(), LedgerError>;
    /// Writes a change; with `fence` (holder, epoch), only in a transaction that finds the lease
    /// still theirs and running ([`LedgerError::Fenced`] otherwise, nothing written).
    fn record(&self, change: &Change<'_>, fence: Option<(&str, i64)>) -> Result<(), LedgerError>;
    fn get(&self, key: &Key) -> Result<Option<Entry>, LedgerError>;
    fn latest_message(&self, event_id: &str) -> Result<Option<(String, Option<u64>)>, LedgerError>;
    fn set_channel(&self, key: &Key, channel: u64) -> Result<(), LedgerError>;
    fn mark_announced(&self, event_id: &str) -> Result<(), LedgerError>;
    fn feed_sequences(
        &mut self,
        fingerprints: &[(String, String)],
    ) -> Result<HashMap<String, u32>, LedgerError>;
    fn records(&self, limit: Option<usize>) -> Result<Vec<Entry>, LedgerError>;
    /// The file or the URL, for logs.
    fn describe(&self) -> String;
}

/// One site's view of the ledger: every read and write is of that site's rows.
pub struct Ledger {
    backend: Box<dyn Backend>,
    /// The site whose rows this handle reads and writes ([`crate::config::SiteConfig::key`]).
    site: String,
    /// The leadership `sending` is written under, when several processes share the ledger.
    fence: Option<Fence>,
}

impl Ledger {
    /// Opens the configured ledger, for the rows of `site`: a one-shot command's way. A process
    /// that opens several handles makes one [`Store`] and opens them from it (one pool for all).
    pub fn open(config: &LedgerConfig, site: &str) -> Result<Ledger, LedgerError> {
        Store::connect(config)?.open(site)
    }

    /// Opens (creating) `state_dir/ledger.sqlite3`, for the rows of `site`.
    pub fn open_sqlite(state_dir: &Path, site: &str) -> Result<Ledger, LedgerError> {
        Ok(Ledger {
            backend: Box::new(sqlite::SqliteLedger::open(state_dir, site)?),
            site: site.to_string(),
            fence: None,
        })
    }

    /// The ledger as logs name it: the SQLite file, or the server's URL.
    pub fn describe(&self) -> String {
        self.backend.describe()
    }

    /// The site whose rows this handle reads and writes.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// Writes `sending` only under `fence`'s leadership from now on (`None`: unfenced). A fenced
    /// `sending` is refused ([`LedgerError::Fenced`]) without touching the database once the
    /// leadership's `valid_until` has passed or it was cleared; on PostgreSQL it is also checked,
    /// in the transaction that writes the row, against the lease table, so a process that was
    /// paused past its lease writes nothing after its successor took over. A SQLite ledger has no
    /// lease table: only the local check applies (its lock file keeps a second process out).
    pub fn set_fence(&mut self, fence: Option<Fence>) {
        self.fence = fence;
    }

    /// Whether the site has any row at all.
    pub fn is_empty(&self) -> Result<bool, LedgerError> {
        self.backend.is_empty()
    }

    /// Gives this site the rows of `from` (a site that no longer exists), in one transaction, if it
    /// has none of its own: the one site of a configuration without `[[sites]]` keeps its ledger when
    /// it moves under `[[sites]]` with a name. Returns whether it did.
    pub fn adopt(&self, from: &str) -> Result<bool, LedgerError> {
        if from == self.site || !self.is_empty()? {
            return Ok(false);
        }
        self.backend.take_rows(from)
    }

    /// Starts a batch: every write until [`Ledger::commit`] is one transaction, committed together or
    /// (after [`Ledger::rollback`]) not at all; for many rows, one commit instead of one per row.
    /// The write lock is taken at once (SQLite's `BEGIN IMMEDIATE`), so a batch that reads before
    /// it writes never fails half-way because another connection wrote in between; on PostgreSQL
    /// the batch holds one pooled connection until it ends.
    pub fn begin(&self) -> Result<(), LedgerError> {
        self.backend.begin()
    }

    /// Commits the batch [`Ledger::begin`] started.
    pub fn commit(&self) -> Result<(), LedgerError> {
        self.backend.commit()
    }

    /// Drops the batch [`Ledger::begin`] started, if it is still open (a failed COMMIT, a full disk,
    /// may have ended it already).
    pub fn rollback(&self) {
        self.backend.rollback();
    }

    /// Everything the planner needs, read once at start.
    pub fn load(&self) -> Result<Memory, LedgerError> {
        let mut memory = Memory::default();
        for (id, start, announced) in self.backend.tracked()? {
            if let Some(start) = DateTime::from_timestamp(start, 0) {
                memory.tracked.insert(id, Tracked { start, announced });
            }
        }
        for record in self.records(None)? {
            if record.status.is_settled() {
                memory.settled.insert(record.key);
            }
        }
        Ok(memory)
    }

    /// Tracks an event at a start (first sight, or a move), read from `source`.
    pub fn track(
        &self,
        event_id: &str,
        source: &Path,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.backend.track(
            event_id,
            &source.to_string_lossy(),
            start.timestamp(),
            &now.to_rfc3339(),
        )
    }

    /// Records that an already tracked event was read from `source` (a postponed event's renamed file).
    pub fn set_source(&self, event_id: &str, source: &Path) -> Result<(), LedgerError> {
        self.backend.set_source(event_id, &source.to_string_lossy())
    }

    /// The tracked events last read from `source`.
    pub fn tracked_from(&self, source: &Path) -> Result<Vec<String>, LedgerError> {
        self.backend.tracked_from(&source.to_string_lossy())
    }

    /// Gives an event a new identity, with everything recorded for it, in one transaction: a crash
    /// leaves either the old identity or the new one, never half of each.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), LedgerError> {
        self.backend.rename(from, to)
    }

    /// Everything known about recordings, read once at start.
    pub fn recordings(&self) -> Result<crier_core::recordings::Known, LedgerError> {
        self.backend.recordings()
    }

    /// Records a recordings plan in one transaction: the first look's known links, and new links to
    /// announce (written before the announcement is sent, so a crash cannot forget one).
    pub fn record_recordings(
        &self,
        event_id: &str,
        plan: &crier_core::recordings::Plan,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        if plan.baseline.is_none() && plan.new.is_empty() {
            return Ok(());
        }
        self.backend
            .record_recordings(event_id, plan, &now.to_rfc3339())
    }

    /// The scheduled events kept for events (the Events tab sync's records).
    pub fn scheduled_events(&self) -> Result<Vec<crier_core::events_tab::Recorded>, LedgerError> {
        self.backend.scheduled_events()
    }

    /// Writes the record of an event's scheduled event.
    pub fn put_scheduled_event(
        &self,
        record: &crier_core::events_tab::Recorded,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.backend.put_scheduled_event(record, &now.to_rfc3339())
    }

    /// Forgets the record of an event's scheduled event.
    pub fn forget_scheduled_event(&self, event_id: &str) -> Result<(), LedgerError> {
        self.backend.forget_scheduled_event(event_id)
    }

    /// Records a status change of one announcement. On a fenced ledger ([`Ledger::set_fence`]),
    /// `sending` (the promise to post) is written only while this process leads.
    pub fn record(
        &self,
        key: &Key,
        due: DateTime<Utc>,
        status: Progress,
        message_id: Option<&str>,
        detail: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let fence = match (&self.fence, status) {
            (Some(fence), Progress::Sending) => Some(fence.check_locally()?),
            _ => None,
        };
        let change = Change {
            key,
            due,
            status,
            message_id,
            detail,
            now,
        };
        self.backend.record(
            &change,
            fence
                .as_ref()
                .map(|(holder, epoch)| (holder.as_str(), *epoch)),
        )?;
        if status == Progress::Sent {
            self.backend.mark_announced(&key.event_id)?;
        }
        Ok(())
    }

    /// One announcement's row.
    pub fn get(&self, key: &Key) -> Result<Option<Entry>, LedgerError> {
        self.backend.get(key)
    }

    /// The platform id of the event's most recent posted announcement, and its channel when known.
    pub fn latest_message(
        &self,
        event_id: &str,
    ) -> Result<Option<(String, Option<u64>)>, LedgerError> {
        self.backend.latest_message(event_id)
    }

    /// Records the channel a sent announcement was posted in.
    pub fn set_channel(&self, key: &Key, channel: u64) -> Result<(), LedgerError> {
        self.backend.set_channel(key, channel)
    }

    /// Marks an event as announced, so that its move or cancellation gets a notice: on each sent
    /// record, and for an occurrence whose series' "new" (a record of the series) was posted for it.
    pub fn mark_announced(&self, event_id: &str) -> Result<(), LedgerError> {
        self.backend.mark_announced(event_id)
    }

    /// The count the calendar feed adds to each event's `SEQUENCE` (see `feed::build_in`), raised by
    /// one whenever the event's `fingerprint` (its start, end, status and rule) differs from the one
    /// recorded. Events seen for the first time start at 0. One transaction for the whole feed.
    pub fn feed_sequences(
        &mut self,
        fingerprints: &[(String, String)],
    ) -> Result<HashMap<String, u32>, LedgerError> {
        self.backend.feed_sequences(fingerprints)
    }

    /// All rows (or the `limit` most recently updated), most recent first.
    pub fn records(&self, limit: Option<usize>) -> Result<Vec<Entry>, LedgerError> {
        self.backend.records(limit)
    }
}

/// The schema this build writes, in either backend (SQLite's `PRAGMA user_version`, PostgreSQL's
/// `crier_schema`). Each later version adds a migration step to both.
const SCHEMA_VERSION: i64 = 5;

/// The tables that hold a site's rows, each with an `event_id` column. A rename carries the first
/// five: the feed's SEQUENCE follows its UID, which is made from the identity.
const SITE_TABLES: [&str; 6] = [
    "events",
    "announcements",
    "recording_baselines",
    "recordings",
    "scheduled_events",
    "feed_sequences",
];

/// The columns of `announcements` that [`entry`] reads, in its order.
const SELECT: &str = "SELECT event_id, kind, start, due, status, message_id, detail, attempts, updated_at, channel FROM announcements";

/// One `announcements` row as both backends read it ([`SELECT`]'s columns).
struct RawEntry {
    event_id: String,
    kind: String,
    start: i64,
    due: i64,
    status: String,
    message_id: Option<String>,
    detail: Option<String>,
    attempts: i64,
    updated_at: String,
    channel: Option<String>,
}

/// A row, or `None` for a row this version cannot read (written by a newer crier): skipped, not fatal.
fn entry(raw: RawEntry) -> Option<Entry> {
    let (Some(kind), Some(status), Some(start), Some(due), Ok(updated_at)) = (
        Kind::from_key(&raw.kind),
        Progress::parse(&raw.status),
        DateTime::from_timestamp(raw.start, 0),
        DateTime::from_timestamp(raw.due, 0),
        DateTime::parse_from_rfc3339(&raw.updated_at),
    ) else {
        return None;
    };
    Some(Entry {
        key: Key {
            event_id: raw.event_id,
            kind,
            start,
        },
        due,
        status,
        message_id: raw.message_id,
        detail: raw.detail,
        attempts: u32::try_from(raw.attempts).unwrap_or(0),
        updated_at: updated_at.with_timezone(&Utc),
        channel: raw.channel.and_then(|c| c.parse().ok()),
    })
}

/// A `scheduled_events` row, or `None` for a state this version does not know (a newer crier's),
/// which is left alone.
fn scheduled(
    event_id: String,
    discord_id: Option<String>,
    state: &str,
    fingerprint: String,
    start: i64,
) -> Option<crier_core::events_tab::Recorded> {
    Some(crier_core::events_tab::Recorded {
        event_id,
        discord_id,
        state: crier_core::events_tab::State::parse(state)?,
        fingerprint,
        start: DateTime::from_timestamp(start, 0)?,
    })
}

/// The next `SEQUENCE` count of an event whose recorded fingerprint and count are `known`, and
/// whether it is to be written.
fn next_sequence(known: Option<(&str, u32)>, fingerprint: &str) -> (u32, bool) {
    match known {
        Some((old, sequence)) if old == fingerprint => (sequence, false),
        Some((_, sequence)) => (sequence.saturating_add(1), true),
        None => (0, true),
    }
}
