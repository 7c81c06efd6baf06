//! The git source against a real git server on 127.0.0.1 (`git http-backend`, see
//! `support/git_server.rs`): the follower itself, then the real `crier` binary following a site
//! repository through clones, polls, webhooks, outages, force-pushes, broken commits and kill -9.

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::app::{label, App};
use support::git_server::{skip_reason, GitServer, SiteRepo};

use crier::secret::Secret;
use crier::source::git::{Follower, Remote};

/// Prints why the test cannot run here, if it cannot.
fn skipped() -> bool {
    match skip_reason() {
        Some(reason) => {
            eprintln!("skipped: {reason}");
            true
        }
        None => false,
    }
}

/// An event file starting `days` from now.
fn event(id: &str, days: i64) -> String {
    let start = chrono::Utc::now() + chrono::Duration::days(days);
    format!(
        "---\nid: {id}\ntitle: Meetup {id}\ndate: \"{}\"\nonline: true\n---\nTalks.\n",
        start.format("%Y-%m-%dT18:00:00Z")
    )
}

/// A served site repository with one event, and a folder for the bot.
struct World {
    _root: tempfile::TempDir,
    server: GitServer,
    repo: SiteRepo,
    bot: tempfile::TempDir,
}

impl World {
    fn new() -> World {
        let root = tempfile::tempdir().expect("server root");
        let repo = SiteRepo::new(root.path(), "site");
        repo.write("events/first.md", &event("first", 30));
        repo.write("README.md", "# The site\n");
        repo.write("assets/logo.svg", "<svg/>\n");
        repo.commit("First event");
        repo.push();
        let server = GitServer::start(root.path());
        World {
            _root: root,
            server,
            repo,
            bot: tempfile::tempdir().expect("bot dir"),
        }
    }

    fn url(&self) -> String {
        self.server.url("site")
    }

    /// Writes the bot's config: the repository, `source` lines added to `[source]`, `extra` after.
    fn config(&self, source: &str, extra: &str) {
        let text = format!(
            "state_dir = \"state\"\ntimezone = \"UTC\"\n[reminders]\noffsets = []\n[source]\ngit = \"{}\"\n{source}\n{extra}",
            self.url()
        );
        std::fs::write(self.bot.path().join("config.toml"), text).expect("config");
    }

    fn commit(&self, path: &str, text: &str, message: &str) -> String {
        self.repo.write(path, text);
        let id = self.repo.commit(message);
        self.repo.push();
        id
    }

    fn source_dir(&self) -> std::path::PathBuf {
        self.bot.path().join("state/source")
    }

    /// The commit `current` names.
    fn current_commit(&self) -> String {
        std::fs::read_link(self.source_dir().join("current"))
            .expect("current is a symlink")
            .file_name()
            .expect("trees/<commit>")
            .to_string_lossy()
            .into_owned()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// One HTTP/1.1 request to the bot; the status and the body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    // A refused body may be answered before it is all sent; the answer is what matters.
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {text:?}"));
    let body = text
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    (status, body)
}

/// Waits until `/healthz` answers `want`.
fn wait_for_health(port: u16, want: u16, within: Duration) -> (u16, String) {
    let end = Instant::now() + within;
    loop {
        let answer = http(port, "GET", "/healthz", &[], b"");
        if answer.0 == want || Instant::now() > end {
            return answer;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn follower(dir: &Path, url: String, token: Option<&str>, path: &str) -> Follower {
    Follower::new(
        dir.to_path_buf(),
        Remote {
            url,
            branch: None,
            token: token.map(Secret::new),
            username: "x-access-token".into(),
        },
        path.into(),
    )
}

// ---------------------------------------------------------------------------------------------
// The follower
// ---------------------------------------------------------------------------------------------

#[test]
fn the_follower_writes_only_the_catalog_folders_and_never_a_symlink() {
    if skipped() {
        return;
    }
    let world = World::new();
    world.repo.write("people/ada.md", "---\nname: Ada\n---\n");
    std::os::unix::fs::symlink("/etc/passwd", world.repo.work_path().join("people/leak.md"))
        .expect("symlink");
    let head = world.commit("presentations/intro.md", "---\ntitle: Intro\n---\n", "More");
    let state = tempfile::tempdir().expect("state");
    let follower = follower(state.path(), world.url(), None, "events");
    crier::source::git::install_crypto_provider();
    let fetched = follower.fetch().expect("fetch");
    assert_eq!(fetched.commit, head);
    assert_eq!(fetched.branch.as_deref(), Some("refs/heads/main"));
    let checkout = follower.checkout(&fetched.commit).expect("checkout");
    assert_eq!(checkout.summary, "More");
    assert_eq!(checkout.time, world.repo.commit_time_seconds("HEAD"));
    follower.activate(&checkout).expect("activate");
    let current = state.path().join("current");
    assert!(current.join("events/first.md").is_file());
    assert!(current.join("people/ada.md").is_file());
    assert!(current.join("presentations/intro.md").is_file());
    // Not a catalog folder: not written. A symlink: never written, wherever it points.
    assert!(!current.join("README.md").exists());
    assert!(!current.join("assets").exists());
    assert!(std::fs::symlink_metadata(current.join("people/leak.md")).is_err());
    assert_eq!(follower.current(), Some(checkout));
}

#[test]
fn a_repository_without_the_events_folder_is_an_error_naming_the_path() {
    if skipped() {
        return;
    }
    let world = World::new();
    let state = tempfile::tempdir().expect("state");
    let follower = follower(state.path(), world.url(), None, "_posts");
    crier::source::git::install_crypto_provider();
    let fetched = follower.fetch().expect("fetch");
    let error = format!(
        "{:#}",
        follower.checkout(&fetched.commit).expect_err("no _posts")
    );
    assert!(error.contains("no folder `_posts`"), "{error}");
    assert!(error.contains("source.path"), "{error}");
    assert!(
        error.contains("events"),
        "names the folders it has: {error}"
    );
    assert!(follower.current().is_none(), "nothing became current");
}

#[test]
fn a_private_repository_takes_the_token_and_the_token_never_shows() {
    if skipped() {
        return;
    }
    let mut world = World::new();
    let token = "s3cr3t-token-value";
    world.server.stop();
    world.server = GitServer::start_with_token(world._root.path(), token);
    crier::source::git::install_crypto_provider();
    let state = tempfile::tempdir().expect("state");
    let without = follower(state.path(), world.url(), None, "events");
    let error = format!("{:#}", without.fetch().expect_err("401"));
    assert!(error.contains("source.token_file"), "{error}");
    let wrong = follower(state.path(), world.url(), Some("wrong"), "events");
    let error = format!("{:#}", wrong.fetch().expect_err("401"));
    assert!(
        !error.contains("wrong"),
        "the token is not in the error: {error}"
    );
    let with = follower(state.path(), world.url(), Some(token), "events");
    assert_eq!(with.fetch().expect("fetch").commit, world.repo.head());
    assert!(
        world.server.requests().iter().any(|r| r.authorized),
        "the token was sent as Basic auth"
    );
    assert!(
        !format!("{with:?}").contains(token),
        "Debug hides the token"
    );
    let basic = world
        .server
        .requests()
        .into_iter()
        .find(|r| r.authorized && r.user.is_some())
        .expect("an authorized request");
    assert_eq!(basic.user.as_deref(), Some("x-access-token"));
}

#[test]
fn an_unknown_branch_is_named() {
    if skipped() {
        return;
    }
    let world = World::new();
    let state = tempfile::tempdir().expect("state");
    let mut remote = follower(state.path(), world.url(), None, "events")
        .remote()
        .clone();
    remote.branch = Some("nope".into());
    let follower = Follower::new(state.path().to_path_buf(), remote, "events".into());
    crier::source::git::install_crypto_provider();
    let error = format!("{:#}", follower.fetch().expect_err("no branch"));
    assert!(error.contains("no branch `nope`"), "{error}");
}

#[test]
fn recovery_sweeps_what_a_crash_left_and_keeps_the_current_tree() {
    if skipped() {
        return;
    }
    let world = World::new();
    let state = tempfile::tempdir().expect("state");
    let follower = follower(state.path(), world.url(), None, "events");
    crier::source::git::install_crypto_provider();
    let fetched = follower.fetch().expect("fetch");
    let good = follower.checkout(&fetched.commit).expect("checkout");
    follower.activate(&good).expect("activate");
    // A crash while writing the next tree, and another between staging the symlink and the rename.
    let partial = state.path().join("trees/0123abcd.partial/events");
    std::fs::create_dir_all(&partial).expect("partial");
    std::fs::write(partial.join("half.md"), "---\nid: half").expect("half");
    std::os::unix::fs::symlink("trees/0123abcd.partial", state.path().join("current.new"))
        .expect("staged");
    follower.recover().expect("recover");
    assert!(!state.path().join("trees/0123abcd.partial").exists());
    assert!(std::fs::symlink_metadata(state.path().join("current.new")).is_err());
    assert_eq!(follower.current(), Some(good));
}

#[test]
fn packs_do_not_pile_up_without_bound() {
    if skipped() {
        return;
    }
    let world = World::new();
    let state = tempfile::tempdir().expect("state");
    let follower = follower(state.path(), world.url(), None, "events");
    crier::source::git::install_crypto_provider();
    let packs = || {
        std::fs::read_dir(state.path().join("repo.git/objects/pack"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "pack"))
                    .count()
            })
            .unwrap_or(0)
    };
    let mut most = 0;
    for n in 0..40 {
        let head = world.commit(
            &format!("events/e{n}.md"),
            &event(&format!("e{n}"), 30),
            "more",
        );
        let fetched = follower.fetch().expect("fetch");
        assert_eq!(fetched.commit, head, "fetch {n}");
        most = most.max(packs());
    }
    // One pack per fetch, until the repository is fetched afresh past 32.
    assert!(most > 30, "packs piled up to {most}");
    assert!(packs() <= 33, "{} packs", packs());
    let checkout = follower
        .checkout(&world.repo.head())
        .expect("checkout after a fresh fetch");
    assert!(checkout.dir.join("events/e39.md").is_file());
}

// ---------------------------------------------------------------------------------------------
// The real binary
// ---------------------------------------------------------------------------------------------

#[test]
fn the_first_start_clones_and_a_new_commit_is_announced_within_one_interval() {
    if skipped() {
        return;
    }
    let world = World::new();
    world.config("interval = \"1s\"", "");
    let app = App::spawn(world.bot.path());
    let first = app.next(Duration::from_secs(30)).expect("the first event");
    assert_eq!(label(&first), "new first");
    assert!(app.logs().contains("cloned"), "{}", app.logs());
    assert_eq!(world.current_commit(), world.repo.head());

    let pushed = Instant::now();
    let second = world.commit("events/second.md", &event("second", 31), "Second event");
    let got = app.next(Duration::from_secs(10)).expect("the second event");
    let took = pushed.elapsed();
    assert_eq!(label(&got), "new second");
    assert!(
        took < Duration::from_secs(4),
        "took {took:?} with a 1s interval"
    );
    eprintln!("commit to announcement by polling (1s interval): {took:?}");
    assert!(
        app.wait_for_log(Duration::from_secs(5), &format!("commit={}", &second[..12])),
        "the log names the commit: {}",
        app.logs()
    );
    assert_eq!(world.current_commit(), second);
    // The old tree goes once the new one is current.
    let end = Instant::now() + Duration::from_secs(5);
    while std::fs::read_dir(world.source_dir().join("trees"))
        .expect("trees")
        .count()
        > 1
    {
        assert!(Instant::now() < end, "the old tree was not removed");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        app.collect(Duration::from_millis(1500)).is_empty(),
        "nothing more"
    );
    // The other commands read the bot's current tree.
    let out = Command::new(env!("CARGO_BIN_EXE_crier"))
        .args(["list", "--json"])
        .current_dir(world.bot.path())
        .output()
        .expect("crier list");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listed}");
    assert!(
        listed.contains("Meetup first") && listed.contains("Meetup second"),
        "{listed}"
    );
}

#[test]
fn a_signed_webhook_fetches_at_once_and_a_bad_one_gets_401_and_no_fetch() {
    if skipped() {
        return;
    }
    let world = World::new();
    let port = free_port();
    let secret = "webhook secret";
    std::fs::write(world.bot.path().join("hook-secret"), format!("{secret}\n")).expect("secret");
    world.config(
        "interval = \"1h\"\nwebhook_secret_file = \"hook-secret\"",
        &format!("[http]\nlisten = \"127.0.0.1:{port}\"\n"),
    );
    let app = App::spawn(world.bot.path());
    assert_eq!(
        label(&app.next(Duration::from_secs(30)).expect("first")),
        "new first"
    );
    // A fresh clone is current: with a 1h interval nothing is fetched again but on a webhook.
    let attempts =
        |server: &GitServer| server.count(|r| r.query.contains("service=git-upload-pack"));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(attempts(&world.server), 1, "only the clone's request");
    let before = world
        .server
        .count(|r| r.query.contains("service=git-upload-pack"));

    let key = Secret::new(secret);
    let push = br#"{"ref":"refs/heads/main"}"#;
    let (status, _) = http(
        port,
        "POST",
        "/hooks/git",
        &[("X-GitHub-Event", "push")],
        push,
    );
    assert_eq!(status, 401, "no signature");
    let wrong = crier::webhook::sign(push, "guess");
    let (status, body) = http(
        port,
        "POST",
        "/hooks/git",
        &[("X-GitHub-Event", "push"), ("X-Hub-Signature-256", &wrong)],
        push,
    );
    assert_eq!(status, 401, "{body}");
    assert!(
        !app.logs().contains("refs/heads/main\"}"),
        "the body is not logged"
    );
    let other = br#"{"ref":"refs/heads/draft"}"#;
    let (status, body) = http(
        port,
        "POST",
        "/hooks/git",
        &[
            ("X-GitHub-Event", "push"),
            (
                "X-Hub-Signature-256",
                &crier::webhook::sign(other, key.expose()),
            ),
        ],
        other,
    );
    assert_eq!((status, body.contains("ignored")), (200, true), "{body}");
    let big = vec![b' '; 1024 * 1024 + 1];
    let (status, _) = http(port, "POST", "/hooks/git", &[], &big);
    assert_eq!(status, 413);
    let (status, _) = http(port, "GET", "/hooks/git", &[], b"");
    assert_eq!(status, 405);
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        attempts(&world.server),
        before,
        "no refused or ignored delivery fetched"
    );

    world.commit("events/second.md", &event("second", 31), "Second event");
    let pushed = Instant::now();
    let (status, _) = http(
        port,
        "POST",
        "/hooks/git",
        &[
            ("X-GitHub-Event", "push"),
            (
                "X-Hub-Signature-256",
                &crier::webhook::sign(push, key.expose()),
            ),
        ],
        push,
    );
    assert_eq!(status, 202);
    let got = app
        .next(Duration::from_secs(5))
        .expect("announced after the webhook");
    let took = pushed.elapsed();
    assert_eq!(label(&got), "new second");
    assert!(
        took < Duration::from_secs(2),
        "webhook to announcement took {took:?}"
    );
    eprintln!("webhook to announcement: {took:?}");
    let (_, metrics) = http(port, "GET", "/metrics", &[], b"");
    for line in [
        "crier_webhook_requests_total{status=\"401\"} 2",
        "crier_webhook_requests_total{status=\"202\"} 1",
        "crier_source_fetch_total{result=\"updated\"}",
        "crier_source_commit_timestamp_seconds",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
}

#[test]
fn a_stopped_server_keeps_the_last_tree_announcing_and_health_turns_stale() {
    if skipped() {
        return;
    }
    let mut world = World::new();
    // A reminder falls due while the server is down.
    let start = chrono::Utc::now() + chrono::Duration::seconds(14);
    world.commit(
        "events/soon.md",
        &format!(
            "---\nid: soon\ntitle: Soon\ndate: \"{}\"\nonline: true\nreminders: [\"6s\"]\n---\n",
            start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        "Soon",
    );
    let port = free_port();
    world.config(
        "interval = \"1s\"",
        &format!("[http]\nlisten = \"127.0.0.1:{port}\"\n"),
    );
    let app = App::spawn(world.bot.path());
    let mut labels: Vec<String> = app
        .collect(Duration::from_secs(3))
        .iter()
        .map(label)
        .collect();
    labels.sort();
    assert_eq!(labels, ["new first", "new soon"]);
    assert_eq!(wait_for_health(port, 200, Duration::from_secs(5)).0, 200);
    let server_port = world.server.port();
    world.server.stop();
    let (status, body) = wait_for_health(port, 503, Duration::from_secs(10));
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("git source is stale"), "{body}");
    let reminder = app
        .next(Duration::from_secs(15))
        .expect("the reminder, server down");
    assert_eq!(label(&reminder), "reminder soon");
    // Without a webhook secret there is no webhook.
    assert_eq!(http(port, "POST", "/hooks/git", &[], b"{}").0, 404);

    world.server = GitServer::start_on(world._root.path(), server_port);
    world.commit("events/third.md", &event("third", 40), "Third");
    let got = app
        .next(Duration::from_secs(10))
        .expect("announced after the outage");
    assert_eq!(label(&got), "new third");
    assert_eq!(wait_for_health(port, 200, Duration::from_secs(5)).0, 200);
}

#[test]
fn a_force_push_is_followed_and_nothing_is_posted_twice() {
    if skipped() {
        return;
    }
    let world = World::new();
    let base = world.repo.head();
    world.config("interval = \"1s\"", "");
    let app = App::spawn(world.bot.path());
    assert_eq!(
        label(&app.next(Duration::from_secs(30)).expect("first")),
        "new first"
    );
    world.commit("events/second.md", &event("second", 31), "Second");
    assert_eq!(
        label(&app.next(Duration::from_secs(10)).expect("second")),
        "new second"
    );
    // History rewritten: `second` never happened, `third` did.
    world.repo.force_push_reset(&base);
    world.repo.write("events/third.md", &event("third", 32));
    let rewritten = world.repo.commit("Third, instead");
    world.repo.force_push_reset(&rewritten);
    let got: Vec<String> = app
        .collect(Duration::from_secs(5))
        .iter()
        .map(label)
        .collect();
    assert_eq!(got, ["new third"]);
    assert_eq!(world.current_commit(), rewritten);
    assert!(world.source_dir().join("current/events/third.md").is_file());
    assert!(!world.source_dir().join("current/events/second.md").exists());
}

#[test]
fn a_commit_that_breaks_a_file_keeps_its_last_good_version() {
    if skipped() {
        return;
    }
    let world = World::new();
    world.config("interval = \"1s\"", "");
    let app = App::spawn(world.bot.path());
    assert_eq!(
        label(&app.next(Duration::from_secs(30)).expect("first")),
        "new first"
    );
    let broken = world.commit(
        "events/first.md",
        "---\nid: first\ntitle: Meetup first\ndate: [unclosed\n---\n",
        "Oops",
    );
    assert!(
        app.wait_for_log(Duration::from_secs(10), &broken[..12]),
        "{}",
        app.logs()
    );
    assert!(
        app.collect(Duration::from_secs(3)).is_empty(),
        "a broken file is neither a cancellation nor a new event"
    );
    // Fixed, one day later: the event was kept all along, so this is a move.
    world.commit(
        "events/first.md",
        &event("first", 31),
        "Fix, and a day later",
    );
    let got = app.next(Duration::from_secs(10)).expect("the move");
    assert_eq!(label(&got), "rescheduled first");
}

#[test]
fn kill_9_during_a_checkout_then_restart_gives_a_good_tree_and_no_double_post() {
    if skipped() {
        return;
    }
    let world = World::new();
    world.config("interval = \"1s\"", "");
    let mut app = App::spawn(world.bot.path());
    assert_eq!(
        label(&app.next(Duration::from_secs(30)).expect("first")),
        "new first"
    );
    let good = world.current_commit();
    // A commit big enough that writing its tree takes a while (every file is synced).
    for n in 0..1500 {
        world.repo.write(
            &format!("people/person-{n:04}.md"),
            &format!("---\nname: Person {n}\n---\n"),
        );
    }
    world.commit("events/second.md", &event("second", 31), "Many people");
    assert!(
        app.wait_for_log(Duration::from_secs(10), "writing the tree"),
        "{}",
        app.logs()
    );
    app.kill9();
    let current = world.current_commit();
    let tree = world.source_dir().join("trees").join(&current);
    assert!(
        tree.join(".crier-commit").is_file(),
        "current is a complete tree"
    );
    if current == good {
        eprintln!("killed before the swap: the old tree is current");
    }

    let app = App::spawn(world.bot.path());
    let got: Vec<String> = app
        .collect(Duration::from_secs(8))
        .iter()
        .map(label)
        .collect();
    if current == good {
        assert_eq!(got, ["new second"], "announced once, after the restart");
    } else {
        // The swap happened before the kill; the announcement may or may not have been sent.
        assert!(
            got.len() <= 1 && got.iter().all(|l| l == "new second"),
            "{got:?}"
        );
    }
    assert!(
        !got.contains(&"new first".to_string()),
        "first is not posted twice"
    );
    assert_eq!(world.current_commit(), world.repo.head());
    let partial = std::fs::read_dir(world.source_dir().join("trees"))
        .expect("trees")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .count();
    assert_eq!(partial, 0, "the half-written tree was swept");
    assert!(world
        .source_dir()
        .join("current/people/person-1499.md")
        .is_file());
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

#[test]
fn check_git_checks_a_remote_site_and_leaves_no_clone_behind() {
    if skipped() {
        return;
    }
    let world = World::new();
    world.commit(
        "events/bad.md",
        "---\nid: bad\ntitle: Bad\ndate: someday\n---\n",
        "Bad",
    );
    let tmp = tempfile::tempdir().expect("TMPDIR");
    let out = Command::new(env!("CARGO_BIN_EXE_crier"))
        .args(["check", "--git", &world.url()])
        .current_dir(world.bot.path())
        .env("TMPDIR", tmp.path())
        .output()
        .expect("crier check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("events/bad.md:"),
        "paths inside the repository: {stdout}"
    );
    assert!(!stdout.contains("crier-check-"), "{stdout}");
    assert!(
        stderr.contains(&world.repo.head()[..12]),
        "names the commit: {stderr}"
    );
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("tmp").count(),
        0,
        "no clone left"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_crier"))
        .args(["check", "--git", &world.url(), "--branch", "nope"])
        .current_dir(world.bot.path())
        .env("TMPDIR", tmp.path())
        .output()
        .expect("crier check");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no branch `nope`"));
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("tmp").count(),
        0,
        "no clone left"
    );
}

#[test]
fn git_and_events_dir_together_or_a_url_with_a_password_are_configuration_errors() {
    let dir = tempfile::tempdir().expect("dir");
    let cases = [
        (
            "events_dir = \"events\"\n[source]\ngit = \"https://example.org/site\"\n",
            "`source.git` (https://example.org/site) and `events_dir`",
        ),
        (
            "[source]\ngit = \"https://me:ghp_abc@example.org/site\"\n",
            "source.token_file",
        ),
        (
            "[source]\ngit = \"git@github.com:org/site.git\"\n",
            "not a URL",
        ),
        (
            "[source]\ngit = \"https://example.org/site\"\nwebhook_secret_file = \"s\"\n",
            "http.listen",
        ),
        ("[source]\nbranch = \"main\"\n", "`source.git` is not"),
        (
            "[source]\ngit = \"https://example.org/site\"\npath = \"../etc\"\n",
            "not a folder inside the repository",
        ),
    ];
    for (config, needle) in cases {
        std::fs::write(dir.path().join("config.toml"), config).expect("config");
        let out = Command::new(env!("CARGO_BIN_EXE_crier"))
            .args(["check"])
            .current_dir(dir.path())
            .output()
            .expect("crier");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {stderr}");
        assert!(stderr.contains(needle), "{config}: {stderr}");
        assert!(
            !stderr.contains("ghp_abc"),
            "the password is not echoed: {stderr}"
        );
    }
    // From the environment too, as in `docker run -e CRIER_SOURCE_GIT=...`.
    std::fs::remove_file(dir.path().join("config.toml")).expect("rm");
    let out = Command::new(env!("CARGO_BIN_EXE_crier"))
        .args(["check"])
        .current_dir(dir.path())
        .env("CRIER_SOURCE_GIT", "https://example.org/site")
        .env("CRIER_EVENTS_DIR", "/events")
        .output()
        .expect("crier");
    assert_eq!(out.status.code(), Some(2));
}
