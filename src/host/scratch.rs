//! A private scratch directory for documents the server shows the user but that belong to no
//! project: the expanded project, opened in the editor through `window/showDocument`, needs a
//! file the client can open. It is created under the system's temporary directory on first use
//! (readable by the user only), each document in it is read-only, and it is removed when the
//! server ends. Nothing is ever written inside a project.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The most documents kept at once (one per source document; showing a document again
/// replaces its file). Past it, the oldest is removed, so a session that shows hundreds of
/// projects keeps a bounded directory. 64 is more projects than anyone keeps open side by side;
/// an expansion is typically a few KiB, so the directory stays in the MiB range.
pub const MAX_SHOWN: usize = 64;

/// The scratch directory and what it holds.
#[derive(Debug, Default)]
pub struct Scratch {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    dir: Option<tempfile::TempDir>,
    /// Numbers the per-show subdirectories.
    seq: u64,
    /// The subdirectory last written for each source, with its number.
    shown: HashMap<String, (u64, PathBuf)>,
}

impl Scratch {
    /// Writes `text` as a new read-only file `name` for `source` (what it is about, e.g. a
    /// document URI) and returns its path. The file written for `source` before is removed: each
    /// call gives a new path, so a client that keeps one buffer per file name shows the new
    /// content instead of its old buffer.
    ///
    /// # Errors
    /// The temporary directory or the file cannot be created or written.
    pub fn write(&self, source: &str, name: &str, text: &str) -> io::Result<PathBuf> {
        let mut inner = self
            .inner
            .lock()
            .map_err(|_| io::Error::other("the scratch directory's lock is poisoned"))?;
        if inner.dir.is_none() {
            inner.dir = Some(
                tempfile::Builder::new()
                    .prefix("rockcraft-lsp-")
                    .tempdir()?,
            );
        }
        let root = inner
            .dir
            .as_ref()
            .map(|d| d.path().to_path_buf())
            .ok_or_else(|| io::Error::other("no scratch directory"))?;
        if let Some((_, old)) = inner.shown.remove(source) {
            remove(&old);
        }
        if inner.shown.len() >= MAX_SHOWN
            && let Some(oldest) = inner
                .shown
                .iter()
                .min_by_key(|(_, (n, _))| *n)
                .map(|(k, _)| k.clone())
            && let Some((_, old)) = inner.shown.remove(&oldest)
        {
            remove(&old);
        }
        inner.seq += 1;
        let sub = root.join(inner.seq.to_string());
        std::fs::create_dir(&sub)?;
        let file = sub.join(name);
        std::fs::write(&file, text)?;
        let mut perms = std::fs::metadata(&file)?.permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&file, perms)?;
        let seq = inner.seq;
        inner.shown.insert(source.to_owned(), (seq, sub));
        Ok(file)
    }
}

fn remove(dir: &Path) {
    if let Err(e) = std::fs::remove_dir_all(dir) {
        tracing::debug!(?dir, %e, "cannot remove an old scratch document");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_write_is_a_new_read_only_file_and_the_old_one_goes() {
        let s = Scratch::default();
        let a = s
            .write("file:///p/rockcraft.yaml", "x.yaml", "one\n")
            .unwrap();
        let b = s
            .write("file:///p/rockcraft.yaml", "x.yaml", "two\n")
            .unwrap();
        assert_ne!(a, b);
        assert!(!a.exists());
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "two\n");
        assert!(std::fs::metadata(&b).unwrap().permissions().readonly());
        let root = b.parent().unwrap().parent().unwrap().to_path_buf();
        drop(s);
        assert!(!root.exists(), "the directory is removed with the server");
    }

    #[test]
    fn at_most_max_shown_documents_are_kept() {
        let s = Scratch::default();
        let paths: Vec<PathBuf> = (0..=MAX_SHOWN)
            .map(|i| {
                s.write(&format!("file:///p{i}/rockcraft.yaml"), "x.yaml", "")
                    .unwrap()
            })
            .collect();
        assert!(!paths[0].exists(), "the oldest goes first");
        assert!(paths[1..].iter().all(|p| p.exists()));
    }
}
