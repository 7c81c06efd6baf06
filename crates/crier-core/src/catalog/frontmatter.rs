//! Splits a markdown file into its front matter and body.
//!
//! Only the first two delimiter lines count: berline.rs bodies use `---` as a horizontal rule, so a greedy
//! split would eat half a post. YAML (`---`) is what every corpus uses; TOML (`+++`) is Hugo's other form.

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Toml,
    /// A whole data file (`2016-07-12.yml`): YAML without delimiters or body.
    Data,
}

/// A file split at its front matter delimiters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub syntax: Syntax,
    /// The text between the delimiters.
    pub front: &'a str,
    /// 1-based line number, in the file, of the first line of `front`.
    pub front_line: usize,
    pub body: &'a str,
    /// 1-based line number, in the file, of the first line of `body`.
    pub body_line: usize,
}

/// Why a file has no usable front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---` (or `+++`).
    Missing,
    /// The opening delimiter (on line 1) is never closed.
    Unclosed { syntax: Syntax },
}

impl<'a> Split<'a> {
    /// A data file: all of it is the front matter, and there is no body.
    pub fn data(text: &'a str) -> Split<'a> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Split {
            syntax: Syntax::Data,
            front: text,
            front_line: 1,
            body: "",
            body_line: text.lines().count() + 1,
        }
    }
}

/// Splits `text` at its front matter. A UTF-8 byte order mark and trailing blanks on delimiter lines are
/// tolerated, since editors on Windows add both.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (first, rest) = match text.find('\n') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let syntax = match first.trim_end() {
        "---" => Syntax::Yaml,
        "+++" => Syntax::Toml,
        _ => return Err(SplitError::Missing),
    };
    let mut offset = 0;
    for (line, raw) in (2..).zip(rest.split_inclusive('\n')) {
        let trimmed = raw.trim_end();
        let closes = match syntax {
            // YAML also allows `...` as a document end marker.
            Syntax::Yaml | Syntax::Data => trimmed == "---" || trimmed == "...",
            Syntax::Toml => trimmed == "+++",
        };
        if closes {
            return Ok(Split {
                syntax,
                front: &rest[..offset],
                front_line: 2,
                body: &rest[offset + raw.len()..],
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(SplitError::Unclosed { syntax })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_first_two_delimiters_only() {
        let s = split("---\ntitle: x\n---\nbody\n---\nmore\n").expect("split");
        assert_eq!(s.syntax, Syntax::Yaml);
        assert_eq!(s.front, "title: x\n");
        assert_eq!(s.body, "body\n---\nmore\n");
        assert_eq!(s.front_line, 2);
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn tolerates_bom_crlf_and_trailing_blanks() {
        let s = split("\u{feff}--- \r\na: 1\r\n---\r\nb\r\n").expect("split");
        assert_eq!(s.front, "a: 1\r\n");
        assert_eq!(s.body, "b\r\n");
    }

    #[test]
    fn reads_toml_front_matter() {
        let s = split("+++\ntitle = 'x'\n+++\n").expect("split");
        assert_eq!(s.syntax, Syntax::Toml);
        assert_eq!(s.front, "title = 'x'\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn empty_front_matter_is_allowed() {
        let s = split("---\n---\nbody").expect("split");
        assert_eq!(s.front, "");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("# Title\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(
            split("---\ntitle: x\n"),
            Err(SplitError::Unclosed {
                syntax: Syntax::Yaml
            })
        );
    }
}
