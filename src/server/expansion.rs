//! Extension expansion: one cancellable job per document; its result is kept in the session
//! and announced to the publisher.
//!
//! Rules:
//! - while a document's expansions are cheap (the last one took less than
//!   [`INLINE_BELOW`], or what the server was built with), each new version is held (see
//!   `session`): its expansion starts at once, beside its fast analysis, and the version is
//!   published once, when both are done, with every finding. Reading the project costs little:
//!   directory listings are kept until their directory changes (`host::fs`);
//! - once an expansion is slow (it took longer, or ran longer before being cancelled), typing
//!   no longer waits for it: the fast analysis is published with the latest expansion's
//!   findings moved through the edits made since (`session::DocSnapshot::carried_expansion`),
//!   and the expansion runs a debounce after the last edit ([`DEBOUNCE`] unless the server was
//!   built with another), then publishes again; a cheap one brings the holding back;
//! - a new version (or a watched-file change, a save, a settings change) cancels the
//!   document's previous job: a cancelled job never stores or announces its result, and its
//!   expansion stops at its next poll of the cancellation flag (between parts and files, and
//!   per entry of the project), instead of running to the end on its blocking thread;
//! - a result is kept only if the document's version is still the one expanded (see
//!   [`Session::finish_expansion`]), so no publish carries the findings of an older version
//!   except moved onto the current text; a job that ends without one lets its held version be
//!   published.
//!
//! Cost, on the flask template (`tests/golden/flask-init-template/input`): one expansion takes
//! 0.2–0.5 ms in a release build with the file reads (`cargo bench --bench expand`), about as
//! much as the fast stage, so holding the publish for it costs less than a frame.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tower_lsp_server::ls_types::Uri;

use crate::core::cancel::Cancel;
use crate::core::extensions::DEFAULT_EXTENSIONS_DIR;
use crate::core::ide::expansion::ExpansionResult;
use crate::core::pipeline;
use crate::host::files;
use crate::host::fs::RealFs;

use super::analysis;
use super::events::{Event, Events};
use super::guard::guarded;
use super::session::{DocSnapshot, ExpandedVersion, Session, Snapshot, project_dir};
use super::workspace::Workspace;

/// How long after the last edit a slow document's expansion starts (by default).
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Expansions that take less than this run with each new version, which is published once
/// with them (by default): a few frames, far above the template's cost.
pub const INLINE_BELOW: Duration = Duration::from_millis(40);

/// What a job needs from the server, owned so it can outlive the handler that started it.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub session: Session,
    pub events: Events,
    pub experimental: bool,
    /// How long after the last edit a slow document's expansion starts.
    pub debounce: Duration,
    /// Expansions that took less than this run with each new version (zero: never).
    pub inline_below: Duration,
    /// For asking the client to refresh what depends on the expansion.
    pub client: tower_lsp_server::Client,
    /// The client re-asks for inlay hints on request: ask when an expansion is stored.
    pub refresh_hints: bool,
    /// The workspace folders and the checks of closed files (which settings turn on).
    pub workspace: Workspace,
}

/// Schedules the expansion of a document version: at once, keeping the version held, when it
/// is held (see the module documentation); else after the debounce. Cancels the previous job.
pub fn schedule(ctx: &Ctx, uri: &Uri, state: Arc<Snapshot>) {
    if ctx.session.is_held(uri, state.version) {
        start_job(ctx, uri, state, Duration::ZERO, true);
    } else {
        start_job(ctx, uri, state, ctx.debounce, false);
    }
}

/// Schedules the expansion of a document version after `delay`, cancelling its previous job
/// and letting go of a held version (it is published now, the expansion after).
pub fn schedule_after(ctx: &Ctx, uri: &Uri, state: Arc<Snapshot>, delay: Duration) {
    start_job(ctx, uri, state, delay, false);
}

/// Documents that are not analysed (other files, too large, failed) or not on disk (no project
/// directory to inspect, so every file check would fail) are not expanded in the background.
fn start_job(ctx: &Ctx, uri: &Uri, state: Arc<Snapshot>, delay: Duration, keep_hold: bool) {
    if !state.is_analysable() || project_dir(uri).is_none() {
        if ctx.session.cancel_expansion_job(uri) {
            ctx.events.send(Event::Document(uri.clone()));
        }
        return;
    }
    let token = CancellationToken::new();
    match ctx.session.replace_expansion_job(uri, &token, keep_hold) {
        None => return,
        // The held version's publish was waiting for the job replaced: it is due now.
        Some(true) => ctx.events.send(Event::Document(uri.clone())),
        Some(false) => {}
    }
    let ctx = ctx.clone();
    let uri = uri.clone();
    tokio::spawn(async move {
        if !delay.is_zero() {
            tokio::select! {
                () = token.cancelled() => return,
                () = tokio::time::sleep(delay) => {}
            }
        }
        if token.is_cancelled()
            || ctx.session.snapshot(&uri).map(|s| s.version) != Some(state.version)
        {
            return;
        }
        let version = state.version;
        let (result, took) = run(&ctx, &uri, state, &token).await;
        let Some(result) = result else {
            ctx.session.note_expansion_cost(&uri, took, false);
            // Not expanded (the YAML does not load, or it failed): a held version is due.
            if ctx.session.end_expansion_job(&uri, &token) {
                ctx.events.send(Event::Document(uri));
            }
            return;
        };
        ctx.session.note_expansion_cost(&uri, took, true);
        let done = ExpandedVersion { version, result };
        if ctx.session.finish_expansion(&uri, &token, done) {
            ctx.events.send(Event::Document(uri));
            if ctx.refresh_hints {
                // The hints of extensions and overrides come from the expansion.
                if let Err(e) = ctx.client.inlay_hint_refresh().await {
                    tracing::debug!(%e, "workspace/inlayHint/refresh failed");
                }
            }
        }
    });
}

/// Expands a document version now, for a request that answers with the complete findings
/// (`textDocument/diagnostic`), giving up after `within`; `None` when it is not expanded
/// (not analysed, not on disk, failed or too slow). The result is not kept: the scheduled job
/// keeps its own, which is the same.
pub async fn expand_now(
    ctx: &Ctx,
    uri: &Uri,
    state: Arc<Snapshot>,
    within: Duration,
) -> Option<ExpansionResult> {
    if !state.is_analysable() || project_dir(uri).is_none() {
        return None;
    }
    let token = CancellationToken::new();
    let timer = {
        let token = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(within).await;
            token.cancel();
        })
    };
    let (out, _) = run(ctx, uri, state, &token).await;
    timer.abort();
    out
}

/// Runs the expansion stage on a blocking thread once the version's analysis is done, with how
/// long the expansion itself ran (so far, when it was cancelled); `None` when cancelled (before
/// it starts or while it runs), panicked, superseded or not analysed. Cancelling the job stops the expansion itself: the
/// token sets the flag the expansion polls (between parts and files, and per entry).
async fn run(
    ctx: &Ctx,
    uri: &Uri,
    state: Arc<Snapshot>,
    token: &CancellationToken,
) -> (Option<ExpansionResult>, Duration) {
    let experimental = ctx.experimental;
    let dir = project_dir(uri);
    // The document's analysis worker analyses the version (the job never starts a second
    // analysis beside it): wait for it, or give up once the version is superseded.
    tokio::select! {
        () = token.cancelled() => return (None, Duration::ZERO),
        analysed = state.analysed() => {
            if !analysed {
                return (None, Duration::ZERO);
            }
        }
    }
    let started: Arc<OnceLock<Instant>> = Arc::default();
    let mark = Arc::clone(&started);
    let out = cancellable(token, move |cancel| {
        let analysis = state.analysis()?;
        let _ = mark.set(Instant::now());
        guarded("expanding extensions", || {
            expand_with(analysis, dir, experimental, cancel)
        })
        .flatten()
    })
    .await;
    (out, started.get().map_or(Duration::ZERO, Instant::elapsed))
}

/// Runs `work` on a blocking thread with a cancellation flag that `token` sets: `None` when
/// the token is cancelled first (the work then stops at its next poll of the flag) or when the
/// work fails.
async fn cancellable<T: Send + 'static>(
    token: &CancellationToken,
    work: impl FnOnce(Cancel<'_>) -> Option<T> + Send + 'static,
) -> Option<T> {
    let flag = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&flag);
    let job = tokio::task::spawn_blocking(move || work(Cancel::new(&stop)));
    tokio::select! {
        () = token.cancelled() => {
            flag.store(true, Ordering::Relaxed);
            None
        }
        joined = job => joined.ok().flatten(),
    }
}

/// Expands a document against the project directory on disk (no directory: an empty one);
/// `None` when the document cannot be expanded at all (see `pipeline::expansion`).
#[must_use]
pub fn expand_with(
    fast: &crate::core::analysis::Analysis,
    dir: Option<PathBuf>,
    experimental: bool,
    cancel: Cancel<'_>,
) -> Option<ExpansionResult> {
    match dir {
        Some(dir) => pipeline::expansion_with(
            fast,
            &RealFs::new(dir),
            experimental,
            DEFAULT_EXTENSIONS_DIR,
            cancel,
        ),
        None => pipeline::expansion_with(
            fast,
            &crate::core::extensions::MemoryFs::new(),
            experimental,
            DEFAULT_EXTENSIONS_DIR,
            cancel,
        ),
    }
}

/// The open `rockcraft.yaml` documents whose directory contains `path`.
#[must_use]
pub fn affected_by(session: &Session, path: &std::path::Path) -> Vec<(Uri, Arc<Snapshot>)> {
    session
        .all()
        .into_iter()
        .map(|(uri, doc): (Uri, DocSnapshot)| (uri, doc.snapshot))
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
    let result = if let Some(doc) = ctx.session.get(uri) {
        let state = Arc::clone(&doc.snapshot);
        if !analysis::ensure(&state).await || state.analysis().is_none() {
            return Err(format!(
                "{} is not an analysed rockcraft.yaml",
                uri.as_str()
            ));
        }
        if let Some(done) = doc.current_expansion() {
            Some(done.result.clone())
        } else {
            let dir = project_dir(uri);
            let experimental = ctx.experimental;
            blocking(move || {
                let analysis = state.analysis()?;
                guarded("expanding extensions", || {
                    expand_with(analysis, dir, experimental, Cancel::NEVER)
                })
            })
            .await?
        }
    } else {
        let path = uri
            .to_file_path()
            .ok_or_else(|| format!("{} is not open and not a file", uri.as_str()))?
            .into_owned();
        let experimental = ctx.experimental;
        let shown = uri.as_str().to_owned();
        // Only a regular file is read (never a FIFO, a device or a standard stream the client
        // names), and no more of it than the editor would analyse.
        let read = tokio::task::spawn_blocking(move || {
            let bytes = files::read_regular(&path, pipeline::MAX_TEXT_BYTES as u64)
                .map_err(|e| format!("cannot read {shown}: {e}"))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("cannot read {shown}: it is not UTF-8 text"))?;
            Ok::<_, String>((path, text))
        })
        .await
        .map_err(|_| "internal error while reading the project file".to_owned())?;
        let (path, text) = read?;
        blocking(move || {
            let fast = pipeline::fast(&text);
            let dir = path.parent().map(std::path::Path::to_path_buf);
            guarded("expanding extensions", || {
                expand_with(&fast, dir, experimental, Cancel::NEVER)
            })
        })
        .await?
    };
    let Some(result) = result else {
        return Err("the project has no expanded form: its YAML does not load".to_owned());
    };
    match result.yaml() {
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
        "the project has no expanded form: it declares no extensions".to_owned()
    } else {
        errors.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A superseded job's work sees the flag and stops, instead of running to its end.
    #[tokio::test]
    async fn cancelling_the_token_stops_the_running_work() {
        let token = CancellationToken::new();
        let (started, on_start) = tokio::sync::oneshot::channel();
        let (stopped, on_stop) = tokio::sync::oneshot::channel();
        let job = {
            let token = token.clone();
            tokio::spawn(async move {
                cancellable(&token, move |cancel| {
                    let _ = started.send(());
                    // Gives up after a while, so a broken wiring fails the test, not hangs it.
                    let give_up = std::time::Instant::now() + Duration::from_secs(15);
                    while !cancel.is_cancelled() && std::time::Instant::now() < give_up {
                        std::thread::yield_now();
                    }
                    if cancel.is_cancelled() {
                        let _ = stopped.send(());
                    }
                    Some(())
                })
                .await
            })
        };
        on_start.await.expect("the work started");
        token.cancel();
        assert_eq!(job.await.expect("the job ends"), None);
        let seen = tokio::time::timeout(Duration::from_secs(10), on_stop).await;
        assert!(
            matches!(seen, Ok(Ok(()))),
            "the work never saw the cancellation"
        );
    }
}
