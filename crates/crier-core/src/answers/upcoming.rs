//! `/upcoming`: the upcoming events with their talks and speakers, ten a page, or the first few.

use chrono::{DateTime, Utc};

use super::events::event_line;
use super::group::{self, in_scope, Group};
use super::paging::{self, Page, PAGE_LINES};
use super::{first_page, Answer, Index};
use crate::catalog::Event;
use crate::l10n::Texts;
use crate::render;
use crate::talk_line;

/// `/upcoming`: the first `count` upcoming events of `group`, or, without a count, the first page
/// of them all.
pub fn upcoming(
    index: &impl Index,
    group: Option<&str>,
    count: Option<u8>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Answer {
    let group = match group::resolve(index.events(), group, texts) {
        Ok(group) => group,
        Err(text) => return Answer::Private(text),
    };
    let group = group.as_ref();
    let Some(count) = count else {
        return first_page("upcoming", group, page(index, group, 0, now, texts), texts);
    };
    let lines: Vec<String> = index
        .upcoming(now)
        .iter()
        .filter(|e| in_scope(e, group))
        .take(usize::from(count))
        .map(|e| upcoming_line(e, texts))
        .collect();
    let total = lines.len();
    let title = group::list_title(&texts.get("post-digest"), group, texts);
    let list = group::page_list("upcoming", group);
    let (embed, buttons) = paging::paged(&title, &list, &lines, 0, total, texts);
    Answer::Page(embed, buttons)
}

/// One page of `/upcoming`. Only the page's events are rendered.
pub fn page(
    index: &impl Index,
    group: Option<&Group>,
    page: usize,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Page {
    let upcoming = || index.upcoming(now).iter().filter(|e| in_scope(e, group));
    let total = upcoming().count();
    let page = page.min(paging::last_page(total));
    let lines = upcoming()
        .skip(page * PAGE_LINES)
        .take(PAGE_LINES)
        .map(|e| upcoming_line(e, texts))
        .collect();
    Page {
        title: group::list_title(&texts.get("post-digest"), group, texts),
        lines,
        total,
    }
}

/// The `/upcoming` line of one event, with a short line per talk.
fn upcoming_line(event: &Event, texts: &Texts) -> String {
    let mut line = event_line(event, texts);
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
    use crate::answers::fixture::{self, embed_of, now};
    use crate::answers::list_page;

    #[test]
    fn upcoming_lists_ten_events_a_page_with_their_talks() {
        let site = fixture::fourteen_meetups();
        let Answer::Page(first, buttons) =
            upcoming(&site, None, None, now(), &crate::answers::fixture::en())
        else {
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

        let second = list_page(
            &site,
            "upcoming",
            None,
            1,
            now(),
            &crate::answers::fixture::en(),
        )
        .expect("a list");
        assert_eq!((second.lines.len(), second.total), (4, 14));
        assert!(second.lines[3].contains("Meetup 13"));
        assert_eq!(
            list_page(
                &site,
                "upcoming",
                None,
                9,
                now(),
                &crate::answers::fixture::en()
            ),
            Some(second)
        );
        assert_eq!(
            list_page(
                &site,
                "status",
                None,
                0,
                now(),
                &crate::answers::fixture::en()
            ),
            None,
            "not kept here"
        );
    }

    #[test]
    fn upcoming_with_a_count_is_one_page_without_buttons() {
        let site = fixture::fourteen_meetups();
        let counted = upcoming(&site, None, Some(1), now(), &crate::answers::fixture::en());
        let Answer::Page(embed, buttons) = counted else {
            panic!("a page: {counted:?}");
        };
        assert!(buttons.is_empty());
        assert_eq!(embed.footer, "");
        assert!(
            embed.description.contains("Meetup 00") && !embed.description.contains("Meetup 01")
        );
        let groups = fixture::groups();
        let tlv = embed_of(upcoming(
            &groups,
            Some("TLV"),
            Some(1),
            now(),
            &crate::answers::fixture::en(),
        ));
        assert!(tlv.description.contains("TLV one") && !tlv.description.contains("TLV two"));
    }

    #[test]
    fn upcoming_of_one_group_pages_through_that_groups_events() {
        let site = fixture::groups();
        let Answer::Page(first, buttons) = upcoming(
            &site,
            Some("tlv"),
            None,
            now(),
            &crate::answers::fixture::en(),
        ) else {
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
        let (name, tlv) =
            paging::target(site.events(), list, &crate::answers::fixture::en()).expect("tlv");
        let second = list_page(
            &site,
            name,
            tlv.as_ref(),
            page,
            now(),
            &crate::answers::fixture::en(),
        )
        .expect("a list");
        assert_eq!(second.title, "Upcoming events in tlv");
        assert!(second.lines.iter().any(|l| l.contains("TLV extra 9")));
        assert!(!second.lines.iter().any(|l| l.contains("Berlin")));
    }
}
