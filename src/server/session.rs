//! The session: one entry per open document, holding immutable `Arc` snapshots (the text of
//! the current version with its lazily computed analysis, the latest expansion and its findings
//! moved onto the current text) and the handles of the document's background jobs.
//!
//! Rules:
//! - readers take a [`DocSnapshot`] (cheap clones of `Arc`s) and drop the map guard at once;
//!   nothing holds a guard across an `.await`;
//! - writers replace snapshots whole, synchronously, under the entry guard;
//! - within one life of a document (from `didOpen` to `didClose`) versions only go up;
//! - an expansion is kept only for the version it expanded, and only while its job is the
//!   document's current one; each edit after it moves its findings onto the new text
//!   ([`DocSnapshot::carried_expansion`]);
//! - a new version supersedes the previous one at once: the previous version's analysis stops
//!   at its next poll of its flag ([`Snapshot::analyse_unless_superseded`]) and its expansion
//!   job is cancelled;
//! - while the document's expansions are cheap (the last one took less than the server's
//!   `inline_below`), a new version is *held* ([`DocSnapshot::held`]): its publish waits for
//!   its expansion, which runs at once, so each version is published once, complete. A slow
//!   expansion (also one cancelled after running that long) ends the holding until one is
//!   cheap again: then the fast findings are published with the carried ones and the expansion
//!   follows after a debounce.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use dashmap::DashMap;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tower_lsp_server::ls_types::Uri;

use crate::core::analysis::Analysis;
use crate::core::cancel::Cancel;
use crate::core::diagnostic::{Diagnostic, Edit};
use crate::core::document::Document;
use crate::core::ide::expansion::ExpansionResult;
use crate::core::ide::format;
use crate::core::pipeline::{self, MAX_TEXT_BYTES};
use crate::core::text::Lines;

use super::edits::{self, Replaced};
use super::guard::guarded;

/// What the server knows about a document's content.
#[derive(Debug)]
pub enum Outcome {
    /// Not a `rockcraft.yaml`: tracked for edits, never diagnosed.
    Ignored,
    /// Analysed successfully (shared with requests that outlive the map guard).
    Analysed(Arc<Analysis>),
    /// Over [`MAX_TEXT_BYTES`]: not analysed.
    TooLarge,
    /// The analysis panicked (logged); nothing is reported for this version.
    Failed,
}

/// One version of an open document. The text is stored as soon as it arrives; the analysis
/// ([`Outcome`]) is computed at most once per version to its end, off the notification path, by
/// the document's analysis worker or by the first request that needs it (whichever comes first;
/// the other waits for it). The worker's computation stops once the version is superseded.
/// Its first stage, the parsed document, is kept on its own: requests that need only the tree
/// (completion, hover) wait for the parse, not for the checks ([`Snapshot::document`]).
#[derive(Debug)]
pub struct Snapshot {
    pub version: i32,
    /// The text, shared with the parsed document (one copy per version).
    pub text: Arc<str>,
    /// Its line index, shared likewise.
    pub lines: Arc<Lines>,
    /// The parsed text, by whoever parses first (`None` inside: the parser failed).
    parsed: OnceLock<Option<pipeline::Read>>,
    outcome: OnceLock<Outcome>,
    /// Set when a newer version replaces this one: the worker's analysis of it stops.
    superseded: AtomicBool,
    /// Taken while the analysis is computed, so that it runs once at a time.
    computing: Mutex<()>,
    /// Wakes those waiting for the analysis ([`Snapshot::analysed`]) when it is done or the
    /// version is superseded.
    settled: Notify,
    /// The package-name findings of this version and the index revision they were checked
    /// against.
    package_names: Mutex<Option<(u64, Arc<[Diagnostic]>)>>,
    /// The edits that format this whole version with the default options (see
    /// [`Snapshot::formatting`]); `None` inside when the formatter failed.
    formatting: OnceLock<Option<FormatResult>>,
    /// The formatted blocks of this document's earlier versions, shared by its versions, so
    /// that formatting a new version formats only the blocks an edit touched.
    format_blocks: Arc<Mutex<format::Cache>>,
    /// The analysis of an earlier version, which this version's analysis starts from (only
    /// the blocks an edit touched are read again); let go of once this version is analysed.
    basis: Mutex<Option<Arc<Analysis>>>,
}

/// What formatting a whole document answers: the edits, none when it is formatted already, or
/// why it cannot be formatted safely.
pub type FormatResult = Result<Option<Vec<Edit>>, String>;

impl Snapshot {
    /// A version without its analysis yet (documents that are not analysed get their outcome at
    /// once). Cheap: no parsing.
    #[must_use]
    pub fn new(uri: &Uri, version: i32, text: Arc<str>, lines: Arc<Lines>) -> Self {
        let outcome = OnceLock::new();
        if !is_rockcraft_yaml(uri) {
            let _ = outcome.set(Outcome::Ignored);
        } else if text.len() > MAX_TEXT_BYTES {
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
            parsed: OnceLock::new(),
            outcome,
            superseded: AtomicBool::new(false),
            computing: Mutex::new(()),
            settled: Notify::new(),
            package_names: Mutex::new(None),
            formatting: OnceLock::new(),
            format_blocks: Arc::default(),
            basis: Mutex::new(None),
        }
    }

    /// This version formatting from the blocks `earlier` (a previous version) formatted.
    #[must_use]
    pub fn formats_after(mut self, earlier: &Snapshot) -> Self {
        self.format_blocks = Arc::clone(&earlier.format_blocks);
        self
    }

    /// This version with the analysis of an earlier one to start from.
    #[must_use]
    pub fn with_basis(self, basis: Option<Arc<Analysis>>) -> Self {
        if let Ok(mut slot) = self.basis.lock() {
            *slot = basis;
        }
        self
    }

    /// What the next version's analysis can start from: this version's analysis, else the one
    /// this version would have started from.
    #[must_use]
    pub fn basis_for_next(&self) -> Option<Arc<Analysis>> {
        match self.outcome.get() {
            Some(Outcome::Analysed(a)) => Some(Arc::clone(a)),
            Some(_) => None,
            None => self.basis.lock().ok().and_then(|b| b.clone()),
        }
    }

    /// Marks this version as replaced by a newer one.
    pub fn supersede(&self) {
        self.superseded.store(true, Ordering::Relaxed);
        self.settled.notify_waiters();
    }

    /// Waits until the analysis is done (by the document's worker or a request; this computes
    /// nothing, so a document's analyses run one at a time): `true` then, `false` once the
    /// version is superseded first.
    pub async fn analysed(&self) -> bool {
        loop {
            let settled = self.settled.notified();
            tokio::pin!(settled);
            settled.as_mut().enable();
            if self.outcome.get().is_some() {
                return true;
            }
            if self.is_superseded() {
                return false;
            }
            settled.await;
        }
    }

    /// Whether a newer version replaced this one.
    #[must_use]
    pub fn is_superseded(&self) -> bool {
        self.superseded.load(Ordering::Relaxed)
    }

    /// The package-name findings against the indexes of `revision`: those kept for it, else
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
    /// concurrent caller waits for the computation already running instead of repeating it
    /// (and computes it itself if that one stopped because the version was superseded).
    pub fn analyse(&self) -> &Outcome {
        if let Some(done) = self.compute(Cancel::NEVER) {
            return done;
        }
        let failed = self.outcome.get_or_init(|| Outcome::Failed);
        self.settled.notify_waiters();
        failed
    }

    /// [`Snapshot::analyse`], unless this version is superseded before or while it is computed
    /// (then `None`, and nothing is kept: findings cut short are never published). The
    /// analysis worker's way: a newer version makes this one's work pointless.
    pub fn analyse_unless_superseded(&self) -> Option<&Outcome> {
        self.compute(Cancel::new(&self.superseded))
    }

    fn compute(&self, cancel: Cancel<'_>) -> Option<&Outcome> {
        if let Some(done) = self.outcome.get() {
            return Some(done);
        }
        let _turn = self
            .computing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = self.outcome.get() {
            return Some(done);
        }
        if cancel.is_cancelled() {
            return None;
        }
        let basis = self.basis.lock().ok().and_then(|b| b.clone());
        let fresh = self.parse().and_then(|read| {
            guarded("analysing the document", || {
                pipeline::check(read, basis.as_deref(), cancel)
            })
        });
        if cancel.is_cancelled() {
            return None;
        }
        let done = self.outcome.get_or_init(|| match fresh {
            Some(a) => Outcome::Analysed(Arc::new(a)),
            None => Outcome::Failed,
        });
        // Analysed: the earlier version is not needed any more. It is let go of before those
        // waiting are woken: the expansion they start would otherwise build the project's
        // data while the earlier version's tree is still being freed.
        if let Ok(mut b) = self.basis.lock() {
            b.take();
        }
        drop(basis);
        self.settled.notify_waiters();
        Some(done)
    }

    /// The read text: the one read of this version, done now or awaited when another thread is
    /// reading it (blocking), from the earlier version's document when there is one (see
    /// [`pipeline::read`]). `None` when the parser failed.
    fn parse(&self) -> Option<pipeline::Read> {
        self.parsed
            .get_or_init(|| {
                let basis = self.basis.lock().ok().and_then(|b| b.clone());
                guarded("parsing the document", || {
                    pipeline::read_shared(
                        Arc::clone(&self.text),
                        Arc::clone(&self.lines),
                        basis.as_deref(),
                    )
                })
            })
            .clone()
    }

    /// The parsed document of an analysed version, without waiting for its checks: the
    /// analysis's when it is done, else the parse (done now, or awaited when the analysis is
    /// parsing it; blocking). `None` when the version is not analysed (not a `rockcraft.yaml`,
    /// too large, failed).
    #[must_use]
    pub fn document(&self) -> Option<Arc<Document>> {
        match self.outcome.get() {
            Some(Outcome::Analysed(a)) => Some(Arc::clone(&a.doc)),
            Some(_) => None,
            None => self.parse().map(|r| r.doc),
        }
    }

    /// The edits that format this whole version with `options` (blocking: call it on a blocking
    /// thread). Those of the default options are computed once and kept, and serve every
    /// request whose options come to the same for this document (see
    /// [`format::effective_options`]); a concurrent caller waits for the computation already
    /// running. It needs the parsed text only, not the checks. `None` when the version is not
    /// analysed or the formatter failed.
    pub fn formatting(&self, options: format::Options) -> Option<FormatResult> {
        let doc = &self.document()?;
        let compute = |o| {
            guarded("formatting", || {
                let mut blocks = self
                    .format_blocks
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                format::format_document_cached(doc, o, &mut blocks)
            })
        };
        let wanted = format::effective_options(doc, options);
        if wanted == format::effective_options(doc, format::Options::default()) {
            self.formatting.get_or_init(|| compute(wanted)).clone()
        } else {
            compute(wanted)
        }
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

/// The expansion of one document version.
#[derive(Debug)]
pub struct ExpandedVersion {
    pub version: i32,
    pub result: ExpansionResult,
}

/// What readers get of an open document: all immutable, all shared.
#[derive(Clone, Debug)]
pub struct DocSnapshot {
    /// Which life of the document this is (a reopened document starts a new one).
    pub life: u64,
    /// The current version.
    pub snapshot: Arc<Snapshot>,
    /// The latest expansion, of this version or an older one.
    pub expansion: Option<Arc<ExpandedVersion>>,
    /// The latest expansion's findings on the current text (moved through every edit made
    /// since it; findings whose text was edited are left out).
    pub carried: Arc<[Diagnostic]>,
    /// The current version is held: its expansion runs, and its publish waits for it.
    pub held: bool,
}

impl DocSnapshot {
    /// The latest expansion when it is of the current version.
    #[must_use]
    pub fn current_expansion(&self) -> Option<&Arc<ExpandedVersion>> {
        self.expansion
            .as_ref()
            .filter(|e| e.version == self.snapshot.version)
    }

    /// The latest expansion's findings on the current text. They stand until a newer expansion
    /// replaces them, so typing does not make them blink out and back.
    #[must_use]
    pub fn carried_expansion(&self) -> &[Diagnostic] {
        &self.carried
    }
}

/// The handles of a document's background jobs.
#[derive(Debug)]
struct Jobs {
    /// Wakes the analysis worker (a new version is stored).
    wake: Arc<Notify>,
    /// Stops the analysis worker (the document closed or reopened).
    stop: CancellationToken,
    /// The pending or running expansion job.
    expansion: Option<CancellationToken>,
    /// The version whose publish waits for its expansion job (see the module documentation).
    held: Option<i32>,
}

impl Jobs {
    fn cancel(&mut self) {
        self.stop.cancel();
        self.cancel_expansion();
    }

    /// Cancels the expansion job and lets go of a held version; `true` when one was held.
    fn cancel_expansion(&mut self) -> bool {
        if let Some(job) = self.expansion.take() {
            job.cancel();
        }
        self.held.take().is_some()
    }
}

/// The session's entry for one open document.
#[derive(Debug)]
struct Doc {
    life: u64,
    snapshot: Arc<Snapshot>,
    expansion: Option<Arc<ExpandedVersion>>,
    carried: Arc<[Diagnostic]>,
    /// How long the latest expansion took (or ran before it was cancelled, when longer).
    expansion_cost: Duration,
    jobs: Jobs,
}

impl Doc {
    fn read(&self) -> DocSnapshot {
        DocSnapshot {
            life: self.life,
            snapshot: Arc::clone(&self.snapshot),
            expansion: self.expansion.clone(),
            carried: Arc::clone(&self.carried),
            held: self.jobs.held == Some(self.snapshot.version),
        }
    }

    /// Holds the current version for its expansion when expansions are cheap and it will be
    /// expanded (see the module documentation).
    fn hold(&mut self, uri: &Uri, inline_below: Duration) {
        let cheap = self.expansion_cost < inline_below;
        self.jobs.held = (cheap && self.snapshot.is_analysable() && project_dir(uri).is_some())
            .then_some(self.snapshot.version);
    }
}

/// What a new analysis worker needs (see [`Session::open`]).
#[derive(Debug)]
pub struct Opened {
    pub life: u64,
    pub snapshot: Arc<Snapshot>,
    pub wake: Arc<Notify>,
    pub stop: CancellationToken,
}

/// All open documents. Cloning is cheap and shares them.
#[derive(Clone, Debug, Default)]
pub struct Session {
    docs: Arc<DashMap<Uri, Doc>>,
    lives: Arc<AtomicU64>,
}

impl Session {
    /// Starts a new life of a document (`didOpen`; a previous life's jobs are cancelled and its
    /// results forgotten, whatever its version). The version is held for its expansion unless
    /// `inline_below` is zero.
    #[must_use]
    pub fn open(&self, uri: Uri, version: i32, text: String, inline_below: Duration) -> Opened {
        let text: Arc<str> = Arc::from(text);
        let lines = Arc::new(Lines::new(&text));
        let snapshot = Arc::new(Snapshot::new(&uri, version, text, lines));
        let life = self.lives.fetch_add(1, Ordering::Relaxed) + 1;
        let wake = Arc::new(Notify::new());
        let stop = CancellationToken::new();
        let mut doc = Doc {
            life,
            snapshot: Arc::clone(&snapshot),
            expansion: None,
            carried: Arc::from([]),
            expansion_cost: Duration::ZERO,
            jobs: Jobs {
                wake: Arc::clone(&wake),
                stop: stop.clone(),
                expansion: None,
                held: None,
            },
        };
        doc.hold(&uri, inline_below);
        if let Some(mut old) = self.docs.insert(uri, doc) {
            old.jobs.cancel();
        }
        Opened {
            life,
            snapshot,
            wake,
            stop,
        }
    }

    /// Stores the next version `next(current)` computes (the new text, its line index and the
    /// edits that made it), under the entry guard, supersedes the previous version (its
    /// analysis stops, its expansion job is cancelled), holds the new one for its expansion
    /// while the document's expansions take less than `inline_below`, and wakes the analysis
    /// worker. `None` when the document is not open, `version` is not newer, or `next`
    /// declines.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        inline_below: Duration,
        next: impl FnOnce(&Snapshot) -> Option<(String, Lines, Vec<Replaced>)>,
    ) -> Option<Arc<Snapshot>> {
        let mut doc = self.docs.get_mut(uri)?;
        if version <= doc.snapshot.version {
            tracing::warn!(
                uri = uri.as_str(),
                stored = doc.snapshot.version,
                received = version,
                "ignoring a stale didChange"
            );
            return None;
        }
        let (text, lines, made) = next(&doc.snapshot)?;
        let basis = doc.snapshot.basis_for_next();
        let snapshot = Arc::new(
            Snapshot::new(uri, version, Arc::from(text), Arc::new(lines))
                .with_basis(basis)
                .formats_after(&doc.snapshot),
        );
        let old = std::mem::replace(&mut doc.snapshot, Arc::clone(&snapshot));
        old.supersede();
        doc.jobs.cancel_expansion();
        doc.hold(uri, inline_below);
        if !doc.carried.is_empty() {
            doc.carried = doc
                .carried
                .iter()
                .filter_map(|d| edits::map_diagnostic(d, &made))
                .collect();
        }
        doc.jobs.wake.notify_one();
        // The entry's lock is released before the old version is let go of.
        drop(doc);
        let_go(old);
        Some(snapshot)
    }

    /// Forgets a document (`didClose`), cancelling its jobs; returns its last version.
    #[must_use]
    pub fn close(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let (_, mut doc) = self.docs.remove(uri)?;
        doc.jobs.cancel();
        Some(doc.snapshot)
    }

    /// The document as it is now.
    #[must_use]
    pub fn get(&self, uri: &Uri) -> Option<DocSnapshot> {
        self.docs.get(uri).map(|d| d.read())
    }

    /// The document's current version.
    #[must_use]
    pub fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.docs.get(uri).map(|d| Arc::clone(&d.snapshot))
    }

    /// Every open document as it is now (the map guards are released before returning).
    #[must_use]
    pub fn all(&self) -> Vec<(Uri, DocSnapshot)> {
        self.docs
            .iter()
            .map(|d| (d.key().clone(), d.read()))
            .collect()
    }

    /// Installs `job` as the document's expansion job, cancelling the previous one. With
    /// `keep_hold`, a held version stays held for `job`; else it is let go of. `None` (and `job`
    /// cancelled) when the document is not open; else whether a held version was let go of
    /// (its publish is then due).
    #[must_use]
    pub fn replace_expansion_job(
        &self,
        uri: &Uri,
        job: &CancellationToken,
        keep_hold: bool,
    ) -> Option<bool> {
        let Some(mut doc) = self.docs.get_mut(uri) else {
            job.cancel();
            return None;
        };
        if let Some(old) = doc.jobs.expansion.replace(job.clone()) {
            old.cancel();
        }
        let released = !keep_hold && doc.jobs.held.take().is_some();
        Some(released)
    }

    /// Whether the document's current version `version` is held for its expansion.
    #[must_use]
    pub fn is_held(&self, uri: &Uri, version: i32) -> bool {
        self.docs
            .get(uri)
            .is_some_and(|d| d.jobs.held == Some(version) && d.snapshot.version == version)
    }

    /// Cancels the document's expansion job without replacing it; `true` when a held version
    /// was let go of (its publish is then due).
    #[must_use]
    pub fn cancel_expansion_job(&self, uri: &Uri) -> bool {
        self.docs
            .get_mut(uri)
            .is_some_and(|mut doc| doc.jobs.cancel_expansion())
    }

    /// Ends `job` without a result to keep (the YAML does not load, the expansion failed);
    /// `true` when it was the document's current job and held a version (its publish is then
    /// due).
    #[must_use]
    pub fn end_expansion_job(&self, uri: &Uri, job: &CancellationToken) -> bool {
        let Some(mut doc) = self.docs.get_mut(uri) else {
            return false;
        };
        if doc.jobs.expansion.as_ref() != Some(job) {
            return false;
        }
        doc.jobs.cancel_expansion()
    }

    /// Notes how long an expansion of the document ran: all of it when it finished, or until
    /// it was cancelled (kept only when longer than what is known, as a lower bound).
    pub fn note_expansion_cost(&self, uri: &Uri, took: Duration, finished: bool) {
        if let Some(mut doc) = self.docs.get_mut(uri)
            && (finished || took > doc.expansion_cost)
        {
            doc.expansion_cost = took;
        }
    }

    /// Keeps a finished expansion, unless its job was superseded (cancelled) or the document
    /// moved past the version it expanded. `true` when kept.
    #[must_use]
    pub fn finish_expansion(
        &self,
        uri: &Uri,
        job: &CancellationToken,
        done: ExpandedVersion,
    ) -> bool {
        let Some(mut doc) = self.docs.get_mut(uri) else {
            return false;
        };
        let current = doc.jobs.expansion.as_ref().is_some_and(|j| j == job);
        if job.is_cancelled() || !current || doc.snapshot.version != done.version {
            return false;
        }
        doc.jobs.expansion = None;
        doc.jobs.held = None;
        doc.carried = done.result.diagnostics.clone().into();
        doc.expansion = Some(Arc::new(done));
        true
    }

    /// Forgets every document and cancels their jobs (the end of the session), so that no
    /// background task outlives it waiting for work.
    pub fn close_all(&self) {
        self.docs.retain(|_, doc| {
            doc.jobs.cancel();
            false
        });
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
    last == crate::core::facts::PROJECT_FILE
}

/// Lets go of a replaced version. When this is its last reference, its text, tree and
/// analysis (tens of MiB for a file of hundreds of thousands of lines, milliseconds to free)
/// are freed on a blocking thread, so the edit's handler and other documents' requests do not
/// wait for it; outside a runtime (tests) it is freed here. Once edits pause, what was freed
/// is given back to the system ([`super::idle`]).
fn let_go(old: Arc<Snapshot>) {
    if Arc::strong_count(&old) > 1 {
        return;
    }
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn_blocking(move || drop(old));
            super::idle::TRIMMER.freed(&runtime);
        }
        Err(_) => drop(old),
    }
}

/// The directory a document lives in, when it is a file on disk.
#[must_use]
pub fn project_dir(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    path.parent().map(std::path::Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::code::Code;
    use crate::core::text::{TextRange, TextSize};

    fn uri() -> Uri {
        "file:///p/rockcraft.yaml".parse().unwrap()
    }

    /// `text` with `at..end` replaced by `with`, and the replacement made.
    fn edit(text: &str, at: usize, end: usize, with: &str) -> (String, Lines, Vec<Replaced>) {
        let mut t = text.to_owned();
        t.replace_range(at..end, with);
        let r = TextRange::new(
            TextSize::from(u32::try_from(at).unwrap()),
            TextSize::from(u32::try_from(end).unwrap()),
        );
        let lines = Lines::new(&t);
        (t, lines, vec![Replaced::new(r, with)])
    }

    fn expanded(version: i32, text: &str, needle: &str) -> ExpandedVersion {
        let at = u32::try_from(text.find(needle).unwrap()).unwrap();
        let len = u32::try_from(needle.len()).unwrap();
        let range = TextRange::new(TextSize::from(at), TextSize::from(at + len));
        let mut result = ExpansionResult::default();
        result.diagnostics.push(Diagnostic::new(
            range,
            Code::DuplicateKey,
            "from the expansion",
        ));
        ExpandedVersion { version, result }
    }

    /// The text under each carried finding.
    fn found(doc: &DocSnapshot) -> Vec<String> {
        let text = &doc.snapshot.text;
        doc.carried_expansion()
            .iter()
            .map(|d| text[usize::from(d.range.start())..usize::from(d.range.end())].to_owned())
            .collect()
    }

    #[test]
    fn a_replaced_version_is_freed_at_once_outside_a_runtime() {
        let s = Session::default();
        drop(s.open(uri(), 1, "name: a\n".into(), Duration::ZERO));
        let old = Arc::downgrade(&s.snapshot(&uri()).unwrap());
        assert!(
            s.change(&uri(), 2, Duration::ZERO, |o| Some(edit(
                &o.text, 6, 7, "b"
            )))
            .is_some()
        );
        assert!(old.upgrade().is_none());
    }

    #[tokio::test]
    async fn a_replaced_version_is_freed_off_the_async_threads() {
        let s = Session::default();
        drop(s.open(uri(), 1, "name: a\n".into(), Duration::ZERO));
        let old = Arc::downgrade(&s.snapshot(&uri()).unwrap());
        assert!(
            s.change(&uri(), 2, Duration::ZERO, |o| Some(edit(
                &o.text, 6, 7, "b"
            )))
            .is_some()
        );
        // Freed by a blocking task: wait for the blocking pool to have run what was queued.
        for _ in 0..1000 {
            if old.upgrade().is_none() {
                break;
            }
            tokio::task::spawn_blocking(|| ()).await.unwrap();
        }
        assert!(old.upgrade().is_none(), "the old version is still held");
        assert_eq!(&*s.snapshot(&uri()).unwrap().text, "name: b\n");
    }

    #[test]
    fn versions_only_go_up_and_reopening_starts_a_new_life() {
        let s = Session::default();
        let first = s.open(uri(), 3, "name: a\n".into(), Duration::ZERO);
        assert!(
            s.change(&uri(), 3, Duration::ZERO, |_| None::<(
                String,
                Lines,
                Vec<Replaced>
            )>)
            .is_none()
        );
        let v4 = s.change(&uri(), 4, Duration::ZERO, |old| {
            Some(edit(&old.text, 6, 7, "b"))
        });
        assert_eq!(v4.map(|v| v.version), Some(4));
        assert!(
            s.change(&uri(), 2, Duration::ZERO, |old| Some(edit(
                &old.text, 6, 7, "c"
            )))
            .is_none()
        );
        assert_eq!(&*s.snapshot(&uri()).unwrap().text, "name: b\n");
        let second = s.open(uri(), 1, "name: z\n".into(), Duration::ZERO);
        assert!(first.stop.is_cancelled() && !second.stop.is_cancelled());
        assert!(second.life > first.life);
        assert_eq!(s.close(&uri()).map(|v| v.version), Some(1));
        assert!(second.stop.is_cancelled() && s.is_empty());
        let third = s.open(uri(), 1, "name: y\n".into(), Duration::ZERO);
        s.close_all();
        assert!(third.stop.is_cancelled() && s.is_empty());
    }

    #[test]
    fn only_the_current_job_of_the_current_version_is_kept() {
        let s = Session::default();
        let text = "name: a\nbase: bare\n";
        let _ = s.open(uri(), 1, text.into(), Duration::ZERO);
        let old = CancellationToken::new();
        let job = CancellationToken::new();
        assert_eq!(s.replace_expansion_job(&uri(), &old, false), Some(false));
        assert_eq!(s.replace_expansion_job(&uri(), &job, false), Some(false));
        assert!(old.is_cancelled(), "superseded");
        assert!(!s.finish_expansion(&uri(), &old, expanded(1, text, "bare")));
        // The document moved on: the job's version is stale.
        s.change(&uri(), 2, Duration::ZERO, |o| {
            Some(edit(&o.text, 0, 0, "#\n"))
        });
        assert!(!s.finish_expansion(&uri(), &job, expanded(1, text, "bare")));
        let now = s.snapshot(&uri()).unwrap().text.clone();
        let job = CancellationToken::new();
        let _ = s.replace_expansion_job(&uri(), &job, false);
        assert!(s.finish_expansion(&uri(), &job, expanded(2, &now, "bare")));
        let doc = s.get(&uri()).unwrap();
        assert!(doc.current_expansion().is_some() && !doc.carried.is_empty());
        // Not open: nothing to install.
        let other: Uri = "file:///q/rockcraft.yaml".parse().unwrap();
        let lost = CancellationToken::new();
        assert!(s.replace_expansion_job(&other, &lost, false).is_none() && lost.is_cancelled());
    }

    #[test]
    fn findings_follow_the_edits_made_since_their_expansion() {
        let s = Session::default();
        let text = "name: a\nbase: bare\nsummary: s\n";
        let _ = s.open(uri(), 1, text.into(), Duration::ZERO);
        let job = CancellationToken::new();
        let _ = s.replace_expansion_job(&uri(), &job, false);
        assert!(s.finish_expansion(&uri(), &job, expanded(1, text, "bare")));
        // Typing before the finding moves it; typing after it leaves it.
        s.change(&uri(), 2, Duration::ZERO, |o| {
            Some(edit(&o.text, 6, 7, "longer"))
        });
        s.change(&uri(), 3, Duration::ZERO, |o| {
            let end = o.text.len();
            Some(edit(&o.text, end, end, "# end\n"))
        });
        let doc = s.get(&uri()).unwrap();
        assert!(doc.current_expansion().is_none());
        assert_eq!(found(&doc), ["bare"]);
        // Editing the finding's own text drops it.
        s.change(&uri(), 4, Duration::ZERO, |o| {
            let at = o.text.find("bare").unwrap();
            Some(edit(&o.text, at, at + 4, "ubuntu@24.04"))
        });
        assert!(found(&s.get(&uri()).unwrap()).is_empty());
    }

    #[test]
    fn a_version_is_held_while_expansions_are_cheap() {
        let s = Session::default();
        let cheap = Duration::from_millis(50);
        let o = s.open(uri(), 1, "name: a\n".into(), cheap);
        assert!(s.get(&uri()).unwrap().held && s.is_held(&uri(), 1));
        drop(o);
        // The job ends without a result: the publish is due.
        let job = CancellationToken::new();
        assert_eq!(s.replace_expansion_job(&uri(), &job, true), Some(false));
        assert!(s.end_expansion_job(&uri(), &job));
        assert!(!s.get(&uri()).unwrap().held);
        // Each new version is held again; a slow expansion ends the holding.
        s.change(&uri(), 2, cheap, |o| Some(edit(&o.text, 6, 7, "b")));
        assert!(s.is_held(&uri(), 2) && !s.is_held(&uri(), 1));
        s.note_expansion_cost(&uri(), Duration::from_millis(80), false);
        s.change(&uri(), 3, cheap, |o| Some(edit(&o.text, 6, 7, "c")));
        assert!(!s.get(&uri()).unwrap().held);
        // A cheaper finished one brings it back; a cancelled shorter run does not lower it.
        s.note_expansion_cost(&uri(), Duration::from_millis(1), false);
        s.change(&uri(), 4, cheap, |o| Some(edit(&o.text, 6, 7, "d")));
        assert!(!s.get(&uri()).unwrap().held);
        s.note_expansion_cost(&uri(), Duration::from_millis(1), true);
        s.change(&uri(), 5, cheap, |o| Some(edit(&o.text, 6, 7, "e")));
        assert!(s.get(&uri()).unwrap().held);
        // Replacing the job without the hold lets the version go.
        let other = CancellationToken::new();
        assert_eq!(s.replace_expansion_job(&uri(), &other, false), Some(true));
        assert!(!s.get(&uri()).unwrap().held);
        // A document that is not analysed is never expanded, so never held.
        let other: Uri = "file:///p/other.yaml".parse().unwrap();
        let _ = s.open(other.clone(), 1, "a: 1\n".into(), cheap);
        assert!(!s.get(&other).unwrap().held);
    }

    #[test]
    fn a_superseded_version_is_not_analysed_by_the_worker_but_still_for_requests() {
        let s = Session::default();
        drop(s.open(uri(), 1, "name: a\n".into(), Duration::ZERO));
        let v1 = s.snapshot(&uri()).unwrap();
        s.change(&uri(), 2, Duration::ZERO, |o| {
            Some(edit(&o.text, 6, 7, "b"))
        });
        assert!(v1.is_superseded());
        assert!(v1.analyse_unless_superseded().is_none() && v1.outcome().is_none());
        // A request that needs it anyway gets the whole analysis.
        assert!(matches!(v1.analyse(), Outcome::Analysed(_)));
        let v2 = s.snapshot(&uri()).unwrap();
        assert!(!v2.is_superseded());
        assert!(matches!(
            v2.analyse_unless_superseded(),
            Some(Outcome::Analysed(_))
        ));
    }

    #[test]
    fn the_parse_is_had_before_the_checks_and_shared_with_them() {
        let s = Session::default();
        drop(s.open(uri(), 1, "name: a\nbogus: 1\n".into(), Duration::ZERO));
        let v1 = s.snapshot(&uri()).unwrap();
        let parsed = v1.document().expect("parsed");
        assert!(v1.outcome().is_none(), "parsing does not run the checks");
        let Outcome::Analysed(a) = v1.analyse() else {
            panic!("not analysed")
        };
        assert!(Arc::ptr_eq(&parsed, &a.doc), "parsed twice");
        assert!(!a.diagnostics.is_empty());
        // One text and one line index per version, the snapshot's and its document's, also
        // when the version is read from the previous one.
        assert!(Arc::ptr_eq(&v1.text, &parsed.text) && Arc::ptr_eq(&v1.lines, &parsed.lines));
        s.change(&uri(), 2, Duration::ZERO, |o| {
            Some(edit(&o.text, 6, 7, "b"))
        });
        let v2 = s.snapshot(&uri()).unwrap();
        let Outcome::Analysed(a2) = v2.analyse() else {
            panic!("not analysed")
        };
        assert!(Arc::ptr_eq(&v2.text, &a2.doc.text) && Arc::ptr_eq(&v2.lines, &a2.doc.lines));
        assert_eq!(&*a2.doc.text, "name: b\nbogus: 1\n");
        // Documents that are not analysed have no parse for requests either.
        let other: Uri = "file:///p/other.yaml".parse().unwrap();
        drop(s.open(other.clone(), 1, "a: 1\n".into(), Duration::ZERO));
        assert!(s.snapshot(&other).unwrap().document().is_none());
    }

    #[tokio::test]
    async fn waiting_for_the_analysis_ends_when_it_is_done_or_superseded() {
        let s = Session::default();
        drop(s.open(uri(), 1, "name: a\n".into(), Duration::ZERO));
        let v1 = s.snapshot(&uri()).unwrap();
        let waiting = tokio::spawn({
            let v1 = Arc::clone(&v1);
            async move { v1.analysed().await }
        });
        tokio::task::yield_now().await;
        let v = Arc::clone(&v1);
        let done = tokio::task::spawn_blocking(move || v.analyse_unless_superseded().is_some());
        assert!(done.await.unwrap());
        assert!(waiting.await.unwrap(), "the analysis was done");
        s.change(&uri(), 2, Duration::ZERO, |o| {
            Some(edit(&o.text, 6, 7, "b"))
        });
        let v2 = s.snapshot(&uri()).unwrap();
        let waiting = tokio::spawn({
            let v2 = Arc::clone(&v2);
            async move { v2.analysed().await }
        });
        tokio::task::yield_now().await;
        s.change(&uri(), 3, Duration::ZERO, |o| {
            Some(edit(&o.text, 6, 7, "c"))
        });
        assert!(!waiting.await.unwrap(), "superseded before it was analysed");
    }
}
