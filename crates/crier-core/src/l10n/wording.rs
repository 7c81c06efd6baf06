//! The messages of every locale, built in or overridden by the organiser, and [`Texts`]: one
//! locale's view that the renderers ask for words.
//!
//! Each locale is one Fluent bundle: the built-in `.ftl` file, then the organiser's override file
//! for that locale added over it, so an override file may hold one message or all of them. A
//! message missing from a locale (a built-in locale has them all, a test checks) is taken from
//! English, so a new message never shows an id to a member.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Locale;

/// The built-in messages of each locale, as shipped in `crates/crier-core/messages/`.
pub fn builtin_source(locale: Locale) -> &'static str {
    match locale {
        Locale::En => include_str!("../../messages/en.ftl"),
        Locale::He => include_str!("../../messages/he.ftl"),
        Locale::Fr => include_str!("../../messages/fr.ftl"),
        Locale::De => include_str!("../../messages/de.ftl"),
        Locale::Es => include_str!("../../messages/es.ftl"),
    }
}

type Bundle = FluentBundle<FluentResource>;

/// Every locale's messages. Cheap to share (`Arc`); rebuilt whole when an override file changes.
pub struct Wording {
    /// Indexed like [`Locale::ALL`].
    bundles: Vec<Bundle>,
}

impl std::fmt::Debug for Wording {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wording").finish_non_exhaustive()
    }
}

/// An override file's text for one locale. Its problems are found by
/// [`check`](super::overrides::check); one that does not parse is not used.
#[derive(Debug, Clone)]
pub struct Override {
    pub locale: Locale,
    pub text: String,
}

impl Default for Wording {
    /// The built-in messages (a fresh copy: [`Wording::builtin`] shares one).
    fn default() -> Self {
        Wording::with_overrides(&[])
    }
}

impl Wording {
    /// The built-in messages, with no override (built once, then shared).
    pub fn builtin() -> Arc<Wording> {
        builtin_shared().clone()
    }

    /// One locale of the built-in messages, for as long as the program runs: for the organiser's
    /// tools that speak English whatever the server's language (`crier list`), and for tests.
    pub fn builtin_texts(locale: Locale) -> Texts<'static> {
        builtin_shared().texts(locale)
    }

    /// The built-in messages, borrowed for as long as the program runs.
    pub fn builtin_static() -> &'static Wording {
        builtin_shared()
    }

    /// The built-in messages with the organiser's overrides over them. An override whose Fluent
    /// does not parse keeps the entries that do (Fluent's own recovery); the caller has already
    /// refused a file with syntax errors where it must keep the last good version.
    pub fn with_overrides(overrides: &[Override]) -> Wording {
        let bundles = Locale::ALL
            .iter()
            .map(|&locale| {
                let mut bundle = Bundle::new_concurrent(vec![language_id(locale)]);
                // Isolation marks keep a Latin name or a time in order inside right-to-left text;
                // in a left-to-right language they would only be invisible bytes in every post.
                bundle.set_use_isolating(locale.is_rtl());
                let builtin = resource(builtin_source(locale).to_string());
                // Built-in files are checked by the tests: no duplicate ids, so no error here.
                let _ = bundle.add_resource(builtin);
                for file in overrides.iter().filter(|o| o.locale == locale) {
                    bundle.add_resource_overriding(resource(file.text.clone()));
                }
                bundle
            })
            .collect();
        Wording { bundles }
    }

    fn bundle(&self, locale: Locale) -> &Bundle {
        let index = Locale::ALL.iter().position(|&l| l == locale).unwrap_or(0);
        &self.bundles[index]
    }

    /// One locale's view.
    pub fn texts(&self, locale: Locale) -> Texts<'_> {
        Texts {
            wording: self,
            locale,
        }
    }
}

fn builtin_shared() -> &'static Arc<Wording> {
    static BUILTIN: std::sync::OnceLock<Arc<Wording>> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| Arc::new(Wording::with_overrides(&[])))
}

fn resource(text: String) -> FluentResource {
    FluentResource::try_new(text).unwrap_or_else(|(partial, _errors)| partial)
}

fn language_id(locale: Locale) -> unic_langid::LanguageIdentifier {
    locale
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default())
}

/// Every locale's messages with the choice of one per event: for what crier writes about an event
/// outside a post (the calendar feed, the Events tab), in the event's language as `policy` says.
#[derive(Debug, Clone, Copy)]
pub struct Words<'w> {
    pub wording: &'w Wording,
    pub policy: super::Policy,
}

impl<'w> Words<'w> {
    /// The messages of the language of posts about `event` (a route's `locale` aside).
    pub fn for_event(&self, event: &crate::catalog::Event) -> Texts<'w> {
        self.wording
            .texts(self.policy.for_event(event.language.as_deref(), None))
    }
}

/// A value for a message's variable.
pub type Arg<'a> = FluentValue<'a>;

/// One locale's messages: what every renderer asks for its words.
#[derive(Clone, Copy)]
pub struct Texts<'a> {
    wording: &'a Wording,
    pub locale: Locale,
}

impl std::fmt::Debug for Texts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Texts({})", self.locale)
    }
}

impl Texts<'_> {
    /// The message `id`, with no variables.
    pub fn get(&self, id: &str) -> String {
        self.say(id, &[])
    }

    /// The message `id` with its variables. A message this locale lacks comes from English; an id
    /// no locale has (a bug, which the tests catch) is written as itself.
    pub fn say(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.format(id, None, args)
            .unwrap_or_else(|| id.to_string())
    }

    /// An attribute of a message (`command-next.description`), if the message has it.
    pub fn attribute(&self, id: &str, attribute: &str) -> Option<String> {
        self.format(id, Some(attribute), &[])
    }

    fn format(
        &self,
        id: &str,
        attribute: Option<&str>,
        args: &[(&str, Arg<'_>)],
    ) -> Option<String> {
        let fluent_args = (!args.is_empty()).then(|| {
            let mut fluent_args = FluentArgs::with_capacity(args.len());
            for (name, value) in args {
                fluent_args.set(Cow::Owned((*name).to_string()), value.clone());
            }
            fluent_args
        });
        let own = self.wording.bundle(self.locale);
        let english = self.wording.bundle(Locale::En);
        [own, english].into_iter().find_map(|bundle| {
            let message = bundle.get_message(id)?;
            let pattern = match attribute {
                Some(name) => message.get_attribute(name)?.value(),
                None => message.value()?,
            };
            // Errors (a variable the caller did not give) leave `{$name}` in the text; the override
            // files are checked for them before they are used.
            let mut errors = Vec::new();
            Some(
                bundle
                    .format_pattern(pattern, fluent_args.as_ref(), &mut errors)
                    .into_owned(),
            )
        })
    }

    /// How soon `start` is from `now`: `in 2 hours`, `tomorrow`, `in 7 days` (the `starts-in`
    /// message, whose unit and count are chosen here).
    pub fn starts_in(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> String {
        let (unit, count) = distance(start, now);
        self.say(
            "starts-in",
            &[("unit", unit.into()), ("count", count.into())],
        )
    }

    /// A date (and time, when known) in the locale's own words and order, as crier writes dates
    /// itself: `Thu 14 Jan 2027, 18:30`, `jeu. 14 janv. 2027, 18:30`.
    pub fn date(&self, at: DateTime<FixedOffset>, time_known: bool) -> String {
        super::dates::format(at, time_known, self.locale)
    }
}

/// The unit and count of the distance from `now` to `start`, rounded as a person would say it.
fn distance(start: DateTime<Utc>, now: DateTime<Utc>) -> (&'static str, i64) {
    // To the nearest second: a reminder 4 s before the start fires a few milliseconds late, and
    // still says "in 4 seconds".
    let secs = ((start - now).num_milliseconds() + 500).div_euclid(1000);
    let minutes = (secs + 30) / 60;
    let hours = (secs + 1800) / 3600;
    let days = (secs + 43200) / 86400;
    match secs {
        s if s <= 0 => ("now", 0),
        s if s < 90 => ("seconds", s),
        s if s < 90 * 60 => ("minutes", minutes),
        s if s < 36 * 3600 && hours < 20 => ("hours", hours),
        s if s < 36 * 3600 => ("tomorrow", 1),
        _ => ("days", days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn relative_times_read_naturally() {
        let wording = Wording::builtin();
        let en = wording.texts(Locale::En);
        let start = t("2030-01-10T16:00:00Z");
        assert_eq!(en.starts_in(start, t("2030-01-10T14:00:00Z")), "in 2 hours");
        assert_eq!(en.starts_in(start, t("2030-01-09T16:00:00Z")), "tomorrow");
        assert_eq!(en.starts_in(start, t("2030-01-03T16:00:00Z")), "in 7 days");
        assert_eq!(
            en.starts_in(start, t("2030-01-10T15:59:30Z")),
            "in 30 seconds"
        );
        assert_eq!(
            en.starts_in(start, t("2030-01-10T15:30:00Z")),
            "in 30 minutes"
        );
        assert_eq!(en.starts_in(start, start), "now");
    }

    #[test]
    fn an_override_replaces_one_message_and_keeps_the_rest() {
        let wording = Wording::with_overrides(&[Override {
            locale: Locale::En,
            text: "post-new = Fresh meetup!\n".into(),
        }]);
        let en = wording.texts(Locale::En);
        assert_eq!(en.get("post-new"), "Fresh meetup!");
        assert_eq!(en.get("post-cancelled"), "Cancelled");
        assert_eq!(
            Wording::builtin().texts(Locale::En).get("post-new"),
            "New event"
        );
    }

    #[test]
    fn hebrew_isolates_its_placeables_and_english_does_not() {
        let wording = Wording::builtin();
        let title = "Rust ו-WebAssembly";
        let he = wording.texts(Locale::He).say(
            "text-heading",
            &[("heading", "אירוע".into()), ("title", title.into())],
        );
        assert!(he.contains(&format!("\u{2068}{title}\u{2069}")), "{he:?}");
        let en = wording.texts(Locale::En).say(
            "text-heading",
            &[("heading", "New".into()), ("title", title.into())],
        );
        assert_eq!(en, format!("New: {title}"));
    }

    #[test]
    fn attributes_are_read() {
        let en = Wording::builtin();
        assert_eq!(
            en.texts(Locale::En)
                .attribute("command-next", "description")
                .as_deref(),
            Some("The next event, in full")
        );
        assert_eq!(
            en.texts(Locale::En).attribute("post-new", "description"),
            None
        );
    }
}
