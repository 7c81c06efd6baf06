//! The schedule with 100,000 events and 3 offsets: the next wake-up, and applying a one-file change
//! (re-planning one event and moving it in the timeline). Targets: both under 10 ms.

use chrono::{DateTime, FixedOffset, Utc};
use crier::catalog::Event;
use crier::schedule::{plan_event, Memory, Rules, Timeline};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn event(i: usize, base: DateTime<FixedOffset>) -> Event {
    Event {
        timezone: "Asia/Jerusalem".into(),
        online: Some(i.is_multiple_of(2)),
        language: Some("Hebrew".into()),
        register: Some(format!("https://example.org/events/{i}")),
        ..Event::new(
            format!("https://example.org/events/{i}"),
            format!("Event {i}"),
            base + chrono::Duration::minutes(i as i64 * 7),
            format!("events/{i}.md"),
        )
    }
}

fn bench(c: &mut Criterion) {
    let base = DateTime::parse_from_rfc3339("2030-01-01T18:00:00+02:00").expect("rfc3339");
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2029-12-01T00:00:00Z")
        .expect("rfc3339")
        .with_timezone(&Utc);
    let rules = Rules::default();
    let events: Vec<Event> = (0..100_000).map(|i| event(i, base)).collect();
    let mut ledger = Memory::default();
    let mut timeline = Timeline::default();
    for e in &events {
        let plan = plan_event(e, &ledger, &rules, now);
        let sent: Vec<_> = plan.due.iter().map(|d| d.key.clone()).collect();
        ledger.apply(&plan, &sent);
        timeline.set(&e.id, plan.next_check);
    }
    assert_eq!(timeline.len(), 100_000);

    c.bench_function("schedule_100k/next_wake", |b| {
        b.iter(|| black_box(timeline.next_wake()));
    });

    let mut moved = events[50_000].clone();
    let mut flip = false;
    c.bench_function("schedule_100k/apply_one_file_change", |b| {
        b.iter(|| {
            // The file's start moves by an hour, back and forth: a reschedule each time.
            flip = !flip;
            let shift = if flip { 1 } else { -1 };
            moved.start += chrono::Duration::hours(shift);
            let plan = plan_event(&moved, &ledger, &rules, now);
            let sent: Vec<_> = plan.due.iter().map(|d| d.key.clone()).collect();
            ledger.apply(&plan, &sent);
            timeline.set(&moved.id, plan.next_check);
            black_box(timeline.next_wake())
        });
    });

    c.bench_function("schedule_100k/plan_all", |b| {
        b.iter(|| {
            let mut wake = None;
            for e in &events {
                let plan = plan_event(e, &ledger, &rules, now);
                wake = wake.min(plan.next_check).or(plan.next_check);
            }
            black_box(wake)
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
