//! `textDocument/documentSymbol`: the outline (top-level keys; parts, services, checks,
//! platforms and extensions below them) of the current version.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentSymbolParams, DocumentSymbolResponse};

use crate::core::ide;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::{self, LineMap};
use crate::server::guard::guarded;
use crate::server::raw_reply;

/// `textDocument/documentSymbol`: the outline.
///
/// # Errors
/// None: a document that is not open or not analysed has no outline.
pub async fn handle(
    backend: &Backend,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(
        &backend.session,
        &params.text_document.uri,
        "documentSymbol",
    )
    .await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let symbols = guarded("computing the outline", || {
        ide::symbols(&analysis.doc)
            .iter()
            .map(|s| convert::document_symbol(&map, s))
            .collect::<Vec<_>>()
    });
    Ok(raw_reply::offer(
        symbols.map(DocumentSymbolResponse::Nested),
    ))
}
