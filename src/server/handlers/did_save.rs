//! `textDocument/didSave`: re-publish the current diagnostics.

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::server::Backend;
use crate::server::diagnostics;

pub async fn handle(backend: &Backend, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri;
    if let Some(state) = backend.docs.get(&uri) {
        diagnostics::publish(backend, uri, &state).await;
    }
}
