//! Pure decisions about recordings: which recording links of an event are new, and which of those are
//! due a "Recording available" announcement.
//!
//! The ledger keeps every link crier has seen. The first time crier looks at an event, its links are
//! taken as known without a word (a first run on a site with years of videos posts nothing, and so does
//! the first run after an upgrade). After that, a link that appears once the event is over is a new
//! recording: it is recorded as "to announce" before anything is sent, so a crash between the two
//! resends under the same key instead of forgetting it. A link that appears before the event ends
//! (a livestream link, say) waits until the end.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::catalog::{Event, Link, Talk};
use crate::schedule::{recording_id, Due, Key, Kind};

/// How long a recording announcement is retried after it became due.
const RETRY_FOR: chrono::Duration = chrono::Duration::days(7);

/// What the ledger knows about recordings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// Events whose links were taken as known once already.
    pub baselined: HashSet<String>,
    /// Per event: link to whether it is to be announced (false: known at first sight).
    pub links: HashMap<String, HashMap<String, bool>>,
}

impl Known {
    fn get(&self, event_id: &str, url: &str) -> Option<bool> {
        self.links.get(event_id)?.get(url).copied()
    }

    /// Applies a plan, as the ledger did.
    pub fn apply(&mut self, event_id: &str, plan: &Plan) {
        if let Some(urls) = &plan.baseline {
            self.baselined.insert(event_id.to_string());
            let links = self.links.entry(event_id.to_string()).or_default();
            for url in urls {
                links.entry(url.clone()).or_insert(false);
            }
        }
        if !plan.new.is_empty() {
            let links = self.links.entry(event_id.to_string()).or_default();
            for url in &plan.new {
                links.insert(url.clone(), true);
            }
        }
    }

    /// Moves everything known about `from` to `to` (an identity change).
    pub fn rename(&mut self, from: &str, to: &str) {
        if self.baselined.remove(from) {
            self.baselined.insert(to.to_string());
        }
        if let Some(links) = self.links.remove(from) {
            self.links.insert(to.to_string(), links);
        }
    }
}

/// The decision for one event's recordings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// First look: these links are known, none announced.
    pub baseline: Option<Vec<String>>,
    /// New links to record as "to announce" before sending.
    pub new: Vec<String>,
    /// Announcements to send now.
    pub due: Vec<Due>,
    /// Links wait for the event's end: look again then.
    pub next_check: Option<DateTime<Utc>>,
}

/// Every recording link of an event, in page order, each once: each talk's, then the event's own.
pub fn links(event: &Event) -> Vec<&Link> {
    let mut out: Vec<&Link> = Vec::new();
    for link in event
        .talks
        .iter()
        .flat_map(|t| &t.recordings)
        .chain(&event.recordings)
    {
        if !out.iter().any(|l| l.url == link.url) {
            out.push(link);
        }
    }
    out
}

/// The talk a recording belongs to, if it is a talk's (not the event's as a whole).
pub fn talk_of(event: &Event, id: u64) -> Option<&Talk> {
    event
        .talks
        .iter()
        .find(|t| t.recordings.iter().any(|r| recording_id(&r.url) == id))
}

/// The recording with this id, in the event.
pub fn find(event: &Event, id: u64) -> Option<&Link> {
    links(event)
        .into_iter()
        .find(|l| recording_id(&l.url) == id)
}

/// When an event counts as over: its end, else its start.
fn over_at(event: &Event) -> DateTime<Utc> {
    event.end.unwrap_or(event.start).with_timezone(&Utc)
}

/// Decides what to record and announce for `event`'s recordings at `now`.
pub fn plan_announcements(
    event: &Event,
    known: &Known,
    settled: impl Fn(&Key) -> bool,
    now: DateTime<Utc>,
) -> Plan {
    let urls: Vec<&str> = links(event).into_iter().map(|l| l.url.as_str()).collect();
    let mut plan = Plan::default();
    if !known.baselined.contains(&event.id) {
        plan.baseline = Some(urls.iter().map(std::string::ToString::to_string).collect());
        return plan;
    }
    let over = over_at(event) <= now;
    for url in urls {
        let key = Key {
            event_id: event.id.clone(),
            kind: Kind::Recording(recording_id(url)),
            start: event.start.with_timezone(&Utc),
        };
        let announce = match known.get(&event.id, url) {
            Some(announce) => announce,
            None if over => {
                plan.new.push(url.to_string());
                true
            }
            None => {
                plan.next_check = Some(over_at(event));
                false
            }
        };
        if announce && !settled(&key) {
            plan.due.push(Due {
                key,
                due: now,
                deadline: now + RETRY_FOR,
                previous_start: None,
            });
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Talk;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    fn event(urls: &[&str]) -> Event {
        let start = DateTime::parse_from_rfc3339("2030-01-10T18:00:00+02:00").expect("date");
        let talk = Talk::new("Async in depth".into(), Vec::new()).with_recordings(
            urls.iter()
                .map(|u| Link {
                    label: "Recording".into(),
                    url: u.to_string(),
                })
                .collect(),
        );
        Event {
            timezone: "Asia/Jerusalem".into(),
            end: Some(start + chrono::Duration::hours(2)),
            talks: vec![talk],
            ..Event::new("e", "Meetup", start, "e.md")
        }
    }

    #[test]
    fn the_first_look_takes_every_link_as_known_and_announces_none() {
        let plan = plan_announcements(
            &event(&["https://v/1"]),
            &Known::default(),
            |_| false,
            at("2031-01-01T00:00:00Z"),
        );
        assert_eq!(plan.baseline, Some(vec!["https://v/1".to_string()]));
        assert!(plan.due.is_empty());
    }

    #[test]
    fn a_link_added_after_the_end_is_announced_once() {
        let mut known = Known::default();
        let now = at("2030-01-11T00:00:00Z");
        let first = plan_announcements(&event(&[]), &known, |_| false, now);
        known.apply("e", &first);
        let later = event(&["https://v/1"]);
        let p = plan_announcements(&later, &known, |_| false, now);
        assert_eq!(p.new, vec!["https://v/1".to_string()]);
        assert_eq!(p.due.len(), 1);
        assert_eq!(
            p.due[0].key.kind,
            Kind::Recording(recording_id("https://v/1"))
        );
        known.apply("e", &p);
        // Recorded but not yet sent (a crash before the send): still due, and not new again.
        let again = plan_announcements(&later, &known, |_| false, now);
        assert!(again.new.is_empty());
        assert_eq!(again.due.len(), 1);
        // Sent: nothing more.
        let done = plan_announcements(&later, &known, |_| true, now);
        assert!(done.due.is_empty() && done.new.is_empty());
    }

    #[test]
    fn a_link_added_before_the_end_waits_for_it() {
        let mut known = Known::default();
        let before = at("2030-01-10T16:30:00Z");
        known.apply(
            "e",
            &plan_announcements(&event(&[]), &known, |_| false, before),
        );
        let p = plan_announcements(&event(&["https://v/live"]), &known, |_| false, before);
        assert!(p.due.is_empty() && p.new.is_empty());
        assert_eq!(p.next_check, Some(at("2030-01-10T18:00:00Z")));
        let after = plan_announcements(
            &event(&["https://v/live"]),
            &known,
            |_| false,
            at("2030-01-10T18:00:00Z"),
        );
        assert_eq!(after.due.len(), 1);
    }

    #[test]
    fn renaming_keeps_what_is_known() {
        let mut known = Known::default();
        known.apply(
            "e",
            &plan_announcements(
                &event(&["https://v/1"]),
                &known,
                |_| false,
                at("2031-01-01T00:00:00Z"),
            ),
        );
        known.rename("e", "f");
        let mut moved = event(&["https://v/1"]);
        moved.id = "f".into();
        let p = plan_announcements(&moved, &known, |_| false, at("2031-01-01T00:00:00Z"));
        assert!(p.baseline.is_none() && p.due.is_empty() && p.new.is_empty());
    }
}
