//! What the bot knows right now, shared read-only with the slash commands and the health endpoint.
//!
//! The run loop publishes a new [`Status`] after every reload and every send; readers take a cheap clone
//! of the `Arc`, so a command never waits for the announcer and never sees half an update. The events
//! and their indexes ([`Snapshot`]) are built once per catalog change, not per command and not per
//! send: at 10,000 events a command is a binary search or a walk over a short list, never a scan that
//! lowercases every title.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use crate::adapters::ledger::Entry;
use crier_core::catalog::{Event, Problem, Talk};

/// A planned announcement, for `/crier status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    pub due: DateTime<Utc>,
    pub kind: String,
    pub title: String,
}

/// One speaker across the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerEntry {
    /// The name as first written.
    pub name: String,
    pub url: Option<String>,
    /// Their talks as (event, talk) indexes into [`Snapshot::events`], in event order.
    pub talks: Vec<(usize, usize)>,
}

/// The events, sorted by start, with what the commands look things up by.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub events: Vec<Event>,
    /// Every event's title and id, lower-cased, one after the other in one string: one allocation
    /// for the catalog rather than two per event (fewer small blocks left scattered across the
    /// allocator's heaps after each reload).
    folded: String,
    /// Where each event's title and then its id end in `folded`, two per event.
    folded_ends: Vec<usize>,
    /// Event indexes in the order of their ids, for [`Snapshot::get`]: the announcer keeps no map of
    /// its own, so the events are held once, here.
    by_id: Vec<usize>,
    /// Speakers by lower-cased name.
    speakers: BTreeMap<String, SpeakerEntry>,
}

impl Snapshot {
    /// Sorts the events (by start, then id) and indexes them, in place: the events are not copied.
    pub fn new(mut events: Vec<Event>) -> Snapshot {
        // Unstable (no scratch buffer of half the events): ids are unique, so the order is total.
        events.sort_unstable_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
        let mut folded = String::new();
        let mut folded_ends = Vec::with_capacity(2 * events.len());
        for event in &events {
            for text in [&event.title, &event.id] {
                // `str::to_lowercase`, not per char: a final sigma folds as the query's does.
                folded.push_str(&text.to_lowercase());
                folded_ends.push(folded.len());
            }
        }
        folded.shrink_to_fit();
        let mut speakers: BTreeMap<String, SpeakerEntry> = BTreeMap::new();
        for (ei, event) in events.iter().enumerate() {
            for (ti, talk) in event.talks.iter().enumerate() {
                for s in &talk.speakers {
                    let entry =
                        speakers
                            .entry(s.name.to_lowercase())
                            .or_insert_with(|| SpeakerEntry {
                                name: s.name.clone(),
                                url: None,
                                talks: Vec::new(),
                            });
                    if entry.url.is_none() {
                        entry.url = s.url.clone();
                    }
                    if entry.talks.last() != Some(&(ei, ti)) {
                        entry.talks.push((ei, ti));
                    }
                }
            }
        }
        let mut by_id: Vec<usize> = (0..events.len()).collect();
        by_id.sort_unstable_by(|&a, &b| events[a].id.cmp(&events[b].id));
        Snapshot {
            events,
            folded,
            folded_ends,
            by_id,
            speakers,
        }
    }

    /// The event with this id.
    pub fn get(&self, id: &str) -> Option<&Event> {
        let at = self
            .by_id
            .binary_search_by(|&i| self.events[i].id.as_str().cmp(id))
            .ok()?;
        self.events.get(self.by_id[at])
    }

    /// The index of the first event that starts at or after `now`.
    fn first_upcoming(&self, now: DateTime<Utc>) -> usize {
        self.events.partition_point(|e| e.start < now)
    }

    /// Indexes of upcoming events (soonest first), then past ones (most recent first): the order in
    /// which a name is looked up.
    pub fn search_order(&self, now: DateTime<Utc>) -> impl Iterator<Item = usize> {
        let split = self.first_upcoming(now);
        (split..self.events.len()).chain((0..split).rev())
    }

    /// An event's lower-cased title and id.
    pub fn folded(&self, index: usize) -> (&str, &str) {
        let start = match index {
            0 => 0,
            _ => self.folded_ends[2 * index - 1],
        };
        let (title_end, id_end) = (self.folded_ends[2 * index], self.folded_ends[2 * index + 1]);
        (
            &self.folded[start..title_end],
            &self.folded[title_end..id_end],
        )
    }

    /// The speaker named `name` (any case).
    pub fn speaker(&self, name: &str) -> Option<&SpeakerEntry> {
        self.speakers.get(&name.trim().to_lowercase())
    }

    /// Every speaker, by lower-cased name.
    pub fn speakers(&self) -> impl Iterator<Item = (&str, &SpeakerEntry)> {
        self.speakers.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A talk by its indexes.
    pub fn talk(&self, (event, talk): (usize, usize)) -> (&Event, &Talk) {
        let event = &self.events[event];
        (event, &event.talks[talk])
    }
}

#[derive(Debug, Clone)]
pub struct Status {
    /// Every loaded event, sorted by start, and its indexes.
    pub catalog: Arc<Snapshot>,
    /// The recurring series (their occurrences are among the catalog's events), for the feed.
    pub series: Arc<Vec<crier_core::catalog::Series>>,
    pub problems: Vec<Problem>,
    /// The next planned announcements, soonest first.
    pub next: Vec<Upcoming>,
    /// The ledger's latest results, most recent first.
    pub recent: Vec<Entry>,
    /// The messages the commands answer with, and the server's language for a member whose own
    /// crier has no messages in.
    pub wording: Arc<crier_core::l10n::Wording>,
    pub policy: crier_core::l10n::Policy,
}

impl Default for Status {
    /// Nothing loaded yet, with the built-in messages, shared: each site's status starts as this
    /// until its first load, and a fresh copy of the messages (what `Wording::default` makes) is
    /// about 0.3 MB of parsed Fluent, and a millisecond of parsing, per site.
    fn default() -> Self {
        Status {
            catalog: Arc::default(),
            series: Arc::default(),
            problems: Vec::new(),
            next: Vec::new(),
            recent: Vec::new(),
            wording: crier_core::l10n::Wording::builtin(),
            policy: crier_core::l10n::Policy::default(),
        }
    }
}

impl Status {
    /// Every loaded event, sorted by start.
    pub fn events(&self) -> &[Event] {
        &self.catalog.events
    }

    /// Upcoming events (not started by `now`), soonest first.
    pub fn upcoming(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Event> {
        self.catalog.events[self.catalog.first_upcoming(now)..].iter()
    }

    /// Past events, most recent first.
    pub fn past(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Event> {
        self.catalog.events[..self.catalog.first_upcoming(now)]
            .iter()
            .rev()
    }
}

/// The shared, swappable status; subscribers (the Events tab sync) hear of each new catalog.
#[derive(Debug, Clone)]
pub struct Shared {
    status: Arc<RwLock<Arc<Status>>>,
    /// `None` until the first catalog is published.
    catalog: Arc<tokio::sync::watch::Sender<Option<Arc<Snapshot>>>>,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            status: Arc::default(),
            catalog: Arc::new(tokio::sync::watch::channel(None).0),
        }
    }
}

impl Shared {
    pub fn get(&self) -> Arc<Status> {
        match self.status.read() {
            Ok(guard) => guard.clone(),
            // A writer panicked mid-swap: the Arc inside is still whole.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, status: Status) {
        let catalog = status.catalog.clone();
        let status = Arc::new(status);
        match self.status.write() {
            Ok(mut guard) => *guard = status,
            Err(poisoned) => *poisoned.into_inner() = status,
        }
        self.catalog.send_if_modified(|current| {
            if current.as_ref().is_some_and(|c| Arc::ptr_eq(c, &catalog)) {
                return false;
            }
            *current = Some(catalog);
            true
        });
    }

    /// The catalog as published: `None` until the first load, then each new one.
    pub fn catalog(&self) -> tokio::sync::watch::Receiver<Option<Arc<Snapshot>>> {
        self.catalog.subscribe()
    }
}

/// What the Events tab sync knows, for the commands: interested counts and whether it can work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tab {
    /// Whether `discord.scheduled_events` is on.
    pub enabled: bool,
    /// Members interested, by event id, as of the last read of the Events tab.
    pub interested: HashMap<String, u64>,
    /// Scheduled events crier keeps.
    pub kept: usize,
    /// Why the sync cannot do its work (a missing permission), if it cannot.
    pub problem: Option<String>,
    pub last_read: Option<DateTime<Utc>>,
}

/// The shared Events tab state, written by the sync and read by the commands.
#[derive(Debug, Clone, Default)]
pub struct SharedTab(Arc<RwLock<Arc<Tab>>>);

impl SharedTab {
    pub fn get(&self) -> Arc<Tab> {
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Changes the state with `f`, on a copy swapped in whole.
    pub fn update(&self, f: impl FnOnce(&mut Tab)) {
        let mut guard = match self.0.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut tab = (**guard).clone();
        f(&mut tab);
        *guard = Arc::new(tab);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crier_core::catalog::Speaker;

    /// Every site's status starts empty: with the one shared copy of the built-in messages, not
    /// a copy of its own per site (with 1,000 sites that was 300 MB and a second of the start).
    #[test]
    fn an_empty_status_shares_the_built_in_messages() {
        let shared = Shared::default();
        assert!(Arc::ptr_eq(
            &shared.get().wording,
            &crier_core::l10n::Wording::builtin()
        ));
    }

    fn event(id: &str, hours: i64, speakers: &[&str]) -> Event {
        Event {
            timezone: "UTC".into(),
            talks: vec![Talk::new(
                format!("Talk {id}"),
                speakers
                    .iter()
                    .map(|n| Speaker {
                        name: n.to_string(),
                        url: None,
                    })
                    .collect(),
            )],
            ..Event::new(
                id,
                format!("Meetup {id}"),
                DateTime::from_timestamp(1_900_000_000 + hours * 3600, 0)
                    .expect("valid")
                    .fixed_offset(),
                format!("{id}.md"),
            )
        }
    }

    #[test]
    fn upcoming_and_past_split_at_now_and_speakers_are_indexed_once() {
        let snapshot = Snapshot::new(vec![
            event("c", 3, &["Ada"]),
            event("a", 1, &["ada", "Bob"]),
            event("b", 2, &[]),
        ]);
        let status = Status {
            catalog: Arc::new(snapshot),
            ..Status::default()
        };
        let now = DateTime::from_timestamp(1_900_000_000 + 2 * 3600, 0).expect("valid");
        let up: Vec<&str> = status.upcoming(now).map(|e| e.id.as_str()).collect();
        let past: Vec<&str> = status.past(now).map(|e| e.id.as_str()).collect();
        assert_eq!(up, ["b", "c"]);
        assert_eq!(past, ["a"]);
        let order: Vec<usize> = status.catalog.search_order(now).collect();
        assert_eq!(order, [1, 2, 0]);
        let ada = status.catalog.speaker("ADA").expect("indexed");
        assert_eq!(ada.name, "ada");
        assert_eq!(ada.talks, [(0, 0), (2, 0)]);
        assert_eq!(status.catalog.speakers().count(), 2);
    }
}
