//! `textDocument/documentHighlight`: the other places of the document that name the part,
//! service or check under the cursor; definitions are marked as writes, references as reads.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams,
};

use crate::core::ide::names::{self, Role};
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;

/// `textDocument/documentHighlight`.
///
/// # Errors
/// None: no name under the cursor has no highlights.
pub async fn handle(
    backend: &Backend,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let at = params.text_document_position_params;
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &at.text_document.uri, "documentHighlight").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = map.offset(at.position);
    let found = guarded("finding highlights", || {
        let doc = &analysis.doc;
        let o = names::at(doc, offset.into())?;
        Some(
            names::same_name(doc, &o)
                .into_iter()
                .map(|x| DocumentHighlight {
                    range: map.range(x.range),
                    kind: Some(match x.role {
                        Role::Definition => DocumentHighlightKind::WRITE,
                        Role::Reference => DocumentHighlightKind::READ,
                    }),
                })
                .collect::<Vec<_>>(),
        )
    });
    Ok(found.flatten())
}
