//! The package indexes of the session, loaded in the background and shared by all documents.
//!
//! Rules:
//! - requests never read files: completion and publishing take a [`Loaded`] snapshot (an
//!   `Arc`, swapped whole when something finishes loading) and use what it holds;
//! - [`Packages::configure`] (after `initialized`, and whenever the settings change) starts one
//!   blocking job that reads the user's index files, lists the apt lists directory and reads
//!   the user's chisel-releases checkout; the host's lists of a release are read only when a
//!   document of that release asks for them ([`Packages::want`]), once per release;
//! - a job's result is kept only if no newer configuration started meanwhile, and the
//!   publisher is told ([`Event::Packages`]) when one finishes: open documents' findings may
//!   change;
//! - each index is bounded ([`MAX_DEBS`] names, short descriptions), and there is one per
//!   release, whatever the number of documents.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::core::packages::apt::{self, Compression};
use crate::core::packages::{
    DebIndex, DebIndexBuilder, MAX_DEBS, PackageIndexes, ReleaseIndexes, SliceIndex, SliceOrigin,
    Slices, chisel, document_release,
};

use super::events::{Event, Events};
use super::guard::guarded;
use super::session::Session;

/// At most this many files of a directory are looked at (apt lists, slice definitions).
const MAX_DIR_ENTRIES: usize = 50_000;
/// Slice definition files and `chisel.yaml` larger than this are skipped.
const MAX_YAML_BYTES: u64 = 1024 * 1024;

/// Where apt keeps its downloaded package lists.
pub const DEFAULT_APT_LISTS_DIR: &str = "/var/lib/apt/lists";

/// Where package and slice names come from (the `packages` and `chisel` settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSettings {
    /// `Packages` files (plain, `.gz`, `.lz4` or `.xz`) that apply to every release.
    pub index_files: Vec<PathBuf>,
    /// apt's lists directory; `None` when disabled (an empty string).
    pub apt_lists_dir: Option<PathBuf>,
    /// A chisel-releases checkout (or a directory of them) to use instead of the bundled index.
    pub chisel_releases_dir: Option<PathBuf>,
}

impl Default for PackageSettings {
    fn default() -> Self {
        Self {
            index_files: Vec::new(),
            apt_lists_dir: Some(PathBuf::from(DEFAULT_APT_LISTS_DIR)),
            chisel_releases_dir: None,
        }
    }
}

/// The host lists of one release.
#[derive(Clone, Debug)]
enum Host {
    Loading,
    Ready(Arc<DebIndex>),
}

/// What is loaded at one moment; immutable, replaced whole.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// Distinct for every state ever installed (0: the initial one): what a document's
    /// package diagnostics were computed against.
    revision: u64,
    generation: u64,
    /// The settings this was loaded for (`None`: not configured yet).
    settings: Option<PackageSettings>,
    /// The configuration job (index files, directory listing, checkout) is still running.
    configuring: bool,
    /// The user's index files, for every release.
    user: Option<Arc<DebIndex>>,
    /// apt list files per release, from the directory listing.
    lists: HashMap<&'static str, Vec<PathBuf>>,
    /// The host's lists per release, once asked for.
    host: HashMap<&'static str, Host>,
    /// Slices from the user's chisel-releases checkout, per release.
    checkout: HashMap<String, Arc<Slices>>,
}

/// The source of [`Loaded::revision`].
static REVISIONS: AtomicU64 = AtomicU64::new(1);

/// Installs `next` as the state in force, with a revision of its own; returns the one it replaced.
fn install(state: &mut Arc<Loaded>, mut next: Loaded) -> Arc<Loaded> {
    next.revision = REVISIONS.fetch_add(1, Ordering::Relaxed);
    std::mem::replace(state, Arc::new(next))
}

impl Loaded {
    /// Which state this is: equal revisions mean the same indexes.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Whether indexes that `release` would use are still being read.
    #[must_use]
    pub fn is_loading(&self, release: Option<&str>) -> bool {
        self.configuring || release.is_some_and(|r| matches!(self.host.get(r), Some(Host::Loading)))
    }
}

impl PackageIndexes for Loaded {
    fn for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        let slices = release.and_then(|r| {
            self.checkout
                .get(r)
                .map(|s| (&**s, SliceOrigin::Checkout))
                .or_else(|| {
                    SliceIndex::bundled()
                        .release(r)
                        .map(|s| (s, SliceOrigin::Bundled))
                })
        });
        let mut debs: Vec<&DebIndex> = self.user.iter().map(|u| &**u).collect();
        if let Some(Host::Ready(h)) = release.and_then(|r| self.host.get(r)) {
            debs.push(h);
        }
        debs.retain(|d| !d.is_empty());
        ReleaseIndexes {
            release: release.map(str::to_owned),
            slices,
            debs,
        }
    }
}

/// The session's package indexes. Cloning is cheap and shares them.
#[derive(Clone, Debug, Default)]
pub struct Packages {
    state: Arc<RwLock<Arc<Loaded>>>,
    generation: Arc<AtomicU64>,
}

impl Packages {
    /// What is loaded now.
    #[must_use]
    pub fn snapshot(&self) -> Arc<Loaded> {
        self.state
            .read()
            .map_or_else(|e| Arc::clone(&e.into_inner()), |s| Arc::clone(&s))
    }

    /// Replaces the state with `change(current)` if it is still of `generation`, returning the
    /// state it replaced; `None` when a newer configuration started.
    fn update(&self, generation: u64, change: impl FnOnce(&mut Loaded)) -> Option<Arc<Loaded>> {
        let Ok(mut state) = self.state.write() else {
            return None;
        };
        if state.generation != generation {
            return None;
        }
        let mut next = (**state).clone();
        change(&mut next);
        Some(install(&mut state, next))
    }

    /// Starts loading for new settings (nothing happens when they are those in force).
    pub fn configure(&self, session: &Session, events: &Events, settings: PackageSettings) {
        let generation = {
            let Ok(mut state) = self.state.write() else {
                return;
            };
            if state.settings.as_ref() == Some(&settings) {
                return;
            }
            let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
            install(
                &mut state,
                Loaded {
                    generation,
                    settings: Some(settings.clone()),
                    configuring: true,
                    ..Loaded::default()
                },
            );
            generation
        };
        let this = self.clone();
        let (session, events) = (session.clone(), events.clone());
        tokio::spawn(async move {
            let job = tokio::task::spawn_blocking(move || {
                guarded("loading package indexes", || load_configured(&settings))
            });
            let loaded = job.await.ok().flatten();
            let stored = this.update(generation, |next| {
                next.configuring = false;
                if let Some(c) = loaded {
                    next.user = c.user.map(Arc::new);
                    next.lists = c.lists;
                    next.checkout = c
                        .checkout
                        .into_iter()
                        .map(|(k, v)| (k, Arc::new(v)))
                        .collect();
                }
            });
            if stored.is_some() {
                // Documents opened meanwhile could not ask for their release's lists yet.
                for (_, doc) in session.all() {
                    let analysis = doc.snapshot.analysis();
                    if let Some(r) = analysis.and_then(|a| document_release(&a.doc)) {
                        this.want(&events, &r);
                    }
                }
                // Documents' package findings may change (the publisher sends only those that
                // did).
                events.send(Event::Packages);
            }
        });
    }

    /// Makes sure the host's lists of `release` are (being) loaded. Never blocks.
    pub fn want(&self, events: &Events, release: &str) {
        // The common case (loaded, loading or nothing to load) under the read lock only.
        {
            let snap = self.snapshot();
            if snap.configuring
                || snap.host.contains_key(release)
                || !snap.lists.contains_key(release)
            {
                return;
            }
        }
        let (generation, files, key) = {
            let Ok(mut state) = self.state.write() else {
                return;
            };
            if state.configuring || state.host.contains_key(release) {
                return;
            }
            let Some((&key, files)) = state.lists.get_key_value(release) else {
                return;
            };
            let files = files.clone();
            let mut next = (**state).clone();
            next.host.insert(key, Host::Loading);
            let generation = next.generation;
            install(&mut state, next);
            (generation, files, key)
        };
        let this = self.clone();
        let events = events.clone();
        tokio::spawn(async move {
            let job = tokio::task::spawn_blocking(move || {
                guarded("loading apt lists", || load_files(&files))
            });
            let index = job.await.ok().flatten().unwrap_or_default();
            tracing::info!(release = key, packages = index.len(), "apt lists loaded");
            if this
                .update(generation, |next| {
                    next.host.insert(key, Host::Ready(Arc::new(index)));
                })
                .is_some()
            {
                events.send(Event::Packages);
            }
        });
    }
}

/// What the configuration job reads.
#[derive(Debug, Default)]
struct Configured {
    pub user: Option<DebIndex>,
    pub lists: HashMap<&'static str, Vec<PathBuf>>,
    pub checkout: HashMap<String, Slices>,
}

/// Reads the user's index files, lists the apt lists directory and reads the checkout
/// (blocking). Problems are logged and skipped.
#[must_use]
fn load_configured(settings: &PackageSettings) -> Configured {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary directory, removed on drop.
    struct Temp(PathBuf);

    impl Temp {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "rockcraft-lsp-packages-{name}-{}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
            let p = self.0.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, bytes).unwrap();
            p
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn index_files_plain_compressed_missing_and_junk() {
        use std::io::Write;
        let t = Temp::new("files");
        let plain = t.write("Packages", b"Package: a\nDescription: plain\n");
        let mut lz = lz4_flex::frame::FrameEncoder::new(Vec::new());
        lz.write_all(b"Package: b\nDescription: lz4\n").unwrap();
        let lz = t.write("Packages.lz4", &lz.finish().unwrap());
        let junk = t.write("Packages.gz", &[0x1f, 0x8b, 0, 1, 2, 3, 255, 0]);
        let missing = t.0.join("nothing-here");
        let idx = load_files(&[plain, lz, junk, missing, t.0.clone()]);
        assert_eq!(idx.names().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn apt_lists_by_release() {
        let t = Temp::new("lists");
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
        let lists = scan_lists(&t.0);
        let mut releases: Vec<_> = lists.keys().copied().collect();
        releases.sort_unstable();
        assert_eq!(releases, ["ubuntu-22.04", "ubuntu-24.04"]);
        assert_eq!(lists["ubuntu-24.04"].len(), 2);
        assert!(scan_lists(&t.0.join("missing")).is_empty());
    }

    #[test]
    fn checkouts_one_or_several() {
        let t = Temp::new("checkout");
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
        let all = load_checkout(&t.0);
        assert_eq!(all.keys().collect::<Vec<_>>(), ["ubuntu-24.04"]);
        let one = load_checkout(&t.0.join("ubuntu-24.04"));
        let s = &one["ubuntu-24.04"];
        assert!(s.has_slice("a_bins") && s.has_slice("b_libs"));
        assert!(load_checkout(&t.0.join("missing")).is_empty());
    }
}
