//! The server's Events tab as a sync: what Discord's guild scheduled events should be (one per upcoming,
//! not cancelled event, the nearest first up to Discord's limit), diffed against what the ledger
//! recorded and what Discord reports. Pure: the Discord adapter (`discord::events_tab`) runs the
//! actions this module decides and writes the ledger.
//!
//! Why the ledger and a marker both: the ledger keeps the scheduled event's id with the event, so an
//! edit is one PATCH and a restart sends nothing. A create is recorded as `creating` before the POST;
//! if crier dies before it learns the id, the next start finds the event Discord made by the marker
//! line crier writes at the end of each description, and adopts it instead of creating a second one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::catalog::Event;
use crate::l10n::Words;
use crate::schedule::stable_hash;
use crate::text::cut_at;

/// Discord's limit on scheduled or active events per guild.
pub const GUILD_LIMIT: usize = 100;
/// Discord's field limits.
pub const NAME_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 1000;
pub const LOCATION_MAX: usize = 100;
/// An event starting sooner than this is not created: Discord refuses a start in the past, and a
/// request in flight must not cross it.
const START_MARGIN: chrono::Duration = chrono::Duration::seconds(60);

/// What one scheduled event should say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub name: String,
    pub description: String,
    pub location: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Spec {
    /// A stable digest of every field, kept in the ledger: a change to any of them is one PATCH.
    pub fn fingerprint(&self) -> String {
        let text = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}\u{0}{}",
            self.name,
            self.description,
            self.location,
            self.start.timestamp(),
            self.end.timestamp()
        );
        format!("{:016x}", stable_hash(&text))
    }
}

/// The marker line that ends each description crier writes: `crier:` and a digest of the event's id.
pub fn marker(event_id: &str) -> String {
    format!("crier:{:016x}", stable_hash(event_id))
}

/// The event id a description's marker names, among `ids`.
fn marked<'a>(description: &str, by_marker: &HashMap<String, &'a str>) -> Option<&'a str> {
    let last = description.lines().last()?.trim();
    by_marker.get(last).copied()
}

/// The scheduled event for `event`: its name, its talks and speakers then its registration link (which
/// survives any cut) and the marker, its place, and its times.
pub fn spec(event: &Event, duration: Duration, words: &Words) -> Spec {
    let texts = words.for_event(event);
    let start = event.start.with_timezone(&Utc);
    let end = event
        .end
        .map(|e| e.with_timezone(&Utc))
        .filter(|e| *e > start)
        .unwrap_or_else(|| start + chrono::Duration::from_std(duration).unwrap_or_default());
    let mut tail = String::new();
    if let Some(register) = &event.register {
        tail.push_str("\n\n");
        tail.push_str(&texts.say("text-register", &[("url", register.as_str().into())]));
    }
    tail.push_str(&format!("\n\n{}", marker(&event.id)));
    let talks: Vec<String> = event
        .talks
        .iter()
        .map(|t| format!("• {}", crate::talk_line::bracketed(t)))
        .collect();
    let room = DESCRIPTION_MAX.saturating_sub(tail.chars().count());
    let head = cut_at(&talks.join("\n"), room);
    let description = format!("{head}{tail}").trim_start().to_string();
    let location = match (&event.location, event.online) {
        (Some(place), _) => cut_at(place, LOCATION_MAX),
        (None, Some(true)) => event
            .register
            .as_ref()
            .map(|link| texts.say("tab-online-at", &[("link", link.as_str().into())]))
            .filter(|place| place.chars().count() <= LOCATION_MAX)
            .unwrap_or_else(|| texts.get("tab-online")),
        _ => cut_at(&texts.get("tab-place-unknown"), LOCATION_MAX),
    };
    // Discord refuses an empty name; a title is never empty, but one of spaces would be.
    let name = Some(event.title.trim())
        .filter(|t| !t.is_empty())
        .unwrap_or(event.id.as_str());
    Spec {
        name: cut_at(name, NAME_MAX),
        description,
        location,
        start,
        end,
    }
}

/// Where the ledger says an event's scheduled event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The POST was (maybe) sent; its answer was not recorded yet.
    Creating,
    Scheduled,
    Cancelled,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Creating => "creating",
            State::Scheduled => "scheduled",
            State::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        Some(match text {
            "creating" => State::Creating,
            "scheduled" => State::Scheduled,
            "cancelled" => State::Cancelled,
            _ => return None,
        })
    }
}

/// One ledger row: the scheduled event kept for an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub event_id: String,
    pub discord_id: Option<String>,
    pub state: State,
    /// The fingerprint of the spec last sent.
    pub fingerprint: String,
    pub start: DateTime<Utc>,
}

/// A scheduled event as Discord lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub id: String,
    /// Whether the bot created it.
    pub by_bot: bool,
    pub description: String,
    /// 1 scheduled, 2 active, 3 completed, 4 cancelled.
    pub status: u8,
    pub user_count: Option<u64>,
}

impl Remote {
    fn uncompleted(&self) -> bool {
        matches!(self.status, 1 | 2)
    }
}

/// A change to the ledger that a look at Discord calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// A create whose answer was lost, found by its marker (or a marked event the ledger lost).
    Adopt {
        event_id: String,
        discord_id: String,
    },
    /// A create that never reached Discord, or a scheduled event someone deleted: forget it, so it is
    /// created again if still wanted.
    Forget { event_id: String },
}

/// Squares the ledger with Discord's list: lost creates are adopted by their marker, records of
/// events Discord no longer has are forgotten. Events that crier did not create are never matched.
pub fn reconcile(records: &[Recorded], remote: &[Remote], events: &[Event]) -> Vec<Fix> {
    let mut by_marker: HashMap<String, &str> = HashMap::new();
    for id in events
        .iter()
        .map(|e| e.id.as_str())
        .chain(records.iter().map(|r| r.event_id.as_str()))
    {
        by_marker.insert(marker(id), id);
    }
    let mut marked_remote: HashMap<&str, &Remote> = HashMap::new();
    for r in remote.iter().filter(|r| r.by_bot) {
        if let Some(id) = marked(&r.description, &by_marker) {
            // Two with one marker (should not happen): the uncompleted one wins.
            match marked_remote.get(id) {
                Some(existing) if existing.uncompleted() => {}
                _ => {
                    marked_remote.insert(id, r);
                }
            }
        }
    }
    let remote_ids: HashSet<&str> = remote.iter().map(|r| r.id.as_str()).collect();
    let recorded: HashSet<&str> = records.iter().map(|r| r.event_id.as_str()).collect();
    let mut fixes = Vec::new();
    for record in records {
        match (&record.discord_id, record.state) {
            (None, _) | (_, State::Creating) => match marked_remote.get(record.event_id.as_str()) {
                Some(r) => fixes.push(Fix::Adopt {
                    event_id: record.event_id.clone(),
                    discord_id: r.id.clone(),
                }),
                None => fixes.push(Fix::Forget {
                    event_id: record.event_id.clone(),
                }),
            },
            (Some(id), State::Scheduled) if !remote_ids.contains(id.as_str()) => {
                fixes.push(Fix::Forget {
                    event_id: record.event_id.clone(),
                });
            }
            _ => {}
        }
    }
    // A marked, uncompleted event the ledger does not know (a ledger restored from an older backup).
    let mut orphans: Vec<(&str, &Remote)> = marked_remote
        .iter()
        .filter(|(id, r)| !recorded.contains(*id) && r.uncompleted())
        .map(|(id, r)| (*id, *r))
        .collect();
    orphans.sort_by_key(|(id, _)| *id);
    for (id, r) in orphans {
        fixes.push(Fix::Adopt {
            event_id: id.to_string(),
            discord_id: r.id.clone(),
        });
    }
    fixes
}

/// A request to make to Discord.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Create {
        event_id: String,
        spec: Spec,
    },
    Update {
        event_id: String,
        discord_id: String,
        spec: Spec,
    },
    Cancel {
        event_id: String,
        discord_id: String,
        spec: Spec,
    },
    Delete {
        event_id: String,
        discord_id: String,
    },
    /// The record goes, with no request (its event is over: Discord completes it on its own).
    Forget {
        event_id: String,
    },
}

/// What the sync knows about the guild besides its own records.
#[derive(Debug, Clone, Copy, Default)]
pub struct Guild {
    /// Uncompleted scheduled events that crier did not create: they count against Discord's limit.
    pub foreign_uncompleted: usize,
}

/// Diffs what should be against what the ledger recorded, in the order to run: deletes first (they
/// free room under the limit), then cancellations, updates, and creates nearest first.
pub fn plan_actions(
    events: &[Event],
    records: &[Recorded],
    guild: Guild,
    duration: Duration,
    now: DateTime<Utc>,
    words: &Words,
) -> Vec<Action> {
    let by_id: HashMap<&str, &Event> = events.iter().map(|e| (e.id.as_str(), e)).collect();
    let recorded: BTreeMap<&str, &Recorded> =
        records.iter().map(|r| (r.event_id.as_str(), r)).collect();
    // Started and not yet ended: Discord shows them as active, and they count against the limit.
    let active = records
        .iter()
        .filter(|r| r.state == State::Scheduled && r.start <= now)
        .filter(|r| {
            by_id
                .get(r.event_id.as_str())
                .is_some_and(|e| spec(e, duration, words).end > now)
        })
        .count();
    let room = GUILD_LIMIT
        .saturating_sub(guild.foreign_uncompleted)
        .saturating_sub(active);
    let mut wanted: Vec<&Event> = events
        .iter()
        .filter(|e| !e.cancelled && e.start.with_timezone(&Utc) > now + START_MARGIN)
        .collect();
    wanted.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    wanted.truncate(room);
    let window: HashSet<&str> = wanted.iter().map(|e| e.id.as_str()).collect();

    let (mut deletes, mut cancels, mut updates, mut creates) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (id, record) in &recorded {
        let (Some(discord_id), State::Scheduled | State::Cancelled) =
            (&record.discord_id, record.state)
        else {
            continue;
        };
        let event = by_id.get(id);
        let started = event.map_or(record.start, |e| e.start.with_timezone(&Utc)) <= now;
        match event {
            // Deleted from the site: its scheduled event goes too, unless it is over already.
            None if started => deletes.push(Action::Forget {
                event_id: id.to_string(),
            }),
            None => deletes.push(Action::Delete {
                event_id: id.to_string(),
                discord_id: discord_id.clone(),
            }),
            // Past events: Discord starts and completes them; crier does not touch them again.
            Some(_) if started => {}
            Some(e) if e.cancelled => {
                if record.state == State::Scheduled {
                    cancels.push(Action::Cancel {
                        event_id: id.to_string(),
                        discord_id: discord_id.clone(),
                        spec: spec(e, duration, words),
                    });
                }
            }
            // Cancelled on Discord (final there) and back on the site: a new one is created below.
            Some(_) if record.state == State::Cancelled => {}
            Some(e) if window.contains(id) => {
                let spec = spec(e, duration, words);
                if spec.fingerprint() != record.fingerprint {
                    updates.push(Action::Update {
                        event_id: id.to_string(),
                        discord_id: discord_id.clone(),
                        spec,
                    });
                }
            }
            // Nearer events took its place under the limit: it waits its turn.
            Some(_) => deletes.push(Action::Delete {
                event_id: id.to_string(),
                discord_id: discord_id.clone(),
            }),
        }
    }
    for event in &wanted {
        let live = recorded
            .get(event.id.as_str())
            .is_some_and(|r| r.state != State::Cancelled);
        if !live {
            creates.push(Action::Create {
                event_id: event.id.clone(),
                spec: spec(event, duration, words),
            });
        }
    }
    deletes
        .into_iter()
        .chain(cancels)
        .chain(updates)
        .chain(creates)
        .collect()
}

/// When the sync next has something to do with no change to the files: the next start of an event
/// with a scheduled event (room frees up under the limit) or of one waiting in line.
pub fn next_wake(events: &[Event], now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    events
        .iter()
        .map(|e| e.start.with_timezone(&Utc) - START_MARGIN)
        .filter(|t| *t > now)
        .min()
}

/// Interested counts by event, from Discord's list and the ledger's ids.
pub fn interested(records: &[Recorded], remote: &[Remote]) -> HashMap<String, u64> {
    let counts: HashMap<&str, u64> = remote
        .iter()
        .filter_map(|r| Some((r.id.as_str(), r.user_count?)))
        .collect();
    records
        .iter()
        .filter_map(|r| {
            let count = counts.get(r.discord_id.as_deref()?)?;
            Some((r.event_id.clone(), *count))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words<'static> {
        Words {
            wording: crate::l10n::Wording::builtin_static(),
            policy: crate::l10n::Policy::default(),
        }
    }
    use crate::catalog::{Speaker, Talk};

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_900_000_000 + hours * 3600, 0).expect("valid")
    }

    fn event(id: &str, hours: i64) -> Event {
        Event {
            timezone: "UTC".into(),
            online: Some(true),
            register: Some(format!("https://example.org/{id}")),
            talks: vec![Talk::new(
                "Async".into(),
                vec![Speaker {
                    name: "Ada".into(),
                    url: None,
                }],
            )],
            ..Event::new(
                id,
                format!("Meetup {id}"),
                at(hours).fixed_offset(),
                format!("{id}.md"),
            )
        }
    }

    const D: Duration = Duration::from_secs(9000);

    fn live(e: &Event, discord_id: &str) -> Recorded {
        Recorded {
            event_id: e.id.clone(),
            discord_id: Some(discord_id.into()),
            state: State::Scheduled,
            fingerprint: spec(e, D, &words()).fingerprint(),
            start: e.start.with_timezone(&Utc),
        }
    }

    #[test]
    fn the_description_keeps_the_link_and_marker_whatever_is_cut() {
        let mut e = event("a", 10);
        e.talks = (0..200)
            .map(|i| Talk::new(format!("Talk number {i} with a longish title"), Vec::new()))
            .collect();
        let s = spec(&e, D, &words());
        assert!(s.description.chars().count() <= DESCRIPTION_MAX);
        assert!(s.description.contains("Register: https://example.org/a"));
        assert!(s.description.ends_with(&marker("a")));
        assert!(s.description.starts_with("• Talk number 0"));
        assert_eq!(s.location, "Online: https://example.org/a");
        assert_eq!(s.end - s.start, chrono::Duration::minutes(150));
    }

    #[test]
    fn create_once_then_update_only_on_change() {
        let e = event("a", 10);
        let actions = plan_actions(
            std::slice::from_ref(&e),
            &[],
            Guild::default(),
            D,
            at(0),
            &words(),
        );
        assert!(matches!(&actions[..], [Action::Create { event_id, .. }] if event_id == "a"));
        assert!(plan_actions(
            std::slice::from_ref(&e),
            &[live(&e, "1")],
            Guild::default(),
            D,
            at(0),
            &words(),
        )
        .is_empty());
        let mut moved = e.clone();
        moved.title = "Renamed".into();
        let actions = plan_actions(
            &[moved],
            &[live(&e, "1")],
            Guild::default(),
            D,
            at(0),
            &words(),
        );
        assert!(matches!(&actions[..], [Action::Update { discord_id, .. }] if discord_id == "1"));
    }

    #[test]
    fn cancelled_events_are_cancelled_and_deleted_ones_deleted() {
        let e = event("a", 10);
        let mut off = e.clone();
        off.cancelled = true;
        let actions = plan_actions(
            &[off],
            &[live(&e, "1")],
            Guild::default(),
            D,
            at(0),
            &words(),
        );
        assert!(matches!(&actions[..], [Action::Cancel { .. }]));
        let actions = plan_actions(&[], &[live(&e, "1")], Guild::default(), D, at(0), &words());
        assert!(matches!(&actions[..], [Action::Delete { discord_id, .. }] if discord_id == "1"));
        // Over already: forgotten without a request.
        let actions = plan_actions(&[], &[live(&e, "1")], Guild::default(), D, at(11), &words());
        assert!(matches!(&actions[..], [Action::Forget { .. }]));
    }

    #[test]
    fn past_events_are_left_to_discord() {
        let e = event("a", 10);
        let mut edited = e.clone();
        edited.title = "Renamed after the fact".into();
        assert!(plan_actions(
            &[edited],
            &[live(&e, "1")],
            Guild::default(),
            D,
            at(12),
            &words()
        )
        .is_empty());
    }

    #[test]
    fn the_nearest_events_win_under_the_limit_and_the_rest_wait() {
        let events: Vec<Event> = (0..150)
            .map(|i| event(&format!("e{i:03}"), 10 + i))
            .collect();
        let actions = plan_actions(&events, &[], Guild::default(), D, at(0), &words());
        assert_eq!(actions.len(), GUILD_LIMIT);
        assert!(matches!(&actions[0], Action::Create { event_id, .. } if event_id == "e000"));
        assert!(matches!(&actions[99], Action::Create { event_id, .. } if event_id == "e099"));
        // Foreign events take room too.
        let guild = Guild {
            foreign_uncompleted: 30,
        };
        assert_eq!(
            plan_actions(&events, &[], guild, D, at(0), &words()).len(),
            70
        );
        // A nearer event pushes the farthest one out: delete first, then create.
        let records: Vec<Recorded> = events[..100].iter().map(|e| live(e, &e.id)).collect();
        let mut more = events.clone();
        more.push(event("early", 5));
        let actions = plan_actions(&more, &records, Guild::default(), D, at(0), &words());
        assert!(
            matches!(&actions[..], [Action::Delete { event_id: d, .. }, Action::Create { event_id: c, .. }]
            if d == "e099" && c == "early")
        );
    }

    #[test]
    fn a_lost_create_is_adopted_by_its_marker_and_foreign_events_never() {
        let e = event("a", 10);
        let creating = Recorded {
            discord_id: None,
            state: State::Creating,
            ..live(&e, "x")
        };
        let s = spec(&e, D, &words());
        let ours = Remote {
            id: "77".into(),
            by_bot: true,
            description: s.description.clone(),
            status: 1,
            user_count: Some(3),
        };
        let foreign = Remote {
            id: "88".into(),
            by_bot: false,
            description: s.description.clone(),
            status: 1,
            user_count: None,
        };
        let fixes = reconcile(
            std::slice::from_ref(&creating),
            &[foreign.clone(), ours],
            std::slice::from_ref(&e),
        );
        assert_eq!(
            fixes,
            [Fix::Adopt {
                event_id: "a".into(),
                discord_id: "77".into()
            }]
        );
        // Not on Discord: the create never happened; forget it and create again.
        assert_eq!(
            reconcile(&[creating], &[foreign], &[e]),
            [Fix::Forget {
                event_id: "a".into()
            }]
        );
    }
}
