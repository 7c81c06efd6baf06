//! People's names as organisers write them in running text: what counts as a name, and how to take
//! one out of the words around it ("Tay Frost, the unprofessional cloud lady (@awildtaybird)").
//!
//! Body readers only accept a speaker when the words look like a person's name, so that "Skill level:
//! Intermediate" or "Notes - [video](url)" are never read as talks.

/// Words that start a label line (`Location: Zoom`) or a role (`Ben Berry - Conference Chair`) and are
/// never part of a person's name. Lower case; English and French, the languages of the sites crier
/// has been tried on.
const NOT_NAME_WORDS: &[&str] = &[
    "about",
    "address",
    "agenda",
    "april",
    "august",
    "bio",
    "bios",
    "break",
    "buffet",
    "capacity",
    "ceo",
    "cfp",
    "chair",
    "closing",
    "code",
    "conference",
    "contact",
    "cost",
    "cto",
    "date",
    "dates",
    "day",
    "december",
    "details",
    "doors",
    "dinner",
    "drinks",
    "duration",
    "email",
    "event",
    "events",
    "february",
    "food",
    "founder",
    "friday",
    "github",
    "hosted",
    "intro",
    "introduction",
    "january",
    "july",
    "june",
    "keynote",
    "language",
    "length",
    "level",
    "linkedin",
    "location",
    "lunch",
    "march",
    "mastodon",
    "may",
    "meetup",
    "monday",
    "networking",
    "note",
    "notes",
    "november",
    "october",
    "opening",
    "organizer",
    "organizers",
    "organiser",
    "organisers",
    "panel",
    "parking",
    "pizza",
    "program",
    "python",
    "q&a",
    "questions",
    "registration",
    "requirements",
    "rsvp",
    "saturday",
    "schedule",
    "september",
    "setup",
    "skill",
    "slides",
    "snacks",
    "speaker",
    "speakers",
    "sponsor",
    "sponsors",
    "sunday",
    "support",
    "talk",
    "talks",
    "team",
    "thanks",
    "thursday",
    "ticket",
    "tickets",
    "time",
    "title",
    "topic",
    "topics",
    "tuesday",
    "twitter",
    "venue",
    "video",
    "videos",
    "volunteer",
    "website",
    "wednesday",
    "welcome",
    "when",
    "where",
    "who",
    "workshop",
    "youtube",
    "accueil",
    "pause",
    "lieu",
    "détails",
    "soirée",
    "présentation",
    // Words of an agenda written in capitals ("Hackathon START", "SET UP INSTRUCTIONS FOR
    // PARTICIPANTS"): a name in capitals is only told from them by the words themselves.
    "start",
    "starts",
    "end",
    "ends",
    "hackathon",
    "instructions",
    "participants",
    "remarks",
    "session",
    "sessions",
    "ceremony",
    "award",
    "awards",
    "supper",
    // Words that join a phrase and sit in no name (a name's own small words are the particles).
    "for",
    "with",
    "to",
    "of",
    "the",
    "and",
    "in",
    "on",
    // Roles after a name ("Zeng Linlin, MLOps Engineer").
    "engineer",
    "developer",
    "manager",
    "director",
    "architect",
    "consultant",
    "scientist",
    "researcher",
    // Subjects of talks, never part of a name ("Talk & Tackle — Quantum Security").
    "security",
    "quantum",
    "cloud",
    "data",
    "software",
    "engineering",
];

/// Words that open a title, never a name ("The Mood Machine", "How I learned...").
const TITLE_OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "le",
    "la",
    "les",
    "l'",
    "un",
    "une",
    "my",
    "our",
    "your",
    "how",
    "why",
    "what",
    "when",
    "where",
    "who",
    "intro",
    "introduction",
    "building",
    "using",
    "getting",
    "learning",
    "exploring",
    "beyond",
    "from",
    "into",
    "on",
    "in",
    "is",
    "are",
    "can",
    "do",
    "does",
    "this",
    "it",
];

/// Lower-case words that may sit inside a name (`Ludwig van Beethoven`, `Maxence Germain de
/// Montauzan`).
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "das", "del", "della", "di", "du", "la", "le", "el",
    "bin", "ibn", "al", "ten", "ter", "y", "e", "dos",
];

/// Titles before a name that are not part of it.
const HONORIFICS: &[&str] = &[
    "dr", "dr.", "prof", "prof.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.",
];

/// Whether `text` reads as one person's name: one to five words, each capitalised (or a particle, or
/// written in capitals), no digits, and no word that labels a line or names a role.
pub fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(1..=5).contains(&words.len()) || text.ends_with([':', ',']) {
        return false;
    }
    let mut capitalised = 0;
    for (i, word) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        if i == 0 && TITLE_OPENERS.contains(&lower.as_str()) {
            return false;
        }
        if NOT_NAME_WORDS.contains(&lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '&'))
        {
            return false;
        }
        if i > 0 && PARTICLES.contains(&lower.as_str()) {
            continue;
        }
        let ok_chars = word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'));
        if !ok_chars || !word.starts_with(char::is_uppercase) {
            return false;
        }
        capitalised += 1;
    }
    // A sentence ends with a full stop; a name may end with an initial ("Lisa N.").
    let last = words[words.len() - 1];
    let sentence_end = words.len() > 1 && last.ends_with('.') && last.chars().count() > 2;
    capitalised > 0 && !sentence_end
}

/// The name in `text` with what surrounds it taken off: an honorific before it, and after it a
/// role, a company, a pronoun or a handle (`, CEO`, ` from Microsoft`, ` (they/them)`, ` @ Intel`).
/// `None` when what is left does not look like a name.
pub fn clean_name(text: &str) -> Option<String> {
    // What follows the name: a role, a company, a handle, pronouns.
    const CUTS: &[&str] = &[
        " (", ", ", " - ", " – ", " — ", " from ", " of ", " at ", " @", " | ", " / ", " who ",
        " is ", " will ", ": ",
    ];
    let text = text.trim();
    // One scan for the first place any of them starts (this runs on every candidate line of a body).
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ' ' | ',' | ':') && CUTS.iter().any(|cut| text[i..].starts_with(cut))
        })
        .map_or(text.len(), |(i, _)| i);
    let name = text[..end]
        .trim()
        .trim_matches(|c: char| {
            matches!(c, '*' | '_' | '"' | '“' | '”' | '?' | '!' | ':' | ',' | ';')
        })
        .trim();
    let name = strip_honorific(name);
    let name = name
        .strip_suffix('.')
        .filter(|n| {
            // Keep the dot of a trailing initial ("Lisa N."), drop a sentence's full stop.
            n.rsplit(' ').next().is_none_or(|w| w.chars().count() != 1)
        })
        .unwrap_or(name);
    looks_like_name(name).then(|| tidy_case(name))
}

fn strip_honorific(name: &str) -> &str {
    match name.split_once(' ') {
        Some((first, rest)) if HONORIFICS.contains(&first.to_lowercase().as_str()) => rest.trim(),
        _ => name,
    }
}

/// `TANUSHRI CHAKRAVORTY` as `Tanushri Chakravorty`: names written in capitals for emphasis. Mixed
/// case is kept as written (`McKendree`, `Kim-Adeline`).
pub fn tidy_case(name: &str) -> String {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    let shouting = letters.len() > 3 && letters.iter().all(|c| c.is_uppercase());
    if !shouting {
        return name.to_string();
    }
    name.split(' ')
        .map(|word| {
            let mut out = String::new();
            let mut start = true;
            for c in word.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = matches!(c, '-' | '\'');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Several names joined by `,`, `&`, `and`, `et`, `und`: each cleaned, or `None` when any part is not
/// a name (so "Python & Django" is not read as two people).
pub fn split_names(text: &str) -> Option<Vec<String>> {
    let parts = joined_parts(text);
    if parts.is_empty() {
        return None;
    }
    parts.into_iter().map(clean_name).collect()
}

/// What joins names in a list: `,`, `&`, and the word for "and" in the sites' languages. The longer
/// forms come first, so that ", and " is one joiner, not "," then "and ".
const JOINERS: &[&str] = &[
    ", and ", ", et ", ",", " & ", " and ", " et ", " und ", " y ",
];

/// `text` cut at every joiner, each part trimmed, empty parts left out.
fn joined_parts(text: &str) -> Vec<&str> {
    let joiners = JOINERS;
    let text = text.trim();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // One pass: at each place a joiner starts, cut.
    let bytes = text.as_bytes();
    while i < text.len() {
        // Every joiner starts with `,`, `&` or a space: only there can one start.
        let candidate = matches!(bytes[i], b',' | b'&' | b' ');
        match joiners
            .iter()
            .find(|j| candidate && text[i..].starts_with(**j))
        {
            Some(joiner) => {
                parts.push(text[start..i].trim());
                i += joiner.len();
                start = i;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The names in a run of text that joins them (`, `, ` et `, ` and `, `&`), leaving out the parts that
/// are not names ("par (entre autres) : Ann Lee, Bo Chen et vous" names Ann Lee and Bo Chen).
pub fn names_in(text: &str) -> Vec<String> {
    let text = text.trim().trim_start_matches([':', ',', '-', '–']);
    // A parenthesis inside the list ("(entre autres)") is an aside.
    let mut cleaned = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    let text = cleaned.trim().trim_start_matches([':', ' ']);
    joined_parts(text)
        .into_iter()
        .filter_map(|part| clean_name(part).or_else(|| lenient_name(part)))
        .collect()
}

/// After "Par" or "By", two or three words that open with a capital are a name even when the rest is
/// written in lower case ("Par Sreenu doosari").
fn lenient_name(part: &str) -> Option<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    let plain_words = words.iter().all(|w| {
        w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\''))
    });
    ((2..=3).contains(&words.len())
        && plain_words
        && words[0].starts_with(char::is_uppercase)
        && !NOT_NAME_WORDS.contains(&words[0].to_lowercase().as_str())
        && !TITLE_OPENERS.contains(&words[0].to_lowercase().as_str()))
    .then(|| words.join(" "))
}

/// Text between two linked names that only joins them.
pub fn is_joiner(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "" | "," | "&" | "and" | "et" | "und" | ", and" | ", et" | "/"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_not_names() {
        for name in [
            "Ronen Cohen",
            "Lisa N. Cao",
            "Fernando Pérez",
            "Maxence Germain de Montauzan",
            "Small-Yellow-Duck",
            "Mariatta",
            "TANUSHRI CHAKRAVORTY",
            "Kim-Adeline Miguel",
        ] {
            assert!(looks_like_name(name), "{name}");
        }
        for text in [
            "Skill Level",
            "Conference Chair",
            "the organisers",
            "decoupling storage from compute.",
            "Python & Django",
            "Doors open at 6PM",
            "Image Recognition/Detection Demo",
            "Location",
        ] {
            assert!(!looks_like_name(text), "{text}");
        }
    }

    #[test]
    fn text_around_a_name_is_not_part_of_it() {
        for (text, name) in [
            (
                "Tay Frost, the unprofessional cloud lady (@awildtaybird)",
                "Tay Frost",
            ),
            ("Dr Chris Granade (they/them)", "Chris Granade"),
            ("Tomer Cohen from Microsoft", "Tomer Cohen"),
            (
                "Fernando Pérez, Lawrence Berkeley National Laboratory",
                "Fernando Pérez",
            ),
            ("Lisa N. Cao.", "Lisa N. Cao"),
            ("TANUSHRI CHAKRAVORTY", "Tanushri Chakravorty"),
        ] {
            assert_eq!(clean_name(text).as_deref(), Some(name), "{text}");
        }
        assert_eq!(clean_name("the team"), None);
    }

    #[test]
    fn several_names() {
        assert_eq!(
            split_names("Serena & Anna"),
            Some(vec!["Serena".to_string(), "Anna".to_string()])
        );
        assert_eq!(
            split_names("Ann Lee, Bo Chen et Cy Dee"),
            Some(vec!["Ann Lee".into(), "Bo Chen".into(), "Cy Dee".into()])
        );
        assert_eq!(split_names("Python & Django at Copperleaf"), None);
    }
}
