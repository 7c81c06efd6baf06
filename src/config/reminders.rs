//! What the announcer is told: `[reminders]` (when each reminder goes out) and `[digest]` (when the
//! weekly digest does).

use std::str::FromStr;

use super::origin::{ConfigError, Origins};
use super::raw::{RawDigest, RawReminders};
use crier_core::schedule::Rules;

/// `[reminders]`, over the defaults of [`Rules`].
pub(super) fn rules(raw: RawReminders, at: &Origins) -> Result<Rules, ConfigError> {
    let mut rules = Rules::default();
    if let Some(offsets) = raw.offsets {
        rules.offsets = offsets
            .iter()
            .map(|o| super::duration("reminders.offsets", o, at))
            .collect::<Result<_, _>>()?;
    }
    if let Some(announce_new) = raw.announce_new {
        rules.announce_new = announce_new;
    }
    if let Some(grace) = raw.grace.as_deref() {
        rules.grace = Some(super::duration("reminders.grace", grace, at)?);
    }
    Ok(rules)
}

/// `digest.cron`, in `timezone`; blank is no digest.
pub(super) fn digest(raw: RawDigest, at: &Origins) -> Result<Option<cron::Schedule>, ConfigError> {
    let Some(expr) = raw.cron.filter(|e| !e.trim().is_empty()) else {
        return Ok(None);
    };
    cron::Schedule::from_str(&expr).map(Some).map_err(|e| {
        at.error(
            "digest.cron",
            format!("`{expr}` is not a cron schedule ({e}); write six fields, seconds first, e.g. `0 0 9 * * Mon`"),
        )
    })
}
