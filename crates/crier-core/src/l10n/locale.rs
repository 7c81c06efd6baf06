//! The languages crier writes in, and every way they are named: a config's code (`fr`), Discord's
//! locale (`es-419`), and an event file's `language:` (`Hebrew`, `he`, `עברית`).

use std::fmt;

/// A language crier has its own messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    En,
    He,
    Fr,
    De,
    Es,
}

/// Names an event file may give its language by, lower-cased, for each locale: the code, the
/// English name, and the language's own name (with and without accents).
const NAMES: [(Locale, &[&str]); 5] = [
    (
        Locale::En,
        &[
            "en",
            "eng",
            "english",
            "anglais",
            "englisch",
            "inglés",
            "ingles",
            "אנגלית",
        ],
    ),
    (
        Locale::He,
        &[
            "he",
            "iw",
            "heb",
            "hebrew",
            "עברית",
            "hébreu",
            "hebreu",
            "hebräisch",
            "hebreo",
        ],
    ),
    (
        Locale::Fr,
        &[
            "fr",
            "fra",
            "fre",
            "french",
            "français",
            "francais",
            "französisch",
            "francés",
            "frances",
            "צרפתית",
        ],
    ),
    (
        Locale::De,
        &[
            "de",
            "deu",
            "ger",
            "german",
            "deutsch",
            "allemand",
            "alemán",
            "aleman",
            "גרמנית",
        ],
    ),
    (
        Locale::Es,
        &[
            "es",
            "spa",
            "spanish",
            "español",
            "espanol",
            "castellano",
            "espagnol",
            "spanisch",
            "ספרדית",
        ],
    ),
];

impl Locale {
    /// Every built-in locale, English first.
    pub const ALL: [Locale; 5] = [Locale::En, Locale::He, Locale::Fr, Locale::De, Locale::Es];

    /// The code crier's config and `.ftl` file names use: `en`, `he`, `fr`, `de`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::He => "he",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Es => "es",
        }
    }

    /// The language's name in English, for the README and messages to organisers.
    pub fn english_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::He => "Hebrew",
            Locale::Fr => "French",
            Locale::De => "German",
            Locale::Es => "Spanish",
        }
    }

    /// Discord's locales this one answers for, in the command localizations crier registers.
    /// English is the commands' default, so it needs none; Spanish covers Spain and Latin America.
    pub fn discord_codes(self) -> &'static [&'static str] {
        match self {
            Locale::En => &[],
            Locale::He => &["he"],
            Locale::Fr => &["fr"],
            Locale::De => &["de"],
            Locale::Es => &["es-ES", "es-419"],
        }
    }

    /// Whether the language is written right to left: its messages isolate every placeable, so
    /// that a Latin name, a link or a time keeps its order inside Hebrew text.
    pub fn is_rtl(self) -> bool {
        self == Locale::He
    }

    /// A locale code as a config, a file name or Discord writes it (`fr`, `en-GB`, `es-419`,
    /// `he_IL`), by its language subtag; `None` for a language crier has no messages in.
    pub fn from_code(code: &str) -> Option<Locale> {
        let language = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Locale::ALL
            .into_iter()
            .find(|l| l.code() == language)
            .or_else(|| (language == "iw").then_some(Locale::He))
    }

    /// An event file's `language:` (`Hebrew`, `he`, `Français`, `en-US`), in any case. A value that
    /// names two languages (`Hebrew English`, `English / Hebrew`) is the first one named.
    pub fn from_language(value: &str) -> Option<Locale> {
        let lowered = value.trim().to_lowercase();
        if let Some(locale) = Locale::named(&lowered) {
            return Some(locale);
        }
        lowered
            .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_')
            .filter(|word| !word.is_empty())
            .find_map(Locale::named)
    }

    fn named(lowered: &str) -> Option<Locale> {
        NAMES
            .iter()
            .find(|(_, names)| names.contains(&lowered))
            .map(|(locale, _)| *locale)
            .or_else(|| {
                // A region or script after the code: `en-US`, `fr_CA`.
                lowered
                    .contains(['-', '_'])
                    .then(|| Locale::from_code(lowered))
                    .flatten()
            })
    }

    /// The locale of chrono's month and day names.
    pub(crate) fn chrono(self) -> chrono::Locale {
        match self {
            Locale::En => chrono::Locale::en_US,
            Locale::He => chrono::Locale::he_IL,
            Locale::Fr => chrono::Locale::fr_FR,
            Locale::De => chrono::Locale::de_DE,
            Locale::Es => chrono::Locale::es_ES,
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How the language of a post is chosen: `[messages] locale`, or a route's `locale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Always this language.
    Fixed(Locale),
    /// Each event's own `language:`.
    Event,
}

impl Choice {
    /// `event`, or a locale code crier has messages in. The error lists the choices.
    pub fn parse(value: &str) -> Result<Choice, String> {
        if value.trim().eq_ignore_ascii_case("event") {
            return Ok(Choice::Event);
        }
        Locale::from_code(value).map(Choice::Fixed).ok_or_else(|| {
            format!(
                "`{value}` is not a language crier has messages in; use one of {}, or `event` for each event's own `language:`",
                codes()
            )
        })
    }
}

/// `en, he, fr, de, es`.
pub fn codes() -> String {
    Locale::ALL
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which language each post is written in: the server's choice, a route's, and the fallback for an
/// event whose language crier has no messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub choice: Choice,
    pub fallback: Locale,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            choice: Choice::Fixed(Locale::En),
            fallback: Locale::En,
        }
    }
}

impl Policy {
    /// The language of a post about an event whose file says `language`, sent through a route that
    /// chooses `route` (a route's `locale` wins over `[messages] locale`).
    pub fn for_event(&self, language: Option<&str>, route: Option<Choice>) -> Locale {
        match route.unwrap_or(self.choice) {
            Choice::Fixed(locale) => locale,
            Choice::Event => language
                .and_then(Locale::from_language)
                .unwrap_or(self.fallback),
        }
    }

    /// The language of a reply to a member: their own Discord locale (`member`, the interaction's)
    /// when crier has messages in it, else the server's preferred locale (`guild`), else the
    /// configured one.
    pub fn reply(&self, member: Option<&str>, guild: Option<&str>) -> Locale {
        member
            .and_then(Locale::from_code)
            .or_else(|| guild.and_then(Locale::from_code))
            .unwrap_or_else(|| self.server(None))
    }

    /// The language of what belongs to no one event (the digest, a command's reply without the
    /// member's locale): the server's, or the fallback when each event chooses its own.
    pub fn server(&self, route: Option<Choice>) -> Locale {
        match route.unwrap_or(self.choice) {
            Choice::Fixed(locale) => locale,
            Choice::Event => self.fallback,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_and_config_codes_map_to_their_language() {
        assert_eq!(Locale::from_code("en-US"), Some(Locale::En));
        assert_eq!(Locale::from_code("en-GB"), Some(Locale::En));
        assert_eq!(Locale::from_code("es-ES"), Some(Locale::Es));
        assert_eq!(Locale::from_code("es-419"), Some(Locale::Es));
        assert_eq!(Locale::from_code("he"), Some(Locale::He));
        assert_eq!(Locale::from_code("FR"), Some(Locale::Fr));
        assert_eq!(Locale::from_code("pt-BR"), None);
    }

    #[test]
    fn event_languages_are_read_by_any_name() {
        for (value, locale) in [
            ("Hebrew", Locale::He),
            ("he", Locale::He),
            ("עברית", Locale::He),
            ("Français", Locale::Fr),
            ("french", Locale::Fr),
            ("Deutsch", Locale::De),
            ("Español", Locale::Es),
            ("en-US", Locale::En),
            ("Hebrew English", Locale::He),
            ("English / Hebrew", Locale::En),
        ] {
            assert_eq!(Locale::from_language(value), Some(locale), "{value}");
        }
        assert_eq!(Locale::from_language("Português"), None);
    }

    #[test]
    fn a_route_wins_and_the_fallback_takes_unknown_languages() {
        let policy = Policy {
            choice: Choice::Event,
            fallback: Locale::De,
        };
        assert_eq!(policy.for_event(Some("Hebrew"), None), Locale::He);
        assert_eq!(policy.for_event(Some("Klingon"), None), Locale::De);
        assert_eq!(policy.for_event(None, None), Locale::De);
        assert_eq!(
            policy.for_event(Some("Hebrew"), Some(Choice::Fixed(Locale::Fr))),
            Locale::Fr
        );
        assert_eq!(policy.server(None), Locale::De);
        assert_eq!(policy.reply(Some("fr"), Some("he")), Locale::Fr);
        assert_eq!(policy.reply(Some("pt-BR"), Some("he")), Locale::He);
        assert_eq!(policy.reply(Some("ja"), None), Locale::De);
        assert_eq!(Choice::parse(" Event "), Ok(Choice::Event));
        assert_eq!(Choice::parse("es-419"), Ok(Choice::Fixed(Locale::Es)));
        assert!(Choice::parse("xx")
            .unwrap_err()
            .contains("en, he, fr, de, es"));
    }
}
