//! The real event folders in `../shared/corpus/`, for the tests that read them.
//!
//! A test that needs a folder which is not on this machine says so and skips.

use std::path::{Path, PathBuf};

use crier::catalog::{Catalog, Settings};

/// `../shared/corpus/<folder>`, or `None` (with a line saying why the test skips) where it is missing.
pub fn corpus(folder: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(folder);
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!(
            "skipping: {} not found (the shared corpus is not on this machine)",
            path.display()
        );
        None
    }
}

/// Loads an events folder read in `zone`, asserting that no file has an error.
#[allow(dead_code)] // Not every test file that includes this module uses it.
pub fn load(events: &Path, zone: chrono_tz::Tz) -> Catalog {
    load_with(events, zone, None)
}

/// [`load`], with `[catalog] dates_timezone` set to `dates_zone`.
#[allow(dead_code)] // Not every test file that includes this module uses it.
pub fn load_with(events: &Path, zone: chrono_tz::Tz, dates_zone: Option<chrono_tz::Tz>) -> Catalog {
    let mut settings = Settings::for_events_dir(events);
    settings.timezone = zone;
    settings.dates_timezone = dates_zone;
    let catalog = crier::site_files::load(&settings).expect("the folder is readable");
    let errors: Vec<String> = catalog
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(std::string::ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "{}: errors:\n{}",
        events.display(),
        errors.join("\n")
    );
    catalog
}
