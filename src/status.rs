//! What the bot knows right now, shared read-only with the slash commands and the health endpoint.
//!
//! The run loop publishes a new [`Status`] after every reload and every send; readers take a cheap clone
//! of the `Arc`, so a command never waits for the announcer and never sees half an update.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use crate::catalog::{Event, Problem};
use crate::ledger::Record;

/// A planned announcement, for `/crier status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    pub due: DateTime<Utc>,
    pub kind: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Every loaded event, sorted by start.
    pub events: Vec<Event>,
    pub problems: Vec<Problem>,
    /// The next planned announcements, soonest first.
    pub next: Vec<Upcoming>,
    /// The ledger's latest results, most recent first.
    pub recent: Vec<Record>,
}

impl Status {
    /// Upcoming events (not started by `now`), soonest first.
    pub fn upcoming(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.start >= now)
    }

    /// Past events, most recent first.
    pub fn past(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Event> {
        self.events.iter().rev().filter(move |e| e.start < now)
    }
}

/// The shared, swappable status.
#[derive(Debug, Clone, Default)]
pub struct Shared(Arc<RwLock<Arc<Status>>>);

impl Shared {
    pub fn get(&self) -> Arc<Status> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            // A writer panicked mid-swap: the Arc inside is still whole.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, status: Status) {
        let status = Arc::new(status);
        match self.0.write() {
            Ok(mut guard) => *guard = status,
            Err(poisoned) => *poisoned.into_inner() = status,
        }
    }
}
