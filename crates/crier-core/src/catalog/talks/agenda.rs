//! Talks written as agenda headings, with their speakers in the text beneath, as Hugo and Jekyll sites
//! write a programme (Paris JUG: `### 19h30 à 20h30 : Title`, an abstract, then `Par [Name](...)`), and
//! the same agenda written as bold lines (`**18h15 à 19h00 : Title** par Name`).
//!
//! A heading is a talk when the text beneath it names who presents it (`Par`, `By`, `Presented by`,
//! `Speaker:`, or a line of links to speaker pages). Agenda slots that are not talks (doors, food,
//! breaks, the pub) and notice headings (venue, sponsors, photos) are never talks, whatever follows.

use super::found::{is_person_page, Found, SpeakerLookup};
use crate::catalog::body::{Block, Body, Line, Span};
use crate::catalog::model::{Speaker, Talk};
use crate::catalog::names;

/// Words that open a line naming who presents: "Par X", "By X", "Presented by X", "Speakers: X".
const PRESENTER_MARKERS: &[&str] = &[
    "présenté par",
    "presented by",
    "animé par",
    "speakers:",
    "speaker:",
    "intervenants",
    "intervenant",
    "speakers",
    "speaker",
    "par",
    "by",
    "with",
    "avec",
];

/// Agenda slots and notices, never talks (matched against the start of the title, in lower case).
const NOT_TALKS: &[&str] = &[
    "accueil",
    "buffet",
    "pause",
    "break",
    "coffee",
    "doors",
    "door open",
    "welcome",
    "networking",
    "mingling",
    "pub",
    "3ème mi-temps",
    "3e mi-temps",
    "troisième mi-temps",
    "questions",
    "q&a",
    "q & a",
    "vote",
    "remise des",
    "dinner",
    "lunch",
    "food",
    "pizza",
    "drinks",
    "apéro",
    "cocktail",
    "tear down",
    "set up",
    "setup",
    "date et lieu",
    "date and place",
    "lieu",
    "venue",
    "location",
    "parking",
    "safety",
    "sécurité",
    "sponsor",
    "about us",
    "à propos",
    "photos",
    "feedback",
    "télécharger",
    "download",
    "slides",
    "post (blog)",
    "blog post",
    "attention",
    "détails",
    "details",
    "agenda",
    "programme",
    "program",
    "schedule",
    "code of conduct",
    "inscription",
    "registration",
    "replay",
    "vidéo",
    "video",
    "après",
    "after",
    "liens",
    "links",
    "retransmission",
    "composition des équipes",
    "opening address",
    "opening addresses",
    "opening remarks",
    "opening & introduction",
    "closing remarks",
    "introductory remarks",
    "remarks",
];

/// Titles that are only the name of a kind of slot ("Talks by Gen-C", "7 Dec - Closing"), matched
/// against the whole title: as the first word of a longer title they may start a real one ("Closing
/// the gap").
const GENERIC_TITLES: &[&str] = &[
    "talk",
    "talks",
    "session",
    "sessions",
    "presentation",
    "presentations",
    "opening",
    "closing",
    "introduction",
    "intro",
];

/// Headings of sections that hold no talk, whatever their lines look like (a blog post's title with
/// its author, a sponsor's name, a slides link).
const NOTICES: &[&str] = &[
    "post (blog)",
    "blog",
    "télécharger",
    "download",
    "slides",
    "photos",
    "feedback",
    "sponsor",
    "liens",
    "links",
    "replay",
    "vidéo",
    "video",
    "code of conduct",
    "about",
    "à propos",
    "gender policy",
    "contact",
    "requirements",
    "speaker bios",
];

/// Whether a heading opens a section that holds no talk.
pub fn is_notice_heading(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    NOTICES.iter().any(|w| starts_with_word(lower, w))
}

/// Titles that hold a slot's place until the talk is known.
const PLACEHOLDERS: &[&str] = &[
    "todo",
    "tbd",
    "tba",
    "tbc",
    "à venir",
    "à définir",
    "to be announced",
    "to be confirmed",
    "coming soon",
];

/// Talks under agenda headings and on bold agenda lines.
pub fn talks(body: &Body, lookup: &SpeakerLookup<'_>) -> Vec<Found> {
    let mut found = Vec::new();
    let lines = &body.lines;
    for (index, line) in lines.iter().enumerate() {
        match line.block {
            Block::Heading(_) => found.extend(heading_talk(body, index, lookup)),
            Block::Paragraph { .. } | Block::Item { first: true, .. } => {
                found.extend(bold_line_talk(body, index, lookup));
            }
            _ => {}
        }
    }
    found
}

/// A heading whose section names a presenter.
fn heading_talk(body: &Body, index: usize, lookup: &SpeakerLookup<'_>) -> Option<Found> {
    let lines = &body.lines;
    let heading = &lines[index];
    let title = slot_title(&heading.text())?;
    let section_end = lines[index + 1..]
        .iter()
        .position(Line::is_heading)
        .map_or(lines.len(), |i| index + 1 + i);
    let section = index + 1..section_end;
    // The best presenter line of the section: one that names people, "Par X" before "Avec X"; else a
    // short "Par l'équipe" that presents without naming anyone.
    let candidates: Vec<(usize, Presenters)> = section
        .clone()
        .filter_map(|i| presenters(lines, i, lookup).map(|p| (i, p)))
        .collect();
    let pick = |strong: bool, named: bool| {
        candidates
            .iter()
            .find(|(_, p)| p.strong == strong && p.speakers.is_empty() != named)
    };
    let Some((marker_line, chosen)) = pick(true, true)
        .or_else(|| pick(false, true))
        .or_else(|| pick(true, false))
    else {
        return bio_talk(body, index, title, section);
    };
    let (marker_line, speakers) = (*marker_line, chosen.speakers.clone());
    // The abstract is what the section says before the speaker line (Paris JUG), else after it.
    let (from, to) = if marker_line > index + 1 {
        (heading.range.end, lines[marker_line].range.start)
    } else {
        let end = lines
            .get(section_end)
            .map_or(body.text.len(), |l| l.range.start);
        (lines[marker_line].range.end, end)
    };
    let abstract_md = Some(body.between(from, to).to_string()).filter(|a| !a.is_empty());
    Some(Found {
        talk: Talk {
            title,
            speakers,
            length_minutes: None,
            language: None,
            abstract_md,
            recordings: Vec::new(),
        },
        line: index,
    })
}

/// A session whose speakers are introduced by their bios, one paragraph each: "Anita Protopappas :
/// Diplômée en droit, elle travaille depuis 1990 ...".
fn bio_talk(
    body: &Body,
    index: usize,
    title: String,
    section: std::ops::Range<usize>,
) -> Option<Found> {
    let speakers: Vec<Speaker> = section
        .filter(|&i| matches!(body.lines[i].block, Block::Paragraph { first: true }))
        .filter_map(|i| {
            let text = body.lines[i].text();
            let (name, bio) = text.split_once(" : ").or_else(|| text.split_once(": "))?;
            (bio.split_whitespace().count() >= 8)
                .then(|| names::clean_name(name))
                .flatten()
        })
        .map(|name| Speaker { name, url: None })
        .collect();
    if speakers.is_empty() {
        return None;
    }
    Some(Found {
        talk: Talk::new(title, speakers),
        line: index,
    })
}

/// `**18h15 à 19h00 : Title** par Name`: a bold agenda slot with its presenter on the same line.
fn bold_line_talk(body: &Body, index: usize, lookup: &SpeakerLookup<'_>) -> Option<Found> {
    let line = &body.lines[index];
    let lead = line.lead_emphasis.as_deref()?;
    let (after_time, timed) = strip_slot_time(lead);
    if !timed {
        return None;
    }
    let title = slot_title(after_time)?;
    let text = line.text();
    let rest = text.strip_prefix(lead).unwrap_or_default();
    let names = marker_rest(rest)?;
    let rest_spans = spans_after(&line.spans, text.chars().count() - names.chars().count());
    let speakers = Some(speakers_in(&rest_spans, lookup)).filter(|s| !s.is_empty())?;
    Some(Found {
        talk: Talk::new(title, speakers),
        line: index,
    })
}

/// The title of an agenda slot, without its time, or `None` when the slot is no talk.
pub fn slot_title(heading: &str) -> Option<String> {
    let (rest, _) = strip_slot_time(heading.trim());
    let title = rest
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_')
        .trim();
    // A track marker before the title ("(en parallèle) HOL ...") is not part of it.
    let title = match title.strip_prefix('(').and_then(|t| t.split_once(')')) {
        Some((_, rest)) if !rest.trim().is_empty() => rest.trim(),
        _ => title,
    };
    let lower = title.to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    if title.is_empty()
        || NOT_TALKS.iter().any(|w| starts_with_word(lower, w))
        || GENERIC_TITLES.contains(&lower.trim_end_matches(['.', '!', ':']))
        || PLACEHOLDERS
            .iter()
            .any(|w| lower.trim_end_matches(['.', '!']) == *w)
    {
        return None;
    }
    Some(title.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// An agenda time at the start of a line, and the text after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotTime<'t> {
    /// The text after the time and the `:` or `-` that follows it.
    pub rest: &'t str,
    /// The slot's length, for a range (`18:00-18:15` is 15).
    pub minutes: Option<u32>,
}

/// Reads an agenda time off the start of `text`: `19h30`, `19h30 à 20h30`, `19h30 - 20h`,
/// `18:00-18:15`, `7:10 PM`, `22h30 à ...`, then the `:` or `-` after it.
pub fn slot_time(text: &str) -> Option<SlotTime<'_>> {
    const DAY: u32 = 24 * 60;
    let (start, rest) = clock_prefix(text)?;
    let mut rest = rest.trim_start();
    let mut minutes = None;
    // A range: `à 20h30`, `- 20h30`, `to 9 PM`, `à ...`.
    for joiner in ["à", "-", "–", "—", "to", "+ à", "+"] {
        if let Some(after) = rest.strip_prefix(joiner) {
            let after = after.trim_start();
            if let Some((end, after_end)) = clock_prefix(after) {
                // A range past midnight (`23:30 - 00:10`) ends the next day.
                minutes = Some((end + DAY - start) % DAY).filter(|&m| m > 0);
                rest = after_end.trim_start();
                break;
            }
            if let Some(end) = after
                .strip_prefix("...")
                .or_else(|| after.strip_prefix('…'))
            {
                rest = end.trim_start();
                break;
            }
        }
    }
    for separator in [":", "-", "–", "—", "|"] {
        if let Some(after) = rest.strip_prefix(separator) {
            rest = after.trim_start();
            break;
        }
    }
    Some(SlotTime { rest, minutes })
}

/// [`slot_time`]'s rest, or the text itself, and whether a time was there.
pub fn strip_slot_time(text: &str) -> (&str, bool) {
    match slot_time(text) {
        Some(slot) => (slot.rest, true),
        None => (text, false),
    }
}

/// A time of day at the start of `text` (`19h30`, `19h`, `18:00`, `7:10 PM`, `7pm`), as minutes since
/// midnight, and the text after it.
fn clock_prefix(text: &str) -> Option<(u32, &str)> {
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if !(1..=2).contains(&digits) {
        return None;
    }
    let hours: u32 = text[..digits].parse().ok()?;
    let mut minutes = 0;
    let mut rest = &text[digits..];
    if let Some(after) = rest.strip_prefix(['h', 'H', ':', '.']) {
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        let is_h = rest.starts_with(['h', 'H']);
        if digits == 2 {
            minutes = after[..2].parse().ok()?;
            rest = &after[2..];
        } else if is_h && digits == 0 {
            rest = after;
        } else {
            return None;
        }
    } else {
        // `7pm` / `7 PM` without minutes; a bare number is no time.
        let trimmed = rest.trim_start();
        if !starts_with_meridiem(trimmed) {
            return None;
        }
        rest = trimmed;
    }
    let trimmed = rest.trim_start();
    let mut hours = hours;
    for (meridiem, base) in [("pm", 12), ("am", 0), ("p.m.", 12), ("a.m.", 0)] {
        let matches = trimmed
            .get(..meridiem.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(meridiem));
        if matches {
            // `18:00pm` is no time of day.
            if !(1..=12).contains(&hours) {
                return None;
            }
            hours = hours % 12 + base;
            rest = &trimmed[meridiem.len()..];
            break;
        }
    }
    // `19h30` must not run into a word (`19h30abc`).
    (hours < 24 && minutes < 60 && !rest.starts_with(|c: char| c.is_alphanumeric()))
        .then_some((hours * 60 + minutes, rest))
}

fn starts_with_meridiem(text: &str) -> bool {
    ["pm", "am"].iter().any(|m| {
        text.get(..2)
            .is_some_and(|head| head.eq_ignore_ascii_case(m))
    })
}

/// The speakers a line names when it opens with a presenter marker (`Par X et Y`), or consists of links
/// to speaker pages only; continuation lines that start with `et`/`and` add more.
struct Presenters {
    /// `Par`, `By`, `Presented by`, a line of speaker links: certainly a presenter line. `Avec`,
    /// `With`, `Speaker` open other sentences too.
    strong: bool,
    speakers: Vec<Speaker>,
}

fn presenters(lines: &[Line], index: usize, lookup: &SpeakerLookup<'_>) -> Option<Presenters> {
    let line = &lines[index];
    if !matches!(line.block, Block::Paragraph { .. } | Block::Item { .. }) {
        return None;
    }
    let text = line.text();
    let (strong, mut speakers) = if let Some(rest) = marker_rest(&text) {
        // A sentence that happens to open with "Par" ("Par ailleurs, le ParisJUG a décidé ...", "Par
        // leur nombre ? Faux, ...") is no presenter line: a list of names has short parts.
        let long_part = rest
            .split([',', ';', '?', '!'])
            .any(|part| part.split_whitespace().count() > 6);
        if long_part {
            return None;
        }
        let lower = text.trim_start().to_lowercase();
        let strong = ["par ", "by ", "présenté", "presented", "animé"]
            .iter()
            .any(|w| lower.starts_with(w));
        let offset = text.chars().count() - rest.chars().count();
        let speakers = speakers_in(&spans_after(&line.spans, offset), lookup);
        // "Par l'équipe d'Hibernate au complet" presents without naming anyone.
        if speakers.is_empty() && (!strong || rest.split_whitespace().count() > 6) {
            return None;
        }
        (strong, speakers)
    } else if only_speaker_links(&line.spans) {
        (true, speakers_in(&line.spans, lookup))
    } else {
        return None;
    };
    // More names on the lines that follow: "et [B](...)", or another speaker shortcode.
    for next in &lines[index + 1..] {
        if !matches!(
            next.block,
            Block::Paragraph { first: false } | Block::Item { first: false, .. }
        ) {
            break;
        }
        let t = next.text();
        let lower = t.trim_start().to_lowercase();
        let joined =
            lower.starts_with("et ") || lower.starts_with("and ") || lower.starts_with("& ");
        if !(joined || only_speaker_links(&next.spans)) {
            break;
        }
        for speaker in speakers_in(&next.spans, lookup) {
            if !speakers.iter().any(|s| s.name == speaker.name) {
                speakers.push(speaker);
            }
        }
    }
    Some(Presenters { strong, speakers })
}

/// The text after a presenter marker that opens `text`, if one does.
fn marker_rest(text: &str) -> Option<&str> {
    let trimmed = text.trim_start();
    // ASCII case only: the offsets found in `lower` are used in `trimmed`.
    let lower = trimmed.to_ascii_lowercase();
    PRESENTER_MARKERS.iter().find_map(|marker| {
        let after = lower.strip_prefix(marker)?;
        let ok = marker.ends_with(':') || after.starts_with([' ', ':', '\u{a0}']);
        ok.then(|| &trimmed[trimmed.len() - after.len()..])
    })
}

/// Whether a line is nothing but links to speaker pages (`{{< speaker "x" >}}` renders as one).
fn only_speaker_links(spans: &[Span]) -> bool {
    let mut links = 0;
    for span in spans {
        match span {
            Span::Link { url, .. } if is_person_page(url) => links += 1,
            Span::Text(t) if names::is_joiner(t) => {}
            _ => return false,
        }
    }
    links > 0
}

/// The spans of a line after its first `chars` characters of text.
fn spans_after(spans: &[Span], chars: usize) -> Vec<Span> {
    let mut skip = chars;
    let mut out = Vec::new();
    for span in spans {
        let len = span.text().chars().count();
        if skip >= len {
            skip -= len;
            continue;
        }
        match span {
            Span::Text(t) => out.push(Span::Text(t.chars().skip(skip).collect())),
            link => out.push(link.clone()),
        }
        skip = 0;
    }
    out
}

/// The people named in spans: each link's text (with the link's person page for its URL), and names in
/// the plain text between them.
pub fn speakers_in(spans: &[Span], lookup: &SpeakerLookup<'_>) -> Vec<Speaker> {
    let mut speakers: Vec<Speaker> = Vec::new();
    for span in spans {
        match span {
            Span::Link { text, url } => {
                let Some(name) = names::clean_name(text) else {
                    continue;
                };
                speakers.push(lookup.speaker(name, url));
            }
            Span::Text(text) => {
                for name in names::names_in(text) {
                    speakers.push(Speaker { name, url: None });
                }
            }
        }
    }
    speakers.dedup_by(|a, b| a.name.eq_ignore_ascii_case(&b.name));
    speakers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(markdown: &str) -> Vec<(String, Vec<String>)> {
        super::super::found::read_for_tests(markdown, talks)
    }

    #[test]
    fn timed_headings_with_speakers_beneath() {
        let text = "\
## Détails

### 18h45 à 19h00 : Accueil

### 19h00 : Riffing function on Kubernetes

Kubernetes is a generic platform.

Par [Florent Biville](/speakers/florent-biville.md)

### 20h30 à 21h00 : Buffet

### 21h00 - Spring Cloud Function: Write Once

Par [Oleg Z](/speakers/oleg.md) et [Ann Lee](/speakers/ann.md)

### 21h40: Vote et remise des diplômes

### 22h00 : 3ème mi-temps des juggers

## Feedback
";
        assert_eq!(
            read(text),
            [
                (
                    "Riffing function on Kubernetes".to_string(),
                    vec!["Florent Biville".to_string()]
                ),
                (
                    "Spring Cloud Function: Write Once".to_string(),
                    vec!["Oleg Z".to_string(), "Ann Lee".to_string()]
                ),
            ]
        );
    }

    #[test]
    fn unlinked_speakers_and_placeholders() {
        let text = "\
### 19h30 à 19h50 : Nous avons besoin de vous

Par Said Boudjelda

### 19h30 : Todo

[Charles Sabourdin](/speakers/charles-sabourdin.md)
";
        assert_eq!(
            read(text),
            [(
                "Nous avons besoin de vous".to_string(),
                vec!["Said Boudjelda".to_string()]
            )]
        );
    }

    #[test]
    fn bold_agenda_lines() {
        let text = "\
**17h30 à 18h00 : Accueil**

**18h15 à 19h00 : Le télétravail** par Nicole Turbé-Suetens

**21h00 à 21h15 : GTD** par [Emmanuel Bernard](/speakers/emmanuel-bernard.md)
";
        assert_eq!(
            read(text),
            [
                (
                    "Le télétravail".to_string(),
                    vec!["Nicole Turbé-Suetens".to_string()]
                ),
                ("GTD".to_string(), vec!["Emmanuel Bernard".to_string()]),
            ]
        );
    }

    #[test]
    fn slot_times() {
        for (text, rest) in [
            ("19h30 à 20h30 : Title", "Title"),
            ("21h00 - Title", "Title"),
            ("19h20 - Title", "Title"),
            ("22h30 à ... : Pub", "Pub"),
            ("18:00-18:15 Title", "Title"),
            ("7:10 PM: Mariatta: Title", "Mariatta: Title"),
            ("20h10 Title", "Title"),
        ] {
            assert_eq!(strip_slot_time(text), (rest, true), "{text}");
        }
        assert_eq!(strip_slot_time("2019 review"), ("2019 review", false));
        let minutes = |text| slot_time(text).and_then(|s| s.minutes);
        assert_eq!(minutes("19h30 à 20h30 : Title"), Some(60));
        assert_eq!(minutes("23:30 – 00:10 Late"), Some(40));
        assert_eq!(minutes("6:30 PM - 9 PM tutorial"), Some(150));
        assert_eq!(minutes("19h00 : Accueil"), None);
        assert_eq!(slot_time("18:00pm"), None);
    }
}
