//! `/upcoming`: the next upcoming events, with their talks and speakers, ten a page.

use chrono::Utc;

use super::{autocomplete_group, index, reply_texts, send, Context, Error};
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
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let texts = reply_texts(ctx, &status);
    let answer = upcoming::upcoming(index(&status), group.as_deref(), count, Utc::now(), &texts);
    send(ctx, answer).await
}
