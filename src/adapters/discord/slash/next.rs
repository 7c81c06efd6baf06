//! `/next`: the next event, in full.

use chrono::Utc;

use super::{autocomplete_group, autocomplete_site, index, reply_texts, send, Context, Error};
use crier_core::answers::events;

/// The next event, in full.
#[poise::command(slash_command)]
pub async fn next(
    ctx: Context<'_>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
    #[description = "Which of this server's sites (communities) to answer from"]
    #[autocomplete = "autocomplete_site"]
    site: Option<String>,
) -> Result<(), Error> {
    let desk = super::desk(ctx, site.as_deref()).await?;
    let status = desk.status.get();
    let tab = desk.tab.get();
    let answer = events::next(
        index(&status),
        group.as_deref(),
        &tab.interested,
        Utc::now(),
        &reply_texts(ctx, &status),
    );
    send(ctx, Some(desk), answer).await
}
