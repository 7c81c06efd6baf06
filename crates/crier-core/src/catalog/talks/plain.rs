//! Talks written as plain lines that pair a title with a speaker's name, in the many ways organisers
//! type a line-up into a meetup page:
//!
//! - `Title - Speaker`, `Speaker - Title`, `Speaker: Title` (bulleted or not, one per line);
//! - `"Title" - Speaker` and `Speaker - “Title” - 10 minutes` (the quotes say which part is the title);
//! - `Title, presented by Speaker`, `Title by Speaker`, `**Title**, by Speaker: abstract`;
//! - `Title (Speaker)`, `**Talk: Title (Speaker)**`, and agenda lines `7:10 PM: Speaker: Title`;
//! - a title line, its description, then `Presented by Speaker, their role` (or `With Speaker`);
//! - a speaker's name on its own line (often in capitals) with the title on the next, or `Title: ...`.
//!
//! Which side of `A - B` is the name is decided by the words themselves (a name is a few capitalised
//! words, see [`names`]) and, where both sides could be names ("Sand Ip - Beautiful Soup"), by the
//! other lines of the same list: a line-up is written one way throughout.

use super::agenda::strip_slot_time;
use super::found::{Found, SpeakerLookup};
use crate::catalog::body::{Block, Body, Line};
use crate::catalog::model::{Speaker, Talk};
use crate::catalog::names::{self, split_names};

/// Words before "by" that make it no presenter: "sponsored by", "hosted by", "inspired by".
const NOT_PRESENTING: &[&str] = &[
    "sponsored",
    "hosted",
    "organized",
    "organised",
    "provided",
    "inspired",
    "powered",
    "supported",
    "followed",
    "made",
    "written",
    "created",
    "built",
    "run",
    "covered",
    "brought",
    "offered",
    "funded",
    "lead",
    "led",
    "joined",
    "organizing",
    "catered",
    "donated",
    "accompanied",
    "shared",
    "replaced",
];

/// Labels that open a talk's line and are not part of its title.
const TALK_LABELS: &[&str] = &[
    "talk:",
    "talk -",
    "talk –",
    "lightning talk:",
    "keynote:",
    "session:",
    "workshop:",
    "tutorial:",
    "presentation:",
];

/// What a title reads like when it is a role, not a talk ("Ben Berry - Conference Chair").
const ROLE_WORDS: &[&str] = &[
    "chair",
    "organizer",
    "organiser",
    "co-organizer",
    "lead",
    "support",
    "coordinator",
    "ceo",
    "cto",
    "founder",
    "co-founder",
    "engineer",
    "developer",
    "manager",
    "director",
    "advocate",
    "scientist",
    "professor",
    "student",
    "volunteer",
    "host",
    "mc",
    "moderator",
    "panelist",
    "member",
];

/// A title, its speakers, a length and some punctuation fit in this many words; longer lines are
/// sentences.
const MAX_TALK_LINE_WORDS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orientation {
    NameFirst,
    NameLast,
}

/// How the sure lines of one line-up are written: name first, or name last.
#[derive(Debug, Default, Clone, Copy)]
struct LineUp {
    name_first: usize,
    name_last: usize,
}

impl LineUp {
    fn count(&mut self, orientation: Orientation) {
        match orientation {
            Orientation::NameFirst => self.name_first += 1,
            Orientation::NameLast => self.name_last += 1,
        }
    }

    fn sure(self) -> usize {
        self.name_first + self.name_last
    }

    /// The way most of its sure lines are written; name first on a tie.
    fn orientation(self) -> Option<Orientation> {
        match (self.name_first, self.name_last) {
            (0, 0) => None,
            (first, last) if first >= last => Some(Orientation::NameFirst),
            _ => Some(Orientation::NameLast),
        }
    }
}

/// What one line says, before the other lines of its list are taken into account.
#[derive(Debug, Clone)]
enum Reading {
    /// A title and its speakers. `weak` when the names are single words ("Irene: Resources..."),
    /// which only count in a list of such lines or on an agenda line.
    Talk {
        title: String,
        names: Vec<String>,
        orientation: Option<Orientation>,
        weak: bool,
    },
    /// `A - B` where both sides could be names.
    Ambiguous { left: String, right: String },
    /// A line that is only a name (or names).
    Names(Vec<String>),
    /// `Title: ...`.
    TitleLabel(String),
    /// `Presented by X`, `With X`: the presenter of the title that opens the paragraph.
    Presenter(Vec<String>),
}

/// Talks from plain lines, except the lines in `taken` (talks another reader found).
pub fn talks(body: &Body, lookup: &SpeakerLookup<'_>, taken: &[usize]) -> Vec<Found> {
    let lines = &body.lines;
    let readings: Vec<Option<Reading>> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            if taken.contains(&i) {
                None
            } else {
                read_line(line)
            }
        })
        .collect();
    let groups = groups(lines);
    let mut found: Vec<Found> = Vec::new();
    let push = |found: &mut Vec<Found>, line: usize, title: String, names: Vec<String>| {
        let title = tidy_title(&title);
        if title.is_empty() || names.is_empty() {
            return;
        }
        // What is no talk as an agenda slot is none here either: "Schedule (PyLadies Chicago)", a
        // placeholder ("TBD").
        if super::agenda::slot_title(&title).is_none() {
            return;
        }
        if found.iter().any(|f| f.line == line) {
            return;
        }
        let speakers = names
            .into_iter()
            .map(|name| lookup.speaker(name, ""))
            .collect::<Vec<Speaker>>();
        found.push(Found {
            talk: Talk::new(title, speakers),
            line,
        });
    };
    // A line-up is a run of consecutive talk-like lines, whether one list, one paragraph or a
    // paragraph per line: its unambiguous lines say which way round the list is written.
    let mut lineup_of: Vec<usize> = vec![0; lines.len()];
    let mut lineups: Vec<LineUp> = Vec::new();
    let mut previous_talk_like = false;
    for (i, reading) in readings.iter().enumerate() {
        let talk_like = matches!(
            reading,
            Some(Reading::Talk { .. } | Reading::Ambiguous { .. })
        );
        if talk_like && !previous_talk_like {
            lineups.push(LineUp::default());
        }
        previous_talk_like = talk_like;
        if !talk_like {
            continue;
        }
        lineup_of[i] = lineups.len() - 1;
        if let Some(Reading::Talk {
            orientation: Some(orientation),
            weak: false,
            ..
        }) = reading
        {
            lineups[lineup_of[i]].count(*orientation);
        }
    }
    // Only asked of talk-like lines, which all belong to a line-up.
    let lineup = |i: usize| lineups[lineup_of[i]];
    for group in &groups {
        // A list of session titles where one happens to end in "with Name" is a conference's
        // programme, not a line-up: a talk needs company in a list of four or more items.
        let items: Vec<usize> = group
            .clone()
            .filter(|&i| matches!(lines[i].block, Block::Item { first: true, .. }))
            .collect();
        let talk_items = items
            .iter()
            .filter(|&&i| matches!(readings[i], Some(Reading::Talk { weak: false, .. })))
            .count();
        let lonely = items.len() >= 4 && talk_items == 1;
        for i in group.clone() {
            if lonely && items.contains(&i) {
                continue;
            }
            match &readings[i] {
                Some(Reading::Talk {
                    title,
                    names,
                    orientation: own,
                    weak,
                }) => {
                    // A weak line needs a line-up of sure lines written the same way round.
                    let lineup = lineup(i);
                    let orientation = lineup.orientation();
                    let agrees = own.is_none() || orientation.is_none() || *own == orientation;
                    if *weak && !(lineup.sure() > 0 && agrees) {
                        continue;
                    }
                    push(&mut found, i, title.clone(), names.clone());
                }
                Some(Reading::Ambiguous { left, right }) => {
                    let pair = match lineup(i).orientation() {
                        Some(Orientation::NameFirst) => Some((right, left)),
                        Some(Orientation::NameLast) => Some((left, right)),
                        None => None,
                    };
                    if let Some((title, names)) = pair {
                        if let Some(names) = split_names(names) {
                            push(&mut found, i, title.clone(), names);
                        }
                    }
                }
                Some(Reading::Names(names)) => {
                    // The title on the next line of the same item or paragraph, or a `Title:` line.
                    let Some(next) = lines.get(i + 1) else {
                        continue;
                    };
                    let continues = !next.starts_block()
                        || matches!(readings.get(i + 1), Some(Some(Reading::TitleLabel(_))));
                    if !continues {
                        continue;
                    }
                    // A line in capitals under a name in capitals is an address block ("SUNTEC
                    // TOWER FIVE", "SINGAPORE (038985)"), not a name and a title.
                    let title = match &readings[i + 1] {
                        Some(Reading::TitleLabel(title)) => Some(title.clone()),
                        _ => Some(next.text())
                            .filter(|t| is_title_like(t) && t.chars().any(char::is_lowercase)),
                    };
                    if let Some(title) = title {
                        push(&mut found, i, title, names.clone());
                    }
                }
                Some(Reading::Presenter(names)) => {
                    // The title is the nearest title-like line above, within the paragraph ("The
                    // Serverless Birdnest", a sentence of description, then "Presented by ...").
                    let from = if i == group.start {
                        i.saturating_sub(1)
                    } else {
                        group.start
                    };
                    let title_line = (from..i).rev().find(|&j| {
                        is_title_like(&strip_label(&lines[j].text()))
                            && !found.iter().any(|f| f.line == j)
                    });
                    if let Some(j) = title_line {
                        push(&mut found, j, strip_label(&lines[j].text()), names.clone());
                    }
                }
                Some(Reading::TitleLabel(_)) | None => {}
            }
        }
    }
    found
}

/// Runs of lines that belong together: one list, or one paragraph.
fn groups(lines: &[Line]) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, line) in lines.iter().enumerate() {
        let new_group = i == 0
            || line.is_heading()
            || lines[i - 1].is_heading()
            || matches!(line.block, Block::Paragraph { first: true })
            || matches!(
                (lines[i - 1].block, line.block),
                (Block::Paragraph { .. }, Block::Item { .. })
            );
        if new_group && i > start {
            groups.push(start..i);
            start = i;
        }
    }
    if start < lines.len() {
        groups.push(start..lines.len());
    }
    groups
}

/// What a line says on its own. On an agenda line (`7:10 PM: Mariatta: Title`) the time vouches for a
/// single-word name.
fn read_line(line: &Line) -> Option<Reading> {
    let timed = strip_slot_time(&line.text()).1;
    match read_shape(line)? {
        Reading::Talk {
            title,
            names,
            orientation,
            weak,
        } => Some(Reading::Talk {
            title,
            names,
            orientation,
            weak: weak && !timed,
        }),
        other => Some(other),
    }
}

/// The shape a line has, if it is one of the talk shapes.
fn read_shape(line: &Line) -> Option<Reading> {
    if line.is_heading() {
        return None;
    }
    let raw = line.text();
    let raw = raw.trim().trim_start_matches('+').trim();
    let words = raw.split_whitespace().count();
    if raw.is_empty() || raw.contains("://") && words < 3 {
        return None;
    }
    // A line of running text is no talk line; it can only say who presents the title above it
    // ("Presented by Tanushri Chakravorty, who works on ..."). Most body lines end here, cheaply.
    if words > MAX_TALK_LINE_WORDS {
        let lower = raw.get(..13).unwrap_or_default().to_lowercase();
        return if lower.starts_with("presented by ") {
            presented_by(raw)
        } else {
            None
        };
    }
    // Every shape below pairs a title and a name with one of these marks, or is a short line of
    // names; a line of prose with none of them is read no further.
    let marked = raw.contains([':', '-', '–', '—', '"', '“', '«', '('])
        || matches!(line.block, Block::Item { ordered: true, .. })
        || raw.contains(" by ")
        || raw.contains(" with ")
        || raw.starts_with("With ")
        || raw.starts_with("Presented");
    if !marked && words > 8 {
        return None;
    }
    let (text, timed) = strip_slot_time(raw);
    let text = strip_length(text.trim());
    let (text, labelled) = match strip_talk_label(text) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    if let Some(rest) = text
        .strip_prefix("Title:")
        .or_else(|| text.strip_prefix("Title -"))
    {
        let title = rest.trim();
        return is_title_like(title).then(|| Reading::TitleLabel(title.to_string()));
    }
    // `**Title**, by Name: ...`: the emphasis is the title.
    if let Some(lead) = line.lead_emphasis.as_deref() {
        let lead = strip_slot_time(lead).0;
        let lead = strip_talk_label(lead).unwrap_or(lead);
        let rest = text.strip_prefix(lead).map(str::trim_start);
        if let Some(rest) = rest {
            let by = rest
                .strip_prefix(", by ")
                .or_else(|| rest.strip_prefix("by "))
                .or_else(|| rest.strip_prefix(", presented by "))
                .or_else(|| rest.strip_prefix("- "));
            if let Some(name) = by.and_then(names::clean_name) {
                return Some(Reading::Talk {
                    title: lead.to_string(),
                    names: vec![name],
                    orientation: Some(Orientation::NameLast),
                    weak: false,
                });
            }
        }
    }
    // A line that is one emphasis (`* *Demystifying SQLite with Python*`) is a title on its own; only
    // `**Talk: Title (Name)**` names a speaker inside it.
    let whole_emphasis = line
        .lead_emphasis
        .as_deref()
        .is_some_and(|lead| lead.trim() == raw.trim_matches(['*', '_', ' ']));
    if whole_emphasis {
        return parenthesised(text, true).or_else(|| names_only(raw).map(Reading::Names));
    }
    if let Some(reading) = quoted(text) {
        return Some(reading);
    }
    if let Some(reading) = parenthesised(text, labelled || timed || line.lead_emphasis.is_some()) {
        return Some(reading);
    }
    if let Some(reading) = presented_by(text) {
        return Some(reading);
    }
    if let Some(rest) = text.strip_prefix("With ") {
        return split_names(rest.split(',').next().unwrap_or(rest)).map(Reading::Presenter);
    }
    if let Some(reading) = separated(text) {
        return Some(reading);
    }
    if let Some(reading) = title_with_names(text) {
        return Some(reading);
    }
    if let Some(Block::Item { ordered: true, .. }) = Some(line.block) {
        // `4. Bridging the gap: ..., Courtney Kutzleb`: a numbered talk with its speaker after a comma.
        if let Some((title, name)) = text.rsplit_once(", ") {
            if names::looks_like_name(name) && name.split_whitespace().count() >= 2 {
                return Some(Reading::Talk {
                    title: title.to_string(),
                    names: vec![names::tidy_case(name)],
                    orientation: Some(Orientation::NameLast),
                    weak: false,
                });
            }
        }
    }
    if matches!(
        line.block,
        Block::Item { first: true, .. } | Block::Paragraph { .. }
    ) {
        let names = names_only(raw)?;
        return Some(Reading::Names(names));
    }
    None
}

/// A line that is nothing but a name, or names.
fn names_only(text: &str) -> Option<Vec<String>> {
    let text = text.trim_matches(|c: char| c == '*' || c == '_').trim();
    // The whole line, with only a pronoun or a handle after the name.
    let core = text.split(" (").next().unwrap_or(text);
    if core.contains([',', ':', '-']) && !core.contains(" & ") {
        return None;
    }
    split_names(core).filter(|n| n.iter().all(|name| name.split_whitespace().count() >= 2))
}

/// `Data Analysis with Pandas, with Jennifer Walker.` and `March 7, 2021 PursuedPyBear with Piper
/// Thunstrom & Jamie Bliss`: a short line that ends with the people who give it.
fn title_with_names(text: &str) -> Option<Reading> {
    let text = text.trim().trim_end_matches(['.', '!']);
    let at = text.rfind(" with ")?;
    let names = split_names(&text[at + " with ".len()..])?;
    let title = text[..at].trim().trim_end_matches(',').trim();
    // A leading date ("March 7, 2021 ") dates the line; it is not part of the title.
    let title = strip_leading_date(title);
    // A project's name may be written in lower case ("testbook with Matthew Seal").
    let one_word = !title.contains(' ') && title.chars().any(char::is_alphabetic);
    if title.split_whitespace().count() > 8 || !(is_title_like(title) || one_word) {
        return None;
    }
    Some(Reading::Talk {
        title: title.to_string(),
        names,
        orientation: Some(Orientation::NameLast),
        weak: false,
    })
}

/// `March 7, 2021 Title` without its date.
fn strip_leading_date(text: &str) -> &str {
    const MONTHS: &[&str] = &[
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut words = text.splitn(4, ' ');
    let (Some(month), Some(day), Some(year), Some(rest)) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return text;
    };
    let is_date = MONTHS.contains(&month.to_lowercase().as_str())
        && day.trim_end_matches(',').parse::<u32>().is_ok()
        && year.parse::<u32>().is_ok();
    if is_date {
        rest
    } else {
        text
    }
}

/// A single-session event (a workshop, a tutorial) whose opening lines name who leads it in a
/// sentence: "In this workshop lead by Brett Cannon, we will ...", "with Dr. Hazra Imran presenting
/// **Title**". Its one talk is titled like the event, or by the emphasised title the sentence gives.
pub fn single_session(body: &Body, event_title: &str) -> Option<Talk> {
    for line in body.lines.iter().take(6) {
        let text = line.text();
        // The emphasis may run past the end of the line.
        let raw = body.between(line.range.start, body.text.len());
        // ASCII case only: the offsets found in `lower` are used in `text`.
        let lower = text.to_ascii_lowercase();
        // "Name presenting **Title**"
        if let Some(at) = lower.find(" presenting ") {
            let before = &text[..at];
            let name_part = before.rsplit(" with ").next().unwrap_or(before);
            let title = raw
                .split_once("presenting **")
                .and_then(|(_, rest)| rest.split_once("**"))
                .map(|(title, _)| title.split_whitespace().collect::<Vec<_>>().join(" "));
            if let (Some(name), Some(title)) = (names::clean_name(name_part.trim()), title) {
                return Some(session(title, vec![name]));
            }
        }
        // "Join <their roles> Meghan Halton for a deep-ish dive ...": the capitalised words before " for ".
        if let (Some(rest), Some(at)) = (lower.strip_prefix("join "), lower.find(" for ")) {
            if at > 5 && rest.len() > at - 5 {
                let before = &text[5..at];
                let trailing: Vec<&str> = before
                    .split_whitespace()
                    .rev()
                    .take_while(|w| w.starts_with(char::is_uppercase))
                    .collect();
                if (2..=3).contains(&trailing.len()) {
                    let name: Vec<&str> = trailing.into_iter().rev().collect();
                    if let Some(name) = names::clean_name(&name.join(" ")) {
                        return Some(session(event_title.trim().to_string(), vec![name]));
                    }
                }
            }
        }
        for marker in [" lead by ", " led by ", " presented by ", " taught by "] {
            if let Some(at) = lower.find(marker) {
                let after = &text[at + marker.len()..];
                let clause = after.split([',', '.', ';', ':']).next().unwrap_or(after);
                if let Some(names) = split_names(clause) {
                    return Some(session(event_title.trim().to_string(), names));
                }
            }
        }
    }
    None
}

/// A panel or a session whose presenters are listed under a label ("**Panelist Profiles:**", then
/// `*Momoko Ueda*` and a bio for each): one session titled like the event, with everyone listed.
pub fn listed_presenters(body: &Body, event_title: &str) -> Option<Talk> {
    const LABELS: &[&str] = &[
        "panelists",
        "panelist profiles",
        "panel",
        "panellists",
        "speakers",
        "featured speakers",
        "presenters",
        "our speakers",
        "intervenants",
    ];
    let lines = &body.lines;
    let start = lines.iter().position(|l| {
        let text = l.text().to_lowercase();
        let label = text.trim().trim_matches(['*', '_', ':', ' ']).trim();
        LABELS.contains(&label)
    })?;
    let mut names = Vec::new();
    for line in &lines[start + 1..] {
        if line.is_heading() {
            break;
        }
        if let Some(Reading::Names(found)) = read_line(line) {
            names.extend(found);
        }
    }
    (names.len() >= 2).then(|| session(event_title.trim().to_string(), names))
}

fn session(title: String, names: Vec<String>) -> Talk {
    Talk {
        title,
        speakers: names
            .into_iter()
            .map(|name| Speaker { name, url: None })
            .collect(),
        length_minutes: None,
        language: None,
        abstract_md: None,
        recordings: Vec::new(),
    }
}

/// `"Title" - Name` and `Name - “Title”`.
fn quoted(text: &str) -> Option<Reading> {
    let (open, close) = [('“', '”'), ('"', '"'), ('«', '»')]
        .into_iter()
        .find(|(o, c)| {
            text.find(*o)
                .is_some_and(|at| text[at + o.len_utf8()..].contains(*c))
        })?;
    let start = text.find(open)?;
    let inner_start = start + open.len_utf8();
    let end = inner_start + text[inner_start..].find(close)?;
    let title = text[inner_start..end].trim();
    let before = text[..start]
        .trim()
        .trim_end_matches(['-', '–', '—', ':', ','])
        .trim();
    let after = text[end + close.len_utf8()..]
        .trim()
        .trim_start_matches(['-', '–', '—', ':', ','])
        .trim();
    let (names_text, orientation) = match (before.is_empty(), after.is_empty()) {
        (false, true) => (before, Orientation::NameFirst),
        (true, false) => (after, Orientation::NameLast),
        _ => return None,
    };
    let names = split_names(names_text)?;
    Some(Reading::Talk {
        title: title.to_string(),
        names,
        orientation: Some(orientation),
        weak: false,
    })
}

/// `Title (Name)`; single-word names only on a labelled or emphasised line (`**Talk: X (Mariatta)**`).
fn parenthesised(text: &str, strong: bool) -> Option<Reading> {
    let text = text.trim_end_matches(['*', '_']).trim();
    let inner_end = text.strip_suffix(')')?;
    let open = inner_end.rfind('(')?;
    let inner = &inner_end[open + 1..];
    let title = inner_end[..open].trim();
    if is_acronym_of(inner.trim(), title) {
        return None;
    }
    let names = split_names(inner)?;
    let single = names.iter().all(|n| !n.contains(' '));
    if title.is_empty() || single && !strong {
        return None;
    }
    Some(Reading::Talk {
        title: title.to_string(),
        names,
        orientation: Some(Orientation::NameLast),
        weak: false,
    })
}

/// Whether `short` is the initials of `title`'s capitalised words ("Breast Cancer Foundation (BCF)"):
/// an abbreviation in parentheses, not a speaker.
fn is_acronym_of(short: &str, title: &str) -> bool {
    let initials: String = title
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    short.chars().count() >= 2
        && short.chars().all(char::is_uppercase)
        && initials.eq_ignore_ascii_case(short)
}

/// `Title, presented by Name`, `Title by Name`, and a lone `Presented by Name, their role`.
fn presented_by(text: &str) -> Option<Reading> {
    // ASCII case only: the offsets found in `lower` are used in `text`.
    let lower = text.to_ascii_lowercase();
    let (at, len) = if lower.starts_with("presented by ") {
        (0, "presented by ".len())
    } else {
        [", presented by ", " presented by ", ", by ", " by "]
            .iter()
            .find_map(|m| lower.rfind(m).map(|at| (at, m.len())))?
    };
    let before = &text[..at];
    let previous_word = before
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_lowercase();
    if NOT_PRESENTING.contains(&previous_word.trim_matches(',')) {
        return None;
    }
    let after = &text[at + len..];
    // The name runs to the end of its clause: "Lisa N. Cao", "Tay Frost, the unprofessional ...".
    let clause = after.split([':', ';']).next().unwrap_or(after);
    let names = split_names(clause.split(", ").next().unwrap_or(clause))
        .or_else(|| names::clean_name(clause).map(|n| vec![n]))?;
    let title = before.trim().trim_end_matches([',', '-', '–', ':']).trim();
    if title.is_empty() {
        return Some(Reading::Presenter(names));
    }
    if !is_title_like(title) {
        return None;
    }
    Some(Reading::Talk {
        title: title.to_string(),
        names,
        orientation: Some(Orientation::NameLast),
        weak: false,
    })
}

/// `A - B` and `A: B`, one side a name.
fn separated(text: &str) -> Option<Reading> {
    let (at, len) = [" - ", " – ", " — ", ": "]
        .iter()
        .filter_map(|sep| text.find(sep).map(|at| (at, sep.len())))
        .min()?;
    let left = text[..at].trim();
    let right = text[at + len..].trim();
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let left_names = split_names(left);
    let right_names = split_names(right);
    let weak = |names: &[String]| names.iter().all(|n| !n.contains(' '));
    match (left_names, right_names) {
        (Some(names), None) => {
            // A title may end with a full stop ("... vs 2010s."), but then only a list of other
            // talks vouches for it: "Memory Allocators: Discover the variety ..." is a topic.
            let sentence = right.ends_with('.');
            let right = right.trim_end_matches('.');
            if is_role(right) || !is_title_like(right) {
                return None;
            }
            Some(Reading::Talk {
                title: right.to_string(),
                weak: weak(&names) || sentence,
                names,
                orientation: Some(Orientation::NameFirst),
            })
        }
        (None, Some(names)) => {
            if !is_title_like(left) || text[at..].starts_with(':') {
                return None;
            }
            Some(Reading::Talk {
                title: left.to_string(),
                weak: weak(&names),
                names,
                orientation: Some(Orientation::NameLast),
            })
        }
        // `Name: Title` is how a line-up is written; nobody writes `Title: Name`.
        (Some(names), Some(_)) if text[at..].starts_with(':') && is_title_like(right) => {
            Some(Reading::Talk {
                title: right.to_string(),
                weak: weak(&names),
                names,
                orientation: Some(Orientation::NameFirst),
            })
        }
        (Some(_), Some(_)) => Some(Reading::Ambiguous {
            left: left.to_string(),
            right: right.to_string(),
        }),
        (None, None) => None,
    }
}

/// A trailing length: ` - 10 minutes`, ` (20 min)`, `, 5 mins`.
fn strip_length(text: &str) -> &str {
    // ASCII case only: the offsets found in `lower` are used in `text`.
    let lower = text.to_ascii_lowercase();
    for unit in ["minutes", "minute", "mins", "min"] {
        let Some(stem) = lower.strip_suffix(unit).or_else(|| {
            lower
                .strip_suffix(')')
                .and_then(|l| l.trim_end().strip_suffix(unit))
        }) else {
            continue;
        };
        let stem = stem.trim_end();
        let digits = stem.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '–');
        if digits.len() == stem.len() {
            continue;
        }
        let cut = digits
            .trim_end()
            .trim_end_matches(['-', '–', '—', ',', '('])
            .trim_end();
        return &text[..cut.len()];
    }
    text
}

fn strip_talk_label(text: &str) -> Option<&str> {
    // ASCII case only: the label's length is used in `text`.
    let lower = text.to_ascii_lowercase();
    TALK_LABELS
        .iter()
        .find(|label| lower.starts_with(*label))
        .map(|label| text[label.len()..].trim_start())
}

fn strip_label(text: &str) -> String {
    let text = text.trim();
    strip_talk_label(text).unwrap_or(text).to_string()
}

/// Short enough for a title, and not a sentence, a URL, a time or a date.
fn is_title_like(text: &str) -> bool {
    let text = text.trim();
    let words = text.split_whitespace().count();
    (1..=25).contains(&words)
        && !text.contains("://")
        && !text.contains("; ")
        && !text.ends_with(['.', ':'])
        && text.chars().any(char::is_alphabetic)
        && !text.starts_with(|c: char| c.is_lowercase())
        && !strip_slot_time(text).1
        && !is_sentence(text)
        && !is_date_or_time(text)
}

/// Words a title does not end with: a clause cut off before its object ("... sessions on GitHub
/// given", "... organised by").
const DANGLING_WORDS: &[&str] = &[
    "given", "by", "on", "from", "of", "to", "with", "the", "a", "an", "and", "or", "for", "in",
    "at", "as", "into", "about", "is", "are", "will",
];

/// Modal verbs that, second in a line, make it a sentence ("Participants will need to bring ...").
const SENTENCE_VERBS: &[&str] = &[
    "will", "would", "should", "must", "can", "could", "need", "needs", "may", "shall",
];

/// Whether `text` reads as running text rather than a title: two sentences ("... hackathon. It is
/// ..."), a subject and a modal verb to open it, a dangling last word, or a long run of words with
/// none of the punctuation a long title has (`:`, ` - `, `?`, a parenthesis).
fn is_sentence(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let two_sentences = words.windows(2).any(|pair| {
        let stem = pair[0].trim_end_matches(['.', '!', '?']);
        pair[0].len() > stem.len()
            && pair[0].ends_with('.')
            && stem.chars().count() > 2
            && pair[1].starts_with(char::is_uppercase)
    });
    let modal_second = words
        .get(1)
        .is_some_and(|w| SENTENCE_VERBS.contains(&w.to_lowercase().as_str()));
    let last = words
        .last()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .unwrap_or_default();
    let dangling = words.len() > 1 && DANGLING_WORDS.contains(&last.as_str());
    let long_bare =
        words.len() > 15 && !text.contains([':', '?', '(', '–', '—', '|']) && !text.contains(" - ");
    two_sentences || modal_second || dangling || long_bare
}

/// Month and weekday names and their short forms, in lower case.
const CALENDAR_WORDS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
];

/// Whether `text` is only a date or a time of day ("6 Dec, 11.30am", "Tuesday 3 June"): an agenda's
/// when, not a talk's title.
fn is_date_or_time(text: &str) -> bool {
    let mut any = false;
    for word in text.split_whitespace() {
        let word =
            word.trim_matches(|c: char| matches!(c, ',' | '-' | '–' | '—' | '(' | ')' | '*'));
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        let suffix =
            lower.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '/' | ':'));
        let number = lower.starts_with(|c: char| c.is_ascii_digit())
            && ["", "st", "nd", "rd", "th", "am", "pm", "h"].contains(&suffix);
        let clock = super::agenda::slot_time(word).is_some();
        let calendar = CALENDAR_WORDS.contains(&lower.trim_end_matches('.'));
        if !(number || clock || calendar || lower == "am" || lower == "pm") {
            return false;
        }
        any = true;
    }
    any
}

fn is_role(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.len() <= 4 && words.iter().any(|w| ROLE_WORDS.contains(w))
}

/// A title without the quotes, emphasis and separators around it, and its white space folded.
fn tidy_title(title: &str) -> String {
    let title = title
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '"' | '“' | '”' | '«' | '»'))
        .trim()
        .trim_end_matches([',', '-', '–', '—', ':'])
        .trim();
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(markdown: &str) -> Vec<(String, Vec<String>)> {
        super::super::found::read_for_tests(markdown, |body, lookup| talks(body, lookup, &[]))
    }

    fn t(title: &str, names: &[&str]) -> (String, Vec<String>) {
        (
            title.to_string(),
            names.iter().map(std::string::ToString::to_string).collect(),
        )
    }

    #[test]
    fn speaker_first_lists_with_quotes_and_lengths() {
        let text = "\
- Julie Sturgeon - “Building neural networks with keras” - 10 minutes

- Brolin Empey - TBD - 15 minutes

- Peter Hunt - Image Recognition/Detection Demo - 5 minutes

- Sand Ip - Beautiful Soup - 15 minutes
";
        assert_eq!(
            read(text),
            [
                t("Building neural networks with keras", &["Julie Sturgeon"]),
                t("Image Recognition/Detection Demo", &["Peter Hunt"]),
                t("Beautiful Soup", &["Sand Ip"]),
            ]
        );
    }

    #[test]
    fn title_first_lists_and_roles() {
        let text = "\
- If I can become a speaker, so can you - Seb Vetter
- Python & Django at Copperleaf - Serena & Anna

**PyCascades team:**
Ben Berry - Conference Chair
Denny Perez - Program Chair
";
        assert_eq!(
            read(text),
            [
                t("If I can become a speaker, so can you", &["Seb Vetter"]),
                t("Python & Django at Copperleaf", &["Serena", "Anna"]),
            ]
        );
    }

    #[test]
    fn name_colon_title_lines_in_a_paragraph() {
        let text = "List of talks:\nIrene: Resources for Python beginners\nMariatta Wijaya: F-strings\nHolly Becker: VCR.py\n\nSkill level: Intermediate\nLocation: Zoom\n";
        assert_eq!(
            read(text),
            [
                t("Resources for Python beginners", &["Irene"]),
                t("F-strings", &["Mariatta Wijaya"]),
                t("VCR.py", &["Holly Becker"]),
            ]
        );
    }

    #[test]
    fn presented_by_and_trailing_by() {
        let text = "\
Scheduled talks:
The Serverless Birdnest
A short story about a big mistake.
Presented by Tay Frost, the unprofessional cloud lady (@awildtaybird)

Open source in Science: How transparency can revolutionize research by Lisa N. Cao

Thanks to Eventbase for the space, sponsored by Sauce Labs.

1. Introduction to automated testing with pytest, presented by Raphael Pierzina
2. Bridging the gap: Ladies Learning Code and Pyladies, Courtney Kutzleb
";
        assert_eq!(
            read(text),
            [
                t("The Serverless Birdnest", &["Tay Frost"]),
                t(
                    "Open source in Science: How transparency can revolutionize research",
                    &["Lisa N. Cao"]
                ),
                t(
                    "Introduction to automated testing with pytest",
                    &["Raphael Pierzina"]
                ),
                t(
                    "Bridging the gap: Ladies Learning Code and Pyladies",
                    &["Courtney Kutzleb"]
                ),
            ]
        );
    }

    #[test]
    fn parenthesised_and_emphasised_and_agenda_lines() {
        let text = "\
4 Tips to Visualize Behavior With Python Matplotlib (Ha Dinh)

7:10 PM: Mariatta: There's an API for That!

**Talk: Exploring Google APIs with Python (Wesley Chun)**

- **What Happens When Your Agent Has to Wait**, by Melanie Warrick: how durable execution works
";
        assert_eq!(
            read(text),
            [
                t(
                    "4 Tips to Visualize Behavior With Python Matplotlib",
                    &["Ha Dinh"]
                ),
                t("There's an API for That!", &["Mariatta"]),
                t("Exploring Google APIs with Python", &["Wesley Chun"]),
                t(
                    "What Happens When Your Agent Has to Wait",
                    &["Melanie Warrick"]
                ),
            ]
        );
    }

    #[test]
    fn names_on_their_own_line_then_the_title() {
        let text = "\
- TANUSHRI CHAKRAVORTY
The Mood Machine - Building an Emotion Detection system
- LACEY WILLIAMS HENSCHEL
When I started writing Django REST Framework code in 2017, there was a lot I didn't know.

+ Dr Chris Granade (they/them)
Title: Starting your quantum journey with Python
";
        assert_eq!(
            read(text),
            [
                t(
                    "The Mood Machine - Building an Emotion Detection system",
                    &["Tanushri Chakravorty"]
                ),
                t(
                    "Starting your quantum journey with Python",
                    &["Chris Granade"]
                ),
            ]
        );
    }

    #[test]
    fn schedules_labels_and_sentences_are_not_talks() {
        let text = "\
Schedule:
6:30 Doors open, networking/socializing
7:00 Vote on and watch talk 1

Doors: 6 PM
Talks start: 6:45 PM
CFP Opens: Monday, Dec 4, 2023
Website: fperez.org

Mentored sprints inspired by Tania Allard, PhD
Food will be provided, sponsored by Demonware.

* Matt Biilmann, CEO of Netlify
* Eric Johnson, Principal Developer Advocate at AWS
";
        assert_eq!(read(text), []);
    }

    #[test]
    fn dates_sentences_acronyms_and_agenda_words_are_not_talks() {
        let text = "\
* 6 Dec, 11.30am - Hackathon START
* 7 Dec, 13.50pm - Closing

**SET UP INSTRUCTIONS FOR PARTICIPANTS**
Participants will need to bring their own laptop with a Kali Linux virtual machine

- 7.00pm - 10.00pm: Talk & Tackle — Quantum Security

Following on from the previous two introductory sessions on GitHub given by Ann Lee

**Her Code, Her Cause** is a one-day hackathon. It is a community initiative by **Women Devs SG**

- **Breast Cancer Foundation (BCF)**

Talks by Gen-C (Generative AI Learning Community) - September 2025 edition

- 7.40pm: Remarks by Emil Tan, Div0 Co-Founder (5mins)
";
        assert_eq!(read(text), []);
        assert!(is_date_or_time("6 Dec, 11.30am"));
        assert!(is_date_or_time("Tuesday 3 June"));
        assert!(!is_date_or_time("Rust 2024"));
        assert!(is_sentence(
            "Following on from the previous two introductory sessions on GitHub given"
        ));
        assert!(!is_sentence("Threat Modeling 101: Is it Just STRIDE?"));
    }
}
