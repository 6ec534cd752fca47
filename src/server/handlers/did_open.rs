//! `textDocument/didOpen`: store the document, start its analysis worker (which publishes its
//! diagnostics) and schedule its extension expansion.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::core::text::Lines;
use crate::server::Backend;
use crate::server::expansion;
use crate::server::store::DocState;

#[allow(clippy::unused_async)] // a `LanguageServer` notification handler
pub async fn handle(backend: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let lines = Lines::new(&doc.text);
    // Store before anything else so later requests see this version.
    let state = DocState::new(&doc.uri, doc.version, doc.text, lines);
    let state = backend.docs.insert(doc.uri.clone(), state);
    // A reopened document starts afresh: no result of its previous life may be published.
    backend.expansions.forget(&doc.uri);
    let ctx = backend.expansion_ctx();
    if state.is_diagnosed() {
        backend.analyses.start(&ctx, &doc.uri);
    }
    expansion::schedule(&ctx, &doc.uri, Arc::clone(&state), expansion::DEBOUNCE);
}
