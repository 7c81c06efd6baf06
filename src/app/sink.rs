//! Where announcements go: the port the announcer sends through. The announcer only knows this trait;
//! the console sink (`adapters::console`) is the default, the Discord sink (`adapters::discord`) plugs
//! in beside it.

use std::future::Future;

use chrono::{DateTime, Utc};

use crier_core::render::Message;
use crier_core::schedule::Key;

/// One announcement on its way out.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub key: &'a Key,
    pub message: &'a Message,
    /// The messages of every locale: a richer sink writes its labels (an embed's fields, a button)
    /// in the message's own locale from here.
    pub wording: &'a crier_core::l10n::Wording,
    pub due: DateTime<Utc>,
    /// The event's latest earlier announcement, to update it after a change.
    pub previous_message: Option<Previous<'a>>,
    /// Where to post; `None` for the sink's own default (the console, or `discord.channel_id`).
    pub destination: Option<&'a crier_core::routing::Destination>,
}

/// An announcement already posted, and where.
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    pub message_id: &'a str,
    /// The channel it was posted in, when the ledger knows it (announcements before routing do not).
    pub channel_id: Option<u64>,
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// Worth trying again (a timeout, a 5xx, a rate limit).
    #[error("{0} (will retry)")]
    Retry(String),
    /// Never worth trying again (a missing permission or channel).
    #[error("{0}")]
    Fatal(String),
}

/// Takes `&self`: the announcer posts to different channels at once (one post at a time per channel),
/// so a sink is shared by the sends in flight.
pub trait Sink {
    /// Posts a message and returns its id on the platform.
    fn send(&self, outgoing: Outgoing<'_>) -> impl Future<Output = Result<String, SinkError>>;
}
