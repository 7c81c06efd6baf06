//! Slash commands, one poise command per function, answered from the shared [`Status`] (a few
//! microseconds of work, well inside Discord's 3 s).
//!
//! Long replies are paged with buttons whose `custom_id` carries the command and page
//! (`crier:page:<list>:<page>`, or `crier:page:<list>.<group token>:<page>` for one group's list),
//! so paging is stateless: it works after a restart too.
//!
//! Most commands take an optional `group`, the `group:` of the event files, for a server that hosts
//! several groups: matched like routing matches it (trimmed, any case), by a walk over the snapshot's
//! events, which is well under a millisecond at 10,000 events.

use std::collections::{BTreeMap, HashSet};
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

use super::embed::{self, Embed, DESCRIPTION_MAX};
use crate::app::status::{Shared, SharedTab, Snapshot, Status, Tab};
use crate::app::telemetry::Telemetry;
use crier_core::catalog::Event;
use crier_core::render;
use crier_core::schedule::Kind;
use crier_core::text::truncate;

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

/// One page of a list (`lines` are that page's), with paging buttons when there are more; `list`
/// is what the buttons name it by ([`page_list`]).
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

/// A name as the commands match it: trimmed and lower-cased, as routing matches `group`.
fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A group a command is narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    /// As matched ([`fold`]).
    folded: String,
    /// As the event files first write it, for titles.
    name: String,
}

/// Whether `event` is in `group`; with no group, every event is. An event without a group is in
/// none: it was not written for any one group's members.
fn in_scope(event: &Event, group: Option<&Group>) -> bool {
    group.is_none_or(|g| event.group.as_deref().is_some_and(|e| fold(e) == g.folded))
}

/// The groups the events name, by folded name, each as first written (in start order). Each
/// distinct spelling is folded once, not each event's, since most events of a group write it alike.
fn groups(catalog: &Snapshot) -> BTreeMap<String, &str> {
    let mut seen = HashSet::new();
    let mut groups = BTreeMap::new();
    for name in catalog.events.iter().filter_map(|e| e.group.as_deref()) {
        if seen.insert(name) {
            let folded = fold(name);
            if !folded.is_empty() {
                groups.entry(folded).or_insert(name.trim());
            }
        }
    }
    groups
}

/// "the groups are: a, b", or that there are none, for the answers to a group no event has.
fn groups_sentence(known: &BTreeMap<String, &str>) -> String {
    if known.is_empty() {
        "no event file names a `group:`".into()
    } else {
        let names: Vec<&str> = known.values().copied().collect();
        format!("the groups are: {}", names.join(", "))
    }
}

/// A group as the member wrote it, for an answer: inside a code span, which a backtick would end.
fn group_quote(group: &str) -> String {
    format!(
        "`{}`",
        truncate(&render::neutral(&group.trim().replace('`', "'")), 100)
    )
}

/// The `group` option resolved against the catalog, or the answer for a group no event has, naming
/// the groups that exist. A blank option narrows nothing, as if it were not given.
fn resolve_group(status: &Status, group: Option<&str>) -> Result<Option<Group>, String> {
    let Some(asked) = group.filter(|g| !g.trim().is_empty()) else {
        return Ok(None);
    };
    let known = groups(&status.catalog);
    let folded = fold(asked);
    match known.get(&folded) {
        Some(name) => Ok(Some(Group {
            name: (*name).to_string(),
            folded,
        })),
        None => Err(truncate(
            &format!(
                "No events in the group {}; {}.",
                group_quote(asked),
                render::neutral(&groups_sentence(&known))
            ),
            MESSAGE_MAX,
        )),
    }
}

/// The most a message's content may hold.
const MESSAGE_MAX: usize = 2000;

/// " in the group `x`" after an answer about one group's events, nothing without one.
fn in_group_suffix(group: Option<&Group>) -> String {
    group
        .map(|g| format!(" in the group {}", group_quote(&g.name)))
        .unwrap_or_default()
}

/// A list's title, naming its group.
fn list_title(title: &str, group: Option<&Group>) -> String {
    match group {
        Some(g) => truncate(
            &format!("{title} in {}", render::neutral(&g.name)),
            embed::TITLE_MAX,
        ),
        None => title.to_string(),
    }
}

/// A group as a paging button names it: a hash of its folded name, so the button's id stays within
/// Discord's 100 characters however long the name, and still means the same group after a restart
/// (FNV-1a, written out: std's hasher may change between Rust releases).
fn group_token(folded: &str) -> String {
    let hash = folded
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("{hash:016x}")
}

/// What the paging buttons of a list name it by: the list, and its group's token.
fn page_list(list: &str, group: Option<&Group>) -> String {
    match group {
        Some(g) => format!("{list}.{}", group_token(&g.folded)),
        None => list.to_string(),
    }
}

/// A short answer only the member sees, for a name that matched nothing.
async fn say_private(ctx: Context<'_>, text: String) -> Result<(), Error> {
    ctx.send(
        poise::CreateReply::default()
            .content(text)
            .allowed_mentions(serenity::CreateAllowedMentions::new())
            .ephemeral(true),
    )
    .await?;
    Ok(())
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
fn talk_entries(talks: &[crier_core::catalog::Talk], bullet: &str, separator: &str) -> String {
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
fn recordings_line(mut head: String, talk: &crier_core::catalog::Talk) -> String {
    for r in &talk.recordings {
        head.push_str(&format!(
            " · {}",
            embed::link(&render::neutral(&r.label), Some(&r.url))
        ));
    }
    head
}

/// Finds an event of `group` by title (exact, then prefix, then substring; case-insensitive) or id,
/// upcoming first, over the titles the snapshot lower-cased once.
fn find_event<'a>(status: &'a Status, name: &str, group: Option<&Group>) -> Option<&'a Event> {
    let now = Utc::now();
    let wanted = name.trim().to_lowercase();
    let catalog = &status.catalog;
    let matches = |f: &dyn Fn(&str) -> bool| {
        catalog.search_order(now).find(|&i| {
            let (title, id) = catalog.folded(i);
            (f(title) || id == wanted) && in_scope(&catalog.events[i], group)
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

/// Speakers of upcoming events of `group`, by name, with their next talk there: from the snapshot's
/// speaker index, a binary search per speaker for the first talk not started yet.
fn speaker_lines(status: &Status, group: Option<&Group>) -> Vec<String> {
    let now = Utc::now();
    let catalog = &status.catalog;
    catalog
        .speakers()
        .filter_map(|(_, speaker)| {
            let next = speaker
                .talks
                .partition_point(|&(e, _)| catalog.events[e].start < now);
            let at = speaker.talks[next..]
                .iter()
                .find(|&&(e, _)| in_scope(&catalog.events[e], group))?;
            let (event, talk) = catalog.talk(*at);
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

/// One page of a paged list, by the name used in its buttons, narrowed to `group` (`status` has
/// none): its title, the page's lines and the number of lines in all. Only the page's lines are
/// rendered, so a long list costs no more than a short one.
fn list_page(
    status: &Status,
    tab: &Tab,
    list: &str,
    group: Option<&Group>,
    page: usize,
) -> Option<(String, Vec<String>, usize)> {
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
            let upcoming = || status.upcoming(now).filter(|e| in_scope(e, group));
            let total = upcoming().count();
            let page = page.min(total.saturating_sub(1) / PAGE_LINES);
            let lines = upcoming()
                .skip(page * PAGE_LINES)
                .take(PAGE_LINES)
                .map(upcoming_line)
                .collect();
            Some((list_title("Upcoming events", group), lines, total))
        }
        "speakers" => {
            let (lines, total) = window(speaker_lines(status, group));
            Some((
                list_title("Speakers of upcoming events", group),
                lines,
                total,
            ))
        }
        "status" => {
            let (lines, total) = window(status_lines(status, tab));
            Some(("crier status".into(), lines, total))
        }
        _ => None,
    }
}

async fn send_paged(ctx: Context<'_>, list: &str, group: Option<&Group>) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let tab = ctx.data().tab.get();
    let Some((title, lines, total)) = list_page(&status, &tab, list, group, 0) else {
        return Ok(());
    };
    let (spec, rows) = paged(&title, &page_list(list, group), &lines, 0, total);
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
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let group = match resolve_group(&status, group.as_deref()) {
        Ok(group) => group,
        Err(answer) => return say_private(ctx, answer).await,
    };
    let Some(count) = count else {
        return send_paged(ctx, "upcoming", group.as_ref()).await;
    };
    let lines: Vec<String> = status
        .upcoming(Utc::now())
        .filter(|e| in_scope(e, group.as_ref()))
        .take(usize::from(count))
        .map(upcoming_line)
        .collect();
    let total = lines.len();
    let title = list_title("Upcoming events", group.as_ref());
    let list = page_list("upcoming", group.as_ref());
    let (spec, rows) = paged(&title, &list, &lines, 0, total);
    ctx.send(reply(spec).components(rows)).await?;
    Ok(())
}

/// The next event, in full.
#[poise::command(slash_command)]
pub async fn next(
    ctx: Context<'_>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let group = match resolve_group(&status, group.as_deref()) {
        Ok(group) => group,
        Err(answer) => return say_private(ctx, answer).await,
    };
    match status
        .upcoming(Utc::now())
        .find(|e| !e.cancelled && in_scope(e, group.as_ref()))
    {
        Some(event) => {
            ctx.send(reply(event_embed(event, &ctx.data().tab.get())))
                .await?
        }
        None => {
            ctx.say(format!(
                "No upcoming events{} yet.",
                in_group_suffix(group.as_ref())
            ))
            .await?
        }
    };
    Ok(())
}

/// The `group` option as the member has filled it in so far, while they type another option: an
/// autocomplete interaction carries every option's current value, and poise passes them on. A
/// group no event has narrows to nothing, as the command itself would answer nothing.
fn typed_group(ctx: Context<'_>) -> Option<Group> {
    let poise::Context::Application(app) = ctx else {
        return None;
    };
    let typed = app.args.iter().find_map(|o| match (o.name, &o.value) {
        ("group", serenity::ResolvedValue::String(value)) => Some(*value),
        _ => None,
    })?;
    let folded = fold(typed);
    (!folded.is_empty()).then(|| Group {
        name: typed.trim().to_string(),
        folded,
    })
}

async fn autocomplete_group(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let status = ctx.data().status.get();
    let partial = fold(partial);
    let choices = groups(&status.catalog)
        .into_iter()
        .filter(|(folded, _)| folded.contains(&partial))
        .take(25)
        .map(|(_, name)| {
            // Choice names and values are limited to 100 characters.
            let name = truncate(name, 100);
            AutocompleteChoice::new(name.clone(), name)
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

async fn autocomplete_event(ctx: Context<'_>, partial: &str) -> CreateAutocompleteResponse {
    let status = ctx.data().status.get();
    let now = Utc::now();
    let partial = partial.trim().to_lowercase();
    let group = typed_group(ctx);
    let catalog = &status.catalog;
    let choices: Vec<AutocompleteChoice> = catalog
        .search_order(now)
        .filter(|&i| {
            catalog.folded(i).0.contains(&partial) && in_scope(&catalog.events[i], group.as_ref())
        })
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
    let group = typed_group(ctx);
    let catalog = &status.catalog;
    // The index is keyed by the lower-cased name, in order: a walk that stops at 25.
    let choices = catalog
        .speakers()
        .filter(|(folded, s)| {
            folded.contains(&partial)
                && s.talks
                    .iter()
                    .any(|&(e, _)| in_scope(&catalog.events[e], group.as_ref()))
        })
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
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let group = match resolve_group(&status, group.as_deref()) {
        Ok(group) => group,
        Err(answer) => return say_private(ctx, answer).await,
    };
    match find_event(&status, &name, group.as_ref()) {
        Some(event) => {
            ctx.send(reply(event_embed(event, &ctx.data().tab.get())))
                .await?;
            Ok(())
        }
        None => {
            let answer = format!(
                "No event matches “{}”{}.",
                truncate(&render::neutral(&name), 100),
                in_group_suffix(group.as_ref())
            );
            say_private(ctx, answer).await
        }
    }
}

/// The talks of an event (default: the next one).
#[poise::command(slash_command)]
pub async fn talks(
    ctx: Context<'_>,
    #[description = "The event's title (default: the next event)"]
    #[autocomplete = "autocomplete_event"]
    event: Option<String>,
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let group = match resolve_group(&status, group.as_deref()) {
        Ok(group) => group,
        Err(answer) => return say_private(ctx, answer).await,
    };
    let found = match &event {
        Some(name) => find_event(&status, name, group.as_ref()),
        None => status
            .upcoming(Utc::now())
            .find(|e| !e.cancelled && in_scope(e, group.as_ref())),
    };
    let Some(found) = found else {
        ctx.say(format!("No such event{}.", in_group_suffix(group.as_ref())))
            .await?;
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
    #[description = "Only this group's events (the `group:` of the event files)"]
    #[autocomplete = "autocomplete_group"]
    group: Option<String>,
) -> Result<(), Error> {
    let status = ctx.data().status.get();
    let group = match resolve_group(&status, group.as_deref()) {
        Ok(group) => group,
        Err(answer) => return say_private(ctx, answer).await,
    };
    let Some(name) = name else {
        return send_paged(ctx, "speakers", group.as_ref()).await;
    };
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
        .filter(|&&(e, _)| in_scope(&catalog.events[e], group.as_ref()))
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
            "No talks by “{}”{}.",
            truncate(&render::neutral(&name), 100),
            in_group_suffix(group.as_ref())
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
    send_paged(ctx, "status", None).await
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

/// The group a list's buttons name by its token ([`group_token`]), among the current catalog's.
fn group_by_token(catalog: &Snapshot, token: &str) -> Option<Group> {
    groups(catalog)
        .into_iter()
        .find(|(folded, _)| group_token(folded) == token)
        .map(|(folded, name)| Group {
            name: name.to_string(),
            folded,
        })
}

async fn answer_page(
    framework: poise::FrameworkContext<'_, Data, Error>,
    click: &ComponentInteraction,
    list: &str,
    page: usize,
) -> Result<(), Error> {
    let status = framework.user_data.status.get();
    let tab = framework.user_data.tab.get();
    let http = &framework.serenity_context.http;
    let (name, group) = match list.split_once('.') {
        None => (list, None),
        Some((name, token)) => match group_by_token(&status.catalog, token) {
            Some(group) => (name, Some(group)),
            None => {
                // The files changed since the list was sent, and no event names its group now.
                let text = render::neutral(&format!(
                    "No events are in this list's group any more; {}.",
                    groups_sentence(&groups(&status.catalog))
                ));
                let answer = CreateInteractionResponse::Message(
                    CreateInteractionResponseMessage::new()
                        .content(truncate(&text, MESSAGE_MAX))
                        .allowed_mentions(serenity::CreateAllowedMentions::new())
                        .ephemeral(true),
                );
                click.create_response(http, answer).await?;
                return Ok(());
            }
        },
    };
    let Some((title, lines, total)) = list_page(&status, &tab, name, group.as_ref(), page) else {
        return Ok(());
    };
    let (spec, rows) = paged(&title, list, &lines, page, total);
    let response = CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new()
            .embed(spec.to_serenity())
            .components(rows)
            .allowed_mentions(serenity::CreateAllowedMentions::new()),
    );
    click.create_response(http, response).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn event(id: &str, hours: i64, group: Option<&str>) -> Event {
        Event {
            timezone: "UTC".into(),
            group: group.map(str::to_string),
            ..Event::new(
                id,
                format!("Meetup {id}"),
                DateTime::from_timestamp(1_900_000_000 + hours * 3600, 0)
                    .expect("valid")
                    .fixed_offset(),
                format!("{id}.md"),
            )
        }
    }

    fn with_events(events: Vec<Event>) -> Status {
        Status {
            catalog: Arc::new(Snapshot::new(events)),
            ..Status::default()
        }
    }

    #[test]
    fn groups_are_distinct_in_any_case_sorted_and_as_first_written() {
        let status = with_events(vec![
            event("c", 3, Some("berlin")),
            event("a", 1, Some(" Rust-TLV ")),
            event("b", 2, Some("rust-tlv")),
            event("d", 4, None),
            event("e", 5, Some("  ")),
        ]);
        let known = groups(&status.catalog);
        let listed: Vec<(&str, &str)> = known.iter().map(|(f, n)| (f.as_str(), *n)).collect();
        assert_eq!(listed, [("berlin", "berlin"), ("rust-tlv", "Rust-TLV")]);

        let tlv = resolve_group(&status, Some("RUST-tlv "))
            .expect("known")
            .expect("a group");
        assert_eq!(tlv.name, "Rust-TLV");
        let ids: Vec<&str> = status
            .events()
            .iter()
            .filter(|e| in_scope(e, Some(&tlv)))
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"], "events without a group are in none");
        assert_eq!(
            status.events().iter().filter(|e| in_scope(e, None)).count(),
            5
        );

        assert_eq!(resolve_group(&status, None), Ok(None));
        assert_eq!(
            resolve_group(&status, Some("  ")),
            Ok(None),
            "blank: no filter"
        );
        assert_eq!(
            resolve_group(&status, Some("rust")),
            Err("No events in the group `rust`; the groups are: berlin, Rust-TLV.".into())
        );
        assert_eq!(
            resolve_group(&with_events(Vec::new()), Some("a`b @here")),
            Err(
                "No events in the group `a'b @\u{200b}here`; no event file names a `group:`."
                    .into()
            )
        );
    }

    #[test]
    fn a_groups_paging_token_is_stable_and_found_again() {
        // FNV-1a's published test vector: the token must not change between builds or releases,
        // or the buttons of lists already posted would stop working.
        assert_eq!(group_token("a"), "af63dc4c8601ec8c");
        let status = with_events(vec![
            event("a", 1, Some("Berlin")),
            event("b", 2, Some("tlv")),
        ]);
        let berlin = group_by_token(&status.catalog, &group_token("berlin")).expect("found");
        assert_eq!(berlin.name, "Berlin");
        assert_eq!(group_by_token(&status.catalog, "0000000000000000"), None);
        let list = page_list("upcoming", Some(&berlin));
        assert_eq!(list, format!("upcoming.{}", group_token("berlin")));
        assert!(format!("crier:page:{list}:9999").len() <= 100);
        assert_eq!(page_list("upcoming", None), "upcoming");
    }
}
