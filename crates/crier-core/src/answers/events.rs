//! `/next` and `/event`: the next event, or one found by name, in full.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::group;
use super::lookup::{find_event, next_event};
use super::{talks, Answer, Index};
use crate::catalog::Event;
use crate::embed::{self, Embed, DESCRIPTION_MAX};
use crate::l10n::Texts;
use crate::render;
use crate::schedule::Kind;
use crate::text::truncate;

/// `/next`: the next event of `group` that is not cancelled, in full. `interested` holds the Events
/// tab's interested counts by event id.
pub fn next(
    index: &impl Index,
    group: Option<&str>,
    interested: &HashMap<String, u64>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Answer {
    let group = match group::resolve(index.events(), group, texts) {
        Ok(group) => group,
        Err(text) => return Answer::Private(text),
    };
    match next_event(index, group.as_ref(), now) {
        Some(event) => Answer::Embed(event_embed(
            event,
            interested.get(&event.id).copied(),
            now,
            texts,
        )),
        None => Answer::Say(group::say_in_group(
            texts,
            "reply-no-upcoming",
            group.as_ref(),
            &[],
        )),
    }
}

/// `/event`: the event of `group` named `name`, in full.
pub fn event(
    index: &impl Index,
    name: &str,
    group: Option<&str>,
    interested: &HashMap<String, u64>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Answer {
    let group = match group::resolve(index.events(), group, texts) {
        Ok(group) => group,
        Err(text) => return Answer::Private(text),
    };
    match find_event(index, name, group.as_ref(), now) {
        Some(event) => Answer::Embed(event_embed(
            event,
            interested.get(&event.id).copied(),
            now,
            texts,
        )),
        None => Answer::Private(group::say_in_group(
            texts,
            "reply-no-event-match",
            group.as_ref(),
            &[("query", truncate(&render::neutral(name), 100).into())],
        )),
    }
}

/// An event in full: the same embed as its announcement, without the announcement's label, with
/// its interested count from the Events tab's last read (never fetched while the member waits), and
/// with each talk's abstract and recordings.
pub fn event_embed(
    event: &Event,
    interested: Option<u64>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Embed {
    let message = render::announcement(event, Kind::New, None, now, texts);
    let mut spec = embed::embed(&message, texts);
    if let Some(count) = interested {
        spec.fields.push((
            embed::field_name(texts, "field-interested"),
            count.to_string(),
            true,
        ));
    }
    spec.footer = if event.cancelled {
        texts.get("post-cancelled")
    } else {
        String::new()
    };
    // The talks as the announcement lists them, plus each one's abstract and recordings; and the
    // same first line as a cancellation's, whether or not any talk has an abstract.
    let intro = if event.cancelled {
        format!("{}\n", texts.get("event-cancelled"))
    } else {
        String::new()
    };
    let talks = talks::entries(&event.talks, "- ", "\n", texts);
    spec.description = truncate(&format!("{intro}{talks}"), DESCRIPTION_MAX);
    embed::fit_total(&mut spec);
    spec
}

/// `<t:…> [Title](register) (cancelled)`: an event in a list.
pub fn event_line(event: &Event, texts: &Texts) -> String {
    let title = embed::link(&render::neutral(&event.title), event.register.as_deref());
    let title = if event.cancelled {
        texts.say("title-cancelled", &[("title", title.into())])
    } else {
        title
    };
    format!(
        "{} {title}",
        embed::when(&event.start, event.time_known, texts)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::{self, embed_of, meetup, now, Catalog};
    use crate::answers::{speakers, talks, upcoming};

    fn none() -> HashMap<String, u64> {
        HashMap::new()
    }

    #[test]
    fn next_is_the_first_upcoming_event_not_cancelled_in_full() {
        let site = fixture::fourteen_meetups();
        let first = embed_of(next(
            &site,
            None,
            &none(),
            now(),
            &crate::answers::fixture::en(),
        ));
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
        let second = embed_of(next(
            &site,
            None,
            &interested,
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(second.title, "Still on");
        assert!(second
            .fields
            .contains(&("Interested".into(), "7".into(), true)));
    }

    #[test]
    fn an_event_in_full_says_it_is_cancelled() {
        let mut event = meetup("off", "Called off", 1, None);
        event.cancelled = true;
        let embed = event_embed(&event, None, now(), &crate::answers::fixture::en());
        assert_eq!(embed.footer, "Cancelled");
        assert!(embed
            .description
            .starts_with("This event is cancelled.\n- **Async Rust**"));
        event.talks.iter_mut().for_each(|t| t.abstract_md = None);
        let embed = event_embed(&event, None, now(), &crate::answers::fixture::en());
        assert!(
            embed
                .description
                .starts_with("This event is cancelled.\n- **Async Rust**"),
            "with no abstract too: {}",
            embed.description
        );
        // Without abstracts or recordings, the talks read as in the announcement.
        event.cancelled = false;
        let announced = crate::embed::embed(
            &render::announcement(
                &event,
                Kind::New,
                None,
                now(),
                &crate::answers::fixture::en(),
            ),
            &crate::answers::fixture::en(),
        );
        assert_eq!(
            event_embed(&event, None, now(), &crate::answers::fixture::en()).description,
            announced.description
        );
        event.talks[1].recordings = vec![fixture::recording(
            "Recording (English)",
            "https://youtu.be/x",
        )];
        assert_eq!(
            event_embed(&event, None, now(), &crate::answers::fixture::en()).description,
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
            next(&site, None, &none(), later, &crate::answers::fixture::en()),
            Answer::Say("No upcoming events yet.".into())
        );
        assert_eq!(
            next(
                &site,
                Some("TLV"),
                &none(),
                later,
                &crate::answers::fixture::en()
            ),
            Answer::Say("No upcoming events in the group `tlv` yet.".into())
        );
        let berlin = embed_of(next(
            &site,
            Some(" BERLIN "),
            &none(),
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(berlin.title, "Berlin one", "any case, spaces around");
        let any = embed_of(next(
            &site,
            None,
            &none(),
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(any.title, "Ungrouped night", "no group: every event");
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
            let group = group::resolve(site.events(), group, &crate::answers::fixture::en())
                .expect("known");
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

        let found = embed_of(event(
            &site,
            "old meetup",
            None,
            &none(),
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(found.title, "Old meetup");
    }

    #[test]
    fn an_unknown_event_or_group_is_answered_privately() {
        let site = fixture::groups();
        assert_eq!(
            event(
                &site,
                "nothing @here",
                None,
                &none(),
                now(),
                &crate::answers::fixture::en()
            ),
            Answer::Private("No event matches “nothing @\u{200b}here”.".into())
        );
        assert_eq!(
            event(
                &site,
                "Ungrouped",
                Some("berlin"),
                &none(),
                now(),
                &crate::answers::fixture::en()
            ),
            Answer::Private("No event matches “Ungrouped” in the group `berlin`.".into())
        );
        // A group no event has, in every command that takes one: the groups there are.
        let unknown = Answer::Private(
            "No events in the group `rust-tlv`; the groups are: berlin, tlv.".into(),
        );
        let group = Some("rust-tlv");
        assert_eq!(
            upcoming::upcoming(&site, group, None, now(), &crate::answers::fixture::en()),
            unknown
        );
        assert_eq!(
            next(&site, group, &none(), now(), &crate::answers::fixture::en()),
            unknown
        );
        assert_eq!(
            event(
                &site,
                "one",
                group,
                &none(),
                now(),
                &crate::answers::fixture::en()
            ),
            unknown
        );
        assert_eq!(
            talks::talks(&site, None, group, now(), &crate::answers::fixture::en()),
            unknown
        );
        assert_eq!(
            speakers::speakers(&site, None, group, now(), &crate::answers::fixture::en()),
            unknown
        );
    }
}
