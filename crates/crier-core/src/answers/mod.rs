//! What each slash command answers, for a catalog, the member's query and "now": the text, the
//! embed, the pages of a long list and the autocomplete choices, as plain data. The `crier` crate
//! only reads the options from Discord and sends back what these functions return.
//!
//! Long replies are paged with buttons whose `custom_id` carries the list and page
//! (`crier:page:<list>:<page>`, or `crier:page:<list>.<group token>:<page>` for one group's list), so
//! paging is stateless: a click is answered from the catalog of that moment, after a restart too.
//!
//! Most commands take an optional `group`, the `group:` of the event files, for a server that hosts
//! several groups: matched like routing matches it (trimmed, any case), by a walk over the events,
//! which is well under a millisecond at 10,000 events.
//!
//! - [`group`]: the `group` option: matching, the groups there are, the paging token.
//! - [`paging`]: pages of a list, their embeds and buttons, and the buttons' ids.
//! - [`events`]: the `/next` and `/event` commands, and an event in full.
//! - [`upcoming`]: the `/upcoming` command.
//! - [`talks`]: the `/talks` command, and talks with their abstracts and recordings.
//! - [`speakers`]: the `/speakers` command.
//! - [`autocomplete`]: the choices offered while a member types.

pub mod autocomplete;
pub mod events;
pub mod group;
pub mod lookup;
pub mod paging;
pub mod speakers;
pub mod talks;
pub mod upcoming;

#[cfg(test)]
mod fixture;

use chrono::{DateTime, Utc};

use crate::catalog::{Event, Talk};
use crate::embed::Embed;
use crate::l10n::Texts;
use group::Group;
use paging::{Button, Page};

/// What a command (or a paging button) answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// An embed on its own.
    Embed(Embed),
    /// One page of a list, with its paging buttons: none when the list fits one page, which a page
    /// turned to must say too, so that the buttons go.
    Page(Embed, Vec<Button>),
    /// A short text for the channel.
    Say(String),
    /// A short text only the member sees: a name or a group that matched nothing.
    Private(String),
}

/// One speaker across the catalog, as [`Index`] gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeakerTalks<'a> {
    /// The name as first written.
    pub name: &'a str,
    /// The first link any of their talks gives.
    pub url: Option<&'a str>,
    /// Their talks as (event, talk) indexes into [`Index::events`], in event order.
    pub talks: &'a [(usize, usize)],
}

/// The catalog as the answers read it: the events sorted by start (then id), with the lookups the
/// `crier` crate builds once per catalog change (its `Snapshot`), never per command. At 10,000
/// events an answer is then a binary search or a short walk, never a scan that lower-cases every
/// title.
pub trait Index {
    /// Every event, sorted by start, then id.
    fn events(&self) -> &[Event];

    /// An event's title and id, lower-cased, by its index in [`Index::events`].
    fn folded(&self, index: usize) -> (&str, &str);

    /// Every speaker, with their lower-cased name, in the order of that name.
    fn speakers(&self) -> impl Iterator<Item = (&str, SpeakerTalks<'_>)>;

    /// The speaker named `name`, trimmed, in any case.
    fn speaker(&self, name: &str) -> Option<SpeakerTalks<'_>>;

    /// The index of the first event that starts at or after `now`.
    fn first_upcoming(&self, now: DateTime<Utc>) -> usize {
        self.events().partition_point(|e| e.start < now)
    }

    /// Upcoming events (not started by `now`), soonest first.
    fn upcoming(&self, now: DateTime<Utc>) -> &[Event] {
        &self.events()[self.first_upcoming(now)..]
    }

    /// Indexes of upcoming events (soonest first), then past ones (most recent first): the order in
    /// which a name is looked up and offered.
    fn search_order(&self, now: DateTime<Utc>) -> impl Iterator<Item = usize> {
        let split = self.first_upcoming(now);
        (split..self.events().len()).chain((0..split).rev())
    }

    /// A talk by its indexes.
    fn talk(&self, (event, talk): (usize, usize)) -> (&Event, &Talk) {
        let event = &self.events()[event];
        (event, &event.talks[talk])
    }
}

/// One page of a list the commands page through, by the name its buttons give it (`upcoming`,
/// `speakers`), narrowed to `group`; `None` for a list this module does not keep.
pub fn list_page(
    index: &impl Index,
    list: &str,
    group: Option<&Group>,
    page: usize,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Option<Page> {
    match list {
        "upcoming" => Some(upcoming::page(index, group, page, now, texts)),
        "speakers" => Some(speakers::list_page(index, group, page, now, texts)),
        _ => None,
    }
}

/// The first page of a list, as a command's answer.
fn first_page(list: &str, group: Option<&Group>, page: Page, texts: &Texts) -> Answer {
    let (embed, buttons) = paging::paged(
        &page.title,
        &group::page_list(list, group),
        &page.lines,
        0,
        page.total,
        texts,
    );
    Answer::Page(embed, buttons)
}
