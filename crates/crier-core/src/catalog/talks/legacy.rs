//! Talks and speakers written inline in the markdown body of a legacy rust.org.il event file.
//!
//! Before rust.org.il moved talks into `presentations/` and speakers into `people/`, organisers typed
//! them into the event body in whatever shape came to hand: `* Title by [Speaker](url)`,
//! `* [Speaker](url) - Title`, `* [Speaker](url): Title (20 min)`, agenda lines
//! `* 18:00-18:15 Title by [Speaker](url)`, or a lone `* Speaker: [Name](url)` for a workshop.
//!
//! The body is parsed with pulldown-cmark, so markdown structure (list items, paragraphs, links) comes
//! from a real parser. Each list item's first line, and each line of a top-level paragraph, is reduced
//! to a sequence of text and link spans, and only that short sequence is matched against the shapes
//! above. Everything else (video links, logistics, topic bullets, bios) is not a talk.

use super::found::Found;
use crate::catalog::body::{plain, Block, Body, Span};
use crate::catalog::model::{Speaker, Talk};
use crate::catalog::names;

/// Words of a label that make the person named after it present the session (`Speaker:`, `Speaker
/// and organizer:`, `Workshop lead:`, `Presented by:`). A label with none of them (`Organizer:`,
/// `Host:`) names someone who only organises.
const PRESENTER_WORDS: &[&str] = &[
    "speaker",
    "speakers",
    "presenter",
    "presenters",
    "presented",
    "lead",
    "leads",
    "led",
    "instructor",
    "instructors",
    "teacher",
    "trainer",
    "facilitator",
    "talk",
    "given",
    "intervenant",
    "intervenants",
    "conférencier",
    "conférenciers",
    "orateur",
    "animé",
    "animateur",
];

/// Words of a label that only organise: `Organizer:`, `Host:`, `MC:`.
const ORGANISER_WORDS: &[&str] = &[
    "organizer",
    "organiser",
    "organizers",
    "organisers",
    "host",
    "hosts",
    "hosted",
    "mc",
    "moderator",
    "organisateur",
    "organisé",
];

/// Talks written in the body of a legacy event, in order of appearance.
pub fn talks_from_body(body: &str, event_title: &str) -> Vec<Talk> {
    let body = Body::parse(body, |_| None);
    talks_from_lines(&body, event_title)
        .into_iter()
        .map(|found| found.talk)
        .collect()
}

/// Talks of a parsed body, each with the line it starts on and its abstract: the paragraphs after the
/// talk's bullet, up to the next bullet or heading.
pub fn talks_from_lines(body: &Body, event_title: &str) -> Vec<Found> {
    let mut talks: Vec<Found> = Vec::new();
    // Label lines ("Speaker:", "Workshop lead:") all describe the one session that is the event, so
    // they share a single talk, placed where the first of them appears.
    let mut labelled: Option<usize> = None;
    for (index, line) in body.lines.iter().enumerate() {
        let origin = match line.block {
            Block::Item { first: true, .. } => Origin::Item,
            Block::Paragraph { .. } => Origin::Paragraph,
            _ => continue,
        };
        if let Some(speakers) = labelled_speakers(&line.spans) {
            if speakers.is_empty() {
                continue;
            }
            if let Some(found) = labelled.and_then(|i| talks.get_mut(i)) {
                for speaker in speakers {
                    if !found
                        .talk
                        .speakers
                        .iter()
                        .any(|s| s.name.eq_ignore_ascii_case(&speaker.name))
                    {
                        found.talk.speakers.push(speaker);
                    }
                }
            } else {
                labelled = Some(talks.len());
                talks.push(Found {
                    talk: talk(event_title.trim().to_string(), speakers, None),
                    line: index,
                });
            }
        } else if origin == Origin::Item {
            if let Some(mut found) = item_talk(line.spans.clone()) {
                found.abstract_md = abstract_after(body, index);
                talks.push(Found {
                    talk: found,
                    line: index,
                });
            }
        }
    }
    talks
}

/// The markdown after a talk's bullet line up to the next bullet or heading: the talk's abstract and
/// its speaker's bio, as the legacy pages write them.
fn abstract_after(body: &Body, index: usize) -> Option<String> {
    let line = &body.lines[index];
    let end = body.lines[index + 1..]
        .iter()
        .find(|l| l.is_heading() || matches!(l.block, Block::Item { first: true, .. }))
        .map_or(body.text.len(), |l| l.range.start);
    let text = body.between(line.range.end, end);
    // The bullet line's own trailing `:` and the like are not part of the abstract.
    let text = text.trim_start_matches([':', ',', ' ', '\n']).trim();
    Some(text.to_string()).filter(|t| !t.is_empty())
}

/// Where a line came from. List items may hold any talk shape; paragraph lines are only checked for
/// `Label: [Name](url)`, because a paragraph such as "[Gabor Szabo](url) has been programming..." is a
/// speaker's bio, not a talk.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    Item,
    Paragraph,
}

/// The speakers of a `Label: [Name](url)` or `Label: Name` line, if it is a label line: `Some(empty)`
/// for a label that only organises (`Organizer:`, `Host:`), which names no speaker.
fn labelled_speakers(spans: &[Span]) -> Option<Vec<Speaker>> {
    let Some(Span::Text(first)) = spans.first() else {
        return None;
    };
    let (label, after) = first.split_once(':')?;
    let label = label.trim().to_lowercase();
    let words: Vec<&str> = label
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic() && c != '&' && c != '/'))
        .collect();
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    // A role label is made of role words ("Speaker and organizer", "Workshop lead"); "Speaker
    // invitations sent: Week of January 20" is a date line.
    const LABEL_WORDS: &[&str] = &[
        "and",
        "&",
        "/",
        "workshop",
        "session",
        "main",
        "guest",
        "keynote",
        "our",
        "the",
        "featured",
        "your",
        "today's",
        "tonight's",
        "by",
    ];
    let role_label = words.iter().all(|w| {
        PRESENTER_WORDS.contains(w) || LABEL_WORDS.contains(w) || ORGANISER_WORDS.contains(w)
    });
    if !role_label {
        return None;
    }
    let presents = words.iter().any(|w| PRESENTER_WORDS.contains(w));
    let organises = words.iter().any(|w| ORGANISER_WORDS.contains(w));
    if !presents {
        return organises.then(Vec::new);
    }
    let (linked, _) = speakers_from(spans, 1);
    if !linked.is_empty() && after.trim().is_empty() {
        return Some(linked);
    }
    // `Speaker: Tomer Cohen from Microsoft`: a name in the text after the label.
    let rest = after.to_string() + &plain(&spans[1..]);
    let names = names::split_names(rest.trim())
        .or_else(|| names::clean_name(rest.trim()).map(|n| vec![n]))?;
    Some(
        names
            .into_iter()
            .map(|name| Speaker { name, url: None })
            .collect(),
    )
}

/// A talk recognised in a line: the raw title, its speakers, and the text after the speakers (which
/// may still carry a `(20 min)`).
struct LineTalk {
    title: String,
    speakers: Vec<Speaker>,
    tail: String,
}

/// The talk a list item's first line describes, if any.
fn item_talk(mut spans: Vec<Span>) -> Option<Talk> {
    let range_minutes = strip_time(&mut spans);
    // " by [link]" wins: titles such as "Rust - a (Pre)production Story" contain a dash themselves.
    let found = by_link(&spans)
        .or_else(|| leading_speakers(&spans))
        .or_else(|| trailing_speakers(&spans))
        .or_else(|| by_name(&spans))?;

    let (title, minutes) = if let Some((title, minutes)) = take_length(&found.title) {
        (title, Some(minutes))
    } else {
        let tail_minutes = take_length(&found.tail).map(|(_, minutes)| minutes);
        (found.title.as_str(), tail_minutes.or(range_minutes))
    };
    let title = clean(title);
    // An agenda slot that is no talk ("7.40pm: Remarks by Name") is none with a name after it.
    if title.is_empty() || found.speakers.is_empty() || super::agenda::slot_title(title).is_none() {
        return None;
    }
    Some(talk(title.to_string(), found.speakers, minutes))
}

/// `Title by [Speaker](url)...`: the first link right after the word "by".
fn by_link(spans: &[Span]) -> Option<LineTalk> {
    (1..spans.len()).find_map(|i| {
        let (Span::Text(before), Span::Link { .. }) = (&spans[i - 1], &spans[i]) else {
            return None;
        };
        let before = before.trim_end();
        let stem = before
            .strip_suffix("by")
            .or_else(|| before.strip_suffix("By"))?;
        if !(stem.is_empty() || stem.ends_with(char::is_whitespace)) {
            return None;
        }
        let (speakers, next) = speakers_from(spans, i);
        Some(LineTalk {
            title: plain(&spans[..i - 1]) + stem,
            speakers,
            tail: plain(&spans[next..]),
        })
    })
}

/// `[Speaker](url) - Title` and `[Speaker](url): Title`.
fn leading_speakers(spans: &[Span]) -> Option<LineTalk> {
    let (speakers, next) = speakers_from(spans, 0);
    if speakers.is_empty() || !speakers.iter().all(|s| names::looks_like_name(&s.name)) {
        return None;
    }
    let Some(Span::Text(after)) = spans.get(next) else {
        return None;
    };
    let title = after.trim_start().strip_prefix([':', '-', '–', '—'])?;
    let title = title.to_string() + &plain(&spans[next + 1..]);
    Some(LineTalk {
        title,
        speakers,
        tail: String::new(),
    })
}

/// `Title - [Speaker](url)`.
fn trailing_speakers(spans: &[Span]) -> Option<LineTalk> {
    (1..spans.len()).find_map(|i| {
        let (Span::Text(before), Span::Link { .. }) = (&spans[i - 1], &spans[i]) else {
            return None;
        };
        let stem = before.trim_end().strip_suffix(['-', '–', '—'])?;
        if !stem.ends_with(char::is_whitespace) {
            return None;
        }
        let (speakers, next) = speakers_from(spans, i);
        // The name check keeps "Notes - [video](url)" from naming a speaker "video".
        if !speakers.iter().all(|s| names::looks_like_name(&s.name)) {
            return None;
        }
        Some(LineTalk {
            title: plain(&spans[..i - 1]) + stem,
            speakers,
            tail: plain(&spans[next..]),
        })
    })
}

/// `Title by Ronen Cohen`: a speaker without a link, accepted only when the words after the last " by "
/// look like a person's name, so "...on object storage by decoupling storage from compute." is no talk.
fn by_name(spans: &[Span]) -> Option<LineTalk> {
    let line = plain(spans);
    let at = line.rfind(" by ")?;
    let after = &line[at + " by ".len()..];
    let end = after.find([',', ';', ':', '(']).unwrap_or(after.len());
    let name = after[..end].trim();
    if !names::looks_like_name(name) {
        return None;
    }
    let speakers = vec![Speaker {
        name: name.to_string(),
        url: None,
    }];
    // "Title, presented by Name": "presented" is not part of the title.
    let title = line[..at].trim_end();
    let title = title
        .strip_suffix("presented")
        .or_else(|| title.strip_suffix("Presented"))
        .unwrap_or(title);
    Some(LineTalk {
        title: title.to_string(),
        speakers,
        tail: after[end..].to_string(),
    })
}

/// Links starting at `start`, joined by "and", "&" or ","; returns them and the index after the last.
fn speakers_from(spans: &[Span], start: usize) -> (Vec<Speaker>, usize) {
    let mut speakers = Vec::new();
    let mut i = start;
    while let Some(Span::Link { text, url }) = spans.get(i) {
        let url = crate::text::has_web_scheme(url).then(|| url.clone());
        // An empty link text (`[](url)`) names nobody.
        if !text.trim().is_empty() {
            speakers.push(Speaker {
                name: text.trim().to_string(),
                url,
            });
        }
        match (spans.get(i + 1), spans.get(i + 2)) {
            (Some(Span::Text(sep)), Some(Span::Link { .. }))
                if matches!(sep.trim(), "," | "&" | "and" | ", and") =>
            {
                i += 2;
            }
            _ => return (speakers, i + 1),
        }
    }
    (speakers, i)
}

/// Removes a leading agenda time (`18:00-18:15 `, `17:00 - `, `18:00 `) from the line and returns the
/// length of a time range in minutes.
fn strip_time(spans: &mut Vec<Span>) -> Option<u32> {
    let Some(Span::Text(first)) = spans.first_mut() else {
        return None;
    };
    let (rest, minutes) = split_time_prefix(first)?;
    *first = rest.to_string();
    if first.is_empty() {
        spans.remove(0);
    }
    minutes
}

/// An agenda line's time: `18:00-18:15 `, `17:00 - `, `18:00 ` (the agenda reader's times), followed by
/// the rest of the line. A line that is only a time is no agenda line.
fn split_time_prefix(text: &str) -> Option<(&str, Option<u32>)> {
    let slot = super::agenda::slot_time(text.trim_start())?;
    (!slot.rest.is_empty()).then_some((slot.rest, slot.minutes))
}

/// A trailing `(20 min)` or `(30-40 min)` (the upper bound): the text before it and the minutes.
fn take_length(text: &str) -> Option<(&str, u32)> {
    let text = clean(text);
    let open = text.rfind('(')?;
    let inner = text[open + 1..].strip_suffix(')')?.trim();
    let number = ["minutes", "minute", "mins", "min"]
        .iter()
        .find_map(|unit| inner.strip_suffix(unit))?;
    let upper = number.rsplit(['-', '–']).next()?.trim().parse().ok()?;
    Some((&text[..open], upper))
}

/// Trims whitespace and the trailing `:`, `,` or `-` that separated the title from what followed.
fn clean(text: &str) -> &str {
    text.trim_start()
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-' | '–' | '—'))
}

fn talk(title: String, speakers: Vec<Speaker>, length_minutes: Option<u32>) -> Talk {
    Talk {
        title,
        speakers,
        length_minutes,
        language: None,
        abstract_md: None,
        recordings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The talks without their abstracts: these tests are about the shapes of talk lines.
    fn shapes(body: &str, title: &str) -> Vec<Talk> {
        let mut talks = talks_from_body(body, title);
        for talk in &mut talks {
            talk.abstract_md = None;
        }
        talks
    }

    #[test]
    fn paragraphs_after_a_talk_are_its_abstract() {
        let body = "\
Rust TLV is back with two talks.

* Rust - a Story by [Yoav Yanilov](https://l.in/yoav/)
In this talk, I'll walk you through my first experience.

Yoav is a software developer.

* Developing Redis Modules by [Gavrie Philipson](https://l.in/gavrie/)

Redis is well known.
";
        let abstracts: Vec<Option<String>> = talks_from_body(body, "Event")
            .into_iter()
            .map(|t| t.abstract_md)
            .collect();
        assert_eq!(
            abstracts,
            [
                Some("In this talk, I'll walk you through my first experience.\n\nYoav is a software developer.".to_string()),
                Some("Redis is well known.".to_string()),
            ]
        );
    }

    #[test]
    fn role_lines_name_the_presenter_but_organisers_are_no_speakers() {
        let body = "* Speaker and organizer: [Gabor Szabo](https://szabgab.com/)\n* Organizer: [Ann Lee](https://a.example/)\n";
        assert_eq!(
            shapes(body, "Declarative macros"),
            [t(
                "Declarative macros",
                &[("Gabor Szabo", Some("https://szabgab.com/"))],
                None
            )]
        );
        assert_eq!(
            shapes("* Host: [Ann Lee](https://a.example/)\n", "Meetup"),
            []
        );
        assert_eq!(
            shapes("Presenter: Tomer Cohen from Microsoft\n", "Errors"),
            [t("Errors", &[("Tomer Cohen", None)], None)]
        );
    }

    /// A talk as the tests write it: title, (name, url) per speaker, length.
    fn t(title: &str, speakers: &[(&str, Option<&str>)], length_minutes: Option<u32>) -> Talk {
        let speakers = speakers
            .iter()
            .map(|(name, url)| Speaker {
                name: name.to_string(),
                url: url.map(str::to_string),
            })
            .collect();
        talk(title.to_string(), speakers, length_minutes)
    }

    #[test]
    fn title_by_linked_speaker_with_trailing_text() {
        let body = "\
* N00bing Through Rust by [Yuval Adam](https://l.in/yuval/):

* Microdosing Rust to your organization by [Aviram Hassan](https://l.in/av/), CEO and Co-Founder @ MetalBear
You can start using Rust in your organization without refactoring.

* Rust In Production by [Daniel Brodie](https://l.in/db/) CTO & Co-Founder at [Cynerio](https://c.io/):
";
        assert_eq!(
            shapes(body, "Event"),
            [
                t(
                    "N00bing Through Rust",
                    &[("Yuval Adam", Some("https://l.in/yuval/"))],
                    None
                ),
                t(
                    "Microdosing Rust to your organization",
                    &[("Aviram Hassan", Some("https://l.in/av/"))],
                    None
                ),
                t(
                    "Rust In Production",
                    &[("Daniel Brodie", Some("https://l.in/db/"))],
                    None
                ),
            ]
        );
    }

    #[test]
    fn by_link_wins_over_a_dash_in_the_title() {
        let body = "* Rust - a (Pre)production Story by [Yoav Yanilov](https://l.in/yoav/)\n\
                    In this talk, I'll walk you through [slides](https://docs.example/s)\n";
        assert_eq!(
            shapes(body, "Event"),
            [t(
                "Rust - a (Pre)production Story",
                &[("Yoav Yanilov", Some("https://l.in/yoav/"))],
                None
            )]
        );
    }

    #[test]
    fn several_linked_speakers() {
        let body = "* Pairing in Rust by [Ann Lee](https://a.example/) and [Bo Chen](https://b.example/)\n";
        let speakers = [
            ("Ann Lee", Some("https://a.example/")),
            ("Bo Chen", Some("https://b.example/")),
        ];
        assert_eq!(
            shapes(body, "Event"),
            [t("Pairing in Rust", &speakers, None)]
        );
    }

    #[test]
    fn title_dash_linked_speaker() {
        let body = "* Rustifying Serverless - [Efi Merdler Kravitz](https://l.in/efime/)\n";
        assert_eq!(
            shapes(body, "Event"),
            [t(
                "Rustifying Serverless",
                &[("Efi Merdler Kravitz", Some("https://l.in/efime/"))],
                None
            )]
        );
    }

    #[test]
    fn linked_speaker_dash_title() {
        let body = "* [Gabor Szabo](https://l.in/gabor/) - What I learned from learning Rust\n\
                    The journey of a veteran programmer.\n[video](https://youtu.be/x)\n";
        assert_eq!(
            shapes(body, "Event"),
            [t(
                "What I learned from learning Rust",
                &[("Gabor Szabo", Some("https://l.in/gabor/"))],
                None
            )]
        );
    }

    #[test]
    fn linked_speaker_colon_title_with_length() {
        let body = "\
* [Maor Malka](https://l.in/maor/): Are We Embedded Yet? - Implementing tiny HTTP server (30-40 min)

* [Gabor Szabo](https://l.in/gabor/): Web application development with Rocket (20 min)
";
        assert_eq!(
            shapes(body, "Event"),
            [
                t(
                    "Are We Embedded Yet? - Implementing tiny HTTP server",
                    &[("Maor Malka", Some("https://l.in/maor/"))],
                    Some(40)
                ),
                t(
                    "Web application development with Rocket",
                    &[("Gabor Szabo", Some("https://l.in/gabor/"))],
                    Some(20)
                ),
            ]
        );
    }

    #[test]
    fn agenda_line_with_time_range() {
        let body = "\
* 17:30-18:00 Gathering and yummy food
* 18:00-18:15 The Coralogix Journey by [Ariel Assaraf](https://l.in/ariel/), CEO
* 18:15-18:35 Simplifying Dependency Management with Workspaces by [Roy Prager](https://l.in/roy/)
";
        assert_eq!(
            shapes(body, "Event"),
            [
                t(
                    "The Coralogix Journey",
                    &[("Ariel Assaraf", Some("https://l.in/ariel/"))],
                    Some(15)
                ),
                t(
                    "Simplifying Dependency Management with Workspaces",
                    &[("Roy Prager", Some("https://l.in/roy/"))],
                    Some(20)
                ),
            ]
        );
    }

    #[test]
    fn unlinked_speaker_only_when_it_looks_like_a_name() {
        let body = "\
* 18:35-19:10 Exploring Memory Allocators by Ronen Cohen
* Efficient Querying: See how Coralogix queries metrics on object storage by decoupling storage from compute.
* Closing words by the organisers
";
        assert_eq!(
            shapes(body, "Event"),
            [t(
                "Exploring Memory Allocators",
                &[("Ronen Cohen", None)],
                Some(35)
            )]
        );
    }

    #[test]
    fn lone_speaker_line_names_the_event_as_the_talk() {
        let body = "\
* Speaker: [Tomer Cohen](https://l.in/tomer/) from Microsoft
* View the [blog of Tomer Cohen](https://www.tomercode.com/)
";
        assert_eq!(
            shapes(body, "Don't panic!"),
            [t(
                "Don't panic!",
                &[("Tomer Cohen", Some("https://l.in/tomer/"))],
                None
            )]
        );
    }

    #[test]
    fn lead_labels_in_lists_and_paragraph_lines() {
        let paragraph = "The workshop will be via Zoom\nLanguage: English.\n\
                         Workshop lead: [Gabor Szabo](https://szabgab.com/)\nLength: up to 3 hours.\n";
        let list = "* Lead: [Gabor Szabo](https://szabgab.com/)\n* Requirements: Basic Rust.\n";
        for body in [paragraph, list] {
            let expected = [t(
                "Workshop",
                &[("Gabor Szabo", Some("https://szabgab.com/"))],
                None,
            )];
            assert_eq!(shapes(body, "Workshop"), expected, "{body}");
        }
    }

    #[test]
    fn label_lines_share_one_talk_and_name_each_person_once() {
        let body = "Workshop lead: [Gabor Szabo](https://szabgab.com/)\n\n\
                    * Speaker: [Gabor Szabo](https://l.in/gabor/)\n\
                    * Lead: [Ann Lee](https://a.example/)\n";
        let speakers = [
            ("Gabor Szabo", Some("https://szabgab.com/")),
            ("Ann Lee", Some("https://a.example/")),
        ];
        assert_eq!(shapes(body, "Workshop"), [t("Workshop", &speakers, None)]);
    }

    #[test]
    fn relative_links_give_no_speaker_url() {
        let body = "* Intro to Rust by [Ann Lee](/people/ann-lee)\n";
        assert_eq!(
            shapes(body, "Event"),
            [t("Intro to Rust", &[("Ann Lee", None)], None)]
        );
    }

    #[test]
    fn bios_and_descriptions_are_not_talks() {
        let body = "\
[Gabor Szabo](https://szabgab.com/) has been programming for almost 40 years.

* SGX by [Isan Rivkin](https://l.in/isan/):
Intel SGX protects selected code - [see the docs](https://intel.example/sgx).
";
        assert_eq!(
            shapes(body, "Event"),
            [t(
                "SGX",
                &[("Isan Rivkin", Some("https://l.in/isan/"))],
                None
            )]
        );
    }

    #[test]
    fn non_talk_bullets_yield_nothing() {
        let body = "\
* [video](https://youtu.be/edhM1vz536A)
* [notes and video](https://rust.code-maven.com/x)
* View the [blog of Tomer Cohen](https://www.tomercode.com/)
* Language: English.
* Requirements: Basic familiarity with writing Rust will be enough.
* Length: up to 3 hours.
* Time: 17:30-20:00
* 17:30-18:00 Gathering and yummy food
* 18:00 Meeting amd mingling
* Presentations. TBD, submit your [talk proposals](https://github.com/szabgab/rust.org.il/labels/proposal).
* Explore the pioneering integration of Rust into the Linux kernel, poised to transform kernel programming.
* 17:00 - Gathering & Networking, with cool summer swag, snacks, beer & more surprises! 🍺🥳
* 17:30 - Explore the integration of Rust into the Linux kernel
* Location: Zoom
* Tuesday, Dec 3rd , 2024, 17:00-20:00 PM @ Ra'anana
* Address: Hapnina 8, Ra'anana, Infinity Building, 19th floor.
* Notes - [video](https://youtu.be/x)

#### Agenda:

Location: London Ministore - Shaul HaMelech 4/Ibn Gabirol 30.
";
        assert_eq!(shapes(body, "Event"), []);
    }

    #[test]
    fn time_prefixes() {
        assert_eq!(
            split_time_prefix("18:00-18:15 Talk"),
            Some(("Talk", Some(15)))
        );
        assert_eq!(
            split_time_prefix("23:30 – 00:10 Late"),
            Some(("Late", Some(40)))
        );
        assert_eq!(
            split_time_prefix("17:00 - Gathering"),
            Some(("Gathering", None))
        );
        assert_eq!(split_time_prefix("Time: 17:30-20:00"), None);
        assert_eq!(split_time_prefix("18:00"), None);
    }
}
