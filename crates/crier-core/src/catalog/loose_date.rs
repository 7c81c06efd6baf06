//! Dates as people write them in prose and in themes' free-text keys: day-first and month-first
//! numbers (`14/08/2025`, `08/14/2025`), month names in the sites' languages (`Thursday, 14 August
//! 2025`, `mardi 10 février 2026 à 19h00`, `14. August 2025, 19 Uhr`), and the labelled line of a
//! body that gives an event's date (`**Date:** ...`, `Fecha: ...`).
//!
//! These are the fallbacks: a front-matter `date` in ISO form is read by [`super::datetime`]. A
//! numeric date whose order cannot be told (`03/04/2025`) is read day-first and marked
//! [`Order::Ambiguous`], so that the catalog can let the site's other files decide.

use chrono::{NaiveDate, NaiveTime};

use super::datetime::parse_clock;

/// Which way a numeric date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// ISO, or a month written as a word: no doubt.
    Certain,
    /// The first number is above 12: day first.
    DayFirst,
    /// The second number is above 12: month first.
    MonthFirst,
    /// Both could be a month: read day-first; the month-first reading is the other.
    Ambiguous,
}

/// A date read from free text, with its time if one follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LooseDate {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub order: Order,
}

impl LooseDate {
    /// The month-first reading of an ambiguous date.
    pub fn month_first(&self) -> Option<NaiveDate> {
        use chrono::Datelike;
        (self.order == Order::Ambiguous)
            .then(|| NaiveDate::from_ymd_opt(self.date.year(), self.date.day(), self.date.month()))
            .flatten()
    }
}

/// Month names and their common abbreviations: English, French, German, Spanish, Dutch, Italian,
/// Portuguese.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("janvier", 1),
    ("januar", 1),
    ("enero", 1),
    ("januari", 1),
    ("gennaio", 1),
    ("janeiro", 1),
    ("february", 2),
    ("feb", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("februar", 2),
    ("febrero", 2),
    ("februari", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("march", 3),
    ("mar", 3),
    ("mars", 3),
    ("märz", 3),
    ("marz", 3),
    ("marzo", 3),
    ("maart", 3),
    ("março", 3),
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("abril", 4),
    ("aprile", 4),
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("mei", 5),
    ("maggio", 5),
    ("maio", 5),
    ("june", 6),
    ("jun", 6),
    ("juin", 6),
    ("juni", 6),
    ("junio", 6),
    ("giugno", 6),
    ("junho", 6),
    ("july", 7),
    ("jul", 7),
    ("juillet", 7),
    ("juli", 7),
    ("julio", 7),
    ("luglio", 7),
    ("julho", 7),
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("augustus", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setembro", 9),
    ("settembre", 9),
    ("october", 10),
    ("oct", 10),
    ("octobre", 10),
    ("oktober", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("outubro", 10),
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dec", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("dezember", 12),
    ("diciembre", 12),
    ("dicembre", 12),
    ("dezembro", 12),
];

/// Labels that introduce an event's date on a line of its body.
const DATE_LABELS: &[&str] = &[
    "date",
    "event date",
    "when",
    "fecha",
    "datum",
    "quand",
    "data",
    "wann",
    "cuándo",
    "cuando",
    "date et heure",
    "date and time",
    "fecha y hora",
];

fn month(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, m)| *m)
}

/// Reads the first date in `text`, and the time after it if there is one.
pub fn parse(text: &str) -> Option<LooseDate> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        if let Some((date, order)) = numeric(word) {
            return Some(LooseDate {
                date,
                time: time_after(&words[i + 1..]),
                order,
            });
        }
        // `14 August 2025`, `14. August 2025`, `14 de agosto de 2025`
        if let Some(day) = day_number(word) {
            let mut j = i + 1;
            if words.get(j).is_some_and(|w| *w == "de") {
                j += 1;
            }
            if let Some(m) = words.get(j).and_then(|w| month(w)) {
                let mut k = j + 1;
                if words.get(k).is_some_and(|w| *w == "de") {
                    k += 1;
                }
                if let Some(year) = words.get(k).and_then(|w| year_number(w)) {
                    let date = NaiveDate::from_ymd_opt(year, m, day)?;
                    return Some(LooseDate {
                        date,
                        time: time_after(&words[k + 1..]),
                        order: Order::Certain,
                    });
                }
            }
        }
        // `August 14, 2025`, `August 14th 2025`
        if let Some(m) = month(word) {
            if let (Some(day), Some(year)) = (
                words.get(i + 1).and_then(|w| day_number(w)),
                words.get(i + 2).and_then(|w| year_number(w)),
            ) {
                let date = NaiveDate::from_ymd_opt(year, m, day)?;
                return Some(LooseDate {
                    date,
                    time: time_after(&words[i + 3..]),
                    order: Order::Certain,
                });
            }
        }
    }
    None
}

/// `14/08/2025`, `08/14/2025`, `14.08.2025`, `14-08-2025` (a four-digit year last), or ISO.
fn numeric(word: &str) -> Option<(NaiveDate, Order)> {
    let word = word.trim_end_matches(['.', ':', ';']);
    if let Some((date, rest)) = super::datetime::parse_ymd(word) {
        return rest.is_empty().then_some((date, Order::Certain));
    }
    let parts: Vec<&str> = word.split(['/', '.', '-']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let a: u32 = parts[0].parse().ok()?;
    let b: u32 = parts[1].parse().ok()?;
    let year: i32 = parts[2].parse().ok()?;
    if !(1..=2).contains(&parts[0].len()) || !(1..=2).contains(&parts[1].len()) {
        return None;
    }
    let (day, month, order) = match (a > 12, b > 12) {
        (true, false) => (a, b, Order::DayFirst),
        (false, true) => (b, a, Order::MonthFirst),
        (false, false) => (
            a,
            b,
            if a == b {
                Order::Certain
            } else {
                Order::Ambiguous
            },
        ),
        (true, true) => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day).map(|d| (d, order))
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word
        .trim_end_matches('.')
        .trim_end_matches(|c: char| c.is_alphabetic());
    (!digits.is_empty() && digits.len() <= 2)
        .then(|| digits.parse().ok())
        .flatten()
        .filter(|d| (1..=31).contains(d))
}

fn year_number(word: &str) -> Option<i32> {
    let word = word.trim_end_matches(['.', ',', ':']);
    (word.len() == 4)
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1990..=2200).contains(y))
}

/// A time among the few words after a date: `18:30`, `7pm`, `7:30 PM`, `19h00`, `19h`, `19 Uhr`.
fn time_after(words: &[&str]) -> Option<NaiveTime> {
    let near = &words[..words.len().min(4)];
    for (i, word) in near.iter().enumerate() {
        let word = word.trim_matches(|c: char| matches!(c, '(' | ')' | '*' | '_'));
        let lower = word.to_lowercase();
        // `19 Uhr`, `19.30 Uhr`
        if near
            .get(i + 1)
            .is_some_and(|w| w.eq_ignore_ascii_case("uhr"))
        {
            if let Some(time) = lower
                .parse::<u32>()
                .ok()
                .and_then(|h| NaiveTime::from_hms_opt(h, 0, 0))
            {
                return Some(time);
            }
        }
        // `7 pm`
        if let Some(next) = near.get(i + 1) {
            let next = next.to_lowercase();
            if next == "pm" || next == "am" {
                if let Some(time) = parse_clock(&format!("{lower}{next}")) {
                    return Some(time);
                }
            }
        }
        if let Some(time) = parse_clock(&lower) {
            if lower.contains([':', 'm']) {
                return Some(time);
            }
        }
        // `19h00`, `19h`
        if let Some((h, m)) = lower.split_once('h') {
            let hour = h.parse::<u32>().ok().filter(|_| (1..=2).contains(&h.len()));
            let minute = if m.is_empty() {
                Some(0)
            } else {
                m.parse::<u32>().ok()
            };
            if let (Some(hour), Some(minute)) = (hour, minute) {
                return NaiveTime::from_hms_opt(hour, minute, 0);
            }
        }
    }
    None
}

/// The date a labelled line of a body gives (`**Date:** Thursday, 14 August 2025`, `Fecha: 12/03/2024
/// 19:00`), with the line's number (1-based, within the body). Only a line that starts with a label
/// counts: a date in a sentence may be any date (a deadline, the last meetup).
pub fn labelled_in_body(body: &str) -> Option<(LooseDate, usize)> {
    body.lines().enumerate().find_map(|(i, line)| {
        let line = line
            .trim()
            .trim_start_matches(['*', '-', '#', '>', ' ', '_']);
        let (label, rest) = line.split_once(':')?;
        let label = label.trim().trim_matches(['*', '_']).trim().to_lowercase();
        if !DATE_LABELS.contains(&label.as_str()) {
            return None;
        }
        parse(rest.trim_start_matches(['*', '_', ' '])).map(|d| (d, i + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn numeric_dates_day_first_month_first_and_ambiguous() {
        let day_first = parse("14/08/2025").expect("date");
        assert_eq!(
            (day_first.date, day_first.order),
            (ymd(2025, 8, 14), Order::DayFirst)
        );
        let month_first = parse("08/14/2025").expect("date");
        assert_eq!(
            (month_first.date, month_first.order),
            (ymd(2025, 8, 14), Order::MonthFirst)
        );
        let either = parse("03.04.2025").expect("date");
        assert_eq!(
            (either.date, either.order),
            (ymd(2025, 4, 3), Order::Ambiguous)
        );
        assert_eq!(either.month_first(), Some(ymd(2025, 3, 4)));
        assert_eq!(parse("14/14/2025"), None);
    }

    #[test]
    fn month_names_in_several_languages_with_a_time() {
        let en = parse("Thursday, 14 August 2025, 6:30pm").expect("en");
        assert_eq!(
            (en.date, en.time),
            (ymd(2025, 8, 14), NaiveTime::from_hms_opt(18, 30, 0))
        );
        let us = parse("August 14th, 2025 at 7 pm").expect("us");
        assert_eq!(
            (us.date, us.time),
            (ymd(2025, 8, 14), NaiveTime::from_hms_opt(19, 0, 0))
        );
        let fr = parse("Mardi 10 Février 2026 à 19h00").expect("fr");
        assert_eq!(
            (fr.date, fr.time),
            (ymd(2026, 2, 10), NaiveTime::from_hms_opt(19, 0, 0))
        );
        let de = parse("14. August 2025, 19 Uhr").expect("de");
        assert_eq!(
            (de.date, de.time),
            (ymd(2025, 8, 14), NaiveTime::from_hms_opt(19, 0, 0))
        );
        let es = parse("12 de marzo de 2024").expect("es");
        assert_eq!((es.date, es.time), (ymd(2024, 3, 12), None));
    }

    #[test]
    fn a_labelled_body_line_gives_the_date_and_prose_does_not() {
        let body = "Join us!\n\n**Event Date:** Thursday, 14 August 2025\n**Time:** 6:30pm\n";
        let (date, line) = labelled_in_body(body).expect("labelled");
        assert_eq!((date.date, line), (ymd(2025, 8, 14), 3));
        assert_eq!(
            labelled_in_body("The CFP closes on 14 August 2025, hurry."),
            None
        );
        let (fecha, _) = labelled_in_body("Fecha: 12/03/2024 19:00").expect("fecha");
        assert_eq!(
            (fecha.date, fecha.time),
            (ymd(2024, 3, 12), NaiveTime::from_hms_opt(19, 0, 0))
        );
    }
}
