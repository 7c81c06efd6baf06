//! Dates as crier writes them itself (the console, the digest's text, the feed's description), in
//! each locale's month and day names and order. Discord posts use Discord's own timestamps instead,
//! which every reader's client shows in their zone and language.

use chrono::{DateTime, FixedOffset};

use super::Locale;

/// The strftime patterns of a date with its time, and of a date alone, in a locale's order.
fn patterns(locale: Locale) -> (&'static str, &'static str) {
    match locale {
        // Thu 14 Jan 2027, 18:30
        Locale::En => ("%a %-d %b %Y, %H:%M", "%a %-d %b %Y"),
        // יום חמישי, 14 בינואר 2027, 18:30
        Locale::He => ("יום %A, %-d ב%B %Y, %H:%M", "יום %A, %-d ב%B %Y"),
        // jeu. 14 janv. 2027, 18:30
        Locale::Fr => ("%a %-d %b %Y, %H:%M", "%a %-d %b %Y"),
        // Do, 14. Jan 2027, 18:30
        Locale::De => ("%a, %-d. %b %Y, %H:%M", "%a, %-d. %b %Y"),
        // jue 14 ene 2027, 18:30
        Locale::Es => ("%a %-d %b %Y, %H:%M", "%a %-d %b %Y"),
    }
}

/// `at` in its own offset, with the time when it is known.
pub fn format(at: DateTime<FixedOffset>, time_known: bool, locale: Locale) -> String {
    let (with_time, date_only) = patterns(locale);
    let pattern = if time_known { with_time } else { date_only };
    at.format_localized(pattern, locale.chrono()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_locale_names_days_and_months_in_its_own_words() {
        let at = DateTime::parse_from_rfc3339("2027-01-14T18:30:00+02:00").expect("date");
        let cases = [
            (Locale::En, "Thu 14 Jan 2027, 18:30"),
            (Locale::He, "יום חמישי, 14 בינואר 2027, 18:30"),
            (Locale::Fr, "jeu. 14 janv. 2027, 18:30"),
            (Locale::De, "Do, 14. Jan 2027, 18:30"),
            (Locale::Es, "jue 14 ene 2027, 18:30"),
        ];
        for (locale, expected) in cases {
            assert_eq!(format(at, true, locale), expected, "{locale}");
        }
        assert_eq!(format(at, false, Locale::Fr), "jeu. 14 janv. 2027");
    }
}
