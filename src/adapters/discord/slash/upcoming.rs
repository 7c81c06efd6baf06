//! `/upcoming`: the next upcoming events, with their talks and speakers, ten a page.

use chrono::Utc;

use super::{autocomplete_group, autocomplete_site, index, reply_texts, send, Context, Error};
use crier_core::answers::upcoming;

/// The next upcoming events, with their talks and speakers.
#[poise::command(slash_command)]
pub async fn upcoming(
    ctx: Context<'_>,
    #[description = "How many events, 1 to 10 (default: all of them, 10 per page)"]
    #[min = 1]
    #[max = 10]
    count: Option<u8>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
    #[description = "Which of this server's sites (communities) to answer from"]
    #[autocomplete = "autocomplete_site"]
    site: Option<String>,
) -> Result<(), Error> {
    let desk = super::desk(ctx, site.as_deref()).await?;
    let status = desk.status.get();
    let texts = reply_texts(ctx, &status);
    let answer = upcoming::upcoming(index(&status), group.as_deref(), count, Utc::now(), &texts);
    send(ctx, Some(desk), answer).await
}
