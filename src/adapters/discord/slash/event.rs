//! `/event`: one event by name, in full; and the event titles offered while one is typed (`/talks`
//! offers the same).

use chrono::Utc;
use poise::serenity_prelude::CreateAutocompleteResponse;

use super::{
    autocomplete_group, autocomplete_site, choices, index, reply_texts, send, typed_group, Context,
    Error,
};
use crier_core::answers::{autocomplete, events};

/// One event, by name.
#[poise::command(slash_command)]
pub async fn event(
    ctx: Context<'_>,
    #[description = "The event's title"]
    #[autocomplete = "autocomplete_event"]
    name: String,
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
    let answer = events::event(
        index(&status),
        &name,
        group.as_deref(),
        &tab.interested,
        Utc::now(),
        &reply_texts(ctx, &status),
    );
    send(ctx, Some(desk), answer).await
}

/// Titles of the events of the group filled in so far, upcoming first.
pub(super) async fn autocomplete_event(
    ctx: Context<'_>,
    partial: &str,
) -> CreateAutocompleteResponse {
    let Some(status) = super::typed_status(ctx) else {
        return choices(Vec::new());
    };
    let group = typed_group(ctx);
    choices(autocomplete::events(
        index(&status),
        partial,
        group.as_ref(),
        Utc::now(),
    ))
}
