//! Test support shared by the integration tests that run the real binary.
//!
//! - [`fake_discord`]: a fake Discord (REST and gateway) on 127.0.0.1, for running the real
//!   `crier` binary, or a plain serenity client, against it.
//! - [`bot`]: the real `crier run` binary against the fake.
//! - [`app`]: the real `crier run --json` in console mode, its announcements read back.
//! - [`git_server`]: a real git server (`git http-backend`) on 127.0.0.1, and commits to serve.
//! - [`process`]: the binary's log, and waiting for it.
//! - [`openapi`]: checks recorded requests against Discord's OpenAPI description.
//!
//! Each test binary uses only part of this, so unused items are expected.
#![allow(dead_code)]

pub mod app;
pub mod bot;
pub mod fake_discord;
pub mod git_server;
pub mod openapi;
pub mod process;
