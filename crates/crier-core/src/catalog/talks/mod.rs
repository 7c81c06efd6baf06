//! The talks an event body lists, whichever way it writes them.
//!
//! Sites write a programme in one of a few families, and each has its own small reader: agenda
//! headings with the speakers beneath ([`agenda`]), legacy bullets with linked speakers ([`legacy`]),
//! plain lines that pair a title with a name in many shapes ([`plain`]), and labelled line-ups
//! (`Topic:` then `Speaker:`, a role heading over a session's leader) ([`labelled`]). What the
//! readers share (a found talk, the speaker lookup) is in [`found`], which none of them imports back.
//! The body is parsed once ([`Body`]); this module runs the readers over it and merges what they find
//! into one list in page order, each talk once.

pub mod agenda;
pub mod found;
pub mod labelled;
pub mod legacy;
pub mod plain;

use super::body::{Block, Body};
use super::library::Library;
use super::model::{Speaker, Talk};
use found::{same_name, Found, SpeakerLookup};

/// The talks of an event body. `front_speakers` are the people the front matter names for the event
/// (`speakers = ["slug"]`): they give the talks' speakers their links, and, where the body lists no
/// talk, they present one titled like the event.
pub fn from_body(
    markdown: &str,
    event_title: &str,
    library: &Library,
    front_speakers: &[Speaker],
) -> Vec<Talk> {
    let lookup = SpeakerLookup::new(library);
    let body = Body::parse(markdown, |slug| lookup.name_of(slug));
    // Lines under a notice heading ("Post (blog) sur la présentation", "Sponsors") hold no talk,
    // whichever reader would find one there.
    let in_notice = notice_lines(&body);
    let outside_notices = |found: Vec<Found>| -> Vec<Found> {
        found.into_iter().filter(|f| !in_notice[f.line]).collect()
    };
    // A page with an agenda of talk headings lists its talks there; its other lines are abstracts and
    // bios, where the line readers would only find false talks.
    // A page that labels its talks (`Topic:` then `Speaker:`) lists them there; the other readers
    // would read its labels and bios as more talks.
    let mut found = outside_notices(labelled::talks(&body, &lookup));
    if found.is_empty() {
        found = outside_notices(agenda::talks(&body, &lookup));
    }
    if found.is_empty() {
        found = outside_notices(legacy::talks_from_lines(&body, event_title));
        // The lines the legacy reader took are talks already; the plain reader reads the others.
        let taken: Vec<usize> = found.iter().map(|f| f.line).collect();
        found.extend(outside_notices(plain::talks(&body, &lookup, &taken)));
    }
    found.sort_by_key(|f| f.line);
    let mut talks = merge(found);
    if talks.is_empty() {
        talks.extend(
            labelled::led_session(&body, event_title)
                .or_else(|| plain::single_session(&body, event_title))
                .or_else(|| plain::listed_presenters(&body, event_title)),
        );
    }
    if talks.is_empty() && !front_speakers.is_empty() {
        talks.push(Talk::new(
            event_title.trim().to_string(),
            front_speakers.to_vec(),
        ));
    }
    for talk in &mut talks {
        for speaker in &mut talk.speakers {
            if speaker.url.is_none() {
                speaker.url = front_speakers
                    .iter()
                    .find(|s| same_name(&s.name, &speaker.name))
                    .and_then(|s| s.url.clone());
            }
        }
    }
    talks
}

/// Whether each line of the body sits under a notice heading, until a heading of the same or a higher
/// level ends that section.
fn notice_lines(body: &Body) -> Vec<bool> {
    let mut notice_level: Option<u8> = None;
    body.lines
        .iter()
        .map(|line| {
            if let Block::Heading(level) = line.block {
                if notice_level.is_some_and(|n| level <= n) {
                    notice_level = None;
                }
                if notice_level.is_none() && agenda::is_notice_heading(&line.text()) {
                    notice_level = Some(level);
                }
            }
            notice_level.is_some()
        })
        .collect()
}

/// One talk per title: a page that lists its talks twice (an agenda, then the details) names each once.
fn merge(found: Vec<Found>) -> Vec<Talk> {
    let mut talks: Vec<Talk> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for Found { talk, .. } in found {
        let key = title_key(&talk.title);
        if let Some(at) = keys.iter().position(|k| *k == key) {
            let existing = &mut talks[at];
            for speaker in talk.speakers {
                if !existing
                    .speakers
                    .iter()
                    .any(|s| same_name(&s.name, &speaker.name))
                {
                    existing.speakers.push(speaker);
                }
            }
            if existing.abstract_md.is_none() {
                existing.abstract_md = talk.abstract_md;
            }
            existing.length_minutes = existing.length_minutes.or(talk.length_minutes);
        } else {
            keys.push(key);
            talks.push(talk);
        }
    }
    talks
}

/// A title reduced to its letters and digits, in lower case.
fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text whose case changes its length when lower-cased (`İ`, the Kelvin sign), multi-byte
    /// punctuation, and half-written markup: every reader must take it without panicking.
    #[test]
    fn awkward_text_never_panics() {
        let pieces = [
            "İSTANBUL Talk: K",
            "\u{212a}elvin – “Quote",
            "PRESENTED BY İlker",
            "(İptal) ",
            "[Annulée]",
            "### 19h30 à … : ",
            "**Talk: (",
            "- ",
            "1. ",
            "Par ",
            "{{< speaker \"",
            "{{% x",
            "»«",
            "7:10 PM: İ: ",
            " by ",
            " with ",
            "Join İ Ö for ",
            " presenting **",
            "—",
            "\n",
            "\n\n",
            "Title: ",
            "+ Dr ",
            "(they/them)",
            " - 10 minutes",
            "ß",
            "ǅ",
            "🎉",
            ":",
            ",",
            "&",
            "İ by Éva Öz",
            "Tal\u{212a}: Éva",
            "\u{212a}\u{212a} - 10 \u{212a}minutes",
            "İ presenting **Éva**",
            "Join İ Éva Öz for É",
            "Par İ Éva",
            "İ, presented by Éva",
        ];
        let library = Library::default();
        let mut text = String::new();
        // A deterministic walk over the pieces: every pair, then longer runs.
        for (i, a) in pieces.iter().enumerate() {
            for b in &pieces {
                let body = format!("{a}{b}\n\n{b}{a} x\n");
                let _ = from_body(&body, "Event", &library, &[]);
            }
            text.push_str(a);
            text.push_str(pieces[(i * 7 + 3) % pieces.len()]);
            let _ = from_body(&text, "Event", &library, &[]);
        }
        // The readers ran; what they found in noise is not the point, not panicking is.
        assert!(text.chars().count() > pieces.len());
    }
}
