//! High availability: several crier processes, on several machines, share one PostgreSQL ledger, and
//! one of them leads. This is the app's side of the ledger's lease ([`crate::adapters::ledger`]):
//! waiting as a standby until the lease is free, keeping it while leading, and noticing when it is
//! lost.
//!
//! A standby does nothing a member could see: it does not connect to the Discord gateway, posts
//! nothing, and in console mode prints nothing on standard output (which holds only posts). It asks
//! for the lease every [`STANDBY_POLL`]; the leader renews it every [`RENEW_EVERY`], so a dead
//! leader's lease runs out at most [`LEASE`] after its last renewal and a standby takes over within
//! `LEASE + STANDBY_POLL` (12 s).
//!
//! A leader that loses the lease (a partition, a pause past its end, a database that says another
//! holds it) stops posting at once, through the fence its ledgers check before every `sending`, and
//! then stops its sites and its gateway and stands by again. The fence is reckoned from the local
//! monotonic clock, so even a leader paused with SIGSTOP past its lease refuses to post when it
//! wakes, before it has asked anyone.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tracing::{info, warn};

use crate::adapters::ledger::{Fence, Leadership, LedgerError, Store};

/// How long a lease lasts without renewal.
pub const LEASE: Duration = Duration::from_secs(10);

/// How often the leader renews: three tries before the lease would run out.
pub const RENEW_EVERY: Duration = Duration::from_secs(3);

/// How often a standby asks for the lease.
pub const STANDBY_POLL: Duration = Duration::from_secs(2);

/// Who this process is in the lease: the host and an id kept in the state folder. A process that
/// restarts on the same state folder (after a crash, or `docker restart`) is the same holder, and
/// takes its unexpired lease straight back instead of waiting for it to run out; no two processes
/// share a state folder at once (its lock file), so no two share an id.
pub fn holder_id(state_dir: &std::path::Path) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "host".to_string());
    let file = state_dir.join("instance-id");
    let kept = std::fs::read_to_string(&file)
        .ok()
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()));
    let id = kept.unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let seed = format!("{host}{}{}", std::process::id(), now.as_nanos());
        let id = format!("{:016x}", crier_core::schedule::stable_hash(&seed));
        if let Err(e) = std::fs::write(&file, &id) {
            warn!(error = %e, file = %file.display(), "cannot keep this process's id; a restart will wait for its old lease to run out");
        }
        id
    });
    format!("{host}:{id}")
}

/// What `/healthz` and `crier status` say about the lease: this process's role.
#[derive(Debug, Clone, Default)]
pub struct Role(Arc<Mutex<Option<String>>>);

impl Role {
    pub fn set(&self, line: String) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(line);
    }

    /// `None` with one process (SQLite): there is nothing to say.
    pub fn get(&self) -> Option<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Stands by until this process holds the lease; `None` if `stop` resolves first. Says who leads,
/// once per leader, in the log and in `role`.
pub async fn wait_to_lead(
    store: &Store,
    holder: &str,
    role: &Role,
    stop: impl std::future::Future<Output = ()>,
) -> Result<Option<Leadership>, LedgerError> {
    tokio::pin!(stop);
    let mut last_seen: Option<(String, i64)> = None;
    loop {
        let (asking, me) = (store.clone(), holder.to_string());
        let answer = tokio::task::spawn_blocking(move || {
            let taken = asking.try_lead(&me, LEASE)?;
            let leader = match &taken {
                Some(_) => None,
                None => asking.leader()?,
            };
            Ok::<_, LedgerError>((taken, leader))
        })
        .await;
        match answer {
            Ok(Ok((Some(leadership), _))) => {
                info!(holder = %leadership.holder, epoch = leadership.epoch, "leading: this process holds the lease");
                role.set(format!(
                    "leader: this process ({}, epoch {})",
                    leadership.holder, leadership.epoch
                ));
                return Ok(Some(leadership));
            }
            Ok(Ok((None, leader))) => {
                let seen = leader.map(|l| (l.holder, l.epoch));
                if seen != last_seen {
                    if let Some((who, epoch)) = &seen {
                        info!(leader = %who, epoch, "standing by: another process leads");
                        role.set(format!("standby: {who} leads (epoch {epoch})"));
                    }
                    last_seen = seen;
                }
            }
            // The database is down or unreachable: a standby waits, it has nothing to lose.
            Ok(Err(e)) => {
                warn!(error = %e, "standing by: cannot ask for the lease");
                role.set(format!("standby: cannot ask for the lease: {e}"));
            }
            Err(e) => warn!(error = %e, "standing by: the lease request failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(STANDBY_POLL) => {}
            () = &mut stop => return Ok(None),
        }
    }
}

/// Keeps the lease while this process leads: renews it every [`RENEW_EVERY`] and moves `fence` on
/// with each renewal. Returns when the lease is lost: another process took it, it ran out while the
/// database could not be reached, or a ledger found it gone (and revoked the fence). The fence is
/// revoked by then, so nothing more is posted under it.
pub async fn keep(store: Store, mut leadership: Leadership, fence: Fence) -> String {
    let mut next = tokio::time::Instant::now() + RENEW_EVERY;
    loop {
        // A ledger that found the lease gone in the database revokes the fence: look every second.
        tokio::select! {
            () = tokio::time::sleep_until(next) => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {
                if fence.leadership().is_none() {
                    return "a write found the lease held by another process".into();
                }
                continue;
            }
        }
        next = tokio::time::Instant::now() + RENEW_EVERY;
        let (renewing, current) = (store.clone(), leadership.clone());
        let renewed = tokio::task::spawn_blocking(move || renewing.renew(&current, LEASE)).await;
        match renewed {
            Ok(Ok(Some(term))) => {
                fence.update(&term);
                leadership = term;
            }
            Ok(Ok(None)) => {
                fence.revoke();
                return "another process took the lease, or it ran out".into();
            }
            Ok(Err(e)) => {
                warn!(error = %e, "cannot renew the lease; trying again");
                if !leadership.is_valid() {
                    fence.revoke();
                    return format!("the lease ran out while the ledger could not be reached: {e}");
                }
            }
            Err(e) => {
                if !leadership.is_valid() {
                    fence.revoke();
                    return format!("the lease ran out: {e}");
                }
            }
        }
    }
}

/// Gives the lease up at a clean stop, so a standby takes over at once rather than after it runs
/// out.
pub async fn resign(store: &Store, fence: &Fence) {
    fence.revoke();
    let term = fence.last();
    let store = store.clone();
    match tokio::task::spawn_blocking(move || store.resign(&term)).await {
        Ok(Ok(())) => info!("gave up the lease: a standby may take over now"),
        Ok(Err(e)) => warn!(error = %e, "cannot give up the lease; it runs out by itself"),
        Err(e) => warn!(error = %e, "cannot give up the lease; it runs out by itself"),
    }
}
