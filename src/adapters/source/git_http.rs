//! The git source's HTTP transport: gitoxide's blocking [`Http`] trait over the reqwest 0.12 that
//! serenity already brings, so the binary carries one HTTP client stack instead of two.
//!
//! gitoxide's own reqwest backend (gix-transport 0.62, `http-client-reqwest`) is written against
//! reqwest 0.13, a second copy of reqwest, hyper-util's proxy code, h2 and more beside serenity's
//! reqwest 0.12. This is that backend ported to reqwest 0.12, and it behaves as gitoxide's did:
//!
//! - one worker thread per connection owns a `reqwest::blocking::Client` (built on its first
//!   request) and streams each request and response through pipes, as the trait's post-then-read
//!   protocol needs;
//! - redirects: gitoxide's policy (by default only the first request of a connection may be
//!   redirected, never from https to http, to another host only if the path's tail stays the same,
//!   at most 50), and the redirected base URL is handed back so that gix-transport drops the
//!   credentials when the host changes;
//! - a 401 is an `io::ErrorKind::PermissionDenied` carrying the `WWW-Authenticate` challenges, which
//!   is what makes gitoxide ask the credential callback for the token (it is then sent as Basic
//!   auth by gix-transport, never put in a URL);
//! - timeouts: 20 s to connect (gitoxide's), and [`REQUEST_TIMEOUT`] for each whole request;
//! - TLS: rustls with ring and the system's CA certificates through rustls-platform-verifier,
//!   the verifier reqwest 0.13 used. Only HTTP/1.1 is offered (reqwest 0.12 is built without h2
//!   here; git's smart protocol needs nothing more).

use std::any::Any;
use std::io::{self, Read, Write};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use gix::error::{message, Class, ClassificationMarker, Error, ErrorExt, Result, ResultExt};
use gix::protocol::transport::client::blocking_io::http::{
    self, options::FollowRedirects, GetResponse, Http, PostBodyDataKind, PostResponse,
};
use gix::protocol::transport::client::AuthenticationRequired;
use gix::utils::io::pipe;

/// How long one HTTP request of a fetch may take, the pack's download included (a server that
/// accepts the connection and then hangs must not hold the source forever; reqwest's blocking
/// default of 30 s would cut a first clone of a large site on a slow link).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// How long a connection attempt may take (gitoxide's reqwest backend's value).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Redirects followed for one request at most (curl's default, which git inherits).
const MAX_REDIRECTS: usize = 50;

/// The transport for `url`: gix-transport's smart-HTTP client over [`Remote`].
pub fn connect(
    url: gix::Url,
    version: gix::protocol::transport::Protocol,
) -> http::Transport<Remote> {
    // Packet tracing stays off, as gitoxide's isolated configuration (GIT_TRACE_PACKET unread) had it.
    http::connect_http(Remote::default(), url, version, false)
}

/// An [`Http`] implementation: requests go to a worker thread that owns the reqwest client.
pub struct Remote {
    /// The worker; taken when it has stopped with an error, to report it and start a new one.
    handle: Option<JoinHandle<Result>>,
    request: SyncSender<Request>,
    response: Receiver<Response>,
    config: http::Options,
    /// The base URL after a redirect the worker accepted, shared with it.
    redirected_base_url: Arc<Mutex<Option<String>>>,
}

/// What gix-transport asks the worker for.
struct Request {
    url: String,
    base_url: String,
    headers: reqwest::header::HeaderMap,
    /// `None` for a GET.
    upload_body_kind: Option<PostBodyDataKind>,
    config: http::Options,
}

/// The pipes of one exchange: the caller writes `upload_body`, then reads `headers` to their end,
/// then `body`.
struct Response {
    headers: pipe::Reader,
    body: pipe::Reader,
    upload_body: pipe::Writer,
}

/// What the redirect policy does with the current request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RedirectAction {
    Follow,
    /// Headers from configuration (`http.extraHeader`) must not be sent to wherever a redirect
    /// points: such a request fails instead of following.
    RejectConfiguredHeaders,
    Stop,
}

/// State the redirect policy (a closure the client keeps) shares with the worker's loop.
#[derive(Clone)]
struct RedirectState {
    action: Arc<Mutex<RedirectAction>>,
    /// The current request's URL past its base URL (`/info/refs?service=...`): a redirect to
    /// another host must keep it.
    tail: Arc<Mutex<String>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The guarded values are plain data that a panic cannot leave half-written.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Default for Remote {
    fn default() -> Self {
        let (request_tx, request_rx) = std::sync::mpsc::sync_channel(0);
        let (response_tx, response_rx) = std::sync::mpsc::sync_channel(0);
        let redirected_base_url = Arc::new(Mutex::new(None));
        let shared = redirected_base_url.clone();
        let handle = std::thread::Builder::new()
            .name("git-http".into())
            .spawn(move || worker(request_rx, response_tx, shared))
            .ok();
        // If no thread could be spawned, the request channel has no receiver: the first request
        // fails and `restart_after_failure` says so.
        Remote {
            handle,
            request: request_tx,
            response: response_rx,
            config: http::Options::default(),
            redirected_base_url,
        }
    }
}

/// The worker: builds the client on the first request, then answers requests until the
/// [`Remote`] is dropped. An error that ends it is reported by the next request.
fn worker(
    requests: Receiver<Request>,
    responses: SyncSender<Response>,
    redirected_base_url: Arc<Mutex<Option<String>>>,
) -> Result {
    let redirect = RedirectState {
        action: Arc::new(Mutex::new(RedirectAction::Stop)),
        tail: Arc::new(Mutex::new(String::new())),
    };
    let mut follow = None;
    let mut client = None;
    for Request {
        url,
        base_url,
        headers,
        upload_body_kind,
        config,
    } in requests
    {
        let client = match &client {
            Some(client) => client,
            None => client.insert(build_client(&redirect)?),
        };
        let effective_url = swap_tails(
            lock(&redirected_base_url).as_deref(),
            &base_url,
            url.clone(),
        );
        let mut builder = match upload_body_kind {
            Some(_) => client.post(&effective_url),
            None => client.get(&effective_url),
        }
        .headers(headers);
        let (post_body_tx, mut post_body_rx) = pipe::unidirectional(0);
        let (mut response_body_tx, response_body_rx) = pipe::unidirectional(0);
        let (mut headers_tx, headers_rx) = pipe::unidirectional(0);
        if responses
            .send(Response {
                headers: headers_rx,
                body: response_body_rx,
                upload_body: post_body_tx,
            })
            .is_err()
        {
            // The caller stopped listening: nothing more will be asked.
            break;
        }
        builder = match upload_body_kind {
            Some(PostBodyDataKind::BoundedAndFitsIntoMemory) => {
                let mut buf = Vec::with_capacity(512);
                post_body_rx.read_to_end(&mut buf).or_raise(|| {
                    message("Could not finish reading all data to post to the remote")
                })?;
                builder.body(buf)
            }
            Some(PostBodyDataKind::Unbounded) => {
                builder.body(reqwest::blocking::Body::new(post_body_rx))
            }
            None => builder,
        };
        let request = builder
            .build()
            .map_err(classify)
            .or_raise(|| message("Could not build HTTP request"))?;

        let follow = follow.get_or_insert(config.follow_redirects);
        let may_follow = matches!(*follow, FollowRedirects::Initial | FollowRedirects::All);
        *lock(&redirect.action) = match (may_follow, !config.extra_headers.is_empty()) {
            (true, false) => RedirectAction::Follow,
            (true, true) => RedirectAction::RejectConfiguredHeaders,
            (false, _) => RedirectAction::Stop,
        };
        *lock(&redirect.tail) = url.strip_prefix(&base_url).unwrap_or_default().to_owned();
        if *follow == FollowRedirects::Initial {
            *follow = FollowRedirects::None;
        }

        let mut www_authenticate = Vec::new();
        let sent = client.execute(request).and_then(|response| {
            if response.status() == reqwest::StatusCode::UNAUTHORIZED {
                www_authenticate = response
                    .headers()
                    .get_all(reqwest::header::WWW_AUTHENTICATE)
                    .iter()
                    .map(|value| value.as_bytes().into())
                    .collect();
            }
            response.error_for_status()
        });
        let mut response = match sent {
            Ok(response) => response,
            Err(err) => {
                // An HTTP error keeps the final URL: a 401 after a redirect must be retried, with
                // the credentials, at the redirected base.
                if let Some(actual) = err.url().map(reqwest::Url::as_str) {
                    if actual != effective_url {
                        *lock(&redirected_base_url) =
                            Some(redirected_base(actual, &base_url, &url)?);
                    }
                }
                let err = match err.status() {
                    Some(reqwest::StatusCode::UNAUTHORIZED) => io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        AuthenticationRequired { www_authenticate },
                    ),
                    Some(status) => {
                        let kind = if status.is_server_error()
                            && status != reqwest::StatusCode::NOT_IMPLEMENTED
                        {
                            io::ErrorKind::ConnectionAborted
                        } else {
                            io::ErrorKind::Other
                        };
                        io::Error::new(
                            kind,
                            classify(err).and_raise(gix::error::message!(
                                "Received HTTP status {}",
                                status.as_str()
                            )),
                        )
                    }
                    // The reqwest error stays the source: a connection or TLS failure keeps its cause.
                    None => io::Error::other(classify(err)),
                };
                headers_tx.channel.send(Err(err)).ok();
                continue;
            }
        };

        let actual = response.url().as_str();
        if actual != effective_url {
            *lock(&redirected_base_url) = Some(redirected_base(actual, &base_url, &url)?);
        }

        // The reader may not want the headers at all: failing to hand them over is not an error.
        let _ = send_headers(&mut headers_tx, response.headers());
        // Dropped: the reader sees the end of the headers.
        drop(headers_tx);

        // A failure mid-body goes to the reader, which is all that can be done with it.
        if let Err(err) = io::copy(&mut response, &mut response_body_tx) {
            response_body_tx.channel.send(Err(err)).ok();
        }
    }
    Ok(())
}

/// Writes `headers` as `name:value` lines, as gix-transport reads them.
fn send_headers(to: &mut pipe::Writer, headers: &reqwest::header::HeaderMap) -> io::Result<()> {
    for (name, value) in headers {
        to.write_all(name.as_str().as_bytes())?;
        to.write_all(b":")?;
        to.write_all(value.as_bytes())?;
        to.write_all(b"\n")?;
    }
    Ok(())
}

/// The client of one connection: timeouts, TLS and gitoxide's redirect policy.
fn build_client(redirect: &RedirectState) -> Result<reqwest::blocking::Client> {
    let policy = {
        let redirect = redirect.clone();
        reqwest::redirect::Policy::custom(move |attempt| {
            let action = *lock(&redirect.action);
            match action {
                RedirectAction::Follow => {
                    if attempt.previous().len() >= MAX_REDIRECTS {
                        return attempt.error("too many redirects");
                    }
                    let Some(previous) = attempt.previous().last() else {
                        return attempt.follow();
                    };
                    let current = attempt.url();
                    if !scheme_is_safe(current.as_str(), previous.as_str()) {
                        // Never from https to http (nor to anything but http(s)).
                        attempt.stop()
                    } else if authority_changed(current, previous) {
                        let tail = lock(&redirect.tail).clone();
                        if current.as_str().ends_with(tail.as_str()) {
                            attempt.follow()
                        } else {
                            let error = format!(
                                "redirect url {:?} does not end with expected request suffix {tail:?}",
                                current.as_str()
                            );
                            attempt.error(error)
                        }
                    } else {
                        attempt.follow()
                    }
                }
                RedirectAction::RejectConfiguredHeaders => attempt
                    .error("refusing to follow redirect after request headers were configured"),
                RedirectAction::Stop => attempt.stop(),
            }
        })
    };
    reqwest::blocking::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .http1_title_case_headers()
        .use_preconfigured_tls(tls_config()?)
        .redirect(policy)
        .build()
        .map_err(classify)
        .or_raise(|| message("Could not initialize HTTP client"))
}

/// rustls with ring, verifying servers against the system's CA certificates (as reqwest 0.13's
/// rustls did for gitoxide: the platform verifier; on Linux, /etc/ssl/certs or `SSL_CERT_FILE`).
fn tls_config() -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .or_raise(|| message("Could not load the system's CA certificates"))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .or_raise(|| message("Could not configure TLS"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A reqwest error, classified for gitoxide's retry logic as gitoxide's backend does.
fn classify(err: reqwest::Error) -> Error {
    let class = match err.status() {
        Some(reqwest::StatusCode::FORBIDDEN) => Some(Class::PermissionDenied),
        Some(reqwest::StatusCode::CONFLICT) => Some(Class::Conflict),
        Some(reqwest::StatusCode::NOT_IMPLEMENTED) => Some(Class::Unsupported),
        _ if err.is_timeout()
            || err.is_connect()
            || err.status().is_some_and(|status| status.is_server_error()) =>
        {
            Some(Class::Retryable)
        }
        _ => None,
    };
    match class {
        Some(class) => Error::from_error(ClassificationMarker::with_source(class, err)),
        None => Error::from_error(err),
    }
}

fn authority_changed(current: &reqwest::Url, previous: &reqwest::Url) -> bool {
    current.scheme() != previous.scheme()
        || current.host_str() != previous.host_str()
        || current.port_or_known_default() != previous.port_or_known_default()
}

/// Whether a redirect from `original` to `redirect` keeps the connection as safe: http(s) only,
/// the same scheme or http upgraded to https.
fn scheme_is_safe(redirect: &str, original: &str) -> bool {
    let (Ok(redirect), Ok(original)) = (gix::url::parse(redirect), gix::url::parse(original))
    else {
        return false;
    };
    use gix::url::Scheme;
    if !matches!(redirect.scheme, Scheme::Http | Scheme::Https) {
        return false;
    }
    redirect.scheme == original.scheme
        || (original.scheme == Scheme::Http && redirect.scheme == Scheme::Https)
}

/// The base URL a redirect leads to: `redirect` less the request's tail (`url` past `base_url`).
fn redirected_base(redirect: &str, base_url: &str, url: &str) -> Result<String> {
    let tail = url.strip_prefix(base_url).unwrap_or_default();
    let unreconcilable = || {
        gix::error::message!(
            "Redirect url {redirect:?} could not be reconciled with original url {url} as the scheme is insecure or they don't share the same suffix"
        )
        .raise()
    };
    if !scheme_is_safe(redirect, base_url) {
        return Err(unreconcilable());
    }
    redirect
        .strip_suffix(tail)
        .map(ToOwned::to_owned)
        .ok_or_else(unreconcilable)
}

/// `url` with its `base_url` prefix replaced by the redirected base, if there is one.
fn swap_tails(redirected_base: Option<&str>, base_url: &str, mut url: String) -> String {
    if let Some(base) = redirected_base {
        if url.starts_with(base_url) {
            url.replace_range(..base_url.len(), base);
        }
    }
    url
}

/// Adds one `name: value` line to `map`; a malformed line (from configuration) is skipped, as curl
/// does. The Authorization header is marked sensitive, so no Debug output of a request shows it.
fn insert_header(map: &mut reqwest::header::HeaderMap, line: &str) {
    let Some((name, value)) = line.split_once(':') else {
        return;
    };
    let (Ok(name), Ok(mut value)) = (
        reqwest::header::HeaderName::from_str(name),
        reqwest::header::HeaderValue::try_from(value.trim()),
    ) else {
        return;
    };
    if name == reqwest::header::AUTHORIZATION {
        value.set_sensitive(true);
    }
    map.append(name, value);
}

impl Remote {
    /// The worker has stopped: its error, and a fresh worker for the next request.
    fn restart_after_failure(&mut self) -> Error {
        let stopped = match self.handle.take().map(JoinHandle::join) {
            Some(Ok(Err(err))) => err,
            Some(Ok(Ok(()))) => message("the HTTP worker stopped").raise(),
            Some(Err(_)) => message("the HTTP worker panicked").raise(),
            None => message("no thread could be started for the HTTP worker").raise(),
        };
        let config = std::mem::take(&mut self.config);
        *self = Remote::default();
        self.config = config;
        stopped.and_raise(message("Could not initialize the http client"))
    }

    fn make_request(
        &mut self,
        url: &str,
        base_url: &str,
        headers: impl IntoIterator<Item = impl AsRef<str>>,
        upload_body_kind: Option<PostBodyDataKind>,
    ) -> Result<PostResponse<pipe::Reader, pipe::Reader, pipe::Writer>> {
        let mut header_map = reqwest::header::HeaderMap::new();
        for line in headers {
            insert_header(&mut header_map, line.as_ref());
        }
        for line in &self.config.extra_headers {
            insert_header(&mut header_map, line);
        }
        let request = Request {
            url: url.to_owned(),
            base_url: base_url.to_owned(),
            headers: header_map,
            upload_body_kind,
            config: self.config.clone(),
        };
        if self.request.send(request).is_err() {
            return Err(self.restart_after_failure());
        }
        let Ok(Response {
            headers,
            body,
            upload_body,
        }) = self.response.recv()
        else {
            return Err(self.restart_after_failure());
        };
        Ok(PostResponse {
            post_body: upload_body,
            headers,
            body,
        })
    }
}

impl Http for Remote {
    type Headers = pipe::Reader;
    type ResponseBody = pipe::Reader;
    type PostBody = pipe::Writer;

    fn get(
        &mut self,
        url: &str,
        base_url: &str,
        headers: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<GetResponse<Self::Headers, Self::ResponseBody>> {
        self.make_request(url, base_url, headers, None)
            .map(Into::into)
    }

    fn post(
        &mut self,
        url: &str,
        base_url: &str,
        headers: impl IntoIterator<Item = impl AsRef<str>>,
        body: PostBodyDataKind,
    ) -> Result<PostResponse<Self::Headers, Self::ResponseBody, Self::PostBody>> {
        self.make_request(url, base_url, headers, Some(body))
    }

    fn configure(&mut self, config: &dyn Any) -> Result {
        if let Some(config) = config.downcast_ref::<http::Options>() {
            self.config = config.clone();
        }
        Ok(())
    }

    fn redirected_base_url(&self) -> Option<String> {
        lock(&self.redirected_base_url).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_keep_the_scheme_or_upgrade_to_https() {
        assert!(scheme_is_safe("https://a/x", "https://a/y"));
        assert!(scheme_is_safe("https://b/x", "http://a/y"));
        assert!(!scheme_is_safe("http://a/x", "https://a/y"));
        assert!(!scheme_is_safe("file:///srv/x", "https://a/y"));
    }

    #[test]
    fn the_redirected_base_is_the_redirect_less_the_tail() {
        let url = "https://a/org/site/info/refs?service=git-upload-pack";
        let base = "https://a/org/site";
        assert_eq!(
            redirected_base(
                "https://b/mirror/site/info/refs?service=git-upload-pack",
                base,
                url
            )
            .expect("same tail"),
            "https://b/mirror/site"
        );
        assert!(redirected_base("https://b/elsewhere", base, url).is_err());
        assert!(redirected_base(
            "http://a/org/site/info/refs?service=git-upload-pack",
            base,
            url
        )
        .is_err());
        assert_eq!(
            swap_tails(Some("https://b/m"), base, format!("{base}/git-upload-pack")),
            "https://b/m/git-upload-pack"
        );
        assert_eq!(swap_tails(None, base, url.into()), url);
    }

    #[test]
    fn the_authorization_header_is_sensitive_and_bad_lines_are_skipped() {
        let mut map = reqwest::header::HeaderMap::new();
        insert_header(&mut map, "Authorization: Basic eDp0b2tlbg==");
        insert_header(&mut map, "no colon here");
        insert_header(&mut map, "Bad Name: x");
        insert_header(&mut map, "Git-Protocol: version=2");
        assert_eq!(map.len(), 2);
        assert!(map[reqwest::header::AUTHORIZATION].is_sensitive());
        assert!(!format!("{map:?}").contains("eDp0b2tlbg"));
    }
}
