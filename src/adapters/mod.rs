//! The edges: everything that touches the world outside the process. Each adapter turns the core's
//! plans into I/O, or the world's input into the core's values, and decides nothing of its own.
//!
//! - [`site_files`]: lists and reads a site's event, presentation and people files for the catalog.
//! - [`source`]: where the site comes from (a watched folder, or a followed git repository).
//! - [`ledger`]: the record of what was announced (SQLite, or PostgreSQL shared by several processes).
//! - [`http`]: `/healthz`, `/metrics`, `/events.ics` and the push webhook.
//! - [`console`]: announcements on standard output.
//! - [`discord`]: posting, the slash commands, and the Events-tab executor.

pub mod console;
pub mod discord;
pub mod http;
pub mod ledger;
pub mod override_files;
pub mod site_files;
pub mod source;
