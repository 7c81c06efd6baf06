//! crier: announces community meetups from the event files a meetup keeps in its website repository.
//!
//! This crate is the house around the pure heart, [`crier_core`], which decides everything (the
//! catalog, what is due, where it goes, what it says, the feed, the sync plans) and does no I/O. Here:
//!
//! - `app`: the run loop and the orchestration that applies the core's plans, status and telemetry;
//! - `adapters`: the edges (the site's files, the folder and git sources, the ledger (SQLite or PostgreSQL), HTTP,
//!   the console, Discord);
//! - `cli`: the subcommands `main.rs` dispatches to;
//! - [`config`]: the configuration, from `config.toml` and the environment;
//! - [`secret`]: secrets read from files, never shown.
//!
//! The modules are private; what the binary, the tests and the benches use is re-exported below under
//! one name each.

mod adapters;
mod app;
mod cli;
pub mod config;
pub mod secret;

pub use crier_core::{
    catalog, events_tab, feed, recordings, render, routing, schedule, text, webhook,
};

pub use adapters::{console, discord, http, ledger, site_files, source};
pub use app::{announcer, health, run_loop, sink, status, telemetry};
pub use cli::{dispatch, Cli};
