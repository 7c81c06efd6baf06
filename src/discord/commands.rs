//! Slash commands, one poise command per function, answered from the shared [`Status`] (a few
//! microseconds of work, well inside Discord's 3 s).
//!
//! Long replies are paged with buttons whose `custom_id` carries the command and page
//! (`crier:page:<list>:<page>`), so paging is stateless: it works after a restart too.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use poise::serenity_prelude as serenity;
use serenity::{
    AutocompleteChoice, ComponentInteraction, CreateActionRow, CreateAutocompleteResponse,
    CreateButton, CreateInteractionResponse, CreateInteractionResponseMessage, FullEvent, GuildId,
    Interaction,
};
use tracing::{error, info, warn};

use super::embed::{self, truncate, Embed, DESCRIPTION_MAX};
use crate::catalog::Event;
use crate::render;
use crate::schedule::Kind;
use crate::status::{Shared, SharedTab, Status, Tab};
use crate::telemetry::Telemetry;

pub struct Data {
    status: Shared,
    tab: SharedTab,
    telemetry: Arc<Telemetry>,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// Lines per page of a paged reply.
const PAGE_LINES: usize = 10;

/// The poise framework with every command, registering them on the first READY.
pub fn framework(
    guild_id: Option<u64>,
    status: Shared,
    tab: SharedTab,
    telemetry: Arc<Telemetry>,
) -> poise::Framework<Data, Error> {
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![upcoming(), next(), event(), talks(), speakers(), crier()],
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

/// Registers the commands in the guild (instant) or globally, never both; retries with backoff.
async fn register(
    http: std::sync::Arc<serenity::Http>,
    commands: Vec<serenity::CreateCommand>,
    guild_id: Option<u64>,
) {
    let mut wait = Duration::from_secs(1);
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
        match result {
            Ok(()) => {
                match guild_id {
                    Some(id) => info!(guild = id, "slash commands registered in the guild"),
                    None => info!("slash commands registered globally (they can take up to an hour to appear)"),
                }
                return;
            }
            Err(e) => {
                error!(error = %e, retry_in = ?wait, "registering the slash commands failed; the bot cannot be asked anything until it succeeds (needs the applications.commands scope)");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(300));
            }
        }
    }
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Command { error, ctx, .. } => {
            warn!(command = %ctx.command().qualified_name, %error, "command failed");
            let _ = ctx.say("Sorry, something went wrong.").await;
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                warn!(error = %e, "error while handling an error");
            }
        }
    }
}

fn reply(embed: Embed) -> poise::CreateReply {
    poise::CreateReply::default()
        .embed(embed.to_serenity())
        .allowed_mentions(serenity::CreateAllowedMentions::new())
}

/// One page of a list (`lines` are that page's), with paging buttons when there are more.
fn paged(
    title: &str,
    list: &str,
    lines: &[String],
    page: usize,
    total: usize,
) -> (Embed, Vec<CreateActionRow>) {
    let pages = total.div_ceil(PAGE_LINES).max(1);
    let page = page.min(pages - 1);
    let embed = Embed {
        title: title.to_string(),
        description: if lines.is_empty() {
            "Nothing to show.".into()
        } else {
            truncate(&lines.join("\n"), DESCRIPTION_MAX)
        },
        footer: if pages > 1 {
            format!("Page {} of {pages}", page + 1)
        } else {
            String::new()
        },
        color: 0x34_98_db,
        ..Embed::default()
    };
    let mut rows = Vec::new();
    if pages > 1 {
        rows.push(CreateActionRow::Buttons(vec![
            CreateButton::new(format!("crier:page:{list}:{}", page.saturating_sub(1)))
                .label("Previous")
                .disabled(page == 0),
            CreateButton::new(format!("crier:page:{list}:{}", page + 1))
                .label("Next")
                .disabled(page + 1 >= pages),
        ]));
    }
    (embed, rows)
}

fn event_line(event: &Event) -> String {
    let title = embed::link(&render::neutral(&event.title), event.register.as_deref());
    let cancelled = if event.cancelled { " (cancelled)" } else { "" };
    format!(
        "{} {title}{cancelled}",
        embed::when(&event.start, event.time_known)
    )
}

/// An event in full: the same embed as its announcement, without the announcement's label, and with
/// each talk's abstract.
fn event_embed(event: &Event, tab: &Tab) -> Embed {
    let message = render::announcement(event, Kind::New, None, Utc::now());
    let mut spec = embed::embed(&message);
    // From the Events tab's last read (every `discord.events_refresh`), never fetched while the
    // member waits.
    if let Some(count) = tab.interested.get(&event.id) {
        spec.fields
            .push(("Interested".into(), count.to_string(), true));
    }
    spec.footer = if event.cancelled {
        "Cancelled".into()
    } else {
        String::new()
    };
    if event.talks.iter().any(|t| t.abstract_md.is_some()) {
        let intro = if event.cancelled {
            "This event is cancelled.\n"
        } else {
            ""
        };
        let talks = talk_entries(&event.talks, "- ", "\n");
        spec.description = truncate(&format!("{intro}{talks}"), DESCRIPTION_MAX);
        embed::fit_total(&mut spec);
    }
    spec
}

/// The most of one abstract a command shows; all of them together stay within an embed's description.
const ABSTRACT_MAX: usize = 600;

/// Talks as a command shows them: the title, its length and speakers, then the opening of its
/// abstract as a quote, each abstract cut so that every talk fits in one embed description.
fn talk_entries(talks: &[crate::catalog::Talk], bullet: &str, separator: &str) -> String {
    let heads: Vec<String> = talks
        .iter()
        .map(|t| {
            recordings_line(
                format!("{bullet}{}", embed::talk_line(&render::neutral_talk(t))),
                t,
            )
        })
        .collect();
    let fixed: usize = heads.iter().map(|h| h.chars().count() + 4).sum();
    let share = DESCRIPTION_MAX
        .saturating_sub(fixed)
        .checked_div(talks.len().max(1))
        .unwrap_or(0)
        .min(ABSTRACT_MAX);
    heads
        .into_iter()
        .zip(talks)
        .map(|(head, talk)| match &talk.abstract_md {
            Some(md) if share > 20 => {
                let text = render::abstract_text(md).replace('\n', " ");
                format!("{head}\n> {}", truncate(&text, share))
            }
            _ => head,
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// A talk's line with its recordings after it: `… · [Recording (English)](url)`.
fn recordings_line(mut head: String, talk: &crate::catalog::Talk) -> String {
    for r in &talk.recordings {
        head.push_str(&format!(
            " · {}",
            embed::link(&render::neutral(&r.label), Some(&r.url))
        ));
    }
    head
}

/// Finds an event by title (exact, then prefix, then substring; case-insensitive) or id, upcoming
/// first, over the titles the snapshot lower-cased once.
fn find_event<'a>(status: &'a Status, name: &str) -> Option<&'a Event> {
    let now = Utc::now();
    let wanted = name.trim().to_lowercase();
    let catalog = &status.catalog;
    let matches = |f: &dyn Fn(&str) -> bool| {
        catalog.search_order(now).find(|&i| {
            let (title, id) = catalog.folded(i);
            f(title) || id == wanted
        })
    };
    matches(&|t| t == wanted)
        .or_else(|| matches(&|t| t.starts_with(&wanted)))
        .or_else(|| matches(&|t| t.contains(&wanted)))
        .map(|i| &catalog.events[i])
}

/// The `upcoming` line of one event, with its talks.
fn upcoming_line(e: &Event) -> String {
    let mut line = event_line(e);
    for talk in &e.talks {
        let speakers: Vec<String> = talk
            .speakers
            .iter()
            .map(|s| render::neutral(&s.name))
            .collect();
        line.push_str(&format!("\n  • {}", render::neutral(&talk.title)));
        if !speakers.is_empty() {
            line.push_str(&format!(", {}", speakers.join(", ")));
        }
    }
    line
}

/// Speakers of upcoming events, by name, with their next talk: from the snapshot's speaker index, a
/// binary search per speaker for the first talk not started yet.
fn speaker_lines(status: &Status) -> Vec<String> {
    let now = Utc::now();
    let catalog = &status.catalog;
    catalog
        .speakers()
        .filter_map(|(_, speaker)| {
            let next = speaker
                .talks
                .partition_point(|&(e, _)| catalog.events[e].start < now);
            let (event, talk) = catalog.talk(*speaker.talks.get(next)?);
            let name = embed::link(&render::neutral(&speaker.name), speaker.url.as_deref());
            Some(format!(
                "{name}: {} ({})",
                render::neutral(&talk.title),
                render::neutral(&event.title)
            ))
        })
        .collect()
}

fn status_lines(status: &Status, tab: &Tab) -> Vec<String> {
    let errors = status.problems.iter().filter(|p| p.is_error()).count();
    let mut lines = vec![format!(
        "**{} events** loaded, {} upcoming; {errors} errors, {} warnings in the files",
        status.events().len(),
        status.upcoming(Utc::now()).count(),
        status.problems.len() - errors
    )];
    for p in status.problems.iter().take(10) {
        lines.push(format!("⚠ {}", truncate(&p.to_string(), 300)));
    }
    if tab.enabled {
        lines.push(match &tab.problem {
            Some(problem) => format!("⚠ Events tab: {}", truncate(problem, 300)),
            None => format!(
                "**Events tab**: {} scheduled events kept{}",
                tab.kept,
                tab.last_read
                    .map(|t| format!(", read back {}", embed::when(&t, true)))
                    .unwrap_or_default()
            ),
        });
    }
    lines.push("**Next announcements**".into());
    for n in status.next.iter().take(20) {
        lines.push(format!(
            "{} {} — {}",
            embed::when(&n.due, true),
            n.kind,
            render::neutral(&n.title)
        ));
    }
    lines.push("**Latest results**".into());
    for r in status.recent.iter().take(20) {
        let detail = r
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        lines.push(format!(
            "{:?} {} for {}{}",
            r.status,
            r.key.kind,
            r.key.event_id,
            truncate(&detail, 200)
        ));
    }
    lines
}

/// One page of a paged list, by the name used in its buttons: its title, the page's lines and the
/// number of lines in all. Only the page's lines are rendered, so a long list costs no more than a short one.
fn list_page(
    status: &Status,
    tab: &Tab,
    list: &str,
    page: usize,
) -> Option<(&'static str, Vec<String>, usize)> {
    let window = |lines: Vec<String>| {
        let total = lines.len();
        let page = page.min(total.saturating_sub(1) / PAGE_LINES);
        let lines = lines
            .into_iter()
            .skip(page * PAGE_LINES)
            .take(PAGE_LINES)
            .collect();
        (lines, total)
    };
    match list {
        "upcoming" => {
            let now = Utc::now();
            let total = status.upcoming(now).count();
            let page = page.min(total.saturating_sub(1) / PAGE_LINES);
            let lines = status
                .upcoming(now)
                .skip(page * PAGE_LINES)
                .take(PAGE_LINES)
                .map(upcoming_line)
                .collect();
            Some(("Upcoming events", lines, total))
        }
        "speakers" => {
            let (lines, total) = window(speaker_lines(status));
            Some(("Speakers of upcoming events", lines, total))
        }
        "status" => {
            let (lines, total) = window(status_lines(status, tab));
            Some(("crier status", lines, total))
        }
        _ => None,
    }
}

async fn send_paged(ctx: Context<'_>, list: &str) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let tab = ctx.data().tab.get();
    let Some((title, lines, total)) = list_page(&status, &tab, list, 0) else {
        return Ok(());
    };
    let (spec, rows) = paged(title, list, &lines, 0, total);
    ctx.send(reply(spec).components(rows)).await?;
    Ok(())
}

/// The next upcoming events, with their talks and speakers.
#[poise::command(slash_command)]
pub async fn upcoming(
    ctx: Context<'_>,
    #[description = "How many events, 1 to 10 (default: all of them, 10 per page)"]
    #[min = 1]
    #[max = 10]
    count: Option<u8>,
) -> Result<(), Error> {
    let Some(count) = count else {
        return send_paged(ctx, "upcoming").await;
    };
    let status = ctx.data().status.get();
    let lines: Vec<String> = status
        .upcoming(Utc::now())
        .take(usize::from(count))
        .map(upcoming_line)
        .collect();
    let total = lines.len();
    let (spec, rows) = paged("Upcoming events", "upcoming", &lines, 0, total);
    ctx.send(reply(spec).components(rows)).await?;
    Ok(())
}

/// The next event, in full.
#[poise::command(slash_command)]
pub async fn next(ctx: Context<'_>) -> Result<(), Error> {
    let status = ctx.data().status.get();
    match status.upcoming(Utc::now()).find(|e| !e.cancelled) {
        Some(event) => {
            ctx.send(reply(event_embed(event, &ctx.data().tab.get())))
                .await?
        }
        None => ctx.say("No upcoming events yet.").await?,
    };
    Ok(())
}

async fn autocomplete_event(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let status = ctx.data().status.get();
    let now = Utc::now();
    let partial = partial.trim().to_lowercase();
    let catalog = &status.catalog;
    let choices: Vec<AutocompleteChoice> = catalog
        .search_order(now)
        .filter(|&i| catalog.folded(i).0.contains(&partial))
        .take(25)
        .map(|i| &catalog.events[i])
        .map(|e| {
            // Choice names and values are limited to 100 characters.
            let name = truncate(&e.title, 100);
            AutocompleteChoice::new(name.clone(), name)
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

async fn autocomplete_speaker(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let status = ctx.data().status.get();
    let partial = partial.trim().to_lowercase();
    // The index is keyed by the lower-cased name, in order: a walk that stops at 25.
    let choices = status
        .catalog
        .speakers()
        .filter(|(folded, _)| folded.contains(&partial))
        .map(|(_, s)| s.name.as_str())
        .take(25)
        .map(|n| AutocompleteChoice::new(truncate(n, 100), truncate(n, 100)))
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// One event, by name.
#[poise::command(slash_command)]
pub async fn event(
    ctx: Context<'_>,
    #[description = "The event's title"]
    #[autocomplete = "autocomplete_event"]
    name: String,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    match find_event(&status, &name) {
        Some(event) => {
            ctx.send(reply(event_embed(event, &ctx.data().tab.get())))
                .await?
        }
        None => {
            ctx.send(
                poise::CreateReply::default()
                    .content(format!(
                        "No event matches “{}”.",
                        truncate(&render::neutral(&name), 100)
                    ))
                    .allowed_mentions(serenity::CreateAllowedMentions::new())
                    .ephemeral(true),
            )
            .await?
        }
    };
    Ok(())
}

/// The talks of an event (default: the next one).
#[poise::command(slash_command)]
pub async fn talks(
    ctx: Context<'_>,
    #[description = "The event's title (default: the next event)"]
    #[autocomplete = "autocomplete_event"]
    event: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let found = match &event {
        Some(name) => find_event(&status, name),
        None => status.upcoming(Utc::now()).find(|e| !e.cancelled),
    };
    let Some(found) = found else {
        ctx.say("No such event.").await?;
        return Ok(());
    };
    let listed = talk_entries(&found.talks, "", "\n\n");
    let mut spec = Embed {
        title: truncate(
            &format!("Talks: {}", render::neutral(&found.title)),
            embed::TITLE_MAX,
        ),
        url: found.register.clone(),
        description: if found.talks.is_empty() {
            "No talks announced yet.".into()
        } else {
            truncate(&listed, DESCRIPTION_MAX)
        },
        color: 0x34_98_db,
        ..Embed::default()
    };
    spec.fields.push((
        "When".into(),
        embed::when(&found.start, found.time_known),
        false,
    ));
    ctx.send(reply(spec)).await?;
    Ok(())
}

/// Speakers of upcoming events; with a name, that speaker's talks, upcoming and past.
#[poise::command(slash_command)]
pub async fn speakers(
    ctx: Context<'_>,
    #[description = "A speaker's name"]
    #[autocomplete = "autocomplete_speaker"]
    name: Option<String>,
) -> Result<(), Error> {
    let Some(name) = name else {
        return send_paged(ctx, "speakers").await;
    };
    let status = ctx.data().status.get();
    let now = Utc::now();
    let catalog = &status.catalog;
    let speaker = catalog.speaker(&name);
    let url = speaker.and_then(|s| s.url.clone());
    let talks = speaker.map_or(&[][..], |s| s.talks.as_slice());
    // Upcoming talks soonest first, then past ones most recent first.
    let split = talks.partition_point(|&(e, _)| catalog.events[e].start < now);
    let lines: Vec<String> = talks[split..]
        .iter()
        .chain(talks[..split].iter().rev())
        .map(|&at| {
            let (event, talk) = catalog.talk(at);
            let line = format!(
                "**{}**: {}",
                render::neutral(&talk.title),
                event_line(event)
            );
            recordings_line(line, talk)
        })
        .collect();
    if lines.is_empty() {
        ctx.say(format!(
            "No talks by “{}”.",
            truncate(&render::neutral(&name), 100)
        ))
        .await?;
        return Ok(());
    }
    let spec = Embed {
        title: truncate(&render::neutral(name.trim()), embed::TITLE_MAX),
        url,
        description: truncate(&lines.join("\n"), DESCRIPTION_MAX),
        color: 0x34_98_db,
        ..Embed::default()
    };
    ctx.send(reply(spec)).await?;
    Ok(())
}

/// crier's own commands.
#[poise::command(
    slash_command,
    subcommands("status"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn crier(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Loaded events, file problems, the next announcements, the ledger's latest results.
#[poise::command(slash_command, required_permissions = "MANAGE_GUILD", ephemeral)]
pub async fn status(ctx: Context<'_>) -> Result<(), Error> {
    send_paged(ctx, "status").await
}

/// Paging buttons: stateless, recomputed from the current status.
async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &FullEvent,
) -> Result<(), Error> {
    let telemetry = &framework.user_data.telemetry;
    let click = match event {
        FullEvent::Ready { .. } | FullEvent::Resume { .. } => {
            telemetry.set_gateway(true);
            return Ok(());
        }
        FullEvent::ShardStageUpdate { event } => {
            telemetry.set_gateway(event.new == serenity::ConnectionStage::Connected);
            return Ok(());
        }
        FullEvent::InteractionCreate {
            interaction: Interaction::Component(click),
        } => click,
        _ => return Ok(()),
    };
    let Some(rest) = click.data.custom_id.strip_prefix("crier:page:") else {
        return Ok(());
    };
    let (list, page) = rest.rsplit_once(':').unwrap_or((rest, "0"));
    let page: usize = page.parse().unwrap_or(0);
    answer_page(framework, click, list, page).await
}

async fn answer_page(
    framework: poise::FrameworkContext<'_, Data, Error>,
    click: &ComponentInteraction,
    list: &str,
    page: usize,
) -> Result<(), Error> {
    let status = framework.user_data.status.get();
    let tab = framework.user_data.tab.get();
    let Some((title, lines, total)) = list_page(&status, &tab, list, page) else {
        return Ok(());
    };
    let (spec, rows) = paged(title, list, &lines, page, total);
    let response = CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .embed(spec.to_serenity())
            .components(rows)
            .allowed_mentions(serenity::CreateAllowedMentions::new()),
    );
    click
        .create_response(&framework.serenity_context.http, response)
        .await?;
    Ok(())
}
