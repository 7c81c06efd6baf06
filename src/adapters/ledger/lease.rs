//! The leader lease, for several crier processes sharing one PostgreSQL ledger: one leads (plans and
//! posts), the others stand by, ready to take over when its lease runs out.
//!
//! The lease is the one row of `leader_lease` named [`LEASE_NAME`]: who holds it, until when (by the
//! database's clock, so the processes' clocks do not matter), and its epoch, raised each time it
//! passes to a new term. The leader renews it well before it runs out; a standby takes it once it
//! has ([`super::Store::try_lead`]).
//!
//! A leader that stalls (a long pause, a SIGSTOP, a network partition) may wake up after a standby
//! took over. Two guards keep it from posting then:
//!
//! - Locally, [`Leadership::valid_until`] is reckoned from a monotonic instant taken *before* the
//!   request was sent, plus the lease, minus [`LEASE_SAFETY_MARGIN`]: it passes before the database
//!   would let a successor in, however long the process was paused, without asking anyone.
//! - In the database, a fenced [`super::Ledger`] writes `sending` (the promise to post) only in a
//!   transaction that finds the lease still held by its holder and epoch and running, with the
//!   row locked FOR SHARE so that no takeover commits in between (`still_leads` in
//!   [`super::postgres`]).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::postgres::{PgStore, LEASE_NAME};
use super::LedgerError;

/// How much sooner than the database a leader counts its lease as ended: room for the time its
/// request took to reach the server, and for clocks that run a little apart in rate.
pub const LEASE_SAFETY_MARGIN: Duration = Duration::from_secs(1);

/// Takes the lease if it is free or ran out, with a new epoch; extends it, same epoch, for the
/// holder that has it. No row: another process holds it. One statement, so two processes asking
/// at once cannot both win.
const TRY_LEAD: &str = "
INSERT INTO leader_lease AS lease (name, holder, epoch, expires_at)
VALUES ($1, $2, 1, now() + $3::BIGINT * INTERVAL '1 millisecond')
ON CONFLICT (name) DO UPDATE SET
    epoch = CASE WHEN lease.holder = excluded.holder AND lease.expires_at > now()
                 THEN lease.epoch ELSE lease.epoch + 1 END,
    holder = excluded.holder,
    expires_at = excluded.expires_at
WHERE lease.expires_at <= now() OR lease.holder = excluded.holder
RETURNING epoch";

const RENEW: &str = "
UPDATE leader_lease SET expires_at = now() + $4::BIGINT * INTERVAL '1 millisecond'
WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > now()
RETURNING epoch";

const RESIGN: &str = "
UPDATE leader_lease SET expires_at = now()
WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > now()";

const LEADER: &str = "
SELECT holder, epoch, (EXTRACT(EPOCH FROM expires_at) * 1000)::BIGINT
FROM leader_lease WHERE name = $1";

/// A term as the leader: who, which epoch, and until when this process may act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leadership {
    pub holder: String,
    pub epoch: i64,
    /// When to stop posting: the lease, counted from before the request that took or renewed it,
    /// less [`LEASE_SAFETY_MARGIN`]. Earlier than the database's end of the lease.
    pub valid_until: Instant,
}

impl Leadership {
    /// Whether this term may still be acted on, by the local clock alone.
    pub fn is_valid(&self) -> bool {
        Instant::now() < self.valid_until
    }

    /// A fence of this term, for the ledgers that post under it ([`super::Store::open_fenced`]).
    pub fn fence(&self) -> Fence {
        Fence::new(self)
    }
}

/// The lease row as the database has it (it may have run out), for status pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub holder: String,
    pub epoch: i64,
    pub expires_at: DateTime<Utc>,
}

/// The term under which fenced ledgers write `sending`, shared by the process's lease keeper (which
/// [`Fence::update`]s it after each renewal, and [`Fence::revoke`]s it when the lease is lost) and
/// every ledger handle it was given to. Cheap to clone; every clone is the same fence.
#[derive(Debug, Clone)]
pub struct Fence {
    state: Arc<Mutex<FenceState>>,
}

#[derive(Debug)]
struct FenceState {
    /// The last term, kept after a revocation so that the refusal can name it.
    leadership: Leadership,
    revoked: bool,
}

impl Fence {
    pub fn new(leadership: &Leadership) -> Fence {
        Fence {
            state: Arc::new(Mutex::new(FenceState {
                leadership: leadership.clone(),
                revoked: false,
            })),
        }
    }

    /// After a renewal, or a new term: `sending` goes on under `leadership`.
    pub fn update(&self, leadership: &Leadership) {
        let mut state = self.lock();
        state.leadership = leadership.clone();
        state.revoked = false;
    }

    /// The lease was lost or given up: every `sending` is refused until [`Fence::update`].
    pub fn revoke(&self) {
        self.lock().revoked = true;
    }

    /// The last term given, revoked or not: to give the lease up after a stop.
    pub fn last(&self) -> Leadership {
        self.lock().leadership.clone()
    }

    /// The current term, unless revoked (it may have run out: see [`Leadership::is_valid`]).
    pub fn leadership(&self) -> Option<Leadership> {
        let state = self.lock();
        (!state.revoked).then(|| state.leadership.clone())
    }

    /// The holder and epoch to check in the database, or [`LedgerError::Fenced`] at once when the
    /// term was revoked or its `valid_until` has passed.
    pub fn check_locally(&self) -> Result<(String, i64), LedgerError> {
        let state = self.lock();
        let Leadership { holder, epoch, .. } = state.leadership.clone();
        if state.revoked || !state.leadership.is_valid() {
            return Err(LedgerError::Fenced { holder, epoch });
        }
        Ok((holder, epoch))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FenceState> {
        // The state is two plain fields, whole after any panic.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The lease's length as the statements take it.
fn millis(lease: Duration) -> i64 {
    i64::try_from(lease.as_millis()).unwrap_or(i64::MAX)
}

/// A term's local end: `asked` (before the request left) plus the lease, less the margin.
fn valid_until(asked: Instant, lease: Duration) -> Instant {
    asked
        .checked_add(lease.saturating_sub(LEASE_SAFETY_MARGIN))
        .unwrap_or(asked)
}

impl PgStore {
    pub(super) fn try_lead(
        &self,
        holder: &str,
        lease: Duration,
    ) -> Result<Option<Leadership>, LedgerError> {
        let asked = Instant::now();
        let epoch = self.run(|c| {
            c.query_opt(TRY_LEAD, &[&LEASE_NAME, &holder, &millis(lease)])?
                .map(|row| row.try_get::<_, i64>(0))
                .transpose()
        })?;
        Ok(epoch.map(|epoch| Leadership {
            holder: holder.to_string(),
            epoch,
            valid_until: valid_until(asked, lease),
        }))
    }

    pub(super) fn renew(
        &self,
        current: &Leadership,
        lease: Duration,
    ) -> Result<Option<Leadership>, LedgerError> {
        let asked = Instant::now();
        let renewed = self.run(|c| {
            c.query_opt(
                RENEW,
                &[&LEASE_NAME, &current.holder, &current.epoch, &millis(lease)],
            )
        })?;
        Ok(renewed.map(|_| Leadership {
            valid_until: valid_until(asked, lease),
            ..current.clone()
        }))
    }

    pub(super) fn resign(&self, current: &Leadership) -> Result<(), LedgerError> {
        self.run(|c| c.execute(RESIGN, &[&LEASE_NAME, &current.holder, &current.epoch]))
            .map(drop)
    }

    pub(super) fn leader(&self) -> Result<Option<Lease>, LedgerError> {
        let row = self.run(|c| {
            c.query_opt(LEADER, &[&LEASE_NAME])?
                .map(|row| {
                    Ok::<_, ::postgres::Error>((
                        row.try_get::<_, String>(0)?,
                        row.try_get::<_, i64>(1)?,
                        row.try_get::<_, i64>(2)?,
                    ))
                })
                .transpose()
        })?;
        Ok(row.and_then(|(holder, epoch, millis)| {
            Some(Lease {
                holder,
                epoch,
                expires_at: DateTime::from_timestamp_millis(millis)?,
            })
        }))
    }
}
