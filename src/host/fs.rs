//! The real project directory behind [`ProjectFs`]: what the CLI and the server read when they
//! expand a project on disk or complete its paths. Nothing outside the project root is ever
//! reached, and nothing but regular files is ever opened (see `host::files`).
//!
//! Rules:
//! - a path is resolved with all its links (`canonicalize`) and used only when the result is
//!   inside the resolved root; a path that cannot be resolved is refused, never used as given;
//! - a file that exists but is refused (a link out of the project, a FIFO, a device, an
//!   oversized file) still exists for [`ProjectFs::stat`], so the extensions report why it
//!   cannot be read instead of calling it missing;
//! - a directory listing holds at most [`MAX_LISTED_ENTRIES`] entries and is kept, per
//!   directory, until the directory's modification time changes;
//! - what [`ProjectFs::stat`] finds at a path is looked up once per `RealFs` (one is made for
//!   one expansion, completion or command, and the extensions and lints of one run ask about
//!   the same few paths again and again);
//! - a file's bytes are kept (a few dozen files, a few MiB in all) and reused while one `stat`
//!   of its path finds the same file (device, inode), length and modification time, so an
//!   expansion run at every keystroke reads the same manifests once; [`forget`] drops them at
//!   once (the editor's watched-file events).

use std::collections::{HashMap, VecDeque};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use crate::core::extensions::fs::{Listing, clean};
use crate::core::extensions::{DirEntry, ProjectFs};
use crate::host::files;

/// The most bytes read of one project file (`requirements.txt`, `app.py`, `package.json`,
/// `pyproject.toml`...). Real ones are a few KiB (a hash-pinned `requirements.txt` of a large
/// app some 100 KiB); Python sources are parsed whole, at up to about 170 bytes of parser
/// memory per byte of garbage, so 1 MiB keeps one file's parse well under 200 MiB.
pub const MAX_PROJECT_FILE_BYTES: u64 = 1024 * 1024;

/// The most entries one directory listing holds (the root's entries become an `organize`
/// map in the expansion; completion offers them). A source tree has far fewer per directory;
/// a directory of 100,000 generated files is listed in part, and said to be.
pub const MAX_LISTED_ENTRIES: usize = 10_000;

/// The most names of one directory looked at while listing it (those not matching the asked
/// prefix cost a `readdir` step each, nothing more): bounds the time of one listing.
const MAX_SCANNED_ENTRIES: usize = 200_000;

/// How many directory listings are kept for reuse (completion asks for the same directory at
/// every keystroke).
const MAX_CACHED_LISTINGS: usize = 32;

/// A listing is reused only if its directory was last modified at least this long before it
/// was taken: a change within the same tick of a coarse modification time would otherwise go
/// unseen.
const RACY_WINDOW: Duration = Duration::from_secs(2);

/// How many project files' bytes are kept for reuse.
const MAX_KEPT_FILES: usize = 64;

/// The most bytes kept of all the files together.
const MAX_KEPT_BYTES: usize = 8 * 1024 * 1024;

/// How many paths' [`ProjectFs::stat`] answers one [`RealFs`] keeps (a run asks about a few
/// dozen; a hostile project's thousands of `prime` entries are looked at each time past this).
const MAX_KEPT_STATS: usize = 1024;

/// The real file system under a project directory, as it is for one run: make one per run.
#[derive(Clone, Debug)]
pub struct RealFs {
    root: PathBuf,
    /// The root with its links resolved, once (`None` when it cannot be resolved yet).
    real_root: Option<PathBuf>,
    /// What [`ProjectFs::stat`] found, per path asked.
    stats: Arc<Mutex<HashMap<String, Option<DirEntry>>>>,
}

/// Where a path of the project leads.
enum Resolved {
    /// Inside the project, at this real path.
    Inside(PathBuf),
    /// It exists but leads out of the project or cannot be followed: why.
    Refused(String),
    /// Nothing there (a broken link counts as nothing, as for rockcraft's `exists()`).
    Missing(io::Error),
}

impl RealFs {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let real_root = std::fs::canonicalize(&root).ok();
        Self::resolved(root, real_root)
    }

    /// A project at `root` whose links the caller has just resolved to `real_root`
    /// (`canonicalize`, or a walk down from a resolved directory that entered no link):
    /// [`RealFs::new`] without resolving the root again.
    #[must_use]
    pub fn resolved(root: impl Into<PathBuf>, real_root: Option<PathBuf>) -> Self {
        Self {
            root: root.into(),
            real_root,
            stats: Arc::default(),
        }
    }

    /// The root with its links resolved.
    fn real_root(&self) -> Option<PathBuf> {
        self.real_root
            .clone()
            .or_else(|| std::fs::canonicalize(&self.root).ok())
    }

    /// Where `rel` leads.
    fn resolve(&self, rel: &str) -> Resolved {
        let Some(clean) = clean(rel) else {
            return Resolved::Refused("it is a path outside the project".to_owned());
        };
        if let Some(resolved) = self.resolve_without_links(&clean) {
            return resolved;
        }
        self.resolve_path(&self.root.join(clean))
    }

    /// [`Self::resolve_path`] for the common case, at one `lstat` per component of `clean`
    /// below the resolved root instead of one `readlink` per component of the whole path: the
    /// path when no component is a link (`canonicalize` would return the same), missing when
    /// one does not exist (`canonicalize` would fail the same way there). `None` for the
    /// rest (a link on the way, another error), which [`Self::resolve_path`] decides.
    fn resolve_without_links(&self, clean: &Path) -> Option<Resolved> {
        let mut at = self.real_root.clone()?;
        for c in clean.components() {
            let std::path::Component::Normal(name) = c else {
                return None;
            };
            at.push(name);
            match std::fs::symlink_metadata(&at) {
                Ok(meta) if meta.file_type().is_symlink() => return None,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Some(Resolved::Missing(e));
                }
                Err(_) => return None,
            }
        }
        Some(Resolved::Inside(at))
    }

    fn resolve_path(&self, path: &Path) -> Resolved {
        let Some(root) = self.real_root() else {
            return Resolved::Missing(io::Error::new(
                io::ErrorKind::NotFound,
                "the project directory cannot be resolved",
            ));
        };
        match std::fs::canonicalize(path) {
            Ok(real) if real.starts_with(&root) => Resolved::Inside(real),
            Ok(real) => Resolved::Refused(format!(
                "it is a link to {}, outside the project",
                real.display()
            )),
            // Something the kernel can follow but not name (`/proc/self/fd/0` on a pipe).
            Err(_) if std::fs::metadata(path).is_ok() => {
                let target = std::fs::read_link(path)
                    .map_or_else(|_| "something".to_owned(), |t| t.display().to_string());
                Resolved::Refused(format!(
                    "it is a link to {target}, which leads to no file of the project"
                ))
            }
            Err(e) => Resolved::Missing(e),
        }
    }

    /// What is at `rel` now (see [`ProjectFs::stat`]).
    fn stat_now(&self, rel: &str) -> Option<DirEntry> {
        let name = Path::new(rel)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match self.resolve(rel) {
            Resolved::Inside(real) => Some(entry_of(name, &std::fs::metadata(real).ok()?)),
            // It is there, but neither a file nor a directory one may read.
            Resolved::Refused(_) => Some(DirEntry {
                name,
                is_dir: false,
                is_file: false,
                executable: false,
            }),
            Resolved::Missing(_) => None,
        }
    }

    /// The entries of the real directory `dir` whose names start with `prefix`.
    fn read_listing(&self, dir: &Path, prefix: &str) -> Listing {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Listing::default();
        };
        let mut listing = Listing::default();
        for (scanned, e) in rd.filter_map(Result::ok).enumerate() {
            if scanned >= MAX_SCANNED_ENTRIES {
                listing.truncated = true;
                break;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with(prefix) {
                continue;
            }
            if listing.entries.len() >= MAX_LISTED_ENTRIES {
                listing.truncated = true;
                break;
            }
            let Ok(ft) = e.file_type() else { continue };
            let meta = if ft.is_symlink() {
                // Links are followed only when they stay inside the project.
                match self.resolve_path(&e.path()) {
                    Resolved::Inside(real) => std::fs::metadata(real),
                    Resolved::Refused(_) | Resolved::Missing(_) => continue,
                }
            } else {
                e.metadata()
            };
            if let Ok(meta) = meta {
                listing.entries.push(entry_of(name, &meta));
            }
        }
        listing.entries.sort_by(|a, b| a.name.cmp(&b.name));
        listing
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

/// A listing kept for reuse.
struct Cached {
    root: PathBuf,
    dir: PathBuf,
    prefix: String,
    /// The directory's modification time when it was listed.
    modified: SystemTime,
    taken: SystemTime,
    listing: Listing,
}

/// The listings kept, most recent last.
fn cache() -> &'static Mutex<VecDeque<Cached>> {
    static CACHE: OnceLock<Mutex<VecDeque<Cached>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(VecDeque::new()))
}

/// The kept listing of `dir` (under `root`, for `prefix`) if the directory has not changed.
fn cached(root: &Path, dir: &Path, prefix: &str, modified: SystemTime) -> Option<Listing> {
    let cache = cache().lock().ok()?;
    cache
        .iter()
        .find(|c| c.root == root && c.dir == dir && c.prefix == prefix)
        .filter(|c| {
            c.modified == modified
                && c.taken
                    .duration_since(c.modified)
                    .is_ok_and(|age| age >= RACY_WINDOW)
        })
        .map(|c| c.listing.clone())
}

fn keep(entry: Cached) {
    let Ok(mut cache) = cache().lock() else {
        return;
    };
    cache.retain(|c| !(c.root == entry.root && c.dir == entry.dir && c.prefix == entry.prefix));
    if cache.len() >= MAX_CACHED_LISTINGS {
        cache.pop_front();
    }
    cache.push_back(entry);
}

/// What a file was when its bytes were read: any change (a write, a replacement, a link
/// pointed at another file) makes the bytes kept stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: SystemTime,
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        Some(Self {
            device: meta.dev(),
            inode: meta.ino(),
            len: meta.len(),
            modified: meta.modified().ok()?,
        })
    }

    #[cfg(not(unix))]
    fn of(meta: &std::fs::Metadata) -> Option<Self> {
        Some(Self {
            device: 0,
            inode: 0,
            len: meta.len(),
            modified: meta.modified().ok()?,
        })
    }
}

/// A file's bytes kept for reuse, under the path they were asked by (always spelt as the
/// project root joined with the cleaned relative path, so paths are compared as strings).
struct KeptFile {
    path: PathBuf,
    stamp: Stamp,
    bytes: Vec<u8>,
}

/// The files kept, most recent last.
fn kept_files() -> &'static Mutex<VecDeque<KeptFile>> {
    static FILES: OnceLock<Mutex<VecDeque<KeptFile>>> = OnceLock::new();
    FILES.get_or_init(|| Mutex::new(VecDeque::new()))
}

/// The bytes kept for `path` if the file there is still the one they were read from.
fn kept_file(path: &Path, now: Stamp) -> Option<Vec<u8>> {
    let files = kept_files().lock().ok()?;
    files
        .iter()
        .find(|f| f.stamp == now && f.path.as_os_str() == path.as_os_str())
        .map(|f| f.bytes.clone())
}

/// Keeps the bytes read from `path`, whose file had `stamp` before the read. A file modified
/// within [`RACY_WINDOW`] is not kept: a second change in the same tick of a coarse
/// modification time would go unseen.
fn keep_file(path: &Path, stamp: Stamp, bytes: &[u8]) {
    let fresh = SystemTime::now()
        .duration_since(stamp.modified)
        .is_ok_and(|age| age >= RACY_WINDOW);
    if !fresh || bytes.len() > MAX_KEPT_BYTES / 4 {
        return;
    }
    let Ok(mut files) = kept_files().lock() else {
        return;
    };
    files.retain(|f| f.path.as_os_str() != path.as_os_str());
    let mut total: usize = files.iter().map(|f| f.bytes.len()).sum::<usize>() + bytes.len();
    while files.len() >= MAX_KEPT_FILES || total > MAX_KEPT_BYTES {
        let Some(old) = files.pop_front() else { break };
        total -= old.bytes.len();
    }
    files.push_back(KeptFile {
        path: path.to_owned(),
        stamp,
        bytes: bytes.to_vec(),
    });
}

/// Drops the kept bytes of `path` and of every file under it (a file or directory that
/// changed on disk).
pub fn forget(path: &Path) {
    if let Ok(mut files) = kept_files().lock() {
        files.retain(|f| !f.path.starts_with(path));
    }
}

impl ProjectFs for RealFs {
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        // The file as asked for, and what it is now: one `stat` decides whether the bytes kept
        // can be used (the same file, unchanged since it was read inside the project).
        let asked = clean(rel).map(|c| self.root.join(c));
        let meta = asked.as_deref().and_then(|p| std::fs::metadata(p).ok());
        let before = meta.as_ref().and_then(Stamp::of);
        if let (Some(path), Some(stamp)) = (&asked, before)
            && let Some(bytes) = kept_file(path, stamp)
        {
            return Ok(bytes);
        }
        match self.resolve(rel) {
            Resolved::Inside(real) => {
                // The look just taken at the path (links followed) is the one before opening
                // the file it leads to.
                let bytes = if meta.as_ref().is_some_and(std::fs::Metadata::is_file) {
                    files::read_known_regular(&real, MAX_PROJECT_FILE_BYTES)?
                } else {
                    files::read_regular(&real, MAX_PROJECT_FILE_BYTES)?
                };
                if let (Some(path), Some(stamp)) = (&asked, before) {
                    keep_file(path, stamp, &bytes);
                }
                Ok(bytes)
            }
            Resolved::Refused(why) => Err(io::Error::new(io::ErrorKind::PermissionDenied, why)),
            Resolved::Missing(e) => Err(e),
        }
    }

    fn stat(&self, rel: &str) -> Option<DirEntry> {
        if let Ok(stats) = self.stats.lock()
            && let Some(found) = stats.get(rel)
        {
            return found.clone();
        }
        let found = self.stat_now(rel);
        if let Ok(mut stats) = self.stats.lock()
            && stats.len() < MAX_KEPT_STATS
        {
            stats.insert(rel.to_owned(), found.clone());
        }
        found
    }

    fn listing(&self, rel: &str, prefix: &str) -> Listing {
        let (Resolved::Inside(dir), Some(root)) = (self.resolve(rel), self.real_root()) else {
            return Listing::default();
        };
        let Ok(modified) = std::fs::metadata(&dir).and_then(|m| m.modified()) else {
            return Listing::default();
        };
        if let Some(hit) = cached(&root, &dir, prefix, modified) {
            return hit;
        }
        let taken = SystemTime::now();
        let listing = self.read_listing(&dir, prefix);
        keep(Cached {
            root,
            dir,
            prefix: prefix.to_owned(),
            modified,
            taken,
            listing: listing.clone(),
        });
        listing
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
            let e = fs.read("link").unwrap_err();
            assert!(e.to_string().contains("outside the project"), "{e}");
            assert!(!fs.list("").iter().any(|e| e.name == "link"));
            // It exists, so a reader says why it cannot be read rather than that it is missing.
            assert!(fs.exists("link") && !fs.is_file("link"));
        }
    }

    /// Sets a directory's modification time (to make a listing old enough to be kept).
    fn set_mtime(dir: &Path, at: SystemTime) {
        std::fs::File::open(dir).unwrap().set_modified(at).unwrap();
    }

    #[test]
    fn listings_are_capped_narrowed_and_kept_until_the_directory_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("many");
        std::fs::create_dir(&dir).unwrap();
        for i in 0..=MAX_LISTED_ENTRIES {
            std::fs::File::create(dir.join(format!("f{i:06}"))).unwrap();
        }
        let fs = RealFs::new(tmp.path());
        let all = fs.listing("many", "");
        assert!(all.truncated);
        assert_eq!(all.entries.len(), MAX_LISTED_ENTRIES);
        let some = fs.listing("many", "f00999");
        assert!(!some.truncated);
        assert_eq!(some.entries.len(), 10);

        // Kept while the modification time stays (an old one, past the racy window)...
        let small = tmp.path().join("small");
        std::fs::create_dir(&small).unwrap();
        std::fs::write(small.join("a"), "").unwrap();
        let old = SystemTime::now() - Duration::from_mins(1);
        set_mtime(&small, old);
        let names = |l: Listing| l.entries.into_iter().map(|e| e.name).collect::<Vec<_>>();
        assert_eq!(names(fs.listing("small", "")), ["a"]);
        std::fs::write(small.join("b"), "").unwrap();
        set_mtime(&small, old);
        assert_eq!(names(fs.listing("small", "")), ["a"]);
        // ...and listed again once it changes.
        set_mtime(&small, SystemTime::now());
        assert_eq!(names(fs.listing("small", "")), ["a", "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn refused_files_exist_and_say_why_they_are_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        let made = std::process::Command::new("mkfifo")
            .arg(d.join("app.py"))
            .status()
            .unwrap();
        assert!(made.success());
        std::os::unix::fs::symlink("/dev/zero", d.join("zero")).unwrap();
        std::os::unix::fs::symlink("/dev/stdin", d.join("stdin")).unwrap();
        std::os::unix::fs::symlink("missing", d.join("broken")).unwrap();
        let big = usize::try_from(MAX_PROJECT_FILE_BYTES).unwrap() + 1;
        std::fs::write(d.join("big"), vec![b'#'; big]).unwrap();
        let fs = RealFs::new(d);
        let why = |rel: &str| fs.read(rel).unwrap_err().to_string();
        assert_eq!(why("app.py"), "it is a FIFO, not a regular file");
        assert_eq!(
            why("zero"),
            "it is a link to /dev/zero, outside the project"
        );
        assert!(
            why("stdin").starts_with("it is a link to /"),
            "{}",
            why("stdin")
        );
        assert_eq!(why("big"), "it is larger than 1 MiB, the most that is read");
        for rel in ["app.py", "zero", "stdin", "big"] {
            assert!(fs.exists(rel), "{rel}");
        }
        // A broken link is missing, as for rockcraft.
        assert!(!fs.exists("broken"));
        assert_eq!(
            fs.read("broken").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn file_bytes_are_kept_while_the_file_stays_the_same() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let old = SystemTime::now() - Duration::from_mins(1);
        let write = |name: &str, text: &str| {
            std::fs::write(dir.join(name), text).unwrap();
            let f = std::fs::File::options()
                .write(true)
                .open(dir.join(name))
                .unwrap();
            f.set_modified(old).unwrap();
        };
        write("requirements.txt", "flask\n");
        let fs = RealFs::new(dir);
        assert_eq!(fs.read_text("requirements.txt").unwrap(), "flask\n");
        // Kept: the same length and time hide a change of the bytes...
        write("requirements.txt", "FLASK\n");
        assert_eq!(fs.read_text("requirements.txt").unwrap(), "flask\n");
        // ...until the editor says the file changed,
        forget(&dir.join("requirements.txt"));
        assert_eq!(fs.read_text("requirements.txt").unwrap(), "FLASK\n");
        // or its length or time changes, or another file takes its place.
        write("requirements.txt", "django\n");
        assert_eq!(fs.read_text("requirements.txt").unwrap(), "django\n");
        std::fs::rename(dir.join("requirements.txt"), dir.join("moved")).unwrap();
        write("requirements.txt", "pandas\n");
        assert_eq!(fs.read_text("requirements.txt").unwrap(), "pandas\n");
        // A file modified just now is read every time.
        std::fs::write(dir.join("app.py"), "a").unwrap();
        assert_eq!(fs.read_text("app.py").unwrap(), "a");
        std::fs::write(dir.join("app.py"), "b").unwrap();
        assert_eq!(fs.read_text("app.py").unwrap(), "b");
    }
}
