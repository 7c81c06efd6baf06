//! The slash commands' names and descriptions in every built-in locale, as Discord's command
//! localizations take them: for each of Discord's locale codes (`he`, `fr`, `de`, `es-ES`,
//! `es-419`), the name and the description. English is the commands' own default.
//!
//! Discord refuses the whole registration for one bad name, so a name or a description that an
//! override makes invalid is left out (the English one shows instead), and [`problems`] says why.

use super::{Locale, Wording};

/// The message that names each command (by its qualified name) and each option (by the command's
/// qualified name and the option's name).
pub const COMMANDS: [(&str, &str); 7] = [
    ("upcoming", "command-upcoming"),
    ("next", "command-next"),
    ("event", "command-event"),
    ("talks", "command-talks"),
    ("speakers", "command-speakers"),
    ("crier", "command-crier"),
    ("crier status", "command-crier-status"),
];

pub const OPTIONS: [(&str, &str, &str); 15] = [
    ("upcoming", "count", "option-count"),
    ("upcoming", "group", "option-group"),
    ("next", "group", "option-group"),
    ("event", "name", "option-event-name"),
    ("event", "group", "option-group"),
    ("talks", "event", "option-talks-event"),
    ("talks", "group", "option-group"),
    ("speakers", "name", "option-speaker-name"),
    ("speakers", "group", "option-group"),
    ("upcoming", "site", "option-site"),
    ("next", "site", "option-site"),
    ("event", "site", "option-site"),
    ("talks", "site", "option-site"),
    ("speakers", "site", "option-site"),
    ("crier status", "site", "option-site"),
];

/// Discord's limits on a name and a description.
const NAME_MAX: usize = 32;
const DESCRIPTION_MAX: usize = 100;

/// A command's or an option's localizations: `(Discord locale, name)` and
/// `(Discord locale, description)` pairs, each valid by Discord's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    pub names: Vec<(String, String)>,
    pub descriptions: Vec<(String, String)>,
}

/// The localizations of the message `id` (a command's or an option's).
pub fn localized(wording: &Wording, id: &str) -> Localized {
    let mut out = Localized::default();
    for locale in Locale::ALL {
        let texts = wording.texts(locale);
        let name = texts.get(id);
        let description = texts.attribute(id, "description");
        for code in locale.discord_codes() {
            if valid_name(&name) {
                out.names.push(((*code).to_string(), name.clone()));
            }
            if let Some(d) = description.as_ref().filter(|d| valid_description(d)) {
                out.descriptions.push(((*code).to_string(), d.clone()));
            }
        }
    }
    out
}

/// The English description of a command or option (`id`), when it is one Discord takes: the
/// commands' default, which en.ftl (or an English override) words like every other language.
pub fn english_description(english: &super::Texts, id: &str) -> Option<String> {
    english
        .attribute(id, "description")
        .filter(|d| valid_description(d))
}

/// Why a locale's command or option name or description cannot be registered, for `crier check`:
/// the locale, and what is wrong.
pub fn problems(wording: &Wording) -> Vec<(Locale, String)> {
    let ids = COMMANDS
        .iter()
        .map(|(_, id)| *id)
        .chain(OPTIONS.iter().map(|(_, _, id)| *id));
    let mut out = Vec::new();
    for id in ids {
        for locale in Locale::ALL {
            let texts = wording.texts(locale);
            let name = texts.get(id);
            if !valid_name(&name) {
                out.push((locale, format!("`{id}` is `{name}`, which Discord refuses as a name: one word of lower-case letters, digits, `-` or `_`, at most {NAME_MAX} characters; the English name is used instead")));
            }
            if let Some(d) = texts
                .attribute(id, "description")
                .filter(|d| !valid_description(d))
            {
                out.push((locale, format!("`{id}.description` is {} characters, and Discord takes {DESCRIPTION_MAX} at most (or it is empty); the English one is used instead", d.chars().count())));
            }
        }
    }
    out
}

/// Discord's rule for a command or option name: 1 to 32 letters (lower case where the script has
/// case), digits, `-` or `_`.
pub fn valid_name(name: &str) -> bool {
    let count = name.chars().count();
    (1..=NAME_MAX).contains(&count)
        && name
            .chars()
            .all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-' || c == '_')
}

fn valid_description(text: &str) -> bool {
    (1..=DESCRIPTION_MAX).contains(&text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_names_every_command_and_option_validly() {
        let wording = Wording::builtin();
        assert_eq!(problems(&wording), Vec::new());
        let next = localized(&wording, "command-next");
        let codes: Vec<&str> = next.names.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["he", "fr", "de", "es-ES", "es-419"]);
        assert_eq!(next.descriptions.len(), 5);
        // Within one command, the options' names differ in every locale.
        for locale in Locale::ALL {
            let texts = wording.texts(locale);
            for (command, _) in COMMANDS {
                let mut names: Vec<String> = OPTIONS
                    .iter()
                    .filter(|(c, _, _)| *c == command)
                    .map(|(_, _, id)| texts.get(id))
                    .collect();
                let count = names.len();
                names.sort();
                names.dedup();
                assert_eq!(names.len(), count, "{locale} {command}");
            }
            let mut top: Vec<String> = COMMANDS[..6].iter().map(|(_, id)| texts.get(id)).collect();
            top.sort();
            top.dedup();
            assert_eq!(top.len(), 6, "{locale}");
        }
    }

    #[test]
    fn an_invalid_override_is_left_out_and_reported() {
        let wording = Wording::with_overrides(&[super::super::Override {
            locale: Locale::Fr,
            text: "command-next = Le Prochain\n".into(),
        }]);
        let next = localized(&wording, "command-next");
        assert!(next.names.iter().all(|(code, _)| code != "fr"));
        assert_eq!(problems(&wording).len(), 1, "{:?}", problems(&wording));
    }
}
