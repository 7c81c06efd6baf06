//! `/speakers`: the speakers of upcoming events, ten a page; with a name, that speaker's talks.

use chrono::Utc;
use poise::serenity_prelude::CreateAutocompleteResponse;

use super::{
    autocomplete_group, autocomplete_site, choices, index, reply_texts, send, typed_group, Context,
    Error,
};
use crier_core::answers::{autocomplete, speakers};

/// Speakers of upcoming events; with a name, that speaker's talks, upcoming and past.
#[poise::command(slash_command)]
pub async fn speakers(
    ctx: Context<'_>,
    #[description = "A speaker's name"]
    #[autocomplete = "autocomplete_speaker"]
    name: Option<String>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
    #[description = "Which of this server's sites (communities) to answer from"]
    #[autocomplete = "autocomplete_site"]
    site: Option<String>,
) -> Result<(), Error> {
    let desk = super::desk(ctx, site.as_deref()).await?;
    let status = desk.status.get();
    let answer = speakers::speakers(
        index(&status),
        name.as_deref(),
        group.as_deref(),
        Utc::now(),
        &reply_texts(ctx, &status),
    );
    send(ctx, Some(desk), answer).await
}

/// Names of the speakers with a talk in the group filled in so far.
async fn autocomplete_speaker(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let Some(status) = super::typed_status(ctx) else {
        return choices(Vec::new());
    };
    let group = typed_group(ctx);
    choices(autocomplete::speakers(
        index(&status),
        partial,
        group.as_ref(),
    ))
}
