//! The git source's clone and fetch, against `git http-backend` on 127.0.0.1 (the tests' server).
//!
//! The repository is the real rust.org.il site (504 commits, a 9.3 MiB pack) when its mirror is on
//! this machine (`/work/.mirror/szabgab+rust.org.il/repo`, or `CRIER_BENCH_GIT_REPO`); else one of
//! the same shape built from the rust.org.il corpus folder, or, without that, the bundled events.
//!
//! - `clone`: a first start: fetch the whole history into an empty folder, write the tree, swap;
//! - `fetch/one new commit`: a push of one event file, then fetch, write the tree, swap;
//! - `fetch/unchanged`: the poll that finds nothing new (what runs every `interval`).
//!
//!     cargo bench --bench git_source

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

#[allow(dead_code)]
#[path = "../tests/support/git_server.rs"]
mod git_server;

use crier::source::git::{Follower, Remote};
use git_server::{git_command, run_git, skip_reason, GitServer};

/// A bare repository `root/site.git` to serve, and how it was made.
fn seed(root: &Path, home: &Path) -> String {
    let bare = root.join("site.git");
    let mirror = std::env::var_os("CRIER_BENCH_GIT_REPO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/.mirror/szabgab+rust.org.il/repo"));
    if mirror.join("HEAD").is_file() {
        run_git(
            git_command(home)
                .args(["clone", "--quiet", "--bare"])
                .arg(&mirror)
                .arg(&bare),
        );
        let commits = run_git(
            git_command(home)
                .arg("-C")
                .arg(&bare)
                .args(["rev-list", "--count", "HEAD"]),
        );
        return format!("{} ({commits} commits)", mirror.display());
    }
    let work = root.join("seed-work");
    run_git(
        git_command(home)
            .args(["init", "--quiet", "-b", "main"])
            .arg(&work),
    );
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/rust.org.il");
    let source = if corpus.is_dir() {
        corpus
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
    };
    let mut files: Vec<PathBuf> = ["events", "presentations", "people"]
        .iter()
        .filter_map(|d| std::fs::read_dir(source.join(d)).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    // One commit per file, as a site grows: history of the same order as the real one.
    for file in &files {
        let relative = file.strip_prefix(&source).expect("inside the source");
        let target = work.join(relative);
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir");
        std::fs::copy(file, &target).expect("copy");
        run_git(git_command(home).current_dir(&work).args(["add", "-A"]));
        run_git(
            git_command(home)
                .current_dir(&work)
                .args(["commit", "--quiet", "-m", "add"]),
        );
    }
    run_git(
        git_command(home)
            .args(["clone", "--quiet", "--bare"])
            .arg(&work)
            .arg(&bare),
    );
    format!(
        "{} files of {} ({} commits)",
        files.len(),
        source.display(),
        files.len()
    )
}

fn follower(dir: &Path, url: &str) -> Follower {
    Follower::new(
        dir.to_path_buf(),
        Remote {
            url: url.to_string(),
            branch: None,
            token: None,
            username: "x-access-token".into(),
        },
        "events".into(),
    )
}

/// Fetches, writes the tree and swaps it in: what one update costs the bot.
fn update(follower: &Follower) {
    let fetched = follower.fetch().expect("fetch");
    let checkout = follower.checkout(&fetched.commit).expect("checkout");
    follower.activate(&checkout).expect("activate");
}

fn bench(c: &mut Criterion) {
    if let Some(reason) = skip_reason() {
        eprintln!("skipped: {reason}");
        return;
    }
    crier::source::git::install_crypto_provider();
    let root = tempfile::tempdir().expect("root");
    let home = tempfile::tempdir().expect("home");
    let seeded = seed(root.path(), home.path());
    eprintln!("repository: {seeded}");
    let server = GitServer::start(root.path());
    let url = server.url("site");

    let mut group = c.benchmark_group("git");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("clone", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("state"),
            |state| {
                update(&follower(state.path(), &url));
                state
            },
            BatchSize::PerIteration,
        )
    });

    let state = tempfile::tempdir().expect("state");
    let following = follower(state.path(), &url);
    update(&following);
    let work = root.path().join("push-work");
    run_git(
        git_command(home.path())
            .args(["clone", "--quiet"])
            .arg(root.path().join("site.git"))
            .arg(&work),
    );
    let mut n = 0u32;
    group.bench_function("fetch/one new commit", |b| {
        b.iter_batched(
            || {
                n += 1;
                let file = work.join(format!("events/bench-{n}.md"));
                std::fs::create_dir_all(file.parent().expect("events")).expect("mkdir");
                std::fs::write(
                    &file,
                    format!("---\nid: bench-{n}\ntitle: Bench\ndate: 2040-01-01\n---\n"),
                )
                .expect("write");
                run_git(
                    git_command(home.path())
                        .current_dir(&work)
                        .args(["add", "-A"]),
                );
                run_git(
                    git_command(home.path())
                        .current_dir(&work)
                        .args(["commit", "--quiet", "-m", "bench"]),
                );
                run_git(
                    git_command(home.path())
                        .current_dir(&work)
                        .args(["push", "--quiet", "origin", "HEAD"]),
                );
            },
            |()| update(&following),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("fetch/unchanged", |b| {
        b.iter(|| following.fetch().expect("fetch"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
