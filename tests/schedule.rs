//! The announcer's decisions over simulated time: no clock, no files, no database.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use crier::catalog::Event;
use crier::schedule::{plan_event, Key, Kind, Memory, Plan, Rules, Timeline};

const H: u64 = 3600;
const D: u64 = 86400;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("rfc3339")
        .with_timezone(&Utc)
}

fn event(id: &str, start: &str) -> Event {
    Event {
        timezone: "Asia/Jerusalem".into(),
        online: Some(true),
        ..Event::new(
            id,
            format!("Event {id}"),
            DateTime::parse_from_rfc3339(start).expect("rfc3339"),
            format!("events/{id}.md"),
        )
    }
}

fn reminder(secs: u64) -> Kind {
    Kind::Reminder(Duration::from_secs(secs))
}

fn kinds(plan: &Plan) -> Vec<Kind> {
    plan.due.iter().map(|d| d.key.kind).collect()
}

fn skipped(plan: &Plan) -> Vec<Kind> {
    plan.skip.iter().map(|s| s.key.kind).collect()
}

/// Plans, then records everything due as sent: what a healthy announcer does.
fn step(e: &Event, ledger: &mut Memory, rules: &Rules, now: DateTime<Utc>) -> Plan {
    let plan = plan_event(e, ledger, rules, now);
    let sent: Vec<Key> = plan.due.iter().map(|d| d.key.clone()).collect();
    ledger.apply(&plan, &sent);
    plan
}

#[test]
fn first_sight_announces_new_arms_future_reminders_and_skips_past_ones() {
    let e = event("a", "2030-01-10T18:00:00+02:00");
    let rules = Rules::default();
    let mut ledger = Memory::default();
    // Seen 3 days before: the 7d reminder is already past.
    let now = at("2030-01-07T16:00:00Z");
    let plan = step(&e, &mut ledger, &rules, now);
    assert_eq!(kinds(&plan), [Kind::New]);
    assert_eq!(plan.due[0].due, now);
    assert_eq!(plan.due[0].deadline, at("2030-01-10T16:00:00Z"));
    assert_eq!(skipped(&plan), [reminder(7 * D)]);
    assert_eq!(plan.next_check, Some(at("2030-01-09T16:00:00Z")));
    assert_eq!(plan.pending.len(), 2);
    // Nothing more until the 1d reminder; then exactly it; then the 2h one.
    assert!(step(&e, &mut ledger, &rules, at("2030-01-09T15:59:59Z"))
        .due
        .is_empty());
    let plan = step(&e, &mut ledger, &rules, at("2030-01-09T16:00:00Z"));
    assert_eq!(kinds(&plan), [reminder(D)]);
    assert_eq!(plan.next_check, Some(at("2030-01-10T14:00:00Z")));
    let plan = step(&e, &mut ledger, &rules, at("2030-01-10T14:00:00Z"));
    assert_eq!(kinds(&plan), [reminder(2 * H)]);
    assert_eq!(plan.next_check, None);
    // Never twice.
    assert!(step(&e, &mut ledger, &rules, at("2030-01-10T15:00:00Z"))
        .due
        .is_empty());
}

#[test]
fn past_events_are_never_announced() {
    let e = event("a", "2030-01-10T18:00:00+02:00");
    let plan = plan_event(
        &e,
        &Memory::default(),
        &Rules::default(),
        at("2030-01-10T16:00:00Z"),
    );
    assert_eq!(
        plan,
        Plan {
            event_id: "a".into(),
            ..Plan::default()
        }
    );
}

#[test]
fn new_announcements_can_be_turned_off() {
    let e = event("a", "2030-01-10T18:00:00+02:00");
    let rules = Rules {
        announce_new: false,
        ..Rules::default()
    };
    let plan = plan_event(&e, &Memory::default(), &rules, at("2030-01-01T00:00:00Z"));
    assert!(plan.due.is_empty());
    assert_eq!(plan.pending.len(), 3);
}

#[test]
fn per_event_reminders_override_and_false_means_none() {
    let mut e = event("a", "2030-01-10T18:00:00+02:00");
    e.reminders = Some(vec![Duration::from_secs(30)]);
    let plan = plan_event(
        &e,
        &Memory::default(),
        &Rules::default(),
        at("2030-01-01T00:00:00Z"),
    );
    assert_eq!(plan.pending.len(), 1);
    assert_eq!(plan.next_check, Some(at("2030-01-10T15:59:30Z")));
    e.reminders = Some(Vec::new());
    let plan = plan_event(
        &e,
        &Memory::default(),
        &Rules::default(),
        at("2030-01-01T00:00:00Z"),
    );
    assert!(plan.pending.is_empty() && plan.next_check.is_none());
}

#[test]
fn a_week_of_downtime_posts_only_the_latest_reminder_within_its_grace() {
    let e = event("a", "2030-01-20T18:00:00+02:00");
    let rules = Rules::default();
    let mut ledger = Memory::default();
    step(&e, &mut ledger, &rules, at("2030-01-01T00:00:00Z"));
    // Down from Jan 1 until 1h45m before the start: 7d, 1d and 2h are all overdue.
    let plan = step(&e, &mut ledger, &rules, at("2030-01-20T14:15:00Z"));
    // 2h is 15 min late, within its grace of 30 min: posted; the others are superseded.
    assert_eq!(kinds(&plan), [reminder(2 * H)]);
    assert_eq!(plan.due[0].due, at("2030-01-20T14:00:00Z"));
    assert_eq!(plan.due[0].deadline, at("2030-01-20T14:30:00Z"));
    assert_eq!(skipped(&plan), [reminder(7 * D), reminder(D)]);
    assert!(plan.skip.iter().all(|s| s.reason.contains("superseded")));
}

#[test]
fn a_reminder_beyond_its_grace_is_skipped_with_the_reason() {
    let e = event("a", "2030-01-20T18:00:00+02:00");
    let rules = Rules::default();
    let mut ledger = Memory::default();
    step(&e, &mut ledger, &rules, at("2030-01-01T00:00:00Z"));
    // 1d reminder due Jan 19 16:00; its grace is 6h. Back at 23:00: 7h late.
    let plan = step(&e, &mut ledger, &rules, at("2030-01-19T23:00:00Z"));
    assert!(plan.due.is_empty());
    assert_eq!(skipped(&plan), [reminder(7 * D), reminder(D)]);
    assert!(
        plan.skip[1]
            .reason
            .contains("missed: 7h late, beyond its grace of 6h"),
        "{}",
        plan.skip[1].reason
    );
    // The 2h reminder still comes.
    assert_eq!(plan.next_check, Some(at("2030-01-20T14:00:00Z")));
}

#[test]
fn grace_is_a_quarter_of_the_offset_at_most_12h_or_configured() {
    let rules = Rules::default();
    assert_eq!(
        rules.grace_for(Duration::from_secs(2 * H)),
        Duration::from_secs(30 * 60)
    );
    assert_eq!(
        rules.grace_for(Duration::from_secs(D)),
        Duration::from_secs(6 * H)
    );
    assert_eq!(
        rules.grace_for(Duration::from_secs(7 * D)),
        Duration::from_secs(12 * H)
    );
    let fixed = Rules {
        grace: Some(Duration::from_secs(60)),
        ..Rules::default()
    };
    assert_eq!(
        fixed.grace_for(Duration::from_secs(7 * D)),
        Duration::from_secs(60)
    );
}

#[test]
fn a_start_moved_earlier_past_a_sent_reminder_is_rescheduled_and_rearmed() {
    let mut e = event("a", "2030-01-20T18:00:00+02:00");
    let rules = Rules::default();
    let mut ledger = Memory::default();
    step(&e, &mut ledger, &rules, at("2030-01-01T00:00:00Z"));
    let plan = step(&e, &mut ledger, &rules, at("2030-01-19T16:00:00Z"));
    assert_eq!(kinds(&plan), [reminder(D)]);
    // Moved earlier, to 20 hours from now: the new 1d reminder is already past, the 2h one is armed.
    e.start = DateTime::parse_from_rfc3339("2030-01-20T14:00:00+02:00").expect("rfc3339");
    let now = at("2030-01-19T16:00:00Z");
    let plan = step(&e, &mut ledger, &rules, now);
    assert_eq!(kinds(&plan), [Kind::Rescheduled]);
    assert_eq!(plan.due[0].previous_start, Some(at("2030-01-20T16:00:00Z")));
    assert_eq!(plan.due[0].key.start, at("2030-01-20T12:00:00Z"));
    assert_eq!(skipped(&plan), [reminder(7 * D), reminder(D)]);
    assert_eq!(plan.next_check, Some(at("2030-01-20T10:00:00Z")));
    // One notice only.
    assert!(step(&e, &mut ledger, &rules, now).due.is_empty());
    assert_eq!(
        kinds(&step(&e, &mut ledger, &rules, at("2030-01-20T10:00:00Z"))),
        [reminder(2 * H)]
    );
}

#[test]
fn a_move_before_anything_was_posted_is_silent() {
    let mut e = event("a", "2030-01-20T18:00:00+02:00");
    let rules = Rules {
        announce_new: false,
        ..Rules::default()
    };
    let mut ledger = Memory::default();
    step(&e, &mut ledger, &rules, at("2030-01-01T00:00:00Z"));
    e.start = DateTime::parse_from_rfc3339("2030-01-21T18:00:00+02:00").expect("rfc3339");
    let plan = step(&e, &mut ledger, &rules, at("2030-01-02T00:00:00Z"));
    assert!(plan.due.is_empty());
    assert_eq!(plan.track, Some(at("2030-01-21T16:00:00Z")));
}

#[test]
fn cancelled_gets_one_notice_only_if_announced() {
    let mut e = event("a", "2030-01-20T18:00:00+02:00");
    let rules = Rules::default();
    let mut ledger = Memory::default();
    step(&e, &mut ledger, &rules, at("2030-01-01T00:00:00Z"));
    e.cancelled = true;
    let plan = step(&e, &mut ledger, &rules, at("2030-01-02T00:00:00Z"));
    assert_eq!(kinds(&plan), [Kind::Cancelled]);
    assert!(
        plan.pending.is_empty(),
        "no reminders for a cancelled event"
    );
    assert!(step(&e, &mut ledger, &rules, at("2030-01-03T00:00:00Z"))
        .due
        .is_empty());
    // Never announced, then cancelled: nothing at all.
    let mut quiet = event("b", "2030-01-20T18:00:00+02:00");
    quiet.cancelled = true;
    let plan = plan_event(
        &quiet,
        &Memory::default(),
        &rules,
        at("2030-01-01T00:00:00Z"),
    );
    assert!(plan.due.is_empty() && plan.pending.is_empty());
}

#[test]
fn a_crash_before_the_send_was_recorded_posts_it_on_restart() {
    let e = event("a", "2030-01-20T18:00:00+02:00");
    let rules = Rules::default();
    let mut ledger = Memory::default();
    // The plan is tracked, but the send never recorded (crash): the new announcement is still due.
    let plan = plan_event(&e, &ledger, &rules, at("2030-01-01T00:00:00Z"));
    ledger.apply(&plan, &[]);
    let again = plan_event(&e, &ledger, &rules, at("2030-01-01T00:00:05Z"));
    assert_eq!(kinds(&again), [Kind::New]);
}

#[test]
fn reminders_are_exact_durations_across_dst() {
    // Berlin springs forward on 2030-03-31 at 02:00. An event at 19:00 CEST that evening: the 1d reminder
    // is 24 hours earlier, 18:00 CET on the wall; the 2h reminder is at 17:00 CEST.
    let mut e = event("a", "2030-03-31T19:00:00+02:00");
    e.timezone = "Europe/Berlin".into();
    let plan = plan_event(
        &e,
        &Memory::default(),
        &Rules::default(),
        at("2030-03-01T00:00:00Z"),
    );
    let dues: Vec<String> = plan
        .pending
        .iter()
        .map(|p| p.due.with_timezone(&chrono_tz::Europe::Berlin).to_rfc3339())
        .collect();
    assert_eq!(
        dues,
        [
            "2030-03-24T18:00:00+01:00",
            "2030-03-30T18:00:00+01:00",
            "2030-03-31T17:00:00+02:00"
        ]
    );
}

#[test]
fn timeline_wakes_for_the_earliest_and_moves_events() {
    let mut t = Timeline::default();
    let t1 = Utc
        .with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
        .single()
        .expect("t1");
    let t2 = Utc
        .with_ymd_and_hms(2030, 1, 2, 0, 0, 0)
        .single()
        .expect("t2");
    t.set("a", Some(t2));
    t.set("b", Some(t1));
    assert_eq!(t.next_wake(), Some(t1));
    t.set("b", Some(t2 + chrono::Duration::days(1)));
    assert_eq!(t.next_wake(), Some(t2));
    assert_eq!(t.take_due(t2), ["a"]);
    assert_eq!(t.len(), 1);
    t.set("b", None);
    assert!(t.is_empty());
    assert_eq!(t.next_wake(), None);
}

#[test]
fn kind_keys_round_trip() {
    for kind in [
        Kind::New,
        reminder(7200),
        Kind::Rescheduled,
        Kind::Cancelled,
        Kind::Digest,
    ] {
        assert_eq!(Kind::from_key(&kind.key()), Some(kind));
    }
    assert_eq!(Kind::from_key("reminder:x"), None);
}
