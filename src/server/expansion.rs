//! Background extension expansion: one debounced, cancellable job per document, the latest
//! result per document, and the merged (fast + expansion) diagnostics publish.
//!
//! Rules:
//! - typing never waits: the fast analysis is published at once by the edit handlers; the
//!   expansion runs [`DEBOUNCE`] later on a blocking thread and publishes again when done;
//! - a new edit (or a watched-file change) cancels the document's previous job;
//! - a result is stored and published only if the document's stored version is still the one
//!   expanded, so no publish ever carries expansion diagnostics of an older version;
//! - every publish for a document happens under one lock, after re-checking that its version is
//!   still current, so the client never sees an older version after a newer one.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::Uri;

use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::facts;
use crate::core::ide::expansion::ExpansionResult;
use crate::core::pipeline;
use crate::core::text::Encoding;
use crate::host::fs::RealFs;

use super::diagnostics;
use super::guard::guarded;
use super::store::{DocState, Store};

/// How long after the last edit the expansion starts.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// The expansion of one document version.
#[derive(Debug)]
pub struct Expanded {
    pub version: i32,
    pub result: ExpansionResult,
}

#[derive(Debug, Default)]
struct Entry {
    /// The pending or running job, cancelled by the next schedule.
    job: Option<CancellationToken>,
    /// The newest finished expansion (possibly of an older version).
    latest: Option<Arc<Expanded>>,
    /// Version of the last publish and whether it carried expansion diagnostics.
    published: Option<(i32, bool)>,
}

/// Expansion state of all open documents. Cloning is cheap and shares the state.
#[derive(Clone, Debug, Default)]
pub struct Expansions {
    entries: Arc<DashMap<Uri, Entry>>,
    /// Serialises publishes (check version, convert, send) so they go out in version order.
    pub(crate) publish_lock: Arc<Mutex<()>>,
}

/// What a job needs from the server, owned so it can outlive the handler that started it.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub client: Client,
    pub docs: Store,
    pub expansions: Expansions,
    pub encoding: Encoding,
    pub experimental: bool,
    /// The package indexes (for the `unknown-slice`/`unknown-package` diagnostics).
    pub packages: super::packages::Packages,
}

/// Whether the environment asks for experimental extensions (set and non-empty).
#[must_use]
pub fn experimental_from_env() -> bool {
    facts::experimental_from(std::env::var_os(facts::EXPERIMENTAL_ENV).as_deref())
}

/// The directory a document lives in, when it is a file on disk.
#[must_use]
pub fn project_dir(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    path.parent().map(std::path::Path::to_path_buf)
}

impl Expansions {
    /// The latest expansion of `uri`, provided it is of `version`.
    #[must_use]
    pub fn current(&self, uri: &Uri, version: i32) -> Option<Arc<Expanded>> {
        let entry = self.entries.get(uri)?;
        entry
            .latest
            .as_ref()
            .filter(|e| e.version == version)
            .map(Arc::clone)
    }

    /// Cancels the document's job and forgets its results (`didClose`).
    pub fn forget(&self, uri: &Uri) {
        if let Some((_, entry)) = self.entries.remove(uri)
            && let Some(job) = entry.job
        {
            job.cancel();
        }
    }

    /// Installs `token` as the document's job, cancelling the previous one.
    fn replace_job(&self, uri: &Uri, token: CancellationToken) {
        let mut entry = self.entries.entry(uri.clone()).or_default();
        if let Some(old) = entry.job.replace(token) {
            old.cancel();
        }
    }

    /// Cancels the document's job without replacing it.
    fn cancel_job(&self, uri: &Uri) {
        if let Some(mut entry) = self.entries.get_mut(uri)
            && let Some(old) = entry.job.take()
        {
            old.cancel();
        }
    }

    /// Stores a finished expansion unless its job was superseded or the document moved on.
    fn finish(
        &self,
        docs: &Store,
        uri: &Uri,
        token: &CancellationToken,
        done: Arc<Expanded>,
    ) -> bool {
        let Some(mut entry) = self.entries.get_mut(uri) else {
            return false; // closed meanwhile
        };
        if token.is_cancelled() || docs.get(uri).map(|s| s.version) != Some(done.version) {
            return false;
        }
        if entry.job.as_ref().is_some_and(|j| j == token) {
            entry.job = None;
        }
        entry.latest = Some(done);
        true
    }
}

/// Schedules the expansion of a document snapshot after `delay`, cancelling its previous job.
/// Documents that are not analysed (other files, too large, failed) or not on disk (no project
/// directory to inspect, so every file check would fail) are not expanded in the background.
pub fn schedule(ctx: &Ctx, uri: &Uri, state: Arc<DocState>, delay: Duration) {
    if !state.is_analysable() || project_dir(uri).is_none() {
        ctx.expansions.cancel_job(uri);
        return;
    }
    let token = CancellationToken::new();
    ctx.expansions.replace_job(uri, token.clone());
    let ctx = ctx.clone();
    let uri = uri.clone();
    tokio::spawn(async move {
        tokio::select! {
            () = token.cancelled() => return,
            () = tokio::time::sleep(delay) => {}
        }
        if ctx.docs.get(&uri).map(|s| s.version) != Some(state.version) {
            return;
        }
        let version = state.version;
        let Some(result) = run(&ctx, &uri, state, &token).await else {
            return;
        };
        let done = Arc::new(Expanded { version, result });
        if ctx.expansions.finish(&ctx.docs, &uri, &token, done) {
            publish(&ctx, &uri, version, true).await;
        }
    });
}

/// Runs `expand_document` on a blocking thread; `None` when cancelled, panicked or not analysed.
async fn run(
    ctx: &Ctx,
    uri: &Uri,
    state: Arc<DocState>,
    token: &CancellationToken,
) -> Option<ExpansionResult> {
    let experimental = ctx.experimental;
    let dir = project_dir(uri);
    let work = tokio::task::spawn_blocking(move || {
        // Usually done by the analysis worker by now; else computed (or awaited) here.
        state.analyse();
        let analysis = state.analysis()?;
        guarded("expanding extensions", || {
            expand_with(&analysis.doc, dir, experimental)
        })
    });
    tokio::select! {
        () = token.cancelled() => None,
        joined = work => joined.ok().flatten(),
    }
}

/// Expands a document against the project directory on disk (no directory: an empty one).
#[must_use]
pub fn expand_with(
    doc: &crate::core::document::Document,
    dir: Option<PathBuf>,
    experimental: bool,
) -> ExpansionResult {
    match dir {
        Some(dir) => {
            pipeline::expansion(doc, &RealFs::new(dir), experimental, DEFAULT_EXTENSIONS_DIR)
        }
        None => pipeline::expansion(
            doc,
            &crate::core::extensions::MemoryFs::new(),
            experimental,
            DEFAULT_EXTENSIONS_DIR,
        ),
    }
}

/// Publishes the current snapshot's fast diagnostics merged with its expansion's (when the
/// latest expansion is of the same version). Skipped when the document moved past `version`
/// (the newer version publishes itself). With `after_expansion`, also skipped when it would
/// repeat the last publish (no expansion diagnostics before or now) to spare the client.
pub async fn publish(ctx: &Ctx, uri: &Uri, version: i32, after_expansion: bool) {
    let Some(state) = ctx.docs.get(uri).filter(|s| s.version == version) else {
        return;
    };
    // The document's release may need the host's lists: start reading them (never waits).
    if let Some(release) = state
        .analysis()
        .and_then(|a| crate::core::packages::document_release(&a.doc))
    {
        ctx.packages.want(ctx, &release);
    }
    // Package names are checked off the async threads (a "did you mean" scans a large list),
    // against the indexes loaded now.
    let mut packages = ctx.packages.snapshot();
    let mut names = diagnostics::package_diagnostics_blocking(&state, &packages).await;
    let checked = state;
    let _order = ctx.publish_lock().lock().await;
    let Some(state) = ctx.docs.get(uri) else {
        return;
    };
    if state.version != version {
        return;
    }
    let now = ctx.packages.snapshot();
    if !Arc::ptr_eq(&packages, &now) || !Arc::ptr_eq(&checked, &state) {
        // An index finished loading (or the document was reopened) meanwhile, which is rare:
        // check again, so this publish is not older than the one that change triggers.
        packages = now;
        names = diagnostics::package_diagnostics(&state, &packages);
    }
    let expanded = ctx.expansions.current(uri, version);
    let Some((diags, with_expansion)) =
        diagnostics::merged(uri, &state, expanded.as_deref(), &names, ctx.encoding)
    else {
        return;
    };
    {
        let mut entry = ctx.expansions.entries.entry(uri.clone()).or_default();
        let unchanged = entry.published == Some((version, false)) && !with_expansion;
        if after_expansion && unchanged {
            return;
        }
        entry.published = Some((version, with_expansion));
    }
    ctx.client
        .publish_diagnostics(uri.clone(), diags, Some(version))
        .await;
}

impl Ctx {
    fn publish_lock(&self) -> &Mutex<()> {
        &self.expansions.publish_lock
    }
}

/// The open `rockcraft.yaml` documents whose directory contains `path`.
#[must_use]
pub fn affected_by(docs: &Store, path: &std::path::Path) -> Vec<(Uri, Arc<DocState>)> {
    docs.all()
        .into_iter()
        .filter(|(uri, state)| {
            state.is_analysable()
                && project_dir(uri).is_some_and(|dir| path.starts_with(&dir))
                && uri.to_file_path().is_none_or(|own| own.as_ref() != path)
        })
        .collect()
}

/// The expanded project text of a document (`rockcraft expand-extensions` output), or why there
/// is none. Uses the latest expansion when it is of the open version, else expands now; a
/// document that is not open is read from disk.
///
/// # Errors
/// A message for the user: the document is unknown or unreadable, or expansion failed.
pub async fn expanded_yaml(ctx: &Ctx, uri: &Uri) -> Result<String, String> {
    let result = match ctx.docs.get(uri) {
        Some(state) => {
            if !super::analysis::ensure(&state).await || state.analysis().is_none() {
                return Err(format!(
                    "{} is not an analysed rockcraft.yaml",
                    uri.as_str()
                ));
            }
            if let Some(done) = ctx.expansions.current(uri, state.version) {
                done.result.clone()
            } else {
                let dir = project_dir(uri);
                let experimental = ctx.experimental;
                blocking(move || {
                    let analysis = state.analysis()?;
                    guarded("expanding extensions", || {
                        expand_with(&analysis.doc, dir, experimental)
                    })
                })
                .await?
            }
        }
        None => {
            let path = uri
                .to_file_path()
                .ok_or_else(|| format!("{} is not open and not a file", uri.as_str()))?
                .into_owned();
            let experimental = ctx.experimental;
            blocking(move || {
                let text = std::fs::read_to_string(&path).ok()?;
                let doc = crate::core::document::Document::parse(&text);
                let dir = path.parent().map(std::path::Path::to_path_buf);
                guarded("expanding extensions", || {
                    expand_with(&doc, dir, experimental)
                })
            })
            .await
            .map_err(|_| format!("cannot read {}", uri.as_str()))?
        }
    };
    match result.yaml {
        Some(yaml) => Ok(yaml),
        None => Err(failure_message(&result)),
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Option<T> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| "internal error while expanding extensions".to_owned())
}

/// Why an expansion has no YAML: its error messages, one a line.
fn failure_message(result: &ExpansionResult) -> String {
    use crate::core::diagnostic::Severity;
    let errors: Vec<&str> = result
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    if errors.is_empty() {
        "the project has no expanded form (no extensions, or the YAML does not load)".to_owned()
    } else {
        errors.join("\n")
    }
}
