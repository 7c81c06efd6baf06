//! The folder source: follows the events, presentations, people and speakers folders with `notify`,
//! debounced, and says "reload" ([`Change::Files`]).
//!
//! File events get lost on container bind mounts, so this is only the fast path: the run loop also
//! rescans every `rescan_interval`.
//!
//! Only changes count. inotify also reports a file being opened and read, and each reload opens
//! every file, so counting those would make every reload cause the next, forever.

use std::path::PathBuf;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tracing::warn;

use super::Change;

/// Keeps the watch alive while held.
pub struct Watch {
    _watcher: RecommendedWatcher,
    debounce: tokio::task::JoinHandle<()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.debounce.abort();
    }
}

/// Whether an event is a change to the files (a write, a create, a rename, a delete), rather than
/// someone reading them.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches `dirs` (those that exist). Each burst of changes sends one message on the returned
/// channel, `debounce` after the burst's first event (a `git pull` writes many files at once).
/// Must be called within the tokio runtime.
pub fn watch(
    dirs: &[PathBuf],
    debounce: Duration,
) -> notify::Result<(Watch, mpsc::Receiver<Change>)> {
    let (raw_tx, mut raw_rx) = mpsc::channel::<()>(1);
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        match result {
            // A full channel already holds a pending reload: nothing is lost by dropping this one.
            Ok(event) if is_change(&event.kind) => {
                let _ = raw_tx.try_send(());
            }
            Ok(_) => {}
            Err(e) => {
                warn!(error = %e, "file watching failed; changes are picked up by the periodic rescan");
            }
        }
    })?;
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        watcher.watch(dir, RecursiveMode::Recursive)?;
    }
    let (tx, rx) = mpsc::channel(1);
    let debounce = tokio::spawn(async move {
        while raw_rx.recv().await.is_some() {
            tokio::time::sleep(debounce).await;
            while raw_rx.try_recv().is_ok() {}
            if tx.send(Change::Files).await.is_err() {
                break;
            }
        }
    });
    Ok((
        Watch {
            _watcher: watcher,
            debounce,
        },
        rx,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind};

    #[test]
    fn reading_a_file_is_not_a_change_and_writing_one_is() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Read)));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Remove(RemoveKind::File)));
    }
}
