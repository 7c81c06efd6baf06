//! `/next`: the next event, in full.

use chrono::Utc;

use super::{autocomplete_group, index, reply_texts, send, Context, Error};
use crier_core::answers::events;

/// The next event, in full.
#[poise::command(slash_command)]
pub async fn next(
    ctx: Context<'_>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let tab = ctx.data().tab.get();
    let answer = events::next(
        index(&status),
        group.as_deref(),
        &tab.interested,
        Utc::now(),
        &reply_texts(ctx, &status),
    );
    send(ctx, answer).await
}
