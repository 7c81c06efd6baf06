//! The `crier` binary: sets up logging, parses the arguments and runs the subcommand (`cli`).

use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    init_logging();
    crier::dispatch(crier::Cli::parse())
}

/// Logs go to stderr (stdout is for output), filtered by RUST_LOG; `CRIER_LOG_FORMAT=json` for JSON lines.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    // No colour codes where nobody sees colours (docker logs, files, CI).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(io::stderr().is_terminal())
        .with_writer(io::stderr);
    if std::env::var("CRIER_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}
