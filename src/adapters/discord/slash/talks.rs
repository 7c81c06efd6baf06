//! `/talks`: the talks of an event (by default the next one), with their abstracts.

use chrono::Utc;

use super::event::autocomplete_event;
use super::{autocomplete_group, autocomplete_site, index, reply_texts, send, Context, Error};
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
    #[description = "Which of this server's sites (communities) to answer from"]
    #[autocomplete = "autocomplete_site"]
    site: Option<String>,
) -> Result<(), Error> {
    let desk = super::desk(ctx, site.as_deref()).await?;
    let status = desk.status.get();
    let answer = talks::talks(
        index(&status),
        event.as_deref(),
        group.as_deref(),
        Utc::now(),
        &reply_texts(ctx, &status),
    );
    send(ctx, Some(desk), answer).await
}
