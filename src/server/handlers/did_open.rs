//! `textDocument/didOpen`: store and analyse the document, then publish its diagnostics.

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::core::text::Lines;
use crate::server::Backend;
use crate::server::diagnostics;

pub async fn handle(backend: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let lines = Lines::new(&doc.text);
    // Store before the first `.await` so later requests see this version.
    let state = diagnostics::snapshot(&doc.uri, doc.version, doc.text, lines);
    let state = backend.docs.insert(doc.uri.clone(), state);
    diagnostics::publish(backend, doc.uri, &state).await;
}
