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

/// One site as the commands see it: its name, the guild it belongs to, and what it publishes.
pub struct Desk {
    /// [`crate::config::SiteConfig::key`].
    pub name: String,
    /// `discord.guild_id`; a site without one answers in guilds that have no site of their own.
    pub guild: Option<u64>,
    pub status: Shared,
    pub tab: SharedTab,
}

pub struct Data {
    desks: Vec<Desk>,
    telemetry: Arc<Telemetry>,
}

/// Why a command has no site to answer from.
enum NoSite<'a> {
    /// Several sites answer in this guild, and the `site` option was not given.
    Choose(Vec<&'a str>),
    /// The `site` option names none of them.
    Unknown(&'a str, Vec<&'a str>),
}

impl Data {
    /// The sites that answer in `guild` (`None`: a direct message): the guild's own, else those
    /// that belong to no guild.
    fn sites_in(&self, guild: Option<GuildId>) -> Vec<&Desk> {
        let own: Vec<&Desk> = self
            .desks
            .iter()
            .filter(|d| d.guild.is_some() && d.guild == guild.map(GuildId::get))
            .collect();
        if own.is_empty() {
            self.desks.iter().filter(|d| d.guild.is_none()).collect()
        } else {
            own
        }
    }

    /// The site a command in `guild` answers from: the only one, or the one `site` names.
    fn desk<'a>(
        &'a self,
        guild: Option<GuildId>,
        site: Option<&'a str>,
    ) -> Result<&'a Desk, NoSite<'a>> {
        let sites = self.sites_in(guild);
        let names = || sites.iter().map(|d| d.name.as_str()).collect::<Vec<_>>();
        match (
            site.map(str::trim).filter(|s| !s.is_empty()),
            sites.as_slice(),
        ) {
            (None, [only]) => Ok(only),
            (None, _) => Err(NoSite::Choose(names())),
            (Some(name), _) => sites
                .iter()
                .find(|d| d.name.eq_ignore_ascii_case(name))
                .copied()
                .ok_or_else(|| NoSite::Unknown(name, names())),
        }
    }

    /// Any site of `guild`, for the words of a reply that is about no site in particular.
    fn any_desk(&self, guild: Option<GuildId>) -> Option<&Desk> {
        self.sites_in(guild)
            .into_iter()
            .next()
            .or(self.desks.first())
    }
}

/// The site a command answers from; `Err` after answering, privately, which sites there are.
async fn desk<'a>(ctx: Context<'a>, site: Option<&'a str>) -> Result<&'a Desk, Error> {
    match ctx.data().desk(ctx.guild_id(), site) {
        Ok(desk) => Ok(desk),
        Err(why) => {
            let (id, args) = match why {
                NoSite::Choose(names) => ("reply-choose-site", vec![("sites", names.join(", "))]),
                NoSite::Unknown(name, names) => (
                    "reply-unknown-site",
                    vec![("site", name.to_string()), ("sites", names.join(", "))],
                ),
            };
            let text = match ctx.data().any_desk(ctx.guild_id()) {
                Some(any) => {
                    let status = any.status.get();
                    let texts = reply_texts(ctx, &status);
                    let args: Vec<(&str, l10n::Arg<'_>)> = args
                        .iter()
                        .map(|(k, v)| (*k, l10n::Arg::from(v.as_str())))
                        .collect();
                    texts.say(id, &args)
                }
                None => "no site".to_string(),
            };
            send(ctx, None, Answer::Private(text)).await?;
            Err(Box::new(Answered))
        }
    }
}

/// A command already answered (with which sites there are): not a failure to report.
#[derive(Debug)]
struct Answered;

impl std::fmt::Display for Answered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("answered")
    }
}

impl std::error::Error for Answered {}

/// The `site` option of every command, where a guild has several sites.
async fn autocomplete_site(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let partial = partial.to_lowercase();
    let names = ctx
        .data()
        .sites_in(ctx.guild_id())
        .into_iter()
        .map(|d| d.name.clone())
        .filter(|name| name.to_lowercase().contains(&partial))
        .take(25)
        .collect();
    choices(names)
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// Every command, localized; without the `site` option when `with_site` is false.
fn commands(wording: &Wording, with_site: bool) -> Vec<poise::Command<Data, Error>> {
    fn strip(commands: &mut [poise::Command<Data, Error>]) {
        for command in commands {
            command.parameters.retain(|p| p.name != "site");
            strip(&mut command.subcommands);
        }
    }
    let mut commands = vec![
        upcoming::upcoming(),
        next::next(),
        event::event(),
        talks::talks(),
        speakers::speakers(),
        crier::crier(),
    ];
    if !with_site {
        strip(&mut commands);
    }
    localize(&mut commands, wording, None);
    commands
}

/// Where the commands are registered, and whether there with the `site` option: in each guild
/// that has sites (with it where it has several), and globally for sites of no guild.
fn registrations(desks: &[Desk]) -> Vec<(Option<u64>, bool)> {
    let mut out: Vec<(Option<u64>, bool)> = Vec::new();
    for desk in desks {
        match out.iter_mut().find(|(guild, _)| *guild == desk.guild) {
            Some((_, several)) => *several = true,
            None => out.push((desk.guild, false)),
        }
    }
    out
}

/// The poise framework with every command, registering them on the first READY. `registered`
/// is the folder that remembers what was last registered where, so that unchanged commands are not
/// sent again at each start.
pub fn framework(
    desks: Vec<Desk>,
    telemetry: Arc<Telemetry>,
    wording: &Wording,
    registered: std::path::PathBuf,
) -> poise::Framework<Data, Error> {
    let commands = commands(wording, true);
    let plans: Vec<(Option<u64>, Vec<serenity::CreateCommand>)> = registrations(&desks)
        .into_iter()
        .map(|(guild, several)| {
            let create =
                poise::builtins::create_application_commands(&self::commands(wording, several));
            (guild, create)
        })
        .collect();
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
        .setup(move |ctx, _ready, _framework| {
            let http = ctx.http.clone();
            Box::pin(async move {
                // A failed registration must never leave poise waiting forever for its user data:
                // log, retry in the background, and start answering right away.
                for (guild, create) in plans {
                    tokio::spawn(register(http.clone(), create, guild, registered.clone()));
                }
                telemetry.set_gateway(true);
                Ok(Data { desks, telemetry })
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
    registered: std::path::PathBuf,
) {
    // What was registered last, by the hash of the request's body: Discord keeps commands across
    // restarts, and a bot in a hundred guilds would otherwise send a hundred requests at each start.
    let memo = registered.join(match guild_id {
        Some(id) => format!("guild-{id}"),
        None => "global".to_string(),
    });
    let hash = commands_hash(&commands);
    if !hash.is_empty() && std::fs::read_to_string(&memo).is_ok_and(|last| last == hash) {
        info!(
            guild = guild_id,
            "slash commands unchanged since they were last registered; not sent again"
        );
        return;
    }
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
                let written = std::fs::create_dir_all(&registered)
                    .and_then(|()| std::fs::write(&memo, &hash));
                if let Err(e) = written {
                    warn!(error = %e, file = %memo.display(), "cannot remember the registered commands; they will be sent again at the next start");
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

/// The hash of a registration's body, as remembered in `state_dir/commands/`; empty if it cannot
/// be serialized. The body's maps (each command's `name_localizations`, `description_localizations`)
/// are `HashMap`s, whose order changes from one process to the next: the keys are sorted first, so
/// that the same commands hash the same at every start.
fn commands_hash(commands: &[serenity::CreateCommand]) -> String {
    fn sorted(value: serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<(String, serde_json::Value)> = map.into_iter().collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                serde_json::Value::Object(
                    entries
                        .into_iter()
                        .map(|(key, value)| (key, sorted(value)))
                        .collect(),
                )
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(sorted).collect())
            }
            other => other,
        }
    }
    serde_json::to_value(commands)
        .map(|body| {
            let body = sorted(body).to_string();
            format!("{:016x}\n", crier_core::schedule::stable_hash(&body))
        })
        .unwrap_or_default()
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            if error.is::<Answered>() {
                return;
            }
            warn!(command = %ctx.command().qualified_name, %error, "command failed");
            if let Some(desk) = ctx.data().any_desk(ctx.guild_id()) {
                let status = desk.status.get();
                let _ = ctx.say(reply_texts(ctx, &status).get("reply-failed")).await;
            }
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
/// `desk` is the site the answer is from: with several sites, its paging buttons name it.
async fn send(ctx: Context<'_>, desk: Option<&Desk>, answer: Answer) -> Result<(), Error> {
    match answer {
        Answer::Embed(embed) => ctx.send(reply(&embed)).await?,
        Answer::Page(embed, mut buttons) => {
            if let (Some(desk), true) = (desk, ctx.data().desks.len() > 1) {
                for button in &mut buttons {
                    button.custom_id = paging::with_site(&button.custom_id, &desk.name);
                }
            }
            ctx.send(reply(&embed).components(rows(&buttons))).await?
        }
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
    Group::typed(typed(ctx, "group")?)
}

/// An option as the member has filled it in so far.
fn typed<'a>(ctx: Context<'a>, option: &str) -> Option<&'a str> {
    let poise::Context::Application(app) = ctx else {
        return None;
    };
    app.args.iter().find_map(|o| match (o.name, &o.value) {
        (name, serenity::ResolvedValue::String(value)) if name == option => Some(*value),
        _ => None,
    })
}

/// The status an autocomplete answers from: the site filled in so far, or the guild's only one.
/// `None` while the guild's several sites leave it open.
fn typed_status(ctx: Context<'_>) -> Option<Arc<Status>> {
    ctx.data()
        .desk(ctx.guild_id(), typed(ctx, "site"))
        .ok()
        .map(|desk| desk.status.get())
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
    let Some(status) = typed_status(ctx) else {
        return choices(Vec::new());
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands built again, as at each start, have their localizations in another order
    /// (they are `HashMap`s): their hash is the same all the same, so that they are not sent again.
    #[test]
    fn the_same_commands_hash_the_same_at_every_build() {
        let wording = Wording::builtin();
        let build = |with_site| {
            poise::builtins::create_application_commands(&commands(&wording, with_site))
        };
        let first = commands_hash(&build(true));
        assert!(!first.is_empty());
        for _ in 0..8 {
            assert_eq!(commands_hash(&build(true)), first);
        }
        assert_ne!(
            commands_hash(&build(false)),
            first,
            "another body, another hash"
        );
    }
}
