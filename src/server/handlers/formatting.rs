//! `textDocument/formatting`: the whole document in the `rockcraft init` style, as the few
//! edits that change it; none when the formatting would change what the YAML means or lose a
//! comment (the reason goes to the log). A large document is formatted ahead, when it is
//! opened and when typing pauses, block by block with the blocks of its earlier versions
//! kept, and each version keeps its formatting, so a request (format on save, typically)
//! answers at once.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentFormattingParams, FormattingOptions, TextEdit};

use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::core::ide::format;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::{self, LineMap};
use crate::server::raw_reply;
use crate::server::session::{FormatResult, Snapshot};

/// The core's options from the editor's: its tab size (YAML cannot indent with tabs, so
/// `insertSpaces: false` is ignored).
pub(crate) fn options(o: &FormattingOptions) -> format::Options {
    format::Options {
        tab_size: Some(o.tab_size),
    }
}

/// `textDocument/formatting`.
///
/// # Errors
/// None: a document that cannot be formatted safely gets no edits.
pub async fn handle(
    backend: &Backend,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let Some(analysis::Parsed { state, .. }) =
        analysis::parsed(&backend.session, &params.text_document.uri, "formatting").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let options = options(&params.options);
    let version = Arc::clone(&state);
    let result = off_the_async_threads(move || version.formatting(options)).await;
    Ok(raw_reply::offer(edits(&map, result, "formatting")))
}

/// Documents from this size on are formatted ahead of a request: below it, formatting on
/// request takes a few milliseconds at most.
const AHEAD_FROM_BYTES: usize = 32 * 1024;
/// Documents larger than this are formatted on request only.
const AHEAD_UP_TO_BYTES: usize = 1024 * 1024;

/// Formats a large document's version ahead of a request once typing pauses (a debounce after
/// the edit or the open, on a blocking thread), so that formatting it (often on save) answers
/// at once. A version replaced before the pause ends is not formatted. The document is
/// formatted block by block from the blocks its earlier versions formatted: the first time
/// costs about what one formatting of the whole costs (tens of milliseconds at 20,000 lines)
/// but holds one block at a time, and each version after an edit formats only the blocks the
/// edit touched.
pub(crate) fn prepare(backend: &Backend, uri: &Uri, state: &Arc<Snapshot>) {
    if !(AHEAD_FROM_BYTES..=AHEAD_UP_TO_BYTES).contains(&state.text.len()) || !state.is_analysable()
    {
        return;
    }
    // The version is not kept alive while the pause runs: in a burst of typing, each replaced
    // version (its text, tree and analysis) is freed at once.
    let (session, uri, version) = (backend.session.clone(), uri.clone(), Arc::downgrade(state));
    let delay = backend.options.debounce;
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let Some(state) = version.upgrade().filter(|state| {
            session
                .snapshot(&uri)
                .is_some_and(|now| Arc::ptr_eq(&now, state))
        }) else {
            return;
        };
        let job = tokio::task::spawn_blocking(move || {
            let _ = state.formatting(format::Options::default());
        });
        if let Err(e) = job.await {
            tracing::error!("formatting ahead failed: {e}");
        }
    });
}

/// The core's answer, computed on a blocking thread: formatting a large file takes long
/// enough to hold up other requests.
pub(crate) async fn off_the_async_threads(
    job: impl FnOnce() -> Option<FormatResult> + Send + 'static,
) -> Option<FormatResult> {
    match tokio::task::spawn_blocking(job).await {
        Ok(result) => result,
        Err(e) => {
            tracing::error!("formatting task failed: {e}");
            None
        }
    }
}

/// The protocol's edits for the core's answer; `None` (and a log line) for a refusal.
pub(crate) fn edits(
    map: &LineMap<'_>,
    result: Option<FormatResult>,
    what: &str,
) -> Option<Vec<TextEdit>> {
    match result? {
        Ok(edits) => edits.map(|e| e.iter().map(|e| convert::text_edit(map, e)).collect()),
        Err(why) => {
            tracing::info!("{what}: no edits: {why}");
            None
        }
    }
}
