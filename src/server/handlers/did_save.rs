//! `textDocument/didSave`: publish the current diagnostics again and expand again.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidSaveTextDocumentParams;

use crate::server::Backend;
use crate::server::events::Event;
use crate::server::expansion;

#[allow(clippy::unused_async)] // a `LanguageServer` notification handler
pub async fn handle(backend: &Backend, params: DidSaveTextDocumentParams) {
    let uri = params.text_document.uri;
    if let Some(state) = backend.session.snapshot(&uri) {
        // Saving may come with changes on disk (formatters, generated files): expand again.
        expansion::schedule(&backend.expansion_ctx(), &uri, Arc::clone(&state));
        // Not analysed yet: the analysis worker has it published when done.
        backend.events.send(Event::Saved(uri));
    }
}
