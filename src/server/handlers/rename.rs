//! `textDocument/rename`: renames a part, service or check and every place that names it, or
//! refuses a name rockcraft or Pebble would read otherwise, saying why.

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{RenameParams, WorkspaceEdit};

use crate::core::ide::rename;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::{self, LineMap};
use crate::server::guard::guarded;

/// `textDocument/rename`.
///
/// # Errors
/// The name cannot be renamed, or not to the new name: the error's message says why.
pub async fn handle(backend: &Backend, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let at = params.text_document_position;
    let uri = at.text_document.uri;
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &uri, "rename").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = map.offset(at.position);
    match guarded("renaming", || {
        rename::rename(&analysis.doc, offset.into(), &params.new_name)
    }) {
        Some(Ok(edits)) => Ok(Some(convert::edits_workspace_edit(
            &map,
            &uri,
            state.version,
            &edits,
            backend.negotiated().document_changes,
        ))),
        Some(Err(why)) => Err(Error::invalid_params(why)),
        None => Ok(None),
    }
}
