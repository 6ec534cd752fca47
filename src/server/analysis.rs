//! Fast analysis off the notification path: one worker task per open, diagnosed document,
//! coalescing edits ("latest version wins").
//!
//! Rules:
//! - `didOpen`/`didChange` only store the new text (cheap, before any `.await`) and wake the
//!   document's worker; they never parse;
//! - the worker analyses the document's *current* version on a blocking thread; versions that
//!   arrived and were superseded while it was busy are never analysed, and a version
//!   superseded while it is analysed stops there (`Snapshot::analyse_unless_superseded`);
//! - when done it tells the publisher ([`Event::Document`]), which publishes the current state
//!   (or, when the version is held for its expansion, leaves that to the expansion job);
//! - requests that need the analysis of the current version call [`ensure`]: it computes it on
//!   demand or waits for the computation already running (each version is analysed at most
//!   once);
//! - requests that need only the parsed text of the current version (completion, hover: their
//!   answers do not depend on the checks) call [`parsed`]: they wait for the parse, not for the
//!   schema and the rules.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tower_lsp_server::ls_types::Uri;

use super::events::{Event, Events};
use super::session::{DocSnapshot, Opened, Outcome, Session, Snapshot};
use crate::core::analysis::Analysis;
use crate::core::document::Document;

/// How long a request waits for the analysis of the current version before giving up.
pub const WAIT: Duration = Duration::from_secs(10);

/// Starts the analysis worker of a newly opened document (the session stops the one of its
/// previous life). Only documents that are diagnosed get one.
pub fn start(session: &Session, events: &Events, uri: &Uri, opened: &Opened) {
    opened.wake.notify_one();
    tokio::spawn(run(
        session.clone(),
        events.clone(),
        uri.clone(),
        opened.life,
        Arc::clone(&opened.wake),
        opened.stop.clone(),
    ));
}

/// The worker loop: wait for a wake-up, analyse the current version, tell the publisher.
/// Wake-ups that arrive while it is busy collapse into one.
async fn run(
    session: Session,
    events: Events,
    uri: Uri,
    life: u64,
    wake: Arc<Notify>,
    stop: CancellationToken,
) {
    // The last version analysed in this life of the document (versions only go up within it).
    let mut done: Option<i32> = None;
    loop {
        tokio::select! {
            biased;
            () = stop.cancelled() => return,
            () = wake.notified() => {}
        }
        let Some(doc) = session.get(&uri).filter(|d| d.life == life) else {
            return;
        };
        let snapshot = doc.snapshot;
        if done == Some(snapshot.version) {
            continue;
        }
        let version = snapshot.version;
        // However long it takes: a version is published once analysed ([`WAIT`] is for
        // requests, which answer without it rather than keep the client waiting).
        let job =
            tokio::task::spawn_blocking(move || snapshot.analyse_unless_superseded().is_some());
        match job.await {
            Ok(true) => {}
            // Superseded: the newer version has woken the worker already.
            Ok(false) => continue,
            Err(e) => {
                tracing::error!("analysis task failed: {e}");
                continue;
            }
        }
        done = Some(version);
        if stop.is_cancelled() {
            return;
        }
        events.send(Event::Document(uri.clone()));
    }
}

/// An open document's current state together with its finished analysis.
#[derive(Debug)]
pub struct Analysed {
    pub doc: DocSnapshot,
    pub state: Arc<Snapshot>,
    pub analysis: Arc<Analysis>,
}

/// The current version of `uri` with its analysis, computed or awaited when not done yet (see
/// [`ensure`]); `None` when the document is not open, is not an analysed `rockcraft.yaml`, or
/// its analysis could not be had in time. `request` names the caller in the debug log.
pub async fn current(session: &Session, uri: &Uri, request: &str) -> Option<Analysed> {
    let Some(doc) = session.get(uri) else {
        tracing::debug!("{request} for a document that is not open");
        return None;
    };
    let state = Arc::clone(&doc.snapshot);
    if !ensure(&state).await {
        return None;
    }
    let analysis = match state.outcome()? {
        Outcome::Analysed(a) => Arc::clone(a),
        _ => return None,
    };
    Some(Analysed {
        doc,
        state,
        analysis,
    })
}

/// An open document's current state together with its parsed text.
#[derive(Debug)]
pub struct Parsed {
    pub doc: DocSnapshot,
    pub state: Arc<Snapshot>,
    pub document: Arc<Document>,
}

/// The current version of `uri` with its parsed text, at once when its analysis is done, else
/// parsed (or awaited while the analysis parses it) on a blocking thread, for at most
/// [`WAIT`]. `None` as for [`current`].
pub async fn parsed(session: &Session, uri: &Uri, request: &str) -> Option<Parsed> {
    let Some(doc) = session.get(uri) else {
        tracing::debug!("{request} for a document that is not open");
        return None;
    };
    let state = Arc::clone(&doc.snapshot);
    let document = match state.analysis() {
        Some(a) => Arc::clone(&a.doc),
        None => on_parsed(&state, request, Some).await?,
    };
    Some(Parsed {
        doc,
        state,
        document,
    })
}

/// `work` run on the parse of the version `state` (its analysis's, the one done or being
/// done, or done now) on a blocking thread, for at most [`WAIT`]: a request that needs a
/// blocking thread anyway parses on it, instead of waiting on one for the parse and on another
/// for its work. `None` when the version is not an analysed `rockcraft.yaml`, its parse could
/// not be had in time, or `work` answers none.
pub async fn on_parsed<T: Send + 'static>(
    state: &Arc<Snapshot>,
    request: &str,
    work: impl FnOnce(Arc<Document>) -> Option<T> + Send + 'static,
) -> Option<T> {
    if !state.is_analysable() {
        return None;
    }
    let parsing = Arc::clone(state);
    within_wait(state, request, move || work(parsing.document()?))
        .await
        .flatten()
}

/// Makes sure `state`'s analysis is done: at once when it is, else computed on a blocking
/// thread (or awaited, when the worker or another request is already computing it), for at
/// most [`WAIT`]. `false` when it could not be had in time.
pub async fn ensure(state: &Arc<Snapshot>) -> bool {
    if state.outcome().is_some() {
        return true;
    }
    let s = Arc::clone(state);
    within_wait(state, "analysis", move || {
        s.analyse();
    })
    .await
    .is_some()
}

/// `job` run on a blocking thread for `state`'s sake, waited for at most [`WAIT`]; `None` (and
/// a log line naming `what`) when it failed or took longer.
async fn within_wait<T: Send + 'static>(
    state: &Snapshot,
    what: &str,
    job: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    match tokio::time::timeout(WAIT, tokio::task::spawn_blocking(job)).await {
        Ok(Ok(done)) => Some(done),
        Ok(Err(e)) => {
            tracing::error!("{what} task failed: {e}");
            None
        }
        Err(_) => {
            tracing::warn!(version = state.version, "{what} not ready in time");
            None
        }
    }
}
