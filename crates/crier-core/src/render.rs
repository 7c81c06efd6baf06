//! An event and an announcement kind to a platform-neutral message.
//!
//! Sinks (console now, Discord next) format the same [`Message`]; none of them decides wording. Text from
//! event files is neutralised so that it can never ping `@everyone` or `@here`, whatever the sink does.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;

use crate::catalog::{Event, Talk};
use crate::l10n::{Locale, Texts};
use crate::schedule::Kind;
use crate::talk_line;

/// What a sink posts: the plain text, and the parts a richer sink (Discord embeds) lays out itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    #[serde(skip)]
    pub kind: Kind,
    /// The language it is written in.
    #[serde(skip)]
    pub locale: Locale,
    pub event_id: String,
    pub title: String,
    /// The event's start (for a digest, the first event's), RFC 3339 with the event's offset.
    pub start: Option<DateTime<FixedOffset>>,
    pub time_known: bool,
    /// For a rescheduled notice: the start it moved from.
    pub previous_start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<FixedOffset>>,
    /// `online`, `in person, <place>`, or `None` when the file does not say.
    pub place: Option<String>,
    pub language: Option<String>,
    /// Talks, with mention syntax neutralised.
    pub talks: Vec<Talk>,
    /// The first line: what happened ("New event", "Reminder: tomorrow", "Cancelled", ...).
    pub headline: String,
    /// The whole message as plain text.
    pub text: String,
    pub register: Option<String>,
    /// For a recording announcement: the recording's link, and the title of the event it is from.
    pub recording: Option<String>,
    pub event_title: Option<String>,
    /// For a digest: the events it lists.
    pub items: Vec<DigestItem>,
    /// For a series' "new event": how it repeats (`monthly on the 2nd Tuesday`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats: Option<String>,
}

/// One line of a digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestItem {
    pub title: String,
    pub start: DateTime<FixedOffset>,
    pub time_known: bool,
    pub cancelled: bool,
    pub register: Option<String>,
}

/// `online`, `in person, <place>`, `in person`, or `None` when the file does not say, in the
/// words of `texts`.
pub fn place(event: &Event, texts: &Texts) -> Option<String> {
    match (event.online, &event.location) {
        (Some(true), _) => Some(texts.get("place-online")),
        (_, Some(location)) => {
            Some(texts.say("place-at", &[("location", location.as_str().into())]))
        }
        (Some(false), None) => Some(texts.get("place-in-person")),
        (None, None) => None,
    }
}

/// A talk with mention syntax neutralised in every text it has.
pub fn neutral_talk(talk: &Talk) -> Talk {
    let mut talk = talk.clone();
    talk.title = neutral(&talk.title);
    for speaker in &mut talk.speakers {
        speaker.name = neutral(&speaker.name);
    }
    talk.abstract_md = talk.abstract_md.as_deref().map(neutral);
    talk
}

/// The heading of a post of `kind` about an event starting at `start`: `New event`,
/// `Reminder: tomorrow`, `Rescheduled (was ...)`.
pub fn heading(
    kind: Kind,
    start: DateTime<FixedOffset>,
    previous_start: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> String {
    match kind {
        Kind::New => texts.get("post-new"),
        Kind::Reminder(_) => texts.say(
            "post-reminder",
            &[(
                "when",
                texts.starts_in(start.with_timezone(&Utc), now).into(),
            )],
        ),
        Kind::Rescheduled => match previous_start {
            Some(before) => texts.say(
                "post-rescheduled-from",
                &[(
                    "was",
                    texts
                        .date(before.with_timezone(start.offset()), true)
                        .into(),
                )],
            ),
            None => texts.get("post-rescheduled"),
        },
        Kind::Cancelled => texts.get("post-cancelled"),
        Kind::Digest => texts.get("post-digest"),
        Kind::Recording(_) => texts.get("post-recording"),
    }
}

/// Renders one announcement about one event, in the words of `texts`.
pub fn announcement(
    event: &Event,
    kind: Kind,
    previous_start: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    texts: &Texts,
) -> Message {
    if let Kind::Recording(id) = kind {
        return recording(event, id, texts);
    }
    let headline = heading(kind, event.start, previous_start, now, texts);
    // A series is announced as new once, with its first occurrence: say how it goes on.
    let repeats = match (kind, &event.occurrence) {
        (Kind::New, Some(occurrence)) if !occurrence.overridden => {
            Some(neutral(&occurrence.repeat))
        }
        _ => None,
    };
    let title = neutral(&event.title);
    let mut text = line(texts.say(
        "text-heading",
        &[
            ("heading", headline.as_str().into()),
            ("title", title.as_str().into()),
        ],
    ));
    if let Some(repeats) = &repeats {
        text.push_str(&line(
            texts.say("text-repeats", &[("rule", repeats.as_str().into())]),
        ));
    }
    text.push_str(&details(event, texts));
    Message {
        kind,
        locale: texts.locale,
        event_id: event.id.clone(),
        title,
        start: Some(event.start),
        time_known: event.time_known,
        previous_start,
        end: event.end,
        place: place(event, texts).map(|p| neutral(&p)),
        language: event.language.as_deref().map(neutral),
        talks: event.talks.iter().map(neutral_talk).collect(),
        headline,
        text,
        register: event.register.clone(),
        recording: None,
        event_title: None,
        items: Vec::new(),
        repeats,
    }
}

/// `text` and a line break.
fn line(mut text: String) -> String {
    text.push('\n');
    text
}

/// "Recording available": the talk (or the whole event, for an event's own recording), its speakers,
/// the event, and the link. `id` is the link's [`crate::schedule::recording_id`].
fn recording(event: &Event, id: u64, texts: &Texts) -> Message {
    let link = crate::recordings::find(event, id);
    let url = link.map(|l| l.url.clone());
    let talk = crate::recordings::talk_of(event, id).map(neutral_talk);
    let title = match &talk {
        Some(talk) => talk.title.clone(),
        None => neutral(&event.title),
    };
    let headline = texts.get("post-recording");
    let mut text = line(texts.say(
        "text-heading",
        &[
            ("heading", headline.as_str().into()),
            ("title", title.as_str().into()),
        ],
    ));
    if let Some(talk) = &talk {
        if !talk.speakers.is_empty() {
            text.push_str(&line(
                texts.say("text-by", &[("speakers", talk.speaker_names().into())]),
            ));
        }
        text.push_str(&line(texts.say(
            "text-at",
            &[
                ("event", neutral(&event.title).into()),
                ("date", texts.date(event.start, event.time_known).into()),
            ],
        )));
    }
    if let Some(link) = link {
        text.push_str(&format!(
            "{}: {}\n",
            neutral(&recording_label(&link.label, texts)),
            link.url
        ));
    }
    Message {
        kind: Kind::Recording(id),
        locale: texts.locale,
        event_id: event.id.clone(),
        repeats: None,
        title,
        start: Some(event.start),
        time_known: event.time_known,
        previous_start: None,
        end: None,
        place: None,
        language: talk
            .as_ref()
            .and_then(|t| t.language.as_deref())
            .or(event.language.as_deref())
            .map(neutral),
        talks: talk.into_iter().collect(),
        headline,
        text,
        register: None,
        recording: url,
        event_title: Some(neutral(&event.title)),
        items: Vec::new(),
    }
}

/// A recording link's label in the words of `texts` (the catalog writes them in English; see
/// [`recording_links::Label`](crate::catalog::recording_links::Label)); any other label as written.
pub fn recording_label(label: &str, texts: &Texts) -> String {
    use crate::catalog::recording_links::{self, Label};
    match recording_links::label(label) {
        Label::Plain => texts.get("recording"),
        Label::Numbered(number) => texts.say("recording-numbered", &[("number", number.into())]),
        Label::Language(code) => texts.say("recording-in", &[("language", code.into())]),
        Label::Other(label) => label.to_string(),
    }
}

/// Renders a digest of upcoming events, in the words of `texts`.
pub fn digest(events: &[&Event], now: DateTime<Utc>, texts: &Texts) -> Message {
    let headline = texts.get("post-digest");
    let mut text = line(headline.clone());
    if events.is_empty() {
        text.push_str(&line(texts.get("digest-empty")));
    }
    for event in events {
        text.push_str(&line(texts.say(
            "digest-line",
            &[
                ("date", texts.date(event.start, event.time_known).into()),
                ("title", neutral(&event.title).into()),
                (
                    "when",
                    texts.starts_in(event.start.with_timezone(&Utc), now).into(),
                ),
            ],
        )));
    }
    Message {
        kind: Kind::Digest,
        locale: texts.locale,
        repeats: None,
        event_id: "digest".into(),
        title: headline.clone(),
        start: events.first().map(|e| e.start),
        time_known: events.first().is_some_and(|e| e.time_known),
        previous_start: None,
        end: None,
        place: None,
        language: None,
        talks: Vec::new(),
        headline,
        text,
        register: None,
        recording: None,
        event_title: None,
        items: events
            .iter()
            .map(|e| DigestItem {
                title: neutral(&e.title),
                start: e.start,
                time_known: e.time_known,
                cancelled: e.cancelled,
                register: e.register.clone(),
            })
            .collect(),
    }
}

fn details(event: &Event, texts: &Texts) -> String {
    let mut out = line(texts.say(
        "text-when",
        &[
            ("date", texts.date(event.start, event.time_known).into()),
            ("zone", event.timezone.as_str().into()),
        ],
    ));
    if let Some(place) = place(event, texts).map(|p| neutral(&p)) {
        out.push_str(&line(texts.say("text-where", &[("place", place.into())])));
    }
    if let Some(language) = &event.language {
        out.push_str(&line(
            texts.say("text-language", &[("language", neutral(language).into())]),
        ));
    }
    for talk in &event.talks {
        // The separators hold no `@`, so neutralising the whole line is neutralising each part.
        out.push_str(&format!("- {}\n", neutral(&talk_line::bracketed(talk))));
    }
    if let Some(register) = &event.register {
        out.push_str(&line(
            texts.say("text-register", &[("url", register.as_str().into())]),
        ));
    }
    out
}

/// A talk's abstract (markdown from the site) as plain text for a summary: the text and link texts of
/// its paragraphs and list items, one per line, images, HTML and shortcodes left out, mentions
/// neutralised.
pub fn abstract_text(markdown: &str) -> String {
    use pulldown_cmark::{Event as Md, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut in_image = false;
    for event in Parser::new(markdown) {
        match event {
            Md::Start(Tag::Image { .. }) => in_image = true,
            Md::End(TagEnd::Image) => in_image = false,
            // Hugo shortcodes left in the text render as nothing a reader reads.
            Md::Text(t) | Md::Code(t) if !(in_image || is_shortcode(&t)) => out.push_str(&t),
            Md::SoftBreak => out.push(' '),
            Md::HardBreak => out.push('\n'),
            Md::Start(Tag::Item) => out.push_str("• "),
            Md::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => out.push('\n'),
            _ => {}
        }
    }
    let lines: Vec<String> = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    neutral(&lines.join("\n"))
}

fn is_shortcode(text: &str) -> bool {
    text.starts_with("{{") && text.ends_with("}}")
}

/// Breaks `@everyone`, `@here` and mention syntax with a zero-width space, so event text can never ping.
pub fn neutral(text: &str) -> String {
    text.replace('@', "@\u{200b}")
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
    fn abstracts_read_as_plain_text() {
        let md = "In this talk, I'll walk you through [my first experience](https://x.example) \
                  with Rust.\n\n![photo](p.png)\n\n* tokio\n* hyper\n\nAsk @everyone.";
        assert_eq!(
            abstract_text(md),
            "In this talk, I'll walk you through my first experience with Rust.\n• tokio\n• hyper\nAsk @\u{200b}everyone."
        );
    }

    #[test]
    fn a_recording_names_its_talk_speakers_event_and_link() {
        use crate::catalog::{Link, Speaker};
        let start = DateTime::parse_from_rfc3339("2030-01-10T18:00:00+02:00").expect("date");
        let talk = Talk::new(
            "Async @everyone".into(),
            vec![Speaker {
                name: "Ada".into(),
                url: None,
            }],
        )
        .with_recordings(vec![Link {
            label: "Recording (English)".into(),
            url: "https://youtu.be/x".into(),
        }]);
        let event = Event {
            timezone: "Asia/Jerusalem".into(),
            register: Some("https://example.org/e".into()),
            talks: vec![talk],
            ..Event::new("e", "Rust night", start, "e.md")
        };
        let id = crate::schedule::recording_id("https://youtu.be/x");
        let wording = crate::l10n::Wording::builtin();
        let en = wording.texts(Locale::En);
        let m = announcement(
            &event,
            Kind::Recording(id),
            None,
            t("2030-01-11T00:00:00Z"),
            &en,
        );
        assert_eq!(m.title, "Async @\u{200b}everyone");
        assert_eq!(m.recording.as_deref(), Some("https://youtu.be/x"));
        assert_eq!(m.event_title.as_deref(), Some("Rust night"));
        assert_eq!(
            m.register, None,
            "the button is the recording, not registration"
        );
        assert_eq!(
            m.text,
            "Recording available: Async @\u{200b}everyone\nBy: Ada\nAt: Rust night (Thu 10 Jan 2030, 18:00)\nRecording (English): https://youtu.be/x\n"
        );
    }

    #[test]
    fn recording_labels_are_said_in_the_posts_language() {
        let wording = crate::l10n::Wording::builtin();
        let fr = wording.texts(Locale::Fr);
        assert_eq!(recording_label("Recording", &fr), "Enregistrement");
        assert_eq!(recording_label("Recording 2", &fr), "Enregistrement 2");
        assert_eq!(
            recording_label("Recording (Hebrew)", &fr),
            "Enregistrement (hébreu)"
        );
        let en = wording.texts(Locale::En);
        assert_eq!(
            recording_label("Recording (English)", &en),
            "Recording (English)"
        );
        assert_eq!(recording_label("Slides", &fr), "Slides");
    }

    #[test]
    fn mentions_are_neutralised() {
        assert_eq!(neutral("hi @everyone"), "hi @\u{200b}everyone");
        assert!(!neutral("<@&123> @here").contains("@here"));
    }
}
