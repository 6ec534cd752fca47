//! `textDocument/didChange`: apply full or incremental changes, re-analyse, publish.

use tower_lsp_server::ls_types::DidChangeTextDocumentParams;

use crate::server::diagnostics;
use crate::server::guard::guarded;
use crate::server::{Backend, convert};

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
        Some(state) => diagnostics::publish(backend, uri, &state).await,
        None if backend.docs.get(&uri).is_none() => {
            tracing::warn!(
                uri = uri.as_str(),
                "didChange for a document that is not open"
            );
        }
        None => {}
    }
}
