//! `[messages]`: the language of every post and reply (`locale`, `fallback`), and the folder of the
//! organiser's override files (`dir`, relative to the config file).

use std::path::PathBuf;

use super::origin::{ConfigError, Origins};
use super::raw::RawMessages;
use crier_core::l10n::{locale, Choice, Locale, Policy};

/// `[messages]`, checked.
#[derive(Debug, Clone, Default)]
pub struct MessagesConfig {
    pub policy: Policy,
    /// The folder of `<locale>.ftl` override files; `None` for the built-in messages only.
    pub dir: Option<PathBuf>,
}

pub(super) fn resolve(raw: RawMessages, at: &Origins) -> Result<MessagesConfig, ConfigError> {
    let mut policy = Policy::default();
    if let Some(value) = &raw.locale {
        policy.choice = Choice::parse(value).map_err(|m| at.error("messages.locale", m))?;
    }
    if let Some(value) = &raw.fallback {
        policy.fallback = Locale::from_code(value).ok_or_else(|| {
            at.error(
                "messages.fallback",
                format!(
                    "`{value}` is not a language crier has messages in; use one of {}",
                    locale::codes()
                ),
            )
        })?;
    }
    Ok(MessagesConfig {
        policy,
        dir: at.path("messages.dir", raw.dir),
    })
}
