//! Tests of the git server and the commit fixture themselves (`tests/support/git_server.rs`),
//! with the `git` CLI as the client.
//!
//! The tests that follow a site repository rely on this server behaving like a real smart-HTTP
//! host: a clone gets the committed files, a fetch sees new and rewritten history, protocol v2
//! works, a token is enforced, and stopping, breaking and restarting the server are real. Each of
//! those is shown here with git's own client, in the same isolated environment as the fixture.
//! Without `git` or `git http-backend` every test prints `skipped: ...` and passes.

mod support;

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use support::git_server::*;
use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(10);

/// False (after saying why) when this machine cannot run the git tests.
fn can_run() -> bool {
    match skip_reason() {
        Some(why) => {
            eprintln!("skipped: {why}");
            false
        }
        None => true,
    }
}

/// A git client with its own empty HOME, so no credential helper or config of the host applies.
struct Client {
    home: TempDir,
}

impl Client {
    fn new() -> Client {
        Client {
            home: TempDir::new().expect("client HOME"),
        }
    }

    /// Runs `git <args>` (in `dir`, if given) and returns its output, whether it succeeded or not.
    fn try_git(&self, dir: Option<&Path>, args: &[&str]) -> Output {
        let mut cmd = git_command(self.home.path());
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        cmd.args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run git")
    }

    /// Runs `git <args>`, panicking if it fails; returns stdout, trimmed.
    fn git(&self, dir: Option<&Path>, args: &[&str]) -> String {
        let mut cmd = git_command(self.home.path());
        if let Some(dir) = dir {
            cmd.current_dir(dir);
        }
        run_git(cmd.args(args))
    }

    /// Clones `url` into a new temp dir.
    fn clone(&self, url: &str) -> TempDir {
        let dir = TempDir::new().expect("clone dir");
        let target = dir.path().join("clone");
        self.git(None, &["clone", "--quiet", url, target.to_str().unwrap()]);
        dir
    }

    /// `git ls-remote <url>` as (ref name, id) pairs, or git's stderr if it failed.
    fn ls_remote(&self, url: &str) -> Result<Vec<(String, String)>, String> {
        let out = self.try_git(None, &["ls-remote", url]);
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(id, name)| (name.to_owned(), id.to_owned()))
            .collect())
    }
}

fn clone_path(dir: &TempDir) -> std::path::PathBuf {
    dir.path().join("clone")
}

fn read(dir: &TempDir, file: &str) -> String {
    std::fs::read_to_string(clone_path(dir).join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// A root with the repository `site` holding two files, one in a folder, pushed to `main`.
fn site() -> (TempDir, SiteRepo, String) {
    let root = TempDir::new().expect("repo root");
    let repo = SiteRepo::new(root.path(), "site");
    repo.write("README.md", "# Site\n");
    repo.write("_events/2030-01-01-meetup.md", "title: Meetup\n");
    let first = repo.commit("first");
    repo.push();
    (root, repo, first)
}

#[test]
fn a_clone_over_http_gets_the_committed_files() {
    if !can_run() {
        return;
    }
    let (root, repo, first) = site();
    let server = GitServer::start(root.path());
    assert_eq!(
        server.url("site"),
        format!("http://127.0.0.1:{}/site.git", server.port())
    );
    let client = Client::new();
    let clone = client.clone(&server.url("site"));

    assert_eq!(read(&clone, "README.md"), "# Site\n");
    assert_eq!(
        read(&clone, "_events/2030-01-01-meetup.md"),
        "title: Meetup\n"
    );
    assert_eq!(
        client.git(Some(&clone_path(&clone)), &["rev-parse", "HEAD"]),
        first
    );
    assert_eq!(repo.remote_head("main"), first);

    // Smart HTTP, as GitHub: the ref advertisement, then upload-pack POSTs, all answered 200.
    let requests = server.requests();
    let advert = &requests[0];
    assert_eq!(
        (advert.method.as_str(), advert.path.as_str()),
        ("GET", "/site.git/info/refs")
    );
    assert_eq!(advert.query, "service=git-upload-pack");
    assert!(
        requests.iter().all(|r| r.status == 200 && r.authorized),
        "{requests:#?}"
    );
    assert!(server.upload_packs() >= 1, "{requests:#?}");
    assert_eq!(
        server.fetches(),
        1,
        "one download of objects: {requests:#?}"
    );
}

#[test]
fn an_unknown_repository_is_not_found() {
    if !can_run() {
        return;
    }
    let (root, _repo, _) = site();
    let server = GitServer::start(root.path());
    let err = Client::new().ls_remote(&server.url("nope")).unwrap_err();
    assert!(err.contains("not found") || err.contains("404"), "{err}");
    assert_eq!(server.requests()[0].status, 404);
}

#[test]
fn a_pushed_commit_is_seen_by_fetch_and_counted() {
    if !can_run() {
        return;
    }
    let (root, repo, first) = site();
    let server = GitServer::start(root.path());
    let client = Client::new();
    let clone = client.clone(&server.url("site"));
    let after_clone = server.upload_packs();

    repo.write("_events/2030-02-01-second.md", "title: Second\n");
    repo.remove("README.md");
    let second = repo.commit("second");
    assert_ne!(second, first);
    repo.push();

    let dir = clone_path(&clone);
    client.git(Some(&dir), &["fetch", "--quiet"]);
    assert_eq!(
        client.git(Some(&dir), &["rev-parse", "origin/main"]),
        second
    );
    assert!(server.upload_packs() > after_clone);
    assert!(server.wait_for_upload_packs(after_clone + 1, WAIT));
    assert!(!server.wait_for_upload_packs(server.upload_packs() + 1, Duration::from_millis(200)));
    assert_eq!(
        server.fetches(),
        2,
        "clone and fetch: {:#?}",
        server.requests()
    );

    // Nothing new: git asks for the refs and downloads nothing.
    let before = server.upload_packs();
    client.git(Some(&dir), &["fetch", "--quiet"]);
    assert!(server.upload_packs() > before, "the refs were asked for");
    assert_eq!(
        server.fetches(),
        2,
        "nothing downloaded: {:#?}",
        server.requests()
    );

    client.git(
        Some(&dir),
        &["merge", "--quiet", "--ff-only", "origin/main"],
    );
    assert!(!clone_path(&clone).join("README.md").exists());
    assert_eq!(
        read(&clone, "_events/2030-02-01-second.md"),
        "title: Second\n"
    );
}

#[test]
fn protocol_v2_and_v0_both_work() {
    if !can_run() {
        return;
    }
    let (root, repo, first) = site();
    let server = GitServer::start(root.path());
    let client = Client::new();
    let url = server.url("site");

    // v2: ls-remote is a capability advertisement then an `ls-refs` command POSTed to
    // upload-pack, which only happens if http-backend really spoke v2.
    let refs = client.git(None, &["-c", "protocol.version=2", "ls-remote", &url]);
    assert!(
        refs.contains(&format!("{first}\trefs/heads/main")),
        "{refs}"
    );
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.protocol.as_deref() == Some("version=2")),
        "{requests:#?}"
    );
    let ls_refs = requests
        .iter()
        .find(|r| r.is_upload_pack())
        .expect("an ls-refs POST");
    assert_eq!(ls_refs.command.as_deref(), Some("ls-refs"));
    assert_eq!(server.upload_packs(), 1);

    // v0: the refs come in the GET itself, with no POST.
    let refs = client.git(None, &["-c", "protocol.version=0", "ls-remote", &url]);
    assert!(
        refs.contains(&format!("{first}\trefs/heads/main")),
        "{refs}"
    );
    let v0 = &server.requests()[requests.len()..];
    assert_eq!(v0.len(), 1, "{v0:#?}");
    assert_eq!(v0[0].protocol, None);
    assert_eq!(server.upload_packs(), 1);

    // A v2 clone and a v0 clone get the same commit.
    for version in ["2", "0"] {
        let dir = TempDir::new().unwrap();
        let target = dir.path().join("c");
        let config = format!("protocol.version={version}");
        client.git(
            None,
            &[
                "-c",
                &config,
                "clone",
                "--quiet",
                &url,
                target.to_str().unwrap(),
            ],
        );
        assert_eq!(client.git(Some(&target), &["rev-parse", "HEAD"]), first);
    }
    assert_eq!(server.fetches(), 2, "{:#?}", server.requests());
    drop(repo);
}

#[test]
fn big_negotiations_come_gzipped_and_still_work() {
    if !can_run() {
        return;
    }
    let (root, repo, _) = site();
    let server = GitServer::start(root.path());
    let client = Client::new();
    let clone = client.clone(&server.url("site"));
    let dir = clone_path(&clone);
    // Many local commits the server lacks: git sends them all as `have` lines, a body big
    // enough (over 1 KiB) that git gzips it. Dated after the pushed commit, so git's walk offers
    // all of them before it reaches a commit the server has and negotiation ends.
    for i in 0..60 {
        let date = format!("@{} +0000", 2_000_000_000 + i);
        run_git(
            git_command(client.home.path())
                .current_dir(&dir)
                .env("GIT_COMMITTER_DATE", &date)
                .env("GIT_AUTHOR_DATE", &date)
                .args([
                    "commit",
                    "--quiet",
                    "--allow-empty",
                    "-m",
                    &format!("local {i}"),
                ]),
        );
    }
    repo.write("new.md", "new\n");
    let new = repo.commit("new");
    repo.push();
    for version in ["0", "2"] {
        client.git(
            Some(&dir),
            &[
                "-c",
                &format!("protocol.version={version}"),
                "fetch",
                "--quiet",
            ],
        );
        assert_eq!(client.git(Some(&dir), &["rev-parse", "origin/main"]), new);
        client.git(
            Some(&dir),
            &["update-ref", "-d", "refs/remotes/origin/main"],
        );
    }
    let requests = server.requests();
    assert!(
        requests.iter().any(|r| r.gzipped && r.status == 200),
        "no gzipped request body: {requests:#?}"
    );
}

#[test]
fn a_token_is_required_when_set() {
    if !can_run() {
        return;
    }
    let (root, _repo, first) = site();
    let server = GitServer::start_with_token(root.path(), "s3cret");
    let client = Client::new();

    // git asks for a user name on a 401, which the isolated environment forbids.
    let err = client.ls_remote(&server.url("site")).unwrap_err();
    assert!(err.contains("could not read Username"), "{err}");
    let refused = server.requests();
    assert!(
        refused
            .iter()
            .all(|r| r.status == 401 && !r.authorized && r.user.is_none()),
        "{refused:#?}"
    );

    let wrong = client.ls_remote(&server.url_with_auth("site", "me", "wrong"));
    assert!(wrong.is_err());
    assert!(server.requests().iter().all(|r| !r.authorized));

    let dir = TempDir::new().unwrap();
    let target = dir.path().join("c");
    let url = server.url_with_auth("site", "anyone", "s3cret");
    client.git(None, &["clone", "--quiet", &url, target.to_str().unwrap()]);
    assert_eq!(client.git(Some(&target), &["rev-parse", "HEAD"]), first);
    let ok: Vec<Served> = server
        .requests()
        .into_iter()
        .filter(|r| r.status == 200)
        .collect();
    assert!(ok.len() >= 2, "{ok:#?}");
    assert!(
        ok.iter()
            .all(|r| r.authorized && r.user.as_deref() == Some("anyone")),
        "{ok:#?}"
    );

    // `with_token` on a running server works as well.
    let open = GitServer::start(root.path());
    assert!(client.ls_remote(&open.url("site")).is_ok());
    let open = open.with_token("t");
    assert!(client.ls_remote(&open.url("site")).is_err());
    assert!(client
        .ls_remote(&open.url_with_auth("site", "x", "t"))
        .is_ok());
}

#[test]
fn a_stopped_server_refuses_and_restarts_on_the_same_port() {
    if !can_run() {
        return;
    }
    let (root, repo, first) = site();
    let mut server = GitServer::start(root.path());
    let client = Client::new();
    let url = server.url("site");
    let port = server.port();
    assert!(client.ls_remote(&url).is_ok());
    let before = server.requests().len();

    server.stop();
    let err = client.ls_remote(&url).unwrap_err();
    assert!(
        err.contains("Failed to connect") || err.contains("refused"),
        "{err}"
    );
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
    server.stop(); // twice is fine
    assert_eq!(server.requests().len(), before, "kept after stop");

    repo.write("later.md", "later\n");
    let later = repo.commit("later");
    repo.push();
    let again = GitServer::start_on(root.path(), port);
    assert_eq!(again.port(), port);
    assert_eq!(again.url("site"), url);
    let refs = client
        .ls_remote(&url)
        .expect("the restarted server answers");
    assert!(
        refs.contains(&("refs/heads/main".to_owned(), later.clone())),
        "{refs:?}"
    );
    assert_ne!(later, first);
    drop(again);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "drop stops it too"
    );
}

#[test]
fn a_failing_server_answers_500_until_it_is_fixed() {
    if !can_run() {
        return;
    }
    let (root, _repo, first) = site();
    let server = GitServer::start(root.path());
    let client = Client::new();
    let url = server.url("site");

    server.set_failing(true);
    let err = client.ls_remote(&url).unwrap_err();
    assert!(err.contains("500"), "{err}");
    assert!(server.requests().iter().all(|r| r.status == 500));

    server.set_failing(false);
    let refs = client.ls_remote(&url).expect("works again");
    assert!(
        refs.contains(&("refs/heads/main".to_owned(), first)),
        "{refs:?}"
    );
}

#[test]
fn the_fixture_rewrites_history_branches_and_the_default_branch() {
    if !can_run() {
        return;
    }
    let (root, repo, first) = site();
    let server = GitServer::start(root.path());
    let client = Client::new();
    let url = server.url("site");

    let at = 1_900_000_000;
    repo.write("b.md", "b\n");
    let second = repo.commit_at("second", at);
    repo.push();
    assert_eq!(repo.commit_time_seconds(&second), at);
    assert!(repo.commit_time_seconds(&first) > 1_600_000_000);

    // A force push that drops `second`: the server's main is back at `first`.
    let clone = client.clone(&url);
    repo.force_push_reset(&first);
    assert_eq!(repo.head(), first);
    assert_eq!(repo.remote_head("main"), first);
    let dir = clone_path(&clone);
    client.git(Some(&dir), &["fetch", "--quiet"]);
    assert_eq!(client.git(Some(&dir), &["rev-parse", "origin/main"]), first);

    // A second branch, pushed, then made the default: a fresh clone checks it out.
    repo.branch("preview");
    assert_eq!(repo.current_branch(), "preview");
    repo.write("preview.md", "preview\n");
    let preview = repo.commit("preview");
    repo.push_branch("preview");
    repo.checkout("main");
    assert_eq!(repo.head(), first);
    let refs = client.ls_remote(&url).unwrap();
    assert!(
        refs.contains(&("refs/heads/preview".to_owned(), preview.clone())),
        "{refs:?}"
    );
    assert!(
        refs.contains(&("HEAD".to_owned(), first.clone())),
        "{refs:?}"
    );

    repo.set_default_branch("preview");
    let fresh = client.clone(&url);
    assert_eq!(read(&fresh, "preview.md"), "preview\n");
    assert_eq!(
        client.git(
            Some(&clone_path(&fresh)),
            &["symbolic-ref", "--short", "HEAD"]
        ),
        "preview"
    );
    assert!(repo.bare_path().ends_with("site.git"));
    assert!(repo.bare_path().join("HEAD").is_file());
}
