//! The folder source: follows the events, presentations, people and speakers folders with `notify`,
//! debounced, and says "reload" ([`Change::Files`]).
//!
//! File events get lost on container bind mounts, so this is only the fast path: the run loop also
//! rescans every `rescan_interval`.
//!
//! One watcher serves the whole process ([`Hub`]): each site's watch is a subscription to it.
//!
//! Only changes count. inotify also reports a file being opened and read, and each reload opens
//! every file, so counting those would make every reload cause the next, forever.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tracing::warn;

use super::Change;

/// Keeps the watch alive while held; dropping it stops this watch's messages.
pub struct Watch {
    id: u64,
    debounce: tokio::task::JoinHandle<()>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.debounce.abort();
        let mut hub = hub();
        if let Some(hub) = hub.as_mut() {
            hub.unsubscribe(self.id);
        }
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

/// One watcher for the whole process, shared by every site's folders (and the message overrides):
/// Linux allows a user 128 inotify instances by default, and notify runs a thread per watcher, so a
/// process with a thousand sites cannot have one each. Each event goes to the watches whose folders
/// hold its path.
struct Hub {
    watcher: RecommendedWatcher,
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
    next_id: u64,
}

struct Subscriber {
    id: u64,
    dirs: Vec<PathBuf>,
    tx: mpsc::Sender<()>,
}

static HUB: Mutex<Option<Hub>> = Mutex::new(None);

fn hub() -> MutexGuard<'static, Option<Hub>> {
    HUB.lock().unwrap_or_else(PoisonError::into_inner)
}

fn lock(subscribers: &Mutex<Vec<Subscriber>>) -> MutexGuard<'_, Vec<Subscriber>> {
    subscribers.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    fn start() -> notify::Result<Hub> {
        let subscribers: Arc<Mutex<Vec<Subscriber>>> = Arc::default();
        let routed = subscribers.clone();
        let watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
            match result {
                // A full channel already holds a pending reload: nothing is lost by dropping this one.
                Ok(event) if is_change(&event.kind) => {
                    for subscriber in lock(&routed).iter() {
                        let concerned = event
                            .paths
                            .iter()
                            .any(|path| subscriber.dirs.iter().any(|dir| path.starts_with(dir)));
                        if concerned {
                            let _ = subscriber.tx.try_send(());
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    warn!(error = %e, "file watching failed; changes are picked up by the periodic rescan");
                }
            }
        })?;
        Ok(Hub {
            watcher,
            subscribers,
            next_id: 0,
        })
    }

    /// Stops a watch, and watching the folders no other watch wants.
    fn unsubscribe(&mut self, id: u64) {
        let mut subscribers = lock(&self.subscribers);
        let Some(at) = subscribers.iter().position(|s| s.id == id) else {
            return;
        };
        let gone = subscribers.remove(at);
        for dir in gone.dirs {
            if !subscribers.iter().any(|s| s.dirs.contains(&dir)) {
                // The folder may be gone already, and with it the kernel's watch.
                let _ = self.watcher.unwatch(&dir);
            }
        }
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
    // Absolute, as notify reports the paths of events (it makes a relative folder absolute).
    let dirs: Vec<PathBuf> = dirs
        .iter()
        .filter(|d| d.is_dir())
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone()))
        .collect();
    let id = {
        let mut guard = hub();
        let hub = match guard.as_mut() {
            Some(hub) => hub,
            None => guard.insert(Hub::start()?),
        };
        for dir in &dirs {
            hub.watcher.watch(dir, RecursiveMode::Recursive)?;
        }
        hub.next_id += 1;
        lock(&hub.subscribers).push(Subscriber {
            id: hub.next_id,
            dirs,
            tx: raw_tx,
        });
        hub.next_id
    };
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
    Ok((Watch { id, debounce }, rx))
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
