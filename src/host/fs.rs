//! The real project directory behind [`ProjectFs`]: what the CLI and the server read when they
//! expand a project on disk. Nothing outside the project root is ever reached.

use std::io;
use std::path::{Path, PathBuf};

use crate::core::extensions::fs::clean;
use crate::core::extensions::{DirEntry, ProjectFs};

/// The real file system under a project directory.
#[derive(Clone, Debug)]
pub struct RealFs {
    root: PathBuf,
    /// The root with its links resolved, once (`None` when it cannot be resolved yet).
    real_root: Option<PathBuf>,
}

impl RealFs {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let real_root = std::fs::canonicalize(&root).ok();
        Self { root, real_root }
    }

    /// The root with its links resolved.
    fn real_root(&self) -> Option<PathBuf> {
        self.real_root
            .clone()
            .or_else(|| std::fs::canonicalize(&self.root).ok())
    }

    /// The absolute path of `rel`, provided it stays inside the root after resolving links.
    fn resolve(&self, rel: &str) -> Option<PathBuf> {
        let path = self.root.join(clean(rel)?);
        let Ok(real) = std::fs::canonicalize(&path) else {
            return Some(path);
        };
        let root = self.real_root()?;
        real.starts_with(&root).then_some(real)
    }
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    true
}

fn entry_of(name: String, meta: &std::fs::Metadata) -> DirEntry {
    DirEntry {
        name,
        is_dir: meta.is_dir(),
        is_file: meta.is_file(),
        executable: meta.is_file() && is_executable(meta),
    }
}

impl ProjectFs for RealFs {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        let path = self.resolve(rel).ok_or_else(|| {
            io::Error::new(io::ErrorKind::PermissionDenied, "outside the project")
        })?;
        std::fs::read(path)
    }

    fn stat(&self, rel: &str) -> Option<DirEntry> {
        let path = self.resolve(rel)?;
        let meta = std::fs::metadata(&path).ok()?;
        let name = Path::new(rel)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Some(entry_of(name, &meta))
    }

    fn list(&self, rel: &str) -> Vec<DirEntry> {
        let Some(path) = self.resolve(rel) else {
            return Vec::new();
        };
        let Ok(rd) = std::fs::read_dir(path) else {
            return Vec::new();
        };
        let mut out: Vec<DirEntry> = rd
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                // Follow links only when they stay inside the project.
                let child = if rel.is_empty() {
                    name.clone()
                } else {
                    format!("{rel}/{name}")
                };
                let real = self.resolve(&child)?;
                let meta = std::fs::metadata(real).ok()?;
                Some(entry_of(name, &meta))
            })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn root_display(&self) -> String {
        self.real_root()
            .unwrap_or_else(|| self.root.clone())
            .display()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_fs_never_leaves_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::create_dir_all(dir.join("proj/sub")).unwrap();
        std::fs::write(dir.join("secret.txt"), "x").unwrap();
        std::fs::write(dir.join("proj/sub/a.txt"), "a").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("proj/link")).unwrap();
        let fs = RealFs::new(dir.join("proj"));
        assert_eq!(fs.read_text("sub/a.txt").unwrap(), "a");
        assert!(fs.read("../secret.txt").is_err());
        assert!(fs.read("/etc/hostname").is_err());
        #[cfg(unix)]
        {
            assert!(fs.read("link").is_err());
            assert!(!fs.list("").iter().any(|e| e.name == "link"));
        }
    }
}
