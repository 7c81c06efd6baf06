//! Pages of a long list: which lines a page holds, its embed with "Page 2 of 3", its Previous and
//! Next buttons, and the buttons' ids (`crier:page:<list>:<page>`), read back when one is clicked.
//!
//! A page number past the end (the list got shorter since the buttons were sent) shows the last page.

use crate::catalog::Event;
use crate::embed::{Embed, BLUE, BUTTON_LABEL_MAX, DESCRIPTION_MAX, MESSAGE_MAX};
use crate::l10n::Texts;
use crate::text::{cut_at, truncate};

use super::group::{self, Group};

/// Lines per page of a paged reply.
pub const PAGE_LINES: usize = 10;

/// What every paging button's id starts with.
pub const PREFIX: &str = "crier:page:";

/// One page of a list: its title, the page's lines (only those are rendered, so a long list costs
/// no more than a short one) and the number of lines in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    pub lines: Vec<String>,
    pub total: usize,
}

/// A paging button, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub custom_id: String,
    pub label: String,
    pub disabled: bool,
}

/// The index of the last page of `total` lines (0 for an empty list).
pub fn last_page(total: usize) -> usize {
    total.saturating_sub(1) / PAGE_LINES
}

/// `page` (clamped to the last) of `lines`, and how many lines there are in all.
pub fn window(lines: Vec<String>, page: usize) -> (Vec<String>, usize) {
    let total = lines.len();
    let page = page.min(last_page(total));
    let lines = lines
        .into_iter()
        .skip(page * PAGE_LINES)
        .take(PAGE_LINES)
        .collect();
    (lines, total)
}

/// One page of a list (`lines` are that page's), with paging buttons when there are more; `list`
/// is what the buttons name it by ([`group::page_list`]).
pub fn paged(
    title: &str,
    list: &str,
    lines: &[String],
    page: usize,
    total: usize,
    texts: &Texts,
) -> (Embed, Vec<Button>) {
    let pages = last_page(total) + 1;
    let page = page.min(pages - 1);
    let embed = Embed {
        title: title.to_string(),
        description: if lines.is_empty() {
            texts.get("list-nothing")
        } else {
            truncate(&lines.join("\n"), DESCRIPTION_MAX)
        },
        footer: if pages > 1 {
            texts.say(
                "list-page",
                &[("page", (page + 1).into()), ("pages", pages.into())],
            )
        } else {
            String::new()
        },
        color: BLUE,
        ..Embed::default()
    };
    let mut buttons = Vec::new();
    if pages > 1 {
        buttons.push(Button {
            custom_id: custom_id(list, page.saturating_sub(1)),
            label: cut_at(&texts.get("button-previous"), BUTTON_LABEL_MAX),
            disabled: page == 0,
        });
        buttons.push(Button {
            custom_id: custom_id(list, page + 1),
            label: cut_at(&texts.get("button-next"), BUTTON_LABEL_MAX),
            disabled: page + 1 >= pages,
        });
    }
    (embed, buttons)
}

/// The id of the button that shows `page` of `list`.
pub fn custom_id(list: &str, page: usize) -> String {
    format!("{PREFIX}{list}:{page}")
}

/// The list and page a clicked button names; `None` for a component that is not a paging button.
/// A page that does not read as a number is the first.
pub fn parse(custom_id: &str) -> Option<(&str, usize)> {
    let rest = custom_id.strip_prefix(PREFIX)?;
    let (list, page) = rest.rsplit_once(':').unwrap_or((rest, "0"));
    Some((list, page.parse().unwrap_or(0)))
}

/// The list a button names (`upcoming`, or `upcoming.<token>` for one group's), split into its
/// name and group; or, when no event names that group any more (the files changed since the list
/// was sent), the text that says so, for the member alone.
pub fn target<'a>(
    events: &[Event],
    list: &'a str,
    texts: &Texts,
) -> Result<(&'a str, Option<Group>), String> {
    let Some((name, token)) = list.split_once('.') else {
        return Ok((list, None));
    };
    if let Some(group) = group::by_token(events, token) {
        Ok((name, Some(group)))
    } else {
        Err(truncate(&texts.get("reply-group-gone"), MESSAGE_MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::event;

    fn lines(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("line {i}")).collect()
    }

    fn ids(buttons: &[Button]) -> Vec<(&str, bool)> {
        buttons
            .iter()
            .map(|b| (b.custom_id.as_str(), b.disabled))
            .collect()
    }

    #[test]
    fn a_list_that_fits_one_page_has_no_buttons_and_no_footer() {
        for total in [0, 1, PAGE_LINES] {
            let (shown, all) = window(lines(total), 0);
            let (embed, buttons) = paged(
                "Title",
                "upcoming",
                &shown,
                0,
                all,
                &crate::answers::fixture::en(),
            );
            assert!(buttons.is_empty(), "{total} lines");
            assert_eq!(embed.footer, "", "{total} lines");
            assert_eq!(embed.color, BLUE);
        }
        let (empty, _) = paged(
            "Title",
            "upcoming",
            &[],
            0,
            0,
            &crate::answers::fixture::en(),
        );
        assert_eq!(empty.description, "Nothing to show.");
    }

    #[test]
    fn pages_turn_at_ten_lines_and_clamp_to_the_last() {
        let all = lines(PAGE_LINES * 2 + 1);
        let (first, total) = window(all.clone(), 0);
        assert_eq!((first.len(), total), (PAGE_LINES, 21));
        let (embed, buttons) = paged(
            "Title",
            "speakers",
            &first,
            0,
            total,
            &crate::answers::fixture::en(),
        );
        assert_eq!(embed.footer, "Page 1 of 3");
        assert_eq!(embed.description.lines().next(), Some("line 0"));
        assert_eq!(
            ids(&buttons),
            [
                ("crier:page:speakers:0", true),
                ("crier:page:speakers:1", false)
            ]
        );
        assert_eq!(
            buttons.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(),
            ["Previous", "Next"]
        );

        let (middle, _) = window(all.clone(), 1);
        assert_eq!(middle.first().map(String::as_str), Some("line 10"));
        let (_, buttons) = paged(
            "Title",
            "speakers",
            &middle,
            1,
            total,
            &crate::answers::fixture::en(),
        );
        assert_eq!(
            ids(&buttons),
            [
                ("crier:page:speakers:0", false),
                ("crier:page:speakers:2", false)
            ]
        );

        // A page past the end (the list got shorter): the last one.
        let (last, _) = window(all, 99);
        assert_eq!(last, ["line 20"]);
        let (embed, buttons) = paged(
            "Title",
            "speakers",
            &last,
            99,
            total,
            &crate::answers::fixture::en(),
        );
        assert_eq!(embed.footer, "Page 3 of 3");
        assert_eq!(
            ids(&buttons),
            [
                ("crier:page:speakers:1", false),
                ("crier:page:speakers:3", true)
            ]
        );
    }

    #[test]
    fn a_long_page_is_cut_to_the_description_limit() {
        let long: Vec<String> = (0..PAGE_LINES).map(|_| "word ".repeat(200)).collect();
        let (embed, _) = paged(
            "Title",
            "status",
            &long,
            0,
            PAGE_LINES,
            &crate::answers::fixture::en(),
        );
        assert!(embed.description.chars().count() <= DESCRIPTION_MAX);
        assert!(embed.description.ends_with('…'));
    }

    #[test]
    fn a_buttons_id_reads_back_as_its_list_and_page() {
        assert_eq!(parse(&custom_id("upcoming", 3)), Some(("upcoming", 3)));
        assert_eq!(
            parse("crier:page:upcoming.af63dc4c8601ec8c:1"),
            Some(("upcoming.af63dc4c8601ec8c", 1))
        );
        assert_eq!(parse("crier:page:upcoming"), Some(("upcoming", 0)));
        assert_eq!(parse("crier:page:upcoming:x"), Some(("upcoming", 0)));
        assert_eq!(parse("other:upcoming:1"), None);
    }

    #[test]
    fn a_button_names_its_group_by_a_token_found_again_or_says_it_is_gone() {
        let events = vec![event("a", 1, Some("tlv")), event("b", 2, Some("Berlin"))];
        assert_eq!(
            target(&events, "upcoming", &crate::answers::fixture::en()),
            Ok(("upcoming", None))
        );
        let list = format!("speakers.{}", group::token("berlin"));
        let (name, found) = target(&events, &list, &crate::answers::fixture::en()).expect("found");
        assert_eq!(name, "speakers");
        assert_eq!(found.map(|g| g.name), Some("Berlin".to_string()));
        assert_eq!(
            target(
                &events,
                "upcoming.0000000000000000",
                &crate::answers::fixture::en()
            ),
            Err("No events are in this list's group any more.".into())
        );
    }
}
