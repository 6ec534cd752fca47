//! `textDocument/inlayHint`: what each extension adds, the generated values an override keeps,
//! and the base that builds the parts of a `base: bare` project, from the latest expansion
//! (also when it is of an earlier version: a newer one is asked for with
//! `workspace/inlayHint/refresh` once stored). Each kind can be turned off in the settings.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    InlayHint, InlayHintKind, InlayHintLabel, InlayHintParams, InlayHintTooltip,
};

use crate::core::ide::inlay;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::raw_reply;

/// `textDocument/inlayHint`.
///
/// # Errors
/// None: a document that is not open or not analysed has no hints.
pub async fn handle(backend: &Backend, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some(analysis::Analysed {
        doc,
        state,
        analysis,
    }) = analysis::current(&backend.session, &params.text_document.uri, "inlayHint").await
    else {
        return Ok(None);
    };
    let kinds = backend.settings.current().inlay_hints;
    let expanded = doc
        .expansion
        .as_ref()
        .and_then(|e| e.result.expanded.as_ref());
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let range = map.text_range(params.range);
    let hints = guarded("computing inlay hints", || {
        inlay::inlay_hints(&analysis.doc, expanded, range, kinds)
            .into_iter()
            .map(|h| InlayHint {
                position: map.position(h.offset),
                label: InlayHintLabel::String(h.label),
                kind: Some(match h.kind {
                    inlay::HintKind::ExtensionAdds | inlay::HintKind::BuildBase => {
                        InlayHintKind::TYPE
                    }
                    inlay::HintKind::Merged => InlayHintKind::PARAMETER,
                }),
                text_edits: None,
                tooltip: Some(InlayHintTooltip::String(h.tooltip)),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect::<Vec<_>>()
    });
    Ok(raw_reply::offer(hints))
}
