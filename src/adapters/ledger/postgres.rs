//! The PostgreSQL backend: one ledger shared by several crier processes (machines in turn, one
//! leading through [`super::lease`]), or by the many sites of one process.
//!
//! Every site's handles in a process share one pool ([`PgStore`], at most [`POOL_SIZE`]
//! connections): a handle checks a connection out for each read or write and gives it back at
//! once, so a thousand sites need no thousand connections. A batch ([`Backend::begin`]) holds one
//! connection, with its transaction open, until it commits or rolls back.
//!
//! The schema is the SQLite one of the same version (the same tables, keys and meanings; BIGINT
//! for Unix times and counts, BOOLEAN for flags, the RFC 3339 texts kept as text with the "C"
//! collation so they sort as SQLite sorts them). Its version is the one row of `crier_schema`;
//! migrations run in one transaction under an advisory lock, so two processes starting together
//! do not both apply them.
//!
//! The client is sfackler's synchronous `postgres`, over tokio-postgres with a small runtime of its
//! own per connection: it blocks, and it panics when called on a thread that runs a tokio runtime.
//! See the module above for where ledger work runs.
//!
//! No TLS yet: connections are plain TCP (or a Unix socket), so the server belongs on loopback or a
//! private network the operator trusts. A URL that asks for TLS (`sslmode=require`) is refused
//! rather than quietly sent in the clear. The password comes from `ledger.password_file` alone.

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use ::postgres::config::SslMode;
use ::postgres::{Client, Config, NoTls, Row};
use r2d2_postgres::r2d2::{Pool, PooledConnection};
use r2d2_postgres::PostgresConnectionManager;

use super::{
    entry, next_sequence, scheduled, Backend, Change, Entry, LedgerError, RawEntry, SCHEMA_VERSION,
    SELECT, SITE_TABLES,
};
use crate::config::PostgresLedger;
use crate::secret::Secret;
use crier_core::schedule::Key;

/// The most connections one process opens to the ledger's server, whatever its number of sites.
/// Each write holds one for a round trip or two, and a batch for its length; the announcers of
/// many sites rarely write at the same moment, and the server's own limit (often 100) is shared by
/// every crier process and the operator's tools.
pub const POOL_SIZE: u32 = 8;

/// How long a write waits for a connection (all in use, or the server unreachable) before it fails;
/// the announcer then retries, as for any ledger error.
const POOL_WAIT: Duration = Duration::from_secs(10);

/// How long opening a connection may take, unless `ledger.url` sets `connect_timeout`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The advisory lock migrations hold ("criersch" in ASCII): any fixed number, the same in every
/// crier.
const MIGRATION_LOCK: i64 = 0x6372_6965_7273_6368;

/// Version 5, the first PostgreSQL has: SQLite's tables as they are at version 5, and the leader
/// lease. Versions are numbered as SQLite's so that each later one adds a step to both.
const SCHEMA_5: &str = r#"
CREATE TABLE events (
    site       TEXT COLLATE "C" NOT NULL,
    event_id   TEXT COLLATE "C" NOT NULL,
    start      BIGINT NOT NULL,
    announced  BOOLEAN NOT NULL DEFAULT FALSE,
    first_seen TEXT COLLATE "C" NOT NULL,
    source     TEXT COLLATE "C",
    PRIMARY KEY (site, event_id)
);
CREATE INDEX events_source ON events (site, source);
CREATE TABLE announcements (
    site       TEXT COLLATE "C" NOT NULL,
    event_id   TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    start      BIGINT NOT NULL,
    due        BIGINT NOT NULL,
    status     TEXT COLLATE "C" NOT NULL,
    message_id TEXT,
    detail     TEXT,
    attempts   BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT COLLATE "C" NOT NULL,
    channel    TEXT,
    PRIMARY KEY (site, event_id, kind, start)
);
CREATE INDEX announcements_updated ON announcements (site, updated_at);
CREATE TABLE recording_baselines (
    site     TEXT COLLATE "C" NOT NULL,
    event_id TEXT COLLATE "C" NOT NULL,
    taken_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site, event_id)
);
CREATE TABLE recordings (
    site       TEXT COLLATE "C" NOT NULL,
    event_id   TEXT COLLATE "C" NOT NULL,
    url        TEXT COLLATE "C" NOT NULL,
    announce   BOOLEAN NOT NULL,
    first_seen TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site, event_id, url)
);
CREATE TABLE scheduled_events (
    site        TEXT COLLATE "C" NOT NULL,
    event_id    TEXT COLLATE "C" NOT NULL,
    discord_id  TEXT,
    state       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    start       BIGINT NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site, event_id)
);
CREATE TABLE feed_sequences (
    site        TEXT COLLATE "C" NOT NULL,
    event_id    TEXT COLLATE "C" NOT NULL,
    fingerprint TEXT NOT NULL,
    sequence    BIGINT NOT NULL,
    PRIMARY KEY (site, event_id)
);
CREATE TABLE leader_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    epoch      BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
"#;

type Manager = PostgresConnectionManager<NoTls>;
type Pooled = PooledConnection<Manager>;

/// The PostgreSQL ledger of a process: its pool and its URL (which holds no password).
#[derive(Clone)]
pub(super) struct PgStore {
    /// Declared before `_closer`, so that it is dropped first and `_closer`'s is the last.
    pool: Pool<Manager>,
    url: Arc<str>,
    _closer: Arc<Closer>,
}

/// Closes the pool safely wherever the store's last handle goes. Closing a client blocks on the
/// client's own small runtime, which panics on a thread that drives a tokio runtime (the run
/// loop's, where the last site's handle may be dropped at shutdown): there the pool's last handle,
/// this one, is dropped on a thread of its own. `crier run` keeps a store until its runtime is
/// shut down, so this is the fallback.
struct Closer(Option<Pool<Manager>>);

impl Drop for Closer {
    fn drop(&mut self) {
        if let Some(pool) = self.0.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || drop(pool));
            }
        }
    }
}

impl PgStore {
    /// Reads the password file, connects once to bring the schema up to date (so a wrong address,
    /// password or a newer ledger is reported at start), and makes the pool.
    pub(super) fn connect(ledger: &PostgresLedger) -> Result<PgStore, LedgerError> {
        let url = ledger.url.clone();
        let mut config = Config::from_str(&url).map_err(|source| LedgerError::Postgres {
            url: url.clone(),
            source,
        })?;
        if config.get_password().is_some() {
            // The configuration refuses this already; the URL is not shown, it holds the secret.
            return Err(LedgerError::Url {
                url: "`ledger.url`".into(),
                message: "holds a password; remove it from the URL and put it in the file `ledger.password_file` names".into(),
            });
        }
        if config.get_ssl_mode() == SslMode::Require {
            return Err(LedgerError::Url {
                url,
                message: "asks for TLS (`sslmode=require`), which this build of crier cannot do yet; reach the server over loopback or a private network, and remove `sslmode` from the URL".into(),
            });
        }
        if let Some(file) = &ledger.password_file {
            let secret = Secret::from_file(file, "ledger.password_file").map_err(|message| {
                LedgerError::Password {
                    url: url.clone(),
                    message,
                }
            })?;
            config.password(secret.expose());
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            // What `pg_stat_activity` shows an operator looking for crier's connections.
            config.application_name("crier");
        }
        if config.get_options().is_none() {
            config.options(SESSION_LIMITS);
        }
        let db = |source| LedgerError::Postgres {
            url: url.clone(),
            source,
        };
        // One connection of its own, not the pool's: the pool retries a failing connect until its
        // wait runs out, where this one fails at once with the server's reason.
        let mut client = config.connect(NoTls).map_err(db)?;
        migrate(&mut client, &url)?;
        // Nothing to do if the goodbye fails: the server ends the session either way.
        let _ = client.close();
        // No connection is opened until one is needed (`min_idle` 0): a process whose sites are all
        // idle holds none open for long (r2d2 closes idle ones after 10 minutes).
        let pool = Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(0))
            .connection_timeout(POOL_WAIT)
            .build_unchecked(PostgresConnectionManager::new(config, NoTls));
        Ok(PgStore {
            _closer: Arc::new(Closer(Some(pool.clone()))),
            pool,
            url: url.into(),
        })
    }

    pub(super) fn url(&self) -> &str {
        &self.url
    }

    /// One site's handle on the pool: no I/O until it reads or writes.
    pub(super) fn ledger(&self, site: &str) -> PgLedger {
        PgLedger {
            store: self.clone(),
            site: site.to_string(),
            batch: RefCell::new(None),
            failed: RefCell::new(None),
        }
    }

    /// A connection from the pool, returned to it when dropped.
    fn get(&self) -> Result<Pooled, LedgerError> {
        self.pool.get().map_err(|source| LedgerError::Pool {
            url: self.url.to_string(),
            wait: POOL_WAIT,
            source,
        })
    }

    /// Runs `f` on a pooled connection, outside any batch (the lease's statements).
    pub(super) fn run<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, ::postgres::Error>,
    ) -> Result<T, LedgerError> {
        let mut conn = self.get()?;
        f(&mut conn).map_err(|source| self.db(source))
    }

    pub(super) fn db(&self, source: ::postgres::Error) -> LedgerError {
        LedgerError::Postgres {
            url: self.url.to_string(),
            source,
        }
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction, under an advisory lock so that two
/// processes starting together apply each step once; refuses a ledger of a newer crier.
fn migrate(client: &mut Client, url: &str) -> Result<(), LedgerError> {
    let db = |source| LedgerError::Postgres {
        url: url.to_string(),
        source,
    };
    let mut tx = client.transaction().map_err(db)?;
    // Without this each start logs the server's notice that `crier_schema` exists already.
    tx.batch_execute("SET LOCAL client_min_messages = warning")
        .map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(db)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS crier_schema (version INT NOT NULL)")
        .map_err(db)?;
    let version: i64 = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM crier_schema",
            &[],
        )
        .and_then(|row| row.try_get(0))
        .map_err(db)?;
    if version > SCHEMA_VERSION {
        return Err(LedgerError::Newer {
            ledger: url.to_string(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 5 {
        tx.batch_execute(SCHEMA_5).map_err(db)?;
    }
    if version < SCHEMA_VERSION {
        tx.execute("DELETE FROM crier_schema", &[]).map_err(db)?;
        tx.execute(
            "INSERT INTO crier_schema (version) VALUES ($1::BIGINT)",
            &[&SCHEMA_VERSION],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}

/// Why a write of this backend failed: the database's error, or the fence.
pub(super) enum Fail {
    Db(::postgres::Error),
    Fenced { holder: String, epoch: i64 },
}

impl From<::postgres::Error> for Fail {
    fn from(e: ::postgres::Error) -> Fail {
        Fail::Db(e)
    }
}

/// One site's rows on the server, through the store's pool.
pub(super) struct PgLedger {
    store: PgStore,
    site: String,
    /// The connection a batch holds, its transaction open, from `begin` until `commit` or
    /// `rollback`. A `RefCell`: the façade's methods take `&self`, and a handle is used by one
    /// thread at a time (it is `Send`, not `Sync`).
    batch: RefCell<Option<Pooled>>,
    /// Why a write in the open batch failed. PostgreSQL refuses every later statement of that
    /// transaction and turns its COMMIT into a ROLLBACK without an error, so `commit` says so.
    failed: RefCell<Option<String>>,
}

impl Drop for PgLedger {
    /// A batch left open (a panic half-way) must not go back to the pool inside its transaction.
    fn drop(&mut self) {
        Backend::rollback(self);
    }
}

impl PgLedger {
    fn fail(&self, fail: Fail) -> LedgerError {
        match fail {
            Fail::Db(source) => self.store.db(source),
            Fail::Fenced { holder, epoch } => LedgerError::Fenced { holder, epoch },
        }
    }

    /// Runs `f` on the batch's connection, or on one from the pool outside a batch.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, ::postgres::Error>,
    ) -> Result<T, LedgerError> {
        if let Some(conn) = self.batch.borrow_mut().as_mut() {
            return f(conn).map_err(|source| {
                self.failed.replace(Some(source.to_string()));
                self.store.db(source)
            });
        }
        let mut conn = self.store.get()?;
        f(&mut conn).map_err(|source| self.store.db(source))
    }

    /// Runs `f` atomically: in a transaction of its own, or inside a batch as a savepoint of it, so
    /// that its failure leaves the batch usable (as SQLite's does).
    fn atomically<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, Fail>,
    ) -> Result<T, LedgerError> {
        if let Some(conn) = self.batch.borrow_mut().as_mut() {
            let poisoned = |source: ::postgres::Error| {
                self.failed.replace(Some(source.to_string()));
                self.store.db(source)
            };
            conn.batch_execute("SAVEPOINT atomically")
                .map_err(poisoned)?;
            return match f(conn) {
                Ok(value) => conn
                    .batch_execute("RELEASE SAVEPOINT atomically")
                    .map(|()| value)
                    .map_err(poisoned),
                Err(fail) => {
                    if let Err(source) = conn.batch_execute(
                        "ROLLBACK TO SAVEPOINT atomically; RELEASE SAVEPOINT atomically",
                    ) {
                        self.failed.replace(Some(source.to_string()));
                    }
                    Err(self.fail(fail))
                }
            };
        }
        let mut conn = self.store.get()?;
        conn.batch_execute("BEGIN")
            .map_err(|source| self.store.db(source))?;
        match f(&mut conn) {
            // A failed COMMIT ends the transaction too: the connection goes back clean.
            Ok(value) => conn
                .batch_execute("COMMIT")
                .map(|()| value)
                .map_err(|source| self.store.db(source)),
            Err(fail) => {
                // If even this fails the connection is gone, and the pool drops closed ones.
                let _ = conn.batch_execute("ROLLBACK");
                Err(self.fail(fail))
            }
        }
    }
}

/// The [`SELECT`] columns of a row, as [`entry`] reads them.
fn raw_entry(row: &Row) -> Result<RawEntry, ::postgres::Error> {
    Ok(RawEntry {
        event_id: row.try_get(0)?,
        kind: row.try_get(1)?,
        start: row.try_get(2)?,
        due: row.try_get(3)?,
        status: row.try_get(4)?,
        message_id: row.try_get(5)?,
        detail: row.try_get(6)?,
        attempts: row.try_get(7)?,
        updated_at: row.try_get(8)?,
        channel: row.try_get(9)?,
    })
}

/// Rows of [`SELECT`]; those this version cannot read are skipped.
fn entries(rows: &[Row]) -> Result<Vec<Entry>, ::postgres::Error> {
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        entries.extend(entry(raw_entry(row)?));
    }
    Ok(entries)
}

const UPSERT_ANNOUNCEMENT: &str = "INSERT INTO announcements (site, event_id, kind, start, due, status, message_id, detail, attempts, updated_at)
     VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (site, event_id, kind, start) DO UPDATE SET
        status = excluded.status,
        message_id = COALESCE(excluded.message_id, announcements.message_id),
        detail = excluded.detail,
        attempts = announcements.attempts + excluded.attempts,
        updated_at = excluded.updated_at";

impl Backend for PgLedger {
    fn describe(&self) -> String {
        self.store.url().to_string()
    }

    fn is_empty(&self) -> Result<bool, LedgerError> {
        self.with(|c| {
            c.query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM events WHERE site = $1)
                    AND NOT EXISTS (SELECT 1 FROM announcements WHERE site = $1)",
                &[&self.site],
            )?
            .try_get(0)
        })
    }

    fn take_rows(&self, from: &str) -> Result<bool, LedgerError> {
        self.atomically(|c| {
            let mut moved = 0;
            for table in SITE_TABLES {
                moved += c.execute(
                    &format!("UPDATE {table} SET site = $2 WHERE site = $1"),
                    &[&from, &self.site],
                )?;
            }
            Ok(moved > 0)
        })
    }

    fn begin(&self) -> Result<(), LedgerError> {
        let mut batch = self.batch.borrow_mut();
        if batch.is_some() {
            // Already in one: as PostgreSQL itself does with a second BEGIN, carry on in it.
            return Ok(());
        }
        let mut conn = self.store.get()?;
        conn.batch_execute("BEGIN")
            .map_err(|source| self.store.db(source))?;
        *batch = Some(conn);
        self.failed.replace(None);
        Ok(())
    }

    fn commit(&self) -> Result<(), LedgerError> {
        let Some(mut conn) = self.batch.borrow_mut().take() else {
            return Ok(());
        };
        if let Some(message) = self.failed.take() {
            let _ = conn.batch_execute("ROLLBACK");
            return Err(LedgerError::Aborted {
                url: self.store.url().to_string(),
                message,
            });
        }
        // Failed or not, COMMIT ends the transaction: the connection goes back to the pool clean.
        conn.batch_execute("COMMIT")
            .map_err(|source| self.store.db(source))
    }

    fn rollback(&self) {
        if let Some(mut conn) = self.batch.borrow_mut().take() {
            // If even this fails the connection is gone, and the pool drops closed ones.
            let _ = conn.batch_execute("ROLLBACK");
        }
        self.failed.replace(None);
    }

    fn tracked(&self) -> Result<Vec<(String, i64, bool)>, LedgerError> {
        self.with(|c| {
            c.query(
                "SELECT event_id, start, announced FROM events WHERE site = $1",
                &[&self.site],
            )?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
            .collect()
        })
    }

    fn track(
        &self,
        event_id: &str,
        source: &str,
        start: i64,
        now: &str,
    ) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO events (site, event_id, start, first_seen, source) VALUES ($5, $1, $2, $3, $4)
                 ON CONFLICT (site, event_id) DO UPDATE SET start = excluded.start, source = excluded.source",
                &[&event_id, &start, &now, &source, &self.site],
            )
        })
        .map(drop)
    }

    fn set_source(&self, event_id: &str, source: &str) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "UPDATE events SET source = $2
                 WHERE site = $3 AND event_id = $1 AND source IS DISTINCT FROM $2",
                &[&event_id, &source, &self.site],
            )
        })
        .map(drop)
    }

    fn tracked_from(&self, source: &str) -> Result<Vec<String>, LedgerError> {
        self.with(|c| {
            c.query(
                "SELECT event_id FROM events WHERE site = $2 AND source = $1 ORDER BY first_seen",
                &[&source, &self.site],
            )?
            .iter()
            .map(|row| row.try_get(0))
            .collect()
        })
    }

    fn rename(&self, from: &str, to: &str) -> Result<(), LedgerError> {
        self.atomically(|c| {
            for table in &SITE_TABLES[..5] {
                c.execute(
                    &format!("UPDATE {table} SET event_id = $2 WHERE site = $3 AND event_id = $1"),
                    &[&from, &to, &self.site],
                )?;
            }
            Ok(())
        })
    }

    fn recordings(&self) -> Result<crier_core::recordings::Known, LedgerError> {
        self.with(|c| {
            let mut known = crier_core::recordings::Known::default();
            for row in c.query(
                "SELECT event_id FROM recording_baselines WHERE site = $1",
                &[&self.site],
            )? {
                known.baselined.insert(row.try_get(0)?);
            }
            for row in c.query(
                "SELECT event_id, url, announce FROM recordings WHERE site = $1",
                &[&self.site],
            )? {
                known
                    .links
                    .entry(row.try_get(0)?)
                    .or_default()
                    .insert(row.try_get(1)?, row.try_get(2)?);
            }
            Ok(known)
        })
    }

    fn record_recordings(
        &self,
        event_id: &str,
        plan: &crier_core::recordings::Plan,
        now: &str,
    ) -> Result<(), LedgerError> {
        self.atomically(|c| {
            let insert = c.prepare(
                "INSERT INTO recordings (site, event_id, url, announce, first_seen) VALUES ($5, $1, $2, $3, $4)
                 ON CONFLICT (site, event_id, url) DO NOTHING",
            )?;
            if let Some(urls) = &plan.baseline {
                c.execute(
                    "INSERT INTO recording_baselines (site, event_id, taken_at) VALUES ($3, $1, $2)
                     ON CONFLICT (site, event_id) DO NOTHING",
                    &[&event_id, &now, &self.site],
                )?;
                for url in urls {
                    c.execute(&insert, &[&event_id, url, &false, &now, &self.site])?;
                }
            }
            for url in &plan.new {
                c.execute(&insert, &[&event_id, url, &true, &now, &self.site])?;
            }
            Ok(())
        })
    }

    fn scheduled_events(&self) -> Result<Vec<crier_core::events_tab::Recorded>, LedgerError> {
        self.with(|c| {
            let mut records = Vec::new();
            for row in c.query(
                "SELECT event_id, discord_id, state, fingerprint, start FROM scheduled_events
                 WHERE site = $1 ORDER BY start, event_id",
                &[&self.site],
            )? {
                records.extend(scheduled(
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                ));
            }
            Ok(records)
        })
    }

    fn put_scheduled_event(
        &self,
        record: &crier_core::events_tab::Recorded,
        now: &str,
    ) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO scheduled_events (site, event_id, discord_id, state, fingerprint, start, updated_at)
                 VALUES ($7, $1, $2, $3, $4, $5, $6)
                 ON CONFLICT (site, event_id) DO UPDATE SET discord_id = excluded.discord_id,
                    state = excluded.state, fingerprint = excluded.fingerprint,
                    start = excluded.start, updated_at = excluded.updated_at",
                &[
                    &record.event_id,
                    &record.discord_id,
                    &record.state.as_str(),
                    &record.fingerprint,
                    &record.start.timestamp(),
                    &now,
                    &self.site,
                ],
            )
        })
        .map(drop)
    }

    fn forget_scheduled_event(&self, event_id: &str) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "DELETE FROM scheduled_events WHERE site = $2 AND event_id = $1",
                &[&event_id, &self.site],
            )
        })
        .map(drop)
    }

    fn record(&self, change: &Change<'_>, fence: Option<(&str, i64)>) -> Result<(), LedgerError> {
        let key = change.key;
        let (kind, start, due) = (
            key.kind.key(),
            key.start.timestamp(),
            change.due.timestamp(),
        );
        let (status, attempts, now) = (
            change.status.as_str(),
            change.attempts(),
            change.now.to_rfc3339(),
        );
        let upsert = |c: &mut Client| {
            c.execute(
                UPSERT_ANNOUNCEMENT,
                &[
                    &key.event_id,
                    &kind,
                    &start,
                    &due,
                    &status,
                    &change.message_id,
                    &change.detail,
                    &attempts,
                    &now,
                    &self.site,
                ],
            )
        };
        match fence {
            None => self.with(upsert).map(drop),
            // The lease row is read FOR SHARE in the transaction that writes the row: a successor's
            // takeover (an UPDATE of that row) waits for this transaction, and then finds the
            // `sending` row, which it sends again with the same key; a `sending` never lands after
            // the lease has passed to another process.
            Some((holder, epoch)) => self.atomically(|c| {
                if !still_leads(c, holder, epoch)? {
                    return Err(Fail::Fenced {
                        holder: holder.to_string(),
                        epoch,
                    });
                }
                upsert(c)?;
                Ok(())
            }),
        }
    }

    fn get(&self, key: &Key) -> Result<Option<Entry>, LedgerError> {
        self.with(|c| {
            let rows = c.query(
                &format!("{SELECT} WHERE site = $4 AND event_id = $1 AND kind = $2 AND start = $3"),
                &[
                    &key.event_id,
                    &key.kind.key(),
                    &key.start.timestamp(),
                    &self.site,
                ],
            )?;
            Ok(entries(&rows)?.into_iter().next())
        })
    }

    fn latest_message(&self, event_id: &str) -> Result<Option<(String, Option<u64>)>, LedgerError> {
        self.with(|c| {
            let Some(row) = c.query_opt(
                "SELECT message_id, channel FROM announcements
                 WHERE site = $2 AND event_id = $1 AND status = 'sent' AND message_id IS NOT NULL
                 ORDER BY updated_at DESC LIMIT 1",
                &[&event_id, &self.site],
            )?
            else {
                return Ok(None);
            };
            let channel: Option<String> = row.try_get(1)?;
            Ok(Some((
                row.try_get(0)?,
                channel.and_then(|c| c.parse().ok()),
            )))
        })
    }

    fn set_channel(&self, key: &Key, channel: u64) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "UPDATE announcements SET channel = $4
                 WHERE site = $5 AND event_id = $1 AND kind = $2 AND start = $3",
                &[
                    &key.event_id,
                    &key.kind.key(),
                    &key.start.timestamp(),
                    &channel.to_string(),
                    &self.site,
                ],
            )
        })
        .map(drop)
    }

    fn mark_announced(&self, event_id: &str) -> Result<(), LedgerError> {
        self.with(|c| {
            c.execute(
                "UPDATE events SET announced = TRUE WHERE site = $2 AND event_id = $1",
                &[&event_id, &self.site],
            )
        })
        .map(drop)
    }

    /// The site's recorded fingerprints are read in one query (a round trip per event would be
    /// thousands over the network), then the changed ones written, in one transaction.
    fn feed_sequences(
        &mut self,
        fingerprints: &[(String, String)],
    ) -> Result<HashMap<String, u32>, LedgerError> {
        self.atomically(|c| {
            let mut known: HashMap<String, (String, u32)> = HashMap::new();
            for row in c.query(
                "SELECT event_id, fingerprint, sequence FROM feed_sequences WHERE site = $1",
                &[&self.site],
            )? {
                let sequence: i64 = row.try_get(2)?;
                known.insert(
                    row.try_get(0)?,
                    (row.try_get(1)?, u32::try_from(sequence).unwrap_or(u32::MAX)),
                );
            }
            let put = c.prepare(
                "INSERT INTO feed_sequences (site, event_id, fingerprint, sequence) VALUES ($4, $1, $2, $3)
                 ON CONFLICT (site, event_id) DO UPDATE SET fingerprint = excluded.fingerprint, sequence = excluded.sequence",
            )?;
            let mut sequences = HashMap::with_capacity(fingerprints.len());
            for (id, fingerprint) in fingerprints {
                let (sequence, changed) = next_sequence(
                    known.get(id).map(|(old, n)| (old.as_str(), *n)),
                    fingerprint,
                );
                if changed {
                    c.execute(&put, &[id, fingerprint, &i64::from(sequence), &self.site])?;
                    known.insert(id.clone(), (fingerprint.clone(), sequence));
                }
                sequences.insert(id.clone(), sequence);
            }
            Ok(sequences)
        })
    }

    fn records(&self, limit: Option<usize>) -> Result<Vec<Entry>, LedgerError> {
        self.with(|c| {
            let rows = match limit {
                None => c.query(
                    &format!("{SELECT} WHERE site = $1 ORDER BY updated_at DESC"),
                    &[&self.site],
                )?,
                Some(limit) => c.query(
                    &format!("{SELECT} WHERE site = $1 ORDER BY updated_at DESC LIMIT $2"),
                    &[&self.site, &i64::try_from(limit).unwrap_or(i64::MAX)],
                )?,
            };
            entries(&rows)
        })
    }
}

/// `clock_timestamp()`, not `now()`: inside a long batch `now()` is when the batch began.
const STILL_LEADS: &str = "
SELECT holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()
FROM leader_lease WHERE name = $1 FOR SHARE";

/// Whether `holder` still holds the lease in `epoch`, and it runs: read in the caller's transaction,
/// the row locked FOR SHARE until it ends.
pub(super) fn still_leads(
    client: &mut Client,
    holder: &str,
    epoch: i64,
) -> Result<bool, ::postgres::Error> {
    Ok(client
        .query_opt(STILL_LEADS, &[&LEASE_NAME, &holder, &epoch])?
        .map(|row| row.try_get::<_, bool>(0))
        .transpose()?
        .unwrap_or(false))
}

/// The lease's row: one per ledger, whatever the number of sites.
pub(super) const LEASE_NAME: &str = "crier";

/// Each session's bounds. A fenced `sending` holds the lease row FOR SHARE for the millisecond of
/// its transaction; a leader frozen (SIGSTOP, a stalled VM, a cut network) inside that millisecond
/// would hold it for as long as it stays frozen, and the standby's request for the lease would wait
/// behind it. The server ends a transaction idle for 5 s (the frozen leader's, whose lease runs out
/// after 10 s anyway), and a statement waits at most 5 s for a lock, so a takeover stays within
/// the lease plus a poll. Nothing crier does keeps a transaction idle for seconds: a batch's
/// statements follow one another with microseconds of planning in between.
const SESSION_LIMITS: &str = "-c idle_in_transaction_session_timeout=5000 -c lock_timeout=5000";
