//! The folder source: follows the events, presentations, people and speakers folders with `notify`,
//! debounced, and says "reload" ([`Change::Files`]).
//!
//! File events get lost on container bind mounts, so this is only the fast path: the run loop also
//! rescans every `rescan_interval`.

use std::path::PathBuf;
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use tokio::sync::mpsc;
use tracing::warn;

use super::Change;

/// Keeps the watch alive while held.
pub struct Watch {
    _debouncer: Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
}

/// Watches `dirs` (those that exist). Each burst of changes sends one message on the returned channel.
pub fn watch(
    dirs: &[PathBuf],
    debounce: Duration,
) -> notify::Result<(Watch, mpsc::Receiver<Change>)> {
    let (tx, rx) = mpsc::channel(1);
    let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| match result {
        // A full channel already holds a pending reload: nothing is lost by dropping this one.
        Ok(_) => {
            let _ = tx.try_send(Change::Files);
        }
        Err(e) => {
            warn!(error = %e, "file watching failed; changes are picked up by the periodic rescan")
        }
    })?;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        debouncer.watcher().watch(dir, RecursiveMode::Recursive)?;
    }
    Ok((
        Watch {
            _debouncer: debouncer,
        },
        rx,
    ))
}
