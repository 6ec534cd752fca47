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
    let mut out = Vec::new();
    walk(dir, &mut out, 0, limit);
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize, limit: usize) {
    if depth > MAX_DEPTH || out.len() >= limit {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        if out.len() >= limit {
            return;
        }
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if ft.is_dir() {
            if !SKIP_DIRS.contains(&name.as_ref()) {
                walk(&e.path(), out, depth + 1, limit);
            }
        } else if name == PROJECT_FILE && !e.path().is_dir() {
            out.push(e.path());
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
        assert!(project_files(&root.path().join("missing"), 10).is_empty());
    }
}
