//! Reads a site's files from disk for the core's catalog reader: lists the events folder (and its
//! subfolders) and the `presentations/`, `people/` and `speakers/` folders beside it, and reads each
//! file, at most [`MAX_FILE_BYTES`], as UTF-8 with its modification time.
//!
//! The core parses (see [`Catalog::read`]); this module only does the I/O it needs, and turns each
//! failure into a [`Problem`] against its file, so one unreadable file never hides the others.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crier_core::catalog::{
    is_event_file, is_markdown_file, site, Catalog, FileText, Position, Problem, Settings,
    SiteFiles, MAX_FILE_BYTES,
};

/// The events folder could not be read at all (as opposed to problems in its files).
#[derive(Debug, thiserror::Error)]
#[error("cannot read the events folder {path}: {source}; set `events_dir` in config.toml or pass --events DIR")]
pub struct LoadError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Reads the whole site, with the series expanded around the current time.
pub fn load(settings: &Settings) -> Result<Catalog, LoadError> {
    load_at(settings, Utc::now())
}

/// Reads the whole site, with the series expanded around `now`.
pub fn load_at(settings: &Settings, now: DateTime<Utc>) -> Result<Catalog, LoadError> {
    let files = list(settings)?;
    Ok(Catalog::read(settings, files, read_limited, now))
}

/// The site's files: the events folder is required, the library folders may be missing.
pub fn list(settings: &Settings) -> Result<SiteFiles, LoadError> {
    // The events listing and the library's are independent: list them side by side.
    let (events, (people, presentations)) = rayon::join(
        || event_files(&settings.events_dir),
        || {
            let mut people = markdown_files(&settings.people_dir);
            if settings.speakers_dir != settings.people_dir {
                people.extend(markdown_files(&settings.speakers_dir));
            }
            let mut presentations = markdown_files(&settings.presentations_dir);
            // Zola and Hugo sites keep talk pages in `talks/` (or `sessions/`) beside the events.
            let root = settings.site_root();
            if settings.presentations_dir == root.join("presentations") {
                for folder in ["talks", "sessions"] {
                    presentations.extend(markdown_files(&root.join(folder)));
                }
            }
            (people, presentations)
        },
    );
    let (events, problems) = events?;
    Ok(SiteFiles {
        events,
        people,
        presentations,
        problems,
        site_config: site_config_files(settings),
        data: data_files(settings),
    })
}

/// The site's data files: `_data/` (Jekyll, Eleventy) and `data/` (Hugo, Zola) at the site's root
/// and at its parent (a Hugo site's `content/` sits beside `data/`).
fn data_files(settings: &Settings) -> Vec<PathBuf> {
    let root = settings.site_root();
    let mut files = Vec::new();
    for base in [Some(root.as_path()), root.parent()].into_iter().flatten() {
        for folder in ["_data", "data"] {
            let Ok(entries) = fs::read_dir(base.join(folder)) else {
                continue;
            };
            files.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| {
                        let name = p.to_string_lossy().to_lowercase();
                        p.is_file()
                            && [".yml", ".yaml", ".json", ".toml"]
                                .iter()
                                .any(|ext| name.ends_with(ext))
                    }),
            );
        }
    }
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files
}

/// The candidate generator configuration files of the site, nearest folder first, walking up from
/// the events folder: no further than the git checkout's root, a folder with `.git`, or eight
/// levels. The core tells a generator's file from another tool's (crier's own `config.toml`).
fn site_config_files(settings: &Settings) -> Vec<PathBuf> {
    const MAX_LEVELS: usize = 8;
    let mut folder = fs::canonicalize(&settings.events_dir).ok();
    let limit = settings
        .root_limit
        .as_ref()
        .and_then(|l| fs::canonicalize(l).ok());
    let mut found = Vec::new();
    for _ in 0..MAX_LEVELS {
        let Some(dir) = folder else {
            break;
        };
        found.extend(
            site::MARKERS
                .iter()
                .map(|name| dir.join(name))
                .filter(|path| path.is_file()),
        );
        if Some(&dir) == limit.as_ref() || dir.join(".git").exists() {
            break;
        }
        folder = dir.parent().map(Path::to_path_buf);
    }
    found
}

/// The event files of a folder and its subfolders, sorted, with problems for files that must not be read.
fn event_files(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Problem>), LoadError> {
    let root = fs::canonicalize(dir).map_err(|source| LoadError {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = fs::read_dir(&folder).map_err(|source| LoadError {
            path: folder.clone(),
            source,
        })?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if kind.is_dir() {
                if !hidden {
                    pending.push(path);
                }
                continue;
            }
            if !is_event_file(&path) {
                continue;
            }
            if kind.is_symlink() {
                problems.push(symlink_problem(&path, &root));
                continue;
            }
            files.push(path);
        }
    }
    // Byte order: `Path`'s own order compares component by component, many times slower.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    Ok((files, problems))
}

/// Why a symbolic link in the events folder is not read. A link may point anywhere on the host: it is
/// never followed out of the folder, and a link to a file inside it would read that event twice.
fn symlink_problem(path: &Path, root: &Path) -> Problem {
    match fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => Problem::warning(
            path,
            None,
            format!(
                "symbolic link to {}, which is in the events folder and read once; not read again. Remove the link",
                target.display()
            ),
        ),
        Ok(target) => Problem::error(
            path,
            None,
            format!(
                "symbolic link to {}, outside the events folder; not read. Copy the file in instead",
                target.display()
            ),
        ),
        Err(e) => Problem::error(
            path,
            None,
            format!("broken symbolic link ({e}); remove it or fix its target"),
        ),
    }
}

/// The markdown files directly in `dir`, sorted; none if it does not exist.
fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| match e.file_type() {
            // The type comes with the folder listing; only a link needs a `stat` to see its target.
            Ok(t) if t.is_symlink() => e.path().is_file(),
            Ok(t) => t.is_file(),
            Err(_) => false,
        })
        .map(|e| e.path())
        .filter(|p| is_markdown_file(p))
        .collect();
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files
}

/// Reads a file of at most [`MAX_FILE_BYTES`] as UTF-8, with its modification time; a problem otherwise.
pub fn read_limited(path: &Path) -> Result<FileText, Problem> {
    let io_problem =
        |e: std::io::Error| Problem::error(path, None, format!("cannot read the file: {e}"));
    let file = fs::File::open(path).map_err(io_problem)?;
    // Sized from the file's length: one read instead of a small probe and a doubling buffer.
    let metadata = file.metadata().ok();
    let modified = metadata
        .as_ref()
        .and_then(|m| m.modified().ok())
        .map(DateTime::<Utc>::from);
    let len = metadata.map_or(0, |m| m.len()).min(MAX_FILE_BYTES + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_problem)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Problem::error(
            path,
            None,
            "file is larger than 1 MiB, too large for an event file; not read. Move large content (slides, images) out of the events folder",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let prefix = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = prefix.len()
            - prefix
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
            + 1;
        Problem::error(
            path,
            Some(Position::new(line, column)),
            "the file is not valid UTF-8; save it as UTF-8",
        )
    })?;
    Ok(FileText { text, modified })
}
