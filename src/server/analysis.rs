//! Fast analysis off the notification path: one worker task per open, diagnosed document,
//! coalescing edits ("latest version wins").
//!
//! Rules:
//! - `didOpen`/`didChange` only store the new text (cheap, before any `.await`) and wake the
//!   document's worker; they never parse;
//! - the worker analyses the document's *current* version on a blocking thread; versions that
//!   arrived and were superseded while it was busy are never analysed;
//! - a result is published only if its version is still current when the publish lock is held
//!   (see [`expansion::publish`]), so publishes never go back in version order and a stale
//!   version's diagnostics are never sent;
//! - requests that need the analysis of the current version call [`ensure`]: it computes it on
//!   demand or waits for the computation already running (each version is analysed at most once).

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tower_lsp_server::ls_types::Uri;

use super::expansion;
use super::store::{DocState, Outcome, Store};
use crate::core::analysis::Analysis;

/// How long a request waits for the analysis of the current version before giving up.
pub const WAIT: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Worker {
    wake: Arc<Notify>,
    stop: CancellationToken,
}

/// The analysis workers of all open documents. Cloning is cheap and shares them.
#[derive(Clone, Debug, Default)]
pub struct Analyses {
    workers: Arc<DashMap<Uri, Worker>>,
}

impl Analyses {
    /// Starts the worker of a newly opened document (stopping the one of a previous life) and
    /// lets it analyse the stored version. Only documents that are diagnosed get one.
    pub fn start(&self, ctx: &expansion::Ctx, uri: &Uri) {
        let wake = Arc::new(Notify::new());
        let stop = CancellationToken::new();
        let worker = Worker {
            wake: Arc::clone(&wake),
            stop: stop.clone(),
        };
        if let Some(old) = self.workers.insert(uri.clone(), worker) {
            old.stop.cancel();
        }
        wake.notify_one();
        tokio::spawn(run(ctx.clone(), uri.clone(), wake, stop));
    }

    /// Tells the document's worker that a new version is stored. Never blocks.
    pub fn wake(&self, uri: &Uri) {
        if let Some(w) = self.workers.get(uri) {
            w.wake.notify_one();
        }
    }

    /// Stops the document's worker (`didClose`).
    pub fn stop(&self, uri: &Uri) {
        if let Some((_, w)) = self.workers.remove(uri) {
            w.stop.cancel();
        }
    }
}

/// The worker loop: wait for a wake-up, analyse the current version, publish it if still
/// current. Wake-ups that arrive while it is busy collapse into one.
async fn run(ctx: expansion::Ctx, uri: Uri, wake: Arc<Notify>, stop: CancellationToken) {
    // The last version analysed in this life of the document (versions only go up within it).
    let mut done: Option<i32> = None;
    loop {
        tokio::select! {
            biased;
            () = stop.cancelled() => return,
            () = wake.notified() => {}
        }
        let Some(state) = ctx.docs.get(&uri) else {
            return;
        };
        if done == Some(state.version) {
            continue;
        }
        let version = state.version;
        // However long it takes: a version is published once analysed ([`WAIT`] is for
        // requests, which answer without it rather than keep the client waiting).
        let job = tokio::task::spawn_blocking(move || {
            state.analyse();
        });
        if let Err(e) = job.await {
            tracing::error!("analysis task failed: {e}");
            continue;
        }
        done = Some(version);
        if stop.is_cancelled() {
            return;
        }
        expansion::publish(&ctx, &uri, version, false).await;
    }
}

/// An open document's current version together with its finished analysis.
#[derive(Debug)]
pub struct Analysed {
    pub state: Arc<DocState>,
    pub analysis: Arc<Analysis>,
}

/// The current version of `uri` with its analysis, computed or awaited when not done yet (see
/// [`ensure`]); `None` when the document is not open, is not an analysed `rockcraft.yaml`, or
/// its analysis could not be had in time. `request` names the caller in the debug log.
pub async fn current(docs: &Store, uri: &Uri, request: &str) -> Option<Analysed> {
    let Some(state) = docs.get(uri) else {
        tracing::debug!("{request} for a document that is not open");
        return None;
    };
    if !ensure(&state).await {
        return None;
    }
    let analysis = match state.outcome()? {
        Outcome::Analysed(a) => Arc::clone(a),
        _ => return None,
    };
    Some(Analysed { state, analysis })
}

/// Makes sure `state`'s analysis is done: at once when it is, else computed on a blocking
/// thread (or awaited, when the worker or another request is already computing it), for at
/// most [`WAIT`]. `false` when it could not be had in time.
pub async fn ensure(state: &Arc<DocState>) -> bool {
    if state.outcome().is_some() {
        return true;
    }
    let s = Arc::clone(state);
    let job = tokio::task::spawn_blocking(move || {
        s.analyse();
    });
    match tokio::time::timeout(WAIT, job).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::error!("analysis task failed: {e}");
            false
        }
        Err(_) => {
            tracing::warn!(
                version = state.version,
                "analysis not ready in time; answering without it"
            );
            false
        }
    }
}
