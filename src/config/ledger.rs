//! The `[ledger]` table: where every site's rows are kept. The SQLite file in `state_dir` by
//! default; a PostgreSQL server with `url`, when several crier processes (on several machines) share
//! one ledger, one leading and the others standing by.
//!
//! The password is never part of the configuration: `url` must not carry one, and `password_file`
//! names the file that holds it, read when the ledger connects.

use std::path::PathBuf;

use super::origin::{ConfigError, Origins};
use super::raw::RawLedger;

/// Where the ledger is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerConfig {
    /// The state folder: the SQLite file `ledger.sqlite3` without `url`.
    pub state_dir: PathBuf,
    /// `[ledger] url`: a PostgreSQL server instead.
    pub postgres: Option<PostgresLedger>,
}

/// A PostgreSQL ledger's address and password file.
#[derive(Clone, PartialEq, Eq)]
pub struct PostgresLedger {
    /// `postgres://USER@HOST:PORT/DB`, without a password.
    pub url: String,
    pub password_file: Option<PathBuf>,
}

impl std::fmt::Debug for PostgresLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresLedger")
            .field("url", &self.url)
            .field("password_file", &self.password_file)
            .finish()
    }
}

impl LedgerConfig {
    /// The ledger as logs name it: the SQLite file, or the server's URL (which holds no secret).
    pub fn describe(&self) -> String {
        match &self.postgres {
            Some(pg) => pg.url.clone(),
            None => self.state_dir.join("ledger.sqlite3").display().to_string(),
        }
    }
}

pub(super) fn resolve(
    raw: Option<RawLedger>,
    state_dir: PathBuf,
    at: &Origins,
) -> Result<LedgerConfig, ConfigError> {
    let raw = raw.unwrap_or_default();
    if raw.password.is_some() {
        return Err(at.error("ledger.password", "the database password never belongs in a config file; put it in a file and set `ledger.password_file` to it"));
    }
    let password_file = at.file_path("ledger.password_file", raw.password_file)?;
    let Some(text) = raw.url.filter(|u| !u.trim().is_empty()) else {
        if password_file.is_some() {
            return Err(at.error(
                "ledger.password_file",
                "is set without `ledger.url`; set the URL of the PostgreSQL server, or remove it",
            ));
        }
        return Ok(LedgerConfig {
            state_dir,
            postgres: None,
        });
    };
    let url = url::Url::parse(text.trim()).map_err(|e| {
        at.error(
            "ledger.url",
            format!("is not a URL ({e}); write it like `postgres://crier@db.example:5432/crier`"),
        )
    })?;
    // `?password=` is the other place libpq's URLs take one.
    if url.password().is_some() || url.query_pairs().any(|(key, _)| key == "password") {
        // The URL is not echoed: it holds the secret.
        return Err(at.error(
            "ledger.url",
            "holds a password; remove it from the URL and put it in the file `ledger.password_file` names",
        ));
    }
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(at.error(
            "ledger.url",
            format!(
                "`{}:` is not a PostgreSQL URL; write it like `postgres://crier@db.example:5432/crier` (without `url`, the ledger is the SQLite file in `state_dir`)",
                url.scheme()
            ),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(at.error(
            "ledger.url",
            "names no server; write it like `postgres://crier@db.example:5432/crier`",
        ));
    }
    Ok(LedgerConfig {
        state_dir,
        postgres: Some(PostgresLedger {
            url: url.to_string(),
            password_file,
        }),
    })
}
