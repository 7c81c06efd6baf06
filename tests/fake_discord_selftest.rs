//! Tests of the fake Discord itself, with serenity's own types and client.
//!
//! Serenity drops a gateway payload it cannot parse with only a DEBUG log (it becomes
//! `Event::Unknown`), and a REST answer it cannot parse fails the bot's call. So every payload the
//! fake sends is parsed here by serenity: REST answers through serenity's `Http` pointed at the fake,
//! gateway frames with `GatewayEvent`, and the whole path with a real serenity `Client`. The OpenAPI
//! checker is proved able to both pass serenity's bodies and fail a bad one.

mod support;

use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use serenity::all::{
    ApplicationId, Channel, ChannelId, ChannelType, Client, ClientBuilder, CommandOptionType,
    Context, CreateActionRow, CreateAttachment, CreateAutocompleteResponse, CreateButton,
    CreateCommand, CreateCommandOption, CreateEmbed, CreateEmbedFooter, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    CreateScheduledEvent, EditInteractionResponse, EditMessage, EditScheduledEvent, Event,
    EventHandler, GatewayEvent, GatewayIntents, GuildId, Http, HttpBuilder, Interaction,
    InteractionId, MessageFlags, MessageId, Nonce, Permissions, Ready, RoleId, ScheduledEvent,
    ScheduledEventId, ScheduledEventPrivacyLevel, ScheduledEventStatus, ScheduledEventType,
    Timestamp, UserId,
};
use support::fake_discord::*;
use support::openapi;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const WAIT: Duration = Duration::from_secs(10);

/// Serenity's REST client pointed at the fake; the application id is what a client learns from READY.
fn http(fake: &FakeDiscord, token: &str) -> Http {
    HttpBuilder::new(token)
        .proxy(fake.api_url())
        .ratelimiter_disabled(true)
        .application_id(ApplicationId::new(id(APP_ID)))
        .build()
}

fn id(s: &str) -> u64 {
    s.parse().expect("snowflake")
}

/// The status and Discord error code of a failed request.
fn discord_error(result: Result<impl std::fmt::Debug, serenity::Error>) -> (u16, isize) {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))) => {
            (e.status_code.as_u16(), e.error.code)
        }
        other => panic!("expected a Discord error, got {other:?}"),
    }
}

/// The status, Discord error code and the paths in Discord's `errors` object (serenity flattens
/// them to `entity_metadata.location` and the like) of a failed request.
fn form_errors(result: Result<impl std::fmt::Debug, serenity::Error>) -> (u16, isize, Vec<String>) {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))) => {
            let paths = e.error.errors.iter().map(|e| e.path.clone()).collect();
            (e.status_code.as_u16(), e.error.code, paths)
        }
        other => panic!("expected a Discord error, got {other:?}"),
    }
}

/// Prints why a test that needs the spec is skipped; true when it is.
fn spec_missing() -> bool {
    match openapi::unavailable() {
        Some(reason) => {
            eprintln!("skipping the OpenAPI checks: {reason}");
            true
        }
        None => false,
    }
}

fn assert_spec_ok(fake: &FakeDiscord) {
    if !spec_missing() {
        let problems = openapi::check_all(&fake.requests());
        assert!(
            problems.is_empty(),
            "requests the spec refuses:\n{}",
            problems.join("\n")
        );
    }
}

#[tokio::test]
async fn rest_answers_parse_as_serenity_types() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let (guild, channel, news) = (
        GuildId::new(id(GUILD_ID)),
        ChannelId::new(id(CHANNEL_ID)),
        ChannelId::new(id(ANNOUNCE_CHANNEL_ID)),
    );

    assert_eq!(
        http.get_gateway().await.expect("gateway").url,
        fake.ws_url()
    );
    assert_eq!(http.get_bot_gateway().await.expect("gateway/bot").shards, 1);
    let app = http
        .get_current_application_info()
        .await
        .expect("application");
    assert_eq!(app.owner.expect("owner").id, UserId::new(id(OWNER_ID)));
    assert!(http.get_current_user().await.expect("users/@me").bot);

    match http.get_channel(channel).await.expect("channel") {
        Channel::Guild(c) => assert_eq!((c.kind, c.guild_id), (ChannelType::Text, guild)),
        other => panic!("not a guild channel: {other:?}"),
    }
    match http.get_channel(news).await.expect("news channel") {
        Channel::Guild(c) => assert_eq!(c.kind, ChannelType::News),
        other => panic!("not a guild channel: {other:?}"),
    }
    let missing = http
        .get_channel(ChannelId::new(id(MISSING_CHANNEL_ID)))
        .await;
    assert_eq!(discord_error(missing), (404, 10003));

    let partial = http.get_guild(guild).await.expect("guild");
    let bot_role = &partial.roles[&RoleId::new(id(BOT_ROLE_ID))];
    assert_eq!(bot_role.permissions.bits(), default_bot_permissions());
    assert_eq!(http.get_guild_roles(guild).await.expect("roles").len(), 2);
    let member = http
        .get_member(guild, UserId::new(id(BOT_USER_ID)))
        .await
        .expect("member");
    assert_eq!(member.roles, vec![RoleId::new(id(BOT_ROLE_ID))]);

    // The kind of body poise sends: null limits on options, permissions as a string of digits.
    let commands = vec![CreateCommand::new("announce")
        .description("Announces")
        .default_member_permissions(Permissions::MANAGE_EVENTS)
        .add_option(
            CreateCommandOption::new(CommandOptionType::String, "text", "what to say")
                .required(true),
        )
        .add_option(
            CreateCommandOption::new(CommandOptionType::Channel, "where", "where to say it")
                .channel_types(vec![ChannelType::Text, ChannelType::News]),
        )];
    let global = http
        .create_global_commands(&commands)
        .await
        .expect("global commands");
    let in_guild = http
        .create_guild_commands(guild, &commands)
        .await
        .expect("guild commands");
    assert_eq!(
        global[0].id, in_guild[0].id,
        "one id per name, so `slash` can send it"
    );
    assert_eq!(in_guild[0].guild_id, Some(guild));

    let button = CreateActionRow::Buttons(vec![CreateButton::new("rsvp").label("RSVP")]);
    let embed = CreateEmbed::new()
        .title("Meetup")
        .description("Tuesday")
        .field("Where", "Room 1", true);
    let create = CreateMessage::new()
        .content("hello")
        .embed(embed.footer(CreateEmbedFooter::new("see you")))
        .components(vec![button]);
    let sent = channel.send_message(&http, create).await.expect("message");
    assert_eq!(
        (sent.content.as_str(), sent.embeds[0].fields.len()),
        ("hello", 1)
    );
    assert_eq!(sent.components.len(), 1, "components are echoed");
    let upload = CreateAttachment::bytes(b"agenda".to_vec(), "agenda.txt");
    let with_file = CreateMessage::new().content("file").add_file(upload);
    channel
        .send_message(&http, with_file)
        .await
        .expect("multipart");
    let multipart = fake.wait_for(WAIT, |r| {
        r.header("content-type")
            .is_some_and(|c| c.starts_with("multipart/"))
    });
    assert_eq!(
        multipart.expect("recorded").body.expect("payload_json")["content"],
        "file"
    );
    let edited = channel
        .edit_message(&http, sent.id, EditMessage::new().content("edited"))
        .await;
    assert_eq!(edited.expect("edit").content, "edited");
    let doomed = channel.say(&http, "cancelled").await.expect("post");
    channel
        .delete_message(&http, doomed.id)
        .await
        .expect("delete");
    let gone = http.get_message(channel, doomed.id).await;
    assert_eq!(discord_error(gone), (404, 10008));

    let announced = news.say(&http, "big news").await.expect("post in news");
    let crossposted = http
        .crosspost_message(news, announced.id)
        .await
        .expect("crosspost");
    assert!(crossposted
        .flags
        .expect("flags")
        .contains(MessageFlags::CROSSPOSTED));
    assert_eq!(
        discord_error(http.crosspost_message(channel, sent.id).await),
        (400, 50024)
    );
    assert_eq!(
        discord_error(http.get_message(channel, MessageId::new(5)).await),
        (404, 10008)
    );
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

/// The next frame; a close frame comes back as `{"close": code}`.
async fn recv(ws: &mut Ws) -> Value {
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("a frame in time");
        match msg.expect("socket open").expect("frame") {
            WsMessage::Text(text) => return serde_json::from_str(&text).expect("JSON frame"),
            WsMessage::Close(frame) => return json!({"close": frame.map(|f| u16::from(f.code))}),
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

fn identify(token: &str) -> Value {
    json!({"op": 2, "d": {"token": token, "intents": 1, "properties": {}, "compress": true}})
}

#[tokio::test]
async fn gateway_frames_parse_as_serenity_events() {
    let fake = FakeDiscord::start();
    let mut ws = connect(&fake).await;
    assert!(matches!(
        parse(&recv(&mut ws).await),
        GatewayEvent::Hello(41250)
    ));
    send(&mut ws, identify("Bot fake-token")).await;
    let ready = match parse(&recv(&mut ws).await) {
        GatewayEvent::Dispatch(1, Event::Ready(e)) => e.ready,
        other => panic!("not READY: {other:?}"),
    };
    assert_eq!(
        (ready.session_id.as_str(), ready.resume_gateway_url),
        ("session-1", fake.ws_url())
    );
    assert_eq!(ready.application.id.get(), id(APP_ID));
    send(&mut ws, json!({"op": 1, "d": 1})).await;
    assert!(matches!(
        parse(&recv(&mut ws).await),
        GatewayEvent::HeartbeatAck
    ));

    let options = json!([{"name": "meetup", "type": 1, "options": [
        {"name": "where", "type": 7, "value": CHANNEL_ID},
        {"name": "who", "type": 6, "value": OWNER_ID},
        {"name": "role", "type": 8, "value": BOT_ROLE_ID}]}]);
    let slash = fake.slash("announce", options);
    match parse(&recv(&mut ws).await) {
        GatewayEvent::Dispatch(2, Event::InteractionCreate(e)) => {
            let Interaction::Command(c) = e.interaction else {
                panic!("not a command")
            };
            assert_eq!(
                (c.id.to_string(), c.data.name.as_str()),
                (slash, "announce")
            );
            assert_eq!(
                c.user.id.get(),
                id(OWNER_ID),
                "member.user becomes the user"
            );
            assert!(
                c.member.and_then(|m| m.permissions).is_some(),
                "poise needs member.permissions"
            );
            assert_eq!(
                c.app_permissions.expect("app_permissions").bits(),
                default_bot_permissions()
            );
            assert_eq!(c.data.resolved.channels.len(), 1);
            assert_eq!(
                (c.data.resolved.users.len(), c.data.resolved.roles.len()),
                (1, 1)
            );
        }
        other => panic!("not INTERACTION_CREATE: {other:?}"),
    }
    fake.autocomplete(
        "announce",
        json!([{"name": "text", "type": 3, "value": "he", "focused": true}]),
    );
    match parse(&recv(&mut ws).await) {
        GatewayEvent::Dispatch(3, Event::InteractionCreate(e)) => {
            let Interaction::Autocomplete(c) = e.interaction else {
                panic!("not autocomplete")
            };
            assert_eq!(c.data.autocomplete().expect("focused").value, "he");
        }
        other => panic!("not INTERACTION_CREATE: {other:?}"),
    }
    fake.click("rsvp", "800000000000000042");
    match parse(&recv(&mut ws).await) {
        GatewayEvent::Dispatch(4, Event::InteractionCreate(e)) => {
            let Interaction::Component(c) = e.interaction else {
                panic!("not a component")
            };
            assert_eq!(
                (c.data.custom_id.as_str(), c.message.id.get()),
                ("rsvp", 800000000000000042)
            );
        }
        other => panic!("not INTERACTION_CREATE: {other:?}"),
    }

    // Like Discord, a RESUME replays what the client missed before RESUMED; what the test sends
    // while no session is live follows RESUMED.
    let missed = fake.slash("ping", json!([]));
    assert_eq!(recv(&mut ws).await["s"], 5, "sent, and lost by the client");
    fake.drop_socket();
    let end = tokio::time::timeout(WAIT, ws.next())
        .await
        .expect("dropped in time");
    assert!(
        matches!(end, None | Some(Err(_))),
        "no close frame: {end:?}"
    );
    let queued = fake.slash("ping", json!([]));
    let mut ws = connect(&fake).await;
    recv(&mut ws).await; // HELLO
    let resume =
        json!({"op": 6, "d": {"token": "Bot fake-token", "session_id": "session-1", "seq": 4}});
    send(&mut ws, resume).await;
    let interaction_id = |event| match event {
        GatewayEvent::Dispatch(s, Event::InteractionCreate(e)) => {
            (s, e.interaction.id().to_string())
        }
        other => panic!("not INTERACTION_CREATE: {other:?}"),
    };
    assert_eq!(interaction_id(parse(&recv(&mut ws).await)), (5, missed));
    let resumed = parse(&recv(&mut ws).await);
    assert!(
        matches!(resumed, GatewayEvent::Dispatch(6, Event::Resumed(_))),
        "{resumed:?}"
    );
    assert_eq!(interaction_id(parse(&recv(&mut ws).await)), (7, queued));
    send(
        &mut ws,
        json!({"op": 6, "d": {"token": "Bot fake-token", "session_id": "stale", "seq": 4}}),
    )
    .await;
    assert!(matches!(
        parse(&recv(&mut ws).await),
        GatewayEvent::InvalidateSession(false)
    ));
    fake.close(4000);
    assert_eq!(recv(&mut ws).await["close"], 4000);

    let mut ws = connect(&fake).await;
    recv(&mut ws).await; // HELLO
    send(&mut ws, identify("Bot wrong-token")).await;
    assert_eq!(recv(&mut ws).await["close"], 4004);
    let ops: Vec<u64> = fake
        .gateway_log()
        .iter()
        .filter_map(|f| f["op"].as_u64())
        .collect();
    assert_eq!(
        ops,
        [2, 1, 6, 6, 2],
        "IDENTIFY, HEARTBEAT, RESUME, stale RESUME, IDENTIFY"
    );
    assert_eq!(
        fake.wait_for_frame(WAIT, 2).expect("first IDENTIFY")["d"]["token"],
        "Bot fake-token"
    );
    assert_eq!(
        fake.wait_for_frame(WAIT, 2).expect("second IDENTIFY")["d"]["token"],
        "Bot wrong-token"
    );
    assert!(fake.wait_for_frame(Duration::from_millis(50), 2).is_none());
}

#[tokio::test]
async fn interaction_replies_follow_discord_rules() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let slash = fake.slash("ping", json!([]));
    let (iid, token) = (InteractionId::new(id(&slash)), format!("itoken-{slash}"));
    let reply =
        CreateInteractionResponse::Message(CreateInteractionResponseMessage::new().content("pong"));
    http.create_interaction_response(iid, &token, &reply, vec![])
        .await
        .expect("callback");
    let again = http
        .create_interaction_response(iid, &token, &reply, vec![])
        .await;
    assert_eq!(discord_error(again), (400, 40060));
    assert_eq!(fake.callbacks(&slash).len(), 2);
    assert_eq!(
        fake.callbacks(&slash)[0].body.as_ref().expect("body")["type"],
        4
    );

    let original = http.get_original_interaction_response(&token).await;
    assert_eq!(original.expect("@original").content, "pong");
    let edit = EditInteractionResponse::new().content("pong!");
    let edited = http
        .edit_original_interaction_response(&token, &edit, vec![])
        .await;
    assert_eq!(edited.expect("edit @original").content, "pong!");
    let followup = CreateInteractionResponseFollowup::new()
        .content("more")
        .ephemeral(true);
    let more = http
        .create_followup_message(&token, &followup, vec![])
        .await;
    assert_eq!(more.expect("followup").channel_id.get(), id(CHANNEL_ID));

    // A deferred reply shows as loading until edited.
    let deferred = fake.slash("ping", json!([]));
    let defer =
        CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
    let token = format!("itoken-{deferred}");
    http.create_interaction_response(InteractionId::new(id(&deferred)), &token, &defer, vec![])
        .await
        .expect("defer");
    let loading = http
        .get_original_interaction_response(&token)
        .await
        .expect("loading");
    assert!(loading
        .flags
        .expect("flags")
        .contains(MessageFlags::LOADING));
    http.edit_original_interaction_response(&token, &edit, vec![])
        .await
        .expect("edit deferred");

    let typed = fake.autocomplete(
        "announce",
        json!([{"name": "text", "type": 3, "value": "me", "focused": true}]),
    );
    let choices = CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().add_string_choice("meetup", "m-1"),
    );
    let token = format!("itoken-{typed}");
    http.create_interaction_response(InteractionId::new(id(&typed)), &token, &choices, vec![])
        .await
        .expect("choices");

    // A button click's UPDATE_MESSAGE edits the message that carried the button.
    let posted = ChannelId::new(id(CHANNEL_ID))
        .say(&http, "rsvp here")
        .await
        .expect("post");
    let clicked = fake.click("rsvp", &posted.id.to_string());
    let update = CreateInteractionResponse::UpdateMessage(
        CreateInteractionResponseMessage::new().content("3 going"),
    );
    let token = format!("itoken-{clicked}");
    http.create_interaction_response(InteractionId::new(id(&clicked)), &token, &update, vec![])
        .await
        .expect("update");
    let now = http
        .get_message(posted.channel_id, posted.id)
        .await
        .expect("message");
    assert_eq!(now.content, "3 going");
    let unknown = http.get_original_interaction_response("itoken-0").await;
    assert_eq!(discord_error(unknown), (404, 10015));

    fake.set_interaction_deadline(Duration::ZERO);
    let late = fake.slash("ping", json!([]));
    let late_id = InteractionId::new(id(&late));
    let late_token = format!("itoken-{late}");
    let late_reply = http.create_interaction_response(late_id, &late_token, &reply, vec![]);
    assert_eq!(discord_error(late_reply.await), (404, 10062));
    assert_spec_ok(&fake);
}

#[tokio::test]
async fn faults_nonces_permissions_and_auth() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let channel = ChannelId::new(id(CHANNEL_ID));

    fake.queue_fault(
        "POST",
        "/messages",
        429,
        &[("retry-after", "1.5")],
        json!({"code": 0, "message": "You are being rate limited.", "retry_after": 1.5}),
    );
    fake.queue_fault(
        "POST",
        "/messages",
        500,
        &[],
        json!({"code": 0, "message": "internal"}),
    );
    assert_eq!(discord_error(channel.say(&http, "a").await), (429, 0));
    assert_eq!(discord_error(channel.say(&http, "b").await), (500, 0));
    channel.say(&http, "c").await.expect("faults are one-shot");

    let with_nonce = || {
        CreateMessage::new()
            .content("once")
            .nonce(Nonce::String("n-1".into()))
            .enforce_nonce(true)
    };
    let first = channel
        .send_message(&http, with_nonce())
        .await
        .expect("first");
    let second = channel
        .send_message(&http, with_nonce())
        .await
        .expect("repeat");
    assert_eq!(
        first.id, second.id,
        "a repeated enforced nonce returns the first message"
    );
    assert_eq!(
        fake.count(|r| r.matches("POST", "/messages")
            && r.body.as_ref().is_some_and(|b| b["nonce"] == "n-1")),
        2
    );

    // Serenity's builders refuse this already; the raw body shows the fake refuses it too.
    let too_long = json!({"content": "x".repeat(2001)});
    let refused = http.send_message(channel, vec![], &too_long).await;
    assert_eq!(discord_error(refused), (400, 50035));
    fake.set_bot_permissions(Permissions::VIEW_CHANNEL.bits());
    assert_eq!(discord_error(channel.say(&http, "d").await), (403, 50013));
    fake.set_bot_permissions(0);
    assert_eq!(discord_error(channel.say(&http, "e").await), (403, 50001));

    let stranger = self::http(&fake, "other-token");
    assert_eq!(discord_error(stranger.get_current_user().await), (401, 0));
    let unknown = http.get_guild(GuildId::new(9)).await;
    assert_eq!(discord_error(unknown), (404, 10004));
    let recorded = fake
        .wait_for(WAIT, |r| r.path.ends_with("/guilds/9"))
        .expect("recorded");
    assert_eq!(recorded.header("authorization"), Some("Bot fake-token"));
    assert!(recorded.at <= std::time::Instant::now());
}

/// A minimal serenity client: on READY it posts a message; it answers every slash command.
struct Handler {
    events: mpsc::Sender<String>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let sent = ChannelId::new(id(CHANNEL_ID))
            .say(&ctx.http, "hello from the selftest")
            .await;
        let _ = self.events.send(format!(
            "ready as {}: {:?}",
            ready.user.id,
            sent.map(|m| m.content)
        ));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Interaction::Command(command) = interaction {
            let reply = CreateInteractionResponseMessage::new().content("pong");
            let result = command
                .create_response(&ctx.http, CreateInteractionResponse::Message(reply))
                .await;
            let _ = self.events.send(format!("replied: {result:?}"));
        }
    }
}

#[test]
fn a_serenity_client_runs_against_the_fake() {
    let fake = FakeDiscord::start();
    let (events, received) = mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let api_url = fake.api_url();
    // The client gets its own runtime, so this thread can block on the fake without starving it.
    let client = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let http = HttpBuilder::new("fake-token")
                .proxy(api_url)
                .ratelimiter_disabled(true)
                .build();
            let mut client: Client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
                .event_handler(Handler { events })
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

    let ready = received
        .recv_timeout(WAIT)
        .expect("READY reached the handler");
    assert_eq!(
        ready,
        format!("ready as {BOT_USER_ID}: Ok(\"hello from the selftest\")")
    );
    let identify = fake.wait_for_frame(WAIT, 2).expect("IDENTIFY");
    assert_eq!(identify["d"]["token"], "Bot fake-token");
    let post = fake
        .wait_for(WAIT, |r| {
            r.matches("POST", &format!("/channels/{CHANNEL_ID}/messages"))
        })
        .expect("the message was posted");
    assert_eq!(
        post.body.as_ref().expect("body")["content"],
        "hello from the selftest"
    );
    if !spec_missing() {
        openapi::check_request(&post.method, &post.path, post.body.as_ref())
            .expect("spec accepts the post");
    }

    let slash = fake.slash("ping", json!([]));
    assert_eq!(
        received.recv_timeout(WAIT).expect("slash handled"),
        "replied: Ok(())"
    );
    assert_eq!(fake.callbacks(&slash).len(), 1);

    // A dropped socket makes serenity RESUME, and dispatches reach the resumed session.
    fake.drop_socket();
    let resume = fake.wait_for_frame(WAIT, 6).expect("RESUME");
    assert_eq!(resume["d"]["session_id"], "session-1");
    fake.slash("ping", json!([]));
    assert_eq!(
        received.recv_timeout(WAIT).expect("slash after resume"),
        "replied: Ok(())"
    );
    assert_spec_ok(&fake);

    let _ = stop.send(());
    client
        .join()
        .expect("client thread")
        .expect("client ended cleanly");
}

type PoiseError = Box<dyn std::error::Error + Send + Sync>;
type PoiseContext<'a> = poise::Context<'a, (), PoiseError>;

// The permission checks make poise read `member.permissions` and `app_permissions`, which it
// `expect()`s; the doc comment is the command's description.
/// Replies with the channel it got.
#[poise::command(
    slash_command,
    required_permissions = "MANAGE_EVENTS",
    required_bot_permissions = "SEND_MESSAGES"
)]
async fn where_to(
    ctx: PoiseContext<'_>,
    #[description = "where"] channel: serenity::all::GuildChannel,
    #[description = "which event"]
    #[autocomplete = "events"]
    event: Option<String>,
) -> Result<(), PoiseError> {
    ctx.defer().await?;
    ctx.say(format!(
        "{} in #{}",
        event.unwrap_or_default(),
        channel.name
    ))
    .await?;
    Ok(())
}

async fn events(_ctx: PoiseContext<'_>, typed: &str) -> CreateAutocompleteResponse {
    CreateAutocompleteResponse::new().add_string_choice(format!("{typed}up"), "m-1")
}

/// Poise, as crier uses it: startup calls, registration, a deferred reply and autocomplete.
#[test]
fn a_poise_bot_runs_against_the_fake() {
    let fake = FakeDiscord::start();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let api_url = fake.api_url();
    let bot = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let http = HttpBuilder::new("fake-token")
                .proxy(api_url)
                .ratelimiter_disabled(true)
                .build();
            let options = poise::FrameworkOptions {
                commands: vec![where_to()],
                ..Default::default()
            };
            let framework = poise::Framework::builder()
                .options(options)
                .setup(|ctx, _ready, framework| {
                    Box::pin(async move {
                        let commands = &framework.options().commands;
                        poise::builtins::register_globally(ctx, commands).await?;
                        let guild = GuildId::new(id(GUILD_ID));
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
    let options = json!([{"name": "channel", "type": 7, "value": CHANNEL_ID},
                         {"name": "event", "type": 3, "value": "meet"}]);
    let slash = fake.slash("where_to", options);
    let followup = fake.wait_for(WAIT, |r| r.matches("POST", "/webhooks/"));
    let followup = followup
        .expect("a reply after the defer")
        .body
        .expect("body");
    assert_eq!(followup["content"], "meet in #general");
    assert_eq!(
        fake.callbacks(&slash)[0].body.as_ref().expect("body")["type"],
        5
    );

    let typed = json!([{"name": "event", "type": 3, "value": "meet", "focused": true}]);
    let typing = fake.autocomplete("where_to", typed);
    let wait = |r: &Recorded| r.route().starts_with(&format!("/interactions/{typing}/"));
    let choices = fake
        .wait_for(WAIT, wait)
        .expect("choices")
        .body
        .expect("body");
    assert_eq!(choices["data"]["choices"][0]["name"], "meetup");
    assert_spec_ok(&fake);

    let _ = stop.send(());
    bot.join().expect("bot thread").expect("bot ended cleanly");
}

#[test]
fn the_openapi_check_can_fail() {
    if spec_missing() {
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

// Guild scheduled events (the Events tab).

/// A whole minute about `hours` from now: serenity writes milliseconds, and whole seconds make
/// the round trip exact.
fn in_hours(hours: i64) -> DateTime<Utc> {
    let secs = Utc::now().timestamp() + hours * 3600;
    DateTime::from_timestamp(secs - secs.rem_euclid(60), 0).expect("time")
}

/// An external event two hours long, the kind crier creates.
fn meetup(name: &str, start: DateTime<Utc>) -> CreateScheduledEvent<'static> {
    CreateScheduledEvent::new(ScheduledEventType::External, name, start)
        .location("Library, room 2")
        .end_time(start + TimeDelta::hours(2))
}

fn event_id(event: &ScheduledEvent) -> String {
    event.id.get().to_string()
}

/// The fake's events pass the spec's schema for Discord's answer (skipped without the spec).
fn assert_events_match_spec(events: &[Value]) {
    if spec_missing() {
        return;
    }
    for event in events {
        openapi::check_schema("ExternalScheduledEventResponse", event)
            .unwrap_or_else(|e| panic!("{e}\n{event:#}"));
    }
}

#[tokio::test]
async fn scheduled_events_round_trip_through_serenity() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let guild = GuildId::new(id(GUILD_ID));
    let start = in_hours(48);
    let end = start + TimeDelta::minutes(150);

    let create = CreateScheduledEvent::new(ScheduledEventType::External, "Rust meetup", start)
        .location("Library, room 2")
        .end_time(end)
        .description("Talks and pizza");
    let created = guild
        .create_scheduled_event(&http, create)
        .await
        .expect("create");
    assert_eq!(created.guild_id, guild);
    assert_eq!(created.name, "Rust meetup");
    assert_eq!(created.description.as_deref(), Some("Talks and pizza"));
    assert_eq!(created.start_time, Timestamp::from(start));
    assert_eq!(created.end_time, Some(Timestamp::from(end)));
    assert_eq!(created.kind, ScheduledEventType::External);
    assert_eq!(created.status, ScheduledEventStatus::Scheduled);
    assert_eq!(created.privacy_level, ScheduledEventPrivacyLevel::GuildOnly);
    assert_eq!(created.channel_id, None);
    assert_eq!(created.entity_id, None);
    assert_eq!(created.creator_id, Some(UserId::new(id(BOT_USER_ID))));
    assert!(created.creator.as_ref().is_some_and(|u| u.bot));
    let location = created
        .metadata
        .as_ref()
        .and_then(|m| m.location.as_deref());
    assert_eq!(location, Some("Library, room 2"));
    assert_eq!(created.user_count, None, "only with_user_count=true has it");
    assert!(created.image.is_none());

    // What serenity sends: no channel_id, privacy_level 2, times with milliseconds and `Z`.
    let post = fake
        .wait_for(WAIT, |r| r.matches("POST", "/scheduled-events"))
        .expect("recorded");
    let body = post.body.expect("a JSON body");
    assert_eq!(body["entity_type"], 3);
    assert_eq!(body["privacy_level"], 2);
    assert!(body.get("channel_id").is_none(), "{body}");
    assert_eq!(
        body["entity_metadata"],
        json!({"location": "Library, room 2"})
    );
    let millis = start.to_rfc3339_opts(SecondsFormat::Millis, true);
    assert_eq!(body["scheduled_start_time"], millis.as_str());

    // Stored as Discord writes it, in the spec's shape, and the schema check can fail.
    let stored = fake.scheduled_events();
    assert_eq!(stored.len(), 1);
    let discord_start = start.format("%Y-%m-%dT%H:%M:%S+00:00").to_string();
    assert_eq!(stored[0]["scheduled_start_time"], discord_start.as_str());
    assert_events_match_spec(&stored);
    if !spec_missing() {
        let schema = "ExternalScheduledEventResponse";
        let mut bad = stored[0].clone();
        bad["status"] = json!(9);
        assert!(openapi::check_schema(schema, &bad).is_err(), "status 9");
        bad = stored[0].clone();
        bad.as_object_mut()
            .expect("object")
            .remove("entity_metadata");
        assert!(openapi::check_schema(schema, &bad).is_err(), "no metadata");
    }

    // user_count only when asked for; serenity writes the query as `?&with_user_count=true`.
    fake.set_user_count(&event_id(&created), 7);
    let listed = guild.scheduled_events(&http, true).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id, listed[0].user_count), (created.id, Some(7)));
    let get = fake
        .wait_for(WAIT, |r| r.matches("GET", "/scheduled-events"))
        .expect("recorded");
    assert_eq!(get.query, "&with_user_count=true");
    let listed = guild.scheduled_events(&http, false).await.expect("list");
    assert_eq!(listed[0].user_count, None);
    let one = guild
        .scheduled_event(&http, created.id, true)
        .await
        .expect("get one");
    assert_eq!(
        (one.name.as_str(), one.user_count),
        ("Rust meetup", Some(7))
    );

    // A plain `?with_user_count=true` works too; the raw answer is the spec's shape.
    let raw = |query: &'static str| {
        let url = format!(
            "{}/api/v10/guilds/{GUILD_ID}/scheduled-events{query}",
            fake.api_url()
        );
        async move {
            let answer = reqwest::Client::new()
                .get(url)
                .header("authorization", "Bot fake-token")
                .send()
                .await
                .expect("raw GET");
            assert_eq!(answer.status().as_u16(), 200);
            let text = answer.text().await.expect("body");
            serde_json::from_str::<Value>(&text).expect("JSON")
        }
    };
    let counted = raw("?with_user_count=true").await;
    assert_eq!(counted[0]["user_count"], 7);
    assert_events_match_spec(counted.as_array().expect("array"));
    let plain = raw("").await;
    assert!(plain[0].get("user_count").is_none(), "{plain}");

    // EditScheduledEvent sends only what was set: here `{"name": .., "status": 4}`.
    let edit = EditScheduledEvent::new()
        .name("Rust meetup (called off)")
        .status(ScheduledEventStatus::Canceled);
    let edited = guild
        .edit_scheduled_event(&http, created.id, edit)
        .await
        .expect("edit");
    assert_eq!(edited.name, "Rust meetup (called off)");
    assert_eq!(edited.status, ScheduledEventStatus::Canceled);
    assert_eq!(edited.start_time, created.start_time, "the rest is kept");
    assert_eq!(edited.description, created.description);
    let patch = fake
        .wait_for(WAIT, |r| r.matches("PATCH", "/scheduled-events/"))
        .expect("recorded");
    assert_eq!(
        patch.body,
        Some(json!({"name": "Rust meetup (called off)", "status": 4}))
    );

    // A cancelled event is final but still listed.
    let again = guild
        .edit_scheduled_event(&http, created.id, EditScheduledEvent::new().name("x"))
        .await;
    assert_eq!(discord_error(again), (400, 180000));
    let listed = guild.scheduled_events(&http, false).await.expect("list");
    assert_eq!(listed[0].status, ScheduledEventStatus::Canceled);
    assert_eq!(listed[0].name, "Rust meetup (called off)");

    guild
        .delete_scheduled_event(&http, created.id)
        .await
        .expect("delete");
    let delete = fake
        .wait_for(WAIT, |r| r.matches("DELETE", "/scheduled-events/"))
        .expect("recorded");
    assert_eq!(delete.body, None);
    assert!(fake.scheduled_events().is_empty());
    let twice = guild.delete_scheduled_event(&http, created.id).await;
    assert_eq!(discord_error(twice), (404, 10070));
    let gone = guild.scheduled_event(&http, created.id, false).await;
    assert_eq!(discord_error(gone), (404, 10070));
    let unknown = guild
        .edit_scheduled_event(&http, ScheduledEventId::new(5), EditScheduledEvent::new())
        .await;
    assert_eq!(discord_error(unknown), (404, 10070));

    // serenity takes any 2xx for a delete; Discord (and the fake) answer 204 with no body.
    let second = guild
        .create_scheduled_event(&http, meetup("Second", start))
        .await
        .expect("create");
    let url = format!(
        "{}/api/v10/guilds/{GUILD_ID}/scheduled-events/{}",
        fake.api_url(),
        event_id(&second)
    );
    let raw_delete = || {
        reqwest::Client::new()
            .delete(url.as_str())
            .header("authorization", "Bot fake-token")
            .send()
    };
    let answer = raw_delete().await.expect("raw DELETE");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(answer.text().await.expect("body"), "");
    let answer = raw_delete().await.expect("raw DELETE");
    assert_eq!(answer.status().as_u16(), 404);
    let body: Value = serde_json::from_str(&answer.text().await.expect("body")).expect("JSON");
    assert_eq!(body["code"], 10070);

    let elsewhere = GuildId::new(9);
    let listed = elsewhere.scheduled_events(&http, true).await;
    assert_eq!(discord_error(listed), (404, 10004));
    let created = elsewhere
        .create_scheduled_event(&http, meetup("x", start))
        .await;
    assert_eq!(discord_error(created), (404, 10004));
    assert_spec_ok(&fake);
}

#[tokio::test]
async fn scheduled_events_are_validated_like_discord() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let guild = GuildId::new(id(GUILD_ID));
    let start = in_hours(24);
    let refused = |result| {
        let (status, code, paths) = form_errors(result);
        assert_eq!((status, code), (400, 50035), "{paths:?}");
        paths
    };

    // Bodies the spec allows but Discord refuses.
    let past = meetup("Yesterday", in_hours(-24));
    let paths = refused(guild.create_scheduled_event(&http, past).await);
    assert_eq!(paths, ["scheduled_start_time"]);
    let backwards = meetup("Backwards", start).end_time(start - TimeDelta::hours(1));
    let paths = refused(guild.create_scheduled_event(&http, backwards).await);
    assert_eq!(paths, ["scheduled_end_time"]);
    let endless =
        CreateScheduledEvent::new(ScheduledEventType::External, "Endless", start).location("Park");
    let paths = refused(guild.create_scheduled_event(&http, endless).await);
    assert_eq!(paths, ["scheduled_end_time"]);
    let nameless = meetup("", start);
    let paths = refused(guild.create_scheduled_event(&http, nameless).await);
    assert_eq!(paths, ["name"]);
    let in_channel = meetup("In a channel", start).channel_id(ChannelId::new(id(CHANNEL_ID)));
    let paths = refused(guild.create_scheduled_event(&http, in_channel).await);
    assert_eq!(paths, ["channel_id"]);
    let no_place = CreateScheduledEvent::new(ScheduledEventType::External, "Nowhere", start)
        .location("")
        .end_time(start + TimeDelta::hours(1));
    let paths = refused(guild.create_scheduled_event(&http, no_place).await);
    assert_eq!(paths, ["entity_metadata.location"]);
    assert!(
        fake.scheduled_events().is_empty(),
        "nothing refused was kept"
    );

    // On PATCH the start may not move into the past, but an unchanged one may be sent again.
    let event = guild
        .create_scheduled_event(&http, meetup("Meetup", start))
        .await
        .expect("create");
    let to_past = EditScheduledEvent::new().start_time(in_hours(-1));
    let paths = refused(guild.edit_scheduled_event(&http, event.id, to_past).await);
    assert_eq!(paths, ["scheduled_start_time"]);
    let same_start = EditScheduledEvent::new()
        .start_time(start)
        .location("Library, room 3")
        .kind(ScheduledEventType::External);
    let edited = guild
        .edit_scheduled_event(&http, event.id, same_start)
        .await
        .expect("same start");
    let location = edited.metadata.and_then(|m| m.location);
    assert_eq!(location.as_deref(), Some("Library, room 3"));
    let later = EditScheduledEvent::new()
        .start_time(start + TimeDelta::hours(1))
        .end_time(start + TimeDelta::hours(4));
    let moved = guild
        .edit_scheduled_event(&http, event.id, later)
        .await
        .expect("later");
    assert_eq!(
        moved.start_time,
        Timestamp::from(start + TimeDelta::hours(1))
    );
    let too_early_end = EditScheduledEvent::new().end_time(start);
    let paths = refused(
        guild
            .edit_scheduled_event(&http, event.id, too_early_end)
            .await,
    );
    assert_eq!(paths, ["scheduled_end_time"]);
    // Scheduled can become active or cancelled, not completed.
    let completed = EditScheduledEvent::new().status(ScheduledEventStatus::Completed);
    let paths = refused(guild.edit_scheduled_event(&http, event.id, completed).await);
    assert_eq!(paths, ["status"]);
    let stored = fake.scheduled_event(&event_id(&event)).expect("kept");
    assert_eq!(stored["status"], 1);
    assert_eq!(stored["entity_metadata"]["location"], "Library, room 3");
    assert_events_match_spec(&[stored]);
    assert_spec_ok(&fake);

    // Bodies over the spec's limits: the fake refuses them, and so does the spec check.
    let fake = FakeDiscord::start();
    let http = self::http(&fake, fake.token());
    let body = |name: &str, description: &str, location: Option<&str>| {
        let mut body = json!({"name": name, "description": description, "privacy_level": 2,
            "entity_type": 3, "scheduled_start_time": start.to_rfc3339(),
            "scheduled_end_time": (start + TimeDelta::hours(1)).to_rfc3339()});
        if let Some(location) = location {
            body["entity_metadata"] = json!({"location": location});
        }
        body
    };
    let long = "x".repeat(101);
    let cases = [
        (body(&long, "", Some("here")), "name"),
        (body("a", &"d".repeat(1001), Some("here")), "description"),
        (body("a", "", Some(&long)), "entity_metadata.location"),
        (body("a", "", None), "entity_metadata"),
    ];
    for (body, path) in &cases {
        let paths = refused(http.create_scheduled_event(guild, body, None).await);
        assert_eq!(paths, [*path], "{body}");
    }
    assert!(fake.scheduled_events().is_empty());
    if !spec_missing() {
        let problems = openapi::check_all(&fake.requests());
        assert_eq!(problems.len(), cases.len(), "{problems:#?}");
    }
}

#[tokio::test]
async fn at_most_100_uncompleted_scheduled_events() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let guild = GuildId::new(id(GUILD_ID));
    let start = in_hours(72);
    // A completed event does not count; an active one does.
    fake.add_foreign_scheduled_event("Done", in_hours(-3), in_hours(-1), "Hall");
    fake.add_foreign_scheduled_event("Running", in_hours(-1), in_hours(1), "Hall");
    let mut ours = Vec::new();
    for n in 0..99 {
        let event = guild
            .create_scheduled_event(&http, meetup(&format!("Meetup {n}"), start))
            .await
            .unwrap_or_else(|e| panic!("event {n}: {e}"));
        ours.push(event.id);
    }
    let one_more = guild
        .create_scheduled_event(&http, meetup("One too many", start))
        .await;
    assert_eq!(discord_error(one_more), (400, 30038));
    assert_eq!(fake.scheduled_events().len(), 101);

    // Cancelling one makes room.
    let cancel = EditScheduledEvent::new().status(ScheduledEventStatus::Canceled);
    guild
        .edit_scheduled_event(&http, ours[0], cancel)
        .await
        .expect("cancel");
    guild
        .create_scheduled_event(&http, meetup("Now it fits", start))
        .await
        .expect("room after a cancel");
    let refused = guild
        .create_scheduled_event(&http, meetup("Again", start))
        .await;
    assert_eq!(discord_error(refused), (400, 30038));
    assert_eq!(
        fake.scheduled_events().len(),
        102,
        "cancelled ones are still listed"
    );
    assert_spec_ok(&fake);
}

#[tokio::test]
async fn scheduled_event_permissions_follow_discord() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let guild = GuildId::new(id(GUILD_ID));
    let start = in_hours(24);
    let foreign = fake.add_foreign_scheduled_event(
        "Members' picnic",
        start,
        start + TimeDelta::hours(3),
        "Park",
    );
    let foreign_id = ScheduledEventId::new(id(&foreign));
    let rename = |name: &str| EditScheduledEvent::new().name(name);

    // MANAGE_EVENTS alone no longer allows creating.
    fake.set_bot_permissions(Permissions::MANAGE_EVENTS.bits());
    let created = guild
        .create_scheduled_event(&http, meetup("Ours", start))
        .await;
    assert_eq!(discord_error(created), (403, 50013));
    assert_eq!(fake.scheduled_events().len(), 1);

    // CREATE_EVENTS: create, edit and delete its own, not anyone else's.
    fake.set_bot_permissions(Permissions::CREATE_EVENTS.bits());
    let ours = guild
        .create_scheduled_event(&http, meetup("Ours", start))
        .await
        .expect("create with CREATE_EVENTS");
    guild
        .edit_scheduled_event(&http, ours.id, rename("Ours, renamed"))
        .await
        .expect("edit own with CREATE_EVENTS");
    let theirs = guild
        .edit_scheduled_event(&http, foreign_id, rename("Hijacked"))
        .await;
    assert_eq!(discord_error(theirs), (403, 50013));
    let theirs = guild.delete_scheduled_event(&http, foreign_id).await;
    assert_eq!(discord_error(theirs), (403, 50013));
    let picnic = fake.scheduled_event(&foreign).expect("still there");
    assert_eq!(picnic["name"], "Members' picnic");
    assert_eq!(picnic["creator_id"], OWNER_ID);

    // No event permission: reading still works, editing its own does not.
    fake.set_bot_permissions(Permissions::VIEW_CHANNEL.bits());
    let listed = guild.scheduled_events(&http, false).await.expect("list");
    assert_eq!(listed.len(), 2);
    let own = guild
        .edit_scheduled_event(&http, ours.id, rename("Nope"))
        .await;
    assert_eq!(discord_error(own), (403, 50013));
    let own = guild.delete_scheduled_event(&http, ours.id).await;
    assert_eq!(discord_error(own), (403, 50013));

    // MANAGE_EVENTS: anyone's, and its own.
    fake.set_bot_permissions(Permissions::MANAGE_EVENTS.bits());
    let picnic = guild
        .edit_scheduled_event(&http, foreign_id, rename("Members' picnic (moved)"))
        .await
        .expect("edit foreign with MANAGE_EVENTS");
    assert_eq!(picnic.creator_id, Some(UserId::new(id(OWNER_ID))));
    guild
        .delete_scheduled_event(&http, ours.id)
        .await
        .expect("delete own with MANAGE_EVENTS");

    // ADMINISTRATOR grants everything.
    fake.set_bot_permissions(Permissions::ADMINISTRATOR.bits());
    guild
        .create_scheduled_event(&http, meetup("As admin", start))
        .await
        .expect("create as admin");
    assert_spec_ok(&fake);
}

#[tokio::test]
async fn scheduled_event_status_follows_the_clock() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let guild = GuildId::new(id(GUILD_ID));
    let done = fake.add_foreign_scheduled_event("Done", in_hours(-3), in_hours(-1), "Hall");
    let running = fake.add_foreign_scheduled_event("Running", in_hours(-1), in_hours(1), "Hall");
    let coming = fake.add_foreign_scheduled_event("Coming", in_hours(1), in_hours(2), "Hall");

    let statuses: Vec<_> = guild
        .scheduled_events(&http, false)
        .await
        .expect("list")
        .into_iter()
        .map(|e| (e.id.get().to_string(), e.status))
        .collect();
    let expected = [
        (done.clone(), ScheduledEventStatus::Completed),
        (running.clone(), ScheduledEventStatus::Active),
        (coming.clone(), ScheduledEventStatus::Scheduled),
    ];
    assert_eq!(statuses, expected);
    assert_events_match_spec(&fake.scheduled_events());

    let finished = guild
        .edit_scheduled_event(
            &http,
            ScheduledEventId::new(id(&done)),
            EditScheduledEvent::new().name("x"),
        )
        .await;
    assert_eq!(discord_error(finished), (400, 180000));
    // An active event can be completed, not cancelled.
    let running_id = ScheduledEventId::new(id(&running));
    let cancel = EditScheduledEvent::new().status(ScheduledEventStatus::Canceled);
    let (status, code, paths) =
        form_errors(guild.edit_scheduled_event(&http, running_id, cancel).await);
    assert_eq!(
        (status, code, paths),
        (400, 50035, vec!["status".to_owned()])
    );
    let complete = EditScheduledEvent::new().status(ScheduledEventStatus::Completed);
    let completed = guild
        .edit_scheduled_event(&http, running_id, complete)
        .await
        .expect("complete");
    assert_eq!(completed.status, ScheduledEventStatus::Completed);
    // A scheduled one can be started early.
    let start = EditScheduledEvent::new().status(ScheduledEventStatus::Active);
    let started = guild
        .edit_scheduled_event(&http, ScheduledEventId::new(id(&coming)), start)
        .await
        .expect("start");
    assert_eq!(started.status, ScheduledEventStatus::Active);
    let statuses: Vec<_> = fake
        .scheduled_events()
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(3), json!(3), json!(2)]);
    assert_spec_ok(&fake);
}

#[tokio::test]
async fn a_held_event_creation_still_happens_on_discord() {
    let fake = FakeDiscord::start();
    let http = http(&fake, fake.token());
    let guild = GuildId::new(id(GUILD_ID));
    let start = in_hours(24);

    fake.hold_next("POST", "/scheduled-events");
    let create = guild.create_scheduled_event(&http, meetup("Held", start));
    let answer = tokio::time::timeout(Duration::from_secs(2), create).await;
    assert!(
        answer.is_err(),
        "a held request is never answered: {answer:?}"
    );
    assert_eq!(fake.count(|r| r.matches("POST", "/scheduled-events")), 1);
    let events = fake.scheduled_events();
    assert_eq!(events.len(), 1, "Discord created it");
    assert_eq!(
        (&events[0]["name"], &events[0]["creator_id"]),
        (&json!("Held"), &json!(BOT_USER_ID))
    );
    // A restarted bot finds it by listing.
    let listed = guild.scheduled_events(&http, false).await.expect("list");
    assert_eq!(listed[0].name, "Held");

    // A held PATCH is applied too.
    fake.hold_next("PATCH", "/scheduled-events/");
    let rename = EditScheduledEvent::new().name("Held, renamed");
    let answer = tokio::time::timeout(
        Duration::from_secs(2),
        guild.edit_scheduled_event(&http, listed[0].id, rename),
    )
    .await;
    assert!(
        answer.is_err(),
        "a held request is never answered: {answer:?}"
    );
    let stored = fake.scheduled_event(&event_id(&listed[0])).expect("kept");
    assert_eq!(stored["name"], "Held, renamed");

    // A fault answers instead of Discord: nothing is created.
    fake.queue_fault(
        "POST",
        "/scheduled-events",
        500,
        &[],
        json!({"code": 0, "message": "internal"}),
    );
    let failed = guild
        .create_scheduled_event(&http, meetup("Faulted", start))
        .await;
    assert_eq!(discord_error(failed), (500, 0));
    assert_eq!(fake.scheduled_events().len(), 1);
    guild
        .create_scheduled_event(&http, meetup("After the fault", start))
        .await
        .expect("faults are one-shot");
    assert_eq!(fake.scheduled_events().len(), 2);
    assert_spec_ok(&fake);
}
