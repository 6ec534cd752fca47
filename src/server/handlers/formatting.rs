//! `textDocument/formatting`: the whole document in the `rockcraft init` style, as the few
//! edits that change it; none when the formatting would change what the YAML means or lose a
//! comment (the reason goes to the log).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentFormattingParams, FormattingOptions, TextEdit};

use crate::core::diagnostic::Edit;
use crate::core::ide::format;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::{self, LineMap};
use crate::server::guard::guarded;

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
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &params.text_document.uri, "formatting").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let options = options(&params.options);
    let result = off_the_async_threads(move || {
        guarded("formatting", || {
            format::format_document(&analysis.doc, options)
        })
    })
    .await;
    Ok(edits(&map, result, "formatting"))
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

/// What the core answers: the edits, none when formatted already, or why not.
pub(crate) type FormatResult = std::result::Result<Option<Vec<Edit>>, String>;

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
