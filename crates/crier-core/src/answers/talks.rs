//! `/talks`: an event's talks, each with its length, speakers, recordings and the opening of its
//! abstract; and the talk entries `/event` shows the same way.

use chrono::{DateTime, Utc};

use super::group;
use super::lookup::{find_event, next_event};
use super::{Answer, Index};
use crate::catalog::Talk;
use crate::embed::{self, Embed, BLUE, DESCRIPTION_MAX, TITLE_MAX};
use crate::l10n::Texts;
use crate::render;
use crate::text::truncate;

/// The most of one abstract a command shows; all of them together stay within an embed's description.
const ABSTRACT_MAX: usize = 600;

/// `/talks`: the talks of the event of `group` named `event`, or of the next one.
pub fn talks(
    index: &impl Index,
    event: Option<&str>,
    group: Option<&str>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Answer {
    let group = match group::resolve(index.events(), group, texts) {
        Ok(group) => group,
        Err(text) => return Answer::Private(text),
    };
    let found = match event {
        Some(name) => find_event(index, name, group.as_ref(), now),
        None => next_event(index, group.as_ref(), now),
    };
    let Some(found) = found else {
        return Answer::Say(group::say_in_group(
            texts,
            "reply-no-such-event",
            group.as_ref(),
            &[],
        ));
    };
    let mut spec = Embed {
        title: truncate(
            &texts.say(
                "list-talks",
                &[("event", render::neutral(&found.title).into())],
            ),
            TITLE_MAX,
        ),
        url: found.register.clone(),
        description: if found.talks.is_empty() {
            texts.get("reply-no-talks-yet")
        } else {
            truncate(&entries(&found.talks, "", "\n\n", texts), DESCRIPTION_MAX)
        },
        color: BLUE,
        ..Embed::default()
    };
    spec.fields.push((
        embed::field_name(texts, "field-when"),
        embed::when(&found.start, found.time_known, texts),
        false,
    ));
    Answer::Embed(spec)
}

/// Talks as a command shows them: the title, its length and speakers, then the opening of its
/// abstract as a quote, each abstract cut so that every talk fits in one embed description.
pub fn entries(talks: &[Talk], bullet: &str, separator: &str, texts: &Texts) -> String {
    let heads: Vec<String> = talks
        .iter()
        .map(|t| {
            let line = embed::talk_line(&render::neutral_talk(t));
            with_recordings(format!("{bullet}{line}"), t, texts)
        })
        .collect();
    let fixed: usize = heads.iter().map(|h| h.chars().count() + 4).sum();
    let share = DESCRIPTION_MAX
        .saturating_sub(fixed)
        .checked_div(talks.len().max(1))
        .unwrap_or(0)
        .min(ABSTRACT_MAX);
    heads
        .into_iter()
        .zip(talks)
        .map(|(head, talk)| match &talk.abstract_md {
            Some(md) if share > 20 => {
                let text = render::abstract_text(md).replace('\n', " ");
                format!("{head}\n> {}", truncate(&text, share))
            }
            _ => head,
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// A talk's line with its recordings after it: `… · [Recording (English)](url)`.
pub fn with_recordings(mut head: String, talk: &Talk, texts: &Texts) -> String {
    for r in &talk.recordings {
        head.push_str(&format!(
            " · {}",
            embed::link(
                &render::neutral(&render::recording_label(&r.label, texts)),
                Some(&r.url)
            )
        ));
    }
    head
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::{self, meetup, now, recording, Catalog};
    use crate::catalog::Speaker;

    fn embed_of(answer: Answer) -> Embed {
        match answer {
            Answer::Embed(embed) => embed,
            other => panic!("an embed: {other:?}"),
        }
    }

    #[test]
    fn talks_of_the_next_event_with_abstracts_as_quotes() {
        let site = fixture::fourteen_meetups();
        let talks = embed_of(talks(
            &site,
            None,
            None,
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(talks.title, "Talks: Meetup 00");
        assert_eq!(talks.url.as_deref(), Some("https://example.org/e00"));
        assert!(talks.description.starts_with(
            "**Async Rust** (30 min), [Ada Example](https://github.com/ada)\n> Why futures are lazy, @\u{200b}everyone."
        ));
        assert!(talks.description.ends_with("…\n\n**Macros**, Bob Example"));
        assert_eq!(
            talks.fields,
            [(
                "When".into(),
                "<t:1900003600:F> (<t:1900003600:R>)".into(),
                false
            )]
        );
        let past = embed_of(super::talks(
            &site,
            Some("Old"),
            None,
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(past.title, "Talks: Old meetup");
    }

    #[test]
    fn talks_say_when_there_are_none_or_no_such_event() {
        let mut bare = meetup("bare", "Bare @everyone", 1, None);
        bare.talks.clear();
        let site = Catalog::new(vec![bare]);
        let none = embed_of(talks(
            &site,
            None,
            None,
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(none.title, "Talks: Bare @\u{200b}everyone");
        assert_eq!(none.description, "No talks announced yet.");
        assert_eq!(
            talks(
                &site,
                Some("missing"),
                None,
                now(),
                &crate::answers::fixture::en()
            ),
            Answer::Say("No such event.".into())
        );
        let groups = fixture::groups();
        assert_eq!(
            talks(
                &groups,
                Some("Ungrouped"),
                Some("berlin"),
                now(),
                &crate::answers::fixture::en()
            ),
            Answer::Say("No such event in the group `berlin`.".into())
        );
        let berlin = embed_of(talks(
            &groups,
            None,
            Some("berlin"),
            now(),
            &crate::answers::fixture::en(),
        ));
        assert_eq!(berlin.title, "Talks: Berlin one");
    }

    #[test]
    fn each_abstract_gets_a_share_of_the_description() {
        let one = vec![Talk {
            abstract_md: Some("word ".repeat(1000)),
            ..Talk::new("Long".into(), Vec::new())
        }];
        let quote = entries(&one, "", "\n\n", &crate::answers::fixture::en());
        let (_, text) = quote.split_once("\n> ").expect("a quote");
        assert!(text.chars().count() <= ABSTRACT_MAX && text.ends_with('…'));

        // So many talks that no abstract has room: the talks alone.
        let many: Vec<Talk> = (0..300).map(|_| one[0].clone()).collect();
        assert!(!entries(&many, "- ", "\n", &crate::answers::fixture::en()).contains("> "));
    }

    #[test]
    fn recordings_follow_the_talk_linked_and_unable_to_ping() {
        let talk = Talk::new(
            "Async".into(),
            vec![Speaker {
                name: "Ada".into(),
                url: None,
            }],
        )
        .with_recordings(vec![
            recording("Recording @here", "https://youtu.be/a"),
            recording("Slides", "https://example.org/s"),
        ]);
        assert_eq!(
            entries(&[talk], "- ", "\n", &crate::answers::fixture::en()),
            "- **Async**, Ada · [Recording @\u{200b}here](https://youtu.be/a) · [Slides](https://example.org/s)"
        );
    }
}
