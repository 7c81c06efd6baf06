//! The paging buttons of the long lists: a click names the list and the page
//! (`crier:page:<list>:<page>`), and the page is recomputed from the status of the moment, so the
//! buttons keep working after a restart. The message is updated in place.

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
    let Some((list, page)) = paging::parse(&click.data.custom_id) else {
        return Ok(());
    };
    let status = framework.user_data.status.get();
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
        "status" => Some(crier::page(
            &status,
            &framework.user_data.tab.get(),
            page,
            now,
        )),
        _ => answers::list_page(index(&status), name, group.as_ref(), page, now, &texts),
    };
    let Some(found) = found else {
        return Ok(());
    };
    let (embed, buttons) =
        paging::paged(&found.title, list, &found.lines, page, found.total, &texts);
    let response = CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .embed(builder(&embed))
            .components(rows(&buttons))
            .allowed_mentions(CreateAllowedMentions::new()),
    );
    click.create_response(http, response).await?;
    Ok(())
}
