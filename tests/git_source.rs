//! The git source against a real git server on 127.0.0.1 (`git http-backend`, see
//! `support/git_server.rs`): the follower itself, then the real `crier` binary following a site
//! repository through clones, polls, webhooks, outages, force-pushes, broken commits and kill -9.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::crier::{label, Builder};
use support::git_server::{skip_reason, GitServer, SiteRepo};
use support::site::Site;

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
    bot: Site,
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
            bot: Site::new(),
        }
    }

    fn url(&self) -> String {
        self.server.url("site")
    }

    /// crier in the bot's folder following the repository, polling it every `interval`.
    fn crier(&self, interval: &str) -> Builder {
        self.bot
            .crier()
            .git(&self.url())
            .config(&format!("[source]\ninterval = \"{interval}\"\n"))
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
        std::fs::read_dir(state.path().join("repo.git/objects/pack")).map_or(0, |d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "pack"))
                .count()
        })
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
    let app = world.crier("1s").start();
    let first = app.next(Duration::from_secs(30));
    assert_eq!(label(&first), "first new");
    assert!(app.logs().contains("cloned"), "{}", app.logs());
    assert_eq!(world.current_commit(), world.repo.head());

    let pushed = Instant::now();
    let second = world.commit("events/second.md", &event("second", 31), "Second event");
    let got = app.next(Duration::from_secs(10));
    let took = pushed.elapsed();
    assert_eq!(label(&got), "second new");
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
    let out = world.bot.crier().output(&["list", "--json"]);
    assert_eq!(out.code, Some(0), "{}", out.stdout);
    assert!(
        out.stdout.contains("Meetup first") && out.stdout.contains("Meetup second"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_signed_webhook_fetches_at_once_and_a_bad_one_gets_401_and_no_fetch() {
    if skipped() {
        return;
    }
    let world = World::new();
    let secret = "webhook secret";
    world.bot.write("hook-secret", &format!("{secret}\n"));
    let app = world
        .crier("1h")
        .config("[source]\nwebhook_secret_file = \"hook-secret\"")
        .listen()
        .start();
    assert_eq!(label(&app.next(Duration::from_secs(30))), "first new");
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
    let hook =
        |headers: &[(&str, &str)], body: &[u8]| app.request("POST", "/hooks/git", headers, body);
    assert_eq!(
        hook(&[("X-GitHub-Event", "push")], push).status,
        401,
        "no signature"
    );
    let wrong = crier::webhook::sign(push, "guess");
    let answer = hook(
        &[("X-GitHub-Event", "push"), ("X-Hub-Signature-256", &wrong)],
        push,
    );
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert!(
        !app.logs().contains("refs/heads/main\"}"),
        "the body is not logged"
    );
    let other = br#"{"ref":"refs/heads/draft"}"#;
    let signed = crier::webhook::sign(other, key.expose());
    let answer = hook(
        &[("X-GitHub-Event", "push"), ("X-Hub-Signature-256", &signed)],
        other,
    );
    assert_eq!(
        (answer.status, answer.body.contains("ignored")),
        (200, true),
        "{}",
        answer.body
    );
    let big = vec![b' '; 1024 * 1024 + 1];
    assert_eq!(hook(&[], &big).status, 413);
    assert_eq!(app.get("/hooks/git").status, 405);
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        attempts(&world.server),
        before,
        "no refused or ignored delivery fetched"
    );

    world.commit("events/second.md", &event("second", 31), "Second event");
    let pushed = Instant::now();
    let signed = crier::webhook::sign(push, key.expose());
    let answer = hook(
        &[("X-GitHub-Event", "push"), ("X-Hub-Signature-256", &signed)],
        push,
    );
    assert_eq!(answer.status, 202);
    let got = app.next(Duration::from_secs(5));
    let took = pushed.elapsed();
    assert_eq!(label(&got), "second new");
    assert!(
        took < Duration::from_secs(2),
        "webhook to announcement took {took:?}"
    );
    eprintln!("webhook to announcement: {took:?}");
    assert_eq!(
        app.metric("crier_webhook_requests_total{status=\"401\"}"),
        Some(2.0)
    );
    assert_eq!(
        app.metric("crier_webhook_requests_total{status=\"202\"}"),
        Some(1.0)
    );
    assert!(app
        .metric("crier_source_fetch_total{result=\"updated\"}")
        .is_some());
    assert!(app
        .metric("crier_source_commit_timestamp_seconds")
        .is_some());
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
    let app = world.crier("1s").listen().start();
    let mut labels: Vec<String> = app
        .collect(Duration::from_secs(3))
        .iter()
        .map(label)
        .collect();
    labels.sort();
    assert_eq!(labels, ["first new", "soon new"]);
    let healthy = app.wait_for_health(200, Duration::from_secs(5));
    assert_eq!(healthy.status, 200);
    let server_port = world.server.port();
    world.server.stop();
    let stale = app.wait_for_health(503, Duration::from_secs(10));
    assert_eq!(stale.status, 503, "{}", stale.body);
    assert!(stale.body.contains("git source is stale"), "{}", stale.body);
    let reminder = app.next(Duration::from_secs(15));
    assert_eq!(label(&reminder), "soon reminder 6s", "the server is down");
    // Without a webhook secret there is no webhook.
    assert_eq!(app.request("POST", "/hooks/git", &[], b"{}").status, 404);

    world.server = GitServer::start_on(world._root.path(), server_port);
    world.commit("events/third.md", &event("third", 40), "Third");
    let got = app.next(Duration::from_secs(10));
    assert_eq!(label(&got), "third new", "announced after the outage");
    let healthy = app.wait_for_health(200, Duration::from_secs(5));
    assert_eq!(healthy.status, 200);
}

#[test]
fn a_force_push_is_followed_and_nothing_is_posted_twice() {
    if skipped() {
        return;
    }
    let world = World::new();
    let base = world.repo.head();
    let app = world.crier("1s").start();
    assert_eq!(label(&app.next(Duration::from_secs(30))), "first new");
    world.commit("events/second.md", &event("second", 31), "Second");
    assert_eq!(label(&app.next(Duration::from_secs(10))), "second new");
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
    assert_eq!(got, ["third new"]);
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
    let app = world.crier("1s").start();
    assert_eq!(label(&app.next(Duration::from_secs(30))), "first new");
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
    let got = app.next(Duration::from_secs(10));
    assert_eq!(label(&got), "first rescheduled", "the move");
}

#[test]
fn kill_9_during_a_checkout_then_restart_gives_a_good_tree_and_no_double_post() {
    if skipped() {
        return;
    }
    let world = World::new();
    let crier = world.crier("1s");
    let mut app = crier.start();
    assert_eq!(label(&app.next(Duration::from_secs(30))), "first new");
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
    app.kill();
    let current = world.current_commit();
    let tree = world.source_dir().join("trees").join(&current);
    assert!(
        tree.join(".crier-commit").is_file(),
        "current is a complete tree"
    );
    if current == good {
        eprintln!("killed before the swap: the old tree is current");
    }

    let app = crier.start();
    let mut got: Vec<String> = Vec::new();
    if current == good {
        // The restart fetches again and writes all 1,500 files, each synced: on a loaded machine
        // that takes a while, so wait for the one announcement generously, then look for a second.
        got.push(label(&app.next(Duration::from_secs(60))));
    }
    got.extend(app.collect(Duration::from_secs(4)).iter().map(label));
    if current == good {
        assert_eq!(got, ["second new"], "announced once, after the restart");
    } else {
        // The swap happened before the kill; the announcement may or may not have been sent.
        assert!(
            got.len() <= 1 && got.iter().all(|l| l == "second new"),
            "{got:?}"
        );
    }
    assert!(
        !got.contains(&"first new".to_string()),
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
    let check = world
        .bot
        .crier()
        .env("TMPDIR", tmp.path().to_str().expect("utf-8"));
    let out = check.output(&["check", "--git", &world.url()]);
    let (stdout, stderr) = (&out.stdout, &out.stderr);
    assert_eq!(out.code, Some(1), "{stdout}{stderr}");
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

    let out = check.output(&["check", "--git", &world.url(), "--branch", "nope"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("no branch `nope`"));
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("tmp").count(),
        0,
        "no clone left"
    );
}

#[test]
fn git_and_events_dir_together_or_a_url_with_a_password_are_configuration_errors() {
    let site = Site::new();
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
        let out = site.crier().config_file(config).output(&["check"]);
        let stderr = &out.stderr;
        assert_eq!(out.code, Some(2), "{config}: {stderr}");
        assert!(stderr.contains(needle), "{config}: {stderr}");
        assert!(
            !stderr.contains("ghp_abc"),
            "the password is not echoed: {stderr}"
        );
    }
    // From the environment too, as in `docker run -e CRIER_SOURCE_GIT=...`.
    site.remove("config.toml");
    let out = site
        .crier()
        .env("CRIER_SOURCE_GIT", "https://example.org/site")
        .env("CRIER_EVENTS_DIR", "/events")
        .output(&["check"]);
    assert_eq!(out.code, Some(2));
}
