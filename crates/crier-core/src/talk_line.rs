//! How a talk reads on one line, in each output's style: the one place for the speakers' names, the
//! length note and the shape of each line, so that the announcements, the embeds, the commands, the
//! Events tab, the calendar feed and `crier list` cannot drift apart.
//!
//! The styles differ where their readers do: the plain-text announcement and the Events tab are plain
//! text ([`bracketed`]), calendar apps show the feed ([`dashed`]), `/upcoming` lists talks briefly
//! under each event ([`brief`]), and `crier list` is read in a terminal ([`listing`]). Discord's
//! markdown style (a bold title, linked names) is [`embed::talk_line`](crate::embed::talk_line),
//! beside the links it writes. None of them neutralises mentions: a caller that posts to Discord
//! passes a talk through [`render::neutral_talk`](crate::render::neutral_talk) first, which leaves
//! the speakers' URLs as they are.

use crate::catalog::{Speaker, Talk};

impl Talk {
    /// The speakers' names, joined with ", " (empty without speakers).
    pub fn speaker_names(&self) -> String {
        self.speakers_with(|s| s.name.clone())
    }

    /// Each speaker as `each` writes them, joined with ", ".
    pub fn speakers_with(&self, each: impl FnMut(&Speaker) -> String) -> String {
        self.speakers
            .iter()
            .map(each)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// " (30 min)", or nothing when the length is not known.
    pub fn length_note(&self) -> String {
        self.length_minutes
            .map(|m| format!(" ({m} min)"))
            .unwrap_or_default()
    }
}

/// `head`, then `separator` and `speakers` when the talk has any.
pub fn with_speakers(talk: &Talk, head: String, separator: &str, speakers: String) -> String {
    if talk.speakers.is_empty() {
        head
    } else {
        format!("{head}{separator}{speakers}")
    }
}

/// `Title, Ada, Bob`: the short lines under each event of `/upcoming`.
pub fn brief(talk: &Talk) -> String {
    with_speakers(talk, talk.title.clone(), ", ", talk.speaker_names())
}

/// `Title (Ada, Bob)`: the plain-text announcement and the Events tab's description.
pub fn bracketed(talk: &Talk) -> String {
    with_speakers(
        talk,
        talk.title.clone(),
        "",
        format!(" ({})", talk.speaker_names()),
    )
}

/// `Title — Ada, Bob`, or the title or the names alone when the other is blank (empty when both
/// are): the calendar feed, where a talk may be listed by its speakers only.
pub fn dashed(talk: &Talk) -> String {
    let names = talk.speaker_names();
    match (talk.title.trim().is_empty(), names.is_empty()) {
        (_, true) => talk.title.clone(),
        (true, false) => names,
        (false, false) => format!("{} — {names}", talk.title),
    }
}

/// `Title (30 min), by Ada <https://ada.example>, Bob`: `crier list`, where a link cannot be clicked
/// but can be copied.
pub fn listing(talk: &Talk) -> String {
    let head = format!("{}{}", talk.title, talk.length_note());
    let speakers = talk.speakers_with(|s| match &s.url {
        Some(url) => format!("{} <{url}>", s.name),
        None => s.name.clone(),
    });
    with_speakers(talk, head, ", by ", speakers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk(title: &str, speakers: &[(&str, Option<&str>)], minutes: Option<u32>) -> Talk {
        let speakers = speakers
            .iter()
            .map(|(name, url)| Speaker {
                name: (*name).into(),
                url: url.map(str::to_string),
            })
            .collect();
        Talk {
            length_minutes: minutes,
            ..Talk::new(title.into(), speakers)
        }
    }

    #[test]
    fn each_style_reads_as_its_output_shows_it() {
        let two = talk(
            "Async [Rust]",
            &[("Ada [A]", Some("https://ada.example")), ("Bob", None)],
            Some(30),
        );
        assert_eq!(two.speaker_names(), "Ada [A], Bob");
        assert_eq!(two.length_note(), " (30 min)");
        assert_eq!(brief(&two), "Async [Rust], Ada [A], Bob");
        assert_eq!(bracketed(&two), "Async [Rust] (Ada [A], Bob)");
        assert_eq!(dashed(&two), "Async [Rust] — Ada [A], Bob");
        assert_eq!(
            listing(&two),
            "Async [Rust] (30 min), by Ada [A] <https://ada.example>, Bob"
        );
    }

    #[test]
    fn a_talk_without_speakers_or_length_is_its_title() {
        let alone = talk("Lightning talks", &[], None);
        assert_eq!(alone.speaker_names(), "");
        assert_eq!(alone.length_note(), "");
        for style in [brief, bracketed, dashed, listing] {
            assert_eq!(style(&alone), "Lightning talks");
        }
    }

    #[test]
    fn the_feed_lists_a_talk_by_its_speakers_when_it_has_no_title() {
        assert_eq!(dashed(&talk(" ", &[("Ada", None)], None)), "Ada");
        assert_eq!(dashed(&talk("", &[], None)), "");
    }
}
