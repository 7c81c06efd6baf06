//! The HTTP listener against careless and hostile clients, on the real binary (`crier run --json` in
//! console mode, `[http] listen` on 127.0.0.1): HEAD and 405, the header and idle timeouts, the cap on
//! open connections below the descriptor limit, and accept errors when descriptors run out.
//!
//! The timeouts are shortened through the environment variables that exist for that
//! (`CRIER_HTTP_HEADER_TIMEOUT`, `CRIER_HTTP_IDLE_TIMEOUT`, `CRIER_HTTP_MAX_CONNECTIONS`), and the
//! descriptor limit is lowered for crier alone by `ulimit -n` in the shell that execs it. Every bound
//! on time is generous: a timeout of 1 s must act after 0.8 s and before 15 s.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::site::Site;

/// A running `crier run --json` with the listener on a free loopback port, started by the one
/// harness, with the helpers these tests share.
struct Crier {
    app: support::crier::Crier,
    port: u16,
    _site: Site,
}

impl Crier {
    /// Starts crier on a site with one upcoming event, with `env` set and, given `open_files`, that
    /// descriptor limit; returns once the listener is up and `/healthz` says 200.
    fn start(env: &[(&str, &str)], open_files: Option<u32>) -> Crier {
        let start = chrono::Utc::now() + chrono::Duration::days(30);
        let site = Site::with_events([(
            "a.md",
            format!(
                "---\nid: a\ntitle: Event a\ndate: \"{}\"\nonline: true\n---\n",
                start.format("%Y-%m-%dT18:00:00Z")
            ),
        )]);
        let mut builder = site.crier().listen();
        if let Some(limit) = open_files {
            builder = builder.open_files(limit);
        }
        for (key, value) in env {
            builder = builder.env(key, value);
        }
        let app = builder.start();
        assert!(
            app.wait_for_log(Duration::from_secs(30), "HTTP listener"),
            "{}",
            app.logs()
        );
        let crier = Crier {
            port: app.port(),
            app,
            _site: site,
        };
        crier.wait_for_health(Duration::from_secs(30));
        crier
    }

    fn connect(&self) -> TcpStream {
        // A full backlog (128 connections) drops the handshake: fail rather than wait for retries.
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        let stream =
            TcpStream::connect_timeout(&address, Duration::from_secs(10)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        stream
    }

    /// One request on its own connection (`Connection: close`): the whole response.
    fn request(&self, method: &str, path: &str) -> Response {
        let mut stream = self.connect();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("the whole response");
        Response::parse(&raw)
    }

    /// Waits until `/healthz` says 200 on a new connection; panics after `within`.
    fn wait_for_health(&self, within: Duration) {
        let end = Instant::now() + within;
        loop {
            let answer = TcpStream::connect(("127.0.0.1", self.port))
                .ok()
                .and_then(|mut s| {
                    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
                    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .ok()?;
                    let mut raw = Vec::new();
                    s.read_to_end(&mut raw).ok()?;
                    Some(Response::parse(&raw))
                });
            if answer.as_ref().is_some_and(|r| r.status == 200) {
                return;
            }
            assert!(
                Instant::now() < end,
                "no 200 from /healthz within {within:?}: {answer:?}\n{}",
                self.app.logs()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The lines of the log that contain `needle`.
    fn log_lines(&self, needle: &str) -> usize {
        self.app
            .logs()
            .lines()
            .filter(|l| l.contains(needle))
            .count()
    }

    /// The warnings about HTTP in the log.
    fn http_warnings(&self) -> usize {
        self.app
            .logs()
            .lines()
            .filter(|l| l.contains("WARN") && l.contains("HTTP"))
            .count()
    }

    /// CPU time (user and system) crier has used, from `/proc/<pid>/stat`.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.app.pid()))
            .expect("/proc/<pid>/stat");
        // The fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .expect("(comm)")
            .1
            .split_whitespace()
            .collect();
        // utime and stime are fields 14 and 15 (1-based, counting pid and comm), in clock ticks of
        // 1/100 s on Linux.
        let ticks: u64 =
            fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
        Duration::from_millis(ticks * 10)
    }
}

/// An HTTP response: status, headers (names lowercased) and body.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw);
        let (head, _) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("no end of headers in {text:?}"));
        let body = raw[head.len() + 4..].to_vec();
        Response::from_head(head, body)
    }

    fn from_head(head: &str, body: Vec<u8>) -> Response {
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn content_length(&self) -> Option<usize> {
        self.header("content-length").and_then(|v| v.parse().ok())
    }
}

/// Reads one response from a kept-alive connection (its body delimited by Content-Length).
fn read_response(reader: &mut BufReader<TcpStream>) -> Response {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("a response line");
        assert!(n > 0, "the connection closed mid-response: {head:?}");
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut response = Response::from_head(head.trim_end(), Vec::new());
    let mut body = vec![0; response.content_length().expect("Content-Length")];
    reader.read_exact(&mut body).expect("the body");
    response.body = body;
    response
}

/// Waits for the server to close `stream` (EOF or a reset), reading and dropping what it sends; the
/// time from `since` to the close, or `None` if it is still open 15 s after `since`.
fn closed_after(stream: &mut TcpStream, since: Instant) -> Option<Duration> {
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let mut buf = [0; 1024];
    while since.elapsed() < Duration::from_secs(15) {
        match stream.read(&mut buf) {
            Ok(0) => return Some(since.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(since.elapsed()),
        }
    }
    None
}

/// Asserts that a timeout of 1 s closed a connection quiet since `since`: not at once (that would be
/// a refusal), and not never.
fn closed_by_a_1s_timeout(name: &str, stream: &mut TcpStream, since: Instant) {
    let took = closed_after(stream, since).unwrap_or_else(|| panic!("{name}: open after 15 s"));
    assert!(
        took >= Duration::from_millis(800),
        "{name}: closed after {took:?}, before the 1 s timeout"
    );
}

/// Whether the server has sent something on `stream` that was not read yet.
fn has_answer(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).expect("nonblocking");
    let ready = matches!(stream.peek(&mut [0; 1]), Ok(n) if n > 0);
    stream.set_nonblocking(false).expect("blocking");
    ready
}

/// Waits until `n` of `clients` have an answer, then a little longer, and asserts that no more do.
fn wait_for_answers(clients: &[TcpStream], n: usize) {
    let answered = || clients.iter().filter(|c| has_answer(c)).count();
    let end = Instant::now() + Duration::from_secs(15);
    while answered() < n {
        assert!(
            Instant::now() < end,
            "{} answered of the {n} expected",
            answered()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(answered(), n, "exactly {n} are served");
}

/// The `max_connections` crier logged when its listener started.
fn logged_cap(crier: &Crier) -> usize {
    let text = crier.app.logs();
    let (_, after) = text
        .split_once("max_connections=")
        .unwrap_or_else(|| panic!("no max_connections in the log:\n{text}"));
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

#[test]
fn head_is_answered_wherever_get_is_and_other_methods_get_405_with_allow() {
    let crier = Crier::start(&[], None);
    // The feed is built just after the first catalog: wait for it.
    let end = Instant::now() + Duration::from_secs(30);
    while crier.request("GET", "/events.ics").status != 200 {
        assert!(Instant::now() < end, "no feed");
        std::thread::sleep(Duration::from_millis(200));
    }
    for path in ["/healthz", "/metrics", "/events.ics"] {
        let get = crier.request("GET", path);
        let head = crier.request("HEAD", path);
        assert_eq!((get.status, head.status), (200, 200), "{path}");
        assert!(!get.body.is_empty(), "{path}");
        assert_eq!(get.content_length(), Some(get.body.len()), "{path}");
        assert!(head.body.is_empty(), "{path}: HEAD has no body: {head:?}");
        assert_eq!(head.header("content-type"), get.header("content-type"));
        // Content-Length as for GET (the metrics may change between the two requests).
        let length = head
            .content_length()
            .unwrap_or_else(|| panic!("{path}: HEAD has Content-Length: {head:?}"));
        if path == "/metrics" {
            assert!(length > 0);
        } else {
            assert_eq!(length, get.body.len(), "{path}");
        }
    }
    let ics = crier.request("HEAD", "/events.ics");
    assert!(ics.header("etag").is_some() && ics.header("last-modified").is_some());

    for (method, path) in [
        ("PUT", "/healthz"),
        ("POST", "/healthz"),
        ("DELETE", "/metrics"),
        ("POST", "/events.ics"),
        ("OPTIONS", "/events.ics"),
    ] {
        let answer = crier.request(method, path);
        assert_eq!(answer.status, 405, "{method} {path}: {answer:?}");
        assert_eq!(answer.header("allow"), Some("GET, HEAD"), "{method} {path}");
    }
    // Unknown paths stay 404, whatever the method; without a webhook secret there is no webhook.
    for (method, path) in [
        ("GET", "/nope"),
        ("HEAD", "/nope"),
        ("PUT", "/nope"),
        ("GET", "/healthz/"),
        ("POST", "/hooks/git"),
    ] {
        let answer = crier.request(method, path);
        assert_eq!(answer.status, 404, "{method} {path}: {answer:?}");
        assert_eq!(answer.header("allow"), None);
    }
    assert_eq!(crier.request("HEAD", "/nope").body, b"");
}

#[test]
fn a_client_that_sends_half_its_headers_or_nothing_is_disconnected_after_the_header_timeout() {
    // The idle timeout is out of the way: what closes these is the header timeout.
    let crier = Crier::start(
        &[
            ("CRIER_HTTP_HEADER_TIMEOUT", "1s"),
            ("CRIER_HTTP_IDLE_TIMEOUT", "60s"),
        ],
        None,
    );
    let opened = Instant::now();
    let mut half = crier.connect();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: sl")
        .expect("send");
    let mut silent = crier.connect();
    closed_by_a_1s_timeout("half the headers", &mut half, opened);
    closed_by_a_1s_timeout("nothing", &mut silent, opened);
    // A kept-alive connection has as long for its next request's head.
    let mut kept = crier.connect();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    let mut reader = BufReader::new(kept.try_clone().expect("clone"));
    assert_eq!(read_response(&mut reader).status, 200);
    closed_by_a_1s_timeout("kept alive", &mut kept, Instant::now());
    // None of this is worth a warning: it is the client's doing.
    assert_eq!(crier.http_warnings(), 0, "{}", crier.app.logs());
    crier.wait_for_health(Duration::from_secs(5));
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // The header timeout is out of the way: what closes the connection is the idle timeout.
    let crier = Crier::start(
        &[
            ("CRIER_HTTP_HEADER_TIMEOUT", "60s"),
            ("CRIER_HTTP_IDLE_TIMEOUT", "1s"),
        ],
        None,
    );
    let mut stream = crier.connect();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    // Keep-alive works: two requests on one connection, the second at once.
    for _ in 0..2 {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("send");
        let answer = read_response(&mut reader);
        assert_eq!((answer.status, answer.body.as_slice()), (200, &b"ok\n"[..]));
    }
    closed_by_a_1s_timeout("kept alive", &mut stream, Instant::now());
    // A connection that sends nothing at all is idle too.
    let opened = Instant::now();
    let mut silent = crier.connect();
    closed_by_a_1s_timeout("nothing", &mut silent, opened);
    assert_eq!(crier.http_warnings(), 0, "{}", crier.app.logs());
}

#[test]
fn a_client_that_stops_reading_its_responses_is_disconnected_after_the_idle_timeout() {
    let crier = Crier::start(
        &[
            ("CRIER_HTTP_HEADER_TIMEOUT", "60s"),
            ("CRIER_HTTP_IDLE_TIMEOUT", "1s"),
        ],
        None,
    );
    let one = crier.request("GET", "/metrics").body.len();
    // Pipelined requests whose answers (tens of MB) no socket buffer holds: once the buffers are
    // full crier's writes stall, and hyper has no timeout for that; the idle timeout ends it.
    const REQUESTS: usize = 20_000;
    let stream = crier.connect();
    let mut writer = stream.try_clone().expect("clone");
    let requests = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(REQUESTS);
    // Its own thread: once crier stops reading, so might this write (it fails when crier closes).
    let sending = std::thread::spawn(move || {
        let _ = writer.write_all(requests.as_bytes());
    });
    std::thread::sleep(Duration::from_secs(5));
    // Reading now gets what the buffers held, then the end: far from every answer.
    let mut reader = stream;
    reader
        .set_read_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    let since = Instant::now();
    let mut received = 0;
    let mut buf = vec![0; 1 << 16];
    // Until the end of the stream (EOF, or a reset since requests were left unread).
    loop {
        assert!(
            since.elapsed() < Duration::from_secs(15),
            "still open: {received} bytes read"
        );
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => received += n,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    assert!(
        received < REQUESTS * one / 2,
        "{received} bytes: the connection was not cut short"
    );
    sending.join().expect("the sender");
    crier.wait_for_health(Duration::from_secs(5));
}

#[test]
fn at_the_connection_cap_crier_stops_accepting_and_serves_the_backlog_as_connections_close() {
    // 64 descriptors: the cap is half, 32. No timeout frees a slot during the test.
    let crier = Crier::start(
        &[
            ("CRIER_HTTP_HEADER_TIMEOUT", "60s"),
            ("CRIER_HTTP_IDLE_TIMEOUT", "60s"),
        ],
        Some(64),
    );
    let cap = logged_cap(&crier);
    assert_eq!(cap, 32);
    // 90 clients each send a request and keep their connection.
    let mut clients: Vec<TcpStream> = (0..90)
        .map(|_| {
            let mut stream = crier.connect();
            stream
                .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .expect("send");
            stream
        })
        .collect();
    wait_for_answers(&clients, cap);
    let answered: Vec<bool> = clients.iter().map(has_answer).collect();
    assert!(answered[..cap].iter().all(|a| *a), "in the order they came");
    // Those waiting were left in the backlog, not accepted and dropped: when the first 32 close,
    // the next 32 are served.
    clients.drain(..cap);
    wait_for_answers(&clients, cap);
    // And the last 26, which waited longest, are served too.
    clients.drain(..cap);
    wait_for_answers(&clients, 90 - 2 * cap);
    // Crier never ran out of descriptors, so it had nothing to complain about.
    assert_eq!(crier.log_lines("HTTP accept"), 0, "{}", crier.app.logs());
    drop(clients);
    crier.wait_for_health(Duration::from_secs(15));
}

#[test]
fn when_descriptors_run_out_accept_errors_back_off_and_are_logged_once_per_burst() {
    // The setup: 64 descriptors and a cap above them (the override), so that accepting runs
    // out of descriptors while 120 connections sit open (the 70 or so not accepted wait in the
    // backlog, which holds 128).
    let crier = Crier::start(
        &[
            ("CRIER_HTTP_HEADER_TIMEOUT", "60s"),
            ("CRIER_HTTP_IDLE_TIMEOUT", "60s"),
            ("CRIER_HTTP_MAX_CONNECTIONS", "1000"),
        ],
        Some(64),
    );
    let clients: Vec<TcpStream> = (0..120).map(|_| crier.connect()).collect();
    assert!(
        crier
            .app
            .wait_for_log(Duration::from_secs(15), "HTTP accept failed"),
        "descriptors ran out: {}",
        crier.app.logs()
    );
    let cpu = crier.cpu();
    let lines = crier.log_lines("HTTP accept");
    std::thread::sleep(Duration::from_secs(5));
    let cpu = crier.cpu().checked_sub(cpu).unwrap();
    let more = crier.log_lines("HTTP accept") - lines;
    eprintln!("out of descriptors for 5 s: {more} more log lines, {cpu:?} of CPU");
    // Retrying at once logged 120,000 lines a second and took a core; with the backoff it tries
    // once a second and logs nothing more until the burst ends.
    assert!(more <= 2, "{more} lines:\n{}", crier.app.logs());
    assert!(cpu < Duration::from_secs(1), "{cpu:?} of CPU in 5 s");

    // Once the clients let go, crier answers again and says how many errors it did not log.
    drop(clients);
    crier.wait_for_health(Duration::from_secs(20));
    assert!(
        crier
            .app
            .wait_for_log(Duration::from_secs(5), "HTTP accept works again: "),
        "{}",
        crier.app.logs()
    );
    let text = crier.app.logs();
    let summary = text
        .lines()
        .find(|l| l.contains("HTTP accept works again: "))
        .expect("the summary");
    // The burst lasted over 5 s at one try a second or more: several errors, all but one unlogged.
    let field = |name: &str| -> u64 {
        summary
            .split_once(&format!("{name}="))
            .and_then(|(_, v)| v.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {summary}"))
    };
    assert!(field("errors") >= 5, "{summary}");
    assert!(field("not_logged") >= 4, "{summary}");
    let total = crier.log_lines("HTTP accept");
    assert!(total <= 5, "{total} lines:\n{text}");
}
