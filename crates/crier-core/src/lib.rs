//! crier's pure heart: every decision the bot makes, with no I/O.
//!
//! Given event files' paths and texts, a ledger's records and "now" as arguments, this crate says
//! what the catalog is, what is due and when to wake, where each post goes, what it says, what each
//! slash command answers, what the calendar feed holds, and what each sync (recordings, the Events
//! tab) must do. It reads no clock, no file and no network, and depends on no async runtime,
//! database, git or Discord library: the `crier` crate around it does the I/O and applies the plans.
//! That line is kept by this crate's dependency list and by clippy (`clippy.toml` forbids the clock
//! and the file system here), so its tests run in milliseconds with no binary.
//!
//! - [`catalog`]: event text to a typed catalog, with each file's problems; recurrence.
//! - [`schedule`]: what is due for an event, what to skip, and when to look again.
//! - [`routing`]: which channel, role and rules an event is announced with.
//! - [`render`]: an event and an announcement kind to a platform-neutral message.
//! - [`embed`]: a message as one Discord embed, as plain data within Discord's limits.
//! - [`answers`]: what each slash command answers for a catalog, a query and "now", and its pages.
//! - [`talk_line`]: how a talk reads on one line, in each output's style.
//! - [`feed`]: the calendar feed (iCalendar).
//! - [`recordings`]: which recording links are new and due an announcement.
//! - [`events_tab`]: the server's Events tab as desired state diffed against recorded state.
//! - [`webhook`]: a push webhook's signature check.
//! - [`backoff`]: the delay every retry loop waits.
//! - [`l10n`]: every word crier writes, in each locale, with the organiser's overrides.
//! - [`text`]: the small text jobs the others share (truncation, "did you mean").

pub mod answers;
pub mod backoff;
pub mod catalog;
pub mod embed;
pub mod events_tab;
pub mod feed;
pub mod l10n;
pub mod recordings;
pub mod render;
pub mod routing;
pub mod schedule;
pub mod talk_line;
pub mod text;
pub mod webhook;
