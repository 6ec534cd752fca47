//! Read-only access to the project directory, so extensions can inspect a project without
//! touching the real file system (the real one lives in the `host` module; tests use
//! [`MemoryFs`]).
//!
//! Invariants: paths are relative to the project root and use `/`; nothing outside the root is
//! ever reached (no `..`, no absolute paths, no symlink leaving the root); nothing is executed.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::core::cancel::Cancel;

/// What a directory entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
    pub is_file: bool,
    /// A regular file with any execute bit set.
    pub executable: bool,
}

/// Some entries of a directory, sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub entries: Vec<DirEntry>,
    /// The directory holds more entries than were listed (the file system's cap).
    pub truncated: bool,
}

/// The project files an extension may look at.
pub trait ProjectFs: Send + Sync {
    /// The bytes of a file. Errors: missing, a directory, outside the project, unreadable.
    ///
    /// # Errors
    /// See above.
    fn read(&self, rel: &str) -> io::Result<Vec<u8>>;
    /// The entry at `rel` (`None` when missing). `""` is the project root.
    fn stat(&self, rel: &str) -> Option<DirEntry>;
    /// The entries of a directory whose names start with `prefix`, sorted by name (empty when
    /// missing or not a directory); a real file system lists a bounded number of them.
    fn listing(&self, rel: &str, prefix: &str) -> Listing;
    /// The absolute project path as rockcraft would print it in messages.
    fn root_display(&self) -> String;

    /// The entries of a directory, sorted by name (empty when missing or not a directory).
    fn list(&self, rel: &str) -> Vec<DirEntry> {
        self.listing(rel, "").entries
    }
    fn is_file(&self, rel: &str) -> bool {
        self.stat(rel).is_some_and(|e| e.is_file)
    }
    fn is_dir(&self, rel: &str) -> bool {
        self.stat(rel).is_some_and(|e| e.is_dir)
    }
    fn exists(&self, rel: &str) -> bool {
        self.stat(rel).is_some()
    }
    /// A file as UTF-8 text (invalid bytes replaced).
    ///
    /// # Errors
    /// As [`ProjectFs::read`].
    fn read_text(&self, rel: &str) -> io::Result<String> {
        self.read(rel)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }
}

/// A project directory that looks empty once `cancel` is set, so that a cancelled expansion
/// reads no more files (its result is dropped).
pub struct CancellableFs<'a> {
    pub inner: &'a dyn ProjectFs,
    pub cancel: Cancel<'a>,
}

impl ProjectFs for CancellableFs<'_> {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        if self.cancel.is_cancelled() {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        self.inner.read(rel)
    }

    fn stat(&self, rel: &str) -> Option<DirEntry> {
        if self.cancel.is_cancelled() {
            return None;
        }
        self.inner.stat(rel)
    }

    fn listing(&self, rel: &str, prefix: &str) -> Listing {
        if self.cancel.is_cancelled() {
            return Listing::default();
        }
        self.inner.listing(rel, prefix)
    }

    fn root_display(&self) -> String {
        self.inner.root_display()
    }
}

/// Rejects paths that could leave the root.
#[must_use]
pub fn clean(rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// An in-memory project for tests: files with contents and modes.
#[derive(Clone, Debug, Default)]
pub struct MemoryFs {
    files: BTreeMap<String, (Vec<u8>, bool)>,
    root: String,
}

impl MemoryFs {
    #[must_use]
    pub fn new() -> Self {
        Self {
            files: BTreeMap::new(),
            root: "/project".into(),
        }
    }

    /// Adds a file (parent directories are implied).
    #[must_use]
    pub fn file(mut self, rel: &str, contents: &str) -> Self {
        self.files.insert(
            rel.trim_start_matches("./").to_owned(),
            (contents.as_bytes().to_vec(), false),
        );
        self
    }

    /// Adds an executable file.
    #[must_use]
    pub fn executable(mut self, rel: &str, contents: &str) -> Self {
        self.files.insert(
            rel.trim_start_matches("./").to_owned(),
            (contents.as_bytes().to_vec(), true),
        );
        self
    }

    /// Adds an empty directory.
    #[must_use]
    pub fn dir(mut self, rel: &str) -> Self {
        self.files.insert(
            format!("{}/", rel.trim_end_matches('/')),
            (Vec::new(), false),
        );
        self
    }
}

impl ProjectFs for MemoryFs {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        let key = clean(rel)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.files
            .get(&key)
            .map(|(b, _)| b.clone())
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn stat(&self, rel: &str) -> Option<DirEntry> {
        let key = clean(rel)?.to_string_lossy().into_owned();
        let name = key.rsplit('/').next().unwrap_or_default().to_owned();
        if key.is_empty() {
            return Some(DirEntry {
                name,
                is_dir: true,
                is_file: false,
                executable: false,
            });
        }
        if let Some((_, x)) = self.files.get(&key) {
            return Some(DirEntry {
                name,
                is_dir: false,
                is_file: true,
                executable: *x,
            });
        }
        let prefix = format!("{key}/");
        self.files
            .keys()
            .any(|k| k.starts_with(&prefix))
            .then_some(DirEntry {
                name,
                is_dir: true,
                is_file: false,
                executable: false,
            })
    }

    fn listing(&self, rel: &str, name_prefix: &str) -> Listing {
        let Some(key) = clean(rel).map(|p| p.to_string_lossy().into_owned()) else {
            return Listing::default();
        };
        let prefix = if key.is_empty() {
            String::new()
        } else {
            format!("{key}/")
        };
        let mut names: BTreeMap<String, DirEntry> = BTreeMap::new();
        for (k, (_, x)) in &self.files {
            let Some(rest) = k.strip_prefix(&prefix) else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            match rest.split_once('/') {
                Some((dir, _)) => {
                    names.entry(dir.to_owned()).or_insert(DirEntry {
                        name: dir.to_owned(),
                        is_dir: true,
                        is_file: false,
                        executable: false,
                    });
                }
                None => {
                    names.insert(
                        rest.to_owned(),
                        DirEntry {
                            name: rest.to_owned(),
                            is_dir: false,
                            is_file: true,
                            executable: *x,
                        },
                    );
                }
            }
        }
        Listing {
            entries: names
                .into_values()
                .filter(|e| e.name.starts_with(name_prefix))
                .collect(),
            truncated: false,
        }
    }

    fn root_display(&self) -> String {
        self.root.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_fs_lists_and_reads() {
        let fs = MemoryFs::new()
            .file("app.py", "app = 1")
            .executable("mvnw", "#!")
            .file("static/css/a.css", "")
            .dir("empty");
        assert!(
            fs.is_file("app.py")
                && fs.is_dir("static")
                && fs.is_dir("static/css")
                && fs.is_dir("empty")
        );
        assert!(fs.stat("mvnw").is_some_and(|e| e.executable));
        let names: Vec<String> = fs.list("").into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["app.py", "empty", "mvnw", "static"]);
        assert_eq!(fs.read_text("app.py").unwrap(), "app = 1");
        assert!(fs.read("../etc/passwd").is_err());
    }
}
