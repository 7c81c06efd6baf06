//! Test support shared by the integration tests that run the real binary.
//!
//! - [`crier`]: the one way tests start `crier` (run, or a one-shot command), stop it and read it.
//! - [`site`]: a temporary site folder, its event files written whole.
//! - [`http`]: a loopback HTTP client for crier's endpoints.
//! - [`fake_discord`]: a fake Discord (REST and gateway) on 127.0.0.1 for crier's Discord mode.
//! - [`git_server`]: a real git server (`git http-backend`) on 127.0.0.1, and commits to serve.
//! - [`openapi`]: checks recorded requests against Discord's OpenAPI description.
//! - [`postgres`]: a throwaway PostgreSQL server on 127.0.0.1, with a real password.
//!
//! Each test binary uses only part of this, so unused items are expected.
#![allow(dead_code)]

pub mod crier;
pub mod fake_discord;
pub mod git_server;
pub mod http;
pub mod openapi;
pub mod postgres;
pub mod site;
