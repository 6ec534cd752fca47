//! `textDocument/definition`: from a part, service or check name to where it is defined: the
//! entry written in the document, or, for a part or service an extension generates (an
//! override included), its entry in the expanded project, written to a read-only scratch file.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{GotoDefinitionParams, GotoDefinitionResponse, Location};

use crate::core::ide::names::{self, Target};
use crate::core::text::Lines;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::expansion;
use crate::server::guard::guarded;
use crate::server::handlers::execute_command;

/// `textDocument/definition`.
///
/// # Errors
/// None: no name under the cursor, or one defined nowhere, has no definition.
pub async fn handle(
    backend: &Backend,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    let uri = at.text_document.uri;
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &uri, "definition").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = map.offset(at.position);
    let Some(Some(target)) = guarded("finding a definition", || {
        names::definition(&analysis.doc, offset.into())
    }) else {
        return Ok(None);
    };
    match target {
        Target::Here(ranges) => Ok(Some(GotoDefinitionResponse::Array(
            ranges
                .iter()
                .map(|r| Location::new(uri.clone(), map.range(*r)))
                .collect(),
        ))),
        Target::Generated { kind, name, .. } => {
            let Ok(yaml) = expansion::expanded_yaml(&backend.expansion_ctx(), &uri).await else {
                return Ok(None);
            };
            let Some((shown, text)) = execute_command::write_shown(backend, &uri, &yaml).await
            else {
                return Ok(None);
            };
            let Some(Some(range)) = guarded("finding a generated definition", || {
                names::definition_in(&text, kind, &name)
            }) else {
                return Ok(None);
            };
            let lines = Lines::new(&text);
            let shown_map = LineMap::new(&text, &lines, backend.encoding());
            Ok(Some(GotoDefinitionResponse::Scalar(Location::new(
                shown,
                shown_map.range(range),
            ))))
        }
    }
}
