//! The open-document store: immutable, versioned snapshots behind `Arc`, keyed by URI.
//!
//! Rules: readers clone the `Arc` and drop the map guard at once; writers build the next
//! snapshot and replace it under the entry guard without awaiting; versions only go up.

use std::sync::{Arc, Mutex, OnceLock};

use dashmap::DashMap;
use tower_lsp_server::ls_types::Uri;

use crate::core::analysis::{Analysis, analyze};
use crate::core::diagnostic::Diagnostic;
use crate::core::text::Lines;
use crate::server::guard::guarded;

/// Documents larger than this are not analysed (one "too large" diagnostic instead).
pub const MAX_ANALYSED_BYTES: usize = 8 * 1024 * 1024;

/// What the server knows about a document's content.
#[derive(Debug)]
pub enum Outcome {
    /// Not a `rockcraft.yaml`: tracked for edits, never diagnosed.
    Ignored,
    /// Analysed successfully (shared with requests that outlive the map guard).
    Analysed(Arc<Analysis>),
    /// Over [`MAX_ANALYSED_BYTES`]: not analysed.
    TooLarge,
    /// The analysis panicked (logged); nothing is reported for this version.
    Failed,
}

/// One version of an open document. The text is stored as soon as it arrives; the analysis
/// ([`Outcome`]) is computed at most once per version, off the notification path, by the
/// document's analysis worker or by the first request that needs it (whichever comes first; the
/// other waits for it).
#[derive(Debug)]
pub struct DocState {
    pub version: i32,
    pub text: String,
    pub lines: Lines,
    outcome: OnceLock<Outcome>,
    /// The package-name diagnostics of this version and the index revision they were
    /// computed against.
    package_names: Mutex<Option<(u64, Arc<[Diagnostic]>)>>,
}

impl DocState {
    /// A version without its analysis yet (documents that are not analysed get their outcome at
    /// once). Cheap: no parsing.
    #[must_use]
    pub fn new(uri: &Uri, version: i32, text: String, lines: Lines) -> Self {
        let outcome = OnceLock::new();
        if !is_rockcraft_yaml(uri) {
            let _ = outcome.set(Outcome::Ignored);
        } else if text.len() > MAX_ANALYSED_BYTES {
            tracing::warn!(
                uri = uri.as_str(),
                bytes = text.len(),
                "document too large to analyse"
            );
            let _ = outcome.set(Outcome::TooLarge);
        }
        Self {
            version,
            text,
            lines,
            outcome,
            package_names: Mutex::new(None),
        }
    }

    /// The package-name diagnostics against index `revision`: the ones kept for it, else
    /// `compute`d and kept (one revision at a time).
    pub fn package_names(
        &self,
        revision: u64,
        compute: impl FnOnce() -> Vec<Diagnostic>,
    ) -> Arc<[Diagnostic]> {
        if let Ok(kept) = self.package_names.lock()
            && let Some((r, d)) = kept.as_ref()
            && *r == revision
        {
            return Arc::clone(d);
        }
        // Computed outside the lock: a concurrent caller may compute the same, which is harmless.
        let fresh: Arc<[Diagnostic]> = compute().into();
        if let Ok(mut kept) = self.package_names.lock() {
            *kept = Some((revision, Arc::clone(&fresh)));
        }
        fresh
    }

    /// The outcome, when it has been computed.
    #[must_use]
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.get()
    }

    /// The outcome, computing it now if needed (blocking: call it on a blocking thread). A
    /// concurrent caller waits for the computation already running instead of repeating it.
    pub fn analyse(&self) -> &Outcome {
        self.outcome.get_or_init(|| {
            match guarded("analysing the document", || analyze(&self.text)) {
                Some(a) => Outcome::Analysed(Arc::new(a)),
                None => Outcome::Failed,
            }
        })
    }

    /// The analysis, when the document was analysed (and the analysis is done).
    #[must_use]
    pub fn analysis(&self) -> Option<&Analysis> {
        match self.outcome.get()? {
            Outcome::Analysed(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this version is (or will be) analysed: a `rockcraft.yaml` of a reasonable size.
    #[must_use]
    pub fn is_analysable(&self) -> bool {
        self.outcome.get().is_none() || self.analysis().is_some()
    }

    /// Whether diagnostics are published for this document.
    #[must_use]
    pub fn is_diagnosed(&self) -> bool {
        !matches!(self.outcome.get(), Some(Outcome::Ignored))
    }
}

/// All open documents. Cloning is cheap and shares the map (background expansion jobs hold a
/// clone to check that the version they expanded is still current).
#[derive(Clone, Debug, Default)]
pub struct Store {
    docs: Arc<DashMap<Uri, Arc<DocState>>>,
}

impl Store {
    /// The current snapshot of a document (the map guard is released before returning).
    #[must_use]
    pub fn get(&self, uri: &Uri) -> Option<Arc<DocState>> {
        self.docs.get(uri).map(|r| Arc::clone(r.value()))
    }

    /// Stores a new snapshot unconditionally (`didOpen` may reset the version).
    pub fn insert(&self, uri: Uri, state: DocState) -> Arc<DocState> {
        let state = Arc::new(state);
        self.docs.insert(uri, Arc::clone(&state));
        state
    }

    /// Replaces a document's snapshot with `next(current)` atomically, holding the entry's write
    /// guard only for the synchronous `next`. Returns the new snapshot, or `None` if the document
    /// is unknown or `next` declined (returned `None`).
    pub fn update(
        &self,
        uri: &Uri,
        next: impl FnOnce(&DocState) -> Option<DocState>,
    ) -> Option<Arc<DocState>> {
        let mut entry = self.docs.get_mut(uri)?;
        let state = Arc::new(next(entry.value())?);
        *entry.value_mut() = Arc::clone(&state);
        Some(state)
    }

    /// Forgets a document, returning its last snapshot.
    pub fn remove(&self, uri: &Uri) -> Option<Arc<DocState>> {
        self.docs.remove(uri).map(|(_, state)| state)
    }

    /// Snapshots of every open document (the map guards are released before returning).
    #[must_use]
    pub fn all(&self) -> Vec<(Uri, Arc<DocState>)> {
        self.docs
            .iter()
            .map(|r| (r.key().clone(), Arc::clone(r.value())))
            .collect()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

/// Whether the server diagnoses this document: its URI's last path segment is `rockcraft.yaml`.
#[must_use]
pub fn is_rockcraft_yaml(uri: &Uri) -> bool {
    let path = uri.path().as_str();
    let last = path.rsplit('/').next().unwrap_or(path);
    last == "rockcraft.yaml"
}
