//! The package indexes of the session, loaded in the background and shared by all documents.
//!
//! Rules:
//! - requests never read files: completion and publishing take a [`Loaded`] snapshot (an
//!   `Arc`, swapped whole when something finishes loading) and use what it holds;
//! - [`Packages::configure`] (after `initialized`, and whenever the settings change) starts one
//!   blocking job that reads the user's index files, lists the apt lists directory and reads
//!   the user's chisel-releases checkout; the host's lists of a release are read only when a
//!   document of that release asks for them ([`Packages::want`]), once per release;
//! - a job stops as soon as a newer configuration starts (its loader checks between files and
//!   on every read), so a huge or endless file named by old settings holds no thread;
//! - a job's result is kept only if no newer configuration started meanwhile, and the
//!   publisher is told ([`Event::Packages`]) when one finishes: open documents' findings may
//!   change;
//! - each index is bounded ([`MAX_DEBS`](crate::core::packages::MAX_DEBS) names, short descriptions), and there is one per
//!   release, whatever the number of documents.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::core::packages::{DebIndex, PackageIndexes, ReleaseIndexes, Slices};

use super::events::{Event, Events};
use super::guard::guarded;
use crate::host::packages::{PackageSettings, load_configured_until, load_files_until};

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
        let checkout = release.and_then(|r| self.checkout.get(r)).map(|s| &**s);
        let host = match release.and_then(|r| self.host.get(r)) {
            Some(Host::Ready(h)) => Some(&**h),
            _ => None,
        };
        ReleaseIndexes::assemble(
            release,
            checkout,
            self.user.as_deref().into_iter().chain(host),
        )
    }

    fn debs_for_release(&self, release: Option<&str>) -> ReleaseIndexes<'_> {
        let host = match release.and_then(|r| self.host.get(r)) {
            Some(Host::Ready(h)) => Some(&**h),
            _ => None,
        };
        ReleaseIndexes::debs_only(release, self.user.as_deref().into_iter().chain(host))
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

    /// Whether a configuration newer than `generation` has started: the question a job of
    /// `generation` asks its loader to keep asking.
    fn cancelled_after(&self, generation: u64) -> impl Fn() -> bool + Send + Sync + 'static {
        let current = Arc::clone(&self.generation);
        move || current.load(Ordering::SeqCst) != generation
    }

    /// Starts loading for new settings (nothing happens when they are those in force).
    pub fn configure(&self, events: &Events, settings: PackageSettings) {
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
        let events = events.clone();
        let cancelled = self.cancelled_after(generation);
        tokio::spawn(async move {
            let job = tokio::task::spawn_blocking(move || {
                guarded("loading package indexes", || {
                    load_configured_until(&settings, &cancelled)
                })
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
                // Documents' package findings may change (the publisher sends only those that
                // did); publishing each asks for its release's host lists, which documents
                // opened meanwhile could not ask for yet.
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
        let cancelled = self.cancelled_after(generation);
        tokio::spawn(async move {
            let job = tokio::task::spawn_blocking(move || {
                guarded("loading apt lists", || load_files_until(&files, &cancelled))
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
