//! The fake Discord speaks serenity 0.12.5's and poise 0.7.1's wire format: what it answers and
//! dispatches for the calls crier makes parses as their own types.
//!
//! Serenity drops a gateway payload it cannot parse with only a DEBUG log (it becomes
//! `Event::Unknown`), and a REST answer it cannot parse fails the bot's call, so a fake that drifts
//! from the wire format makes end-to-end tests fail for the fake's sake, or pass for nothing. How
//! the fake behaves (faults, limits, permissions, the clock) is what the end-to-end tests rely on
//! and exercise; it is not tested again here. The OpenAPI checker is proved able to fail.

mod support;

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use serenity::all::{
    ApplicationId, Channel, ChannelId, ChannelType, ClientBuilder, CreateActionRow,
    CreateAutocompleteResponse, CreateButton, CreateCommand, CreateEmbed, CreateMessage,
    CreateScheduledEvent, EditMessage, EditScheduledEvent, Event, GatewayEvent, GatewayIntents,
    GuildId, Http, HttpBuilder, Interaction, Nonce, Ready, ScheduledEventStatus,
    ScheduledEventType, Timestamp, UserId,
};
use support::fake_discord::*;
use support::openapi;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const WAIT: Duration = Duration::from_secs(10);

/// Serenity's REST client pointed at the fake as crier points it: proxy mode, ratelimiter off.
fn http(fake: &FakeDiscord) -> Http {
    HttpBuilder::new(fake.token())
        .proxy(fake.api_url())
        .ratelimiter_disabled(true)
        .application_id(ApplicationId::new(id(APP_ID)))
        .build()
}

fn id(s: &str) -> u64 {
    s.parse().expect("snowflake")
}

/// Every recorded request passes the spec (skipped, saying why, without the spec).
fn assert_spec_ok(fake: &FakeDiscord) {
    openapi::assert_requests_valid(fake);
}

#[tokio::test]
async fn rest_answers_parse_as_serenity_types() {
    let fake = FakeDiscord::start();
    let http = http(&fake);
    let (guild, channel) = (GuildId::new(id(GUILD_ID)), ChannelId::new(id(CHANNEL_ID)));

    // Start-up and the preflight.
    assert_eq!(
        http.get_gateway().await.expect("gateway").url,
        fake.ws_url()
    );
    let app = http.get_current_application_info().await;
    assert_eq!(
        app.expect("application").owner.expect("owner").id,
        UserId::new(id(OWNER_ID))
    );
    assert!(http.get_current_user().await.expect("users/@me").bot);
    let Channel::Guild(general) = http.get_channel(channel).await.expect("channel") else {
        panic!("not a guild channel");
    };
    assert_eq!((general.kind, general.guild_id), (ChannelType::Text, guild));
    let news = http
        .get_channel(ChannelId::new(id(ANNOUNCE_CHANNEL_ID)))
        .await;
    assert!(matches!(news.expect("news"), Channel::Guild(c) if c.kind == ChannelType::News));
    let bot = UserId::new(id(BOT_USER_ID));
    let (partial, member) = (
        http.get_guild(guild).await,
        http.get_member(guild, bot).await,
    );
    let permissions = partial
        .expect("guild")
        .user_permissions_in(&general, &member.expect("member"));
    assert_eq!(permissions.bits(), default_bot_permissions());

    // Registration: one id per name, so `slash` can send the id the bot registered.
    let commands = vec![CreateCommand::new("next").description("The next event")];
    let registered = guild.set_commands(&http, commands).await.expect("commands");
    assert_eq!(registered[0].guild_id, Some(guild));

    // An announcement, as crier posts and then edits it.
    let register = CreateButton::new_link("https://example.org").label("Register");
    let create = CreateMessage::new()
        .embed(
            CreateEmbed::new()
                .title("Meetup")
                .field("When", "Tuesday", true),
        )
        .components(vec![CreateActionRow::Buttons(vec![register])])
        .nonce(Nonce::String("n-1".into()))
        .enforce_nonce(true);
    let sent = channel.send_message(&http, create).await.expect("post");
    assert_eq!((sent.embeds[0].fields.len(), sent.components.len()), (1, 1));
    let edit = EditMessage::new().embed(CreateEmbed::new().title("Meetup, moved"));
    let edited = channel.edit_message(&http, sent.id, edit).await;
    assert_eq!(
        edited.expect("edit").embeds[0].title.as_deref(),
        Some("Meetup, moved")
    );
    assert_spec_ok(&fake);
}

/// Guilds and channels added with `add_world` answer like the built-in ones: each channel in its
/// guild, the bot a member there with its own role and the default permissions, posts taken, READY
/// listing every guild, and commands from there carrying that guild.
#[tokio::test]
async fn an_added_world_answers_like_the_built_in_one() {
    let fake = FakeDiscord::start();
    let world = fake.add_world(3, 6);
    let http = http(&fake);
    assert_eq!((world.guilds.len(), world.channels.len()), (3, 6));
    let (last, guild_of_last) = &world.channels[5];
    assert_eq!(
        guild_of_last, &world.guilds[2],
        "channel j is in guild j % guilds"
    );
    let Channel::Guild(channel) = http
        .get_channel(ChannelId::new(id(last)))
        .await
        .expect("channel")
    else {
        panic!("not a guild channel");
    };
    let guild = GuildId::new(id(guild_of_last));
    assert_eq!((channel.kind, channel.guild_id), (ChannelType::Text, guild));
    let bot = UserId::new(id(BOT_USER_ID));
    let (partial, member) = (
        http.get_guild(guild).await,
        http.get_member(guild, bot).await,
    );
    let permissions = partial
        .expect("guild")
        .user_permissions_in(&channel, &member.expect("member"));
    assert_eq!(permissions.bits(), default_bot_permissions());
    let registered = guild
        .set_commands(&http, vec![CreateCommand::new("next").description("Next")])
        .await
        .expect("commands");
    assert_eq!(registered[0].guild_id, Some(guild));
    let sent = channel
        .send_message(&http, CreateMessage::new().content("hello"))
        .await
        .expect("post");
    assert_eq!(sent.guild_id, Some(guild));
    assert_eq!(
        fake.requests_from(fake.request_count() - 1)[0].posted_in(),
        Some(last.as_str())
    );

    let mut ws = connect(&fake).await;
    assert!(matches!(recv(&mut ws).await, Ok(GatewayEvent::Hello(_))));
    send(
        &mut ws,
        json!({"op": 2, "d": {"token": "Bot fake-token", "intents": 1}}),
    )
    .await;
    let ready = match recv(&mut ws).await {
        Ok(GatewayEvent::Dispatch(1, Event::Ready(e))) => e.ready,
        other => panic!("not READY: {other:?}"),
    };
    let ready_guilds: Vec<String> = ready.guilds.iter().map(|g| g.id.to_string()).collect();
    assert_eq!(ready_guilds.len(), 2 + 3, "{ready_guilds:?}");
    assert!(world.guilds.iter().all(|g| ready_guilds.contains(g)));
    let slash = fake.slash_from(guild_of_last, last, "next", json!([]));
    match interaction(recv(&mut ws).await) {
        (2, Interaction::Command(c)) => {
            assert_eq!(c.id.to_string(), slash);
            assert_eq!((c.guild_id, c.channel_id), (Some(guild), channel.id));
        }
        other => panic!("not a command: {other:?}"),
    }
    assert_spec_ok(&fake);
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(fake: &FakeDiscord) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(format!("{}/?v=10", fake.ws_url()))
        .await
        .expect("connect");
    ws
}

async fn send(ws: &mut Ws, frame: Value) {
    ws.send(WsMessage::Text(frame.to_string()))
        .await
        .expect("send");
}

/// The next frame, as serenity parses it; a close frame comes back as its code.
async fn recv(ws: &mut Ws) -> Result<GatewayEvent, Option<u16>> {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("a frame in time");
        match msg.expect("socket open").expect("frame") {
            WsMessage::Text(text) => return Ok(parse(&serde_json::from_str(&text).expect("JSON"))),
            WsMessage::Close(frame) => return Err(frame.map(|f| u16::from(f.code))),
            _ => {}
        }
    }
}

/// Parses a frame as serenity does; a dispatch it cannot read fails with serenity's reason.
fn parse(frame: &Value) -> GatewayEvent {
    let event: GatewayEvent = serde_json::from_value(frame.clone()).expect("a gateway frame");
    if let GatewayEvent::Dispatch(_, Event::Unknown(unknown)) = &event {
        let why = match unknown.kind.as_str() {
            "READY" => serde_json::from_value::<Ready>(unknown.value.clone()).err(),
            "INTERACTION_CREATE" => {
                serde_json::from_value::<Interaction>(unknown.value.clone()).err()
            }
            _ => None,
        };
        panic!(
            "serenity drops {} as Unknown ({why:?}): {frame}",
            unknown.kind
        );
    }
    event
}

/// The interaction of an INTERACTION_CREATE, with its seq.
fn interaction(event: Result<GatewayEvent, Option<u16>>) -> (u64, Interaction) {
    match event {
        Ok(GatewayEvent::Dispatch(s, Event::InteractionCreate(e))) => (s, e.interaction),
        other => panic!("not INTERACTION_CREATE: {other:?}"),
    }
}

#[tokio::test]
async fn gateway_frames_parse_as_serenity_events() {
    let fake = FakeDiscord::start();
    let mut ws = connect(&fake).await;
    assert!(matches!(recv(&mut ws).await, Ok(GatewayEvent::Hello(_))));
    let identify = |token: &str| json!({"op": 2, "d": {"token": token, "intents": 1}});
    send(&mut ws, identify("Bot fake-token")).await;
    let ready = match recv(&mut ws).await {
        Ok(GatewayEvent::Dispatch(1, Event::Ready(e))) => e.ready,
        other => panic!("not READY: {other:?}"),
    };
    assert_eq!(ready.resume_gateway_url, fake.ws_url());
    assert_eq!(ready.application.id.get(), id(APP_ID));

    // The three kinds of interaction crier answers; poise needs `member.permissions`.
    let slash = fake.slash(
        "crier",
        json!([{"name": "status", "type": 1, "options": []}]),
    );
    match interaction(recv(&mut ws).await) {
        (2, Interaction::Command(c)) => {
            assert_eq!(c.id.to_string(), slash);
            assert!(c.member.and_then(|m| m.permissions).is_some());
            assert_eq!(
                c.app_permissions.expect("app_permissions").bits(),
                default_bot_permissions()
            );
        }
        other => panic!("not a command: {other:?}"),
    }
    let typed = json!([{"name": "name", "type": 3, "value": "ru", "focused": true}]);
    fake.autocomplete("event", typed);
    match interaction(recv(&mut ws).await) {
        (3, Interaction::Autocomplete(c)) => {
            assert_eq!(c.data.autocomplete().expect("focused").value, "ru");
        }
        other => panic!("not autocomplete: {other:?}"),
    }
    fake.click("crier:page:upcoming:1", "800000000000000042");
    match interaction(recv(&mut ws).await) {
        (4, Interaction::Component(c)) => assert_eq!(c.message.id.get(), 800000000000000042),
        other => panic!("not a component: {other:?}"),
    }

    // A RESUME gets what the client missed, then RESUMED; a stale one must IDENTIFY again.
    let missed = fake.slash("next", json!([]));
    fake.drop_socket();
    let mut ws = connect(&fake).await;
    recv(&mut ws).await.expect("HELLO");
    let resume = |session: &str| json!({"op": 6, "d": {"token": "Bot fake-token", "session_id": session, "seq": 4}});
    send(&mut ws, resume("session-1")).await;
    let (seq, replayed) = interaction(recv(&mut ws).await);
    assert_eq!((seq, replayed.id().to_string()), (5, missed));
    let resumed = recv(&mut ws).await;
    assert!(
        matches!(resumed, Ok(GatewayEvent::Dispatch(6, Event::Resumed(_)))),
        "{resumed:?}"
    );
    send(&mut ws, resume("stale")).await;
    assert!(matches!(
        recv(&mut ws).await,
        Ok(GatewayEvent::InvalidateSession(false))
    ));
    let mut ws = connect(&fake).await;
    recv(&mut ws).await.expect("HELLO");
    send(&mut ws, identify("Bot wrong-token")).await;
    assert_eq!(recv(&mut ws).await.err(), Some(Some(4004)));
}

type PoiseError = Box<dyn std::error::Error + Send + Sync>;
type PoiseContext<'a> = poise::Context<'a, (), PoiseError>;

// As crier's `/crier status`: the permission checks make poise read `member.permissions` and
// `app_permissions`, which it `expect()`s. The doc comment is the command's description.
/// Says which event it was asked about.
#[poise::command(
    slash_command,
    required_permissions = "MANAGE_GUILD",
    required_bot_permissions = "SEND_MESSAGES"
)]
async fn event(
    ctx: PoiseContext<'_>,
    #[description = "which event"]
    #[autocomplete = "titles"]
    name: String,
) -> Result<(), PoiseError> {
    ctx.say(format!("{name} is on Tuesday")).await?;
    Ok(())
}

async fn titles(_ctx: PoiseContext<'_>, typed: &str) -> CreateAutocompleteResponse {
    CreateAutocompleteResponse::new().add_string_choice(format!("{typed}st night"), "m-1")
}

/// A poise bot, as crier runs one: the start-up calls, registration in the guild, a reply and
/// autocomplete.
#[test]
fn a_poise_bot_runs_against_the_fake() {
    let fake = FakeDiscord::start();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let http = http(&fake);
    // The bot gets its own runtime, so this thread can block on the fake without starving it.
    let bot = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let options = poise::FrameworkOptions {
                commands: vec![event()],
                ..Default::default()
            };
            let framework = poise::Framework::builder()
                .options(options)
                .setup(|ctx, _ready, framework| {
                    Box::pin(async move {
                        let guild = GuildId::new(id(GUILD_ID));
                        let commands = &framework.options().commands;
                        poise::builtins::register_in_guild(ctx, commands, guild).await?;
                        Ok(())
                    })
                })
                .build();
            let mut client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
                .framework(framework)
                .await
                .expect("client");
            let shards = client.shard_manager.clone();
            tokio::spawn(async move {
                let _ = stopped.await;
                shards.shutdown_all().await;
            });
            client.start().await.map_err(|e| e.to_string())
        })
    });

    let registered = fake.wait_for(WAIT, |r| r.matches("PUT", "/guilds/"));
    assert!(registered.is_some(), "poise registered its commands");
    assert_eq!(
        fake.count(|r| r.matches("GET", "/oauth2/applications/@me")),
        1
    );
    let asked = fake.slash(
        "event",
        json!([{"name": "name", "type": 3, "value": "Rust"}]),
    );
    let reply = fake.wait_for(WAIT, callback_of(&asked));
    let reply = reply.expect("a reply").body.expect("body");
    assert_eq!(reply["type"], 4);
    assert_eq!(reply["data"]["content"], "Rust is on Tuesday");

    let typed = json!([{"name": "name", "type": 3, "value": "Ru", "focused": true}]);
    let typing = fake.autocomplete("event", typed);
    let choices = fake.wait_for(WAIT, callback_of(&typing));
    let choices = choices.expect("choices").body.expect("body");
    assert_eq!(choices["data"]["choices"][0]["name"], "Rust night");
    assert_spec_ok(&fake);

    let _ = stop.send(());
    bot.join().expect("bot thread").expect("bot ended cleanly");
}

/// Whether a request is the callback of `interaction`.
fn callback_of(interaction: &str) -> impl Fn(&Recorded) -> bool {
    let prefix = format!("/interactions/{interaction}/");
    move |r| r.route().starts_with(&prefix)
}

/// A whole minute about `hours` from now: serenity writes milliseconds, and whole seconds make
/// the round trip exact.
fn in_hours(hours: i64) -> DateTime<Utc> {
    let secs = Utc::now().timestamp() + hours * 3600;
    DateTime::from_timestamp(secs - secs.rem_euclid(60), 0).expect("time")
}

/// The Events tab as crier keeps it: create, list with the interested counts, edit, cancel,
/// delete, each answer parsed as serenity's `ScheduledEvent` and in the spec's shape.
#[tokio::test]
async fn scheduled_events_round_trip_through_serenity() {
    let fake = FakeDiscord::start();
    let http = http(&fake);
    let guild = GuildId::new(id(GUILD_ID));
    let start = in_hours(48);
    let create = CreateScheduledEvent::new(ScheduledEventType::External, "Rust meetup", start)
        .location("Library, room 2")
        .end_time(start + TimeDelta::minutes(150))
        .description("Talks and pizza");
    let created = guild
        .create_scheduled_event(&http, create)
        .await
        .expect("create");
    assert_eq!(
        (created.name.as_str(), created.start_time),
        ("Rust meetup", Timestamp::from(start))
    );
    assert_eq!(created.status, ScheduledEventStatus::Scheduled);
    assert_eq!(created.creator_id, Some(UserId::new(id(BOT_USER_ID))));
    assert_eq!(created.user_count, None, "only with_user_count=true has it");

    let stored = fake.scheduled_events();
    if openapi::unavailable().is_none() {
        let schema = "ExternalScheduledEventResponse";
        openapi::check_schema(schema, &stored[0]).unwrap_or_else(|e| panic!("{e}"));
        let mut bad = stored[0].clone();
        bad["status"] = json!(9);
        assert!(openapi::check_schema(schema, &bad).is_err(), "status 9");
    }

    // Serenity writes the query as `?&with_user_count=true`.
    fake.set_user_count(&created.id.to_string(), 7);
    let listed = guild.scheduled_events(&http, true).await.expect("list");
    assert_eq!((listed[0].id, listed[0].user_count), (created.id, Some(7)));

    let cancel = EditScheduledEvent::new()
        .name("Rust meetup (called off)")
        .status(ScheduledEventStatus::Canceled);
    let edited = guild.edit_scheduled_event(&http, created.id, cancel).await;
    let edited = edited.expect("edit");
    assert_eq!(edited.status, ScheduledEventStatus::Canceled);
    assert_eq!(edited.start_time, created.start_time, "the rest is kept");
    guild
        .delete_scheduled_event(&http, created.id)
        .await
        .expect("delete");
    assert!(fake.scheduled_events().is_empty());
    assert_spec_ok(&fake);
}

#[test]
fn the_openapi_check_can_fail() {
    if let Some(reason) = openapi::unavailable() {
        eprintln!("skipping the OpenAPI checks: {reason}");
        return;
    }
    let post = "/api/v10/channels/333333333333333333/messages";
    openapi::check_request(
        "POST",
        post,
        Some(&json!({"content": "hi", "embeds": [{"title": "ok"}]})),
    )
    .expect("a valid body passes");
    let long_title = json!({"embeds": [{"title": "t".repeat(300)}]});
    let err = openapi::check_request("POST", post, Some(&long_title)).expect_err("title over 256");
    assert!(err.contains("/embeds/0/title"), "{err}");
    let err = openapi::check_request("POST", post, Some(&json!({"content": 5})))
        .expect_err("content must be a string");
    assert!(err.contains("/content"), "{err}");
    assert!(
        openapi::check_request("POST", post, None).is_err(),
        "the body is required"
    );
    assert!(
        openapi::check_request("PUT", post, None).is_err(),
        "no such operation"
    );
    assert!(openapi::check_request("GET", "/api/v10/no/such/route", None).is_err());
    let crosspost = "/api/v10/channels/1/messages/2/crosspost";
    assert!(
        openapi::check_request("POST", crosspost, Some(&json!({"x": 1}))).is_err(),
        "takes no body"
    );
    assert_eq!(
        openapi::find_template("/api/v10/webhooks/1/t/messages/@original?&x=1"),
        Some("/webhooks/{webhook_id}/{webhook_token}/messages/@original")
    );

    // A union reports the branch the body meant (by its `type`) and that branch's own errors.
    let callback = "/api/v10/interactions/1/t/callback";
    let bad_reply = json!({"type": 4, "data": {"embeds": [{"title": "t".repeat(300)}]}});
    let err =
        openapi::check_request("POST", callback, Some(&bad_reply)).expect_err("title over 256");
    assert!(
        err.contains("at '/data/embeds/0/title'") && err.contains("longer than 256"),
        "{err}"
    );

    // The quirks are narrow: they accept what serenity sends and nothing else.
    let commands = "/api/v10/applications/1/commands";
    let command = |perms: Value| json!([{"name": "a", "description": "d", "default_member_permissions": perms}]);
    assert!(openapi::check_request("PUT", commands, Some(&command(json!("8589934592")))).is_ok());
    assert!(
        openapi::check_request("PUT", commands, Some(&command(json!("MANAGE_EVENTS")))).is_err()
    );
    assert!(openapi::check_request(
        "PUT",
        commands,
        Some(&command(json!("99999999999999999999")))
    )
    .is_err());
    let upload =
        |id: Value| json!({"content": "f", "attachments": [{"id": id, "filename": "a.txt"}]});
    assert!(openapi::check_request("POST", post, Some(&upload(json!(0)))).is_ok());
    assert!(openapi::check_request("POST", post, Some(&upload(json!("x")))).is_err());
}
