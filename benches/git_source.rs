//! The git source's clone and fetch, against `git http-backend` on 127.0.0.1 (the tests' server).
//!
//! The repository is the real rust.org.il site when a complete mirror of it is on this machine
//! (`CRIER_BENCH_GIT_REPO`, or `/work/.mirror/szabgab+rust.org.il/repo`); else one of its size (504
//! commits, about 9.3 MiB packed) built from the rust.org.il corpus folder (or the bundled events).
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
    let mirror = std::env::var_os("CRIER_BENCH_GIT_REPO").map_or_else(
        || PathBuf::from("/work/.mirror/szabgab+rust.org.il/repo"),
        PathBuf::from,
    );
    // A mirror may lack its largest blobs; git would refuse to serve it.
    let complete = mirror.join("HEAD").is_file()
        && git_command(home)
            .arg("-C")
            .arg(&mirror)
            .args(["fsck", "--connectivity-only", "--no-progress"])
            .output()
            .is_ok_and(|out| out.status.success());
    if complete {
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
    synthetic(&bare, home)
}

/// A repository of rust.org.il's size (504 commits, 9.3 MiB packed): the corpus folder's files, one
/// commit each, then edits of them, and 8 MiB of incompressible images (slides, photos) in `img/`.
fn synthetic(bare: &Path, home: &Path) -> String {
    const COMMITS: usize = 504;
    const IMAGES: usize = 40;
    const IMAGE_BYTES: usize = 200 * 1024;
    let work = bare.with_file_name("seed-work");
    run_git(
        git_command(home)
            .args(["init", "--quiet", "-b", "main"])
            .arg(&work),
    );
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../shared/corpus/rust.org.il");
    let source = if corpus.is_dir() {
        corpus
    } else {
        manifest.to_path_buf()
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
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                // xorshift64: incompressible bytes, the same on every run.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    };
    let commit = |message: &str| {
        run_git(git_command(home).current_dir(&work).args(["add", "-A"]));
        run_git(git_command(home).current_dir(&work).args([
            "commit",
            "--quiet",
            "--allow-empty",
            "-m",
            message,
        ]));
    };
    for n in 0..COMMITS {
        if let Some(file) = files.get(n) {
            let target = work.join(file.strip_prefix(&source).expect("inside the source"));
            std::fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir");
            std::fs::copy(file, &target).expect("copy");
        } else if !files.is_empty() {
            // Later commits edit what is there, as organisers do.
            let file = &files[n % files.len()];
            let target = work.join(file.strip_prefix(&source).expect("inside the source"));
            let mut text = std::fs::read_to_string(&target).unwrap_or_default();
            text.push_str(&format!("\n<!-- edit {n} -->\n"));
            std::fs::write(&target, text).expect("edit");
        }
        if n % (COMMITS / IMAGES) == 0 {
            let image = work.join(format!("img/photo-{n:03}.jpg"));
            std::fs::create_dir_all(image.parent().expect("img")).expect("mkdir");
            std::fs::write(&image, noise(IMAGE_BYTES)).expect("image");
        }
        commit(&format!("commit {n}"));
    }
    run_git(
        git_command(home)
            .args(["clone", "--quiet", "--bare"])
            .arg(&work)
            .arg(bare),
    );
    run_git(
        git_command(home)
            .arg("-C")
            .arg(bare)
            .args(["gc", "--quiet"]),
    );
    let size = run_git(
        git_command(home)
            .arg("-C")
            .arg(bare)
            .args(["count-objects", "-vH"]),
    );
    let pack = size
        .lines()
        .find(|l| l.starts_with("size-pack"))
        .unwrap_or("size-pack: ?");
    format!(
        "synthetic: {COMMITS} commits, {} text files from {} and {IMAGES} images, {pack}",
        files.len(),
        source.display()
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
        );
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
        );
    });
    group.bench_function("fetch/unchanged", |b| {
        b.iter(|| following.fetch().expect("fetch"));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
