//! The app: the run loop and the orchestration that applies the core's plans through the adapters,
//! with the bot's status and telemetry.
//!
//! - [`run_loop`]: `crier run`'s loop: one timer, woken by changes, signals and the next due post.
//! - [`announcer`]: applies the schedule's decisions, writes the ledger, sends through a [`sink`].
//! - [`sink`]: the port announcements leave through (console or Discord).
//! - [`status`]: what the bot knows now, shared read-only with commands and health.
//! - [`health`]: when the bot counts as unhealthy (a stale source).
//! - [`leadership`]: with a shared PostgreSQL ledger, leading or standing by.
//! - [`telemetry`]: the Prometheus metrics.

pub mod announcer;
pub mod health;
pub mod leadership;
pub mod run_loop;
pub mod sink;
pub mod status;
pub mod telemetry;
