//! The `presentations/` and `people/` folders that rust.org.il events link to from their `schedule:`,
//! and the `speakers/` pages that Hugo sites link from their bodies and `speakers = [...]` lists.
//!
//! The folders are read once per catalog load, in parallel, so a talk named by many events is parsed
//! once and its problems are reported once, against its own file. The files are listed and read by the
//! caller (see [`super::Catalog::read`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::front::{non_empty_text, string_list, uncut_text, Front};
use super::frontmatter;
use super::model::{Speaker, Talk};
use super::page::file_stem;
use super::people::{person_url, PersonPages};
use super::problem::{Position, Problem};
use super::{FileText, Settings};

/// Loaded presentations and people, keyed by path.
#[derive(Debug, Default)]
pub struct Library {
    site_root: PathBuf,
    presentations_dir: PathBuf,
    people_dir: PathBuf,
    /// `None` for a file that failed to load (its problem is in `problems`).
    presentations: HashMap<PathBuf, Option<Talk>>,
    people: HashMap<PathBuf, Option<Speaker>>,
    /// People and speaker pages by lower-case file stem (`jane-doe`), as Hugo resolves a ref or a slug
    /// whatever its case. `speakers/` wins over `people/`.
    by_slug: HashMap<String, Speaker>,
    /// Talk pages by lower-case file stem, for sites that link talks by slug (Zola's
    /// `talks = ["approval-testing"]` into `content/talks/`).
    talk_pages_by_slug: HashMap<String, PathBuf>,
    /// Talks of the site's data files by id (`_data/talks.yml`).
    data_talks: HashMap<String, Talk>,
    /// Problems of the library's own files.
    pub problems: Vec<Problem>,
}

/// Why a `schedule:` or `speakers:` entry could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum Missing {
    /// No such file; the message says which and suggests the closest.
    NotFound(String),
    /// The file exists but has errors of its own (reported against it).
    Broken,
}

impl Library {
    /// Reads the people and presentation files with `read`. A folder that does not exist is simply
    /// empty: only the legacy and native formats are in use then, and a `schedule:` entry that needs it
    /// gets its own error.
    pub fn read<R>(
        settings: &Settings,
        people_files: &[PathBuf],
        presentation_files: &[PathBuf],
        data_files: &[PathBuf],
        read: &R,
    ) -> Library
    where
        R: Fn(&Path) -> Result<FileText, Problem> + Sync,
    {
        let mut library = Library {
            site_root: settings.site_root(),
            presentations_dir: settings.presentations_dir.clone(),
            people_dir: settings.people_dir.clone(),
            ..Library::default()
        };
        let people: Vec<_> = people_files
            .par_iter()
            .map(|path| {
                let (person, problems) = read_person(path, read(path));
                (path.clone(), person, problems)
            })
            .collect();
        for (path, person, problems) in people {
            library.problems.extend(problems);
            if let Some(person) = &person {
                library
                    .by_slug
                    .insert(file_stem(&path).to_lowercase(), person.clone());
            }
            library.people.insert(path, person);
        }
        // Data files after the pages: a person page wins over a data entry of the same id.
        // People before talks: a talk's `speakers: [jane]` names an entry of the people's file.
        let (people_data, talk_data): (Vec<&PathBuf>, Vec<&PathBuf>) = data_files
            .iter()
            .partition(|p| data_kind(p) == Some(DataKind::People));
        for path in people_data.into_iter().chain(talk_data) {
            let Ok(file) = read(path) else {
                continue;
            };
            library.read_data(path, &file.text);
        }
        let talks: Vec<_> = presentation_files
            .par_iter()
            .map(|path| {
                let (talk, problems) = read_presentation(path, read(path), &library);
                (path.clone(), talk, problems)
            })
            .collect();
        for (path, talk, problems) in talks {
            library.problems.extend(problems);
            // The slug points at the page's entry: the talk itself is held once.
            if talk.is_some() {
                library
                    .talk_pages_by_slug
                    .insert(file_stem(&path).to_lowercase(), path.clone());
            }
            library.presentations.insert(path, talk);
        }
        library
    }

    pub fn presentation_count(&self) -> usize {
        self.presentations.len()
    }

    pub fn people_count(&self) -> usize {
        self.people.len()
    }

    /// The talk a `schedule:` entry such as `presentations/intro.md` names.
    pub fn presentation(&self, entry: &str) -> Result<Talk, Missing> {
        let path = self.resolve(entry, "presentations", &self.presentations_dir);
        match self.presentations.get(&path) {
            Some(Some(talk)) => Ok(talk.clone()),
            Some(None) => Err(Missing::Broken),
            None => Err(Missing::NotFound(not_found(
                entry,
                &path,
                self.presentations.keys(),
            ))),
        }
    }

    /// The person a `speakers:` entry such as `people/jane-doe.md` names.
    pub fn person(&self, entry: &str) -> Result<Speaker, Missing> {
        let path = self.resolve(entry, "people", &self.people_dir);
        match self.people.get(&path) {
            Some(Some(person)) => Ok(person.clone()),
            Some(None) => Err(Missing::Broken),
            None => Err(Missing::NotFound(not_found(
                entry,
                &path,
                self.people.keys(),
            ))),
        }
    }

    /// The person a Hugo site names by slug (`speakers = ["jane-doe"]`, `{{< speaker "jane-doe" >}}`), or
    /// by a link to their page (`/speakers/jane-doe.md`, `/speakers/Jane-Doe`).
    pub fn person_by_slug(&self, slug_or_link: &str) -> Option<&Speaker> {
        let trimmed = slug_or_link.trim().trim_end_matches('/');
        let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let slug = last.strip_suffix(".md").unwrap_or(last).to_lowercase();
        self.by_slug.get(&slug)
    }

    /// A site's data file (`_data/speakers.yml`, Hugo's or Zola's `data/talks.toml`): people or talks
    /// by id, for the keys that name them by id (`speakers: [jane]`). A file is people or talks by its
    /// name; its entries are a map of id to fields, or a list of maps each with an `id` (or `slug`,
    /// `key`). Anything else in it is not crier's to read and is passed over without a word: data
    /// folders hold all sorts (navigation, sponsors).
    fn read_data(&mut self, path: &Path, text: &str) {
        let Some(kind) = data_kind(path) else {
            return;
        };
        let people = kind == DataKind::People;
        let lower = path.to_string_lossy().to_lowercase();
        let value: Option<serde_yaml::Value> = if lower.ends_with(".toml") {
            text.parse::<toml::Table>()
                .ok()
                .and_then(|t| serde_yaml::to_value(t).ok())
        } else {
            // YAML is a superset of JSON.
            serde_yaml::from_str(text).ok()
        };
        let entries: Vec<(String, serde_yaml::Mapping)> = match value {
            Some(serde_yaml::Value::Mapping(map)) => map
                .into_iter()
                .filter_map(|(id, fields)| match fields {
                    serde_yaml::Value::Mapping(fields) => {
                        Some((super::front::scalar_text(&id)?, fields))
                    }
                    _ => None,
                })
                .collect(),
            Some(serde_yaml::Value::Sequence(items)) => items
                .into_iter()
                .filter_map(|item| match item {
                    serde_yaml::Value::Mapping(fields) => {
                        let id = ["id", "slug", "key"]
                            .iter()
                            .find_map(|k| non_empty_text(fields.get(*k)))?;
                        Some((id, fields))
                    }
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for (id, fields) in entries {
            let id = id.to_lowercase();
            if people {
                let Some(name) = ["name", "title", "full_name"]
                    .iter()
                    .find_map(|k| non_empty_text(fields.get(*k)))
                else {
                    continue;
                };
                let url = person_url(|key| non_empty_text(fields.get(key)));
                self.by_slug.entry(id).or_insert(Speaker { name, url });
            } else if let Some(title) = ["title", "name"]
                .iter()
                .find_map(|k| non_empty_text(fields.get(*k)))
            {
                let speakers = super::people::TALK_SPEAKER_KEYS
                    .iter()
                    .find_map(|k| fields.get(*k))
                    .map(|v| super::people::people(v, self))
                    .unwrap_or_default();
                let talk = Talk {
                    abstract_md: ["abstract", "description", "summary"]
                        .iter()
                        .find_map(|k| non_empty_text(fields.get(*k))),
                    ..Talk::new(title, speakers)
                };
                self.data_talks.entry(id).or_insert(talk);
            }
        }
    }

    /// The talk page a slug or a link names (`approval-testing`, `/talks/approval-testing/`).
    pub fn presentation_by_slug(&self, slug_or_link: &str) -> Option<Talk> {
        let trimmed = slug_or_link.trim().trim_end_matches('/');
        let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let slug = last.strip_suffix(".md").unwrap_or(last).to_lowercase();
        self.talk_pages_by_slug
            .get(&slug)
            .and_then(|path| self.presentations.get(path))
            .and_then(Clone::clone)
            .or_else(|| self.data_talks.get(&slug).cloned())
    }

    /// `presentations/x.md` lives in the configured presentations folder; other relative paths are
    /// relative to the site root (the parent of the events folder).
    fn resolve(&self, entry: &str, folder: &str, dir: &Path) -> PathBuf {
        let entry = entry
            .trim()
            .trim_start_matches("./")
            .trim_start_matches('/');
        match entry.strip_prefix(folder).and_then(|e| e.strip_prefix('/')) {
            Some(rest) => dir.join(rest),
            None => self.site_root.join(entry),
        }
    }
}

/// What a data file holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataKind {
    People,
    Talks,
}

fn data_kind(path: &Path) -> Option<DataKind> {
    let stem = file_stem(path).to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| stem.contains(w));
    if has(&["speaker", "people", "person", "member", "author"]) {
        Some(DataKind::People)
    } else if has(&["talk", "session", "presentation"]) {
        Some(DataKind::Talks)
    } else {
        None
    }
}

impl PersonPages for Library {
    fn page(&self, entry: &str) -> Option<Speaker> {
        self.person(entry).ok()
    }

    fn by_slug(&self, slug_or_link: &str) -> Option<Speaker> {
        self.person_by_slug(slug_or_link).cloned()
    }
}

fn not_found<'a>(entry: &str, path: &Path, known: impl Iterator<Item = &'a PathBuf>) -> String {
    let wanted = path.file_name().and_then(|n| n.to_str()).unwrap_or(entry);
    let names = known.filter_map(|p| p.file_name().and_then(|n| n.to_str()));
    let hint = crate::text::did_you_mean(wanted, names)
        .unwrap_or_else(|| format!("create {} or fix the name", path.display()));
    format!("`{entry}` does not exist ({}); {hint}", path.display())
}

/// Splits and parses the front matter of `path`'s text, and hands it and the body to `read`. A file
/// without front matter gets an error that says what this kind of file should start with.
fn read_with_front<T>(
    path: &Path,
    file: Result<FileText, Problem>,
    expected: &str,
    read: impl FnOnce(&Front<'_>, &str) -> (Option<T>, Vec<Problem>),
) -> (Option<T>, Vec<Problem>) {
    let text = match file {
        Ok(file) => file.text,
        Err(problem) => return (None, vec![problem]),
    };
    let Ok(split) = frontmatter::split(&text) else {
        return (
            None,
            vec![Problem::error(
                path,
                Some(Position::new(1, 1)),
                format!("no front matter: {expected}"),
            )],
        );
    };
    match Front::parse(path, &split) {
        Ok(front) => read(&front, split.body),
        Err(problem) => (None, vec![problem]),
    }
}

/// A `people/` file (`name`, `home`, `linkedin`, `github`, ...) or a Hugo `speakers/` page (`title`,
/// `website`, `twitter`, ...); the body is a bio.
fn read_person(path: &Path, file: Result<FileText, Problem>) -> (Option<Speaker>, Vec<Problem>) {
    let expected = "a people file starts with `---`, then `name: Full Name` (and optional `home`, `github`, `linkedin`), then `---`";
    read_with_front(path, file, expected, |front, _bio| {
        let mut problems = Vec::new();
        let name = non_empty_text(front.get("name"))
            .or_else(|| non_empty_text(front.get("title")))
            .unwrap_or_else(|| {
                let stem = file_stem(path);
                problems.push(Problem::warning(
                    path,
                    Some(Position::new(2, 1)),
                    format!("no `name`; using the file name `{stem}`. Add `name: Full Name`"),
                ));
                stem
            });
        let url = person_url(|key| non_empty_text(front.get(key)));
        (Some(Speaker { name, url }), problems)
    })
}

/// A `presentations/` file: `title`, `speakers` (people files), `length` (minutes, 0 = unknown),
/// `language`; the body is the abstract.
fn read_presentation(
    path: &Path,
    file: Result<FileText, Problem>,
    library: &Library,
) -> (Option<Talk>, Vec<Problem>) {
    let expected =
        "a presentation file starts with `---`, then `title:` and `speakers:`, then `---`";
    read_with_front(path, file, expected, |front, body| {
        let mut problems = Vec::new();
        let (title, cut) = uncut_text(front, path, "title");
        problems.extend(cut);
        let title = title.unwrap_or_else(|| {
            let stem = file_stem(path);
            problems.push(Problem::warning(
                path,
                Some(Position::new(2, 1)),
                format!("no `title`; using the file name `{stem}`. Add `title: ...`"),
            ));
            stem
        });
        let mut speakers: Vec<Speaker> = Vec::new();
        let key = super::people::TALK_SPEAKER_KEYS
            .iter()
            .copied()
            .find(|k| front.get(k).is_some())
            .unwrap_or("speakers");
        for entry in string_list(front.get(key)) {
            if !entry.ends_with(".md") {
                for person in
                    super::people::people(&serde_yaml::Value::from(entry.as_str()), library)
                {
                    if !speakers.iter().any(|s| s.name == person.name) {
                        speakers.push(person);
                    }
                }
                continue;
            }
            match library.person(&entry) {
                Ok(person) => speakers.push(person),
                Err(Missing::Broken) => {}
                Err(Missing::NotFound(message)) => problems.push(Problem::error(
                    path,
                    front.position_after(key, &entry),
                    message,
                )),
            }
        }
        let length_minutes = front
            .get("length")
            .and_then(serde_yaml::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n > 0);
        // "Exploring Memory Allocators by Ronen Cohen": the speaker is said once, as a speaker.
        let title = speakers
            .iter()
            .find_map(|s| {
                title
                    .strip_suffix(s.name.as_str())
                    .and_then(|t| t.trim_end().strip_suffix(" by"))
                    .map(|t| t.trim_end().to_string())
            })
            .filter(|t| !t.is_empty())
            .unwrap_or(title);
        let abstract_md = Some(body.trim().to_string()).filter(|s| !s.is_empty());
        let talk = Talk {
            title,
            speakers,
            length_minutes,
            language: non_empty_text(front.get("language")),
            abstract_md,
            recordings: super::recording_links::read(|key| front.get(key)),
        };
        (Some(talk), problems)
    })
}
