//! The calendar feed of the real rust.org.il events, read back by an independent parser (the `ical`
//! crate, not the `icalendar` crate that wrote it): every event is there once, with its title, its
//! local time in Asia/Jerusalem, its talks, speakers and link. Skips, saying why, where the corpus
//! is missing.

#[path = "support/corpus.rs"]
mod corpus;

use std::collections::HashMap;
use std::io::BufReader;

use chrono::NaiveDateTime;
use crier::catalog::Catalog;
use crier::feed::{self, Scope};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;

/// rust.org.il's events, or `None` (saying why) where the corpus is missing.
fn catalog() -> Option<Catalog> {
    let dir = corpus::corpus("rust.org.il/events")?;
    let catalog = corpus::load(&dir, chrono_tz::Asia::Jerusalem);
    assert!(!catalog.events.is_empty());
    Some(catalog)
}

/// The one calendar in `body`, as `ical` reads it.
///
/// `ical` 0.11 trims the end of every physical line before it unfolds them (its `LineReader`), so
/// where a line was folded just after a space, that space is lost ("Tomer " + "Cohen" reads as
/// "TomerCohen"). RFC 5545 §3.1 unfolding removes only the CRLF and the one space after it: give
/// `ical` the lines unfolded that way to compare values, and `parse_folded` checks that it reads the
/// folded file into the same components and properties.
fn parse(body: &str) -> IcalCalendar {
    parse_folded(&body.replace("\r\n ", "").replace("\r\n\t", ""))
}

/// The one calendar in `body` as it is, folded lines and all.
fn parse_folded(body: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(body.as_bytes()));
    let calendar = calendars
        .next()
        .expect("a calendar")
        .expect("ical reads the feed");
    assert!(calendars.next().is_none(), "one calendar only");
    calendar
}

fn property<'a>(event: &'a IcalEvent, name: &str) -> &'a Property {
    let found: Vec<_> = event.properties.iter().filter(|p| p.name == name).collect();
    assert_eq!(found.len(), 1, "one {name} in {:?}", event.properties);
    found[0]
}

fn value<'a>(event: &'a IcalEvent, name: &str) -> &'a str {
    property(event, name).value.as_deref().unwrap_or_default()
}

fn parameter<'a>(property: &'a Property, name: &str) -> Option<&'a str> {
    property
        .params
        .as_ref()?
        .iter()
        .find(|(key, _)| key == name)
        .and_then(|(_, values)| values.first())
        .map(String::as_str)
}

/// A TEXT value as written, with its escapes undone (`ical` leaves them in).
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn local(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").expect("a local DATE-TIME")
}

#[test]
fn every_rust_org_il_event_is_read_back_by_an_independent_parser() {
    let Some(catalog) = catalog() else {
        return;
    };
    let feed = feed::build(&catalog.events, &catalog.series, Scope::All, &|_| 0);
    assert_eq!(feed.events, catalog.events.len());
    let calendar = parse(&feed.body);
    assert_eq!(calendar.events.len(), catalog.events.len());
    // Read as it is, the folded file has the same events, properties and zones.
    let folded = parse_folded(&feed.body);
    let names = |c: &IcalCalendar| -> Vec<Vec<String>> {
        c.events
            .iter()
            .map(|e| e.properties.iter().map(|p| p.name.clone()).collect())
            .collect()
    };
    assert_eq!(names(&folded), names(&calendar));
    assert_eq!(folded.timezones.len(), calendar.timezones.len());
    for (a, b) in folded.events.iter().zip(&calendar.events) {
        assert_eq!(value(a, "UID"), value(b, "UID"));
        assert_eq!(value(a, "DTSTART"), value(b, "DTSTART"));
    }

    let by_uid: HashMap<&str, &IcalEvent> = calendar
        .events
        .iter()
        .map(|e| (value(e, "UID"), e))
        .collect();
    assert_eq!(by_uid.len(), calendar.events.len(), "the UIDs are distinct");

    for event in &catalog.events {
        let name = event.source.display();
        let written = by_uid
            .get(feed::uid(&event.id).as_str())
            .unwrap_or_else(|| panic!("{name}: no VEVENT with its UID"));
        assert_eq!(unescape(value(written, "SUMMARY")), event.title, "{name}");

        let start = property(written, "DTSTART");
        assert_eq!(parameter(start, "TZID"), Some("Asia/Jerusalem"), "{name}");
        let start_value = local(start.value.as_deref().unwrap_or_default());
        assert_eq!(
            start_value,
            event
                .start
                .with_timezone(&chrono_tz::Asia::Jerusalem)
                .naive_local(),
            "{name}"
        );
        let end = property(written, "DTEND");
        assert_eq!(parameter(end, "TZID"), Some("Asia/Jerusalem"), "{name}");
        assert!(
            local(end.value.as_deref().unwrap_or_default()) > start_value,
            "{name}: DTEND after DTSTART"
        );

        let description = unescape(value(written, "DESCRIPTION"));
        for talk in &event.talks {
            assert!(
                description.contains(&talk.title),
                "{name}: talk {:?} in {description:?}",
                talk.title
            );
            for speaker in &talk.speakers {
                assert!(
                    description.contains(&speaker.name),
                    "{name}: speaker {:?} in {description:?}",
                    speaker.name
                );
            }
        }
        if let Some(register) = &event.register {
            assert!(
                description.contains(&format!("Register: {register}")),
                "{name}"
            );
            assert_eq!(value(written, "URL"), register, "{name}");
        }
        let status = if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        assert_eq!(value(written, "STATUS"), status, "{name}");
        // Without a ledger (the closure gives 0): the file's modification time in whole minutes
        // since 2000-01-01 UTC, or 0 without one.
        let expected = event
            .modified
            .map_or(0, |t| (t.timestamp() - 946_684_800) / 60);
        assert_eq!(value(written, "SEQUENCE"), expected.to_string(), "{name}");
    }

    let zones: Vec<_> = calendar
        .timezones
        .iter()
        .filter_map(|z| z.properties.iter().find(|p| p.name == "TZID"))
        .filter_map(|p| p.value.as_deref())
        .collect();
    assert_eq!(zones, ["Asia/Jerusalem"]);
    let transitions = &calendar.timezones[0].transitions;
    assert!(transitions.len() > 2, "summer and winter time changes");
    for transition in transitions {
        for name in ["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"] {
            assert!(
                transition.properties.iter().any(|p| p.name == name),
                "{name} in {:?}",
                transition.properties
            );
        }
    }
}

/// The corpus has no Hebrew title yet: give its events some, long enough to be folded, and read them
/// back.
#[test]
fn hebrew_titles_are_read_back_whole() {
    let Some(catalog) = catalog() else {
        return;
    };
    let mut events = catalog.events.clone();
    for (i, event) in events.iter_mut().enumerate() {
        event.title = format!("מפגש ראסט מספר {i}: תכנות מערכות בטוח, מהיר ומקבילי בעברית");
        if let Some(talk) = event.talks.first_mut() {
            talk.title = format!("הרצאה {i}; על אסינכרוניות ועל מאקרו");
        }
    }
    let feed = feed::build(&events, &catalog.series, Scope::All, &|_| 0);
    let calendar = parse(&feed.body);
    for event in &events {
        let written = calendar
            .events
            .iter()
            .find(|e| value(e, "UID") == feed::uid(&event.id))
            .expect("the event");
        assert_eq!(unescape(value(written, "SUMMARY")), event.title);
        for talk in &event.talks {
            assert!(unescape(value(written, "DESCRIPTION")).contains(&talk.title));
        }
    }
    for line in feed.body.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
}

#[test]
fn every_line_of_the_rust_org_il_feed_ends_with_crlf_within_75_octets() {
    let Some(catalog) = catalog() else {
        return;
    };
    let body = feed::build(&catalog.events, &catalog.series, Scope::All, &|_| 0).body;
    assert!(body.ends_with("END:VCALENDAR\r\n"));
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    assert!(lines.len() > catalog.events.len() * 10);
    for line in lines {
        assert!(line.ends_with("\r\n"), "{line:?} ends with CRLF");
        let content = line.trim_end_matches("\r\n");
        assert!(!content.contains('\r'), "{line:?}");
        assert!(content.len() <= 75, "{} octets: {content:?}", content.len());
    }
    // The same catalog gives the same feed.
    let again = feed::build(&catalog.events, &catalog.series, Scope::All, &|_| 0).body;
    assert_eq!(body, again);
}
