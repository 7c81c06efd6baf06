//! `/speakers`: the speakers of upcoming events with their next talk, a page at a time; or, for one
//! name, that speaker's talks, upcoming then past.

use chrono::{DateTime, Utc};

use super::events::event_line;
use super::group::{self, in_scope, Group};
use super::paging::{self, Page};
use super::talks::with_recordings;
use super::{first_page, Answer, Index};
use crate::embed::{self, Embed, BLUE, DESCRIPTION_MAX, TITLE_MAX};
use crate::l10n::Texts;
use crate::render;
use crate::text::truncate;

/// `/speakers`: the first page of the speakers of upcoming events of `group`, or, with a `name`,
/// that speaker's talks.
pub fn speakers(
    index: &impl Index,
    name: Option<&str>,
    group: Option<&str>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Answer {
    let group = match group::resolve(index.events(), group, texts) {
        Ok(group) => group,
        Err(text) => return Answer::Private(text),
    };
    match name {
        None => first_page(
            "speakers",
            group.as_ref(),
            list_page(index, group.as_ref(), 0, now, texts),
            texts,
        ),
        Some(name) => talks_by(index, name, group.as_ref(), now, texts),
    }
}

/// One page of the speakers of upcoming events of `group`.
pub fn list_page(
    index: &impl Index,
    group: Option<&Group>,
    page: usize,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Page {
    let (lines, total) = paging::window(lines(index, group, now), page);
    Page {
        title: group::list_title(&texts.get("list-speakers"), group, texts),
        lines,
        total,
    }
}

/// Speakers of upcoming events of `group`, by name, with their next talk there: from the index of
/// speakers, a binary search per speaker for the first talk not started yet.
fn lines(index: &impl Index, group: Option<&Group>, now: DateTime<Utc>) -> Vec<String> {
    let events = index.events();
    index
        .speakers()
        .filter_map(|(_, speaker)| {
            let next = speaker
                .talks
                .partition_point(|&(e, _)| events[e].start < now);
            let at = speaker.talks[next..]
                .iter()
                .find(|&&(e, _)| in_scope(&events[e], group))?;
            let (event, talk) = index.talk(*at);
            let name = embed::link(&render::neutral(speaker.name), speaker.url);
            Some(format!(
                "{name}: {} ({})",
                render::neutral(&talk.title),
                render::neutral(&event.title)
            ))
        })
        .collect()
}

/// The talks of the speaker called `name` at events of `group`: upcoming ones soonest first, then
/// past ones most recent first.
fn talks_by(
    index: &impl Index,
    name: &str,
    group: Option<&Group>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Answer {
    let events = index.events();
    let speaker = index.speaker(name);
    let talks = speaker.map_or(&[][..], |s| s.talks);
    let split = talks.partition_point(|&(e, _)| events[e].start < now);
    let lines: Vec<String> = talks[split..]
        .iter()
        .chain(talks[..split].iter().rev())
        .filter(|&&(e, _)| in_scope(&events[e], group))
        .map(|&at| {
            let (event, talk) = index.talk(at);
            let line = format!(
                "**{}**: {}",
                render::neutral(&talk.title),
                event_line(event, texts)
            );
            with_recordings(line, talk, texts)
        })
        .collect();
    if lines.is_empty() {
        return Answer::Say(group::say_in_group(
            texts,
            "reply-no-talks-by",
            group,
            &[("name", truncate(&render::neutral(name), 100).into())],
        ));
    }
    Answer::Embed(Embed {
        title: truncate(&render::neutral(name.trim()), TITLE_MAX),
        url: speaker.and_then(|s| s.url.map(str::to_string)),
        description: truncate(&lines.join("\n"), DESCRIPTION_MAX),
        color: BLUE,
        ..Embed::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::{self, event, meetup, now, Catalog};
    use crate::catalog::{Event, Speaker, Talk};

    #[test]
    fn the_speakers_of_upcoming_events_with_their_next_talk() {
        let site = fixture::fourteen_meetups();
        let answer = speakers(&site, None, None, now(), &crate::answers::fixture::en());
        let Answer::Page(embed, buttons) = answer else {
            panic!("a page: {answer:?}");
        };
        assert_eq!(embed.title, "Speakers of upcoming events");
        assert_eq!(
            embed.description,
            "[Ada Example](https://github.com/ada): Async Rust (Meetup 00)\nBob Example: Macros (Meetup 00)"
        );
        assert!(buttons.is_empty());

        let groups = fixture::groups();
        let Answer::Page(berlin, _) = speakers(
            &groups,
            None,
            Some("berlin"),
            now(),
            &crate::answers::fixture::en(),
        ) else {
            panic!("a page");
        };
        assert_eq!(berlin.title, "Speakers of upcoming events in berlin");
        assert!(berlin.description.contains("(Berlin one)") && !berlin.description.contains("TLV"));
    }

    #[test]
    fn speakers_page_through_ten_at_a_time_and_past_ones_are_left_out() {
        let mut events: Vec<_> = (0..12)
            .map(|i| Event {
                talks: vec![Talk::new(
                    format!("Talk {i}"),
                    vec![Speaker {
                        name: format!("Speaker {i:02}"),
                        url: None,
                    }],
                )],
                ..event(&format!("e{i}"), i + 1, None)
            })
            .collect();
        events[0].start = (now() - chrono::Duration::hours(1)).fixed_offset();
        let site = Catalog::new(events);
        let Answer::Page(first, buttons) =
            speakers(&site, None, None, now(), &crate::answers::fixture::en())
        else {
            panic!("a page");
        };
        assert_eq!(first.footer, "Page 1 of 2");
        assert!(
            first
                .description
                .starts_with("Speaker 01: Talk 1 (Meetup e1)"),
            "{}",
            first.description
        );
        assert_eq!(buttons[1].custom_id, "crier:page:speakers:1");
        let second = list_page(&site, None, 1, now(), &crate::answers::fixture::en());
        assert_eq!(
            (second.lines, second.total),
            (vec!["Speaker 11: Talk 11 (Meetup e11)".to_string()], 11)
        );
    }

    #[test]
    fn a_speakers_talks_upcoming_soonest_first_then_past_most_recent_first() {
        let site = fixture::fourteen_meetups();
        let answer = speakers(
            &site,
            Some(" bob EXAMPLE "),
            None,
            now(),
            &crate::answers::fixture::en(),
        );
        let Answer::Embed(bob) = answer else {
            panic!("an embed: {answer:?}");
        };
        assert_eq!(bob.title, "bob EXAMPLE", "as asked");
        assert_eq!(bob.url, None);
        let lines: Vec<&str> = bob.description.lines().collect();
        assert_eq!(lines.len(), 15, "all 15 talks, upcoming and past");
        assert_eq!(
            lines[0],
            "**Macros**: <t:1900003600:F> (<t:1900003600:R>) [Meetup 00](https://example.org/e00)"
        );
        assert!(lines[13].contains("Meetup 13") && lines[14].contains("Old meetup"));

        let Answer::Embed(ada) = speakers(
            &site,
            Some("Ada Example"),
            None,
            now(),
            &crate::answers::fixture::en(),
        ) else {
            panic!("an embed");
        };
        assert_eq!(ada.url.as_deref(), Some("https://github.com/ada"));

        let groups = fixture::groups();
        let Answer::Embed(berlin) = speakers(
            &groups,
            Some("Bob Example"),
            Some("berlin"),
            now(),
            &crate::answers::fixture::en(),
        ) else {
            panic!("an embed");
        };
        assert_eq!(
            berlin.description.matches("**Macros**").count(),
            2,
            "berlin's two"
        );
    }

    #[test]
    fn no_talks_by_an_unknown_speaker() {
        let site = Catalog::new(vec![meetup("a", "Rust night", 1, Some("tlv"))]);
        assert_eq!(
            speakers(
                &site,
                Some("Nobody @everyone"),
                None,
                now(),
                &crate::answers::fixture::en()
            ),
            Answer::Say("No talks by “Nobody @\u{200b}everyone”.".into())
        );
        assert_eq!(
            speakers(&site, Some("Ada Example"), Some("tlv"), now() + chrono::Duration::days(1), &crate::answers::fixture::en()),
            Answer::Embed(Embed {
                title: "Ada Example".into(),
                url: Some("https://github.com/ada".into()),
                description: "**Async Rust**: <t:1900003600:F> (<t:1900003600:R>) [Rust night](https://example.org/a)".into(),
                color: BLUE,
                ..Embed::default()
            }),
            "a past talk"
        );
        let groups = fixture::groups();
        assert_eq!(
            speakers(
                &groups,
                Some("Nobody"),
                Some("berlin"),
                now(),
                &crate::answers::fixture::en()
            ),
            Answer::Say("No talks by “Nobody” in the group `berlin`.".into())
        );
    }
}
