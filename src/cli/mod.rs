//! The command line's subcommands, one file each; `main.rs` parses the arguments and dispatches here.

pub mod catalog;
