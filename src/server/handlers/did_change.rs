//! `textDocument/didChange`: apply full or incremental changes, store the new version (with
//! the byte replacements made, so the latest expansion's findings can follow the text; the
//! previous version's work is cancelled), wake the document's analysis worker and schedule the
//! extension expansion of the new version (at once while expansions are cheap, the version
//! then published once with it; else debounced) and, for a large document, its formatting
//! ahead of a request. Nothing is parsed here: a burst of edits is analysed once, at its
//! latest version.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::server::expansion;
use crate::server::guard::guarded;
use crate::server::handlers::formatting;
use crate::server::{Backend, convert};

#[allow(clippy::unused_async)] // a `LanguageServer` notification handler
pub async fn handle(backend: &Backend, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let enc = backend.encoding();
    // The whole update happens under the entry guard, synchronously.
    let inline_below = backend.options.inline_below;
    let updated = backend.session.change(&uri, version, inline_below, |old| {
        guarded("applying changes", || {
            convert::apply_changes(&old.text, &old.lines, enc, &params.content_changes)
        })
    });
    match updated {
        // The previous version's expansion job was cancelled by the change.
        Some(state) => {
            expansion::schedule(&backend.expansion_ctx(), &uri, Arc::clone(&state));
            formatting::prepare(backend, &uri, &state);
        }
        None if backend.session.get(&uri).is_none() => {
            tracing::warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open"
            );
        }
        None => {}
    }
}
