//! `textDocument/hover`: what the name under the cursor stands for, what the extensions
//! generate for it, or the schema's documentation.
//!
//! The hover uses the latest finished expansion, also when it is of an earlier version of the
//! text (a newer one is debounced, running, or cannot run on half-typed YAML): names are looked
//! up in it (parts, services), so it answers what it knew instead of nothing, and says so.
//! Package descriptions come from the indexes loaded so far; the request reads no file. The
//! hover is computed on the parse of the current text (`server::analysis::parsed`): right
//! after an edit it waits for that parse, not for the checks.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverParams};

use crate::core::ide;
use crate::core::packages::document_release;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::{self, LineMap};
use crate::server::guard::guarded;

/// `textDocument/hover`.
///
/// # Errors
/// None: a position without information gets no hover.
pub async fn handle(backend: &Backend, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    // The current text's parse is enough: a hover does not depend on the checks.
    let Some(analysis::Parsed {
        doc,
        state,
        document,
    }) = analysis::parsed(&backend.session, &at.text_document.uri, "hover").await
    else {
        return Ok(None);
    };
    if let Some(r) = document_release(&document) {
        backend.packages.want(&backend.events, &r);
    }
    let packages = backend.packages.snapshot();
    let latest = doc.expansion.as_ref();
    let sources = ide::hover::Sources {
        expansion: latest.map(|e| &e.result),
        stale: latest.is_some_and(|e| e.version != state.version),
        packages: Some(&*packages),
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = u32::from(map.offset(at.position));
    let found = guarded("computing hover", || {
        ide::hover_with(&document, &sources, offset).map(|h| convert::hover(&map, &h))
    });
    Ok(found.flatten())
}
