//! A [`Message`] as one Discord embed, as plain data, within Discord's limits for any input.
//!
//! Discord refuses the whole message (400, code 50035) when one part is too long, so every part is cut
//! here, at a word boundary, with an ellipsis, and never inside a markdown link (a cut link would show
//! its raw syntax). Times are Discord timestamps (`<t:UNIX:F>`), so every reader sees their own zone.
//! The shape is Discord's, but nothing here speaks to Discord: the `crier` crate turns an [`Embed`]
//! into serenity's builder and adds the link buttons.

use chrono::{DateTime, TimeZone};

use crate::catalog::Talk;
use crate::l10n::Texts;
use crate::render::Message;
use crate::schedule::Kind;
use crate::talk_line;
use crate::text::{chars, cut_at, truncate};

pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4096;
pub const FIELD_NAME_MAX: usize = 256;
pub const FIELD_VALUE_MAX: usize = 1024;
pub const FIELDS_MAX: usize = 25;
pub const FOOTER_MAX: usize = 2048;
pub const EMBED_TOTAL_MAX: usize = 6000;
/// The most a message's content (outside any embed) may hold.
pub const MESSAGE_MAX: usize = 2000;
/// The most a button's label may hold.
pub const BUTTON_LABEL_MAX: usize = 80;

/// An embed as plain data: easy to check against the limits, then turned into serenity's builder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Embed {
    pub title: String,
    pub url: Option<String>,
    pub description: String,
    /// Name, value, and whether it sits inline.
    pub fields: Vec<(String, String, bool)>,
    /// Empty for no footer.
    pub footer: String,
    pub color: u32,
}

impl Embed {
    /// Characters Discord counts against the 6000 total.
    pub fn total_len(&self) -> usize {
        chars(&self.title)
            + chars(&self.description)
            + chars(&self.footer)
            + self
                .fields
                .iter()
                .map(|(n, v, _)| chars(n) + chars(v))
                .sum::<usize>()
    }
}

pub const GREEN: u32 = 0x2e_cc_71;
/// Reminders, and every list the commands answer with.
pub const BLUE: u32 = 0x34_98_db;
pub const ORANGE: u32 = 0xe6_7e_22;
pub const RED: u32 = 0xe7_4c_3c;
pub const GREY: u32 = 0x95_a5_a6;
pub const PURPLE: u32 = 0x9b_59_b6;

/// `<t:UNIX:F> (<t:UNIX:R>)`, or the date alone when the time is not known, said in `texts`.
pub fn when<Tz: TimeZone>(start: &DateTime<Tz>, time_known: bool, texts: &Texts) -> String {
    let unix = start.timestamp();
    if time_known {
        format!("<t:{unix}:F> (<t:{unix}:R>)")
    } else {
        texts.say(
            "time-to-be-announced",
            &[("date", format!("<t:{unix}:D>").into())],
        )
    }
}

/// The link button under a post: the recording for a recording, else the registration page (none
/// for a cancellation), with its label in `texts`. Only web links: Discord refuses any other.
pub fn link_button(message: &Message, texts: &Texts) -> Option<(String, String)> {
    let web = |u: &&str| u.starts_with("https://") || u.starts_with("http://");
    let register = message.register.as_deref().filter(web);
    let recording = message.recording.as_deref().filter(web);
    match (message.kind, recording, register) {
        (Kind::Recording(_), Some(url), _) => Some((
            cut_at(&texts.get("button-watch"), BUTTON_LABEL_MAX),
            url.to_string(),
        )),
        (Kind::Recording(_) | Kind::Cancelled, _, _) => None,
        (_, _, Some(url)) => Some((
            cut_at(&texts.get("button-register"), BUTTON_LABEL_MAX),
            url.to_string(),
        )),
        _ => None,
    }
}

/// Builds the embed of a message, its labels in `texts` (the message's own language).
pub fn embed(message: &Message, texts: &Texts) -> Embed {
    let color = match message.kind {
        Kind::New => GREEN,
        Kind::Reminder(_) => BLUE,
        Kind::Rescheduled => ORANGE,
        Kind::Cancelled => RED,
        Kind::Digest => GREY,
        Kind::Recording(_) => PURPLE,
    };
    // The footer is the kind's heading; a move's old time is a field of its own.
    let footer = match message.kind {
        Kind::New => texts.get("post-new"),
        Kind::Reminder(_) => message.headline.clone(),
        Kind::Rescheduled => texts.get("post-rescheduled"),
        Kind::Cancelled => texts.get("post-cancelled"),
        Kind::Digest => texts.get("post-digest"),
        Kind::Recording(_) => texts.get("post-recording"),
    };
    let embed = Embed {
        title: truncate(&message.title, TITLE_MAX),
        url: message.register.clone(),
        color,
        footer: truncate(&footer, FOOTER_MAX),
        ..Embed::default()
    };
    match message.kind {
        Kind::Digest => digest(embed, message, texts),
        Kind::Recording(_) => recording(embed, message, texts),
        _ => announcement(embed, message, texts),
    }
}

/// A digest: one line per event.
fn digest(mut embed: Embed, message: &Message, texts: &Texts) -> Embed {
    let lines: Vec<String> = message
        .items
        .iter()
        .map(|item| {
            let title = link(&item.title, item.register.as_deref());
            let title = if item.cancelled {
                texts.say("title-cancelled", &[("title", title.into())])
            } else {
                title
            };
            format!("- {} {title}", when(&item.start, item.time_known, texts))
        })
        .collect();
    embed.description = if lines.is_empty() {
        texts.get("digest-empty")
    } else {
        truncate(&lines.join("\n"), DESCRIPTION_MAX)
    };
    embed
}

/// A recording: the talk, linked to the recording, with the event it was given at.
fn recording(mut embed: Embed, message: &Message, texts: &Texts) -> Embed {
    embed.url = message.recording.clone();
    if let (Some(event), Some(start)) = (&message.event_title, &message.start) {
        embed.fields.push((
            field_name(texts, "field-event"),
            truncate(
                &format!("{event}, {}", when(start, message.time_known, texts)),
                FIELD_VALUE_MAX,
            ),
            false,
        ));
    }
    if let Some(talk) = message.talks.first() {
        embed.description = truncate(&talk_line(talk), DESCRIPTION_MAX);
    }
    if let Some(language) = &message.language {
        embed.fields.push((
            field_name(texts, "field-language"),
            truncate(language, FIELD_VALUE_MAX),
            true,
        ));
    }
    fit_total(&mut embed);
    embed
}

/// A new, reminded, moved or cancelled event: when and where as fields, the talks as the description.
fn announcement(mut embed: Embed, message: &Message, texts: &Texts) -> Embed {
    if let Some(start) = &message.start {
        let name = if message.kind == Kind::Rescheduled {
            "field-now"
        } else {
            "field-when"
        };
        embed.fields.push((
            field_name(texts, name),
            when(start, message.time_known, texts),
            false,
        ));
    }
    if let Some(previous) = &message.previous_start {
        embed.fields.push((
            field_name(texts, "field-was"),
            when(previous, message.time_known, texts),
            false,
        ));
    }
    let values = [
        ("field-repeats", &message.repeats, false),
        ("field-where", &message.place, true),
        ("field-language", &message.language, true),
    ];
    for (name, value, inline) in values {
        if let Some(value) = value {
            let value = truncate(value, FIELD_VALUE_MAX);
            embed.fields.push((field_name(texts, name), value, inline));
        }
    }
    let talks: Vec<String> = message
        .talks
        .iter()
        .map(|talk| format!("- {}", talk_line(talk)))
        .collect();
    let intro = match message.kind {
        Kind::Cancelled => format!("{}\n", texts.get("event-cancelled")),
        _ => String::new(),
    };
    embed.description = truncate(&format!("{intro}{}", talks.join("\n")), DESCRIPTION_MAX);
    embed.fields.truncate(FIELDS_MAX);
    fit_total(&mut embed);
    embed
}

/// A talk as embeds show it: `**Title** (30 min), [Speaker](url), Speaker`. The talk's text must be
/// neutralised already ([`render::neutral_talk`](crate::render::neutral_talk)).
pub fn talk_line(talk: &Talk) -> String {
    let head = format!("**{}**{}", talk.title, talk.length_note());
    let speakers = talk.speakers_with(|s| link(&s.name, s.url.as_deref()));
    talk_line::with_speakers(talk, head, ", ", speakers)
}

/// What `texts` makes too long for Discord in the posts about `event` (each part is cut to fit when
/// posted, so a member sees an ellipsis): for `crier check`, which names the event. Every kind of
/// post is tried, reminders at a day.
pub fn overflows(
    event: &crate::catalog::Event,
    texts: &Texts,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut over = |part: &str, text: &str, max: usize| {
        let n = chars(text);
        if n > max {
            out.push(format!(
                "{part} is {n} characters, and Discord shows at most {max}: it is cut"
            ));
        }
    };
    let day = std::time::Duration::from_secs(86400);
    for kind in [
        Kind::New,
        Kind::Reminder(day),
        Kind::Rescheduled,
        Kind::Cancelled,
    ] {
        let message = crate::render::announcement(event, kind, None, now, texts);
        over(
            &format!("the {} heading", kind.name()),
            &message.headline,
            FOOTER_MAX,
        );
    }
    for id in [
        "field-when",
        "field-now",
        "field-was",
        "field-repeats",
        "field-where",
        "field-language",
        "field-event",
        "field-interested",
    ] {
        over(
            &format!("the field name `{id}`"),
            &texts.get(id),
            FIELD_NAME_MAX,
        );
    }
    for id in [
        "button-register",
        "button-watch",
        "button-previous",
        "button-next",
    ] {
        over(
            &format!("the button label `{id}`"),
            &texts.get(id),
            BUTTON_LABEL_MAX,
        );
    }
    if let Some(place) = crate::render::place(event, texts) {
        over("the place", &place, FIELD_VALUE_MAX);
    }
    out.dedup();
    out
}

/// A field's name in `texts`, within Discord's limit.
pub fn field_name(texts: &Texts, id: &str) -> String {
    truncate(&texts.get(id), FIELD_NAME_MAX)
}

/// Shrinks the description until the embed fits Discord's 6000-character total.
pub fn fit_total(embed: &mut Embed) {
    let total = embed.total_len();
    if total > EMBED_TOTAL_MAX {
        let excess = total - EMBED_TOTAL_MAX;
        let keep = chars(&embed.description).saturating_sub(excess);
        embed.description = truncate(&embed.description, keep);
    }
}

/// `[text](url)`, or the text alone without a URL.
pub fn link(text: &str, url: Option<&str>) -> String {
    match url {
        Some(url) => format!("[{}]({url})", escape_link_text(text)),
        None => text.to_string(),
    }
}

/// Square brackets in a name would end the link text early.
fn escape_link_text(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Speaker;

    fn en() -> crate::l10n::Texts<'static> {
        crate::l10n::Wording::builtin_texts(crate::l10n::Locale::En)
    }

    fn message(kind: Kind) -> Message {
        let start = DateTime::parse_from_rfc3339("2030-01-10T18:00:00+02:00").expect("rfc3339");
        Message {
            kind,
            locale: crate::l10n::Locale::En,
            event_id: "e".into(),
            title: "Rust night".into(),
            start: Some(start),
            time_known: true,
            previous_start: None,
            end: None,
            place: Some("in person, Hall A".into()),
            language: Some("Hebrew".into()),
            talks: vec![Talk {
                title: "Async".into(),
                speakers: vec![Speaker {
                    name: "Ada".into(),
                    url: Some("https://ada.example".into()),
                }],
                length_minutes: Some(30),
                language: None,
                abstract_md: None,
                recordings: Vec::new(),
            }],
            headline: "Reminder: tomorrow".into(),
            text: String::new(),
            recording: None,
            event_title: None,
            register: Some("https://example.org/e".into()),
            items: Vec::new(),
            repeats: None,
        }
    }

    #[test]
    fn uses_discord_timestamps_and_links_speakers() {
        let e = embed(&message(Kind::New), &en());
        assert_eq!(e.fields[0].0, "When");
        assert_eq!(e.fields[0].1, "<t:1894291200:F> (<t:1894291200:R>)");
        assert!(e
            .description
            .contains("- **Async** (30 min), [Ada](https://ada.example)"));
        assert_eq!(e.url.as_deref(), Some("https://example.org/e"));
        assert_eq!(e.footer, "New event");
    }

    #[test]
    fn kinds_differ_visibly() {
        let reminder = embed(
            &message(Kind::Reminder(std::time::Duration::from_secs(86400))),
            &en(),
        );
        assert_eq!(reminder.footer, "Reminder: tomorrow");
        let mut moved = message(Kind::Rescheduled);
        moved.previous_start = Some(
            DateTime::parse_from_rfc3339("2030-01-03T16:00:00Z")
                .expect("rfc3339")
                .with_timezone(&chrono::Utc),
        );
        let moved = embed(&moved, &en());
        assert_eq!(moved.fields[0].0, "Now");
        assert_eq!(moved.fields[1].0, "Was");
        assert!(moved.fields[1].1.starts_with("<t:1893686400:F>"));
        let mut recording = message(Kind::Recording(7));
        recording.recording = Some("https://youtu.be/x".into());
        recording.event_title = Some("Rust night".into());
        let r = embed(&recording, &en());
        assert_eq!(r.url.as_deref(), Some("https://youtu.be/x"));
        assert_eq!(r.footer, "Recording available");
        assert!(r.description.starts_with("**Async** (30 min), [Ada]"));
        assert!(r.fields[0].0 == "Event" && r.fields[0].1.starts_with("Rust night, <t:"));
        let cancelled = embed(&message(Kind::Cancelled), &en());
        assert_eq!(cancelled.color, RED);
        assert!(cancelled
            .description
            .starts_with("This event is cancelled."));
    }

    #[test]
    fn a_talk_line_is_bold_with_linked_speakers_escaped() {
        let mut talk = message(Kind::New).talks.remove(0);
        talk.title = "Async [Rust]".into();
        talk.speakers[0].name = "Ada [A]".into();
        talk.speakers.push(Speaker {
            name: "Bob".into(),
            url: None,
        });
        assert_eq!(
            talk_line(&talk),
            "**Async [Rust]** (30 min), [Ada \\[A\\]](https://ada.example), Bob"
        );
        talk.speakers.clear();
        talk.length_minutes = None;
        assert_eq!(talk_line(&talk), "**Async [Rust]**");
    }

    #[test]
    fn unknown_time_shows_the_date_only() {
        let mut m = message(Kind::New);
        m.time_known = false;
        assert_eq!(
            embed(&m, &en()).fields[0].1,
            "<t:1894291200:D>, time to be announced"
        );
    }

    #[test]
    fn never_cuts_inside_a_link() {
        let text = "see [the long link text](https://example.org/a/very/long/path) now";
        let cut = truncate(text, 30);
        assert_eq!(cut, "see…");
        let text = "[Ada Lovelace](https://ada.example) and [Bob Example](https://bob.example)";
        let cut = truncate(text, 50);
        assert_eq!(cut, "[Ada Lovelace](https://ada.example) and…");
    }

    #[test]
    fn huge_input_fits_every_limit() {
        let mut m = message(Kind::New);
        m.title = "T".repeat(1000);
        m.place = Some("P ".repeat(2000));
        m.language = Some("L ".repeat(2000));
        m.talks = (0..500)
            .map(|i| Talk {
                title: format!("Talk number {i} with a long title"),
                speakers: vec![Speaker {
                    name: format!("Speaker {i}"),
                    url: Some(format!("https://example.org/people/{i}")),
                }],
                length_minutes: Some(20),
                language: None,
                abstract_md: None,
                recordings: Vec::new(),
            })
            .collect();
        let e = embed(&m, &en());
        assert!(chars(&e.title) <= TITLE_MAX);
        assert!(chars(&e.description) <= DESCRIPTION_MAX);
        assert!(e.fields.len() <= FIELDS_MAX);
        assert!(e
            .fields
            .iter()
            .all(|(n, v, _)| chars(n) <= FIELD_NAME_MAX && chars(v) <= FIELD_VALUE_MAX));
        assert!(e.total_len() <= EMBED_TOTAL_MAX, "{}", e.total_len());
        // The cut description ends with a whole line's link, not half of one.
        let last = e.description.lines().last().expect("lines");
        assert!(last.ends_with('…'), "{last}");
        assert_eq!(
            last.matches('[').count(),
            last.matches("](").count(),
            "{last}"
        );
    }
}
