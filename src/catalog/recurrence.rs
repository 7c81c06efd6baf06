//! Recurring events: a file with `repeat:` is a series, expanded into one event per occurrence.

use chrono::{DateTime, FixedOffset};

use super::model::Event;

/// A recurring event as its file gives it, kept whole for the calendar feed (which writes it once, as
/// an RRULE), beside the occurrences that the catalog lists as events of their own.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The series' identity (`id:`, else the registration link, else the file).
    pub id: String,
    /// The series as one event: its first occurrence's start and the file's details; `id` is the
    /// series' identity and `occurrence` is `None`.
    pub template: Event,
    /// The rule as an RRULE value, as the feed writes it (`UNTIL` in UTC): `FREQ=MONTHLY;BYDAY=2TU`.
    pub rule: String,
    /// The starts of the occurrences that `except:` skips.
    pub exceptions: Vec<DateTime<FixedOffset>>,
    /// Occurrences that a dated file (`series: <id>`) replaced or cancelled, however far off.
    pub overrides: Vec<Override>,
}

/// One occurrence replaced by a dated file.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The start the occurrence has by the rule (the feed's `RECURRENCE-ID`).
    pub recurrence_id: DateTime<FixedOffset>,
    /// The occurrence as the file gives it, with the series' details where it gives none; its
    /// `occurrence` is set, and `cancelled` when the file cancels it.
    pub event: Event,
}
