//! Pure decisions: what is due for an event, what to skip, and when to look at it again.
//!
//! Nothing here reads a clock, a file or the database. [`plan_event`] is a function of (event, what the
//! ledger says about it, configuration, now); [`Timeline`] indexes events by the next time they need a
//! look, so the announcer's one timer sleeps until exactly then. Both are tested over simulated time.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::catalog::Event;

/// What kind of announcement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    New,
    /// A reminder at this offset before the start.
    Reminder(Duration),
    Rescheduled,
    Cancelled,
    Digest,
    /// "Recording available", for the recording whose link has this [`recording_id`].
    Recording(u64),
}

/// A hash that never changes between builds or platforms (FNV-1a), for ids that are stored in the
/// ledger or sent to Discord; std's hasher may change.
pub fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A recording's stable id, from its link.
pub fn recording_id(url: &str) -> u64 {
    stable_hash(url)
}

impl Kind {
    /// The stable name stored in the ledger: `new`, `reminder:86400`, ...
    pub fn key(&self) -> String {
        match self {
            Kind::New => "new".into(),
            Kind::Reminder(offset) => format!("reminder:{}", offset.as_secs()),
            Kind::Rescheduled => "rescheduled".into(),
            Kind::Cancelled => "cancelled".into(),
            Kind::Digest => "digest".into(),
            Kind::Recording(id) => format!("recording:{id:016x}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Kind> {
        Some(match key {
            "new" => Kind::New,
            "rescheduled" => Kind::Rescheduled,
            "cancelled" => Kind::Cancelled,
            "digest" => Kind::Digest,
            other if other.starts_with("recording:") => {
                Kind::Recording(u64::from_str_radix(other.strip_prefix("recording:")?, 16).ok()?)
            }
            other => Kind::Reminder(Duration::from_secs(
                other.strip_prefix("reminder:")?.parse().ok()?,
            )),
        })
    }

    /// The name used in output: `new`, `reminder`, `rescheduled`, `cancelled`, `digest`.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::New => "new",
            Kind::Reminder(_) => "reminder",
            Kind::Rescheduled => "rescheduled",
            Kind::Cancelled => "cancelled",
            Kind::Digest => "digest",
            Kind::Recording(_) => "recording",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Reminder(offset) => write!(f, "reminder {}", humantime::format_duration(*offset)),
            other => f.write_str(other.name()),
        }
    }
}

/// One announcement's identity in the ledger: nothing with the same key is ever posted twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub event_id: String,
    pub kind: Kind,
    /// The start the announcement is for (a moved event gets new keys).
    pub start: DateTime<Utc>,
}

/// What the ledger knows about one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    /// The start the event had when last planned.
    pub start: DateTime<Utc>,
    /// Whether anything was ever posted about it (only then do moves and cancellations get notices).
    pub announced: bool,
}

/// What the ledger knows, as the planner needs it.
pub trait LedgerView {
    fn tracked(&self, event_id: &str) -> Option<&Tracked>;
    /// Whether the announcement is settled: sent, skipped, or failed for good.
    fn settled(&self, key: &Key) -> bool;
}

/// Reminder rules from the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    /// Offsets before the start, used unless an event sets its own.
    pub offsets: Vec<Duration>,
    pub announce_new: bool,
    /// A fixed grace for late reminders; `None` for a quarter of each offset, at most 12 hours.
    pub grace: Option<Duration>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            offsets: vec![
                Duration::from_secs(7 * 86400),
                Duration::from_secs(86400),
                Duration::from_secs(2 * 3600),
            ],
            announce_new: true,
            grace: None,
        }
    }
}

impl Rules {
    /// How late a reminder at `offset` may still be posted.
    pub fn grace_for(&self, offset: Duration) -> Duration {
        self.grace
            .unwrap_or_else(|| (offset / 4).min(Duration::from_secs(12 * 3600)))
    }
}

/// An announcement to post now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub key: Key,
    /// When it was due (for a late reminder, in the past).
    pub due: DateTime<Utc>,
    /// After this it is no longer worth posting; retries stop here.
    pub deadline: DateTime<Utc>,
    /// For a rescheduled notice: the start it moved from.
    pub previous_start: Option<DateTime<Utc>>,
}

/// An announcement that will not be posted, and why (recorded so it is never reconsidered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub key: Key,
    pub due: DateTime<Utc>,
    pub reason: String,
}

/// A pending announcement, for `crier schedule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub key: Key,
    pub due: DateTime<Utc>,
}

/// The decision for one event at one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub event_id: String,
    pub due: Vec<Due>,
    pub skip: Vec<Skip>,
    /// The ledger should track the event at this start (first sight, or a move).
    pub track: Option<DateTime<Utc>>,
    pub pending: Vec<Pending>,
    /// When to look at this event again: the earliest pending announcement.
    pub next_check: Option<DateTime<Utc>>,
}

/// Decides what is due for `event` at `now`.
pub fn plan_event(
    event: &Event,
    ledger: &impl LedgerView,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Plan {
    let mut plan = Plan {
        event_id: event.id.clone(),
        ..Plan::default()
    };
    let start = event.start.with_timezone(&Utc);
    // An event that has started is never announced.
    if start <= now {
        return plan;
    }
    let key = |kind| Key {
        event_id: event.id.clone(),
        kind,
        start,
    };
    let tracked = ledger.tracked(&event.id);
    // First sight, or a move: reminders already past are not posted late, they were never armed.
    let fresh = match tracked {
        None => {
            plan.track = Some(start);
            true
        }
        Some(t) if t.start != start => {
            plan.track = Some(start);
            if t.announced && !event.cancelled && !ledger.settled(&key(Kind::Rescheduled)) {
                plan.due.push(Due {
                    key: key(Kind::Rescheduled),
                    due: now,
                    deadline: start,
                    previous_start: Some(t.start),
                });
            }
            true
        }
        Some(_) => false,
    };
    let announced = tracked.is_some_and(|t| t.announced);
    if event.cancelled {
        if announced && !ledger.settled(&key(Kind::Cancelled)) {
            plan.due.push(Due {
                key: key(Kind::Cancelled),
                due: now,
                deadline: start,
                previous_start: None,
            });
        }
        return plan;
    }
    // A series is announced as new once, with its first occurrence; later occurrences get their
    // reminders only. A dated file with its own details is news of its own.
    let new_key = match &event.occurrence {
        Some(occurrence) if !occurrence.overridden => Key {
            event_id: occurrence.series.clone(),
            kind: Kind::New,
            start: DateTime::UNIX_EPOCH,
        },
        _ => key(Kind::New),
    };
    if rules.announce_new && !announced && !ledger.settled(&new_key) {
        plan.due.push(Due {
            key: new_key,
            due: now,
            deadline: start,
            previous_start: None,
        });
    }
    let offsets = event.reminders.as_deref().unwrap_or(&rules.offsets);
    let mut overdue = Vec::new();
    for &offset in offsets {
        let Ok(chrono_offset) = chrono::Duration::from_std(offset) else {
            continue;
        };
        let due = start - chrono_offset;
        let reminder = key(Kind::Reminder(offset));
        if ledger.settled(&reminder) {
            continue;
        }
        if due > now {
            plan.next_check = Some(plan.next_check.map_or(due, |n| n.min(due)));
            plan.pending.push(Pending { key: reminder, due });
        } else if fresh {
            plan.skip.push(Skip {
                key: reminder,
                due,
                reason: "already past when the event was first seen at this start".into(),
            });
        } else {
            overdue.push((due, offset, reminder));
        }
    }
    // Several reminders overdue at once (after downtime): post only the latest, if within its grace.
    overdue.sort_by_key(|(due, _, _)| *due);
    let latest = overdue.pop();
    for (due, _, reminder) in overdue {
        plan.skip.push(Skip {
            key: reminder,
            due,
            reason: "superseded by a later reminder that was also overdue".into(),
        });
    }
    if let Some((due, offset, reminder)) = latest {
        let grace = chrono::Duration::from_std(rules.grace_for(offset)).unwrap_or_default();
        let deadline = (due + grace).min(start);
        if now <= deadline {
            plan.due.push(Due {
                key: reminder,
                due,
                deadline,
                previous_start: None,
            });
        } else {
            plan.skip.push(Skip {
                key: reminder,
                due,
                reason: format!(
                    "missed: {} late, beyond its grace of {}",
                    humantime::format_duration(to_std(now - due)),
                    humantime::format_duration(rules.grace_for(offset))
                ),
            });
        }
    }
    plan.pending.sort_by_key(|p| p.due);
    plan
}

fn to_std(d: chrono::Duration) -> Duration {
    Duration::from_secs(d.num_seconds().max(0).unsigned_abs())
}

/// Events indexed by the next time each needs a look. Changing one event costs O(log n), and the next
/// wake-up is the first entry.
#[derive(Debug, Default)]
pub struct Timeline {
    by_time: BTreeSet<(DateTime<Utc>, String)>,
    by_event: HashMap<String, DateTime<Utc>>,
}

impl Timeline {
    /// Sets (or, with `None`, clears) when `event_id` needs a look.
    pub fn set(&mut self, event_id: &str, at: Option<DateTime<Utc>>) {
        if let Some(old) = self.by_event.remove(event_id) {
            self.by_time.remove(&(old, event_id.to_string()));
        }
        if let Some(at) = at {
            self.by_time.insert((at, event_id.to_string()));
            self.by_event.insert(event_id.to_string(), at);
        }
    }

    /// When the next event needs a look.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        self.by_time.first().map(|(at, _)| *at)
    }

    /// Removes and returns the events that need a look at or before `now`.
    pub fn take_due(&mut self, now: DateTime<Utc>) -> Vec<String> {
        let mut ids = Vec::new();
        while let Some((at, _)) = self.by_time.first() {
            if *at > now {
                break;
            }
            if let Some((_, id)) = self.by_time.pop_first() {
                self.by_event.remove(&id);
                ids.push(id);
            }
        }
        ids
    }

    pub fn len(&self) -> usize {
        self.by_event.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_event.is_empty()
    }
}

/// An in-memory [`LedgerView`], the mirror the announcer keeps of the database (and the one tests use).
#[derive(Debug, Clone, Default)]
pub struct Memory {
    pub tracked: HashMap<String, Tracked>,
    pub settled: HashSet<Key>,
}

impl LedgerView for Memory {
    fn tracked(&self, event_id: &str) -> Option<&Tracked> {
        self.tracked.get(event_id)
    }

    fn settled(&self, key: &Key) -> bool {
        self.settled.contains(key)
    }
}

impl Memory {
    /// Moves everything known about `from` to `to` (an identity carried over).
    pub fn rename(&mut self, from: &str, to: &str) {
        if let Some(tracked) = self.tracked.remove(from) {
            self.tracked.insert(to.to_string(), tracked);
        }
        let moved: Vec<Key> = self
            .settled
            .iter()
            .filter(|k| k.event_id == from)
            .cloned()
            .collect();
        for mut key in moved {
            self.settled.remove(&key);
            key.event_id = to.to_string();
            self.settled.insert(key);
        }
    }

    /// Applies a plan's bookkeeping and marks `sent` as posted, as the announcer does with the database.
    pub fn apply(&mut self, plan: &Plan, sent: &[Key]) {
        if let Some(start) = plan.track {
            let announced = self
                .tracked
                .get(&plan.event_id)
                .is_some_and(|t| t.announced);
            self.tracked
                .insert(plan.event_id.clone(), Tracked { start, announced });
        }
        for skip in &plan.skip {
            self.settled.insert(skip.key.clone());
        }
        for key in sent {
            self.mark_sent(key);
        }
    }

    /// Marks an event as announced (an occurrence whose series' "new" was posted for it).
    pub fn mark_announced(&mut self, event_id: &str) {
        if let Some(t) = self.tracked.get_mut(event_id) {
            t.announced = true;
        }
    }

    pub fn mark_sent(&mut self, key: &Key) {
        self.settled.insert(key.clone());
        self.mark_announced(&key.event_id);
    }
}
