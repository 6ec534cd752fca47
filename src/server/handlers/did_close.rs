//! `textDocument/didClose`: forget the document and clear its diagnostics.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::server::Backend;
use crate::server::diagnostics;

pub async fn handle(backend: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    backend.analyses.stop(&uri);
    let removed = backend.docs.remove(&uri);
    backend.expansions.forget(&uri);
    if removed.is_some_and(|s| s.is_diagnosed()) {
        diagnostics::clear(backend, uri).await;
    }
}
