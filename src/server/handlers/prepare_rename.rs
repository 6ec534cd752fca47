//! `textDocument/prepareRename`: whether the name under the cursor can be renamed, with its
//! range, or the reason it cannot (a generated part or service, a platform, not a name).

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{PrepareRenameResponse, TextDocumentPositionParams};

use crate::core::ide::rename;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;

/// `textDocument/prepareRename`.
///
/// # Errors
/// The name cannot be renamed: the error's message says why (clients show it).
pub async fn handle(
    backend: &Backend,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &params.text_document.uri, "prepareRename").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = map.offset(params.position);
    match guarded("preparing a rename", || {
        rename::prepare(&analysis.doc, offset.into())
    }) {
        Some(Ok(o)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: map.range(o.range),
            placeholder: o.name,
        })),
        Some(Err(why)) => Err(Error::invalid_params(why)),
        None => Ok(None),
    }
}
