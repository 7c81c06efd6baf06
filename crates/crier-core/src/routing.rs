//! Routing: which channel (and with which rules) an event is announced in.
//!
//! A community with several groups or languages wants each event announced where its people are: Hebrew
//! talks in one channel, the online group's in another. The config lists `[[routes]]`, each a set of
//! match keys (`language`, `online`, `group`, `register`, `path`) and a destination (channel, role to
//! mention, reminder offsets, which kinds of posts). Everything here is pure: [`parse`] reads the routes
//! from the config's TOML value and [`Routes::route`] decides for one event, with no I/O, so both are
//! tested directly.
//!
//! The first route that matches wins, like a firewall or a mail filter. Routes are not scored against
//! each other: an event is announced in exactly one channel (never twice), and a person reading the
//! config can tell where an event goes by reading the list top to bottom, putting the specific routes
//! before the broad ones. An event no route takes goes to the default destination (`discord.channel_id`
//! with `discord.mention_role` and the global rules), and without one it is unroutable.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use globset::{GlobBuilder, GlobMatcher};

use crate::catalog::Event;
use crate::l10n::Choice;
use crate::schedule::Kind;

/// The keys that decide whether a route takes an event.
const MATCH_KEYS: &[&str] = &["language", "online", "group", "register", "path"];

/// The keys that say where and how a route's events are announced.
const DESTINATION_KEYS: &[&str] = &[
    "channel_id",
    "mention_role",
    "offsets",
    "new",
    "rescheduled",
    "cancelled",
    "recordings",
    "locale",
];

/// Which kinds of posts a destination gets. Reminders and the digest are not switched here: a route
/// turns reminders off with `offsets = []`, and the digest is one post for all events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posts {
    /// "New event".
    pub new: bool,
    pub rescheduled: bool,
    pub cancelled: bool,
    /// "Recording available".
    pub recordings: bool,
}

impl Default for Posts {
    fn default() -> Self {
        Posts {
            new: true,
            rescheduled: true,
            cancelled: true,
            recordings: true,
        }
    }
}

/// Where an event is announced, and with which rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub channel_id: u64,
    /// The role mentioned in this channel's posts. A route does not inherit `discord.mention_role`:
    /// the default channel's role is rarely the right one to ping in another group's channel.
    pub mention_role: Option<u64>,
    /// The reminder offsets for events sent here; `None` for the global ones. An event's own
    /// `reminders:` still win over these.
    pub offsets: Option<Vec<Duration>>,
    pub posts: Posts,
    /// Index (from 0) of the route in [`Routes`]; `None` for the default destination.
    pub route: Option<usize>,
    /// The language of this channel's posts (a route's `locale`); `None` for `[messages] locale`.
    pub locale: Option<Choice>,
}

impl Destination {
    /// A destination with the global rules: no offsets of its own, every kind of post.
    pub fn new(channel_id: u64, mention_role: Option<u64>) -> Destination {
        Destination {
            channel_id,
            mention_role,
            offsets: None,
            posts: Posts::default(),
            route: None,
            locale: None,
        }
    }

    /// Whether announcements of `kind` are posted here. Reminders and the digest always are.
    pub fn posts(&self, kind: Kind) -> bool {
        match kind {
            Kind::New => self.posts.new,
            Kind::Rescheduled => self.posts.rescheduled,
            Kind::Cancelled => self.posts.cancelled,
            Kind::Recording(_) => self.posts.recordings,
            Kind::Reminder(_) | Kind::Digest => true,
        }
    }
}

/// One `[[routes]]` entry: its match keys and where its events go.
#[derive(Debug, Clone)]
pub struct Route {
    language: Option<Names>,
    online: Option<bool>,
    group: Option<Names>,
    register: Option<Register>,
    path: Option<PathGlob>,
    destination: Destination,
    /// The match keys as written, for messages.
    description: String,
}

/// The names a `language` or `group` key lists.
#[derive(Debug, Clone)]
struct Names {
    /// As written (trimmed), for messages.
    written: Vec<String>,
    /// Lowercased, so matching ignores case: files write `Hebrew`, `hebrew` and `HE`.
    lowered: Vec<String>,
}

impl Names {
    fn contains(&self, value: &str) -> bool {
        self.lowered.contains(&value.trim().to_lowercase())
    }
}

/// A `register` prefix, kept as written (for messages) and normalised (for matching).
#[derive(Debug, Clone)]
struct Register {
    written: String,
    normalised: String,
}

#[derive(Debug, Clone)]
struct PathGlob {
    written: String,
    matcher: GlobMatcher,
}

impl Route {
    /// Where this route's events go.
    pub fn destination(&self) -> &Destination {
        &self.destination
    }

    /// The match keys as written, like `language = Hebrew, online = true`.
    pub fn describe(&self) -> &str {
        &self.description
    }

    /// Whether every match key the route gives holds for the event.
    fn matches(&self, event: &Event, relative_path: &str) -> bool {
        // A key the event does not have never matches: an event of no stated language is not a
        // Hebrew event, and guessing would post it where its audience is not.
        let listed = |wanted: &Option<Names>, value: &Option<String>| match wanted {
            None => true,
            Some(names) => value.as_deref().is_some_and(|v| names.contains(v)),
        };
        listed(&self.language, &event.language)
            && listed(&self.group, &event.group)
            && self
                .online
                .is_none_or(|online| event.online == Some(online))
            && self.register.as_ref().is_none_or(|prefix| {
                event
                    .register
                    .as_deref()
                    .is_some_and(|link| prefix.matches(link))
            })
            && self
                .path
                .as_ref()
                .is_none_or(|glob| glob.matcher.is_match(relative_path))
    }
}

impl Register {
    fn parse(text: &str) -> Option<Register> {
        let url = crate::text::web_url(text)?;
        Some(Register {
            written: text.trim().to_string(),
            normalised: without_default_path(&url),
        })
    }

    /// Whether `link` starts with the prefix, on whole path segments: `https://www.meetup.com/rust`
    /// takes `.../rust/events/1` but not `.../rust-tlv/events/1`, which is another group.
    fn matches(&self, link: &str) -> bool {
        // Both sides go through the URL parser so that `HTTPS://WWW.Meetup.com` and a default port do
        // not make a link miss its route; a link that does not parse is compared as written.
        let link = url::Url::parse(link.trim())
            .map_or_else(|_| link.trim().to_string(), |u| without_default_path(&u));
        let prefix = &self.normalised;
        if let Some(folder) = prefix.strip_suffix('/') {
            // `.../rust-tlv/` also takes the group's own page, `.../rust-tlv`.
            return link.starts_with(prefix.as_str()) || link == folder;
        }
        link.strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
    }
}

/// The URL as text, without the `/` the parser adds to a bare host, so `https://meetup.com` and
/// `https://meetup.com/` are the same prefix.
fn without_default_path(url: &url::Url) -> String {
    let text = url.as_str();
    if url.path() == "/" && url.query().is_none() && url.fragment().is_none() {
        text.trim_end_matches('/').to_string()
    } else {
        text.to_string()
    }
}

/// The routes in config order, and the default destination for events none of them takes.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    routes: Vec<Route>,
    default: Option<Destination>,
}

impl Routes {
    /// Each route's destination is told its index, and the default's is cleared, so a
    /// [`Destination::route`] always says where it came from.
    pub fn new(routes: Vec<Route>, default: Option<Destination>) -> Routes {
        let routes = routes
            .into_iter()
            .enumerate()
            .map(|(index, mut route)| {
                route.destination.route = Some(index);
                route
            })
            .collect();
        let default = default.map(|mut d| {
            d.route = None;
            d
        });
        Routes { routes, default }
    }

    /// Where `event` is announced: the first route that takes it, else the default, else `None`.
    /// `path` globs are matched on the event's file relative to `site_root`; a file outside it is
    /// matched on its path as given.
    pub fn route(&self, event: &Event, site_root: &Path) -> Option<&Destination> {
        let relative = relative_path(&event.source, site_root);
        self.routes
            .iter()
            .find(|route| route.matches(event, &relative))
            .map(|route| &route.destination)
            .or(self.default.as_ref())
    }

    /// Every destination crier may post to, routes first then the default, for the start-up
    /// permission checklist. Two routes to one channel give it twice, each naming its route; the
    /// caller checks each channel once.
    pub fn destinations(&self) -> impl Iterator<Item = &Destination> {
        self.routes
            .iter()
            .map(|route| &route.destination)
            .chain(self.default.as_ref())
    }

    /// The routes, in the order they are tried.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The destination of events no route takes.
    pub fn default_destination(&self) -> Option<&Destination> {
        self.default.as_ref()
    }

    /// A destination's origin for messages: `route 2 (language = Hebrew)` (counted from 1, as the
    /// routes are read in the file) or `the default channel`.
    pub fn describe(&self, route: Option<usize>) -> String {
        match route {
            None => "the default channel".to_string(),
            Some(index) => match self.routes.get(index) {
                Some(r) => format!("route {} ({})", index + 1, r.description),
                None => format!("route {}", index + 1),
            },
        }
    }

    /// No routes: every event goes to the default destination.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

/// The routes applied to one site, as the announcer and `crier schedule` use them.
#[derive(Debug, Clone, Default)]
pub struct Router {
    pub routes: Routes,
    /// Path globs are matched relative to this folder.
    pub site_root: std::path::PathBuf,
    /// An event no route takes goes to the sink's own destination (the console, which has one
    /// place to write to) instead of being held back. Off for Discord, where it would have no channel.
    pub fallback: bool,
}

/// Where one event goes, and the rules it is planned with.
#[derive(Debug, Clone, PartialEq)]
pub struct Routed {
    /// `None` when the sink's own destination is used (the console).
    pub destination: Option<Destination>,
    pub rules: crate::schedule::Rules,
}

impl Router {
    /// Every event to the sink's own destination, with the global rules: the console without routes.
    pub fn fallback() -> Router {
        Router {
            fallback: true,
            ..Router::default()
        }
    }

    /// The destination and rules for `event`, or `None` when it is listed but never announced.
    pub fn route(&self, event: &Event, global: &crate::schedule::Rules) -> Option<Routed> {
        match self.routes.route(event, &self.site_root) {
            Some(destination) => {
                let mut rules = global.clone();
                if let Some(offsets) = &destination.offsets {
                    rules.offsets.clone_from(offsets);
                }
                // `announce_new` stays global: a route with `new = false` has its "new" planned and
                // settled as skipped by the announcer, so it is never posted late after a re-route.
                Some(Routed {
                    destination: Some(destination.clone()),
                    rules,
                })
            }
            None if self.fallback => Some(Routed {
                destination: None,
                rules: global.clone(),
            }),
            None => None,
        }
    }

    /// Splits due announcements into those `routed` posts and those its route does not (as skips that
    /// name the route, so they are settled and never posted late after a re-route).
    pub fn hold_back(
        &self,
        routed: &Routed,
        due: Vec<crate::schedule::Due>,
    ) -> (Vec<crate::schedule::Due>, Vec<crate::schedule::Skip>) {
        let Some(destination) = &routed.destination else {
            return (due, Vec::new());
        };
        let (posted, held): (Vec<_>, Vec<_>) = due
            .into_iter()
            .partition(|due| destination.posts(due.key.kind));
        let skips = held
            .into_iter()
            .map(|due| crate::schedule::Skip {
                reason: format!(
                    "{} does not post {} notices",
                    self.routes.describe(destination.route),
                    due.key.kind.name()
                ),
                key: due.key,
                due: due.due,
            })
            .collect();
        (posted, skips)
    }

    /// `#123` for a destination, `console` for the sink's own, `not announced` for an unroutable event.
    pub fn channel_name(routed: Option<&Routed>) -> String {
        match routed {
            Some(Routed {
                destination: Some(d),
                ..
            }) => format!("#{}", d.channel_id),
            Some(_) => "console".into(),
            None => "not announced".into(),
        }
    }
}

/// The event file's path relative to the site root, with `/` separators whatever the platform, since
/// the globs in the config are written with `/`.
fn relative_path(source: &Path, site_root: &Path) -> String {
    let path = source.strip_prefix(site_root).unwrap_or(source);
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// A mistake in `[[routes]]`: the key (`routes[2].channel_id`) and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteError {
    pub key: String,
    pub message: String,
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

impl std::error::Error for RouteError {}

/// Reads the `routes` value of the config table (an array of tables). Errors name the key like
/// `routes[2].channel_id`, counting from 1 as a person counts the `[[routes]]` sections.
pub fn parse(value: &toml::Value) -> Result<Vec<Route>, RouteError> {
    let Some(items) = value.as_array() else {
        return Err(error(
            "routes",
            "must be a list of tables; write each route as its own `[[routes]]` section",
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let name = format!("routes[{}]", index + 1);
            let Some(table) = item.as_table() else {
                return Err(error(
                    &name,
                    "must be a table; write each route as its own `[[routes]]` section with keys under it",
                ));
            };
            parse_route(&name, index, table)
        })
        .collect()
}

fn parse_route(name: &str, index: usize, table: &toml::Table) -> Result<Route, RouteError> {
    // Unknown keys first: a misspelt `langauge` must be reported as a typo, not as a route with no
    // match keys.
    check_keys(name, table)?;
    if !MATCH_KEYS.iter().any(|key| table.contains_key(*key)) {
        return Err(error(
            name,
            &format!(
                "a route needs at least one of {}; a route without one would take every event (to send everything to one channel, set `discord.channel_id` instead)",
                MATCH_KEYS.join(", ")
            ),
        ));
    }
    let key = |k: &str| format!("{name}.{k}");
    let language = names(&key("language"), table.get("language"), "Hebrew", "he")?;
    let group = names(
        &key("group"),
        table.get("group"),
        "rust-tlv",
        "rust-beginners",
    )?;
    let online = table
        .get("online")
        .map(|v| boolean(&key("online"), v))
        .transpose()?;
    let register = table
        .get("register")
        .map(|v| register(&key("register"), v))
        .transpose()?;
    let path = table
        .get("path")
        .map(|v| glob(&key("path"), v))
        .transpose()?;
    let channel_id = match table.get("channel_id") {
        Some(v) => snowflake(&key("channel_id"), v, "channel")?,
        None => {
            return Err(error(
                &key("channel_id"),
                "missing; every route needs the channel its events are announced in, like `channel_id = 123456789012345678` (with Developer Mode on, right-click the channel, Copy ID)",
            ))
        }
    };
    let mention_role = table
        .get("mention_role")
        .map(|v| snowflake(&key("mention_role"), v, "role"))
        .transpose()?;
    let offsets = table
        .get("offsets")
        .map(|v| offsets(&key("offsets"), v))
        .transpose()?;
    let flag = |k: &str| -> Result<bool, RouteError> {
        table.get(k).map_or(Ok(true), |v| boolean(&key(k), v))
    };
    let posts = Posts {
        new: flag("new")?,
        rescheduled: flag("rescheduled")?,
        cancelled: flag("cancelled")?,
        recordings: flag("recordings")?,
    };
    let locale = table
        .get("locale")
        .map(|v| {
            v.as_str()
                .ok_or_else(|| {
                    format!("`{v}` is not a language; write it as a string, like \"fr\"")
                })
                .and_then(Choice::parse)
                .map_err(|m| error(&key("locale"), &m))
        })
        .transpose()?;
    let description = describe_keys(&language, online, &group, &register, &path);
    Ok(Route {
        language,
        online,
        group,
        register,
        path,
        destination: Destination {
            channel_id,
            mention_role,
            offsets,
            posts,
            route: Some(index),
            locale,
        },
        description,
    })
}

/// The match keys in the order of [`MATCH_KEYS`], as written, like `language = Hebrew or he`.
fn describe_keys(
    language: &Option<Names>,
    online: Option<bool>,
    group: &Option<Names>,
    register: &Option<Register>,
    path: &Option<PathGlob>,
) -> String {
    let mut parts = Vec::new();
    if let Some(language) = language {
        parts.push(format!("language = {}", language.written.join(" or ")));
    }
    if let Some(online) = online {
        parts.push(format!("online = {online}"));
    }
    if let Some(group) = group {
        parts.push(format!("group = {}", group.written.join(" or ")));
    }
    if let Some(register) = register {
        parts.push(format!("register = {}", register.written));
    }
    if let Some(path) = path {
        parts.push(format!("path = {}", path.written));
    }
    parts.join(", ")
}

fn check_keys(name: &str, table: &toml::Table) -> Result<(), RouteError> {
    let known = || MATCH_KEYS.iter().chain(DESTINATION_KEYS);
    for key in table.keys() {
        if known().any(|k| k == key) {
            continue;
        }
        let hint = crate::text::did_you_mean(key, known().copied()).unwrap_or_else(|| {
            format!(
                "a route knows {}",
                known().copied().collect::<Vec<_>>().join(", ")
            )
        });
        return Err(error(
            &format!("{name}.{key}"),
            &format!("unknown key `{key}`; {hint}"),
        ));
    }
    Ok(())
}

/// A name or a list of names (`language`, `group`).
fn names(
    key: &str,
    value: Option<&toml::Value>,
    example: &str,
    other: &str,
) -> Result<Option<Names>, RouteError> {
    let Some(value) = value else { return Ok(None) };
    let how = format!("write it like `\"{example}\"` or `[\"{example}\", \"{other}\"]`");
    let one = |v: &toml::Value| match v.as_str().map(str::trim) {
        // An empty name would match no event, which is never what was meant.
        Some("") => Err(error(key, &format!("is empty; {how}"))),
        Some(text) => Ok(text.to_string()),
        None => Err(error(key, &format!("`{v}` is not a name; {how}"))),
    };
    let list = match value {
        toml::Value::Array(items) if items.is_empty() => {
            return Err(error(
                key,
                &format!("is an empty list, which matches no event; {how}, or remove the key"),
            ))
        }
        toml::Value::Array(items) => items.iter().map(one).collect::<Result<Vec<_>, _>>()?,
        other => vec![one(other)?],
    };
    let lowered = list.iter().map(|name| name.to_lowercase()).collect();
    Ok(Some(Names {
        written: list,
        lowered,
    }))
}

fn boolean(key: &str, value: &toml::Value) -> Result<bool, RouteError> {
    value.as_bool().ok_or_else(|| {
        error(
            key,
            &format!("`{value}` is not true or false; write `true` or `false` without quotes"),
        )
    })
}

fn register(key: &str, value: &toml::Value) -> Result<Register, RouteError> {
    let how = "write the start of the events' registration links, like `https://www.meetup.com/rust-tlv/`";
    let Some(text) = value.as_str() else {
        return Err(error(key, &format!("`{value}` is not a URL; {how}")));
    };
    Register::parse(text)
        .ok_or_else(|| error(key, &format!("`{text}` is not an http(s) URL; {how}")))
}

fn glob(key: &str, value: &toml::Value) -> Result<PathGlob, RouteError> {
    let how = "write a glob on the file's path relative to the site root, like `events/2027-*/**`";
    let Some(text) = value.as_str() else {
        return Err(error(key, &format!("`{value}` is not a glob; {how}")));
    };
    // `literal_separator`: a `*` stays within one folder, as in a shell, so `events/*` does not take
    // the files of `events/archive/`.
    let glob = GlobBuilder::new(text)
        .literal_separator(true)
        .build()
        .map_err(|e| {
            error(
                key,
                &format!("`{text}` is not a glob ({}); {how}", e.kind()),
            )
        })?;
    Ok(PathGlob {
        written: text.to_string(),
        matcher: glob.compile_matcher(),
    })
}

/// A Discord id (a snowflake), as a TOML integer or a string (as Discord's Copy ID gives it);
/// `None` for anything else, and for 0, which Discord never hands out. The one reader of ids, for
/// `[[routes]]` here and for `[discord]` in the config.
pub fn snowflake_id(value: &toml::Value) -> Option<u64> {
    match value {
        toml::Value::Integer(n) => u64::try_from(*n).ok(),
        toml::Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .filter(|&n| n > 0)
}

/// A route's Discord id, or an error that says how to copy one.
fn snowflake(key: &str, value: &toml::Value, what: &str) -> Result<u64, RouteError> {
    snowflake_id(value).ok_or_else(|| {
        error(
            key,
            &format!(
                "`{value}` is not a Discord id; with Developer Mode on, right-click the {what} and Copy ID, like `{}`",
                match what {
                    "role" => "223456789012345678",
                    _ => "123456789012345678",
                }
            ),
        )
    })
}

fn offsets(key: &str, value: &toml::Value) -> Result<Vec<Duration>, RouteError> {
    let how = "write it like `1d` or `2h`";
    let Some(items) = value.as_array() else {
        return Err(error(
            key,
            &format!("`{value}` is not a list of durations; write it like `[\"1d\", \"2h\"]`"),
        ));
    };
    items
        .iter()
        .map(|item| match item.as_str() {
            Some(text) => humantime::parse_duration(text.trim())
                .map_err(|e| error(key, &format!("`{text}` is not a duration ({e}); {how}"))),
            None => Err(error(key, &format!("`{item}` is not a duration; {how}"))),
        })
        .collect()
}

fn error(key: &str, message: &str) -> RouteError {
    RouteError {
        key: key.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    use chrono::DateTime;

    fn event(id: &str) -> Event {
        Event {
            timezone: "UTC".into(),
            ..Event::new(
                id,
                format!("Meetup {id}"),
                DateTime::from_timestamp(1_900_000_000, 0)
                    .expect("valid")
                    .fixed_offset(),
                format!("/site/events/{id}.md"),
            )
        }
    }

    fn parse_text(text: &str) -> Result<Vec<Route>, RouteError> {
        let table = toml::from_str::<toml::Table>(text).expect("valid TOML");
        parse(&table["routes"])
    }

    fn routes(text: &str, default: Option<Destination>) -> Routes {
        Routes::new(parse_text(text).expect("routes parse"), default)
    }

    fn err(text: &str) -> RouteError {
        parse_text(text).expect_err("routes are refused")
    }

    fn root() -> PathBuf {
        PathBuf::from("/site")
    }

    /// The channel an event goes to, or 0 when unroutable.
    fn channel(routes: &Routes, event: &Event) -> u64 {
        routes.route(event, &root()).map_or(0, |d| d.channel_id)
    }

    const DEFAULT: u64 = 999;

    fn default() -> Option<Destination> {
        Some(Destination::new(DEFAULT, Some(5)))
    }

    #[test]
    fn parses_every_key() {
        let parsed = routes(
            r#"
            [[routes]]
            language = "Hebrew"
            channel_id = 123456789012345678
            mention_role = 223456789012345678
            offsets = ["1d", "2h"]
            new = false
            rescheduled = true
            cancelled = false
            recordings = false

            [[routes]]
            online = true
            group = "rust-tlv"
            register = "https://www.meetup.com/rust-tlv/"
            path = "events/2027-*/**"
            channel_id = "345678901234567890"
            "#,
            None,
        );
        let first = parsed.routes()[0].destination();
        assert_eq!(first.channel_id, 123456789012345678);
        assert_eq!(first.mention_role, Some(223456789012345678));
        assert_eq!(
            first.offsets,
            Some(vec![Duration::from_secs(86400), Duration::from_secs(7200)])
        );
        assert_eq!(
            first.posts,
            Posts {
                new: false,
                rescheduled: true,
                cancelled: false,
                recordings: false
            }
        );
        assert_eq!(first.route, Some(0));
        assert!(!first.posts(Kind::New));
        assert!(first.posts(Kind::Rescheduled));
        assert!(!first.posts(Kind::Cancelled));
        assert!(!first.posts(Kind::Recording(7)));
        assert!(first.posts(Kind::Reminder(Duration::from_secs(60))));
        assert!(first.posts(Kind::Digest));

        let second = parsed.routes()[1].destination();
        assert_eq!(second.channel_id, 345678901234567890);
        assert_eq!(second.mention_role, None);
        assert_eq!(second.offsets, None);
        assert_eq!(second.posts, Posts::default());
        assert_eq!(second.route, Some(1));

        assert_eq!(parsed.describe(Some(0)), "route 1 (language = Hebrew)");
        assert_eq!(
            parsed.describe(Some(1)),
            "route 2 (online = true, group = rust-tlv, register = https://www.meetup.com/rust-tlv/, path = events/2027-*/**)"
        );
        assert_eq!(parsed.describe(None), "the default channel");
        assert!(!parsed.is_empty());
        assert!(Routes::new(Vec::new(), default()).is_empty());
    }

    #[test]
    fn the_first_route_that_matches_wins() {
        let routes = routes(
            r#"
            [[routes]]
            language = "Hebrew"
            online = true
            channel_id = 1
            [[routes]]
            language = "Hebrew"
            channel_id = 2
            [[routes]]
            online = true
            channel_id = 3
            "#,
            default(),
        );
        let mut e = event("a");
        e.language = Some("Hebrew".into());
        e.online = Some(true);
        assert_eq!(channel(&routes, &e), 1);
        assert_eq!(routes.route(&e, &root()).and_then(|d| d.route), Some(0));
        e.online = Some(false);
        assert_eq!(channel(&routes, &e), 2);
        e.language = Some("English".into());
        e.online = Some(true);
        assert_eq!(channel(&routes, &e), 3);
    }

    #[test]
    fn every_key_a_route_gives_must_hold() {
        let routes = routes(
            r#"
            [[routes]]
            language = "Hebrew"
            online = false
            group = "rust-tlv"
            channel_id = 1
            "#,
            default(),
        );
        let mut e = event("a");
        e.language = Some("Hebrew".into());
        e.online = Some(false);
        e.group = Some("rust-tlv".into());
        assert_eq!(channel(&routes, &e), 1);
        for change in [
            |e: &mut Event| e.language = Some("English".into()),
            |e: &mut Event| e.online = Some(true),
            |e: &mut Event| e.online = None,
            |e: &mut Event| e.group = Some("rust-haifa".into()),
        ] {
            let mut other = e.clone();
            change(&mut other);
            assert_eq!(channel(&routes, &other), DEFAULT, "{other:?}");
        }
    }

    #[test]
    fn the_default_takes_what_no_route_does_and_without_one_nothing_does() {
        let text = "[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = 1\n";
        let e = event("a");
        let with_default = routes(text, default());
        let destination = with_default.route(&e, &root()).expect("the default");
        assert_eq!(destination, &Destination::new(DEFAULT, Some(5)));
        assert_eq!(destination.route, None);
        let without = routes(text, None);
        assert_eq!(without.route(&e, &root()), None);

        let all: Vec<u64> = with_default.destinations().map(|d| d.channel_id).collect();
        assert_eq!(all, [1, DEFAULT]);
        let all: Vec<u64> = without.destinations().map(|d| d.channel_id).collect();
        assert_eq!(all, [1]);
        // A default that claims a route index is still the default.
        let mut claims = Destination::new(DEFAULT, None);
        claims.route = Some(3);
        let routes = Routes::new(Vec::new(), Some(claims));
        assert_eq!(routes.route(&e, &root()).and_then(|d| d.route), None);
    }

    #[test]
    fn an_event_without_a_language_or_group_matches_no_route_asking_for_one() {
        let routes = routes(
            "[[routes]]\nlanguage = \"Hebrew\"\nchannel_id = 1\n[[routes]]\ngroup = \"rust-tlv\"\nchannel_id = 2\n",
            None,
        );
        assert_eq!(channel(&routes, &event("a")), 0);
    }

    #[test]
    fn language_and_group_ignore_case_and_take_lists() {
        let routes = routes(
            r#"
            [[routes]]
            language = ["Hebrew", "he"]
            channel_id = 1
            [[routes]]
            group = ["Rust-TLV", "rust-haifa"]
            channel_id = 2
            "#,
            None,
        );
        let mut e = event("a");
        for language in ["hebrew", "HEBREW", " He "] {
            e.language = Some(language.into());
            assert_eq!(channel(&routes, &e), 1, "{language}");
        }
        e.language = Some("English".into());
        assert_eq!(channel(&routes, &e), 0);
        for group in ["rust-tlv", "RUST-TLV", "Rust-Haifa"] {
            e.group = Some(group.into());
            assert_eq!(channel(&routes, &e), 2, "{group}");
        }
        assert_eq!(
            routes.describe(Some(0)),
            "route 1 (language = Hebrew or he)"
        );
    }

    #[test]
    fn register_is_a_prefix_of_whole_path_segments() {
        let routes = routes(
            "[[routes]]\nregister = \"https://www.meetup.com/rust-tlv/\"\nchannel_id = 1\n[[routes]]\nregister = \"https://www.meetup.com/rust\"\nchannel_id = 2\n",
            None,
        );
        let mut e = event("a");
        for (link, expected) in [
            ("https://www.meetup.com/rust-tlv/events/123/", 1),
            ("HTTPS://WWW.MEETUP.COM/rust-tlv/events/123", 1),
            ("https://www.meetup.com/rust-tlv", 1),
            ("https://www.meetup.com/rust/events/1", 2),
            ("https://www.meetup.com/rust?tab=events", 2),
            ("https://www.meetup.com/rust-haifa/events/1", 0),
            ("https://www.meetup.com/", 0),
            ("https://lu.ma/rust-tlv", 0),
            ("not a link", 0),
        ] {
            e.register = Some(link.into());
            assert_eq!(channel(&routes, &e), expected, "{link}");
        }
        e.register = None;
        assert_eq!(channel(&routes, &e), 0);

        let host = self::routes(
            "[[routes]]\nregister = \"https://lu.ma\"\nchannel_id = 3\n",
            None,
        );
        e.register = Some("https://lu.ma/abc".into());
        assert_eq!(channel(&host, &e), 3);
        e.register = Some("https://lu.maps.example/abc".into());
        assert_eq!(channel(&host, &e), 0);
    }

    #[test]
    fn path_is_a_glob_relative_to_the_site_root() {
        let routes = routes(
            "[[routes]]\npath = \"events/2027-*\"\nchannel_id = 1\n[[routes]]\npath = \"events/archive/**\"\nchannel_id = 2\n",
            None,
        );
        let mut e = event("2027-01-14-x");
        assert_eq!(e.source, PathBuf::from("/site/events/2027-01-14-x.md"));
        assert_eq!(channel(&routes, &e), 1);
        // `*` stays within one folder.
        e.source = "/site/events/2027-01/x.md".into();
        assert_eq!(channel(&routes, &e), 0);
        e.source = "/site/events/archive/2020/x.md".into();
        assert_eq!(channel(&routes, &e), 2);
        e.source = "/site/events/2026-01-14-x.md".into();
        assert_eq!(channel(&routes, &e), 0);
        // Outside the site root the path is matched as given, with `\` read as `/`.
        e.source = "events\\2027-02-01-y.md".into();
        assert_eq!(channel(&routes, &e), 1);
        e.source = "./events/2027-02-01-y.md".into();
        assert_eq!(channel(&routes, &e), 1);
        e.source = "/elsewhere/events/2027-02-01-y.md".into();
        assert_eq!(channel(&routes, &e), 0);
    }

    #[test]
    fn errors_name_the_key_and_the_fix() {
        let cases: &[(&str, &str, &str)] = &[
            ("routes = 3", "routes", "[[routes]]"),
            ("routes = [3]", "routes[1]", "must be a table"),
            (
                "[[routes]]\nchannel_id = 1\n",
                "routes[1]",
                "a route needs at least one of language, online, group, register, path",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\n[[routes]]\nlangauge = \"he\"\nchannel_id = 1\n",
                "routes[2].langauge",
                "did you mean `language`?",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\ncolour = \"red\"\n",
                "routes[1].colour",
                "a route knows language",
            ),
            ("[[routes]]\nlanguage = \"he\"\n", "routes[1].channel_id", "missing"),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = \"general\"\n",
                "routes[1].channel_id",
                "not a Discord id",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 0\n",
                "routes[1].channel_id",
                "Copy ID",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = -4\n",
                "routes[1].channel_id",
                "not a Discord id",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\nmention_role = \"everyone\"\n",
                "routes[1].mention_role",
                "right-click the role",
            ),
            (
                "[[routes]]\nonline = \"yes\"\nchannel_id = 1\n",
                "routes[1].online",
                "not true or false",
            ),
            (
                "[[routes]]\npath = \"events/{a,b\"\nchannel_id = 1\n",
                "routes[1].path",
                "unclosed alternate group",
            ),
            (
                "[[routes]]\nregister = \"meetup.com/rust-tlv\"\nchannel_id = 1\n",
                "routes[1].register",
                "not an http(s) URL",
            ),
            (
                "[[routes]]\nregister = \"ftp://example.org/\"\nchannel_id = 1\n",
                "routes[1].register",
                "like `https://www.meetup.com/rust-tlv/`",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\noffsets = [\"soon\"]\n",
                "routes[1].offsets",
                "write it like `1d` or `2h`",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\noffsets = \"1d\"\n",
                "routes[1].offsets",
                "[\"1d\", \"2h\"]",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\nnew = \"no\"\n",
                "routes[1].new",
                "true or false",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\nrescheduled = 0\n",
                "routes[1].rescheduled",
                "true or false",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\ncancelled = \"false\"\n",
                "routes[1].cancelled",
                "true or false",
            ),
            (
                "[[routes]]\nlanguage = \"he\"\nchannel_id = 1\nrecordings = 1\n",
                "routes[1].recordings",
                "true or false",
            ),
            (
                "[[routes]]\nlanguage = \" \"\nchannel_id = 1\n",
                "routes[1].language",
                "is empty",
            ),
            (
                "[[routes]]\nlanguage = [\"he\", \"\"]\nchannel_id = 1\n",
                "routes[1].language",
                "is empty",
            ),
            (
                "[[routes]]\nlanguage = []\nchannel_id = 1\n",
                "routes[1].language",
                "empty list",
            ),
            (
                "[[routes]]\ngroup = \"\"\nchannel_id = 1\n",
                "routes[1].group",
                "is empty",
            ),
            (
                "[[routes]]\ngroup = 7\nchannel_id = 1\n",
                "routes[1].group",
                "not a name",
            ),
        ];
        for (text, key, message) in cases {
            let e = err(text);
            assert_eq!(e.key, *key, "{text}: {e}");
            assert!(e.message.contains(message), "{text}: {e}");
        }
        assert_eq!(
            err("[[routes]]\nchannel_id = 1\n").to_string(),
            "`routes[1]`: a route needs at least one of language, online, group, register, path; a route without one would take every event (to send everything to one channel, set `discord.channel_id` instead)"
        );
    }
}
