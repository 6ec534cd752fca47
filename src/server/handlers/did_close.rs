//! `textDocument/didClose`: forget the document (cancelling its jobs) and have the publisher
//! clear its diagnostics, after whatever it was about to publish for it.

use tower_lsp_server::ls_types::DidCloseTextDocumentParams;

use crate::server::Backend;
use crate::server::events::Event;

#[allow(clippy::unused_async)] // a `LanguageServer` notification handler
pub async fn handle(backend: &Backend, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    if backend
        .session
        .close(&uri)
        .is_some_and(|s| s.is_diagnosed())
    {
        backend.events.send(Event::Closed(uri.clone()));
        // With `checkClosedFiles`, its findings from disk take over.
        if let Some(path) = uri.to_file_path() {
            backend
                .workspace
                .check_one_in_background(path.into_owned(), backend.settings.experimental());
        }
    }
}
