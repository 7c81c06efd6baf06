//! `/next`, `/upcoming` and `/event`: the next event in full, the upcoming ones a page at a time,
//! and one event found by name.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::group::{self, in_scope, Group};
use super::paging::{self, Page, PAGE_LINES};
use super::{first_page, talks, Answer, Index};
use crate::catalog::Event;
use crate::embed::{self, Embed, DESCRIPTION_MAX};
use crate::render;
use crate::schedule::Kind;
use crate::talk_line;
use crate::text::truncate;

/// `/next`: the next event of `group` that is not cancelled, in full. `interested` holds the Events
/// tab's interested counts by event id.
pub fn next(
    index: &impl Index,
    group: Option<&str>,
    interested: &HashMap<String, u64>,
    now: DateTime<Utc>,
) -> Answer {
    let group = match group::resolve(index.events(), group) {
        Ok(group) => group,
        Err(answer) => return Answer::Private(answer),
    };
    match next_event(index, group.as_ref(), now) {
        Some(event) => Answer::Embed(event_embed(event, interested.get(&event.id).copied(), now)),
        None => Answer::Say(format!(
            "No upcoming events{} yet.",
            group::in_group_suffix(group.as_ref())
        )),
    }
}

/// `/upcoming`: the first `count` upcoming events of `group`, or, without a count, the first page
/// of them all.
pub fn upcoming(
    index: &impl Index,
    group: Option<&str>,
    count: Option<u8>,
    now: DateTime<Utc>,
) -> Answer {
    let group = match group::resolve(index.events(), group) {
        Ok(group) => group,
        Err(answer) => return Answer::Private(answer),
    };
    let group = group.as_ref();
    let Some(count) = count else {
        return first_page("upcoming", group, upcoming_page(index, group, 0, now));
    };
    let lines: Vec<String> = index
        .upcoming(now)
        .iter()
        .filter(|e| in_scope(e, group))
        .take(usize::from(count))
        .map(upcoming_line)
        .collect();
    let total = lines.len();
    let title = group::list_title("Upcoming events", group);
    let list = group::page_list("upcoming", group);
    let (embed, buttons) = paging::paged(&title, &list, &lines, 0, total);
    Answer::Page(embed, buttons)
}

/// `/event`: the event of `group` named `name`, in full.
pub fn event(
    index: &impl Index,
    name: &str,
    group: Option<&str>,
    interested: &HashMap<String, u64>,
    now: DateTime<Utc>,
) -> Answer {
    let group = match group::resolve(index.events(), group) {
        Ok(group) => group,
        Err(answer) => return Answer::Private(answer),
    };
    match find_event(index, name, group.as_ref(), now) {
        Some(event) => Answer::Embed(event_embed(event, interested.get(&event.id).copied(), now)),
        None => Answer::Private(format!(
            "No event matches “{}”{}.",
            truncate(&render::neutral(name), 100),
            group::in_group_suffix(group.as_ref())
        )),
    }
}

/// One page of `/upcoming`. Only the page's events are rendered.
pub fn upcoming_page(
    index: &impl Index,
    group: Option<&Group>,
    page: usize,
    now: DateTime<Utc>,
) -> Page {
    let upcoming = || index.upcoming(now).iter().filter(|e| in_scope(e, group));
    let total = upcoming().count();
    let page = page.min(paging::last_page(total));
    let lines = upcoming()
        .skip(page * PAGE_LINES)
        .take(PAGE_LINES)
        .map(upcoming_line)
        .collect();
    Page {
        title: group::list_title("Upcoming events", group),
        lines,
        total,
    }
}

/// The next event of `group` that is not cancelled.
pub fn next_event<'a>(
    index: &'a impl Index,
    group: Option<&Group>,
    now: DateTime<Utc>,
) -> Option<&'a Event> {
    index
        .upcoming(now)
        .iter()
        .find(|e| !e.cancelled && in_scope(e, group))
}

/// Finds an event of `group` by title (exact, then prefix, then substring; case-insensitive) or id,
/// upcoming first, over the titles the index lower-cased once.
pub fn find_event<'a>(
    index: &'a impl Index,
    name: &str,
    group: Option<&Group>,
    now: DateTime<Utc>,
) -> Option<&'a Event> {
    let wanted = name.trim().to_lowercase();
    let events = index.events();
    let matches = |f: &dyn Fn(&str) -> bool| {
        index.search_order(now).find(|&i| {
            let (title, id) = index.folded(i);
            (f(title) || id == wanted) && in_scope(&events[i], group)
        })
    };
    matches(&|t| t == wanted)
        .or_else(|| matches(&|t| t.starts_with(&wanted)))
        .or_else(|| matches(&|t| t.contains(&wanted)))
        .map(|i| &events[i])
}

/// An event in full: the same embed as its announcement, without the announcement's label, with
/// its interested count from the Events tab's last read (never fetched while the member waits), and
/// with each talk's abstract and recordings.
pub fn event_embed(event: &Event, interested: Option<u64>, now: DateTime<Utc>) -> Embed {
    let message = render::announcement(event, Kind::New, None, now);
    let mut spec = embed::embed(&message);
    if let Some(count) = interested {
        spec.fields
            .push(("Interested".into(), count.to_string(), true));
    }
    spec.footer = if event.cancelled {
        "Cancelled".into()
    } else {
        String::new()
    };
    // The talks as the announcement lists them, plus each one's abstract and recordings; and the
    // same first line as a cancellation's, whether or not any talk has an abstract.
    let intro = if event.cancelled {
        "This event is cancelled.\n"
    } else {
        ""
    };
    let talks = talks::entries(&event.talks, "- ", "\n");
    spec.description = truncate(&format!("{intro}{talks}"), DESCRIPTION_MAX);
    embed::fit_total(&mut spec);
    spec
}

/// `<t:…> [Title](register) (cancelled)`: an event in a list.
pub fn event_line(event: &Event) -> String {
    let title = embed::link(&render::neutral(&event.title), event.register.as_deref());
    let cancelled = if event.cancelled { " (cancelled)" } else { "" };
    format!(
        "{} {title}{cancelled}",
        embed::when(&event.start, event.time_known)
    )
}

/// The `/upcoming` line of one event, with a short line per talk.
fn upcoming_line(event: &Event) -> String {
    let mut line = event_line(event);
    for talk in &event.talks {
        // The separators hold no `@`, so neutralising the whole line is neutralising each part.
        line.push_str(&format!(
            "\n  • {}",
            render::neutral(&talk_line::brief(talk))
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::{self, meetup, now, Catalog};
    use crate::answers::{list_page, speakers, talks};

    fn embed_of(answer: Answer) -> Embed {
        match answer {
            Answer::Embed(embed) | Answer::Page(embed, _) => embed,
            other => panic!("an embed: {other:?}"),
        }
    }

    fn none() -> HashMap<String, u64> {
        HashMap::new()
    }

    #[test]
    fn next_is_the_first_upcoming_event_not_cancelled_in_full() {
        let site = fixture::fourteen_meetups();
        let first = embed_of(next(&site, None, &none(), now()));
        assert_eq!(first.title, "Meetup 00");
        assert_eq!(first.url.as_deref(), Some("https://example.org/e00"));
        assert_eq!(first.footer, "", "no announcement label");
        assert_eq!(
            first.fields[0],
            (
                "When".into(),
                "<t:1900003600:F> (<t:1900003600:R>)".into(),
                false
            )
        );
        // Each talk's abstract, as a quote, cut to fit, and unable to ping.
        assert!(
            first.description.starts_with("- **Async Rust** (30 min), [Ada Example](https://github.com/ada)\n> Why futures are lazy, @\u{200b}everyone."),
            "{}",
            first.description
        );
        assert!(
            !first.description.contains("THE END"),
            "{}",
            first.description
        );
        assert!(first.description.contains("…\n- **Macros**, Bob Example"));

        let mut cancelled = meetup("first", "Called off", 1, None);
        cancelled.cancelled = true;
        let site = Catalog::new(vec![cancelled, meetup("second", "Still on", 2, None)]);
        let interested = HashMap::from([("second".to_string(), 7)]);
        let second = embed_of(next(&site, None, &interested, now()));
        assert_eq!(second.title, "Still on");
        assert!(second
            .fields
            .contains(&("Interested".into(), "7".into(), true)));
    }

    #[test]
    fn an_event_in_full_says_it_is_cancelled() {
        let mut event = meetup("off", "Called off", 1, None);
        event.cancelled = true;
        let embed = event_embed(&event, None, now());
        assert_eq!(embed.footer, "Cancelled");
        assert!(embed
            .description
            .starts_with("This event is cancelled.\n- **Async Rust**"));
        event.talks.iter_mut().for_each(|t| t.abstract_md = None);
        let embed = event_embed(&event, None, now());
        assert!(
            embed
                .description
                .starts_with("This event is cancelled.\n- **Async Rust**"),
            "with no abstract too: {}",
            embed.description
        );
        // Without abstracts or recordings, the talks read as in the announcement.
        event.cancelled = false;
        let announced = crate::embed::embed(&render::announcement(&event, Kind::New, None, now()));
        assert_eq!(
            event_embed(&event, None, now()).description,
            announced.description
        );
        event.talks[1].recordings = vec![fixture::recording(
            "Recording (English)",
            "https://youtu.be/x",
        )];
        assert_eq!(
            event_embed(&event, None, now()).description,
            format!(
                "{}\n- **Macros**, Bob Example · [Recording (English)](https://youtu.be/x)",
                announced.description.lines().next().unwrap_or_default()
            )
        );
    }

    #[test]
    fn with_nothing_upcoming_next_says_so() {
        let site = fixture::groups();
        let later = now() + chrono::Duration::days(30);
        assert_eq!(
            next(&site, None, &none(), later),
            Answer::Say("No upcoming events yet.".into())
        );
        assert_eq!(
            next(&site, Some("TLV"), &none(), later),
            Answer::Say("No upcoming events in the group `tlv` yet.".into())
        );
        let berlin = embed_of(next(&site, Some(" BERLIN "), &none(), now()));
        assert_eq!(berlin.title, "Berlin one", "any case, spaces around");
        let any = embed_of(next(&site, None, &none(), now()));
        assert_eq!(any.title, "Ungrouped night", "no group: every event");
    }

    #[test]
    fn upcoming_lists_ten_events_a_page_with_their_talks() {
        let site = fixture::fourteen_meetups();
        let Answer::Page(first, buttons) = upcoming(&site, None, None, now()) else {
            panic!("a page");
        };
        assert_eq!(first.title, "Upcoming events");
        assert_eq!(first.footer, "Page 1 of 2");
        assert_eq!(buttons[1].custom_id, "crier:page:upcoming:1");
        assert!(first.description.starts_with(
            "<t:1900003600:F> (<t:1900003600:R>) [Meetup 00](https://example.org/e00)\n  • Async Rust, Ada Example\n  • Macros, Bob Example\n<t:1900007200:F>"
        ));
        assert!(
            first.description.contains("Meetup 09") && !first.description.contains("Meetup 10")
        );
        assert!(
            !first.description.contains("Old meetup"),
            "past events are not upcoming"
        );

        let second = list_page(&site, "upcoming", None, 1, now()).expect("a list");
        assert_eq!((second.lines.len(), second.total), (4, 14));
        assert!(second.lines[3].contains("Meetup 13"));
        assert_eq!(list_page(&site, "upcoming", None, 9, now()), Some(second));
        assert_eq!(
            list_page(&site, "status", None, 0, now()),
            None,
            "not kept here"
        );
    }

    #[test]
    fn upcoming_with_a_count_is_one_page_without_buttons() {
        let site = fixture::fourteen_meetups();
        let counted = upcoming(&site, None, Some(1), now());
        let Answer::Page(embed, buttons) = counted else {
            panic!("a page: {counted:?}");
        };
        assert!(buttons.is_empty());
        assert_eq!(embed.footer, "");
        assert!(
            embed.description.contains("Meetup 00") && !embed.description.contains("Meetup 01")
        );
        let groups = fixture::groups();
        let tlv = embed_of(upcoming(&groups, Some("TLV"), Some(1), now()));
        assert!(tlv.description.contains("TLV one") && !tlv.description.contains("TLV two"));
    }

    #[test]
    fn upcoming_of_one_group_pages_through_that_groups_events() {
        let site = fixture::groups();
        let Answer::Page(first, buttons) = upcoming(&site, Some("tlv"), None, now()) else {
            panic!("a page");
        };
        assert_eq!(first.title, "Upcoming events in tlv");
        assert_eq!(first.footer, "Page 1 of 2");
        let text = &first.description;
        assert!(
            text.contains("TLV one") && text.contains("TLV two"),
            "{text}"
        );
        for other in ["Berlin", "Ungrouped", "TLV past"] {
            assert!(!text.contains(other), "only tlv's upcoming events: {text}");
        }
        // The buttons carry the group, so the next page is tlv's too, even after a restart.
        let next_page = format!("crier:page:upcoming.{}:1", group::token("tlv"));
        assert_eq!(buttons[1].custom_id, next_page);
        let (list, page) = paging::parse(&next_page).expect("a paging button");
        let (name, tlv) = paging::target(site.events(), list).expect("tlv");
        let second = list_page(&site, name, tlv.as_ref(), page, now()).expect("a list");
        assert_eq!(second.title, "Upcoming events in tlv");
        assert!(second.lines.iter().any(|l| l.contains("TLV extra 9")));
        assert!(!second.lines.iter().any(|l| l.contains("Berlin")));
    }

    #[test]
    fn an_event_is_found_by_exact_title_then_prefix_then_substring_or_id_upcoming_first() {
        let site = Catalog::new(vec![
            meetup("night", "Rust night", 1, None),
            meetup("rust", "Rust", 2, None),
            meetup("old-rust", "Rust", -24, None),
            meetup("old", "Old meetup", -48, None),
            meetup("tlv", "Night in TLV", 3, Some("tlv")),
        ]);
        let find = |name: &str, group: Option<&str>| {
            let group = group::resolve(site.events(), group).expect("known");
            find_event(&site, name, group.as_ref(), now()).map(|e| e.id.as_str())
        };
        assert_eq!(
            find(" RUST ", None),
            Some("rust"),
            "exact, the upcoming one"
        );
        assert_eq!(find("rust n", None), Some("night"), "prefix");
        assert_eq!(
            find("night", None),
            Some("night"),
            "prefix before substring"
        );
        assert_eq!(find("in tlv", None), Some("tlv"), "substring");
        assert_eq!(find("old", None), Some("old"), "by id, a past event");
        assert_eq!(find("night", Some("tlv")), Some("tlv"), "within the group");
        assert_eq!(find("nothing", None), None);

        let found = embed_of(event(&site, "old meetup", None, &none(), now()));
        assert_eq!(found.title, "Old meetup");
    }

    #[test]
    fn an_unknown_event_or_group_is_answered_privately() {
        let site = fixture::groups();
        assert_eq!(
            event(&site, "nothing @here", None, &none(), now()),
            Answer::Private("No event matches “nothing @\u{200b}here”.".into())
        );
        assert_eq!(
            event(&site, "Ungrouped", Some("berlin"), &none(), now()),
            Answer::Private("No event matches “Ungrouped” in the group `berlin`.".into())
        );
        // A group no event has, in every command that takes one: the groups there are.
        let unknown = Answer::Private(
            "No events in the group `rust-tlv`; the groups are: berlin, tlv.".into(),
        );
        let group = Some("rust-tlv");
        assert_eq!(upcoming(&site, group, None, now()), unknown);
        assert_eq!(next(&site, group, &none(), now()), unknown);
        assert_eq!(event(&site, "one", group, &none(), now()), unknown);
        assert_eq!(talks::talks(&site, None, group, now()), unknown);
        assert_eq!(speakers::speakers(&site, None, group, now()), unknown);
    }
}
