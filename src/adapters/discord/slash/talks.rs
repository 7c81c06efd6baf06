//! `/talks`: the talks of an event (by default the next one), with their abstracts.

use chrono::Utc;

use super::event::autocomplete_event;
use super::{autocomplete_group, index, reply_texts, send, Context, Error};
use crier_core::answers::talks;

/// The talks of an event (default: the next one).
#[poise::command(slash_command)]
pub async fn talks(
    ctx: Context<'_>,
    #[description = "The event's title (default: the next event)"]
    #[autocomplete = "autocomplete_event"]
    event: Option<String>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let answer = talks::talks(
        index(&status),
        event.as_deref(),
        group.as_deref(),
        Utc::now(),
        &reply_texts(ctx, &status),
    );
    send(ctx, answer).await
}
