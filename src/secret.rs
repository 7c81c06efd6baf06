//! A secret read from a file (the bot token, a repository token, a webhook secret): one reader for
//! all of them, and never shown by `Debug` or `Display`, so it cannot end up in a log line or an
//! error message by accident.

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

    /// Reads the file `path` given as the key `key`. The one trailing newline that `echo` and
    /// editors write (`\n` or `\r\n`) is not part of the secret; everything else is, spaces too (a
    /// webhook secret may hold them). A file that is empty, blank, or holds more lines than one is
    /// an error: an empty secret protects nothing, and a second line is a mistake (two secrets,
    /// or a stray newline that would make every request fail without saying why).
    pub fn from_file(path: &Path, key: &str) -> Result<Secret, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "cannot read {} (`{key}`): {e}; check the path, and that crier may read the file",
                path.display()
            )
        })?;
        let value = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(&text);
        if value.trim().is_empty() {
            return Err(format!(
                "{} (`{key}`) is empty; write the secret in it",
                path.display()
            ));
        }
        if value.contains(['\n', '\r']) {
            return Err(format!(
                "{} (`{key}`) holds more than one line; write the secret alone on the first line",
                path.display()
            ));
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

    /// One newline is trimmed, and only one: the rest of the file is the secret, as written.
    #[test]
    fn exactly_one_trailing_newline_is_trimmed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("secret");
        for (written, read) in [
            ("s3cret", "s3cret"),
            ("s3cret\n", "s3cret"),
            ("s3cret\r\n", "s3cret"),
            (" spaced secret \n", " spaced secret "),
        ] {
            std::fs::write(&file, written).expect("write");
            let secret = Secret::from_file(&file, "source.webhook_secret_file").expect(written);
            assert_eq!(secret.expose(), read, "{written:?}");
        }
        for written in ["s3cret\n\n", "s3cret\r\n\r\n", "one\ntwo\n", "   \n", ""] {
            std::fs::write(&file, written).expect("write");
            let error = Secret::from_file(&file, "discord.token_file").expect_err(written);
            assert!(error.contains("(`discord.token_file`)"), "{error}");
            assert!(!error.contains("s3cret"), "never echoed: {error}");
        }
    }
}
