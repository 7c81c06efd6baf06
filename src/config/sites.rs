//! `[[sites]]`: several communities in one process. Each site's table is laid over the top-level
//! keys, which are every site's defaults, and the result is read as a single site's configuration
//! would be: a site is exactly what a config without `[[sites]]` describes, plus a name.
//!
//! Some keys belong to the process, not to a site, and are refused in a site's table: one state
//! folder and one ledger hold every site's rows, one listener serves every site's paths, and one bot
//! (one token, one gateway connection) speaks for all of them.

use super::origin::{ConfigError, Origins};

/// Keys only the top level may give, with why.
const TOP_LEVEL_ONLY: &[(&str, &str)] = &[
    (
        "state_dir",
        "one state folder holds every site's ledger rows and checkouts",
    ),
    (
        "http",
        "one listener serves every site, at `/sites/<name>/events.ics` and `/hooks/git/<name>`",
    ),
    (
        "ledger",
        "one ledger holds every site's rows, keyed by site",
    ),
    ("sites", "sites do not nest"),
    (
        "discord.token_file",
        "one bot, with one token, speaks for every site",
    ),
    ("discord.api_url", "one bot talks to one Discord API"),
    ("discord.shards", "one gateway connection serves every site"),
];

/// The longest name: it is a folder, a URL path segment and a metric label.
const NAME_MAX: usize = 64;

/// The `[[sites]]` array as tables, each with the full paths of the keys it gives.
pub(super) fn tables(value: toml::Value, at: &Origins) -> Result<Vec<toml::Table>, ConfigError> {
    let toml::Value::Array(items) = value else {
        return Err(at.error(
            "sites",
            "must be an array of tables; write each site as `[[sites]]`",
        ));
    };
    if items.is_empty() {
        return Err(at.error(
            "sites",
            "is empty; give at least one `[[sites]]`, or none for a single site",
        ));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| match item {
            toml::Value::Table(table) => Ok(table),
            _ => Err(at.error(&format!("sites[{index}]"), "must be a table (`[[sites]]`)")),
        })
        .collect()
}

/// The full paths of the keys `table` gives: `events_dir`, `discord.channel_id`, `routes`.
pub(super) fn given_keys(table: &toml::Table) -> Vec<String> {
    let mut keys = Vec::new();
    for (name, value) in table {
        keys.push(name.clone());
        if let (toml::Value::Table(inner), false) = (value, name == "routes") {
            keys.extend(inner.keys().map(|key| format!("{name}.{key}")));
        }
    }
    keys
}

/// Refuses a key of `site` (at `index`) that only the top level may give.
pub(super) fn refuse_top_level_keys(
    index: usize,
    keys: &[String],
    at: &Origins,
) -> Result<(), ConfigError> {
    for (key, why) in TOP_LEVEL_ONLY {
        if keys.iter().any(|given| given == key) {
            return Err(ConfigError {
                origin: at.file().to_string(),
                key: Some(format!("sites[{index}].{key}")),
                message: format!("is a top-level key only: {why}; move it out of `[[sites]]`"),
            });
        }
    }
    Ok(())
}

/// `defaults` with `site` laid over it: a table's keys are merged one by one (a site's
/// `[sites.discord] channel_id` keeps the top-level `discord.guild_id`), anything else (values,
/// and `routes`, an array) is the site's own.
pub(super) fn merged(defaults: &toml::Table, site: toml::Table) -> toml::Table {
    let mut out = defaults.clone();
    for (name, value) in site {
        match (out.get_mut(&name), value) {
            (Some(toml::Value::Table(base)), toml::Value::Table(over)) => {
                for (key, inner) in over {
                    base.insert(key, inner);
                }
            }
            (_, value) => {
                out.insert(name, value);
            }
        }
    }
    out
}

/// A site's `name`: letters, digits and `-`, since it is used in paths, URLs and metric labels.
pub(super) fn name(
    index: usize,
    table: &mut toml::Table,
    taken: &[String],
    at: &Origins,
) -> Result<String, ConfigError> {
    let key = format!("sites[{index}].name");
    let error = |message: String| ConfigError {
        origin: at.file().to_string(),
        key: Some(key.clone()),
        message,
    };
    let name = match table.remove("name") {
        Some(toml::Value::String(name)) => name,
        Some(_) => return Err(error("must be a string, like `name = \"rust-berlin\"`".into())),
        None => {
            return Err(error(
                "is missing; every site needs a name (letters, digits and `-`), like `name = \"rust-berlin\"`".into(),
            ))
        }
    };
    if name.is_empty()
        || name.len() > NAME_MAX
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(error(format!(
            "`{name}` is not a site name: use 1 to {NAME_MAX} letters, digits and `-` (it is used in paths, URLs and metric labels)"
        )));
    }
    if taken.iter().any(|other| other.eq_ignore_ascii_case(&name)) {
        return Err(error(format!(
            "`{name}` is already the name of another site; each site needs its own"
        )));
    }
    Ok(name)
}
