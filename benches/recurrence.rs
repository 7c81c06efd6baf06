//! Expanding 1,000 weekly series (started two years before "now", a day of the week each) into their
//! occurrences within reach, as every reload does. Target: under 10 ms.

use chrono::{DateTime, Utc};
use crier::catalog::recurrence::{self, Past, RuleSpec, Series};
use crier::catalog::{Event, DEFAULT_REACH};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn series(i: usize) -> Series {
    let start = DateTime::parse_from_rfc3339("2028-01-03T19:00:00+02:00").expect("rfc3339")
        + chrono::Duration::minutes(i as i64 % 120);
    let template = Event {
        timezone: "Asia/Jerusalem".into(),
        online: Some(true),
        language: Some("English".into()),
        register: Some(format!("https://example.org/series/{i}")),
        ..Event::new(
            format!("series-{i}"),
            format!("Weekly {i}"),
            start,
            format!("events/series-{i}.md"),
        )
    };
    let spec = RuleSpec {
        written: "weekly".into(),
        rrule: format!("FREQ=WEEKLY;BYDAY={}", DAYS[i % 7]),
        until: None,
        count: None,
        except: Vec::new(),
    };
    Series::new(template, &spec, chrono_tz::Asia::Jerusalem)
        .expect("a valid rule")
        .0
}

fn bench(c: &mut Criterion) {
    let all: Vec<Series> = (0..1000).map(series).collect();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2030-01-01T12:00:00Z")
        .expect("rfc3339")
        .with_timezone(&Utc);
    let events = recurrence::expand(&all, now, DEFAULT_REACH, Past::Recent);
    assert!(events.len() >= 5000, "{} occurrences", events.len());
    c.bench_function("expand 1,000 weekly series", |b| {
        b.iter(|| recurrence::expand(black_box(&all), now, DEFAULT_REACH, Past::Recent));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
