//! The organiser's override files (`[messages] dir`, one `<locale>.ftl` per language): read, checked
//! by the core, and kept at their last good version while a broken one is being fixed.
//!
//! A file with a Fluent syntax error is not used: its locale keeps the file's last version that
//! parsed (the built-in messages, if none did), and the error is logged once, not at every rescan.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tracing::{error, info, warn};

use crier_core::l10n::overrides::{self, Finding};
use crier_core::l10n::{locale, Locale, Override, Wording};

/// One file of the override folder, read and checked.
#[derive(Debug, Clone)]
pub struct OverrideFile {
    pub path: PathBuf,
    /// The language its name says (`fr.ftl`); `None` for a name that is no language crier has.
    pub locale: Option<Locale>,
    pub text: String,
    pub findings: Vec<Finding>,
}

impl OverrideFile {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.error)
    }
}

/// Reads every `.ftl` file in `dir`, sorted by name. A folder that does not exist holds none.
pub fn read(dir: &Path) -> std::io::Result<Vec<OverrideFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl") && p.is_file())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path)?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let locale = Locale::from_code(&stem);
        let (text, mut findings) = match String::from_utf8(bytes) {
            Ok(text) => {
                let findings = overrides::check(&text);
                (text, findings)
            }
            Err(_) => (
                String::new(),
                vec![Finding {
                    error: true,
                    line: 1,
                    column: 1,
                    message: "the file is not UTF-8 text; save it as UTF-8".into(),
                }],
            ),
        };
        if locale.is_none() {
            findings.insert(
                0,
                Finding {
                    error: false,
                    line: 1,
                    column: 1,
                    message: format!(
                        "`{stem}` is not a language crier has messages in, so this file is never used; name it after one of {} (like `fr.ftl`)",
                        locale::codes()
                    ),
                },
            );
        }
        files.push(OverrideFile {
            path,
            locale,
            text,
            findings,
        });
    }
    Ok(files)
}

/// The override folder as the run loop follows it: the wording of the last good files.
pub struct Overrides {
    dir: Option<PathBuf>,
    /// The text in use for each locale.
    good: BTreeMap<Locale, String>,
    /// The problems already logged (file and text), so each is logged once while it lasts.
    logged: HashSet<String>,
    /// Whether the wording was built from the folder yet.
    built: bool,
    wording: Arc<Wording>,
}

impl Overrides {
    /// Reads the folder (if there is one) and builds the wording from it.
    pub fn load(dir: Option<&Path>) -> Overrides {
        let mut overrides = Overrides {
            dir: dir.map(Path::to_path_buf),
            good: BTreeMap::new(),
            logged: HashSet::new(),
            built: false,
            wording: Wording::builtin(),
        };
        overrides.refresh();
        overrides
    }

    /// The wording in use.
    pub fn wording(&self) -> Arc<Wording> {
        self.wording.clone()
    }

    /// The folder, to watch.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Reads the folder again. Returns the new wording when a file's usable text changed.
    pub fn refresh(&mut self) -> Option<Arc<Wording>> {
        let dir = self.dir.clone()?;
        let files = match read(&dir) {
            Ok(files) => files,
            Err(e) => {
                self.log_once(format!("read {e}"), || {
                    warn!(dir = %dir.display(), error = %e, "cannot read the message overrides; keeping the last good ones");
                });
                return None;
            }
        };
        let mut good = BTreeMap::new();
        let mut current = HashSet::new();
        for file in &files {
            for finding in &file.findings {
                let text = format!(
                    "{}:{}:{}: {}",
                    file.path.display(),
                    finding.line,
                    finding.column,
                    finding.message
                );
                current.insert(text.clone());
                if finding.error {
                    self.log_once(text.clone(), || {
                        error!(problem = %text, "a message override file has an error; its last good version stays in use");
                    });
                } else {
                    self.log_once(text.clone(), || warn!(problem = %text, "message override"));
                }
            }
            let Some(locale) = file.locale else { continue };
            let text = if file.has_errors() {
                // The last version that parsed, if any.
                match self.good.get(&locale) {
                    Some(kept) => kept.clone(),
                    None => continue,
                }
            } else {
                file.text.clone()
            };
            good.insert(locale, text);
        }
        // A problem fixed and made again is logged again.
        self.logged.retain(|k| current.contains(k));
        if good == self.good && self.built {
            return None;
        }
        self.built = true;
        let list: Vec<Override> = good
            .iter()
            .map(|(locale, text)| Override {
                locale: *locale,
                text: text.clone(),
            })
            .collect();
        if !good.is_empty() || !self.good.is_empty() {
            info!(locales = %good.keys().map(|l| l.code()).collect::<Vec<_>>().join(", "), dir = %dir.display(), "message overrides loaded");
        }
        self.good = good;
        self.wording = Arc::new(Wording::with_overrides(&list));
        Some(self.wording.clone())
    }

    fn log_once(&mut self, key: String, log: impl FnOnce()) {
        if self.logged.insert(key) {
            log();
        }
    }
}
