//! Parsed front matter that still knows where each key sits in the file.
//!
//! serde_yaml gives values but not their positions, and every problem crier reports must name a line.
//! Front matter is small and flat, so the positions of top-level keys and of list entries are found by
//! looking at the lines themselves, which is exact for the block style every site uses.

use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::flat_yaml;
use super::frontmatter::{Split, Syntax};
use super::problem::{Position, Problem};

/// The front matter of one file.
pub struct Front<'a> {
    pub values: Mapping,
    text: &'a str,
    first_line: usize,
    /// Keys read under another name (`venue` for `location`), canonical name to the name written, so
    /// problems point at the line the organiser wrote.
    written: std::collections::HashMap<String, String>,
}

impl<'a> Front<'a> {
    /// Parses the front matter of a split file. A syntax error is reported at its line in the file.
    pub fn parse(path: &Path, split: &Split<'a>) -> Result<Front<'a>, Problem> {
        let value = match split.syntax {
            // Most front matter is simple block YAML, read exactly as serde_yaml reads it in a
            // fraction of its time (see `flat_yaml`); anything else goes to serde_yaml.
            Syntax::Yaml | Syntax::Data => match flat_yaml::parse(split.front) {
                Some(value) => value,
                None => yaml_value(path, split)?,
            },
            Syntax::Toml => {
                let table = split.front.parse::<toml::Table>().map_err(|e| {
                    let at = e.span().map(|span| {
                        let before = &split.front[..span.start.min(split.front.len())];
                        let line = before.matches('\n').count();
                        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                        Position::new(split.front_line + line, column)
                    });
                    Problem::error(path, at, format!("TOML syntax: {}", e.message()))
                })?;
                serde_yaml::to_value(table)
                    .map_err(|e| Problem::error(path, None, format!("TOML front matter: {e}")))?
            }
        };
        let values = match value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            // A data file that is a bare list: the talks of the event its name dates (cologne-js).
            Value::Sequence(items) if split.syntax == Syntax::Data => {
                let mut map = Mapping::new();
                map.insert(Value::from("talks"), Value::Sequence(items));
                map
            }
            _ => {
                return Err(Problem::error(
                    path,
                    Some(Position::new(split.front_line, 1)),
                    "front matter is not a list of `key: value` lines; write one key per line, e.g. `title: My meetup`",
                ))
            }
        };
        let mut values = values;
        flatten_theme_tables(&mut values);
        Ok(Front {
            values,
            text: split.front,
            first_line: split.front_line,
            written: std::collections::HashMap::new(),
        })
    }

    /// The value of the top-level `key`. A scan of the keys, not a hash look-up: front matter has a
    /// dozen keys at most, the reader asks for dozens of names per file (most of them absent), and
    /// comparing a few short strings costs less than hashing the name with the map's SipHash each
    /// time (the look-ups were 7% of a site's load).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// Reads other names for crier's keys as those keys: for each `(canonical, aliases)` of `table`
    /// whose canonical key the file does not write, the first alias it does write. Themes name the same
    /// thing differently (`meetupUrl`, `rsvp` and `registration` are all `register`). One pass over the
    /// keys the file has (a few), not one look-up per alias (dozens).
    pub fn aliases(&mut self, table: &[(&str, &[&str])]) {
        let written: Vec<&str> = self.values.keys().filter_map(Value::as_str).collect();
        let mut renames: Vec<(String, String)> = Vec::new();
        for (canonical, aliases) in table {
            if written.contains(canonical) {
                continue;
            }
            // The first alias in the table's order that the file writes.
            if let Some(alias) = aliases.iter().find(|a| written.contains(a)) {
                renames.push((canonical.to_string(), alias.to_string()));
            }
        }
        for (canonical, alias) in renames {
            if let Some(value) = self.values.remove(alias.as_str()) {
                self.values.insert(Value::from(canonical.as_str()), value);
                self.written.insert(canonical, alias);
            }
        }
    }

    /// Whether the file writes `key`, under its own name, even where it was read as another key's
    /// alias (`event_url` read as `register`).
    pub fn wrote(&self, key: &str) -> bool {
        self.get(key).is_some() || self.written.values().any(|w| w == key)
    }

    /// The name `key` is written under in the file.
    pub fn written_name<'k>(&'k self, key: &'k str) -> &'k str {
        self.written.get(key).map_or(key, String::as_str)
    }

    /// The text after `key:` on its line, as written (comments and quotes included).
    pub fn raw_value(&self, key: &str) -> Option<(&'a str, Position)> {
        let key = self.written_name(key);
        self.lines().find_map(|(number, line)| {
            let rest = line.strip_prefix(key)?;
            let rest = rest
                .strip_prefix(':')
                .or_else(|| rest.trim_start().strip_prefix('='))?;
            let value = rest.trim_start();
            let column = line.len() - value.len() + 1;
            Some((value.trim_end(), Position::new(number, column)))
        })
    }

    /// Where the top-level `key` is written.
    pub fn key_position(&self, key: &str) -> Option<Position> {
        let key = self.written_name(key);
        self.lines().find_map(|(number, line)| {
            line.strip_prefix(key)
                // `key: value` (YAML) or `key = value` (TOML).
                .filter(|rest| rest.trim_start().starts_with([':', '=']))
                .map(|_| Position::new(number, 1))
        })
    }

    /// Where `needle` first appears at or after the line of `key` (for entries of a list under `key`).
    pub fn position_after(&self, key: &str, needle: &str) -> Option<Position> {
        let start = self.key_position(key).map_or(0, |p| p.line);
        self.lines()
            .filter(|(number, _)| *number >= start)
            .find_map(|(number, line)| line.find(needle).map(|i| Position::new(number, i + 1)))
    }

    fn lines(&self) -> impl Iterator<Item = (usize, &'a str)> {
        let first = self.first_line;
        self.text
            .lines()
            .enumerate()
            .map(move |(i, line)| (first + i, line))
    }
}

/// Zola keeps a page's own keys under `[extra]`, and Hugo themes under `params`: they are read as
/// top-level keys, where the file does not write the same key at the top.
fn flatten_theme_tables(values: &mut Mapping) {
    for table in ["extra", "params"] {
        // Most files have neither: look before taking (no clone of the table, no hashing).
        if !values
            .iter()
            .any(|(k, v)| k.as_str() == Some(table) && v.is_mapping())
        {
            continue;
        }
        let Some(Value::Mapping(inner)) = values.remove(table) else {
            continue;
        };
        for (key, value) in inner {
            if !values.contains_key(&key) {
                values.insert(key, value);
            }
        }
    }
}

/// The front matter as serde_yaml reads it; a syntax error is reported at its line in the file.
fn yaml_value(path: &Path, split: &Split<'_>) -> Result<Value, Problem> {
    serde_yaml::from_str::<Value>(split.front).map_err(|e| {
        let at = e
            .location()
            .map(|l| Position::new(split.front_line + l.line() - 1, l.column()));
        Problem::error(
            path,
            at,
            format!(
                "YAML syntax: {}; check the indentation and quote values that contain `: ` or start with a special character",
                strip_yaml_location(&e.to_string())
            ),
        )
    })
}

/// serde_yaml appends "at line N column M" to its messages; crier reports the position itself.
fn strip_yaml_location(message: &str) -> &str {
    message.find(" at line ").map_or(message, |i| &message[..i])
}

/// A scalar as text: strings as they are, numbers and booleans written out. `None` for null,
/// sequences and mappings.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        // A TOML datetime reaches serde_yaml as a one-key map.
        Value::Mapping(m) if m.len() == 1 => m
            .get("$__toml_private_datetime")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        _ => None,
    }
}

/// Non-empty trimmed text of a scalar.
pub fn non_empty_text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(scalar_text)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Reads a string key whose unquoted value YAML may have cut at ` #` (the rest became a comment).
/// Returns the value the author meant and, when it was cut, a warning saying how to quote it.
pub fn uncut_text(front: &Front<'_>, path: &Path, key: &str) -> (Option<String>, Option<Problem>) {
    let parsed = non_empty_text(front.get(key));
    let Some((raw, at)) = front.raw_value(key) else {
        return (parsed, None);
    };
    let quoted = raw.starts_with(['"', '\'']);
    let Some(cut) = raw.find(" #") else {
        return (parsed, None);
    };
    if quoted
        || front
            .get(key)
            .is_some_and(|v| !matches!(v, Value::String(_) | Value::Null))
    {
        return (parsed, None);
    }
    let full = raw.trim().to_string();
    if parsed.as_deref() == Some(full.as_str()) {
        return (parsed, None);
    }
    let warning = Problem::warning(
        path,
        Some(Position::new(at.line, at.column + cut + 1)),
        format!(
            "YAML cuts this `{key}` at ` #` (the rest reads as a comment); crier uses the whole line, but quote it so other readers do too: {key}: \"{}\"",
            full.replace('"', "\\\"")
        ),
    );
    (Some(full), Some(warning))
}

/// A scalar or a list of scalars, as strings (`schedule: null` is an empty list).
pub fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| non_empty_text(Some(v)))
            .collect(),
        Some(other) => non_empty_text(Some(other))
            .map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::frontmatter::split;
    use super::*;

    #[test]
    fn yaml_errors_name_the_file_line() {
        let text = "---\ntitle: a\ndate: [1\n---\n";
        let s = split(text).expect("split");
        let err = Front::parse(Path::new("e.md"), &s)
            .err()
            .expect("syntax error");
        assert!(err.is_error());
        assert!(err.line.expect("line") >= 3, "{err}");
        assert!(err.message.starts_with("YAML syntax"), "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
    }

    #[test]
    fn toml_errors_name_the_line() {
        let s = split("+++\ntitle = 'a'\ndate = \n+++\n").expect("split");
        let err = Front::parse(Path::new("e.md"), &s)
            .err()
            .expect("syntax error");
        assert_eq!(err.line, Some(3), "{err}");
    }

    #[test]
    fn finds_keys_and_raw_values() {
        let s = split("---\ntitle: Session #3 - Kernel\ntime: 18:00\n---\n").expect("split");
        let front = Front::parse(Path::new("e.md"), &s).expect("parses");
        assert_eq!(front.key_position("time"), Some(Position::new(3, 1)));
        let (raw, at) = front.raw_value("time").expect("raw");
        assert_eq!(raw, "18:00");
        assert_eq!(at, Position::new(3, 7));
        let (title, warning) = uncut_text(&front, Path::new("e.md"), "title");
        assert_eq!(title.as_deref(), Some("Session #3 - Kernel"));
        let warning = warning.expect("warns");
        assert_eq!(warning.line, Some(2));
        assert_eq!(warning.column, Some(16));
        assert!(warning.message.contains("title: \"Session #3 - Kernel\""));
    }

    #[test]
    fn quoted_titles_are_not_cut() {
        let s = split("---\ntitle: \"Session #3\"\n---\n").expect("split");
        let front = Front::parse(Path::new("e.md"), &s).expect("parses");
        let (title, warning) = uncut_text(&front, Path::new("e.md"), "title");
        assert_eq!(title.as_deref(), Some("Session #3"));
        assert!(warning.is_none());
    }

    #[test]
    fn toml_front_matter_reads_like_yaml() {
        let s = split("+++\ntitle = 'x'\ndate = 2025-06-08T18:00:00+02:00\n+++\n").expect("split");
        let front = Front::parse(Path::new("e.md"), &s).expect("parses");
        assert_eq!(non_empty_text(front.get("title")).as_deref(), Some("x"));
        assert_eq!(
            non_empty_text(front.get("date")).as_deref(),
            Some("2025-06-08T18:00:00+02:00")
        );
    }
}
