//! The legacy body reader against the 17 real rust.org.il event files of late 2024: for each file, the
//! talks and speakers a human reader sees in it, written out by hand.

use std::path::{Path, PathBuf};

use crier::catalog::talks::legacy::talks_from_body;

type Expected = &'static [(&'static str, &'static [&'static str])];

const EXPECTED: &[(&str, Expected)] = &[
    (
        "2018-09-02-cursive-production-and-n00bing.md",
        &[
            ("N00bing Through Rust", &["Yuval Adam"]),
            ("Rusty Life", &["Noam Tenne"]),
            ("Rust In Production", &["Daniel Brodie"]),
        ],
    ),
    (
        "2018-12-09-intro-for-c-cpp-developers.md",
        &[
            (
                "A feature-wise introduction for C/C++ programmers, part 1/3",
                &["Dan Aloni"],
            ),
            ("SGX", &["Isan Rivkin"]),
            ("A deeper look at Cargo", &["Anton Weiss"]),
        ],
    ),
    (
        "2019-03-11-redis-modules-and-a-production-story.md",
        &[
            ("Rust - a (Pre)production Story", &["Yoav Yanilov"]),
            ("Developing Redis Modules in Rust", &["Gavrie Philipson"]),
        ],
    ),
    (
        "2022-07-04-rust-interop-rewrites-and-fun.md",
        &[
            ("Microdosing Rust to your organization", &["Aviram Hassan"]),
            ("Idiomatic Rust", &["Dotan Nahum"]),
            ("Rewriting high performance system in Rust", &["Roei Mutay"]),
        ],
    ),
    (
        "2022-12-29-december-edition.md",
        &[
            ("Using xtask & xtaskops", &["Dotan Nahum"]),
            ("Procedural Macros Intro + Tips", &["Dan Aloni"]),
            ("Going Low with Rust", &["Aviram Hassan"]),
        ],
    ),
    (
        "2023-09-06-final-september-edition.md",
        &[
            ("What I learned from learning Rust", &["Gabor Szabo"]),
            ("Rustifying Serverless", &["Efi Merdler Kravitz"]),
        ],
    ),
    (
        "2023-12-17-dont-panic-error-handling-in-rust.md",
        &[(
            "Don't panic! - Our journey to error handling in Rust",
            &["Tomer Cohen"],
        )],
    ),
    (
        "2024-05-09-in-person-at-microsoft.md",
        &[
            (
                "Are We Embedded Yet? - Implementing tiny HTTP server on a microcontroller",
                &["Maor Malka"],
            ),
            ("Web application development with Rocket", &["Gabor Szabo"]),
        ],
    ),
    (
        "2024-06-06-your-first-contribution-to-an-open-source-rust-project.md",
        &[(
            "Rust Maven Workshop: Your first contribution to an Open Source Rust project",
            &["Gabor Szabo"],
        )],
    ),
    (
        "2024-06-16-web-development-in-rust-using-rocket.md",
        &[("Web development in Rust using Rocket", &["Gabor Szabo"])],
    ),
    (
        "2024-06-25-using-liquid-template-system-in-rust.md",
        &[("Using the Liquid template system in Rust", &["Gabor Szabo"])],
    ),
    (
        "2024-07-11-reading-json-files-in-rust.md",
        &[("Reading JSON files in Rust", &["Gabor Szabo"])],
    ),
    (
        "2024-07-19-threads-in-rust.md",
        &[("Threads in Rust", &["Gabor Szabo"])],
    ),
    (
        "2024-08-06-web-development-in-rust-using-rocket-part-2.md",
        &[(
            "Web development in Rust using Rocket - part 2",
            &["Gabor Szabo"],
        )],
    ),
    (
        "2024-08-28-command-line-tools-wc.md",
        &[(
            "Command Line Tools: Implementing wc in Rust",
            &["Gabor Szabo"],
        )],
    ),
    (
        "2024-09-09-rust-at-scale.md",
        &[
            ("The Coralogix Journey", &["Ariel Assaraf"]),
            (
                "Simplifying Dependency Management with Workspaces",
                &["Roy Prager"],
            ),
            ("Exploring Memory Allocators", &["Ronen Cohen"]),
            (
                "Querying Metrics in Sub-Seconds on Object Storage",
                &["Oron Sharabi"],
            ),
        ],
    ),
    // The agenda lists sessions ("17:30 - Explore the integration of Rust into the Linux kernel") but
    // names no speaker anywhere, so there is no talk to announce.
    ("2024-12-03-rust-in-the-linux-kernel.md", &[]),
];

/// Front matter (between the first two `---` lines) and body. Later `---` lines are rules in the body.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    Some((&rest[..end], &rest[end + "\n---\n".len()..]))
}

#[test]
fn legacy_bodies_give_the_talks_a_reader_sees() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/rust.org.il-2024/events");
    if !dir.is_dir() {
        eprintln!(
            "skipping: {} not found (the shared corpus is not on this machine)",
            dir.display()
        );
        return;
    }

    // Every file of the folder has an entry, so a file added to the corpus is not silently untested.
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("read the corpus folder")
        .map(|entry| {
            entry
                .expect("read a corpus entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".md"))
        .collect();
    files.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(file, _)| *file).collect();
    assert_eq!(
        files,
        listed,
        "the expectations cover exactly the files of {}",
        dir.display()
    );

    for (file, expected) in EXPECTED {
        let path: PathBuf = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("read an event file");
        let (front, body) =
            split_front_matter(&text).expect("front matter between two `---` lines");
        let front: serde_yaml::Value = serde_yaml::from_str(front).expect("YAML front matter");
        // A workshop's single talk is named after the event, so the title is passed through.
        let title = front["title"].as_str().expect("a title");

        let got: Vec<(String, Vec<String>)> = talks_from_body(body, title)
            .into_iter()
            .map(|talk| {
                (
                    talk.title,
                    talk.speakers.into_iter().map(|s| s.name).collect(),
                )
            })
            .collect();
        let want: Vec<(String, Vec<String>)> = expected
            .iter()
            .map(|(title, names)| {
                (
                    title.to_string(),
                    names.iter().map(std::string::ToString::to_string).collect(),
                )
            })
            .collect();
        assert_eq!(got, want, "talks of {file}");
    }
}
