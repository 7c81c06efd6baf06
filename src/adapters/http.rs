//! The optional HTTP listener (`http.listen`): `GET` and `HEAD` for `/healthz`, `/metrics` and each
//! site's calendar (`/sites/<name>/events.ics`), and `POST /hooks/git/<name>` for a site whose git
//! source has a webhook secret. With one site, `/events.ics` and `/hooks/git` are its own.
//!
//! Off by default: a bot needs no open port. Containers and Prometheus turn it on. The calendar feed is
//! built by the run loop once per catalog change and only handed out here: calendar apps poll it every
//! few minutes, so a request costs a header comparison, and a conditional one (`If-None-Match`,
//! `If-Modified-Since`) is answered with 304 and no body.
//!
//! The port may face broken or hostile clients, and crier runs on one thread, so the listener must
//! not let a client spin it, keep descriptors forever, or fill the log:
//! - at most half the descriptor limit, and at most 256, connections are open at once. At the cap
//!   crier stops accepting: new connections wait in the kernel's backlog;
//! - an accept error (out of descriptors, say) is retried after a delay doubling from 5 ms to 1 s, and
//!   logged when a burst begins, once a minute while it lasts, and with its count when it ends;
//! - a request's head must arrive within 10 s of connecting or of the previous response (which also
//!   closes idle keep-alive connections), and a connection on which no byte moves either way for 30 s
//!   is closed, whatever it is doing;
//! - a client's own failures (timeouts, resets, malformed requests) are logged at debug level only.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::anyhow;
use http_body_util::Full;
use hyper1::body::{Bytes, Incoming};
use hyper1::header::HeaderValue;
use hyper1::server::conn::http1;
use hyper1::service::service_fn;
use hyper1::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use crate::adapters::source::Hook;
use crate::app::telemetry::Telemetry;
use crier_core::backoff::Backoff;
use crier_core::webhook::{self, Delivery};

/// The calendar feed as served: built once, handed to every request.
#[derive(Debug, Clone)]
pub struct ServedFeed {
    pub body: Bytes,
    /// A strong validator, quoted: `"0123abcd..."`.
    pub etag: String,
    pub last_modified: std::time::SystemTime,
}

impl From<crier_core::feed::Feed> for ServedFeed {
    fn from(feed: crier_core::feed::Feed) -> ServedFeed {
        ServedFeed {
            body: Bytes::from(feed.body),
            etag: feed.etag,
            last_modified: feed.last_modified.into(),
        }
    }
}

/// The latest feed; `None` until the first catalog is loaded.
pub type FeedWatch = tokio::sync::watch::Receiver<Option<Arc<ServedFeed>>>;

/// How long a client has to send a request's head, from connecting and, on a kept-alive connection,
/// from the previous response: hyper (1.12) arms this timer whenever it waits for a head, so it is also
/// the keep-alive idle timeout. A head is one packet or a few; 10 s is ample over a slow mobile link, and
/// short enough that a client sending nothing (or half its headers) soon gives its descriptor back.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection on which no byte is read or written for this long is closed, whatever it is doing.
/// It bounds what the header timeout does not: a client that stops reading a response (hyper has no
/// write timeout) or stops sending a body, and it closes idle keep-alive connections whatever hyper's
/// timer does. Longer than [`HOOK_BODY_TIMEOUT`], so that a webhook whose body stalls gets its 408.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The most connections open at once, whatever the descriptor limit: the listener's clients (a health
/// check, a Prometheus scraper, calendar apps, a webhook) need a handful.
const MAX_CONNECTIONS: usize = 256;

/// The delay after the first accept error of a burst, doubled on each error after it up to
/// [`ACCEPT_DELAY_MAX`], as Go's net/http and hyper's servers do: a descriptor shortage is over in
/// milliseconds or lasts, and neither is helped by asking again at once.
const ACCEPT_DELAY_MIN: Duration = Duration::from_millis(5);
const ACCEPT_DELAY_MAX: Duration = Duration::from_secs(1);

/// How often a burst of accept errors that goes on is logged again (the errors between are counted).
const ACCEPT_REMINDER: Duration = Duration::from_secs(60);

/// Environment variables that override the limits above. They are not config keys: they exist for
/// the tests (which cannot wait 10 s per case), and for an operator whose clients need other values.
/// A cap above half the descriptor limit gives back the protection it gives (the backoff remains).
pub const ENV_HEADER_TIMEOUT: &str = "CRIER_HTTP_HEADER_TIMEOUT";
pub const ENV_IDLE_TIMEOUT: &str = "CRIER_HTTP_IDLE_TIMEOUT";
pub const ENV_MAX_CONNECTIONS: &str = "CRIER_HTTP_MAX_CONNECTIONS";

/// What the listener allows a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limits {
    header_read: Duration,
    idle: Duration,
    max_connections: usize,
}

impl Limits {
    /// The limits for a process allowed `open_files` descriptors (`None`: unknown or unlimited), with
    /// the overrides `env` gives.
    fn new(
        open_files: Option<u64>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Limits> {
        let duration = |var: &str, default: Duration| match env(var) {
            None => Ok(default),
            Some(text) => humantime::parse_duration(text.trim())
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| anyhow!("{var}: `{text}` is not a duration above zero, e.g. `10s`")),
        };
        let max_connections = match env(ENV_MAX_CONNECTIONS) {
            None => default_max_connections(open_files),
            Some(text) => text
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| {
                    anyhow!("{ENV_MAX_CONNECTIONS}: `{text}` is not a number above zero")
                })?,
        };
        Ok(Limits {
            header_read: duration(ENV_HEADER_TIMEOUT, HEADER_READ_TIMEOUT)?,
            idle: duration(ENV_IDLE_TIMEOUT, IDLE_TIMEOUT)?,
            max_connections,
        })
    }
}

/// Half the descriptor limit, so that the catalog, the ledger, the git source and Discord keep the
/// other half whatever the listener's clients do; at most [`MAX_CONNECTIONS`].
fn default_max_connections(open_files: Option<u64>) -> usize {
    match open_files {
        Some(limit) => usize::try_from(limit / 2)
            .unwrap_or(MAX_CONNECTIONS)
            .clamp(1, MAX_CONNECTIONS),
        None => MAX_CONNECTIONS,
    }
}

/// The soft limit on open descriptors (`RLIMIT_NOFILE`) as Linux shows it in `/proc/self/limits`
/// (read there rather than with getrlimit, which would take a direct libc dependency); `None` on other
/// systems and when it is unlimited.
fn open_files_limit() -> Option<u64> {
    soft_open_files(&std::fs::read_to_string("/proc/self/limits").ok()?)
}

/// The soft limit in the `Max open files` line of a `/proc/<pid>/limits` file.
fn soft_open_files(limits: &str) -> Option<u64> {
    let line = limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))?;
    line.split_whitespace().next()?.parse().ok()
}

/// What the listener serves for one site.
pub struct SiteEndpoints {
    /// The site's name in the paths (`/sites/<name>/events.ics`).
    pub name: String,
    pub telemetry: Arc<Telemetry>,
    pub feed: FeedWatch,
    /// Enables the site's `POST /hooks/git/<name>`; set once its git source has started.
    pub hook: HookSlot,
}

/// A site's webhook, set when its git source starts (which, for a first clone that fails, may be
/// after the listener has started).
pub type HookSlot = Arc<std::sync::RwLock<Option<Hook>>>;

/// What every connection's requests are answered from.
pub struct Endpoints {
    /// The process's own health and metrics (the gateway, the commands, the ledger's leadership).
    pub process: Arc<Telemetry>,
    pub sites: Vec<SiteEndpoints>,
    /// With a shared ledger: whether this process leads, or which does.
    pub role: crate::app::leadership::Role,
}

impl Endpoints {
    /// The site a path names: `/sites/<name>/events.ics` or `/hooks/git/<name>`, or with one site
    /// the plain `/events.ics` and `/hooks/git`. `Err` for a path of no site, `Ok(None)` for
    /// another path.
    fn site_of(&self, path: &str) -> Option<Result<(&SiteEndpoints, Endpoint), ()>> {
        let single = || match self.sites.as_slice() {
            [only] => Ok(only),
            _ => Err(()),
        };
        let named = |name: &str| self.sites.iter().find(|s| s.name == name).ok_or(());
        if path == FEED_PATH {
            return Some(single().map(|s| (s, Endpoint::Feed)));
        }
        if path == HOOK_PATH {
            return Some(single().map(|s| (s, Endpoint::Hook)));
        }
        if let Some(name) = path.strip_prefix("/hooks/git/") {
            return Some(named(name).map(|s| (s, Endpoint::Hook)));
        }
        let name = path.strip_prefix("/sites/")?.strip_suffix(FEED_PATH)?;
        Some(named(name).map(|s| (s, Endpoint::Feed)))
    }

    async fn answer(&self, req: Request<Incoming>, peer: SocketAddr) -> Response<Full<Bytes>> {
        let get = matches!(*req.method(), Method::GET | Method::HEAD);
        match self.site_of(req.uri().path()) {
            Some(Ok((site, Endpoint::Hook))) => match hook_of(site) {
                Some(hook) => {
                    let response = webhook(req, &hook, peer).await;
                    count_status(&site.telemetry.webhook_requests, &response);
                    response
                }
                None => not_found(),
            },
            Some(Ok((site, Endpoint::Feed))) if get => {
                let current = site.feed.borrow().clone();
                let response = match current.as_deref() {
                    Some(feed) => calendar(&req, feed),
                    None => text(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "text/plain",
                        "the calendar is not ready yet: the events are being read\n".into(),
                    ),
                };
                count_status(&site.telemetry.feed_requests, &response);
                response
            }
            Some(Ok((_, Endpoint::Feed))) => method_not_allowed(GET_HEAD),
            Some(Err(())) => not_found(),
            None => route(&req, self),
        }
    }

    /// `Ok` when the process and every site are healthy; else one line per problem, each site's
    /// named (a site's broken source is its own line, and does not hide the others').
    pub fn health(&self) -> Result<String, String> {
        let mut lines = Vec::new();
        let mut healthy = true;
        if let Err(reason) = self.process.health() {
            healthy = false;
            lines.push(format!("unhealthy: {reason}"));
        }
        // A standby is healthy: it is ready to take over, which is its job.
        lines.extend(self.role.get());
        if self.sites.len() <= 1
            && self
                .sites
                .first()
                .is_none_or(|site| Arc::ptr_eq(&site.telemetry, &self.process))
        {
            return if healthy {
                let mut body = String::from("ok\n");
                for line in &lines {
                    body.push_str(line);
                    body.push('\n');
                }
                Ok(body)
            } else {
                Err(lines.join("\n") + "\n")
            };
        }
        for site in &self.sites {
            match site.telemetry.health() {
                Ok(()) => lines.push(format!("site {}: ok", site.name)),
                Err(reason) => {
                    healthy = false;
                    lines.push(format!("site {}: unhealthy: {reason}", site.name));
                }
            }
        }
        let body = if healthy {
            format!("ok\n{}\n", lines.join("\n"))
        } else {
            lines.join("\n") + "\n"
        };
        if healthy {
            Ok(body)
        } else {
            Err(body)
        }
    }

    /// The metrics of the process and of every site, each site's under its `site` label, as one
    /// exposition.
    pub fn encode(&self) -> String {
        let mut texts = vec![self.process.encode()];
        for site in &self.sites {
            if !Arc::ptr_eq(&site.telemetry, &self.process) {
                texts.push(site.telemetry.encode());
            }
        }
        crate::app::telemetry::merge_expositions(&texts)
    }
}

fn hook_of(site: &SiteEndpoints) -> Option<Hook> {
    match site.hook.read() {
        Ok(hook) => hook.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// What a site's path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Feed,
    Hook,
}

/// Where a single site's feed is served, and each site's under `/sites/<name>`.
pub const FEED_PATH: &str = "/events.ics";

fn not_found() -> Response<Full<Bytes>> {
    text(StatusCode::NOT_FOUND, "text/plain", "not found\n".into())
}

/// Binds `addr`; the returned future serves `endpoints` until dropped.
pub async fn serve(
    addr: SocketAddr,
    endpoints: Endpoints,
) -> anyhow::Result<impl std::future::Future<Output = ()>> {
    let limits = Limits::new(open_files_limit(), |var| std::env::var(var).ok())?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow!("cannot listen on {addr} (`http.listen`): {e}"))?;
    info!(
        address = %listener.local_addr().unwrap_or(addr),
        max_connections = limits.max_connections,
        header_timeout = ?limits.header_read,
        idle_timeout = ?limits.idle,
        "HTTP listener for /healthz and /metrics"
    );
    let shared = Arc::new(endpoints);
    Ok(async move {
        // A permit per open connection, taken before accepting: at the cap the loop waits here and
        // new connections wait in the kernel's backlog, instead of being accepted only to be dropped.
        let slots = Arc::new(Semaphore::new(limits.max_connections));
        let mut backoff = AcceptBackoff::default();
        loop {
            let Ok(slot) = slots.clone().acquire_owned().await else {
                return; // Never closed.
            };
            let accepted = listener.accept().await;
            let now = std::time::Instant::now();
            match accepted {
                Ok((stream, peer)) => {
                    if let Some(burst) = backoff.succeeded(now) {
                        warn!(
                            errors = burst.errors,
                            not_logged = burst.not_logged,
                            "HTTP accept works again: {} error{} in {:.1} s, {} of them not logged",
                            burst.errors,
                            if burst.errors == 1 { "" } else { "s" },
                            burst.lasted.as_secs_f64(),
                            burst.not_logged,
                        );
                    }
                    tokio::spawn(connection(stream, peer, shared.clone(), limits, slot));
                }
                // That one client gave up before it was accepted; the next may be waiting.
                Err(e) if is_per_connection(&e) => {
                    debug!(error = %e, "HTTP accept: the connection was gone");
                }
                Err(e) => {
                    let (delay, report) = backoff.failed(now);
                    match report {
                        Report::First => warn!(
                            error = %e,
                            "HTTP accept failed; retrying with backoff (the errors that follow \
                             are counted, and logged when it works again)"
                        ),
                        Report::Again => warn!(
                            error = %e,
                            errors = backoff.errors,
                            "HTTP accept still failing: {} errors since the burst began",
                            backoff.errors,
                        ),
                        Report::Quiet => {}
                    }
                    // The slot is given back while waiting: no connection holds it.
                    drop(slot);
                    tokio::time::sleep(delay).await;
                }
            }
        }
    })
}

/// Errors that concern one pending connection (its client reset it before it was accepted), not the
/// listener: the next accept may work at once.
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Accept errors in a row (a burst): how long to wait before trying again, and what to log.
#[derive(Debug)]
struct AcceptBackoff {
    /// When the burst began; `None` outside one.
    since: Option<std::time::Instant>,
    /// When the burst was last logged.
    logged: Option<std::time::Instant>,
    /// The delay after the last error: [`ACCEPT_DELAY_MIN`] doubling to [`ACCEPT_DELAY_MAX`].
    delay: Backoff,
    /// The errors of this burst, and how many of them were not logged.
    errors: u64,
    not_logged: u64,
}

/// What to log about an accept error.
#[derive(Debug, PartialEq, Eq)]
enum Report {
    /// The first of a burst.
    First,
    /// A reminder that the burst goes on ([`ACCEPT_REMINDER`]).
    Again,
    Quiet,
}

/// A burst of accept errors that has ended.
#[derive(Debug, PartialEq, Eq)]
struct Burst {
    errors: u64,
    not_logged: u64,
    lasted: Duration,
}

impl Default for AcceptBackoff {
    fn default() -> AcceptBackoff {
        AcceptBackoff {
            since: None,
            logged: None,
            delay: Backoff::new(ACCEPT_DELAY_MIN, ACCEPT_DELAY_MAX),
            errors: 0,
            not_logged: 0,
        }
    }
}

impl AcceptBackoff {
    /// An accept failed at `now`: the delay before the next, and what to log.
    fn failed(&mut self, now: std::time::Instant) -> (Duration, Report) {
        self.errors += 1;
        let delay = self.delay.fail();
        let report = match self.logged {
            None => {
                self.since = Some(now);
                Report::First
            }
            Some(logged) => {
                if now.saturating_duration_since(logged) >= ACCEPT_REMINDER {
                    Report::Again
                } else {
                    Report::Quiet
                }
            }
        };
        match report {
            Report::Quiet => self.not_logged += 1,
            Report::First | Report::Again => self.logged = Some(now),
        }
        (delay, report)
    }

    /// An accept worked at `now`: the burst that it ends, if any.
    fn succeeded(&mut self, now: std::time::Instant) -> Option<Burst> {
        let since = self.since?;
        let burst = Burst {
            errors: self.errors,
            not_logged: self.not_logged,
            lasted: now.saturating_duration_since(since),
        };
        *self = AcceptBackoff::default();
        Some(burst)
    }
}

/// Serves one connection until it ends, times out, or stays quiet for `limits.idle`; `_slot` is its
/// place among the open connections, given back when this returns.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Endpoints>,
    limits: Limits,
    _slot: OwnedSemaphorePermit,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        stream,
        activity: activity.clone(),
    });
    let service = service_fn(move |req: Request<Incoming>| {
        let shared = shared.clone();
        async move { Ok::<_, Infallible>(shared.answer(req, peer).await) }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    let served = builder.serve_connection(io, service);
    tokio::pin!(served);
    loop {
        let quiet_until = activity.last() + limits.idle;
        tokio::select! {
            result = served.as_mut() => {
                // A reset, a timeout or a malformed request is the client's doing: debug level, so
                // that no client can fill the log.
                if let Err(e) = result {
                    debug!(peer = %peer, error = %e, "HTTP connection ended");
                }
                return;
            }
            () = tokio::time::sleep_until(quiet_until) => {
                if activity.last() + limits.idle <= Instant::now() {
                    debug!(peer = %peer, idle = ?limits.idle, "HTTP connection closed: nothing sent or received");
                    return;
                }
            }
        }
    }
}

/// When a connection last read or wrote a byte.
struct Activity {
    start: Instant,
    /// Milliseconds from `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Activity {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn touch(&self) {
        let since = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.store(since, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last.load(Ordering::Relaxed))
    }
}

/// A TCP stream that notes in its [`Activity`] each read or write that moves bytes.
struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let poll = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.stream).poll_write_vectored(cx, data);
        if matches!(poll, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Where push webhooks are delivered.
pub const HOOK_PATH: &str = "/hooks/git";

/// How long a webhook delivery may take to send its body.
const HOOK_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A response with a body of `content_type`.
fn text(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static(content_type));
    response
}

fn plain(status: StatusCode, body: String) -> Response<Full<Bytes>> {
    text(status, "text/plain", body)
}

/// Counts an answer in a family by status (`/events.ics`, `/hooks/git`).
fn count_status(
    family: &prometheus_client::metrics::family::Family<
        crate::app::telemetry::StatusLabels,
        prometheus_client::metrics::counter::Counter,
    >,
    response: &Response<Full<Bytes>>,
) {
    family
        .get_or_create(&crate::app::telemetry::StatusLabels {
            status: response.status().as_u16().to_string(),
        })
        .inc();
}

/// `POST /hooks/git`: 401 without a valid signature, 413 for a body over 1 MiB, 202 when a push to
/// the followed branch starts a fetch, 200 for anything else signed (ignored).
async fn webhook(req: Request<Incoming>, hook: &Hook, peer: SocketAddr) -> Response<Full<Bytes>> {
    use http_body_util::BodyExt;
    if req.method() != Method::POST {
        return method_not_allowed("POST");
    }
    let too_large = || {
        plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is over {} bytes\n", webhook::MAX_BODY_BYTES),
        )
    };
    let declared = req
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > webhook::MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = req.into_parts();
    let limited = http_body_util::Limited::new(body, webhook::MAX_BODY_BYTES);
    let body = match tokio::time::timeout(HOOK_BODY_TIMEOUT, limited.collect()).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return too_large(),
        Ok(Err(e)) => {
            return plain(
                StatusCode::BAD_REQUEST,
                format!("cannot read the body: {e}\n"),
            )
        }
        Err(_) => {
            return plain(
                StatusCode::REQUEST_TIMEOUT,
                "the body took too long\n".into(),
            )
        }
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    match webhook::verify(header, &body, hook.secret.expose()) {
        Err(refusal) => {
            // The body is not logged: it is whatever an unauthenticated sender chose to send.
            warn!(peer = %peer, reason = %refusal, "webhook refused");
            plain(StatusCode::UNAUTHORIZED, format!("{refusal}\n"))
        }
        Ok(Delivery::Push { reference }) => {
            let followed = hook.branch.borrow().clone();
            match followed {
                Some(branch) if branch != reference => {
                    info!(pushed = %reference, followed = %branch, "webhook: a push to another branch; ignored");
                    plain(
                        StatusCode::OK,
                        format!("ignored: a push to {reference}; crier follows {branch}\n"),
                    )
                }
                _ => {
                    info!(pushed = %reference, "webhook: a push to the followed branch");
                    hook.trigger.notify_one();
                    plain(StatusCode::ACCEPTED, "fetching\n".into())
                }
            }
        }
        Ok(Delivery::Ping) => plain(StatusCode::OK, "pong\n".into()),
        Ok(Delivery::Other { event }) => plain(StatusCode::OK, format!("ignored: {event}\n")),
    }
}

/// The methods `/healthz`, `/metrics` and `/events.ics` answer.
const GET_HEAD: &str = "GET, HEAD";

/// `HEAD` is answered as `GET`: hyper sends the same status and headers, with `Content-Length` from
/// the body, and leaves the body out.
fn route(req: &Request<Incoming>, endpoints: &Endpoints) -> Response<Full<Bytes>> {
    let get = matches!(*req.method(), Method::GET | Method::HEAD);
    match (req.uri().path(), get) {
        ("/healthz", true) => match endpoints.health() {
            Ok(body) => text(StatusCode::OK, "text/plain", body),
            Err(body) => text(StatusCode::SERVICE_UNAVAILABLE, "text/plain", body),
        },
        ("/metrics", true) => text(
            StatusCode::OK,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            endpoints.encode(),
        ),
        ("/healthz" | "/metrics", false) => method_not_allowed(GET_HEAD),
        _ => not_found(),
    }
}

/// 405 on a known path, with the methods it answers (RFC 9110, 15.5.6: `Allow` is required).
fn method_not_allowed(allow: &'static str) -> Response<Full<Bytes>> {
    let mut response = plain(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method not allowed; use {allow}\n"),
    );
    response
        .headers_mut()
        .insert("allow", HeaderValue::from_static(allow));
    response
}

/// `/events.ics`: the feed, or 304 when the client's copy is current (RFC 9110, 13.1: with
/// `If-None-Match`, `If-Modified-Since` is ignored).
fn calendar(req: &Request<Incoming>, feed: &ServedFeed) -> Response<Full<Bytes>> {
    let headers = req.headers();
    let not_modified = match headers.get("if-none-match") {
        Some(value) => value
            .to_str()
            .is_ok_and(|list| etag_matches(list, &feed.etag)),
        None => headers
            .get("if-modified-since")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .is_some_and(|since| feed.last_modified <= since),
    };
    // A HEAD request gets the body too: hyper leaves it out but takes its length for Content-Length.
    let body = if not_modified {
        Bytes::new()
    } else {
        feed.body.clone()
    };
    let mut response = Response::new(Full::new(body));
    if not_modified {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
    }
    let h = response.headers_mut();
    let mut set = |name: &'static str, value: &str| {
        if let Ok(value) = value.parse() {
            h.insert(name, value);
        }
    };
    if !not_modified {
        set("content-type", "text/calendar; charset=utf-8");
    }
    set("etag", &feed.etag);
    set(
        "last-modified",
        &httpdate::fmt_http_date(feed.last_modified),
    );
    // Calendar apps poll; a minute of caching spares crier nothing, but tells proxies the feed changes.
    set("cache-control", "public, max-age=300");
    response
}

/// Whether an `If-None-Match` list names `etag` (weak comparison, as RFC 9110 asks for this header).
fn etag_matches(list: &str, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_string();
    let ours = bare(etag);
    list.split(',')
        .any(|tag| tag.trim() == "*" || bare(tag) == ours)
}

/// `crier health`: asks the listener at `addr` for `/healthz`; `Ok` with its answer when it says 200.
pub async fn probe(addr: SocketAddr) -> Result<String, String> {
    // 0.0.0.0 is where it listens, not where to connect.
    let target = if addr.ip().is_unspecified() {
        SocketAddr::from(([127, 0, 0, 1], addr.port()))
    } else {
        addr
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .map_err(|e| e.to_string())?;
    let response = client
        .get(format!("http://{target}/healthz"))
        .send()
        .await
        .map_err(|e| format!("no answer from http://{target}/healthz: {e}"))?;
    let ok = response.status().is_success();
    let body = response.text().await.unwrap_or_default().trim().to_string();
    if ok {
        Ok(body)
    } else {
        Err(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_soft_descriptor_limit_is_read_from_proc_limits() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             127431               127431               processes \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(soft_open_files(limits), Some(1024));
        let unlimited =
            "Max open files            unlimited            unlimited            files\n";
        assert_eq!(soft_open_files(unlimited), None);
        assert_eq!(soft_open_files(""), None);
    }

    #[test]
    fn connections_are_capped_at_half_the_descriptors_and_at_most_256() {
        assert_eq!(default_max_connections(Some(64)), 32);
        assert_eq!(default_max_connections(Some(1024)), 256);
        assert_eq!(default_max_connections(Some(1 << 20)), 256);
        assert_eq!(default_max_connections(Some(1)), 1);
        assert_eq!(default_max_connections(None), 256);
    }

    #[test]
    fn limits_take_the_environment_and_refuse_nonsense() {
        let none = Limits::new(Some(64), |_| None).expect("defaults");
        assert_eq!(
            none,
            Limits {
                header_read: HEADER_READ_TIMEOUT,
                idle: IDLE_TIMEOUT,
                max_connections: 32,
            }
        );
        let set = Limits::new(Some(64), |var| match var {
            ENV_HEADER_TIMEOUT => Some("2s".into()),
            ENV_IDLE_TIMEOUT => Some(" 1500ms ".into()),
            ENV_MAX_CONNECTIONS => Some("1000".into()),
            _ => None,
        })
        .expect("overrides");
        assert_eq!(set.header_read, Duration::from_secs(2));
        assert_eq!(set.idle, Duration::from_millis(1500));
        assert_eq!(set.max_connections, 1000);
        for (var, value) in [
            (ENV_HEADER_TIMEOUT, "0s"),
            (ENV_IDLE_TIMEOUT, "soon"),
            (ENV_MAX_CONNECTIONS, "0"),
            (ENV_MAX_CONNECTIONS, "-1"),
        ] {
            let err = Limits::new(None, |v| (v == var).then(|| value.to_string()))
                .expect_err(value)
                .to_string();
            assert!(err.starts_with(var) && err.contains(value), "{err}");
        }
    }

    #[test]
    fn accept_errors_back_off_from_5_ms_to_1_s_and_are_logged_once_per_burst() {
        let start = std::time::Instant::now();
        let mut backoff = AcceptBackoff::default();
        let mut at = start;
        let mut delays = Vec::new();
        let mut reports = Vec::new();
        for _ in 0..12 {
            let (delay, report) = backoff.failed(at);
            delays.push(delay.as_millis());
            reports.push(report);
            at += delay;
        }
        assert_eq!(
            delays,
            [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000]
        );
        assert_eq!(reports[0], Report::First);
        assert!(reports[1..].iter().all(|r| *r == Report::Quiet));
        // A burst that goes on is mentioned again once a minute, not once an error.
        let mut again = 0;
        for _ in 0..120 {
            let (delay, report) = backoff.failed(at);
            again += usize::from(report == Report::Again);
            at += delay;
        }
        assert_eq!(again, 2);
        let burst = backoff.succeeded(at).expect("a burst ended");
        assert_eq!(burst.errors, 132);
        assert_eq!(burst.not_logged, 129);
        assert_eq!(burst.lasted, at - start);
        // The next error starts a new burst, from 5 ms again; a success outside a burst says nothing.
        assert_eq!(backoff.succeeded(at), None);
        assert_eq!(
            backoff.failed(at),
            (Duration::from_millis(5), Report::First)
        );
    }

    #[test]
    fn a_reset_before_accept_is_not_a_listener_error() {
        assert!(is_per_connection(&io::Error::from(
            io::ErrorKind::ConnectionAborted
        )));
        assert!(!is_per_connection(&io::Error::from_raw_os_error(24))); // EMFILE
    }
}
