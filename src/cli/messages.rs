//! `crier messages [--locale L]`: the built-in messages of a language, each with the comment that
//! says where it appears and which variables it is given directly above it: what an organiser copies
//! into an override file.

use std::io::{self, Write};
use std::process::ExitCode;

use super::USAGE_ERROR;
use crate::config::SiteConfig;
use crier_core::l10n::{locale, overrides, Locale};

pub fn command(config: &SiteConfig, locale: Option<&str>) -> anyhow::Result<ExitCode> {
    let locale = match locale {
        None => config.messages.policy.server(None),
        Some(code) => {
            let Some(locale) = Locale::from_code(code) else {
                eprintln!(
                    "crier: --locale: `{code}` is not a language crier has messages in; use one of {}",
                    locale::codes()
                );
                return Ok(ExitCode::from(USAGE_ERROR));
            };
            locale
        }
    };
    let mut out = io::stdout().lock();
    out.write_all(overrides::listing(locale).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
