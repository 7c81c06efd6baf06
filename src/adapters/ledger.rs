//! The SQLite record of what was announced, so nothing is posted twice across restarts and crashes.
//!
//! Each announcement is a row keyed by (event, kind, start) that moves through `planned` → `sending` →
//! `sent` (with the sink's message id), or to `skipped` / `failed` with a reason. `sending` is written
//! before the sink is called: a row left in `sending` by a crash is sent again, with the same key (the
//! Discord sink derives its nonce from it, so Discord drops the duplicate). WAL mode keeps each write a
//! single append; the announcer's bookkeeping for many events at once (the first start's baselines, a
//! reload that re-plans thousands) is written in batches ([`Ledger::begin`]), one transaction for
//! many rows rather than one commit per row.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use crier_core::schedule::{Key, Kind, Memory, Tracked};

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

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "cannot create the state folder {path}: {source}; check `state_dir` and its permissions"
    )]
    StateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the ledger {path} was written by a newer crier (schema {found}; this one knows {known}); upgrade crier, or restore the backup taken before the upgrade")]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "the ledger {0}: this build of crier keeps its ledger in SQLite only; remove `ledger.url`"
    )]
    Unsupported(String),
    #[error("the ledger database {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// One site's view of the ledger: every read and write is of that site's rows.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    /// The site whose rows this handle reads and writes ([`crate::config::SiteConfig::key`]).
    site: String,
}

/// The schema this build writes (`PRAGMA user_version`). Each later version adds a migration step in
/// [`Ledger::open`]; a ledger written by a newer crier is refused rather than misread.
const SCHEMA_VERSION: i64 = 5;

/// Version 1.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    event_id   TEXT PRIMARY KEY,
    start      INTEGER NOT NULL,
    announced  INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS announcements (
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    due        INTEGER NOT NULL,
    status     TEXT NOT NULL,
    message_id TEXT,
    detail     TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event_id, kind, start)
);
CREATE INDEX IF NOT EXISTS announcements_updated ON announcements (updated_at);
";

/// Version 2: the file each event was last read from, so an identity that changes with the data (a
/// `register` link that another file starts to share) is carried over instead of announced anew.
const SCHEMA_2: &str = "
ALTER TABLE events ADD COLUMN source TEXT;
CREATE INDEX IF NOT EXISTS events_source ON events (source);
";

/// Version 3: recordings crier has seen (so each is announced once, and those that were there the first
/// time an event was seen never), and the Discord scheduled event kept for each event.
const SCHEMA_3: &str = "
CREATE TABLE IF NOT EXISTS recording_baselines (
    event_id TEXT PRIMARY KEY,
    taken_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recordings (
    event_id   TEXT NOT NULL,
    url        TEXT NOT NULL,
    announce   INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (event_id, url)
);
CREATE TABLE IF NOT EXISTS scheduled_events (
    event_id    TEXT PRIMARY KEY,
    discord_id  TEXT,
    state       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    start       INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
";

/// Version 4: the channel each announcement was posted in (routes send events to different channels,
/// and a later edit must find the message where it is), and the calendar feed's `SEQUENCE` per event.
const SCHEMA_4: &str = "
ALTER TABLE announcements ADD COLUMN channel TEXT;
CREATE TABLE IF NOT EXISTS feed_sequences (
    event_id    TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    sequence    INTEGER NOT NULL
);
";

/// Version 5: every row belongs to a site (`[[sites]]`), so that one ledger holds every site's rows.
/// The rows written before are the one site's of a configuration without `[[sites]]`, whose name is
/// [`crate::config::DEFAULT_SITE`]. SQLite cannot change a primary key in place: each table is
/// copied into its new shape.
const SCHEMA_5: &str = "
CREATE TABLE events_5 (
    site       TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    start      INTEGER NOT NULL,
    announced  INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    source     TEXT,
    PRIMARY KEY (site, event_id)
);
INSERT INTO events_5 SELECT 'default', event_id, start, announced, first_seen, source FROM events;
DROP TABLE events;
ALTER TABLE events_5 RENAME TO events;
CREATE INDEX events_source ON events (site, source);
CREATE TABLE announcements_5 (
    site       TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    due        INTEGER NOT NULL,
    status     TEXT NOT NULL,
    message_id TEXT,
    detail     TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    channel    TEXT,
    PRIMARY KEY (site, event_id, kind, start)
);
INSERT INTO announcements_5 SELECT 'default', event_id, kind, start, due, status, message_id, detail,
    attempts, updated_at, channel FROM announcements;
DROP TABLE announcements;
ALTER TABLE announcements_5 RENAME TO announcements;
CREATE INDEX announcements_updated ON announcements (site, updated_at);
CREATE TABLE recording_baselines_5 (
    site     TEXT NOT NULL,
    event_id TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    PRIMARY KEY (site, event_id)
);
INSERT INTO recording_baselines_5 SELECT 'default', event_id, taken_at FROM recording_baselines;
DROP TABLE recording_baselines;
ALTER TABLE recording_baselines_5 RENAME TO recording_baselines;
CREATE TABLE recordings_5 (
    site       TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    url        TEXT NOT NULL,
    announce   INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (site, event_id, url)
);
INSERT INTO recordings_5 SELECT 'default', event_id, url, announce, first_seen FROM recordings;
DROP TABLE recordings;
ALTER TABLE recordings_5 RENAME TO recordings;
CREATE TABLE scheduled_events_5 (
    site        TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    discord_id  TEXT,
    state       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    start       INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (site, event_id)
);
INSERT INTO scheduled_events_5 SELECT 'default', event_id, discord_id, state, fingerprint, start,
    updated_at FROM scheduled_events;
DROP TABLE scheduled_events;
ALTER TABLE scheduled_events_5 RENAME TO scheduled_events;
CREATE TABLE feed_sequences_5 (
    site        TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    sequence    INTEGER NOT NULL,
    PRIMARY KEY (site, event_id)
);
INSERT INTO feed_sequences_5 SELECT 'default', event_id, fingerprint, sequence FROM feed_sequences;
DROP TABLE feed_sequences;
ALTER TABLE feed_sequences_5 RENAME TO feed_sequences;
";

/// The tables that hold a site's rows, each with an `event_id` column.
const SITE_TABLES: [&str; 6] = [
    "events",
    "announcements",
    "recording_baselines",
    "recordings",
    "scheduled_events",
    "feed_sequences",
];

impl Ledger {
    /// Opens the configured ledger, for the rows of `site`.
    pub fn open(config: &crate::config::LedgerConfig, site: &str) -> Result<Ledger, LedgerError> {
        match &config.postgres {
            None => Ledger::open_sqlite(&config.state_dir, site),
            Some(pg) => Err(LedgerError::Unsupported(pg.url.clone())),
        }
    }

    /// Opens (creating) `state_dir/ledger.sqlite3`, for the rows of `site`.
    pub fn open_sqlite(state_dir: &Path, site: &str) -> Result<Ledger, LedgerError> {
        fs::create_dir_all(state_dir).map_err(|source| LedgerError::StateDir {
            path: state_dir.to_path_buf(),
            source,
        })?;
        let path = state_dir.join("ledger.sqlite3");
        let sqlite = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(sqlite)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        // NORMAL in WAL mode: every commit survives a process crash (kill -9), which is what the
        // exactly-once rules are about; a power cut may lose the last commits, and a resend after that
        // carries the same nonce, which Discord deduplicates. FULL would fsync twice per announcement.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(sqlite)?;
        if version > SCHEMA_VERSION {
            return Err(LedgerError::Newer {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        // Migrations run in one transaction: a crash midway leaves the old schema intact.
        let tx = conn.unchecked_transaction().map_err(sqlite)?;
        if version < 1 {
            tx.execute_batch(SCHEMA).map_err(sqlite)?;
        }
        if version < 2 {
            tx.execute_batch(SCHEMA_2).map_err(sqlite)?;
        }
        if version < 3 {
            tx.execute_batch(SCHEMA_3).map_err(sqlite)?;
        }
        if version < 4 {
            tx.execute_batch(SCHEMA_4).map_err(sqlite)?;
        }
        if version < 5 {
            tx.execute_batch(SCHEMA_5).map_err(sqlite)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        Ok(Ledger {
            conn,
            path,
            site: site.to_string(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the site has any row at all.
    pub fn is_empty(&self) -> Result<bool, LedgerError> {
        self.conn
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM events WHERE site = ?1)
                    AND NOT EXISTS (SELECT 1 FROM announcements WHERE site = ?1)",
                params![self.site],
                |row| row.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Gives this site the rows of `from` (a site that no longer exists), in one transaction, if it
    /// has none of its own: the one site of a configuration without `[[sites]]` keeps its ledger when
    /// it moves under `[[sites]]` with a name. Returns whether it did.
    pub fn adopt(&self, from: &str) -> Result<bool, LedgerError> {
        if from == self.site || !self.is_empty()? {
            return Ok(false);
        }
        self.atomically(|| {
            let mut moved = 0;
            for table in SITE_TABLES {
                moved += self.conn.execute(
                    &format!("UPDATE {table} SET site = ?2 WHERE site = ?1"),
                    params![from, self.site],
                )?;
            }
            Ok(moved > 0)
        })
    }

    fn err(&self, source: rusqlite::Error) -> LedgerError {
        LedgerError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Starts a batch: every write until [`Ledger::commit`] is one transaction, committed together or
    /// (after [`Ledger::rollback`]) not at all; for many rows, one commit instead of one per row. The
    /// write lock is taken at once (`BEGIN IMMEDIATE`), so a batch that reads before it writes never
    /// fails half-way because another connection (the feed's, the Events tab's) wrote in between.
    pub fn begin(&self) -> Result<(), LedgerError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    /// Commits the batch [`Ledger::begin`] started.
    pub fn commit(&self) -> Result<(), LedgerError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    /// Drops the batch [`Ledger::begin`] started, if it is still open (a failed COMMIT, a full disk,
    /// may have ended it already).
    pub fn rollback(&self) {
        if !self.conn.is_autocommit() {
            // Nothing more can be done if even this fails: the connection ends the transaction
            // itself when it is closed.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// Runs `f` atomically: in a transaction of its own, or inside a batch ([`Ledger::begin`]) as a
    /// savepoint of it (a plain `BEGIN` would fail there).
    fn atomically<T>(&self, f: impl FnOnce() -> rusqlite::Result<T>) -> Result<T, LedgerError> {
        self.conn
            .execute_batch("SAVEPOINT atomically")
            .map_err(|e| self.err(e))?;
        match f() {
            Ok(value) => {
                self.conn
                    .execute_batch("RELEASE atomically")
                    .map_err(|e| self.err(e))?;
                Ok(value)
            }
            Err(e) => {
                let _ = self
                    .conn
                    .execute_batch("ROLLBACK TO atomically; RELEASE atomically");
                Err(self.err(e))
            }
        }
    }

    /// Everything the planner needs, read once at start.
    pub fn load(&self) -> Result<Memory, LedgerError> {
        let mut memory = Memory::default();
        let mut stmt = self
            .conn
            .prepare("SELECT event_id, start, announced FROM events WHERE site = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![self.site], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, bool>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (id, start, announced) = row.map_err(|e| self.err(e))?;
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
        self.conn
            .prepare_cached(
                "INSERT INTO events (site, event_id, start, first_seen, source) VALUES (?5, ?1, ?2, ?3, ?4)
                 ON CONFLICT (site, event_id) DO UPDATE SET start = excluded.start, source = excluded.source",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    event_id,
                    start.timestamp(),
                    now.to_rfc3339(),
                    source.to_string_lossy(),
                    self.site
                ])
            })
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Records that an already tracked event was read from `source` (a postponed event's renamed file).
    pub fn set_source(&self, event_id: &str, source: &Path) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "UPDATE events SET source = ?2 WHERE site = ?3 AND event_id = ?1 AND source IS NOT ?2",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![event_id, source.to_string_lossy(), self.site])
            })
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// The tracked events last read from `source`.
    pub fn tracked_from(&self, source: &Path) -> Result<Vec<String>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT event_id FROM events WHERE site = ?2 AND source = ?1 ORDER BY first_seen",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![source.to_string_lossy(), self.site], |row| {
                row.get(0)
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.err(e))
    }

    /// Gives an event a new identity, with everything recorded for it, in one transaction: a crash
    /// leaves either the old identity or the new one, never half of each.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), LedgerError> {
        self.atomically(|| {
            // The feed's SEQUENCE follows its UID, which is made from the identity: not renamed.
            for table in &SITE_TABLES[..5] {
                self.conn.execute(
                    &format!("UPDATE {table} SET event_id = ?2 WHERE site = ?3 AND event_id = ?1"),
                    params![from, to, self.site],
                )?;
            }
            Ok(())
        })
    }

    /// Everything known about recordings, read once at start.
    pub fn recordings(&self) -> Result<crier_core::recordings::Known, LedgerError> {
        let mut known = crier_core::recordings::Known::default();
        let mut stmt = self
            .conn
            .prepare("SELECT event_id FROM recording_baselines WHERE site = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![self.site], |row| row.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        for row in rows {
            known.baselined.insert(row.map_err(|e| self.err(e))?);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT event_id, url, announce FROM recordings WHERE site = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![self.site], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, bool>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (event, url, announce) = row.map_err(|e| self.err(e))?;
            known.links.entry(event).or_default().insert(url, announce);
        }
        Ok(known)
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
        let now = now.to_rfc3339();
        self.atomically(|| {
            let insert = |url: &str, announce: bool| {
                self.conn
                    .prepare_cached(
                        "INSERT INTO recordings (site, event_id, url, announce, first_seen) VALUES (?5, ?1, ?2, ?3, ?4)
                         ON CONFLICT (site, event_id, url) DO NOTHING",
                    )?
                    .execute(params![event_id, url, announce, now, self.site])
                    .map(drop)
            };
            if let Some(urls) = &plan.baseline {
                self.conn
                    .prepare_cached(
                        "INSERT INTO recording_baselines (site, event_id, taken_at) VALUES (?3, ?1, ?2)
                         ON CONFLICT (site, event_id) DO NOTHING",
                    )?
                    .execute(params![event_id, now, self.site])?;
                for url in urls {
                    insert(url, false)?;
                }
            }
            for url in &plan.new {
                insert(url, true)?;
            }
            Ok(())
        })
    }

    /// The scheduled events kept for events (the Events tab sync's records).
    pub fn scheduled_events(&self) -> Result<Vec<crier_core::events_tab::Recorded>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT event_id, discord_id, state, fingerprint, start FROM scheduled_events WHERE site = ?1 ORDER BY start, event_id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![self.site], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, i64>(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut records = Vec::new();
        for row in rows {
            let (event_id, discord_id, state, fingerprint, start) = row.map_err(|e| self.err(e))?;
            // A state this version does not know (a newer crier's) is left alone.
            let (Some(state), Some(start)) = (
                crier_core::events_tab::State::parse(&state),
                DateTime::from_timestamp(start, 0),
            ) else {
                continue;
            };
            records.push(crier_core::events_tab::Recorded {
                event_id,
                discord_id,
                state,
                fingerprint,
                start,
            });
        }
        Ok(records)
    }

    /// Writes the record of an event's scheduled event.
    pub fn put_scheduled_event(
        &self,
        record: &crier_core::events_tab::Recorded,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        self.conn
            .execute(
                "INSERT INTO scheduled_events (site, event_id, discord_id, state, fingerprint, start, updated_at)
                 VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (site, event_id) DO UPDATE SET discord_id = excluded.discord_id,
                    state = excluded.state, fingerprint = excluded.fingerprint,
                    start = excluded.start, updated_at = excluded.updated_at",
                params![
                    record.event_id,
                    record.discord_id,
                    record.state.as_str(),
                    record.fingerprint,
                    record.start.timestamp(),
                    now.to_rfc3339(),
                    self.site
                ],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Forgets the record of an event's scheduled event.
    pub fn forget_scheduled_event(&self, event_id: &str) -> Result<(), LedgerError> {
        self.conn
            .execute(
                "DELETE FROM scheduled_events WHERE site = ?2 AND event_id = ?1",
                params![event_id, self.site],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Records a status change of one announcement.
    pub fn record(
        &self,
        key: &Key,
        due: DateTime<Utc>,
        status: Progress,
        message_id: Option<&str>,
        detail: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), LedgerError> {
        let attempts = i64::from(status == Progress::Sending);
        self.conn
            .prepare_cached(
                "INSERT INTO announcements (site, event_id, kind, start, due, status, message_id, detail, attempts, updated_at)
                 VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (site, event_id, kind, start) DO UPDATE SET
                    status = excluded.status,
                    message_id = COALESCE(excluded.message_id, message_id),
                    detail = excluded.detail,
                    attempts = attempts + excluded.attempts,
                    updated_at = excluded.updated_at",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    key.event_id,
                    key.kind.key(),
                    key.start.timestamp(),
                    due.timestamp(),
                    status.as_str(),
                    message_id,
                    detail,
                    attempts,
                    now.to_rfc3339(),
                    self.site
                ])
            })
            .map_err(|e| self.err(e))?;
        if status == Progress::Sent {
            self.mark_announced(&key.event_id)?;
        }
        Ok(())
    }

    /// One announcement's row.
    pub fn get(&self, key: &Key) -> Result<Option<Entry>, LedgerError> {
        self.conn
            .query_row(
                &format!("{SELECT} WHERE site = ?4 AND event_id = ?1 AND kind = ?2 AND start = ?3"),
                params![
                    key.event_id,
                    key.kind.key(),
                    key.start.timestamp(),
                    self.site
                ],
                row_to_record,
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    /// The platform id of the event's most recent posted announcement, and its channel when known.
    pub fn latest_message(
        &self,
        event_id: &str,
    ) -> Result<Option<(String, Option<u64>)>, LedgerError> {
        self.conn
            .query_row(
                "SELECT message_id, channel FROM announcements
                 WHERE site = ?2 AND event_id = ?1 AND status = 'sent' AND message_id IS NOT NULL
                 ORDER BY updated_at DESC LIMIT 1",
                params![event_id, self.site],
                |row| {
                    let channel: Option<String> = row.get(1)?;
                    Ok((row.get(0)?, channel.and_then(|c| c.parse().ok())))
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Records the channel a sent announcement was posted in.
    pub fn set_channel(&self, key: &Key, channel: u64) -> Result<(), LedgerError> {
        self.conn
            .execute(
                "UPDATE announcements SET channel = ?4 WHERE site = ?5 AND event_id = ?1 AND kind = ?2 AND start = ?3",
                params![key.event_id, key.kind.key(), key.start.timestamp(), channel.to_string(), self.site],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// Marks an event as announced, so that its move or cancellation gets a notice: on each sent
    /// record, and for an occurrence whose series' "new" (a record of the series) was posted for it.
    pub fn mark_announced(&self, event_id: &str) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached("UPDATE events SET announced = 1 WHERE site = ?2 AND event_id = ?1")
            .and_then(|mut stmt| stmt.execute(params![event_id, self.site]))
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// The count the calendar feed adds to each event's `SEQUENCE` (see `feed::build_in`), raised by
    /// one whenever the event's `fingerprint` (its start, end, status and rule) differs from the one
    /// recorded. Events seen for the first time start at 0. One transaction for the whole feed.
    pub fn feed_sequences(
        &mut self,
        fingerprints: &[(String, String)],
    ) -> Result<std::collections::HashMap<String, u32>, LedgerError> {
        let path = self.path.clone();
        let site = self.site.clone();
        let sqlite = |source| LedgerError::Sqlite {
            path: path.clone(),
            source,
        };
        // IMMEDIATE: the write lock is taken (or waited for, up to the busy timeout) before the
        // first read. A deferred transaction that has read gets no wait when it comes to write
        // while another connection writes: SQLite answers "database is locked" at once (waiting
        // could deadlock, and its snapshot is stale once the other commits), and the feed was not
        // rebuilt.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        let mut sequences = std::collections::HashMap::with_capacity(fingerprints.len());
        {
            let mut get = tx
                .prepare_cached(
                    "SELECT fingerprint, sequence FROM feed_sequences WHERE site = ?2 AND event_id = ?1",
                )
                .map_err(sqlite)?;
            let mut put = tx
                .prepare_cached(
                    "INSERT INTO feed_sequences (site, event_id, fingerprint, sequence) VALUES (?4, ?1, ?2, ?3)
                     ON CONFLICT (site, event_id) DO UPDATE SET fingerprint = excluded.fingerprint, sequence = excluded.sequence",
                )
                .map_err(sqlite)?;
            for (id, fingerprint) in fingerprints {
                let known: Option<(String, u32)> = get
                    .query_row(params![id, site], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()
                    .map_err(sqlite)?;
                let sequence = match known {
                    Some((old, sequence)) if &old == fingerprint => sequence,
                    Some((_, sequence)) => {
                        let next = sequence.saturating_add(1);
                        put.execute(params![id, fingerprint, next, site])
                            .map_err(sqlite)?;
                        next
                    }
                    None => {
                        put.execute(params![id, fingerprint, 0, site])
                            .map_err(sqlite)?;
                        0
                    }
                };
                sequences.insert(id.clone(), sequence);
            }
        }
        tx.commit().map_err(sqlite)?;
        Ok(sequences)
    }

    /// All rows (or the `limit` most recently updated), most recent first.
    pub fn records(&self, limit: Option<usize>) -> Result<Vec<Entry>, LedgerError> {
        let limit = limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{SELECT} WHERE site = ?2 ORDER BY updated_at DESC LIMIT ?1"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![limit, self.site], row_to_record)
            .map_err(|e| self.err(e))?;
        let mut records = Vec::new();
        for row in rows {
            records.extend(row.map_err(|e| self.err(e))?);
        }
        Ok(records)
    }
}

const SELECT: &str = "SELECT event_id, kind, start, due, status, message_id, detail, attempts, updated_at, channel FROM announcements";

/// A row, or `None` for a row this version cannot read (written by a newer crier): skipped, not fatal.
fn row_to_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Entry>> {
    let kind: String = row.get(1)?;
    let status: String = row.get(4)?;
    let updated: String = row.get(8)?;
    let (Some(kind), Some(status), Some(start), Some(due), Ok(updated_at)) = (
        Kind::from_key(&kind),
        Progress::parse(&status),
        DateTime::from_timestamp(row.get(2)?, 0),
        DateTime::from_timestamp(row.get(3)?, 0),
        DateTime::parse_from_rfc3339(&updated),
    ) else {
        return Ok(None);
    };
    Ok(Some(Entry {
        key: Key {
            event_id: row.get(0)?,
            kind,
            start,
        },
        due,
        status,
        message_id: row.get(5)?,
        detail: row.get(6)?,
        attempts: u32::try_from(row.get::<_, i64>(7)?).unwrap_or(0),
        updated_at: updated_at.with_timezone(&Utc),
        channel: row
            .get::<_, Option<String>>(9)?
            .and_then(|c| c.parse().ok()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crier_core::schedule::LedgerView;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_900_000_000 + secs, 0).expect("valid")
    }

    /// The feed's connection writes beside the announcer's and the other sites': a batch holding
    /// the write lock makes it wait, not fail. (A deferred transaction that has read is not given
    /// the busy timeout when it comes to write: "database is locked" at once.)
    #[test]
    fn feed_sequences_wait_for_another_connections_batch() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut feed = Ledger::open_sqlite(dir.path(), "a").expect("opens");
        let announcer = Ledger::open_sqlite(dir.path(), "b").expect("opens");
        announcer.begin().expect("begin");
        announcer
            .track("e", Path::new("e.md"), t(1000), t(0))
            .expect("track");
        let writer = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            announcer.commit().expect("commit");
        });
        let sequences = feed
            .feed_sequences(&[("x".into(), "f1".into())])
            .expect("waits for the batch, then writes");
        assert_eq!(sequences.get("x"), Some(&0));
        writer.join().expect("the batch commits");
    }

    #[test]
    fn records_survive_reopening_and_settle_only_when_final() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = Key {
            event_id: "e".into(),
            kind: Kind::New,
            start: t(1000),
        };
        {
            let ledger = Ledger::open_sqlite(dir.path(), "default").expect("opens");
            ledger
                .track("e", Path::new("e.md"), t(1000), t(0))
                .expect("track");
            ledger
                .record(&key, t(0), Progress::Sending, None, None, t(1))
                .expect("sending");
        }
        let ledger = Ledger::open_sqlite(dir.path(), "default").expect("reopens");
        let memory = ledger.load().expect("loads");
        assert_eq!(
            memory.tracked("e"),
            Some(&Tracked {
                start: t(1000),
                announced: false
            })
        );
        assert!(!memory.settled(&key), "a send in flight is not settled");
        ledger
            .record(&key, t(0), Progress::Sending, None, None, t(2))
            .expect("retry");
        ledger
            .record(&key, t(0), Progress::Sent, Some("m-1"), None, t(3))
            .expect("sent");
        let memory = ledger.load().expect("loads");
        assert!(memory.settled(&key));
        assert!(memory.tracked("e").is_some_and(|t| t.announced));
        let record = ledger.get(&key).expect("get").expect("row");
        assert_eq!(record.status, Progress::Sent);
        assert_eq!(record.message_id.as_deref(), Some("m-1"));
        assert_eq!(record.attempts, 2);
        let mode: String = ledger
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_ledger_from_a_newer_crier_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(Ledger::open_sqlite(dir.path(), "default").expect("opens"));
        let conn = Connection::open(dir.path().join("ledger.sqlite3")).expect("sqlite");
        conn.pragma_update(None, "user_version", 99)
            .expect("pragma");
        drop(conn);
        let err = Ledger::open_sqlite(dir.path(), "default")
            .err()
            .expect("refused");
        assert!(
            err.to_string()
                .contains("written by a newer crier (schema 99; this one knows 5)"),
            "{err}"
        );
    }

    #[test]
    fn a_rename_carries_every_record_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::open_sqlite(dir.path(), "default").expect("opens");
        let key = |id: &str| Key {
            event_id: id.into(),
            kind: Kind::New,
            start: t(1000),
        };
        ledger
            .track("https://x.example/g", Path::new("a.md"), t(1000), t(0))
            .expect("track");
        ledger
            .record(
                &key("https://x.example/g"),
                t(0),
                Progress::Sent,
                Some("m-1"),
                None,
                t(1),
            )
            .expect("sent");
        assert_eq!(
            ledger.tracked_from(Path::new("a.md")).expect("query"),
            ["https://x.example/g"]
        );
        ledger.rename("https://x.example/g", "a").expect("rename");
        let memory = ledger.load().expect("loads");
        assert!(memory.tracked("https://x.example/g").is_none());
        assert!(memory.tracked("a").is_some_and(|t| t.announced));
        assert!(memory.settled(&key("a")));
        assert_eq!(
            ledger
                .latest_message("a")
                .expect("query")
                .map(|(id, _)| id)
                .as_deref(),
            Some("m-1")
        );
    }

    #[test]
    fn a_version_1_ledger_is_migrated_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let conn = Connection::open(dir.path().join("ledger.sqlite3")).expect("sqlite");
            conn.execute_batch(SCHEMA).expect("v1 schema");
            conn.execute(
                "INSERT INTO events (event_id, start, announced, first_seen) VALUES ('e', 5, 1, 'x')",
                [],
            )
            .expect("row");
            conn.pragma_update(None, "user_version", 1).expect("pragma");
        }
        let ledger = Ledger::open_sqlite(dir.path(), "default").expect("migrates");
        assert!(ledger
            .load()
            .expect("loads")
            .tracked("e")
            .is_some_and(|t| t.announced));
        ledger.set_source("e", Path::new("e.md")).expect("source");
        assert_eq!(
            ledger.tracked_from(Path::new("e.md")).expect("query"),
            ["e"]
        );
        // No recording was ever seen: the first look after the upgrade takes the links as known.
        assert_eq!(
            ledger.recordings().expect("recordings"),
            crier_core::recordings::Known::default()
        );
    }

    #[test]
    fn a_batch_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::open_sqlite(dir.path(), "default").expect("opens");
        let baseline = crier_core::recordings::Plan {
            baseline: Some(vec!["https://v.example/1".into()]),
            ..Default::default()
        };
        let write = |id: &str| -> Result<(), LedgerError> {
            ledger.track(id, Path::new("e.md"), t(1000), t(0))?;
            // Atomic on its own, a savepoint inside the batch.
            ledger.record_recordings(id, &baseline, t(0))
        };
        ledger.begin().expect("begin");
        write("a").expect("a");
        write("b").expect("b");
        ledger.rollback();
        assert!(ledger.load().expect("loads").tracked.is_empty());
        assert_eq!(
            ledger.recordings().expect("recordings"),
            crier_core::recordings::Known::default()
        );
        ledger.begin().expect("begin");
        write("a").expect("a");
        write("b").expect("b");
        ledger.commit().expect("commit");
        // Outside a batch, each write commits by itself.
        write("c").expect("c");
        ledger.rollback();
        let memory = ledger.load().expect("loads");
        assert_eq!(memory.tracked.len(), 3);
        let known = ledger.recordings().expect("recordings");
        assert_eq!(known.baselined.len(), 3);
        assert!(
            !known.links["b"]["https://v.example/1"],
            "known, not to announce"
        );
    }

    #[test]
    fn a_move_updates_the_tracked_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = Ledger::open_sqlite(dir.path(), "default").expect("opens");
        ledger
            .track("e", Path::new("e.md"), t(1000), t(0))
            .expect("track");
        ledger
            .track("e", Path::new("e.md"), t(2000), t(5))
            .expect("move");
        let memory = ledger.load().expect("loads");
        assert_eq!(memory.tracked("e").map(|t| t.start), Some(t(2000)));
    }
}
