//! The slash commands' glue to Discord: the poise framework, the commands' registration, and what
//! every command shares (the `group` option's autocomplete, the answer sent back).
//!
//! What a command answers is decided by the core ([`crier_core::answers`]) from the shared
//! [`Status`], a few microseconds of work, well inside Discord's 3 s. Each command has a file of its
//! own that reads its options, asks the core, and sends the answer:
//!
//! - `next.rs`, `upcoming.rs`, `event.rs`, `talks.rs`, `speakers.rs`: one command each, with its
//!   autocomplete;
//! - `crier.rs`: `/crier status`, for the server's managers;
//! - `paging.rs`: the paging buttons, answered from the status of the moment (stateless: they work
//!   after a restart too).

mod crier;
mod event;
mod next;
mod paging;
mod speakers;
mod talks;
mod upcoming;

use std::sync::Arc;
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;
use serenity::{
    AutocompleteChoice, CreateActionRow, CreateAllowedMentions, CreateAutocompleteResponse,
    CreateButton, FullEvent, GuildId, Interaction,
};
use tracing::{error, info, warn};

use super::embed::builder;
use super::errors::Class;
use crate::app::status::{Shared, SharedTab, Snapshot, SpeakerEntry, Status};
use crate::app::telemetry::Telemetry;
use crier_core::answers::group::Group;
use crier_core::answers::paging::Button;
use crier_core::answers::{autocomplete, Answer, Index, SpeakerTalks};
use crier_core::backoff::Backoff;
use crier_core::catalog::Event;
use crier_core::embed::Embed;
use crier_core::l10n::{self, Texts, Wording};
use std::borrow::Cow;

pub struct Data {
    status: Shared,
    tab: SharedTab,
    telemetry: Arc<Telemetry>,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// The poise framework with every command, registering them on the first READY.
pub fn framework(
    guild_id: Option<u64>,
    status: Shared,
    tab: SharedTab,
    telemetry: Arc<Telemetry>,
    wording: &Wording,
) -> poise::Framework<Data, Error> {
    let mut commands = vec![
        upcoming::upcoming(),
        next::next(),
        event::event(),
        talks::talks(),
        speakers::speakers(),
        crier::crier(),
    ];
    localize(&mut commands, wording, None);
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            pre_command: |ctx| {
                Box::pin(async move {
                    ctx.set_invocation_data(Instant::now()).await;
                })
            },
            post_command: |ctx| {
                Box::pin(async move {
                    if let Some(started) = ctx.invocation_data::<Instant>().await {
                        ctx.data()
                            .telemetry
                            .command_seconds
                            .observe(started.elapsed().as_secs_f64());
                    }
                })
            },
            on_error: |error| Box::pin(on_error(error)),
            // The owners lookup is one more request at start that crier has no use for.
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            let http = ctx.http.clone();
            let create =
                poise::builtins::create_application_commands(&framework.options().commands);
            Box::pin(async move {
                // A failed registration must never leave poise waiting forever for its user data:
                // log, retry in the background, and start answering right away.
                tokio::spawn(register(http, create, guild_id));
                telemetry.set_gateway(true);
                Ok(Data {
                    status,
                    tab,
                    telemetry,
                })
            })
        })
        .build()
}

/// Gives every command, subcommand and option its name and description in each built-in locale
/// (with the organiser's overrides as they are at start), from the messages that name them; the
/// English description too. The English name stays the command's own, which Discord sends back.
/// `parent` is the qualified name of the command whose subcommands these are: poise fills in
/// `qualified_name` only when the framework is built, after this.
fn localize(commands: &mut [poise::Command<Data, Error>], wording: &Wording, parent: Option<&str>) {
    fn owned(pairs: Vec<(String, String)>) -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
        pairs
            .into_iter()
            .map(|(a, b)| (Cow::Owned(a), Cow::Owned(b)))
            .collect()
    }
    let english = wording.texts(l10n::Locale::En);
    for command in commands {
        let qualified = match parent {
            Some(parent) => format!("{parent} {}", command.name),
            None => command.name.to_string(),
        };
        if let Some((_, id)) = l10n::commands::COMMANDS
            .iter()
            .find(|(q, _)| *q == qualified)
        {
            let localized = l10n::commands::localized(wording, id);
            command.name_localizations = Cow::Owned(owned(localized.names));
            command.description_localizations = Cow::Owned(owned(localized.descriptions));
            if let Some(description) = l10n::commands::english_description(&english, id) {
                command.description = Some(Cow::Owned(description));
            }
        }
        for parameter in &mut command.parameters {
            let found = l10n::commands::OPTIONS
                .iter()
                .find(|(c, o, _)| *c == qualified && *o == parameter.name);
            if let Some((_, _, id)) = found {
                let localized = l10n::commands::localized(wording, id);
                parameter.name_localizations = Cow::Owned(owned(localized.names));
                parameter.description_localizations = Cow::Owned(owned(localized.descriptions));
                if let Some(description) = l10n::commands::english_description(&english, id) {
                    parameter.description = Some(Cow::Owned(description));
                }
            }
        }
        localize(&mut command.subcommands, wording, Some(&qualified));
    }
}

/// Registers the commands in the guild (instant) or globally, never both; retries with backoff,
/// whatever the failure: a missing scope can be granted while the bot runs.
async fn register(
    http: Arc<serenity::Http>,
    commands: Vec<serenity::CreateCommand>,
    guild_id: Option<u64>,
) {
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    loop {
        let result = match guild_id {
            Some(id) => GuildId::new(id)
                .set_commands(&http, commands.clone())
                .await
                .map(drop),
            None => serenity::Command::set_global_commands(&http, commands.clone())
                .await
                .map(drop),
        };
        let wait = backoff.fail();
        match result {
            Ok(()) => {
                if let Some(id) = guild_id {
                    info!(guild = id, "slash commands registered in the guild");
                } else {
                    info!("slash commands registered globally (they can take up to an hour to appear)");
                }
                return;
            }
            Err(e) if Class::of(&e).is_retryable() => {
                warn!(error = %e, retry_in = ?wait, "registering the slash commands failed: Discord is busy or cannot be reached");
            }
            Err(e) => {
                error!(error = %e, retry_in = ?wait, "registering the slash commands failed; the bot cannot be asked anything until it succeeds (needs the applications.commands scope)");
            }
        }
        tokio::time::sleep(wait).await;
    }
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            warn!(command = %ctx.command().qualified_name, %error, "command failed");
            let status = ctx.data().status.get();
            let _ = ctx.say(reply_texts(ctx, &status).get("reply-failed")).await;
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                warn!(error = %e, "error while handling an error");
            }
        }
    }
}

/// The gateway's state for the health endpoint, and the paging buttons' clicks.
async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let telemetry = &framework.user_data.telemetry;
    match event {
        FullEvent::Ready { .. } | FullEvent::Resume { .. } => {
            telemetry.set_gateway(true);
            Ok(())
        }
        FullEvent::ShardStageUpdate { event } => {
            telemetry.set_gateway(event.new == serenity::ConnectionStage::Connected);
            Ok(())
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(click),
        } => paging::on_click(framework, click).await,
        _ => Ok(()),
    }
}

/// Sends a command's answer. Nothing an answer holds may ping anyone: it is sent with no mention
/// allowed, except a plain [`Answer::Say`], whose text the core has neutralised.
async fn send(ctx: Context<'_>, answer: Answer) -> Result<(), Error> {
    match answer {
        Answer::Embed(embed) => ctx.send(reply(&embed)).await?,
        Answer::Page(embed, buttons) => ctx.send(reply(&embed).components(rows(&buttons))).await?,
        Answer::Say(text) => ctx.say(text).await?,
        Answer::Private(text) => {
            ctx.send(
                poise::CreateReply::default()
                    .content(text)
                    .allowed_mentions(CreateAllowedMentions::new())
                    .ephemeral(true),
            )
            .await?
        }
    };
    Ok(())
}

/// The words of a reply to the member who used the command: in their own Discord language when crier
/// has it, else the server's preferred one, else the configured one.
fn reply_texts<'a>(ctx: Context<'_>, status: &'a Status) -> Texts<'a> {
    let guild = match ctx {
        poise::Context::Application(app) => app.interaction.guild_locale.as_deref(),
        poise::Context::Prefix(_) => None,
    };
    status
        .wording
        .texts(status.policy.reply(ctx.locale(), guild))
}

fn reply(embed: &Embed) -> poise::CreateReply {
    poise::CreateReply::default()
        .embed(builder(embed))
        .allowed_mentions(CreateAllowedMentions::new())
}

/// A page's buttons as one action row; no row without buttons.
fn rows(buttons: &[Button]) -> Vec<CreateActionRow> {
    if buttons.is_empty() {
        return Vec::new();
    }
    let buttons = buttons
        .iter()
        .map(|b| {
            CreateButton::new(&b.custom_id)
                .label(&b.label)
                .disabled(b.disabled)
        })
        .collect();
    vec![CreateActionRow::Buttons(buttons)]
}

/// The `group` option as the member has filled it in so far, while they type another option: an
/// autocomplete interaction carries every option's current value, and poise passes them on.
fn typed_group(ctx: Context<'_>) -> Option<Group> {
    let poise::Context::Application(app) = ctx else {
        return None;
    };
    let typed = app.args.iter().find_map(|o| match (o.name, &o.value) {
        ("group", serenity::ResolvedValue::String(value)) => Some(*value),
        _ => None,
    })?;
    Group::typed(typed)
}

/// Choices whose value is their name, so that the command reads what the member saw.
fn choices(names: Vec<String>) -> CreateAutocompleteResponse {
    let choices = names
        .into_iter()
        .map(|name| AutocompleteChoice::new(name.clone(), name))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// The `group` option of every command but `/crier`.
async fn autocomplete_group(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let status = ctx.data().status.get();
    choices(autocomplete::groups(&*status.catalog, partial))
}

/// The snapshot the run loop builds once per catalog change, as the core's answers read it.
impl Index for Snapshot {
    fn events(&self) -> &[Event] {
        &self.events
    }

    fn folded(&self, index: usize) -> (&str, &str) {
        Snapshot::folded(self, index)
    }

    fn speakers(&self) -> impl Iterator<Item = (&str, SpeakerTalks<'_>)> {
        Snapshot::speakers(self).map(|(folded, entry)| (folded, speaker_talks(entry)))
    }

    fn speaker(&self, name: &str) -> Option<SpeakerTalks<'_>> {
        Snapshot::speaker(self, name).map(speaker_talks)
    }
}

fn speaker_talks(entry: &SpeakerEntry) -> SpeakerTalks<'_> {
    SpeakerTalks {
        name: &entry.name,
        url: entry.url.as_deref(),
        talks: &entry.talks,
    }
}

/// The catalog of a status, as the core's answers read it.
fn index(status: &Status) -> &Snapshot {
    &status.catalog
}
