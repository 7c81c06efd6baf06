//! A problem found in one file: where it is, how bad it is, and how to fix it.
//!
//! Problems are values, not early returns: a reader collects every problem of a file and moves on, so one
//! bad file never hides the others.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file still loads.
    Warning,
    /// The file's event is not loaded.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based line in the file, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    pub severity: Severity,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Problem {
    pub fn error(path: &Path, at: Option<Position>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, at, message)
    }

    pub fn warning(path: &Path, at: Option<Position>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, at, message)
    }

    fn new(
        severity: Severity,
        path: &Path,
        at: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.to_path_buf(),
            line: at.map(|p| p.line),
            column: at.map(|p| p.column),
            severity,
            message: message.into(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    pub fn new(line: usize, column: usize) -> Self {
        Position { line, column }
    }
}

/// `path:line:col: error: message`, the form compilers use, so editors and CI annotate the right line.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_compiler() {
        let p = Problem::error(
            Path::new("events/a.md"),
            Some(Position::new(3, 7)),
            "bad date",
        );
        assert_eq!(p.to_string(), "events/a.md:3:7: error: bad date");
        let p = Problem::warning(Path::new("events/a.md"), None, "odd");
        assert_eq!(p.to_string(), "events/a.md: warning: odd");
        assert!(!p.is_error());
    }
}
