//! The optional HTTP listener (`http.listen`): `GET /healthz`, `GET /metrics`, `GET /events.ics`, and
//! `POST /hooks/git` when the git source has a webhook secret.
//!
//! Off by default: a bot needs no open port. Containers and Prometheus turn it on. The calendar feed is
//! built by the run loop once per catalog change and only handed out here: calendar apps poll it every
//! few minutes, so a request costs a header comparison, and a conditional one (`If-None-Match`,
//! `If-Modified-Since`) is answered with 304 and no body.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper1::body::{Bytes, Incoming};
use hyper1::server::conn::http1;
use hyper1::service::service_fn;
use hyper1::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tracing::{info, warn};

use crate::adapters::source::Hook;
use crate::app::telemetry::Telemetry;
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

/// Binds `addr`; the returned future serves until dropped. `hook` enables `POST /hooks/git`.
pub async fn serve(
    addr: SocketAddr,
    telemetry: Arc<Telemetry>,
    feed: FeedWatch,
    hook: Option<Hook>,
) -> anyhow::Result<impl std::future::Future<Output = ()>> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (`http.listen`): {e}"))?;
    info!(address = %listener.local_addr().unwrap_or(addr), "HTTP listener for /healthz and /metrics");
    Ok(async move {
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(conn) => conn,
                Err(e) => {
                    warn!(error = %e, "HTTP accept failed");
                    continue;
                }
            };
            let telemetry = telemetry.clone();
            let feed = feed.clone();
            let hook = hook.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req: Request<Incoming>| {
                    let telemetry = telemetry.clone();
                    let current = feed.borrow().clone();
                    let hook = hook.clone();
                    async move {
                        Ok::<_, Infallible>(match hook {
                            Some(hook) if req.uri().path() == HOOK_PATH => {
                                let response = webhook(req, &hook, peer).await;
                                count_status(&telemetry.webhook_requests, &response);
                                response
                            }
                            _ => route(&req, &telemetry, current.as_deref()),
                        })
                    }
                });
                if let Err(e) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    warn!(error = %e, "HTTP connection failed");
                }
            });
        }
    })
}

/// Where push webhooks are delivered.
pub const HOOK_PATH: &str = "/hooks/git";

/// How long a webhook delivery may take to send its body.
const HOOK_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A response with a body of `content_type`.
fn text(status: StatusCode, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        hyper1::header::HeaderValue::from_static(content_type),
    );
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
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "POST only\n".into());
        response
            .headers_mut()
            .insert("allow", hyper1::header::HeaderValue::from_static("POST"));
        return response;
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

fn route(
    req: &Request<Incoming>,
    telemetry: &Telemetry,
    feed: Option<&ServedFeed>,
) -> Response<Full<Bytes>> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/healthz") => match telemetry.health() {
            Ok(()) => text(StatusCode::OK, "text/plain", "ok\n".into()),
            Err(reason) => text(
                StatusCode::SERVICE_UNAVAILABLE,
                "text/plain",
                format!("unhealthy: {reason}\n"),
            ),
        },
        (&Method::GET, "/metrics") => text(
            StatusCode::OK,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            telemetry.encode(),
        ),
        (&Method::GET | &Method::HEAD, "/events.ics") => {
            let response = match feed {
                Some(feed) => calendar(req, feed),
                None => text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "text/plain",
                    "the calendar is not ready yet: the events are being read\n".into(),
                ),
            };
            count_status(&telemetry.feed_requests, &response);
            response
        }
        _ => text(StatusCode::NOT_FOUND, "text/plain", "not found\n".into()),
    }
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
    let body = if not_modified || req.method() == Method::HEAD {
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
