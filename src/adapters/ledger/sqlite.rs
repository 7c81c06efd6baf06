//! The SQLite backend: `state_dir/ledger.sqlite3`, one process's ledger (the state folder's lock
//! file keeps a second one out), the default.
//!
//! WAL mode keeps each write a single append. The schema's version is `PRAGMA user_version`; each
//! version adds a migration step in [`SqliteLedger::open`], run in one transaction when the file is
//! opened; a ledger written by a newer crier is refused rather than misread.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use super::{entry, next_sequence, scheduled, Backend, Change, Entry, LedgerError, RawEntry};
use super::{SCHEMA_VERSION, SELECT, SITE_TABLES};
use crier_core::schedule::Key;

/// The file a state folder's ledger is kept in.
pub(super) fn file(state_dir: &Path) -> PathBuf {
    state_dir.join("ledger.sqlite3")
}

/// One site's rows in the SQLite file, through a connection of its own.
pub(super) struct SqliteLedger {
    conn: Connection,
    path: PathBuf,
    site: String,
}

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

impl SqliteLedger {
    /// Opens (creating) `state_dir/ledger.sqlite3`, for the rows of `site`, migrating it first.
    pub(super) fn open(state_dir: &Path, site: &str) -> Result<SqliteLedger, LedgerError> {
        fs::create_dir_all(state_dir).map_err(|source| LedgerError::StateDir {
            path: state_dir.to_path_buf(),
            source,
        })?;
        let path = file(state_dir);
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
                ledger: path.display().to_string(),
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
        Ok(SqliteLedger {
            conn,
            path,
            site: site.to_string(),
        })
    }

    fn err(&self, source: rusqlite::Error) -> LedgerError {
        LedgerError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Runs `f` atomically: in a transaction of its own, or inside a batch ([`Backend::begin`]) as a
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
}

impl Backend for SqliteLedger {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn is_empty(&self) -> Result<bool, LedgerError> {
        self.conn
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM events WHERE site = ?1)
                    AND NOT EXISTS (SELECT 1 FROM announcements WHERE site = ?1)",
                params![self.site],
                |row| row.get(0),
            )
            .map_err(|e| self.err(e))
    }

    fn take_rows(&self, from: &str) -> Result<bool, LedgerError> {
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

    /// `BEGIN IMMEDIATE`: the write lock at once, so a batch that reads before it writes never fails
    /// half-way because another connection (the feed's, the Events tab's) wrote in between.
    fn begin(&self) -> Result<(), LedgerError> {
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))
    }

    fn commit(&self) -> Result<(), LedgerError> {
        self.conn.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    fn rollback(&self) {
        if !self.conn.is_autocommit() {
            // Nothing more can be done if even this fails: the connection ends the transaction
            // itself when it is closed.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    fn tracked(&self) -> Result<Vec<(String, i64, bool)>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT event_id, start, announced FROM events WHERE site = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![self.site], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    fn track(
        &self,
        event_id: &str,
        source: &str,
        start: i64,
        now: &str,
    ) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "INSERT INTO events (site, event_id, start, first_seen, source) VALUES (?5, ?1, ?2, ?3, ?4)
                 ON CONFLICT (site, event_id) DO UPDATE SET start = excluded.start, source = excluded.source",
            )
            .and_then(|mut stmt| stmt.execute(params![event_id, start, now, source, self.site]))
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn set_source(&self, event_id: &str, source: &str) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached(
                "UPDATE events SET source = ?2 WHERE site = ?3 AND event_id = ?1 AND source IS NOT ?2",
            )
            .and_then(|mut stmt| stmt.execute(params![event_id, source, self.site]))
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn tracked_from(&self, source: &str) -> Result<Vec<String>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT event_id FROM events WHERE site = ?2 AND source = ?1 ORDER BY first_seen",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![source, self.site], |row| row.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.err(e))
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), LedgerError> {
        self.atomically(|| {
            for table in &SITE_TABLES[..5] {
                self.conn.execute(
                    &format!("UPDATE {table} SET event_id = ?2 WHERE site = ?3 AND event_id = ?1"),
                    params![from, to, self.site],
                )?;
            }
            Ok(())
        })
    }

    fn recordings(&self) -> Result<crier_core::recordings::Known, LedgerError> {
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

    fn record_recordings(
        &self,
        event_id: &str,
        plan: &crier_core::recordings::Plan,
        now: &str,
    ) -> Result<(), LedgerError> {
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

    fn scheduled_events(&self) -> Result<Vec<crier_core::events_tab::Recorded>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT event_id, discord_id, state, fingerprint, start FROM scheduled_events WHERE site = ?1 ORDER BY start, event_id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![self.site], |row| {
                Ok(scheduled(
                    row.get(0)?,
                    row.get(1)?,
                    &row.get::<_, String>(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut records = Vec::new();
        for row in rows {
            records.extend(row.map_err(|e| self.err(e))?);
        }
        Ok(records)
    }

    fn put_scheduled_event(
        &self,
        record: &crier_core::events_tab::Recorded,
        now: &str,
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
                    now,
                    self.site
                ],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn forget_scheduled_event(&self, event_id: &str) -> Result<(), LedgerError> {
        self.conn
            .execute(
                "DELETE FROM scheduled_events WHERE site = ?2 AND event_id = ?1",
                params![event_id, self.site],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    /// No lease table here: the façade's local check is the whole fence (see `Ledger::set_fence`).
    fn record(&self, change: &Change<'_>, _fence: Option<(&str, i64)>) -> Result<(), LedgerError> {
        let key = change.key;
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
                    change.due.timestamp(),
                    change.status.as_str(),
                    change.message_id,
                    change.detail,
                    change.attempts(),
                    change.now.to_rfc3339(),
                    self.site
                ])
            })
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn get(&self, key: &Key) -> Result<Option<Entry>, LedgerError> {
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

    fn latest_message(&self, event_id: &str) -> Result<Option<(String, Option<u64>)>, LedgerError> {
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

    fn set_channel(&self, key: &Key, channel: u64) -> Result<(), LedgerError> {
        self.conn
            .execute(
                "UPDATE announcements SET channel = ?4 WHERE site = ?5 AND event_id = ?1 AND kind = ?2 AND start = ?3",
                params![key.event_id, key.kind.key(), key.start.timestamp(), channel.to_string(), self.site],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn mark_announced(&self, event_id: &str) -> Result<(), LedgerError> {
        self.conn
            .prepare_cached("UPDATE events SET announced = 1 WHERE site = ?2 AND event_id = ?1")
            .and_then(|mut stmt| stmt.execute(params![event_id, self.site]))
            .map(drop)
            .map_err(|e| self.err(e))
    }

    fn feed_sequences(
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
                let (sequence, changed) = next_sequence(
                    known.as_ref().map(|(old, n)| (old.as_str(), *n)),
                    fingerprint,
                );
                if changed {
                    put.execute(params![id, fingerprint, sequence, site])
                        .map_err(sqlite)?;
                }
                sequences.insert(id.clone(), sequence);
            }
        }
        tx.commit().map_err(sqlite)?;
        Ok(sequences)
    }

    fn records(&self, limit: Option<usize>) -> Result<Vec<Entry>, LedgerError> {
        // SQLite's LIMIT -1 is no limit.
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

/// A row of [`SELECT`], or `None` for a row this version cannot read.
fn row_to_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Entry>> {
    Ok(entry(RawEntry {
        event_id: row.get(0)?,
        kind: row.get(1)?,
        start: row.get(2)?,
        due: row.get(3)?,
        status: row.get(4)?,
        message_id: row.get(5)?,
        detail: row.get(6)?,
        attempts: row.get(7)?,
        updated_at: row.get(8)?,
        channel: row.get(9)?,
    }))
}

/// What only SQLite has: the file's journal mode and its older schemas. The rules both backends
/// share are tested on both in `tests/ledger_postgres.rs`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::ledger::Ledger;
    use chrono::{DateTime, Utc};
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
    fn the_file_is_in_wal_mode() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ledger = SqliteLedger::open(dir.path(), "default").expect("opens");
        let mode: String = ledger
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_version_1_ledger_is_migrated_in_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let conn = Connection::open(file(dir.path())).expect("sqlite");
            conn.execute_batch(SCHEMA).expect("v1 schema");
            conn.execute(
                "INSERT INTO events (event_id, start, announced, first_seen) VALUES ('e', 5, 1, 'x')",
                [],
            )
            .expect("row");
            conn.pragma_update(None, "user_version", 1).expect("pragma");
        }
        let ledger = Ledger::open_sqlite(dir.path(), "default").expect("migrates");
        assert_eq!(
            ledger.load().expect("loads").tracked("e").map(|t| t.start),
            DateTime::from_timestamp(5, 0)
        );
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
}
