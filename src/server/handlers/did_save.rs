//! `textDocument/didSave`: re-publish the current diagnostics (with the expansion's, when it is of
//! this version) and expand again.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::server::Backend;
use crate::server::{diagnostics, expansion};

pub async fn handle(backend: &Backend, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri;
    if let Some(state) = backend.docs.get(&uri) {
        // Saving may come with changes on disk (formatters, generated files): expand again.
        expansion::schedule(
            &backend.expansion_ctx(),
            &uri,
            Arc::clone(&state),
            expansion::DEBOUNCE,
        );
        // Not analysed yet: the analysis worker publishes it when done.
        diagnostics::publish(backend, uri, &state).await;
    }
}
