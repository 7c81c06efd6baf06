//! A secret read from a file (a repository token, a webhook secret): never shown by `Debug` or
//! `Display`, so it cannot end up in a log line or an error message by accident.

use std::fmt;
use std::path::Path;

#[derive(Clone)]
pub struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// Reads the file `path` given as the key `key`. A trailing newline (as `echo` and editors write)
    /// is not part of the secret; an empty file is an error, since an empty secret protects nothing.
    pub fn from_file(path: &Path, key: &str) -> Result<Secret, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {} (`{key}`): {e}", path.display()))?;
        let value = text.trim_end_matches(['\n', '\r']);
        if value.trim().is_empty() {
            return Err(format!("{} (`{key}`) is empty", path.display()));
        }
        Ok(Secret(value.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_newline_is_not_part_of_the_secret_and_debug_hides_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("token");
        std::fs::write(&file, "ghp_abc 123\r\n").expect("write");
        let secret = Secret::from_file(&file, "source.token_file").expect("read");
        assert_eq!(secret.expose(), "ghp_abc 123");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        std::fs::write(&file, "\n").expect("write");
        let error = Secret::from_file(&file, "source.token_file").expect_err("empty");
        assert!(error.contains("`source.token_file`) is empty"), "{error}");
        let missing = Secret::from_file(&dir.path().join("nope"), "source.token_file");
        assert!(missing.expect_err("missing").contains("cannot read"));
    }
}
