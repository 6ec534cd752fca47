//! `textDocument/references`: every place that names the part, service or check under the
//! cursor, its definition included when the client asks for it.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Location, ReferenceParams};

use crate::core::ide::names::{self, Role};
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;

/// `textDocument/references`.
///
/// # Errors
/// None: no name under the cursor has no references.
pub async fn handle(backend: &Backend, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let at = params.text_document_position;
    let uri = at.text_document.uri;
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &uri, "references").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = map.offset(at.position);
    let with_definition = params.context.include_declaration;
    let found = guarded("finding references", || {
        let doc = &analysis.doc;
        let o = names::at(doc, offset.into())?;
        Some(
            names::same_name(doc, &o)
                .into_iter()
                .filter(|x| with_definition || x.role == Role::Reference)
                .map(|x| Location::new(uri.clone(), map.range(x.range)))
                .collect::<Vec<_>>(),
        )
    });
    Ok(found.flatten())
}
