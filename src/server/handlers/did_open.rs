//! `textDocument/didOpen`: store the document (a new life of it), start its analysis worker
//! (whose result the publisher sends), start its extension expansion (the first publish
//! waits for it while expansions are cheap, see `server::expansion`) and, for a large document,
//! schedule its formatting ahead of a request.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidOpenTextDocumentParams;

use crate::server::Backend;
use crate::server::handlers::formatting;
use crate::server::{analysis, expansion};

#[allow(clippy::unused_async)] // a `LanguageServer` notification handler
pub async fn handle(backend: &Backend, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    // Store before anything else so later requests see this version. A reopened document
    // starts afresh: no result of its previous life is kept or published.
    let inline_below = backend.options.inline_below;
    let opened = backend
        .session
        .open(doc.uri.clone(), doc.version, doc.text, inline_below);
    if opened.snapshot.is_diagnosed() {
        analysis::start(&backend.session, &backend.events, &doc.uri, &opened);
    }
    expansion::schedule(
        &backend.expansion_ctx(),
        &doc.uri,
        Arc::clone(&opened.snapshot),
    );
    formatting::prepare(backend, &doc.uri, &opened.snapshot);
}
