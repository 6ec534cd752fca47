//! Package lists and chisel-releases checkouts on disk: where the settings point, and the
//! loaders that read them into the core's indexes (blocking; bounded in entries and sizes).

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::core::packages::apt::{self, Compression};
use crate::core::packages::{
    DebIndex, DebIndexBuilder, MAX_DEBS, PackageIndexes, ReleaseIndexes, Slices, chisel,
};

/// At most this many files of a directory are looked at (apt lists, slice definitions).
const MAX_DIR_ENTRIES: usize = 50_000;
/// Slice definition files and `chisel.yaml` larger than this are skipped.
const MAX_YAML_BYTES: u64 = 1024 * 1024;

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
    Configured {
        user: (!settings.index_files.is_empty()).then(|| load_files(&settings.index_files)),
        lists: settings
            .apt_lists_dir
            .as_deref()
            .map(scan_lists)
            .unwrap_or_default(),
        checkout: settings
            .chisel_releases_dir
            .as_deref()
            .map(load_checkout)
            .unwrap_or_default(),
    }
}

/// One index of `Packages` files, plain or compressed (blocking).
#[must_use]
pub fn load_files(paths: &[PathBuf]) -> DebIndex {
    let mut b = DebIndexBuilder::default();
    for p in paths {
        if b.is_full() {
            tracing::warn!(
                "package index full ({MAX_DEBS} packages); skipping {}",
                p.display()
            );
            continue;
        }
        read_into(&mut b, p);
    }
    b.finish()
}

fn read_into(b: &mut DebIndexBuilder, path: &Path) {
    let file = match File::open(path) {
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
    if let Err(e) = b.read_from(apt::decompress(compression, file)) {
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

/// A small text file (lossy UTF-8), `None` when unreadable or over [`MAX_YAML_BYTES`].
fn read_small(path: &Path) -> Option<String> {
    let file = File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_YAML_BYTES + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > MAX_YAML_BYTES {
        tracing::warn!("skipping {}: larger than 1 MiB", path.display());
        return None;
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
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
}
