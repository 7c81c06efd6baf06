//! Which event a command means: the next one of a group, or one found by name. `/next`, `/event`
//! and `/talks` all look events up this one way.

use chrono::{DateTime, Utc};

use super::group::{in_scope, Group};
use super::Index;
use crate::catalog::Event;

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
