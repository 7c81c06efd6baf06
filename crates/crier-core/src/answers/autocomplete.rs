//! The choices offered while a member types an option: groups, event titles, speakers' names.
//!
//! Discord shows at most 25 choices, each name and value at most 100 characters; the value is the
//! name, so that the command reads what the member saw.

use chrono::{DateTime, Utc};

use super::group::{fold, in_scope, Group};
use super::Index;
use crate::text::truncate;

/// The most choices Discord shows.
pub const CHOICES_MAX: usize = 25;
/// The most characters of a choice's name and value.
pub const CHOICE_MAX: usize = 100;

/// The groups whose name holds what is typed, in the order of their folded names.
pub fn groups(index: &impl Index, partial: &str) -> Vec<String> {
    let partial = fold(partial);
    super::group::groups(index.events())
        .into_iter()
        .filter(|(folded, _)| folded.contains(&partial))
        .take(CHOICES_MAX)
        .map(|(_, name)| truncate(name, CHOICE_MAX))
        .collect()
}

/// Titles of the events of `group` (the group typed so far, [`Group::typed`]) that hold what is
/// typed: upcoming ones soonest first, then past ones most recent first.
pub fn events(
    index: &impl Index,
    partial: &str,
    group: Option<&Group>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let partial = partial.trim().to_lowercase();
    let events = index.events();
    index
        .search_order(now)
        .filter(|&i| index.folded(i).0.contains(&partial) && in_scope(&events[i], group))
        .take(CHOICES_MAX)
        .map(|i| truncate(&events[i].title, CHOICE_MAX))
        .collect()
}

/// Names of the speakers with a talk at an event of `group` whose name holds what is typed, in the
/// order of their lower-cased names: a walk over the index that stops at 25.
pub fn speakers(index: &impl Index, partial: &str, group: Option<&Group>) -> Vec<String> {
    let partial = partial.trim().to_lowercase();
    let events = index.events();
    index
        .speakers()
        .filter(|(folded, s)| {
            folded.contains(&partial) && s.talks.iter().any(|&(e, _)| in_scope(&events[e], group))
        })
        .take(CHOICES_MAX)
        .map(|(_, s)| truncate(s.name, CHOICE_MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::fixture::{self, meetup, now, Catalog};

    #[test]
    fn event_titles_upcoming_first_then_past_most_recent_first() {
        let site = fixture::fourteen_meetups();
        assert_eq!(
            events(&site, "meetup 1", None, now()),
            ["Meetup 10", "Meetup 11", "Meetup 12", "Meetup 13"]
        );
        let all = events(&site, " ", None, now());
        assert_eq!(all.len(), 15);
        assert_eq!(
            (all[0].as_str(), all[14].as_str()),
            ("Meetup 00", "Old meetup")
        );

        let many = Catalog::new(
            (0..40)
                .map(|i| {
                    meetup(
                        &format!("m{i}"),
                        &format!("{}{i}", "T".repeat(120)),
                        i - 20,
                        None,
                    )
                })
                .collect(),
        );
        let offered = events(&many, "t", None, now());
        assert_eq!(offered.len(), CHOICES_MAX);
        assert!(offered.iter().all(|t| t.chars().count() <= CHOICE_MAX));
    }

    #[test]
    fn event_titles_of_the_group_typed_so_far() {
        let site = fixture::groups();
        assert_eq!(events(&site, "one", None, now()), ["TLV one", "Berlin one"]);
        let berlin = Group::typed("Berlin");
        assert_eq!(events(&site, "one", berlin.as_ref(), now()), ["Berlin one"]);
        let berlin = Group::typed("berlin");
        assert_eq!(
            events(&site, "", berlin.as_ref(), now()),
            ["Berlin one", "Berlin two"]
        );
        let nowhere = Group::typed("nowhere");
        assert!(events(&site, "", nowhere.as_ref(), now()).is_empty());
    }

    #[test]
    fn groups_once_each_whatever_the_spelling_narrowed_by_what_is_typed() {
        let site = fixture::groups();
        assert_eq!(groups(&site, ""), ["berlin", "tlv"]);
        assert_eq!(groups(&site, "T"), ["tlv"]);
        assert_eq!(groups(&site, " er "), ["berlin"]);
    }

    #[test]
    fn speakers_by_name_with_a_talk_in_the_group() {
        let site = fixture::groups();
        assert_eq!(speakers(&site, "EX", None), ["Ada Example", "Bob Example"]);
        assert_eq!(speakers(&site, "bob", None), ["Bob Example"]);
        let berlin = Group::typed("berlin");
        assert_eq!(speakers(&site, "", berlin.as_ref()).len(), 2);
        let nowhere = Group::typed("nowhere");
        assert!(speakers(&site, "", nowhere.as_ref()).is_empty());
    }
}
