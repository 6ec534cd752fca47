//! The search for `rockcraft.yaml` files under a directory, shared by `check` and the server's
//! workspace diagnostics: depth-first in name order, skipping the directories that hold
//! dependencies, build output or version control data, and bounded in depth and in count.

use std::path::{Path, PathBuf};

use crate::core::facts::PROJECT_FILE;

/// Directories never searched.
pub const SKIP_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    ".yarn",
    "target",
    ".venv",
    "venv",
    "__pycache__",
];

/// How deep below the starting directory the search goes.
pub const MAX_DEPTH: usize = 32;

/// The `rockcraft.yaml` files under `dir`, in name order, at most `limit` of them. Links to
/// directories are not followed; a link named `rockcraft.yaml` is listed (whoever reads it
/// refuses anything but a regular file, with the reason).
#[must_use]
pub fn project_files(dir: &Path, limit: usize) -> Vec<PathBuf> {
    project_entries(dir, limit)
        .into_iter()
        .map(|f| f.path)
        .collect()
}

/// A `rockcraft.yaml` found by [`project_entries`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundFile {
    /// `dir` joined with the names walked down to the file.
    pub path: PathBuf,
    /// The path below `dir`: directories entered, never links to them.
    pub relative: PathBuf,
    /// Whether the directory listing gave it as a regular file (not a link): the look before
    /// opening it that `host::files::read_known_regular` relies on.
    pub listed_regular: bool,
}

/// [`project_files`], with what the listing said of each file. No file costs a `stat`: the
/// listing's entry types say which names are directories, files or links (only a link named
/// `rockcraft.yaml` is looked at, to leave out a link to a directory).
#[must_use]
pub fn project_entries(dir: &Path, limit: usize) -> Vec<FoundFile> {
    let mut out = Vec::new();
    walk(dir, &mut PathBuf::new(), &mut out, 0, limit);
    for f in &mut out {
        f.path = dir.join(&f.relative);
    }
    out
}

fn walk(dir: &Path, below: &mut PathBuf, out: &mut Vec<FoundFile>, depth: usize, limit: usize) {
    if depth > MAX_DEPTH || out.len() >= limit {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir.join(&*below)) else {
        return;
    };
    let mut entries: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name(), e))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, e) in entries {
        if out.len() >= limit {
            return;
        }
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if !SKIP_DIRS.contains(&name.to_string_lossy().as_ref()) {
                below.push(&name);
                walk(dir, below, out, depth + 1, limit);
                below.pop();
            }
        } else if name == PROJECT_FILE && (ft.is_file() || !e.path().is_dir()) {
            out.push(FoundFile {
                path: PathBuf::new(),
                relative: below.join(&name),
                listed_regular: ft.is_file(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_project_files_in_order_skipping_heavy_directories_up_to_the_limit() {
        let root = tempfile::tempdir().unwrap();
        for rel in ["b", "a", "a/deeper", "node_modules/x", ".git", "target"] {
            let dir = root.path().join(rel);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(PROJECT_FILE), "name: x\n").unwrap();
        }
        std::fs::write(root.path().join("a/other.yaml"), "").unwrap();
        let rel = |found: Vec<PathBuf>| -> Vec<String> {
            found
                .iter()
                .map(|p| {
                    let p = p.strip_prefix(root.path()).unwrap().parent().unwrap();
                    p.display().to_string()
                })
                .collect()
        };
        assert_eq!(
            rel(project_files(root.path(), usize::MAX)),
            ["a/deeper", "a", "b"]
        );
        assert_eq!(rel(project_files(root.path(), 2)), ["a/deeper", "a"]);
        let found = project_entries(root.path(), 1);
        assert_eq!(found[0].relative, Path::new("a/deeper").join(PROJECT_FILE));
        assert_eq!(found[0].path, root.path().join(&found[0].relative));
        assert!(found[0].listed_regular);
        assert!(project_files(&root.path().join("missing"), 10).is_empty());
    }
}
