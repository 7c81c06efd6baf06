//! Talks a page introduces with labels, as scraped meetup pages write a line-up: `**Topic: Title**`
//! then `**Speaker:**` and `Name, Role, Company`; `**Speaker #1: Name, Role**` with the title on the
//! emphasised line that follows; `* [Name](url) sharing on **Title**`; and a one-session event whose
//! leader a role heading introduces (`**TRAINER**` then `**Name — Role**`).
//!
//! Only the labels and the lines' shape say what is a title and what is a name; running text is never
//! read here, so a page of prose yields nothing.

use super::agenda::{slot_title, strip_slot_time};
use super::found::{Found, SpeakerLookup};
use crate::catalog::body::{Block, Body, Line, Span};
use crate::catalog::model::{Speaker, Talk};
use crate::catalog::names;

/// Labels that name a talk's title (`Topic: Title`).
const TOPIC_LABELS: &[&str] = &["topic"];

/// Labels that name who presents the talk above (`Speaker: Name, Role`).
const SPEAKER_LABELS: &[&str] = &["speaker", "speakers", "presenter", "presenters"];

/// Headings, written in capitals on a line of their own, that introduce the one person who leads a
/// single-session event.
const ROLE_HEADINGS: &[&str] = &[
    "trainer",
    "lead facilitator",
    "facilitator",
    "speaker",
    "author",
    "instructor",
    "presenter",
    "speaker bio",
    "speaker's bio",
    "speaker’s bio",
];

/// How many lines after a `Topic:` label its `Speaker:` label may come (a LinkedIn line or a
/// `**Description**` label may sit between them, the abstract may not).
const SPEAKER_LABEL_REACH: usize = 4;

/// Talks a page writes with labels, in page order. Returns nothing unless a label shape is present.
pub fn talks(body: &Body, lookup: &SpeakerLookup<'_>) -> Vec<Found> {
    let mut found = topic_talks(body, lookup);
    if found.is_empty() {
        found = numbered_speaker_talks(body, lookup);
    }
    if found.is_empty() {
        found = sharing_on_talks(body, lookup);
    }
    found
}

/// `Label: value` on a line (bold, a heading or plain): the value, when the label is one of
/// `labels`. The value may be empty (`**Speaker:**` with the name on the next line).
fn label_value(text: &str, labels: &[&str]) -> Option<String> {
    let text = text.trim().trim_start_matches(['*', '_', '#', ' ']);
    let (label, value) = text.split_once(':')?;
    let label = label.trim().trim_matches(['*', '_']).trim().to_lowercase();
    labels
        .contains(&label.as_str())
        .then(|| value.trim().trim_matches(['*', '_']).trim().to_string())
}

/// `Topic: Title` followed, within a few lines, by `Speaker: Name, Role` (or `Speaker:` with the name
/// on the next line). A topic without a speaker label is no talk here.
fn topic_talks(body: &Body, lookup: &SpeakerLookup<'_>) -> Vec<Found> {
    let lines = &body.lines;
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(title) = label_value(&line.text(), TOPIC_LABELS) else {
            continue;
        };
        let Some(title) = slot_title(&title).filter(|t| is_label_title(t)) else {
            continue;
        };
        let reach = (index + 1 + SPEAKER_LABEL_REACH).min(lines.len());
        let speakers = (index + 1..reach)
            .take_while(|&i| label_value(&lines[i].text(), TOPIC_LABELS).is_none())
            .find_map(|i| {
                let value = label_value(&lines[i].text(), SPEAKER_LABELS)?;
                if value.is_empty() {
                    lines.get(i + 1).map(|next| speakers_of(next, lookup))
                } else {
                    Some(names_before_role(&value, lookup))
                }
            })
            .filter(|s| !s.is_empty());
        if let Some(speakers) = speakers {
            found.push(Found {
                talk: Talk::new(title, speakers),
                line: index,
            });
        }
    }
    found
}

/// A title a label gives: a few words, not a placeholder (`Topic 1`) or a sentence.
fn is_label_title(title: &str) -> bool {
    let words = title.split_whitespace().count();
    (1..=30).contains(&words) && !title.ends_with('.') && title.chars().any(char::is_alphabetic)
}

/// The people a line names as `Name, Role, Company`: a linked name keeps its link.
fn speakers_of(line: &Line, lookup: &SpeakerLookup<'_>) -> Vec<Speaker> {
    if let Some(Span::Link { text, url }) = line.spans.first() {
        if let Some(name) = names::clean_name(text) {
            return vec![lookup.speaker(name, url)];
        }
    }
    names_before_role(&line.text(), lookup)
}

/// The names before the first comma of `Name, Role, Company` (`Ann Lee & Bo Chen, Engineers` names
/// two). A parenthesised nickname inside the name (`Ace (He Hua) Yip`) is kept as written.
fn names_before_role(text: &str, lookup: &SpeakerLookup<'_>) -> Vec<Speaker> {
    let text = text.trim().trim_matches(['*', '_']).trim();
    let head = text.split(", ").next().unwrap_or(text).trim();
    let head = head
        .trim_end_matches([',', '|', ' '])
        .trim_matches(['*', '_']);
    if let Some(name) = with_inner_nickname(head) {
        return vec![lookup.speaker(name, "")];
    }
    names::split_names(head)
        .or_else(|| names::clean_name(head).map(|n| vec![n]))
        .unwrap_or_default()
        .into_iter()
        .map(|name| lookup.speaker(name, ""))
        .collect()
}

/// `Ace (He Hua) Yip`: a name with a nickname in parentheses between its words, kept whole.
fn with_inner_nickname(text: &str) -> Option<String> {
    let open = text.find(" (")?;
    let close = open + text[open..].find(')')?;
    let after = text[close + 1..].trim();
    if after.is_empty() {
        return None;
    }
    let bare = format!("{} {after}", text[..open].trim());
    names::looks_like_name(&bare).then(|| text.to_string())
}

/// Whether a line is written as one emphasis, maybe after an emoji (`🎤 _**Talk #2: Title**_`).
fn is_emphasised(body: &Body, line: &Line) -> bool {
    let raw = body.between(line.range.start, line.range.end);
    let raw = raw.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '*' && c != '_');
    raw.starts_with(['*', '_']) && raw.trim_end().ends_with(['*', '_'])
}

/// `Talk #2: Title` without its label.
fn strip_numbered_label<'t>(text: &'t str, label: &str) -> Option<&'t str> {
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let head = text.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    let rest = text[label.len()..].trim_start().strip_prefix('#')?;
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    Some(rest.trim_start().strip_prefix(':')?.trim())
}

/// `**Speaker #1: Name, Role**` with the title on the emphasised lines that open the next paragraph
/// (the last of them: a kicker such as `🔥 **Fireside Chat with Name**` comes first), and emphasised
/// `Talk #N: Title` lines that no speaker label introduces (a talk whose speaker the page leaves out).
fn numbered_speaker_talks(body: &Body, lookup: &SpeakerLookup<'_>) -> Vec<Found> {
    let lines = &body.lines;
    let mut found = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text = line.text();
        let Some(value) = strip_numbered_label(&text, "speaker") else {
            continue;
        };
        let speakers = names_before_role(value, lookup);
        if speakers.is_empty() {
            continue;
        }
        // The emphasised lines that follow, in this paragraph or the next.
        let run: Vec<usize> = (index + 1..lines.len())
            .take_while(|&i| {
                !lines[i].is_heading()
                    && is_emphasised(body, &lines[i])
                    && (i == index + 1 || !lines[i].starts_block())
            })
            .collect();
        let Some(&title_line) = run.last() else {
            continue;
        };
        let text = lines[title_line].text();
        let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
        let title = strip_numbered_label(text, "talk").unwrap_or(text);
        if let Some(title) = slot_title(title).filter(|t| is_label_title(t)) {
            used.extend(&run);
            found.push(Found {
                talk: Talk::new(title, speakers),
                line: index,
            });
        }
    }
    for (index, line) in lines.iter().enumerate() {
        if used.contains(&index) || !is_emphasised(body, line) {
            continue;
        }
        let text = line.text();
        let Some(title) = strip_numbered_label(&text, "talk").and_then(slot_title) else {
            continue;
        };
        if is_label_title(&title) {
            found.push(Found {
                talk: Talk::new(title, Vec::new()),
                line: index,
            });
        }
    }
    found.sort_by_key(|f| f.line);
    found
}

/// `* [Name](url) sharing on **Title**` and `* [Name](url) will be sharing on **Title**`: a list item
/// that opens with a linked name, the title in the emphasis after "sharing on".
fn sharing_on_talks(body: &Body, lookup: &SpeakerLookup<'_>) -> Vec<Found> {
    let mut found = Vec::new();
    for (index, line) in body.lines.iter().enumerate() {
        if !matches!(line.block, Block::Item { first: true, .. }) {
            continue;
        }
        let Some(Span::Link { text, url }) = line.spans.first() else {
            continue;
        };
        let raw = body.between(line.range.start, line.range.end);
        let Some((_, after)) = raw.split_once(" sharing on ") else {
            continue;
        };
        let after = after.trim_start();
        let Some(inner) = after.strip_prefix("**").and_then(|a| a.split_once("**")) else {
            continue;
        };
        let title = inner.0.trim().trim_end_matches(':').trim();
        let (Some(name), Some(title)) = (names::clean_name(text), slot_title(title)) else {
            continue;
        };
        found.push(Found {
            talk: Talk::new(title, vec![lookup.speaker(name, url)]),
            line: index,
        });
    }
    found
}

/// A one-session event whose leader a role heading introduces: a line that is only `TRAINER`, `LEAD
/// FACILITATOR`, `AUTHOR` or `SPEAKER BIO` (in capitals), then the person's name on the next line
/// (`**Name — Role**`, `**Name** | bio`, or the name alone). The talk is titled like the event, or
/// like the one agenda slot the event's title ends with (`Career Series:: Talk & Tackle — X` holds
/// the slot `7.00pm - 10.00pm: Talk & Tackle — X`).
pub fn led_session(body: &Body, event_title: &str) -> Option<Talk> {
    let lines = &body.lines;
    let mut leaders: Vec<String> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text = line.text();
        let label = text.trim().trim_matches(['*', '_', ':', ' ']);
        let shouted =
            label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase);
        if !shouted || !ROLE_HEADINGS.contains(&label.to_lowercase().as_str()) {
            continue;
        }
        let Some(next) = lines.get(index + 1) else {
            continue;
        };
        let written = next.lead_emphasis.clone().unwrap_or_else(|| next.text());
        let head = written.split('|').next().unwrap_or_default().trim();
        if let Some(name) = names::clean_name(head) {
            if !leaders.iter().any(|l| super::found::same_name(l, &name)) {
                leaders.push(name);
            }
        }
    }
    // One leader: a page that introduces several is a line-up, which other readers handle.
    if leaders.len() != 1 {
        return None;
    }
    let speakers = leaders
        .into_iter()
        .map(|name| Speaker { name, url: None })
        .collect();
    Some(Talk::new(session_title(body, event_title), speakers))
}

/// The event's title, or the agenda slot that the event's title ends with (the session's own name,
/// without the series prefix the event's title adds).
fn session_title(body: &Body, event_title: &str) -> String {
    let event_key = key(event_title);
    body.lines
        .iter()
        .filter_map(|line| {
            let text = line.text();
            let (rest, timed) = strip_slot_time(text.trim());
            timed.then(|| slot_title(rest)).flatten()
        })
        .find(|slot| slot.split_whitespace().count() >= 3 && event_key.ends_with(&key(slot)))
        .unwrap_or_else(|| event_title.trim().to_string())
}

/// Letters and digits in lower case, to compare titles written with different punctuation.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(markdown: &str) -> Vec<(String, Vec<String>)> {
        super::super::found::read_for_tests(markdown, talks)
    }

    fn t(title: &str, names: &[&str]) -> (String, Vec<String>) {
        (
            title.to_string(),
            names.iter().map(std::string::ToString::to_string).collect(),
        )
    }

    #[test]
    fn topic_label_then_speaker_label() {
        let text = "\
**Topic: Working with databases**

**Speaker:**

Sylvester Chin, Software Engineer @ Allium<br>
LinkedIn: [link](https://example.com/in/x)

### Topic: Getting started with Kubernetes

**Presenter:** Daniele Polencic, Managing Director, Learnk8s

Topic: Introduction to Pulumi

Presenter: Zeng Linlin, MLOps Engineer

**Topic: Building an AI-native startup**

**Speaker:**

Ace (He Hua) Yip, Founder / CEO, 'Sup

## Schedule

7:30 to 8:00 - Topic 1
";
        assert_eq!(
            read(text),
            [
                t("Working with databases", &["Sylvester Chin"]),
                t("Getting started with Kubernetes", &["Daniele Polencic"]),
                t("Introduction to Pulumi", &["Zeng Linlin"]),
                t("Building an AI-native startup", &["Ace (He Hua) Yip"]),
            ]
        );
    }

    #[test]
    fn a_topic_without_a_speaker_label_is_no_talk() {
        assert_eq!(
            read("**Topic: Databases**\n\nWe talk about databases.\n"),
            []
        );
    }

    #[test]
    fn numbered_speaker_then_emphasised_title() {
        let text = "\
**Speaker #1: Ace Yip, Founder of 'Sup**

🔥 **Fireside Chat with Ace Yip**  
_**Building Sup: Scaling AI as a Teen Founder**_  
At just 17, Ace Yip founded a startup.

**Speaker #2: Keerthana Ravikumar, Product Manager**

🎤 _**Talk #2: From Code to Customers**_  
While early-career professionals focus on skills.
";
        assert_eq!(
            read(text),
            [
                t("Building Sup: Scaling AI as a Teen Founder", &["Ace Yip"]),
                t("From Code to Customers", &["Keerthana Ravikumar"]),
            ]
        );
    }

    #[test]
    fn numbered_talk_labels_without_speakers() {
        let text = "_**Talk #1: From Junior to Senior**_\n\nI will share.\n\n_**Talk #2: Building Tech**_\n";
        assert_eq!(
            read(text),
            [t("From Junior to Senior", &[]), t("Building Tech", &[])]
        );
    }

    #[test]
    fn linked_name_sharing_on_an_emphasised_title() {
        let text = "\
We will have two speakers:
* [Wei Yong Tan](https://example.com/in/w) sharing on **Fine Tuning with PyTorch:**

Abstract.

* [S Anand](https://example.com/in/s) will be sharing on **LLMs running Python code in loops**
";
        assert_eq!(
            read(text),
            [
                t("Fine Tuning with PyTorch", &["Wei Yong Tan"]),
                t("LLMs running Python code in loops", &["S Anand"]),
            ]
        );
    }

    fn led(markdown: &str, event_title: &str) -> Option<(String, Vec<String>)> {
        let body = Body::parse(markdown, |_| None);
        led_session(&body, event_title).map(|talk| {
            (
                talk.title,
                talk.speakers.into_iter().map(|s| s.name).collect(),
            )
        })
    }

    #[test]
    fn role_heading_introduces_the_leader_of_one_session() {
        let trainer = "**AGENDA**\n\n* RE without tools\n\n**TRAINER**  \n**KK Tan — Founder, counterShell**  \nAs a convert, **Tan KK** picked up skills.\n";
        assert_eq!(led(trainer, "SHELL Gym"), Some(t("SHELL Gym", &["KK Tan"])));
        let bio = "AGENDA\n\n6.30pm: Registration\n7.00pm - 10.00pm: Talk & Tackle — Crashing into purple\n\nSPEAKER BIO\nPengfei Yu\nHe is a manager.\n";
        assert_eq!(
            led(bio, "Career Series :: Talk & Tackle — Crashing into purple"),
            Some(t("Talk & Tackle — Crashing into purple", &["Pengfei Yu"]))
        );
        let piped = "**LEAD FACILITATOR**\n**Sim Cher Boon \\|** Cher Boon is an engineer.\n";
        assert_eq!(
            led(piped, "Workshop"),
            Some(t("Workshop", &["Sim Cher Boon"]))
        );
        let quoted =
            "**SPEAKER'S BIO**  \n**Cyril Tan** | **Quantum Security Architect, SpeQtral**  \n";
        assert_eq!(led(quoted, "Q"), Some(t("Q", &["Cyril Tan"])));
    }

    #[test]
    fn role_words_in_running_text_or_two_leaders_are_no_session() {
        assert_eq!(led("Our trainer\nKK Tan\n", "X"), None);
        let two = "**SPEAKER**\nAnn Lee\n\n**SPEAKER**\nBo Chen\n";
        assert_eq!(led(two, "X"), None);
    }
}
