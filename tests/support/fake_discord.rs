//! A fake Discord on 127.0.0.1: REST (hyper 0.14) and the gateway (plain `ws://`, tokio-tungstenite).
//!
//! The bot under test (the real `crier` binary, or a serenity client) is pointed at
//! [`FakeDiscord::api_url`]. Serenity then sends REST to `{api_url}/api/v10/...` (proxy mode with the
//! ratelimiter off) and connects to the gateway URL the fake gives in `GET /api/v10/gateway`.
//!
//! The fake runs on its own current-thread runtime in a background thread, so tests use a plain
//! synchronous API and can wait on it without starving the bot's runtime. Every payload it sends was
//! shaped after what serenity 0.12.5 deserializes (see `/work/shared/reference/discord-wire-facts.md`);
//! `tests/fake_discord_selftest.rs` proves the ones crier meets with serenity's and poise's own
//! types, because a payload serenity cannot parse is dropped silently.
//!
//! It serves what crier uses and nothing more: start-up (gateway, application, bot user, channel,
//! guild and member for the preflight), command registration, posts and edits of messages,
//! interaction callbacks, and the Events tab. There are no attachments, followups or deferred
//! replies (crier sends none) and no crossposts (no test sets `discord.publish`): an unknown route
//! is 404, recorded like any request.
//!
//! The world: one guild ([`GUILD_ID`], owned by [`OWNER_ID`], not by the bot), a text channel
//! ([`CHANNEL_ID`]), an announcement channel ([`ANNOUNCE_CHANNEL_ID`]), a second text channel
//! ([`ROUTE_CHANNEL_ID`]) and a third ([`MEETUPS_CHANNEL_ID`]); and a second guild
//! ([`GUILD2_ID`], for `[[sites]]` in several servers) with one text channel
//! ([`GUILD2_CHANNEL_ID`]). In each, `@everyone` grants nothing and the bot's role grants
//! [`default_bot_permissions`] (see [`FakeDiscord::set_bot_permissions`]), so the bot's permissions
//! are exactly what the test set. Slash commands come from [`GUILD_ID`] unless a test sends them
//! from the second guild ([`FakeDiscord::slash_from`]).
//!
//! More guilds and text channels can be declared before the bot connects, for benchmarks of a bot in
//! many servers ([`FakeDiscord::add_world`], or one by one with [`FakeDiscord::add_guild`] and
//! [`FakeDiscord::add_channel`]): each such guild has its own bot role with the same permissions,
//! is listed in READY, takes its own command registrations, and each channel takes posts. Lookups are
//! hash maps and the state's lock is held only to record a request and decide its answer (a few
//! microseconds); [`Recorded::answered_in`] says how long that took, waiting for the lock included.
//!
//! The guild has an Events tab (guild scheduled events, external ones only: `entity_type` 3), empty
//! at the start; [`FakeDiscord::add_foreign_scheduled_event`] puts in one made by [`OWNER_ID`], and
//! [`FakeDiscord::scheduled_events`] shows what is there. `GET`, `POST .../scheduled-events` and
//! `PATCH`, `DELETE .../scheduled-events/{id}` are served for [`GUILD_ID`]; the list has cancelled
//! events too, and `user_count` only with `with_user_count=true` (serenity writes
//! `?&with_user_count=true`). Events are stored as the spec's `ExternalScheduledEventResponse`,
//! which serenity parses as `ScheduledEvent`. Like Discord:
//!
//! - A PATCH may cancel (`status: 4`) a scheduled event; a cancelled one can no longer be edited
//!   (400, code 180000). The clock does not move events on: tests keep theirs in the future.
//! - A body Discord refuses though the spec allows it is 400, code 50035, naming the field in
//!   Discord's `errors` object (see `check_event`); lengths and types are left to the spec check.
//! - At most 100 events scheduled or active in the guild, foreign ones included; one more POST is
//!   400, code 30038.
//! - POST needs CREATE_EVENTS (MANAGE_EVENTS alone no longer does); PATCH and DELETE need
//!   CREATE_EVENTS or MANAGE_EVENTS on the bot's own events and MANAGE_EVENTS on anyone else's
//!   (ADMINISTRATOR grants all). Missing: 403, code 50013.
//!
//! Like Discord, the fake answers 403 to a post the bot has no permission for, 400 (code 50035) to
//! content over 2000 characters or embeds over 6000, 404 (code 10062) to an interaction callback
//! that is late (over 3 s) and 400 (code 40060) to a second one, and on RESUME replays the
//! dispatches the client missed. Per-field limits are left to `openapi::check_all`.
//!
//! Faults: [`FakeDiscord::queue_fault`] answers a request instead of the world (nothing happens in
//! it); [`FakeDiscord::hold_next`] records a request and never answers it. A held request does
//! nothing either, except on the scheduled-events routes, where Discord's side still takes effect:
//! a held `POST .../scheduled-events` creates the event, so a bot killed meanwhile has had its event
//! created but never learnt its id.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::{SinkExt, StreamExt};
use hyper::service::{make_service_fn, service_fn};
use hyper::{Body, Request, Response};
use serde_json::{json, Value};
use serenity::model::Permissions;
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::WebSocketStream;

/// The application id, which Discord makes equal to the bot user's id.
pub const APP_ID: &str = "111111111111111111";
pub const BOT_USER_ID: &str = APP_ID;
pub const GUILD_ID: &str = "222222222222222222";
/// A GuildText channel (type 0).
pub const CHANNEL_ID: &str = "333333333333333333";
/// The guild's owner, and the member who runs slash commands and clicks buttons.
pub const OWNER_ID: &str = "444444444444444444";
/// A GuildNews channel (type 5), `#announcements`.
pub const ANNOUNCE_CHANNEL_ID: &str = "555555555555555555";
/// The bot's managed role; it carries the permissions of [`FakeDiscord::set_bot_permissions`].
pub const BOT_ROLE_ID: &str = "777777777777777777";
/// A second GuildText channel (type 0), `#berlin`, for tests that route events to several channels.
pub const ROUTE_CHANNEL_ID: &str = "888888888888888888";
/// A third GuildText channel (type 0) in [`GUILD_ID`], `#meetups`.
pub const MEETUPS_CHANNEL_ID: &str = "121212121212121212";
/// A second guild, also owned by [`OWNER_ID`], where the bot is a member too.
pub const GUILD2_ID: &str = "666666666666666666";
/// The second guild's GuildText channel (type 0), `#lobby`.
pub const GUILD2_CHANNEL_ID: &str = "999999999999999999";
/// The bot's managed role in [`GUILD2_ID`], with the same permissions as [`BOT_ROLE_ID`].
pub const GUILD2_BOT_ROLE_ID: &str = "676767676767676767";
/// Every guild of the fake world.
const GUILDS: [&str; 2] = [GUILD_ID, GUILD2_ID];
const TOKEN: &str = "fake-token";
const API: &str = "/api/v10";
/// Discord's limit on uploads for a guild without boosts; serenity requires the field.
const ATTACHMENT_SIZE_LIMIT: u32 = 26_214_400;
/// The first id of [`FakeDiscord::add_world`]'s guilds (even) and their bot roles (odd).
const MORE_GUILDS: u64 = 700_000_000_000_000_000;
/// The first id of [`FakeDiscord::add_world`]'s channels.
const MORE_CHANNELS: u64 = 710_000_000_000_000_000;
/// How late after its delivery Discord takes an interaction's callback.
const INTERACTION_DEADLINE: Duration = Duration::from_secs(3);

/// What the bot's role grants unless a test says otherwise: enough to post, embed, and create and
/// manage events (CREATE_EVENTS and MANAGE_EVENTS), but not MANAGE_MESSAGES
/// or ADMINISTRATOR.
pub fn default_bot_permissions() -> u64 {
    (Permissions::VIEW_CHANNEL
        | Permissions::SEND_MESSAGES
        | Permissions::SEND_MESSAGES_IN_THREADS
        | Permissions::EMBED_LINKS
        | Permissions::ATTACH_FILES
        | Permissions::READ_MESSAGE_HISTORY
        | Permissions::ADD_REACTIONS
        | Permissions::MENTION_EVERYONE
        | Permissions::USE_EXTERNAL_EMOJIS
        | Permissions::MANAGE_EVENTS
        | Permissions::CREATE_EVENTS)
        .bits()
}

/// One REST request as the fake received it (also the ones it refused).
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// The full path as sent, with the `/api/v10` prefix and without the query.
    pub path: String,
    /// The raw query without `?`; serenity writes it as `&k=v&...` (an empty first pair).
    pub query: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Option<Value>,
    pub at: Instant,
    /// From `at` to the answer decided, the wait for the fake's lock included: the fake's own cost
    /// of a request (the bytes are parsed before `at` and written after).
    pub answered_in: Duration,
}

impl Recorded {
    /// The path without `/api/v10`, as Discord's documentation writes routes.
    pub fn route(&self) -> &str {
        self.path.strip_prefix(API).unwrap_or(&self.path)
    }

    /// Whether this is `method` on a route containing `route_part`, e.g. `("POST", "/messages")`.
    pub fn matches(&self, method: &str, route_part: &str) -> bool {
        self.method.eq_ignore_ascii_case(method) && self.route().contains(route_part)
    }

    /// Whether this posts a message in [`CHANNEL_ID`], where announcements go by default.
    pub fn is_post_message(&self) -> bool {
        self.is_post_in(CHANNEL_ID)
    }

    /// Whether this posts a message in `channel`.
    pub fn is_post_in(&self, channel: &str) -> bool {
        self.method == "POST" && self.route() == format!("/channels/{channel}/messages")
    }

    /// The channel this posts a message in, if it posts one.
    pub fn posted_in(&self) -> Option<&str> {
        if self.method != "POST" {
            return None;
        }
        self.route()
            .strip_prefix("/channels/")?
            .strip_suffix("/messages")
            .filter(|channel| !channel.contains('/'))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Something a test asks of the live gateway session.
enum Cmd {
    Dispatch(String, Value),
    Raw(Value),
    Close(u16),
    Drop,
}

type Reply = (u16, Vec<(String, String)>, Option<Value>);

struct Fault {
    method: String,
    path_contains: String,
    reply: Reply,
}

struct Interaction {
    id: String,
    token: String,
    at: Instant,
    acked: bool,
    message_id: Option<String>,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    frames: Vec<Value>,
    /// How many frames of each op `wait_for_frame` has handed out.
    frame_cursor: HashMap<u64, usize>,
    faults: Vec<Fault>,
    /// Requests to record and then leave unanswered (method, path part): a bot killed meanwhile
    /// has sent the request but never learnt its result.
    holds: Vec<(String, String)>,
    bot_permissions: u64,
    next_id: u64,
    messages: HashMap<String, Value>,
    nonces: HashMap<String, String>,
    commands: HashMap<String, String>,
    /// By interaction id.
    interactions: HashMap<String, Interaction>,
    sessions: u64,
    seq: u64,
    connections: u64,
    /// The socket that has had READY or RESUMED, and what was asked before there was one.
    live: Option<(u64, mpsc::UnboundedSender<Cmd>)>,
    pending: Vec<Cmd>,
    /// This session's dispatches, replayed on RESUME from the client's seq.
    sent: Vec<Value>,
    /// The guild's scheduled events, in creation order.
    events: Vec<StoredEvent>,
    /// Guilds declared beyond the built-in two, in the order declared (READY lists them so), and
    /// each one's bot role.
    more_guilds: Vec<String>,
    more_guild_roles: HashMap<String, String>,
    /// Text channels declared beyond the built-in ones, and the guild of each.
    more_channels: HashMap<String, String>,
}

/// Guilds and channels declared with [`FakeDiscord::add_world`].
#[derive(Clone, Debug)]
pub struct World {
    /// The guilds' ids, in order.
    pub guilds: Vec<String>,
    /// The channels' ids and the guild of each, in order: channel `j` is in guild `j % guilds`.
    pub channels: Vec<(String, String)>,
}

/// A guild scheduled event: Discord's JSON for it (without `user_count`) and its interested users.
struct StoredEvent {
    json: Value,
    user_count: u64,
}

impl StoredEvent {
    fn id(&self) -> &str {
        self.json["id"].as_str().unwrap_or_default()
    }

    fn status(&self) -> u64 {
        self.json["status"].as_u64().unwrap_or(1)
    }

    /// The event as Discord answers it; `user_count` only when asked for.
    fn view(&self, with_user_count: bool) -> Value {
        let mut json = self.json.clone();
        if with_user_count {
            json["user_count"] = json!(self.user_count);
        }
        json
    }
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    api_url: String,
    ws_url: String,
}

/// The handle tests hold; dropping it stops the servers.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeDiscord {
    /// Starts both servers on ports chosen by the OS, with the default world.
    pub fn start() -> FakeDiscord {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("fake discord runtime");
            rt.block_on(serve(ready_tx, stop_rx));
        });
        let shared = ready_rx.recv().expect("fake discord did not start");
        FakeDiscord {
            shared,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`, for `discord.api_url` / `HttpBuilder::proxy`.
    pub fn api_url(&self) -> String {
        self.shared.api_url.clone()
    }

    /// `ws://127.0.0.1:PORT`, what `GET /gateway` answers.
    pub fn ws_url(&self) -> String {
        self.shared.ws_url.clone()
    }

    /// The only token accepted: REST answers 401 and IDENTIFY gets close 4004 for any other.
    pub fn token(&self) -> &'static str {
        TOKEN
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// How many requests were recorded so far.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// The requests recorded from the `start`-th on (for a reader that follows them as they come
    /// without copying the whole list each time).
    pub fn requests_from(&self, start: usize) -> Vec<Recorded> {
        let st = self.lock();
        st.requests.get(start..).unwrap_or_default().to_vec()
    }

    /// Declares a guild, owned by [`OWNER_ID`], where the bot is a member with a bot role of its
    /// own (`bot_role`) that has the permissions of [`FakeDiscord::set_bot_permissions`]. It is in
    /// READY from the next IDENTIFY on, and takes command registrations.
    pub fn add_guild(&self, guild: &str, bot_role: &str) {
        let mut st = self.lock();
        if st
            .more_guild_roles
            .insert(guild.to_owned(), bot_role.to_owned())
            .is_none()
        {
            st.more_guilds.push(guild.to_owned());
        }
    }

    /// Declares a GuildText channel (type 0) in `guild` (a built-in guild or an added one), where
    /// the bot may post as in the built-in channels.
    pub fn add_channel(&self, channel: &str, guild: &str) {
        self.lock()
            .more_channels
            .insert(channel.to_owned(), guild.to_owned());
    }

    /// Declares `guilds` guilds and `channels` text channels, channel `j` in guild `j % guilds`
    /// (ids made up, distinct from the built-in world's), for a bot in many servers.
    pub fn add_world(&self, guilds: usize, channels: usize) -> World {
        assert!(guilds > 0 || channels == 0, "channels need a guild");
        let guild_ids: Vec<String> = (0..guilds as u64)
            .map(|g| (MORE_GUILDS + 2 * g).to_string())
            .collect();
        for (g, guild) in guild_ids.iter().enumerate() {
            self.add_guild(guild, &(MORE_GUILDS + 2 * g as u64 + 1).to_string());
        }
        let channel_ids: Vec<(String, String)> = (0..channels)
            .map(|j| {
                let channel = (MORE_CHANNELS + j as u64).to_string();
                (channel, guild_ids[j % guilds].clone())
            })
            .collect();
        for (channel, guild) in &channel_ids {
            self.add_channel(channel, guild);
        }
        World {
            guilds: guild_ids,
            channels: channel_ids,
        }
    }

    /// The first request matching `pred`, whether it came already or comes within `timeout`.
    pub fn wait_for(
        &self,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Option<Recorded> {
        self.wait_until(timeout, |st| st.requests.iter().find(|r| pred(r)).cloned())
    }

    /// The request that registered the slash commands in [`GUILD_ID`], within `timeout`.
    pub fn registered(&self, timeout: Duration) -> Recorded {
        self.registered_in(GUILD_ID, timeout)
    }

    /// The request that registered the slash commands in `guild`, within `timeout`.
    pub fn registered_in(&self, guild: &str, timeout: Duration) -> Recorded {
        self.wait_for(timeout, |r| is_registration_in(r, guild))
            .unwrap_or_else(|| panic!("the commands are registered in the guild {guild}"))
    }

    /// How many times the slash commands were registered in `guild` so far.
    pub fn registrations_in(&self, guild: &str) -> usize {
        self.count(|r| is_registration_in(r, guild))
    }

    /// The callback body of an interaction, once crier has answered it (within 5 s).
    pub fn answered(&self, interaction_id: &str) -> Value {
        let end = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(r) = self.callbacks(interaction_id).first() {
                return r.body.clone().expect("callback body");
            }
            assert!(
                Instant::now() < end,
                "interaction {interaction_id} was not answered; requests: {:#?}",
                self.requests()
                    .iter()
                    .map(|r| format!("{} {}", r.method, r.path))
                    .collect::<Vec<_>>()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The messages the fake holds (every one it created, as edited since), oldest first. A POST
    /// that repeated an enforced nonce created none.
    pub fn messages(&self) -> Vec<Value> {
        let mut messages: Vec<(u64, Value)> = self
            .lock()
            .messages
            .iter()
            .map(|(id, message)| (id.parse().unwrap_or(0), message.clone()))
            .collect();
        messages.sort_by_key(|(id, _)| *id);
        messages.into_iter().map(|(_, message)| message).collect()
    }

    /// How many gateway connections (websockets) have been opened so far.
    pub fn gateway_connections(&self) -> u64 {
        self.lock().connections
    }

    /// How many gateway frames with this `op` clients have sent so far (2: IDENTIFY, 6: RESUME).
    pub fn frames_with_op(&self, op: u64) -> usize {
        self.lock().frames.iter().filter(|f| f["op"] == op).count()
    }

    pub fn count(&self, pred: impl Fn(&Recorded) -> bool) -> usize {
        self.lock().requests.iter().filter(|r| pred(r)).count()
    }

    /// The next frame with this `op` not yet returned by this method: the k-th call for an op
    /// returns the k-th such frame, waiting up to `timeout` for it. So "wait for IDENTIFY, drop
    /// the socket, wait for RESUME" reads naturally, and a second IDENTIFY needs a second call.
    pub fn wait_for_frame(&self, timeout: Duration, op: u64) -> Option<Value> {
        self.wait_until(timeout, |st| {
            let seen = st.frame_cursor.get(&op).copied().unwrap_or(0);
            let frame = st
                .frames
                .iter()
                .filter(|f| f["op"] == op)
                .nth(seen)
                .cloned()?;
            st.frame_cursor.insert(op, seen + 1);
            Some(frame)
        })
    }

    /// Sends a dispatch (op 0, the session's next seq) to the live session, or to the next one.
    fn dispatch(&self, t: &str, d: Value) {
        self.shared.push(Cmd::Dispatch(t.to_owned(), d));
    }

    /// Sends a frame as is, e.g. `{"op":7}` (reconnect) or `{"op":9,"d":true}`.
    pub fn send_raw(&self, frame: Value) {
        self.shared.push(Cmd::Raw(frame));
    }

    /// Sends a close frame with this code (4000 resumes, 4004 is fatal, 4009 re-identifies ...).
    pub fn close(&self, code: u16) {
        self.shared.push(Cmd::Close(code));
    }

    /// Drops the TCP connection without a close frame.
    pub fn drop_socket(&self) {
        self.shared.push(Cmd::Drop);
    }

    /// The next request with this method whose path contains `path_contains` gets this answer
    /// instead (one-shot; several queued for the same request are used first-in, first-out).
    pub fn queue_fault(
        &self,
        method: &str,
        path_contains: &str,
        status: u16,
        headers: &[(&str, &str)],
        body: Value,
    ) {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.lock().faults.push(Fault {
            method: method.to_owned(),
            path_contains: path_contains.to_owned(),
            reply: (status, headers, Some(body)),
        });
    }

    /// The next request with this method whose path contains `path_contains` is recorded and never
    /// answered (the connection stays open for two minutes). On the scheduled-events routes the
    /// request still takes effect, as on Discord when only the answer is lost: a held
    /// `POST /guilds/{id}/scheduled-events` creates the event, and the bot never learns its id.
    pub fn hold_next(&self, method: &str, path_contains: &str) {
        self.lock()
            .holds
            .push((method.to_owned(), path_contains.to_owned()));
    }

    /// What the bot's role grants (a `Permissions` bit set); also sent as `app_permissions`.
    pub fn set_bot_permissions(&self, perms: u64) {
        self.lock().bot_permissions = perms;
    }

    /// The guild's scheduled events in creation order, with `user_count`, as
    /// `GET .../scheduled-events?with_user_count=true` answers.
    pub fn scheduled_events(&self) -> Vec<Value> {
        self.lock().events.iter().map(|e| e.view(true)).collect()
    }

    /// One scheduled event as [`FakeDiscord::scheduled_events`] shows it, if the guild has it.
    pub fn scheduled_event(&self, event_id: &str) -> Option<Value> {
        self.scheduled_events()
            .into_iter()
            .find(|e| e["id"] == event_id)
    }

    /// Puts in an external event made by [`OWNER_ID`] (not by the bot), as if a member had made it
    /// in the Events tab, and returns its id. Nothing is checked and the limit of 100 does not
    /// apply, but the event counts towards it. The bot needs MANAGE_EVENTS to edit or delete it.
    pub fn add_foreign_scheduled_event(
        &self,
        name: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        location: &str,
    ) -> String {
        let mut st = self.lock();
        let id = st.snowflake();
        let json = scheduled_event_json(
            &id,
            OWNER_ID,
            name,
            None,
            &discord_time(start),
            &discord_time(end),
            location,
        );
        st.events.push(StoredEvent {
            json,
            user_count: 0,
        });
        id
    }

    /// How many members marked the event "Interested" (its `user_count`). Panics on an unknown id.
    pub fn set_user_count(&self, event_id: &str, n: u64) {
        let mut st = self.lock();
        let event = st.events.iter_mut().find(|e| e.id() == event_id);
        event
            .unwrap_or_else(|| panic!("no scheduled event {event_id}"))
            .user_count = n;
    }

    /// Dispatches a slash command (type 2) run by [`OWNER_ID`] in [`CHANNEL_ID`]. `options` is
    /// Discord's `options` array (subcommands nest theirs); crier's options are strings and numbers,
    /// so nothing is `resolved`. Returns the interaction id.
    pub fn slash(&self, name: &str, options: Value) -> String {
        self.command_interaction(2, name, options)
    }

    /// Like [`FakeDiscord::slash`], by a member whose Discord client is in `locale` (`fr`, `en-US`,
    /// `es-419`: Discord sends it on every interaction), in a guild whose preferred locale is
    /// `guild_locale` (Discord sends it on interactions in a guild; `None` leaves it out). `slash`
    /// sends `en-US` for both. Returns the interaction id.
    pub fn slash_in(
        &self,
        name: &str,
        options: Value,
        locale: &str,
        guild_locale: Option<&str>,
    ) -> String {
        self.command_interaction_in(2, name, options, locale, guild_locale)
    }

    /// Like [`FakeDiscord::slash`], run in `guild`'s `channel` (e.g. [`GUILD2_ID`] and
    /// [`GUILD2_CHANNEL_ID`]). Returns the interaction id.
    pub fn slash_from(&self, guild: &str, channel: &str, name: &str, options: Value) -> String {
        let (id, mut payload) = {
            let mut st = self.lock();
            let command_id = match st.commands.get(name) {
                Some(id) => id.clone(),
                None => st.snowflake(),
            };
            let data = json!({"id": command_id, "name": name, "type": 1, "options": options});
            st.interaction(2, data, channel, None)
        };
        payload["guild_id"] = json!(guild);
        self.dispatch("INTERACTION_CREATE", payload);
        id
    }

    /// Dispatches an autocomplete request (type 4); mark the typed option with `"focused": true`.
    pub fn autocomplete(&self, name: &str, options: Value) -> String {
        self.command_interaction(4, name, options)
    }

    /// Dispatches a button click (type 3) on a message; a message the fake did not create is
    /// made up in [`CHANNEL_ID`].
    pub fn click(&self, custom_id: &str, message_id: &str) -> String {
        let (id, payload) = {
            let mut st = self.lock();
            let message = st.messages.get(message_id).cloned().unwrap_or_else(|| {
                message_json(message_id, CHANNEL_ID, Some(GUILD_ID), &json!({}))
            });
            let data = json!({"custom_id": custom_id, "component_type": 2});
            let channel = message["channel_id"]
                .as_str()
                .unwrap_or(CHANNEL_ID)
                .to_owned();
            st.interaction(3, data, &channel, Some(message))
        };
        self.dispatch("INTERACTION_CREATE", payload);
        id
    }

    /// The callback requests (`POST /interactions/{id}/{token}/callback`) for an interaction.
    pub fn callbacks(&self, interaction_id: &str) -> Vec<Recorded> {
        let prefix = format!("/interactions/{interaction_id}/");
        let requests = self.lock().requests.clone();
        requests
            .into_iter()
            .filter(|r| {
                r.method == "POST"
                    && r.route().starts_with(&prefix)
                    && r.route().ends_with("/callback")
            })
            .collect()
    }

    fn command_interaction(&self, kind: u8, name: &str, options: Value) -> String {
        self.command_interaction_in(kind, name, options, "en-US", Some("en-US"))
    }

    fn command_interaction_in(
        &self,
        kind: u8,
        name: &str,
        options: Value,
        locale: &str,
        guild_locale: Option<&str>,
    ) -> String {
        let (id, mut payload) = {
            let mut st = self.lock();
            let command_id = match st.commands.get(name) {
                Some(id) => id.clone(),
                None => st.snowflake(),
            };
            let data = json!({"id": command_id, "name": name, "type": 1, "options": options});
            st.interaction(kind, data, CHANNEL_ID, None)
        };
        payload["locale"] = json!(locale);
        match guild_locale {
            Some(guild_locale) => payload["guild_locale"] = json!(guild_locale),
            None => {
                if let Some(fields) = payload.as_object_mut() {
                    fields.remove("guild_locale");
                }
            }
        }
        self.dispatch("INTERACTION_CREATE", payload);
        id
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    fn wait_until<T>(
        &self,
        timeout: Duration,
        mut f: impl FnMut(&mut State) -> Option<T>,
    ) -> Option<T> {
        let deadline = Instant::now() + timeout;
        let mut st = self.lock();
        loop {
            if let Some(found) = f(&mut st) {
                return Some(found);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            st = match self.shared.changed.wait_timeout(st, left) {
                Ok((st, _)) => st,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Binds both ports, hands the shared state to `start`, then serves until told to stop.
async fn serve(ready: std::sync::mpsc::Sender<Arc<Shared>>, stop: oneshot::Receiver<()>) {
    let rest = std::net::TcpListener::bind("127.0.0.1:0").expect("bind REST port");
    let gateway = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind gateway port");
    rest.set_nonblocking(true).expect("nonblocking");
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            bot_permissions: default_bot_permissions(),
            next_id: 800_000_000_000_000_000,
            ..State::default()
        }),
        changed: Condvar::new(),
        api_url: format!("http://{}", rest.local_addr().expect("addr")),
        ws_url: format!("ws://{}", gateway.local_addr().expect("addr")),
    });
    let for_rest = shared.clone();
    let make = make_service_fn(move |_| {
        let shared = for_rest.clone();
        async move { Ok::<_, Infallible>(service_fn(move |req| handle(shared.clone(), req))) }
    });
    let server = hyper::Server::from_tcp(rest)
        .expect("REST server")
        .serve(make);
    let for_gateway = shared.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = gateway.accept().await {
            tokio::spawn(session(stream, for_gateway.clone()));
        }
    });
    let _ = ready.send(shared);
    tokio::select! {
        _ = server => {}
        _ = stop => {}
    }
}

async fn handle(shared: Arc<Shared>, req: Request<Body>) -> Result<Response<Body>, Infallible> {
    let (parts, body) = req.into_parts();
    let bytes = hyper::body::to_bytes(body).await.unwrap_or_default();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let rec = Recorded {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        body: parse_body(&bytes),
        headers,
        at: Instant::now(),
        answered_in: Duration::ZERO,
    };
    if shared.take_hold(&rec) {
        // Discord's side of a scheduled-event request still happens; only the answer is lost.
        if rec.route().contains("/scheduled-events") {
            let _ = shared.respond(rec);
        } else {
            shared.record(rec);
        }
        tokio::time::sleep(Duration::from_secs(120)).await;
        return Ok(Response::builder()
            .status(503)
            .body(Body::empty())
            .expect("response"));
    }
    let (status, headers, body) = shared.respond(rec);
    let mut res = Response::builder().status(status);
    for (k, v) in headers {
        res = res.header(k, v);
    }
    let res = match body {
        Some(v) => res
            .header("content-type", "application/json")
            .body(Body::from(v.to_string())),
        None => res.body(Body::empty()),
    };
    Ok(res.expect("response"))
}

fn parse_body(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok()
}

/// One gateway connection: HELLO, then frames from the client and commands from the test.
async fn session(stream: tokio::net::TcpStream, shared: Arc<Shared>) {
    let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = {
        let mut st = shared.lock();
        st.connections += 1;
        st.connections
    };
    let mut ok = send(
        &mut ws,
        json!({"op": 10, "d": {"heartbeat_interval": 41250}}),
    )
    .await;
    while ok {
        tokio::select! {
            msg = ws.next() => {
                let frame = match msg {
                    Some(Ok(WsMessage::Text(text))) => serde_json::from_str::<Value>(&text).ok(),
                    Some(Ok(WsMessage::Close(_)) | Err(_)) | None => break,
                    Some(Ok(_)) => None,
                };
                let Some(frame) = frame else { continue };
                match shared.on_frame(frame, conn, &tx) {
                    Ok(replies) => {
                        for reply in replies {
                            ok = ok && send(&mut ws, reply).await;
                        }
                    }
                    Err(code) => ok = close(&mut ws, code).await,
                }
            }
            Some(cmd) = rx.recv() => match cmd {
                Cmd::Dispatch(t, d) => ok = send(&mut ws, shared.stamp(t, d)).await,
                Cmd::Raw(frame) => ok = send(&mut ws, frame).await,
                // Keep reading after a close frame, for the client's close reply.
                Cmd::Close(code) => ok = close(&mut ws, code).await,
                Cmd::Drop => break,
            }
        }
    }
    // What this socket had not taken yet goes to the next session.
    shared.unlive(conn);
    while let Ok(cmd) = rx.try_recv() {
        if matches!(cmd, Cmd::Dispatch(..) | Cmd::Raw(_)) {
            shared.push(cmd);
        }
    }
}

async fn send(ws: &mut WebSocketStream<tokio::net::TcpStream>, frame: Value) -> bool {
    ws.send(WsMessage::Text(frame.to_string())).await.is_ok()
}

async fn close(ws: &mut WebSocketStream<tokio::net::TcpStream>, code: u16) -> bool {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: "".into(),
    };
    ws.close(Some(frame)).await.is_ok()
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not take every later assertion down with it.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn push(&self, cmd: Cmd) {
        let mut st = self.lock();
        // After these the socket is going away: what the test asks next is for the next session.
        let ends = match &cmd {
            Cmd::Close(_) | Cmd::Drop => true,
            Cmd::Raw(frame) => frame["op"] == 7 || frame["op"] == 9,
            Cmd::Dispatch(..) => false,
        };
        match &st.live {
            Some((_, tx)) => {
                if let Err(failed) = tx.send(cmd) {
                    st.pending.push(failed.0);
                    st.live = None;
                }
            }
            None => st.pending.push(cmd),
        }
        if ends {
            st.live = None;
        }
    }

    /// Gives a dispatch the session's next seq, and logs it for replay on RESUME.
    fn stamp(&self, t: String, d: Value) -> Value {
        let mut st = self.lock();
        // An interaction's 3 s start when the bot gets it, not when a test queued it before the
        // bot had connected.
        if let Some(i) = d["id"].as_str().and_then(|id| st.interactions.get_mut(id)) {
            i.at = Instant::now();
        }
        st.seq += 1;
        let frame = json!({"op": 0, "t": t, "s": st.seq, "d": d});
        st.sent.push(frame.clone());
        frame
    }

    fn unlive(&self, conn: u64) {
        let mut st = self.lock();
        if st.live.as_ref().is_some_and(|(c, _)| *c == conn) {
            st.live = None;
        }
    }

    /// Records a client frame and gives the replies, or a close code.
    fn on_frame(
        &self,
        frame: Value,
        conn: u64,
        tx: &mpsc::UnboundedSender<Cmd>,
    ) -> Result<Vec<Value>, u16> {
        let mut st = self.lock();
        st.frames.push(frame.clone());
        self.changed.notify_all();
        let d = &frame["d"];
        let mut replies = Vec::new();
        let token_ok =
            matches!(d["token"].as_str(), Some(t) if t == TOKEN || t == format!("Bot {TOKEN}"));
        let reply = match frame["op"].as_u64() {
            Some(1) => json!({"op": 11}),
            Some(2) if !token_ok => return Err(4004),
            Some(2) => {
                st.sessions += 1;
                st.seq = 1;
                st.sent.clear();
                json!({"op": 0, "t": "READY", "s": 1, "d": {
                    "v": 10, "user": user_json(BOT_USER_ID).expect("bot user"),
                    "guilds": GUILDS.iter().copied().chain(st.more_guilds.iter().map(String::as_str))
                    .map(|id| json!({"id": id, "unavailable": true})).collect::<Vec<_>>(),
                    "session_id": format!("session-{}", st.sessions),
                    "resume_gateway_url": self.ws_url, "shard": [0, 1],
                    "application": {"id": APP_ID, "flags": 0},
                }})
            }
            Some(6) if token_ok && d["session_id"] == format!("session-{}", st.sessions) => {
                // Like Discord, replay what the client missed, then RESUMED.
                let missed = st
                    .sent
                    .iter()
                    .filter(|f| f["s"].as_u64() > d["seq"].as_u64());
                replies.extend(missed.cloned());
                st.seq += 1;
                json!({"op": 0, "t": "RESUMED", "s": st.seq, "d": {}})
            }
            // An unknown or stale session: serenity must IDENTIFY again.
            Some(6) => return Ok(vec![json!({"op": 9, "d": false})]),
            _ => return Ok(vec![]),
        };
        if reply["op"] == 0 {
            // READY or RESUMED: this socket now receives the test's dispatches, queued ones first.
            st.live = Some((conn, tx.clone()));
            for cmd in std::mem::take(&mut st.pending) {
                let _ = tx.send(cmd);
            }
        }
        replies.push(reply);
        Ok(replies)
    }

    /// Says whether a request is to be held (and uses up that hold); the caller records it.
    fn take_hold(&self, rec: &Recorded) -> bool {
        let mut st = self.lock();
        let Some(i) = st.holds.iter().position(|(method, part)| {
            method.eq_ignore_ascii_case(&rec.method) && rec.path.contains(part.as_str())
        }) else {
            return false;
        };
        st.holds.remove(i);
        true
    }

    fn record(&self, rec: Recorded) {
        self.lock().requests.push(rec);
        self.changed.notify_all();
    }

    /// Decides the answer to a request and records the request, under one hold of the lock.
    fn respond(&self, mut rec: Recorded) -> Reply {
        let mut st = self.lock();
        let reply = self.answer(&mut st, &rec);
        rec.answered_in = rec.at.elapsed();
        st.requests.push(rec);
        self.changed.notify_all();
        reply
    }

    fn answer(&self, st: &mut State, rec: &Recorded) -> Reply {
        if rec.header("authorization") != Some(&format!("Bot {TOKEN}")) {
            return error(401, 0, "401: Unauthorized");
        }
        let fault = st.faults.iter().position(|f| {
            f.method.eq_ignore_ascii_case(&rec.method) && rec.path.contains(&f.path_contains)
        });
        if let Some(i) = fault {
            return st.faults.remove(i).reply;
        }
        let segs: Vec<&str> = rec.route().trim_matches('/').split('/').collect();
        let body = rec.body.as_ref().unwrap_or(&Value::Null);
        match (rec.method.as_str(), segs.as_slice()) {
            _ if !rec.path.starts_with(API) => error(404, 0, "404: Not Found"),
            ("GET", ["gateway"]) => ok(json!({"url": self.ws_url})),
            ("GET", ["oauth2", "applications", "@me"]) => ok(json!({
                "id": APP_ID, "name": "fakebot", "icon": null, "description": "", "bot_public": false,
                "bot_require_code_grant": false, "verify_key": "00", "flags": 0,
                "owner": user_json(OWNER_ID)})),
            ("GET", ["users", "@me"]) => ok(user_json(BOT_USER_ID).expect("bot user")),
            ("PUT", ["applications", APP_ID, "commands"]) => st.echo_commands(body, None),
            ("PUT", ["applications", APP_ID, "guilds", guild, "commands"])
                if st.has_guild(guild) =>
            {
                st.echo_commands(body, Some(guild))
            }
            ("GET", ["channels", id]) => st.channel_json(id).map_or_else(unknown_channel, ok),
            ("GET", ["guilds", guild]) if st.has_guild(guild) => ok(st.guild_json(guild)),
            ("GET", ["guilds", guild, "members", user]) if st.has_guild(guild) => {
                member_json_in(&st.bot_role_of(guild), user)
                    .map_or_else(|| error(404, 10007, "Unknown Member"), ok)
            }
            (method, ["guilds", GUILD_ID, "scheduled-events", rest @ ..]) => {
                st.scheduled_events_route(method, rest, &rec.query, body)
            }
            ("GET", ["guilds", _, ..]) | (_, ["guilds", _, "scheduled-events", ..]) => {
                error(404, 10004, "Unknown Guild")
            }
            ("POST", ["channels", id, "messages"]) => st.post_message(id, body),
            ("PATCH", ["channels", id, "messages", mid]) => st.edit_message(id, mid, body),
            ("POST", ["interactions", id, token, "callback"]) => st.callback(id, token, body),
            _ => error(404, 0, "404: Not Found"),
        }
    }
}

impl State {
    fn snowflake(&mut self) -> String {
        self.next_id += 1;
        self.next_id.to_string()
    }

    /// Answers a bulk overwrite with the commands as Discord stores them; ids stay stable per name
    /// so `slash` can send the id the bot registered.
    fn echo_commands(&mut self, body: &Value, guild: Option<&str>) -> Reply {
        let Some(list) = body.as_array() else {
            return error(400, 50035, "Invalid Form Body");
        };
        let mut out = Vec::new();
        for command in list {
            let name = command["name"].as_str().unwrap_or_default().to_owned();
            let id = match self.commands.get(&name) {
                Some(id) => id.clone(),
                None => self.snowflake(),
            };
            self.commands.insert(name, id.clone());
            let mut echoed = command.clone();
            echoed["id"] = json!(id);
            echoed["application_id"] = json!(APP_ID);
            echoed["version"] = json!(self.snowflake());
            if echoed.get("type").is_none_or(Value::is_null) {
                echoed["type"] = json!(1);
            }
            if let Some(guild) = guild {
                echoed["guild_id"] = json!(guild);
            }
            out.push(echoed);
        }
        ok(Value::Array(out))
    }

    /// Checks that the channel exists and the bot may post there, as Discord does.
    fn can_post(&self, channel_id: &str) -> Result<(), Reply> {
        self.channel_json(channel_id).ok_or_else(unknown_channel)?;
        let perms = Permissions::from_bits_truncate(self.bot_permissions);
        if !perms.contains(Permissions::VIEW_CHANNEL) {
            return Err(error(403, 50001, "Missing Access"));
        }
        if !perms.contains(Permissions::SEND_MESSAGES) {
            return Err(error(403, 50013, "Missing Permissions"));
        }
        Ok(())
    }

    fn post_message(&mut self, channel_id: &str, body: &Value) -> Reply {
        if let Err(reply) = self.can_post(channel_id).and(over_limits(body)) {
            return reply;
        }
        // `enforce_nonce`: a repeat within minutes returns the first message (Discord keys it per author).
        let nonce = match &body["nonce"] {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let enforced = nonce.filter(|_| body["enforce_nonce"] == true);
        if let Some(first) = enforced.as_ref().and_then(|n| self.nonces.get(n)) {
            return ok(self.messages[first].clone());
        }
        let message = self.new_message(channel_id, body);
        if let Some(nonce) = enforced {
            self.nonces
                .insert(nonce, message["id"].as_str().unwrap_or_default().to_owned());
        }
        ok(message)
    }

    fn new_message(&mut self, channel_id: &str, body: &Value) -> Value {
        let id = self.snowflake();
        let guild = self
            .channel_json(channel_id)
            .map(|_| self.guild_of(channel_id));
        let message = message_json(&id, channel_id, guild.as_deref(), body);
        self.messages.insert(id, message.clone());
        message
    }

    /// A PATCH of a message the fake holds (crier edits its earlier announcement of a moved or
    /// cancelled event).
    fn edit_message(&mut self, channel_id: &str, mid: &str, body: &Value) -> Reply {
        if let Err(reply) = self.can_post(channel_id).and(over_limits(body)) {
            return reply;
        }
        let Some(message) = self
            .messages
            .get_mut(mid)
            .filter(|m| m["channel_id"] == channel_id)
        else {
            return error(404, 10008, "Unknown Message");
        };
        edit_message(message, body);
        ok(message.clone())
    }

    fn callback(&mut self, id: &str, token: &str, body: &Value) -> Reply {
        let Some(interaction) = self
            .interactions
            .get_mut(id)
            .filter(|i| i.id == id && i.token == token)
        else {
            return error(404, 10062, "Unknown interaction");
        };
        if interaction.at.elapsed() > INTERACTION_DEADLINE {
            return error(404, 10062, "Unknown interaction");
        }
        if interaction.acked {
            return error(400, 40060, "Interaction has already been acknowledged.");
        }
        if let Err(reply) = over_limits(&body["data"]) {
            return reply;
        }
        interaction.acked = true;
        // UPDATE_MESSAGE edits the message whose component was clicked.
        if body["type"] == 7 {
            let clicked = interaction.message_id.clone().unwrap_or_default();
            if let Some(message) = self.messages.get_mut(&clicked) {
                edit_message(message, &body["data"]);
            }
        }
        (204, vec![], None)
    }

    /// Builds an INTERACTION_CREATE payload run by the owner, and remembers it for its callback.
    fn interaction(
        &mut self,
        kind: u8,
        data: Value,
        channel_id: &str,
        message: Option<Value>,
    ) -> (String, Value) {
        let id = self.snowflake();
        let token = format!("itoken-{id}");
        let message_id = message
            .as_ref()
            .and_then(|m| m["id"].as_str())
            .map(str::to_owned);
        let mut member = member_json(OWNER_ID).expect("owner member");
        // The member's permissions in the channel: the owner has them all.
        member["permissions"] = json!(Permissions::all().bits().to_string());
        let mut payload = json!({
            "id": id, "application_id": APP_ID, "type": kind, "data": data,
            "guild_id": self.guild_of(channel_id), "channel_id": channel_id, "member": member,
            "app_permissions": self.bot_permissions.to_string(),
            "token": token, "version": 1, "locale": "en-US", "guild_locale": "en-US",
            "entitlements": [], "context": 0, "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        });
        if let Some(message) = message {
            payload["message"] = message;
        }
        let interaction = Interaction {
            id: id.clone(),
            token,
            at: Instant::now(),
            acked: false,
            message_id,
        };
        self.interactions.insert(id.clone(), interaction);
        (id, payload)
    }
}

/// The world: the built-in guilds and channels, and those declared with [`FakeDiscord::add_guild`]
/// and [`FakeDiscord::add_channel`].
impl State {
    fn has_guild(&self, guild: &str) -> bool {
        GUILDS.contains(&guild) || self.more_guild_roles.contains_key(guild)
    }

    /// The guild of a channel ([`GUILD_ID`] for an unknown one).
    fn guild_of(&self, channel_id: &str) -> String {
        match self.more_channels.get(channel_id) {
            Some(guild) => guild.clone(),
            None => guild_of(channel_id).to_owned(),
        }
    }

    fn bot_role_of(&self, guild: &str) -> String {
        match self.more_guild_roles.get(guild) {
            Some(role) => role.clone(),
            None => bot_role_of(guild).to_owned(),
        }
    }

    fn channel_json(&self, id: &str) -> Option<Value> {
        channel_json(id).or_else(|| {
            let guild = self.more_channels.get(id)?;
            Some(channel_value(id, 0, &format!("channel-{id}"), guild))
        })
    }

    fn guild_json(&self, guild: &str) -> Value {
        let name = match guild {
            GUILD_ID => "Fake Guild".to_owned(),
            GUILD2_ID => "Second Fake Guild".to_owned(),
            _ => format!("Fake Guild {guild}"),
        };
        guild_json(guild, &name, &self.bot_role_of(guild), self.bot_permissions)
    }
}

/// The most events scheduled or active at once in a guild.
const MAX_UNCOMPLETED_EVENTS: usize = 100;

/// Guild scheduled events: the routes under `/guilds/{GUILD_ID}/scheduled-events`.
impl State {
    /// `rest` is the path after `scheduled-events`.
    fn scheduled_events_route(
        &mut self,
        method: &str,
        rest: &[&str],
        query: &str,
        body: &Value,
    ) -> Reply {
        let with_user_count = query_flag(query, "with_user_count");
        match (method, rest) {
            ("GET", []) => ok(self
                .events
                .iter()
                .map(|e| e.view(with_user_count))
                .collect()),
            ("POST", []) => self.create_event(body),
            ("PATCH", [id]) => self.edit_event(id, body),
            ("DELETE", [id]) => {
                if let Err(reply) = self.may_manage_event(id) {
                    return reply;
                }
                self.events.retain(|e| e.id() != *id);
                (204, vec![], None)
            }
            (_, [] | [_]) => error(405, 0, "405: Method Not Allowed"),
            _ => error(404, 0, "404: Not Found"),
        }
    }

    fn has(&self, perm: Permissions) -> bool {
        let perms = Permissions::from_bits_truncate(self.bot_permissions);
        perms.contains(Permissions::ADMINISTRATOR) || perms.contains(perm)
    }

    fn create_event(&mut self, body: &Value) -> Reply {
        // Since 2026-02-23 creating needs CREATE_EVENTS; MANAGE_EVENTS alone no longer does.
        if !self.has(Permissions::CREATE_EVENTS) {
            return missing_permissions();
        }
        if let Err(reply) = check_event(body, None) {
            return reply;
        }
        let uncompleted = self
            .events
            .iter()
            .filter(|e| matches!(e.status(), 1 | 2))
            .count();
        if uncompleted >= MAX_UNCOMPLETED_EVENTS {
            return error(
                400,
                30038,
                "Maximum number of uncompleted guild scheduled events reached (100)",
            );
        }
        let id = self.snowflake();
        let time = |key: &str| parse_time(&body[key]).map(discord_time).unwrap_or_default();
        let json = scheduled_event_json(
            &id,
            BOT_USER_ID,
            body["name"].as_str().unwrap_or_default(),
            body["description"].as_str(),
            &time("scheduled_start_time"),
            &time("scheduled_end_time"),
            body["entity_metadata"]["location"]
                .as_str()
                .unwrap_or_default(),
        );
        let event = StoredEvent {
            json,
            user_count: 0,
        };
        let reply = ok(event.view(false));
        self.events.push(event);
        reply
    }

    /// The bot may edit or delete its own events with CREATE_EVENTS or MANAGE_EVENTS, anyone
    /// else's only with MANAGE_EVENTS.
    fn may_manage_event(&self, id: &str) -> Result<(), Reply> {
        let event = self
            .events
            .iter()
            .find(|e| e.id() == id)
            .ok_or_else(unknown_event)?;
        let own = event.json["creator_id"] == BOT_USER_ID;
        if self.has(Permissions::MANAGE_EVENTS) || (own && self.has(Permissions::CREATE_EVENTS)) {
            Ok(())
        } else {
            Err(missing_permissions())
        }
    }

    fn edit_event(&mut self, id: &str, body: &Value) -> Reply {
        if let Err(reply) = self.may_manage_event(id) {
            return reply;
        }
        let Some(event) = self.events.iter_mut().find(|e| e.id() == id) else {
            return unknown_event();
        };
        let status = event.status();
        if matches!(status, 3 | 4) {
            return error(400, 180000, "Cannot update a finished event");
        }
        if let Err(reply) = check_event(body, Some(&event.json)) {
            return reply;
        }
        // The moves Discord allows: start, complete, or cancel one not started.
        let next = match body["status"].as_u64() {
            None => status,
            Some(next) if next == status || matches!((status, next), (1, 2 | 4) | (2, 3)) => next,
            Some(next) => {
                let message = format!("Cannot change the status from {status} to {next}.");
                return invalid("status", &message);
            }
        };
        let json = &mut event.json;
        for key in ["name", "description"] {
            if let Some(value) = body.get(key) {
                json[key] = value.clone();
            }
        }
        for key in ["scheduled_start_time", "scheduled_end_time"] {
            if let Some(time) = parse_time(&body[key]) {
                json[key] = json!(discord_time(time));
            }
        }
        if let Some(location) = body["entity_metadata"]["location"].as_str() {
            json["entity_metadata"] = json!({"location": location});
        }
        json["status"] = json!(next);
        ok(event.view(false))
    }
}

/// Discord's 400 "Invalid Form Body" (code 50035) for one field, `path` its keys joined with `.`:
/// serenity flattens `errors` into paths like `entity_metadata.location`.
fn invalid(path: &str, message: &str) -> Reply {
    let mut errors = json!({});
    let at = path.split('.').fold(&mut errors, |at, key| &mut at[key]);
    at["_errors"] = json!([{"code": "BASE_TYPE_INVALID", "message": message}]);
    let body = json!({"code": 50035, "message": "Invalid Form Body", "errors": errors});
    (400, vec![], Some(body))
}

/// What Discord checks of an external event beyond the spec's schema (which `openapi::check_all`
/// applies to every request): a name, a location, no channel, an end after the start, and a start
/// not in the past (on PATCH, only when it moves). A PATCH (`old` is the stored event) is read as
/// the event it would make.
fn check_event(body: &Value, old: Option<&Value>) -> Result<(), Reply> {
    static NULL: Value = Value::Null;
    let field = |key: &str| {
        body.get(key)
            .or_else(|| old.and_then(|o| o.get(key)))
            .unwrap_or(&NULL)
    };
    let filled = |v: &Value| v.as_str().is_some_and(|s| !s.is_empty());
    if !filled(field("name")) {
        return Err(invalid("name", "This field is required"));
    }
    // Stage and voice events need a stage or voice channel, which the fake's guild lacks.
    if field("entity_type") != 3 {
        return Err(invalid("entity_type", "The fake has external events only."));
    }
    if !body["channel_id"].is_null() {
        return Err(invalid("channel_id", "Must be null for an external event."));
    }
    if !filled(&field("entity_metadata")["location"]) {
        return Err(invalid(
            "entity_metadata.location",
            "This field is required",
        ));
    }
    let time = |key: &str| {
        parse_time(field(key)).ok_or_else(|| {
            invalid(
                key,
                "Could not interpret the value as an ISO8601 timestamp.",
            )
        })
    };
    let (start, end) = (time("scheduled_start_time")?, time("scheduled_end_time")?);
    let moved = old.and_then(|o| parse_time(&o["scheduled_start_time"])) != Some(start);
    if moved && start < Utc::now() {
        return Err(invalid(
            "scheduled_start_time",
            "Cannot schedule event in the past.",
        ));
    }
    if end <= start {
        return Err(invalid(
            "scheduled_end_time",
            "Cannot schedule event to end before starting.",
        ));
    }
    Ok(())
}

/// Whether a query (`&k=v&...`, as serenity writes it, or `k=v&...`) sets `key` to true.
fn query_flag(query: &str, key: &str) -> bool {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(k, v)| k == key && (v.eq_ignore_ascii_case("true") || v == "1"))
}

fn parse_time(value: &Value) -> Option<DateTime<Utc>> {
    let text = value.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A time as Discord writes event times: `2030-01-01T18:00:00+00:00` (fractions only when set).
fn discord_time(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.f+00:00").to_string()
}

/// An external event as Discord stores it (status 1), without `user_count`.
fn scheduled_event_json(
    id: &str,
    creator_id: &str,
    name: &str,
    description: Option<&str>,
    start: &str,
    end: &str,
    location: &str,
) -> Value {
    json!({
        "id": id, "guild_id": GUILD_ID, "channel_id": null, "creator_id": creator_id,
        "creator": creator_json(creator_id), "name": name, "description": description,
        "scheduled_start_time": start, "scheduled_end_time": end, "privacy_level": 2,
        "status": 1, "entity_type": 3, "entity_id": null, "entity_metadata": {"location": location},
        "image": null, "recurrence_rule": null, "guild_scheduled_event_exceptions": [],
    })
}

/// A user as Discord's `UserResponse` has it, with the members messages' authors go without.
fn creator_json(id: &str) -> Value {
    let mut user = user_json(id).unwrap_or_else(|| json!({"id": id}));
    user["public_flags"] = json!(0);
    user["flags"] = json!(0);
    user["primary_guild"] = Value::Null;
    user
}

fn unknown_event() -> Reply {
    error(404, 10070, "Unknown Guild Scheduled Event")
}

fn missing_permissions() -> Reply {
    error(403, 50013, "Missing Permissions")
}

fn ok(body: Value) -> Reply {
    (200, vec![], Some(body))
}

/// Discord's error body, which serenity parses into `DiscordJsonError`.
fn error(status: u16, code: u64, message: &str) -> Reply {
    (
        status,
        vec![],
        Some(json!({"code": code, "message": message})),
    )
}

fn unknown_channel() -> Reply {
    error(404, 10003, "Unknown Channel")
}

/// The message limits Discord enforces (400, code 50035) that its OpenAPI spec does not state:
/// content up to 2000 characters for a bot (the spec says 4000), and 6000 characters over all
/// embeds. Per-field limits (title 256, ...) are in the spec: `openapi::check_all` catches those.
fn over_limits(body: &Value) -> Result<(), Reply> {
    let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    let embed_size = |e: &Value| {
        let fields = e["fields"].as_array().into_iter().flatten();
        let texts = [
            &e["title"],
            &e["description"],
            &e["footer"]["text"],
            &e["author"]["name"],
        ];
        texts.into_iter().map(chars).sum::<usize>()
            + fields
                .map(|f| chars(&f["name"]) + chars(&f["value"]))
                .sum::<usize>()
    };
    let total: usize = body["embeds"]
        .as_array()
        .into_iter()
        .flatten()
        .map(embed_size)
        .sum();
    let problem = match () {
        () if chars(&body["content"]) > 2000 => "content: Must be 2000 or fewer in length.",
        () if total > 6000 => "embeds: Embed size exceeds maximum size of 6000",
        () => return Ok(()),
    };
    let errors = json!({"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": problem}]});
    let body = json!({"code": 50035, "message": "Invalid Form Body", "errors": errors});
    Err((400, vec![], Some(body)))
}

fn timestamp() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

/// A message the bot posted in `channel_id`, of `guild` (`None`: a channel the fake does not know).
fn message_json(id: &str, channel_id: &str, guild: Option<&str>, body: &Value) -> Value {
    let mut message = json!({
        "id": id, "channel_id": channel_id, "author": user_json(BOT_USER_ID),
        "content": "", "timestamp": timestamp(), "edited_timestamp": null, "tts": body["tts"] == true,
        "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "components": [], "pinned": false, "type": 0, "flags": 0,
    });
    if let Some(guild) = guild {
        message["guild_id"] = json!(guild);
    }
    if !body["nonce"].is_null() {
        message["nonce"] = body["nonce"].clone();
    }
    edit_message(&mut message, body);
    message["edited_timestamp"] = Value::Null;
    message
}

/// Applies the fields of a create or edit body that the fake keeps.
fn edit_message(message: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "flags"] {
        if !body[key].is_null() {
            message[key] = body[key].clone();
        }
    }
    message["edited_timestamp"] = json!(timestamp());
}

fn user_json(id: &str) -> Option<Value> {
    match id {
        BOT_USER_ID => Some(
            json!({"id": id, "username": "fakebot", "discriminator": "0",
            "global_name": null, "avatar": null, "bot": true}),
        ),
        OWNER_ID => Some(json!({"id": id, "username": "tester", "discriminator": "0",
            "global_name": "Tester", "avatar": null})),
        _ => None,
    }
}

fn member_json(user_id: &str) -> Option<Value> {
    member_json_in(BOT_ROLE_ID, user_id)
}

/// A member of a guild whose bot role is `bot_role`: the bot has that role.
fn member_json_in(bot_role: &str, user_id: &str) -> Option<Value> {
    let roles = if user_id == BOT_USER_ID {
        json!([bot_role])
    } else {
        json!([])
    };
    Some(
        json!({"user": user_json(user_id)?, "nick": null, "avatar": null, "roles": roles,
        "joined_at": "2024-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false,
        "flags": 0, "pending": false}),
    )
}

/// The guild a channel of the fake world is in ([`GUILD_ID`] for an unknown one).
fn guild_of(channel_id: &str) -> &'static str {
    if channel_id == GUILD2_CHANNEL_ID {
        GUILD2_ID
    } else {
        GUILD_ID
    }
}

/// The bot's managed role in `guild`.
fn bot_role_of(guild: &str) -> &'static str {
    if guild == GUILD2_ID {
        GUILD2_BOT_ROLE_ID
    } else {
        BOT_ROLE_ID
    }
}

/// Whether `r` registers the slash commands in `guild` (a bulk overwrite).
fn is_registration_in(r: &Recorded, guild: &str) -> bool {
    r.method == "PUT" && r.route() == format!("/applications/{APP_ID}/guilds/{guild}/commands")
}

/// A channel of the built-in world.
fn channel_json(id: &str) -> Option<Value> {
    let (kind, name) = match id {
        CHANNEL_ID => (0, "general"),
        ANNOUNCE_CHANNEL_ID => (5, "announcements"),
        ROUTE_CHANNEL_ID => (0, "berlin"),
        MEETUPS_CHANNEL_ID => (0, "meetups"),
        GUILD2_CHANNEL_ID => (0, "lobby"),
        _ => return None,
    };
    Some(channel_value(id, kind, name, guild_of(id)))
}

fn channel_value(id: &str, kind: u8, name: &str, guild: &str) -> Value {
    json!({"id": id, "type": kind, "guild_id": guild, "name": name, "position": 0,
    "permission_overwrites": [], "nsfw": false, "topic": null, "last_message_id": null,
    "parent_id": null, "rate_limit_per_user": 0, "flags": 0})
}

fn role_json(id: &str, name: &str, perms: u64, managed: bool) -> Value {
    // serenity 0.12.5 requires `colors` on a Role.
    let mut role = json!({"id": id, "name": name, "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false, "icon": null, "unicode_emoji": null, "position": i32::from(managed),
        "permissions": perms.to_string(), "managed": managed, "mentionable": false, "flags": 0});
    if managed {
        role["tags"] = json!({"bot_id": BOT_USER_ID});
    }
    role
}

fn guild_json(guild: &str, name: &str, bot_role: &str, bot_perms: u64) -> Value {
    json!({"id": guild, "name": name, "icon": null, "icon_hash": null, "splash": null,
        "discovery_splash": null, "owner_id": OWNER_ID, "afk_channel_id": null, "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        // @everyone grants nothing, so the bot's permissions are exactly its role's.
        "roles": [role_json(guild, "@everyone", 0, false), role_json(bot_role, "fakebot", bot_perms, true)],
        "emojis": [], "features": [], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
        "vanity_url_code": null, "description": null, "banner": null, "premium_tier": 0,
        "preferred_locale": "en-US", "public_updates_channel_id": null, "nsfw_level": 0,
        "stickers": [], "premium_progress_bar_enabled": false, "safety_alerts_channel_id": null})
}
