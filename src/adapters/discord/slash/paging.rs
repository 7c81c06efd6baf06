//! The paging buttons of the long lists: a click names the list and the page
//! (`crier:page:<list>:<page>`), and the page is recomputed from the status of the moment, so the
//! buttons keep working after a restart. The message is updated in place. With several sites, the
//! id ends in `@<site>`, the site the list is from (site names have no `@`).

use chrono::Utc;
use poise::serenity_prelude::{
    ComponentInteraction, CreateAllowedMentions, CreateInteractionResponse,
    CreateInteractionResponseMessage,
};

use super::{builder, crier, index, rows, Data, Error};
use crier_core::answers::{self, paging};

/// Answers a click on a paging button; any other component is not crier's.
pub(super) async fn on_click(
    framework: poise::FrameworkContext<'_, Data, Error>,
    click: &ComponentInteraction,
) -> Result<(), Error> {
    let (id, site) = match click.data.custom_id.rsplit_once('@') {
        Some((id, site)) => (id, Some(site)),
        None => (click.data.custom_id.as_str(), None),
    };
    let Some((list, page)) = paging::parse(id) else {
        return Ok(());
    };
    let Ok(desk) = framework.user_data.desk(click.guild_id, site) else {
        return Ok(());
    };
    let status = desk.status.get();
    let texts = status.wording.texts(
        status
            .policy
            .reply(Some(&click.locale), click.guild_locale.as_deref()),
    );
    let http = &framework.serenity_context.http;
    let now = Utc::now();
    let (name, group) = match paging::target(status.events(), list, &texts) {
        Ok(target) => target,
        Err(text) => {
            let answer = CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new()
                    .content(text)
                    .allowed_mentions(CreateAllowedMentions::new())
                    .ephemeral(true),
            );
            click.create_response(http, answer).await?;
            return Ok(());
        }
    };
    let found = match name {
        "status" => Some(crier::page(&status, &desk.tab.get(), page, now)),
        _ => answers::list_page(index(&status), name, group.as_ref(), page, now, &texts),
    };
    let Some(found) = found else {
        return Ok(());
    };
    let (embed, mut buttons) =
        paging::paged(&found.title, list, &found.lines, page, found.total, &texts);
    if let Some(site) = site {
        for button in &mut buttons {
            button.custom_id = with_site(&button.custom_id, site);
        }
    }
    let response = CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .embed(builder(&embed))
            .components(rows(&buttons))
            .allowed_mentions(CreateAllowedMentions::new()),
    );
    click.create_response(http, response).await?;
    Ok(())
}

/// A paging button's id naming the site its list is from.
pub(super) fn with_site(custom_id: &str, site: &str) -> String {
    format!("{custom_id}@{site}")
}
