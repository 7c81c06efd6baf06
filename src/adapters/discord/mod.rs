//! The Discord adapter: posts announcements (the sink) and answers slash commands (poise), with serenity.
//!
//! Everything Discord-specific lives here; the announcer hands over platform-neutral messages. The REST
//! client gets a request timeout (serenity sets none, and a silent Discord would hang the bot), and, with
//! `discord.api_url`, goes through that base URL with serenity's own ratelimiter off (the proxy setting is
//! ignored otherwise; see the wire facts in the README).

pub mod embed;
pub mod errors;
pub mod events_tab_sync;
pub mod slash;

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serenity::all::{
    ChannelId, ChannelType, CreateActionRow, CreateAllowedMentions, CreateButton, CreateMessage,
    EditMessage, GatewayIntents, Http, HttpBuilder, MessageId, Permissions, RoleId,
};
use serenity::model::channel::Nonce;
use tracing::{error, info, warn};

use crate::app::sink::{Outgoing, Sink, SinkError};
use crate::config::DiscordConfig;
use crate::secret::Secret;
use crier_core::backoff::Backoff;
use crier_core::schedule::{Key, Kind};
use errors::Class;

/// The bot token. It never appears in logs, errors or `Debug` output.
#[derive(Clone)]
pub struct Token(Secret);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// `DISCORD_TOKEN`, else the file `discord.token_file` (read as every secret file is, by
    /// [`Secret::from_file`]); `None` when neither is set.
    pub fn from_env_or_file(
        env: Option<String>,
        file: Option<&Path>,
    ) -> Result<Option<Token>, String> {
        if let Some(token) = env.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) {
            return Ok(Some(Token(Secret::new(token))));
        }
        file.map(|file| Secret::from_file(file, "discord.token_file").map(Token))
            .transpose()
    }

    fn expose(&self) -> &str {
        self.0.expose()
    }
}

/// Timeout of each REST request: a slow Discord must not hang the announcer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The REST client, pointed at `api_url` when configured.
pub fn http(token: &Token, config: &DiscordConfig) -> anyhow::Result<Http> {
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let mut builder = HttpBuilder::new(token.expose()).client(client);
    if let Some(api_url) = &config.api_url {
        builder = builder.proxy(api_url.as_str()).ratelimiter_disabled(true);
    }
    Ok(builder.build())
}

/// [`preflight`], retried with backoff while Discord cannot be reached (a network or Discord outage at
/// start must not crash-loop the container); a rejected token or a missing permission fails at once.
pub async fn preflight_until_reachable(
    http: &Http,
    config: &DiscordConfig,
    routes: &crier_core::routing::Routes,
) -> anyhow::Result<Ready> {
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
    loop {
        match preflight(http, config, routes).await {
            Err(e) if e.downcast_ref::<Unreachable>().is_some() => {
                let wait = backoff.fail();
                warn!(error = %e, retry_in = ?wait, "Discord is not reachable yet");
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

/// Discord could not be reached at all (as opposed to answering with an error).
#[derive(Debug, thiserror::Error)]
#[error("cannot reach Discord: {0}")]
pub struct Unreachable(String);

/// What the start-up check learnt: where the bot is, and what it may do with the Events tab.
#[derive(Debug, Clone, Copy)]
pub struct Ready {
    pub guild_id: serenity::all::GuildId,
    pub bot_id: serenity::all::UserId,
    pub events: events_tab_sync::EventPermissions,
}

/// Checks, before anything is posted, that the token works and that the bot may post in the channel.
/// Prints a checklist of what is missing; `Err` when the bot cannot work at all. A missing events
/// permission is a line in the checklist, not an error: announcements do not need it.
pub async fn preflight(
    http: &Http,
    config: &DiscordConfig,
    routes: &crier_core::routing::Routes,
) -> anyhow::Result<Ready> {
    let me = match http.get_current_user().await {
        Ok(me) => me,
        Err(e) => match Class::of(&e) {
            Class::Unauthorized => {
                anyhow::bail!("Discord rejected the bot token (401 Unauthorized): check DISCORD_TOKEN or `discord.token_file` (Developer Portal → your application → Bot → Reset Token)")
            }
            Class::Unreachable => return Err(Unreachable(e.to_string()).into()),
            _ => anyhow::bail!("Discord answered the token check with an error: {e}"),
        },
    };
    // Every channel crier may post in: each route's, then `discord.channel_id`; each checked once.
    let mut channels: Vec<(u64, bool, String)> = Vec::new();
    for destination in routes.destinations() {
        let origin = match destination.route {
            Some(_) => format!("`channel_id` of {}", routes.describe(destination.route)),
            None => "`discord.channel_id`".to_string(),
        };
        match channels
            .iter_mut()
            .find(|(id, _, _)| *id == destination.channel_id)
        {
            Some(seen) => seen.1 |= destination.mention_role.is_some(),
            None => channels.push((
                destination.channel_id,
                destination.mention_role.is_some(),
                origin,
            )),
        }
    }
    if channels.is_empty() {
        anyhow::bail!("`discord.channel_id` is not set and there are no `[[routes]]`: crier needs a channel to announce in (right-click the channel with Developer Mode on, Copy Channel ID)");
    }
    let mut home: Option<(
        serenity::all::PartialGuild,
        serenity::all::Member,
        serenity::all::GuildChannel,
    )> = None;
    let mut problems = Vec::new();
    for (channel_id, mentions, origin) in channels {
        let channel = match http.get_channel(ChannelId::new(channel_id)).await {
            Ok(channel) => channel,
            Err(e) if matches!(Class::of(&e), Class::PermissionMissing | Class::NotFound) => anyhow::bail!(
                "the channel {channel_id} ({origin}) does not exist or the bot cannot see it: invite the bot to the server and give it View Channel there"
            ),
            Err(e) => anyhow::bail!("cannot read the channel {channel_id}: {e}"),
        };
        let Some(channel) = channel.guild() else {
            anyhow::bail!("the channel {channel_id} ({origin}) is not a server channel");
        };
        let (guild, member) = match &home {
            Some((guild, member, _)) if guild.id == channel.guild_id => (guild.clone(), member.clone()),
            Some((guild, _, _)) => anyhow::bail!(
                "the channel {channel_id} ({origin}) is in another server than {} ({}); one crier announces in one server",
                guild.name,
                guild.id
            ),
            None => (
                http.get_guild(channel.guild_id).await?,
                http.get_member(channel.guild_id, me.id).await?,
            ),
        };
        let perms = guild.user_permissions_in(&channel, &member);
        let mut needed = vec![
            (Permissions::VIEW_CHANNEL, "View Channel"),
            (Permissions::SEND_MESSAGES, "Send Messages"),
            (Permissions::EMBED_LINKS, "Embed Links"),
        ];
        if mentions {
            needed.push((Permissions::MENTION_EVERYONE, "Mention @everyone, @here and All Roles (for `mention_role`, unless the role is mentionable)"));
        }
        let missing: Vec<&str> = needed
            .iter()
            .filter(|(p, _)| !perms.contains(*p))
            .map(|(_, name)| *name)
            .collect();
        for (p, name) in &needed {
            let mark = if perms.contains(*p) { "ok" } else { "MISSING" };
            info!("permission in #{}: {name}: {mark}", channel.name);
        }
        if config.publish && channel.kind != ChannelType::News {
            warn!(
                "`discord.publish` is set but #{} is not an announcement channel; messages will not be crossposted",
                channel.name
            );
        }
        if !missing.is_empty() {
            problems.push(format!(
                "the bot lacks permissions in #{} ({channel_id}, {origin}): {}; grant them to the bot's role in the channel's settings",
                channel.name,
                missing.join(", ")
            ));
        }
        if home.is_none() {
            home = Some((guild, member, channel));
        }
    }
    let Some((guild, member, channel)) = home else {
        anyhow::bail!("no channel to announce in");
    };
    let in_guild = guild.member_permissions(&member);
    let events = events_tab_sync::EventPermissions {
        create: in_guild.contains(Permissions::CREATE_EVENTS),
        edit: in_guild.intersects(Permissions::CREATE_EVENTS | Permissions::MANAGE_EVENTS),
    };
    if config.scheduled_events {
        let mark = |ok: bool| if ok { "ok" } else { "MISSING" };
        info!(
            "permission in the server: Create Events (for `discord.scheduled_events`): {}",
            mark(events.create)
        );
        info!(
            "permission in the server: Manage Events or Create Events (to edit crier's own): {}",
            mark(events.edit)
        );
    }
    if !problems.is_empty() {
        anyhow::bail!("{}", problems.join("; "));
    }
    info!(bot = %me.name, channel = %channel.name, "Discord is ready");
    Ok(Ready {
        guild_id: channel.guild_id,
        bot_id: me.id,
        events,
    })
}

/// A nonce derived from the ledger key: a resend after a crash carries the same nonce, and Discord
/// (with `enforce_nonce`) returns the first message instead of posting a second one. A site of
/// `[[sites]]` adds its name, so that two sites' events of the same id never share one; the one site
/// of a configuration without `[[sites]]` keeps the nonces it always had.
pub fn nonce(site: Option<&str>, key: &Key) -> String {
    let mut text = format!(
        "{}\u{0}{}\u{0}{}",
        key.event_id,
        key.kind.key(),
        key.start.timestamp()
    );
    if let Some(site) = site {
        text = format!("{site}\u{0}{text}");
    }
    format!("crier{:016x}", crier_core::schedule::stable_hash(&text))
}

/// Posts announcements to the channel their route names, else to `discord.channel_id`.
pub struct DiscordSink {
    http: Arc<Http>,
    /// The site's name for its nonces (`None` without `[[sites]]`).
    site: Option<String>,
    /// `discord.channel_id`: the digest's channel, and that of events no route takes.
    channel: Option<ChannelId>,
    mention_role: Option<RoleId>,
    publish: bool,
}

impl DiscordSink {
    pub fn new(
        http: Arc<Http>,
        site: Option<String>,
        config: &DiscordConfig,
    ) -> anyhow::Result<Self> {
        Ok(DiscordSink {
            http,
            site,
            channel: config.channel_id.map(ChannelId::new),
            mention_role: config.mention_role.map(RoleId::new),
            publish: config.publish,
        })
    }

    /// The channel and role of one announcement.
    fn target(&self, outgoing: &Outgoing<'_>) -> Result<(ChannelId, Option<RoleId>), SinkError> {
        match outgoing.destination {
            Some(d) => Ok((ChannelId::new(d.channel_id), d.mention_role.map(RoleId::new))),
            None => self.channel.map(|c| (c, self.mention_role)).ok_or_else(|| {
                SinkError::Fatal(
                    "no channel to post in: set `discord.channel_id` (the digest and events no route takes go there)".into(),
                )
            }),
        }
    }

    fn allowed_mentions(role: Option<RoleId>) -> CreateAllowedMentions {
        // Empty: text from an event file can never ping @everyone, a role or a user.
        let allowed = CreateAllowedMentions::new();
        match role {
            Some(role) => allowed.roles([role]),
            None => allowed,
        }
    }

    /// Updates the message of the event's latest announcement after a move or cancellation, in the
    /// channel it was posted in (an event may have changed route since).
    async fn edit_previous(
        &self,
        previous: crate::app::sink::Previous<'_>,
        fallback: ChannelId,
        outgoing: &Outgoing<'_>,
    ) {
        let Ok(id) = previous.message_id.parse::<u64>() else {
            return;
        };
        let channel = previous
            .channel_id
            .map(ChannelId::new)
            .or(self.channel)
            .unwrap_or(fallback);
        let texts = outgoing.wording.texts(outgoing.message.locale);
        let embed = embed::builder(&crier_core::embed::embed(outgoing.message, &texts));
        // No mention on an edit: the edit must not ping anyone again.
        let edit = EditMessage::new()
            .embed(embed)
            .allowed_mentions(Self::allowed_mentions(None));
        if let Err(e) = channel
            .edit_message(&self.http, MessageId::new(id), edit)
            .await
        {
            warn!(message = %previous.message_id, error = %e, "could not update the earlier announcement");
        }
    }
}

/// The body of an announcement's post, as the sink sends it and `crier preview --json` prints it:
/// the embed and link button in the message's language, the nonce that makes a retried post land
/// once, and mentions allowed for `role` alone.
pub fn post_body(
    message: &crier_core::render::Message,
    site: Option<&str>,
    key: &crier_core::schedule::Key,
    wording: &crier_core::l10n::Wording,
    role: Option<RoleId>,
) -> CreateMessage {
    let texts = wording.texts(message.locale);
    let spec = crier_core::embed::embed(message, &texts);
    let mut create = CreateMessage::new()
        .embed(embed::builder(&spec))
        .allowed_mentions(DiscordSink::allowed_mentions(role))
        .nonce(Nonce::String(nonce(site, key)))
        .enforce_nonce(true);
    if let Some(role) = role {
        create = create.content(format!("<@&{role}>"));
    }
    if let Some((label, url)) = crier_core::embed::link_button(message, &texts) {
        let button = CreateButton::new_link(url).label(label);
        create = create.components(vec![CreateActionRow::Buttons(vec![button])]);
    }
    create
}

impl Sink for DiscordSink {
    async fn send(&self, outgoing: Outgoing<'_>) -> Result<String, SinkError> {
        let message = outgoing.message;
        let (channel, role) = self.target(&outgoing)?;
        let create = post_body(
            message,
            self.site.as_deref(),
            outgoing.key,
            outgoing.wording,
            role,
        );
        let posted = channel
            .send_message(&self.http, create)
            .await
            .map_err(|e| errors::sink_error(e, channel))?;
        if self.publish {
            if let Err(e) = posted.crosspost(&self.http).await {
                warn!(message = %posted.id, error = %e, "could not crosspost (publish) the announcement");
            }
        }
        if let Some(previous) = outgoing.previous_message {
            if matches!(message.kind, Kind::Rescheduled | Kind::Cancelled) {
                self.edit_previous(previous, channel, &outgoing).await;
            }
        }
        Ok(posted.id.to_string())
    }
}

/// Connects to the gateway and answers slash commands until the connection ends for good.
/// Returns an error (with a message a person can act on) for a bad token or disallowed intents.
///
/// The gateway and the commands run on a thread of their own, with a current-thread runtime: an
/// interaction must be answered within 3 s, and a command is a few hundred microseconds of work on
/// the published status, so one thread that does nothing else answers at once whatever the rest of
/// the bot is doing (a catalog load, a batch of ledger writes, a feed rebuild, a slow disk). A
/// multi-threaded runtime would not promise that: a task waits in the queue of a worker that is
/// busy until another worker steals it, and each worker is one more malloc arena. The commands share
/// nothing with the announcer but the status behind its lock, which a command holds only to clone
/// an `Arc`.
pub async fn run_gateway(
    http: Http,
    gateway_config: Gateway,
    telemetry: std::sync::Arc<crate::app::telemetry::Telemetry>,
) -> anyhow::Result<()> {
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("crier-discord".into())
        .spawn(move || {
            let result = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(anyhow::Error::from)
                .and_then(|runtime| runtime.block_on(gateway(http, gateway_config, telemetry)));
            // The receiver is gone only when crier is stopping.
            let _ = done.send(result);
        })?;
    result
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the Discord thread stopped (it panicked)")))
}

/// The gateway connection, on its own runtime (see [`run_gateway`]).
/// What the gateway serves: every site's commands, and how the connection is sharded.
pub struct Gateway {
    pub desks: Vec<slash::Desk>,
    /// The words of the command names and descriptions registered.
    pub wording: std::sync::Arc<crier_core::l10n::Wording>,
    /// `discord.shards`; `None`: one shard.
    pub shards: Option<crate::config::Shards>,
    /// Where the registered commands are remembered (`state_dir/commands`).
    pub registered: std::path::PathBuf,
    /// Set to `true` to close the connection: a leader that lost its lease stands by, and a standby
    /// is not connected.
    pub stop: tokio::sync::watch::Receiver<bool>,
}

async fn gateway(
    http: Http,
    config: Gateway,
    telemetry: std::sync::Arc<crate::app::telemetry::Telemetry>,
) -> anyhow::Result<()> {
    let mut stop = config.stop;
    let framework = slash::framework(config.desks, telemetry, &config.wording, config.registered);
    let intents = GatewayIntents::GUILDS;
    let mut client = serenity::all::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await?;
    let shards = client.shard_manager.clone();
    // serenity's shard manager runs every shard in this process; with many guilds Discord requires
    // more than one (it refuses a connection that would hold over 2,500 guilds).
    let start = async {
        match config.shards {
            None => client.start().await,
            Some(crate::config::Shards::Auto) => client.start_autosharded().await,
            Some(crate::config::Shards::Count(n)) => client.start_shards(n).await,
        }
    };
    let started = tokio::select! {
        started = start => started,
        _ = stop.wait_for(|stop| *stop) => {
            info!("closing the Discord gateway");
            shards.shutdown_all().await;
            return Ok(());
        }
    };
    match started {
        Ok(()) => Ok(()),
        Err(serenity::Error::Gateway(serenity::gateway::GatewayError::InvalidAuthentication)) => {
            error!("Discord closed the gateway: authentication failed (4004)");
            anyhow::bail!("Discord rejected the bot token on the gateway (close 4004): check DISCORD_TOKEN or `discord.token_file`")
        }
        Err(e) => anyhow::bail!("the Discord gateway stopped: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token file is read as every secret file is: one trailing newline trimmed.
    #[test]
    fn the_token_file_is_read_as_a_secret_and_never_shown() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("token");
        std::fs::write(&file, "MTIz.abc.def\r\n").expect("write");
        let token = Token::from_env_or_file(None, Some(&file))
            .expect("read")
            .expect("a token");
        assert_eq!(token.expose(), "MTIz.abc.def");
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        let from_env = Token::from_env_or_file(Some(" env.token \n".into()), Some(&file))
            .expect("env")
            .expect("a token");
        assert_eq!(
            from_env.expose(),
            "env.token",
            "DISCORD_TOKEN wins over the file"
        );
        std::fs::write(&file, "MTIz.abc.def\n\n").expect("write");
        let error = Token::from_env_or_file(None, Some(&file)).expect_err("two lines");
        assert!(error.contains("`discord.token_file`"), "{error}");
        assert!(!error.contains("MTIz"), "never echoed: {error}");
        assert!(Token::from_env_or_file(None, None).expect("none").is_none());
    }
}
