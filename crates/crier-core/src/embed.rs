//! A [`Message`] as one Discord embed, as plain data, within Discord's limits for any input.
//!
//! Discord refuses the whole message (400, code 50035) when one part is too long, so every part is cut
//! here, at a word boundary, with an ellipsis, and never inside a markdown link (a cut link would show
//! its raw syntax). Times are Discord timestamps (`<t:UNIX:F>`), so every reader sees their own zone.
//! The shape is Discord's, but nothing here speaks to Discord: the `crier` crate turns an [`Embed`]
//! into serenity's builder and adds the link buttons.

use chrono::{DateTime, TimeZone};

use crate::catalog::Talk;
use crate::render::Message;
use crate::schedule::Kind;
use crate::talk_line;
use crate::text::{chars, truncate};

pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 4096;
pub const FIELD_NAME_MAX: usize = 256;
pub const FIELD_VALUE_MAX: usize = 1024;
pub const FIELDS_MAX: usize = 25;
pub const FOOTER_MAX: usize = 2048;
pub const EMBED_TOTAL_MAX: usize = 6000;
/// The most a message's content (outside any embed) may hold.
pub const MESSAGE_MAX: usize = 2000;

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

/// `<t:UNIX:F> (<t:UNIX:R>)`, or the date alone when the time is not known.
pub fn when<Tz: TimeZone>(start: &DateTime<Tz>, time_known: bool) -> String {
    let unix = start.timestamp();
    if time_known {
        format!("<t:{unix}:F> (<t:{unix}:R>)")
    } else {
        format!("<t:{unix}:D>, time to be announced")
    }
}

/// Builds the embed of a message.
pub fn embed(message: &Message) -> Embed {
    let (color, prefix) = match message.kind {
        Kind::New => (GREEN, "New event"),
        Kind::Reminder(_) => (BLUE, message.headline.as_str()),
        Kind::Rescheduled => (ORANGE, "Rescheduled"),
        Kind::Cancelled => (RED, "Cancelled"),
        Kind::Digest => (GREY, "Upcoming events"),
        Kind::Recording(_) => (PURPLE, "Recording available"),
    };
    let embed = Embed {
        title: truncate(&message.title, TITLE_MAX),
        url: message.register.clone(),
        color,
        footer: truncate(prefix, FOOTER_MAX),
        ..Embed::default()
    };
    match message.kind {
        Kind::Digest => digest(embed, message),
        Kind::Recording(_) => recording(embed, message),
        _ => announcement(embed, message),
    }
}

/// A digest: one line per event.
fn digest(mut embed: Embed, message: &Message) -> Embed {
    let lines: Vec<String> = message
        .items
        .iter()
        .map(|item| {
            let title = link(&item.title, item.register.as_deref());
            let cancelled = if item.cancelled { " (cancelled)" } else { "" };
            format!(
                "- {} {title}{cancelled}",
                when(&item.start, item.time_known)
            )
        })
        .collect();
    embed.description = if lines.is_empty() {
        "Nothing scheduled yet.".into()
    } else {
        truncate(&lines.join("\n"), DESCRIPTION_MAX)
    };
    embed
}

/// A recording: the talk, linked to the recording, with the event it was given at.
fn recording(mut embed: Embed, message: &Message) -> Embed {
    embed.url = message.recording.clone();
    if let (Some(event), Some(start)) = (&message.event_title, &message.start) {
        embed.fields.push((
            "Event".into(),
            truncate(
                &format!("{event}, {}", when(start, message.time_known)),
                FIELD_VALUE_MAX,
            ),
            false,
        ));
    }
    if let Some(talk) = message.talks.first() {
        embed.description = truncate(&talk_line(talk), DESCRIPTION_MAX);
    }
    if let Some(language) = &message.language {
        embed
            .fields
            .push(("Language".into(), truncate(language, FIELD_VALUE_MAX), true));
    }
    fit_total(&mut embed);
    embed
}

/// A new, reminded, moved or cancelled event: when and where as fields, the talks as the description.
fn announcement(mut embed: Embed, message: &Message) -> Embed {
    if let Some(start) = &message.start {
        let name = if message.kind == Kind::Rescheduled {
            "Now"
        } else {
            "When"
        };
        embed
            .fields
            .push((name.into(), when(start, message.time_known), false));
    }
    if let Some(previous) = &message.previous_start {
        embed
            .fields
            .push(("Was".into(), when(previous, message.time_known), false));
    }
    let texts = [
        ("Repeats", &message.repeats, false),
        ("Where", &message.place, true),
        ("Language", &message.language, true),
    ];
    for (name, value, inline) in texts {
        if let Some(value) = value {
            let value = truncate(value, FIELD_VALUE_MAX);
            embed.fields.push((name.into(), value, inline));
        }
    }
    let talks: Vec<String> = message
        .talks
        .iter()
        .map(|talk| format!("- {}", talk_line(talk)))
        .collect();
    let intro = match message.kind {
        Kind::Cancelled => "This event is cancelled.\n".to_string(),
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

    fn message(kind: Kind) -> Message {
        let start = DateTime::parse_from_rfc3339("2030-01-10T18:00:00+02:00").expect("rfc3339");
        Message {
            kind,
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
        let e = embed(&message(Kind::New));
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
        let reminder = embed(&message(Kind::Reminder(std::time::Duration::from_secs(
            86400,
        ))));
        assert_eq!(reminder.footer, "Reminder: tomorrow");
        let mut moved = message(Kind::Rescheduled);
        moved.previous_start = Some(
            DateTime::parse_from_rfc3339("2030-01-03T16:00:00Z")
                .expect("rfc3339")
                .with_timezone(&chrono::Utc),
        );
        let moved = embed(&moved);
        assert_eq!(moved.fields[0].0, "Now");
        assert_eq!(moved.fields[1].0, "Was");
        assert!(moved.fields[1].1.starts_with("<t:1893686400:F>"));
        let mut recording = message(Kind::Recording(7));
        recording.recording = Some("https://youtu.be/x".into());
        recording.event_title = Some("Rust night".into());
        let r = embed(&recording);
        assert_eq!(r.url.as_deref(), Some("https://youtu.be/x"));
        assert_eq!(r.footer, "Recording available");
        assert!(r.description.starts_with("**Async** (30 min), [Ada]"));
        assert!(r.fields[0].0 == "Event" && r.fields[0].1.starts_with("Rust night, <t:"));
        let cancelled = embed(&message(Kind::Cancelled));
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
            embed(&m).fields[0].1,
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
        let e = embed(&m);
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
