//! What a page's path says about its event: its name, the title Jekyll and Hugo give a page without
//! one, the date in its name or folders, and the identity the file itself gives the event.
//!
//! Jekyll names a post `2025-06-08-slug.md`; Hugo keeps pages in year folders (`2025/01-14-slug.md`),
//! as page bundles (`2008/02-12-slug/index.md`, named by their folder), or with the date as a suffix
//! (`slug-2017-01-31.md`).

use std::path::Path;

use chrono::NaiveDate;

use super::datetime;

/// The page's own name: the file name without its extension, or for a Hugo page bundle
/// (`02-12-paris-jug/index.md`) its folder's name.
pub fn page_name(path: &Path) -> String {
    let stem = file_stem(path);
    if stem == "index" {
        if let Some(folder) = path.parent().and_then(|p| p.file_name()) {
            return folder.to_string_lossy().into_owned();
        }
    }
    stem
}

/// The title Jekyll and Hugo give a page without one: its name without the date, `-` read as a space
/// (`2019-05-08-Hack-Night-S19E05.md` is "Hack Night S19E05").
pub fn slug_title(path: &Path) -> String {
    let name = page_name(path);
    let mut slug = name.as_str();
    if let Some((_, rest)) = datetime::parse_ymd(slug) {
        slug = rest;
    } else if let Some(rest) = month_day_prefix(slug) {
        slug = rest;
    }
    if let Some(stem) = date_suffix(slug) {
        slug = stem.0;
    }
    let title = slug
        .trim_matches(['-', '_', '.'])
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() {
        name
    } else {
        title
    }
}

/// `02-12-paris-jug` without its `MM-DD-`.
fn month_day_prefix(name: &str) -> Option<&str> {
    let bytes = name.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        bytes
            .get(r)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    (digits(0..2) && bytes.get(2) == Some(&b'-') && digits(3..5) && bytes.get(5) == Some(&b'-'))
        .then(|| &name[6..])
}

/// `talk-night-2017-01-31` as (`talk-night`, the date).
fn date_suffix(name: &str) -> Option<(&str, NaiveDate)> {
    let at = name.len().checked_sub(10)?;
    let tail = name.get(at..)?;
    let (date, rest) = datetime::parse_ymd(tail)?;
    let before = &name[..at];
    (rest.is_empty() && (before.is_empty() || before.ends_with(['-', '_'])))
        .then(|| (before.trim_end_matches(['-', '_']), date))
}

/// The date a page's path gives: `2025-06-08-slug.md` (Jekyll), `slug-2025-06-08.md`, or a year folder
/// and `MM-DD-slug` (Hugo: `2025/01-14-academy.md`, `2008/02-12-paris-jug/index.md`).
pub fn date_from_path(path: &Path) -> Option<NaiveDate> {
    let name = page_name(path);
    if let Some(date) = datetime::date_from_file_name(&name) {
        return Some(date);
    }
    if let Some((_, date)) = date_suffix(&name) {
        return Some(date);
    }
    month_day_prefix(&name)?;
    let mut folders = path.ancestors().skip(1);
    if file_stem(path) == "index" {
        folders.next();
    }
    let year: i32 = folders
        .next()?
        .file_name()?
        .to_str()?
        .parse()
        .ok()
        .filter(|y| (1900..=2999).contains(y))?;
    let month = name.get(0..2)?.parse().ok()?;
    let day = name.get(3..5)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The identity a file gives its event: its path in the events folder without the extension
/// (`2025/01-14-academy`), or a page bundle's folder (`2008/02-12-paris-jug`). Stable while the file
/// keeps its place, and the same wherever the site is checked out.
pub fn file_identity(path: &Path, events_dir: &Path) -> String {
    let relative = path.strip_prefix(events_dir).unwrap_or(path);
    let mut relative = relative.with_extension("");
    if relative.file_name().is_some_and(|n| n == "index") {
        if let Some(parent) = relative.parent().filter(|p| !p.as_os_str().is_empty()) {
            relative = parent.to_path_buf();
        }
    }
    let id = relative.to_string_lossy().replace('\\', "/");
    if id.is_empty() {
        page_name(path)
    } else {
        id
    }
}

/// Whether the file's name starts with its date, as Jekyll's posts do.
pub fn is_jekyll_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(datetime::date_from_file_name)
        .is_some()
}

/// The file's name without its extension: `2024-05-01-meetup` for `2024-05-01-meetup.md`.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
