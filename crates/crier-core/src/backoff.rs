//! Exponential backoff: the one rule every retry loop follows (an accept error, a Discord request,
//! a failed send, the Events tab's read), so none retries at once in a spin and none gives up.
//!
//! It is a value, not a loop: the caller asks for the next delay after a failure and resets it after
//! a success, and sleeps however it sleeps (a tokio timer, the announcer's timeline).

use std::time::Duration;

/// A delay that starts at `first`, doubles after each failure, and stays at `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    first: Duration,
    max: Duration,
    failures: u32,
}

impl Backoff {
    pub const fn new(first: Duration, max: Duration) -> Backoff {
        Backoff {
            first,
            max,
            failures: 0,
        }
    }

    /// The delay for the `attempt`-th failure in a row (1 for the first): `first` × 2^(attempt−1),
    /// at most `max`.
    pub fn delay_for(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.first
            .checked_mul(1u32 << doublings)
            .map_or(self.max, |d| d.min(self.max))
    }

    /// One more failure: the delay to wait before trying again.
    pub fn fail(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        self.delay_for(self.failures)
    }

    /// A success: the next failure waits `first` again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// Failures in a row since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_first_to_max_and_starts_over_after_a_success() {
        let mut backoff = Backoff::new(Duration::from_millis(5), Duration::from_secs(1));
        let delays: Vec<u128> = (0..10).map(|_| backoff.fail().as_millis()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
        assert_eq!(backoff.failures(), 10);
        backoff.reset();
        assert_eq!(backoff.fail(), Duration::from_millis(5));
    }

    #[test]
    fn never_overflows() {
        let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
        assert_eq!(backoff.delay_for(0), Duration::from_secs(1));
        assert_eq!(backoff.delay_for(9), Duration::from_secs(256));
        assert_eq!(backoff.delay_for(u32::MAX), Duration::from_secs(300));
    }
}
