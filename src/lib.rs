//! crier: announces community meetups from the event files a meetup keeps in its website repository.
//!
//! The heart is pure and testable: [`catalog`] reads event files into a typed catalog with the problems
//! of each file. The command line in `main.rs` only wires the parts together.

pub mod announcer;
pub mod catalog;
pub mod commands;
pub mod config;
pub mod discord;
pub mod events_tab;
pub mod feed;
pub mod health;
pub mod http;
pub mod ledger;
pub mod recordings;
pub mod render;
pub mod routing;
pub mod run;
pub mod schedule;
pub mod secret;
pub mod sink;
pub mod source;
pub mod status;
pub mod telemetry;
pub mod webhook;
