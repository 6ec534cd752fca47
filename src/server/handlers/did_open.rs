//! `textDocument/didOpen`: store and analyse the document, publish its diagnostics, and
//! schedule its extension expansion.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::core::text::Lines;
use crate::server::Backend;
use crate::server::{diagnostics, expansion};

pub async fn handle(backend: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let lines = Lines::new(&doc.text);
    // Store before the first `.await` so later requests see this version.
    let state = diagnostics::snapshot(&doc.uri, doc.version, doc.text, lines);
    let state = backend.docs.insert(doc.uri.clone(), state);
    // A reopened document starts afresh: no result of its previous life may be published.
    backend.expansions.forget(&doc.uri);
    expansion::schedule(
        &backend.expansion_ctx(),
        &doc.uri,
        Arc::clone(&state),
        expansion::DEBOUNCE,
    );
    diagnostics::publish(backend, doc.uri, &state).await;
}
