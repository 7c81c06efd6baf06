//! The `group` option of the commands: which events a group holds, the groups there are, the answer
//! for a group no event has, and the token a paging button names a group by.

use std::collections::{BTreeMap, HashSet};

use crate::catalog::Event;
use crate::embed::{MESSAGE_MAX, TITLE_MAX};
use crate::l10n::Texts;
use crate::render;
use crate::text::truncate;

/// A name as the commands match it: trimmed and lower-cased, as routing matches `group`.
pub fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A group a command is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// As matched ([`fold`]).
    pub folded: String,
    /// As the event files first write it, for titles.
    pub name: String,
}

impl Group {
    /// The `group` option as the member has filled it in so far, while they type another option;
    /// not looked up: a group no event has narrows to nothing, as the command itself would answer
    /// nothing. `None` while it is blank.
    pub fn typed(typed: &str) -> Option<Group> {
        let folded = fold(typed);
        (!folded.is_empty()).then(|| Group {
            name: typed.trim().to_string(),
            folded,
        })
    }
}

/// Whether `event` is in `group`; with no group, every event is. An event without a group is in
/// none: it was not written for any one group's members.
pub fn in_scope(event: &Event, group: Option<&Group>) -> bool {
    group.is_none_or(|g| event.group.as_deref().is_some_and(|e| fold(e) == g.folded))
}

/// The groups the events name, by folded name, each as first written (in start order). Each
/// distinct spelling is folded once, not each event's, since most events of a group write it alike.
pub fn groups(events: &[Event]) -> BTreeMap<String, &str> {
    let mut seen = HashSet::new();
    let mut groups = BTreeMap::new();
    for name in events.iter().filter_map(|e| e.group.as_deref()) {
        if seen.insert(name) {
            let folded = fold(name);
            if !folded.is_empty() {
                groups.entry(folded).or_insert(name.trim());
            }
        }
    }
    groups
}

/// A group as the member wrote it, for an answer: inside a code span, which a backtick would end.
fn group_quote(group: &str) -> String {
    format!(
        "`{}`",
        truncate(&render::neutral(&group.trim().replace('`', "'")), 100)
    )
}

/// The `group` option resolved against the events, or the answer for a group no event has, naming
/// the groups that exist. A blank option narrows nothing, as if it were not given.
pub fn resolve(
    events: &[Event],
    group: Option<&str>,
    texts: &Texts,
) -> Result<Option<Group>, String> {
    let Some(asked) = group.filter(|g| !g.trim().is_empty()) else {
        return Ok(None);
    };
    let known = groups(events);
    let folded = fold(asked);
    if let Some(name) = known.get(&folded) {
        Ok(Some(Group {
            name: (*name).to_string(),
            folded,
        }))
    } else {
        let quoted = group_quote(asked);
        let text = if known.is_empty() {
            texts.say("reply-no-groups", &[("group", quoted.into())])
        } else {
            let names: Vec<&str> = known.values().copied().collect();
            texts.say(
                "reply-unknown-group",
                &[
                    ("group", quoted.into()),
                    ("groups", render::neutral(&names.join(", ")).into()),
                ],
            )
        };
        Err(truncate(&text, MESSAGE_MAX))
    }
}

/// The message `id` about the events of `group`, or, with a group, its `-in-group` variant, which
/// is also given the group's name as `$group`.
pub fn say_in_group(
    texts: &Texts,
    id: &str,
    group: Option<&Group>,
    args: &[(&str, crate::l10n::Arg<'_>)],
) -> String {
    match group {
        None => texts.say(id, args),
        Some(g) => {
            let mut args = args.to_vec();
            args.push(("group", group_quote(&g.name).into()));
            texts.say(&format!("{id}-in-group"), &args)
        }
    }
}

/// A list's title, naming its group.
pub fn list_title(title: &str, group: Option<&Group>, texts: &Texts) -> String {
    match group {
        Some(g) => truncate(
            &texts.say(
                "list-in-group",
                &[
                    ("title", title.into()),
                    ("group", render::neutral(&g.name).into()),
                ],
            ),
            TITLE_MAX,
        ),
        None => truncate(title, TITLE_MAX),
    }
}

/// A group as a paging button names it: a hash of its folded name, so the button's id stays within
/// Discord's 100 characters however long the name, and still means the same group after a restart
/// (FNV-1a, written out: std's hasher may change between Rust releases).
pub fn token(folded: &str) -> String {
    let hash = folded
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// What the paging buttons of a list name it by: the list, and its group's token.
pub fn page_list(list: &str, group: Option<&Group>) -> String {
    match group {
        Some(g) => format!("{list}.{}", token(&g.folded)),
        None => list.to_string(),
    }
}

/// The group a list's buttons name by its token ([`token`]), among the events' groups now.
pub fn by_token(events: &[Event], token: &str) -> Option<Group> {
    groups(events)
        .into_iter()
        .find(|(folded, _)| self::token(folded) == token)
        .map(|(folded, name)| Group {
            name: name.to_string(),
            folded,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::event;

    #[test]
    fn groups_are_distinct_in_any_case_sorted_and_as_first_written() {
        let events = vec![
            event("a", 1, Some(" Rust-TLV ")),
            event("b", 2, Some("rust-tlv")),
            event("c", 3, Some("berlin")),
            event("d", 4, None),
            event("e", 5, Some("  ")),
        ];
        let known = groups(&events);
        let listed: Vec<(&str, &str)> = known.iter().map(|(f, n)| (f.as_str(), *n)).collect();
        assert_eq!(listed, [("berlin", "berlin"), ("rust-tlv", "Rust-TLV")]);

        let tlv = resolve(&events, Some("RUST-tlv "), &crate::answers::fixture::en())
            .expect("known")
            .expect("a group");
        assert_eq!(tlv.name, "Rust-TLV");
        let ids: Vec<&str> = events
            .iter()
            .filter(|e| in_scope(e, Some(&tlv)))
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"], "events without a group are in none");
        assert_eq!(events.iter().filter(|e| in_scope(e, None)).count(), 5);

        assert_eq!(
            resolve(&events, None, &crate::answers::fixture::en()),
            Ok(None)
        );
        assert_eq!(
            resolve(&events, Some("  "), &crate::answers::fixture::en()),
            Ok(None),
            "blank: no filter"
        );
        assert_eq!(
            resolve(&events, Some("rust"), &crate::answers::fixture::en()),
            Err("No events in the group `rust`; the groups are: berlin, Rust-TLV.".into())
        );
        assert_eq!(
            resolve(&[], Some("a`b @here"), &crate::answers::fixture::en()),
            Err(
                "No events in the group `a'b @\u{200b}here`; no event file names a `group:`."
                    .into()
            )
        );
    }

    #[test]
    fn a_groups_paging_token_is_stable_and_found_again() {
        // FNV-1a's published test vector: the token must not change between builds or releases,
        // or the buttons of lists already posted would stop working.
        assert_eq!(token("a"), "af63dc4c8601ec8c");
        let events = vec![event("a", 1, Some("Berlin")), event("b", 2, Some("tlv"))];
        let berlin = by_token(&events, &token("berlin")).expect("found");
        assert_eq!(berlin.name, "Berlin");
        assert_eq!(by_token(&events, "0000000000000000"), None);
        let list = page_list("upcoming", Some(&berlin));
        assert_eq!(list, format!("upcoming.{}", token("berlin")));
        assert!(format!("crier:page:{list}:9999").len() <= 100);
        assert_eq!(page_list("upcoming", None), "upcoming");
    }

    #[test]
    fn a_typed_group_is_trimmed_and_not_looked_up() {
        assert_eq!(Group::typed("  "), None);
        let typed = Group::typed(" Nowhere ").expect("typed");
        assert_eq!(
            (typed.folded.as_str(), typed.name.as_str()),
            ("nowhere", "Nowhere")
        );
        let en = crate::answers::fixture::en();
        assert_eq!(
            say_in_group(&en, "reply-no-upcoming", Some(&typed), &[]),
            "No upcoming events in the group `Nowhere` yet."
        );
        assert_eq!(
            say_in_group(&en, "reply-no-upcoming", None, &[]),
            "No upcoming events yet."
        );
        assert_eq!(
            list_title(
                "Upcoming events",
                Some(&typed),
                &crate::answers::fixture::en()
            ),
            "Upcoming events in Nowhere"
        );
        let long = Group::typed(&"x".repeat(300)).expect("typed");
        let title = list_title(
            "Upcoming events",
            Some(&long),
            &crate::answers::fixture::en(),
        );
        assert_eq!(
            title, "Upcoming events in…",
            "cut at a word, within {TITLE_MAX}"
        );
    }
}
