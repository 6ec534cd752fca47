//! Package lists and chisel-releases checkouts on disk: where the settings point, and the
//! loaders that read them into the core's indexes (blocking; bounded in entries and sizes).
//!
//! Every file is opened through `host::files` (regular files only, never a FIFO, a device or
//! a standard stream a setting or a link in the lists directory names), every stream is
//! bounded before and after decompression, and every loader takes a `cancelled` check, asked
//! between files and on every read, so a load the settings no longer want stops at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::core::packages::apt::{self, Compression};
use crate::core::packages::{
    DebIndex, DebIndexBuilder, MAX_DEBS, PackageIndexes, ReleaseIndexes, Slices, chisel,
};
use crate::host::files::{self, Bounded};

/// At most this many files of a directory are looked at (apt lists, slice definitions).
const MAX_DIR_ENTRIES: usize = 50_000;
/// Slice definition files and `chisel.yaml` larger than this are skipped.
const MAX_YAML_BYTES: u64 = 1024 * 1024;
/// The most bytes read of one `Packages` file, compressed and again once decompressed (the
/// rest is dropped with a warning). The largest real lists are Ubuntu's `universe` ones, about
/// 80 MB uncompressed (Debian bookworm's `main`: 50 MB); 256 MiB leaves room for their growth
/// while a decompression bomb stops after about a second of work.
pub const MAX_INDEX_BYTES: u64 = 256 * 1024 * 1024;

/// A loader's question "should I stop?" (the settings it loads for are no longer in force).
pub type Cancelled<'a> = &'a (dyn Fn() -> bool + Sync);

/// For loads nobody cancels (the command line).
fn never() -> bool {
    false
}

/// Where apt keeps its downloaded package lists.
pub const DEFAULT_APT_LISTS_DIR: &str = "/var/lib/apt/lists";

/// Where package and slice names come from.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PackageSettings {
    /// `Packages` files (plain, `.gz`, `.lz4` or `.xz`) that apply to every release.
    pub index_files: Vec<PathBuf>,
    /// apt's lists directory; `None`: not read (the default: nothing is read unless asked for).
    pub apt_lists_dir: Option<PathBuf>,
    /// A chisel-releases checkout (or a directory of them) to use instead of the bundled index.
    pub chisel_releases_dir: Option<PathBuf>,
}

/// What the configuration job reads.
#[derive(Debug, Default)]
pub struct Configured {
    pub user: Option<DebIndex>,
    pub lists: HashMap<&'static str, Vec<PathBuf>>,
    pub checkout: HashMap<String, Slices>,
}

/// Reads the user's index files, lists the apt lists directory and reads the checkout
/// (blocking). Problems are logged and skipped.
#[must_use]
pub fn load_configured(settings: &PackageSettings) -> Configured {
    load_configured_until(settings, &never)
}

/// [`load_configured`], stopping early (with a partial result, to be dropped) once
/// `cancelled()` is true.
#[must_use]
pub fn load_configured_until(settings: &PackageSettings, cancelled: Cancelled<'_>) -> Configured {
    Configured {
        user: (!settings.index_files.is_empty())
            .then(|| load_files_until(&settings.index_files, cancelled)),
        lists: settings
            .apt_lists_dir
            .as_deref()
            .filter(|_| !cancelled())
            .map(scan_lists)
            .unwrap_or_default(),
        checkout: settings
            .chisel_releases_dir
            .as_deref()
            .map(|d| load_checkout_until(d, cancelled))
            .unwrap_or_default(),
    }
}

/// One index of `Packages` files, plain or compressed (blocking).
#[must_use]
pub fn load_files(paths: &[PathBuf]) -> DebIndex {
    load_files_until(paths, &never)
}

/// [`load_files`], stopping early once `cancelled()` is true (between files and within the
/// reading and decompression of one).
#[must_use]
pub fn load_files_until(paths: &[PathBuf], cancelled: Cancelled<'_>) -> DebIndex {
    load_files_limited(paths, MAX_INDEX_BYTES, cancelled)
}

/// [`load_files_until`] with `limit` bytes per file, compressed and decompressed.
fn load_files_limited(paths: &[PathBuf], limit: u64, cancelled: Cancelled<'_>) -> DebIndex {
    let mut b = DebIndexBuilder::default();
    for p in paths {
        if cancelled() {
            break;
        }
        if b.is_full() {
            tracing::warn!(
                "package index full ({MAX_DEBS} packages); skipping {}",
                p.display()
            );
            continue;
        }
        read_into(&mut b, p, limit, cancelled);
    }
    b.finish()
}

fn read_into(b: &mut DebIndexBuilder, path: &Path, limit: u64, cancelled: Cancelled<'_>) {
    let file = match files::open_regular(path) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!("cannot read package index {}: {e}", path.display());
            return;
        }
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (_, compression) = Compression::of_file_name(name);
    let raw = Bounded::new(file, limit, cancelled);
    let text = Bounded::new(apt::decompress(compression, raw), limit, cancelled);
    if let Err(e) = b.read_from(text) {
        tracing::warn!("cannot read all of package index {}: {e}", path.display());
    }
}

/// The `Packages` lists of a directory by release, from their names (blocking).
#[must_use]
pub fn scan_lists(dir: &Path) -> HashMap<&'static str, Vec<PathBuf>> {
    let mut out: HashMap<&'static str, Vec<PathBuf>> = HashMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            tracing::info!("no apt lists in {}: {e}", dir.display());
            return out;
        }
    };
    for entry in entries.flatten().take(MAX_DIR_ENTRIES) {
        let name = entry.file_name();
        let Some(list) = name.to_str().and_then(apt::parse_list_name) else {
            continue;
        };
        if entry
            .file_type()
            .is_ok_and(|t| t.is_file() || t.is_symlink())
        {
            out.entry(list.release).or_default().push(entry.path());
        }
    }
    for files in out.values_mut() {
        files.sort();
    }
    out
}

/// The slices of a chisel-releases checkout, or of every checkout directly inside `dir`
/// (blocking). A release's slices come from `slices/**/*.yaml`.
#[must_use]
pub fn load_checkout(dir: &Path) -> HashMap<String, Slices> {
    load_checkout_until(dir, &never)
}

/// [`load_checkout`], stopping early once `cancelled()` is true (checked between files).
#[must_use]
pub fn load_checkout_until(dir: &Path, cancelled: Cancelled<'_>) -> HashMap<String, Slices> {
    let mut out = HashMap::new();
    let mut roots = Vec::new();
    if dir.join("chisel.yaml").is_file() {
        roots.push(dir.to_path_buf());
    } else if let Ok(entries) = std::fs::read_dir(dir) {
        roots.extend(
            entries
                .flatten()
                .take(MAX_DIR_ENTRIES)
                .map(|e| e.path())
                .filter(|p| p.join("chisel.yaml").is_file()),
        );
        roots.sort();
    }
    if roots.is_empty() {
        tracing::warn!(
            "chisel.releasesDir {} has no chisel.yaml (nor subdirectories with one)",
            dir.display()
        );
    }
    for root in roots {
        if cancelled() {
            break;
        }
        let Some(release) =
            read_small(&root.join("chisel.yaml")).and_then(|t| chisel::release_of_chisel_yaml(&t))
        else {
            tracing::warn!("{}/chisel.yaml names no release version", root.display());
            continue;
        };
        let mut files = Vec::new();
        yaml_files(&root.join("slices"), 0, &mut files);
        let slices = Slices::new(
            files
                .iter()
                .take_while(|_| !cancelled())
                .filter_map(|f| read_small(f))
                .filter_map(|t| chisel::slices_of_file(&t)),
        );
        tracing::info!(%release, packages = slices.len(), "chisel-releases checkout loaded");
        out.insert(release, slices);
    }
    out
}

/// `*.yaml` files under `dir`, a few levels deep, at most [`MAX_DIR_ENTRIES`].
fn yaml_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if out.len() >= MAX_DIR_ENTRIES {
            return;
        }
        let path = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() && depth < 4 => yaml_files(&path, depth + 1, out),
            Ok(_) if path.extension().is_some_and(|x| x == "yaml" || x == "yml") => out.push(path),
            _ => {}
        }
    }
}

/// A small text file (lossy UTF-8), `None` when unreadable, not a regular file or over
/// [`MAX_YAML_BYTES`].
fn read_small(path: &Path) -> Option<String> {
    match files::read_regular(path, MAX_YAML_BYTES) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            tracing::warn!("skipping {}: {e}", path.display());
            None
        }
    }
}

/// Everything the settings point at, read once and kept, for a process that checks files one
/// after the other (the command line). The host's lists of a release are read the first time
/// a document of that release asks for them, inside [`PackageIndexes::for_release`]
/// (blocking).
#[derive(Debug, Default)]
pub struct HostIndexes {
    configured: Configured,
    host: HashMap<&'static str, OnceLock<DebIndex>>,
}

impl HostIndexes {
    /// Reads the user's index files and checkout and lists the apt lists directory (blocking).
    #[must_use]
    pub fn load(settings: &PackageSettings) -> Self {
        let configured = load_configured(settings);
        let host = configured
            .lists
            .keys()
            .map(|&k| (k, OnceLock::new()))
            .collect();
        Self { configured, host }
    }
}

impl PackageIndexes for HostIndexes {
    fn for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        let checkout = release.and_then(|r| self.configured.checkout.get(r));
        let host = release.and_then(|r| {
            let files = self.configured.lists.get(r)?;
            Some(self.host.get(r)?.get_or_init(|| load_files(files)))
        });
        ReleaseIndexes::assemble(release, checkout, self.configured.user.iter().chain(host))
    }

    fn debs_for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        let host = release.and_then(|r| {
            let files = self.configured.lists.get(r)?;
            Some(self.host.get(r)?.get_or_init(|| load_files(files)))
        });
        ReleaseIndexes::debs_only(release, self.configured.user.iter().chain(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary directory (removed on drop) to write files into.
    struct Temp(tempfile::TempDir);

    impl Temp {
        fn new() -> Self {
            Self(tempfile::tempdir().unwrap())
        }

        fn path(&self) -> &Path {
            self.0.path()
        }

        fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
            let p = self.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, bytes).unwrap();
            p
        }
    }

    #[test]
    fn index_files_plain_compressed_missing_and_junk() {
        use std::io::Write;
        let t = Temp::new();
        let plain = t.write("Packages", b"Package: a\nDescription: plain\n");
        let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
        lz.write_all(b"Package: b\nDescription: lz4\n").unwrap();
        let lz = t.write("Packages.lz4", &lz.finish().unwrap());
        let junk = t.write("Packages.gz", &[0x1f, 0x8b, 0, 1, 2, 3, 255, 0]);
        let missing = t.path().join("nothing-here");
        let idx = load_files(&[plain, lz, junk, missing, t.path().to_path_buf()]);
        assert_eq!(idx.names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn apt_lists_by_release() {
        let t = Temp::new();
        t.write("x_ubuntu_dists_noble_main_binary-amd64_Packages", b"");
        t.write(
            "x_ubuntu_dists_noble-security_main_binary-amd64_Packages.xz",
            b"",
        );
        t.write("x_ubuntu_dists_jammy_main_binary-amd64_Packages.gz", b"");
        t.write("x_ubuntu_dists_noble_main_i18n_Translation-en", b"");
        t.write(
            "partial/x_ubuntu_dists_focal_main_binary-amd64_Packages",
            b"",
        );
        let lists = scan_lists(t.path());
        let mut releases: Vec<_> = lists.keys().copied().collect();
        releases.sort_unstable();
        assert_eq!(releases, ["ubuntu-22.04", "ubuntu-24.04"]);
        assert_eq!(lists["ubuntu-24.04"].len(), 2);
        assert!(scan_lists(&t.path().join("missing")).is_empty());
    }

    #[test]
    fn checkouts_one_or_several() {
        let t = Temp::new();
        t.write(
            "ubuntu-24.04/chisel.yaml",
            b"archives:\n  ubuntu:\n    version: 24.04\n",
        );
        t.write(
            "ubuntu-24.04/slices/a.yaml",
            b"package: a\nslices:\n  bins: {}\n",
        );
        t.write(
            "ubuntu-24.04/slices/sub/b.yaml",
            b"package: b\nslices:\n  libs: {}\n",
        );
        t.write(
            "ubuntu-24.04/slices/junk.yaml",
            &[0xff, 0xfe, 0, b':', b'['],
        );
        t.write("ubuntu-22.04/chisel.yaml", b"archives: {}\n");
        let all = load_checkout(t.path());
        assert_eq!(all.keys().collect::<Vec<_>>(), ["ubuntu-24.04"]);
        let one = load_checkout(&t.path().join("ubuntu-24.04"));
        let s = &one["ubuntu-24.04"];
        assert!(s.has_slice("a_bins") && s.has_slice("b_libs"));
        assert!(load_checkout(&t.path().join("missing")).is_empty());
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let ok = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap();
        assert!(ok.success());
    }

    #[cfg(unix)]
    #[test]
    fn devices_streams_and_fifos_are_never_read() {
        let t = Temp::new();
        let good = t.write("good_Packages", b"Package: good\nDescription: kept\n");
        let fifo = t.path().join("fifo_Packages");
        mkfifo(&fifo);
        let link = t
            .path()
            .join("x_ubuntu_dists_noble_main_binary-amd64_Packages");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let paths = [
            PathBuf::from("/dev/zero"),
            PathBuf::from("/dev/stdin"),
            PathBuf::from("/proc/self/fd/0"),
            fifo,
            link,
            good,
        ];
        let idx = load_files(&paths);
        assert_eq!(idx.names().collect::<Vec<_>>(), ["good"]);
        // The link in a lists directory is listed by name, and refused when read.
        let lists = scan_lists(t.path());
        assert_eq!(load_files(&lists["ubuntu-24.04"]).len(), 0);
        // A FIFO among slice definitions is skipped.
        t.write(
            "rel/chisel.yaml",
            b"archives:\n  ubuntu:\n    version: 24.04\n",
        );
        t.write("rel/slices/a.yaml", b"package: a\nslices:\n  bins: {}\n");
        mkfifo(&t.path().join("rel/slices/b.yaml"));
        std::os::unix::fs::symlink("/dev/zero", t.path().join("rel/slices/c.yaml")).unwrap();
        let one = load_checkout(&t.path().join("rel"));
        assert!(one["ubuntu-24.04"].has_slice("a_bins"));
    }

    /// `count` gzip members of 1 MiB of `Package: x` stanzas each, concatenated (a valid
    /// multi-member gzip stream): `count` MiB of text from a few KiB per member.
    fn gzip_bomb(count: usize) -> Vec<u8> {
        use std::io::Write;
        let text = b"Package: x\n\n".repeat(1024 * 1024 / 13);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&text).unwrap();
        gz.finish().unwrap().repeat(count)
    }

    #[test]
    fn decompression_is_bounded_and_cancellable() {
        let t = Temp::new();
        let bomb = t.write("bomb_Packages.gz", &gzip_bomb(64));
        let good = t.write("good_Packages", b"Package: good\n");
        // Cancelled after a few reads: the bomb stops there, the next file is not read.
        let reads = std::sync::atomic::AtomicUsize::new(0);
        let cancelled = || reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 20;
        let idx = load_files_until(&[bomb.clone(), good.clone()], &cancelled);
        assert!(!idx.contains("good"));
        assert!(reads.load(std::sync::atomic::Ordering::SeqCst) < 30);
        // Not cancelled: the bomb is cut at the limit (4 MiB here, for a quick test), and the
        // next file is read.
        let read = std::sync::atomic::AtomicUsize::new(0);
        let counted = || {
            read.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            false
        };
        let idx = load_files_limited(&[bomb, good], 4 * 1024 * 1024, &counted);
        assert!(idx.contains("x") && idx.contains("good"));
        // 64 KiB a read: 4 MiB of text (and its compressed bytes) are some 100 reads, not the
        // 1,000 that 64 MiB would take.
        assert!(read.load(std::sync::atomic::Ordering::SeqCst) < 400);
    }
}
