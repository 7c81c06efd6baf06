//! The fast path for simple front matter (`crier_core::catalog::flat_yaml`) against serde_yaml, on every
//! real file of the shared corpus and on a generated site: wherever the fast path reads a file, it must
//! read exactly what serde_yaml reads (values, types, key order). The core reads no files, so this
//! differential test lives here; the hand-written tricky cases are beside the module.

use std::path::{Path, PathBuf};

use crier_core::catalog::flat_yaml;
use crier_core::catalog::frontmatter::{split, Split, Syntax};
use serde_yaml::Value;

#[allow(dead_code)] // The generator's command line (`main`) is not used here.
#[path = "../examples/gen_events.rs"]
mod gen_events;

/// The shared corpus: `CRIER_CORPUS`, else `../shared/corpus` beside the checkout or beside the
/// folder of worktrees that holds it.
fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CRIER_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        root.join("../shared/corpus"),
        root.join("../../shared/corpus"),
    ]
    .into_iter()
    .find(|dir| dir.is_dir())
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The YAML front matter of a markdown or data file, as the catalog splits it.
fn yaml_front(path: &Path, text: &str) -> Option<String> {
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Some(Split::data(text).front.to_string());
    }
    if name.ends_with(".md") || name.ends_with(".markdown") {
        return match split(text) {
            Ok(s) if s.syntax == Syntax::Yaml => Some(s.front.to_string()),
            _ => None,
        };
    }
    None
}

/// Checks every file under `dir`; returns (files with YAML front matter, files the fast path read).
fn check_folder(dir: &Path) -> (usize, usize) {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files.sort();
    let (mut yaml, mut read) = (0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(front) = yaml_front(path, &text) else {
            continue;
        };
        yaml += 1;
        let Some(fast) = flat_yaml::parse(&front) else {
            continue;
        };
        read += 1;
        match serde_yaml::from_str::<Value>(&front) {
            Ok(slow) => {
                assert_eq!(fast, slow, "{}: the fast path differs", path.display());
                assert_eq!(
                    serde_yaml::to_string(&fast).ok(),
                    serde_yaml::to_string(&slow).ok(),
                    "{}: key order differs",
                    path.display()
                );
            }
            Err(e) => panic!(
                "{}: the fast path read what serde_yaml refuses ({e})",
                path.display()
            ),
        }
    }
    (yaml, read)
}

#[test]
fn fast_path_agrees_with_serde_yaml_on_the_corpus() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipping: no shared corpus (../shared/corpus or CRIER_CORPUS) on this machine");
        return;
    };
    let (yaml, read) = check_folder(&dir);
    eprintln!(
        "{}: {yaml} files with YAML front matter, {read} read by the fast path, all as serde_yaml reads them",
        dir.display()
    );
    assert!(yaml > 0, "no YAML front matter in {}", dir.display());
}

#[test]
fn fast_path_agrees_with_serde_yaml_on_a_generated_site() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let generated = gen_events::generate(dir.path(), 300).expect("the site is generated");
    let (yaml, read) = check_folder(dir.path());
    assert_eq!(yaml, generated.files());
    // Every shape the generator writes (flat, lists, Jekyll's `links:` map and `talks:` list) is read.
    assert_eq!(read, yaml, "the fast path declined generated files");
}
