//! When crier calls itself unhealthy: rules shared by what measures (the git source counts its
//! failed fetches) and what reports (`/healthz` through [`crate::app::telemetry`]). They live here so that
//! the reporting side never imports the source, nor the source the reporting side's internals.

/// Failed fetches in a row after which the git source is stale and `/healthz` says so. One or two
/// failures are a network blip; meanwhile crier announces from the last tree fetched.
pub const STALE_AFTER: u32 = 3;

/// Whether `failures` failed fetches in a row make the git source stale.
pub fn source_stale(failures: u32) -> bool {
    failures >= STALE_AFTER
}
