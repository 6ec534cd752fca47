//! `textDocument/didChange`: apply full or incremental changes, re-analyse, publish at once,
//! and schedule the (debounced) extension expansion of the new version.

use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::server::guard::guarded;
use crate::server::{Backend, convert};
use crate::server::{diagnostics, expansion};

pub async fn handle(backend: &Backend, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let enc = backend.encoding();
    // The whole update happens under the entry guard and before any `.await`.
    let updated = backend.docs.update(&uri, |old| {
        if version <= old.version {
            tracing::warn!(
                uri = uri.as_str(),
                stored = old.version,
                received = version,
                "ignoring a stale didChange"
            );
            return None;
        }
        let (text, lines) = guarded("applying changes", || {
            convert::apply_changes(&old.text, &old.lines, enc, &params.content_changes)
        })?;
        Some(diagnostics::snapshot(&uri, version, text, lines))
    });
    match updated {
        Some(state) => {
            // Schedule first: the previous version's job is cancelled before anything awaits.
            expansion::schedule(
                &backend.expansion_ctx(),
                &uri,
                Arc::clone(&state),
                expansion::DEBOUNCE,
            );
            diagnostics::publish(backend, uri, &state).await;
        }
        None if backend.docs.get(&uri).is_none() => {
            tracing::warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open"
            );
        }
        None => {}
    }
}
