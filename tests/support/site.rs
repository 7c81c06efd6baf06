//! A site for crier to read: a temporary folder with `events/`, whose files are written whole (by a
//! rename, as editors and git write them, so the watcher never sees half a file).

use std::path::Path;

use chrono::{DateTime, Utc};

use super::crier::{Builder, Crier};

pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("events")).expect("events/");
        Site { dir }
    }

    /// A site with these event files (names in `events/`, texts).
    pub fn with_events<F: AsRef<str>, T: AsRef<str>>(
        files: impl IntoIterator<Item = (F, T)>,
    ) -> Site {
        let site = Site::new();
        for (file, text) in files {
            site.event(file.as_ref(), text.as_ref());
        }
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `events/<file>`.
    pub fn event(&self, file: &str, text: &str) {
        self.write(&format!("events/{file}"), text);
    }

    /// Writes `<folder>/<file>`: an event file of another events folder than `events/` (each site
    /// of `[[sites]]` has its own, e.g. `a/events`).
    pub fn event_in(&self, folder: &str, file: &str, text: &str) {
        self.write(&format!("{folder}/{file}"), text);
    }

    /// Writes `path` (in the site) whole.
    pub fn write(&self, path: &str, text: &str) {
        let to = self.path().join(path);
        // Beside the folder crier watches, not in it.
        let tmp = self.path().join(format!(".{}.tmp", path.replace('/', "_")));
        std::fs::create_dir_all(to.parent().expect("a folder")).expect("mkdir");
        std::fs::write(&tmp, text).expect("write");
        std::fs::rename(&tmp, &to).expect("rename");
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).expect("remove");
    }

    /// crier in this site.
    pub fn crier(&self) -> Builder {
        Crier::builder(self.path())
    }
}

/// `n` whole seconds from now (event files give times to the second).
pub fn in_secs(n: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp() + n, 0).expect("valid")
}
