//! `textDocument/hover`: what the extensions generate for the key under the cursor (with the
//! latest expansion of the current version), or the schema's documentation.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverParams};

use crate::core::ide;
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
    let Some(analysis::Analysed {
        doc,
        state,
        analysis,
    }) = analysis::current(&backend.session, &at.text_document.uri, "hover").await
    else {
        return Ok(None);
    };
    let expanded = doc.current_expansion();
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = u32::from(map.offset(at.position));
    let found = guarded("computing hover", || {
        ide::hover(&analysis.doc, expanded.as_ref().map(|e| &e.result), offset)
            .map(|h| convert::hover(&map, &h))
    });
    Ok(found.flatten())
}
