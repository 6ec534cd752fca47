//! `textDocument/foldingRange`: the entries, list items, block scalars and comment blocks of
//! the current version that span several lines, as many as the client's `rangeLimit` allows.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind, FoldingRangeParams};

use crate::core::ide::{self, FoldKind};
use crate::server::Backend;
use crate::server::analysis;
use crate::server::guard::guarded;
use crate::server::raw_reply;

/// `textDocument/foldingRange`: line ranges to fold.
///
/// # Errors
/// None: a document that is not open or not analysed has no folds.
pub async fn handle(
    backend: &Backend,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    let Some(analysis::Analysed { analysis, .. }) =
        analysis::current(&backend.session, &params.text_document.uri, "foldingRange").await
    else {
        return Ok(None);
    };
    let limit = backend
        .negotiated()
        .folding_range_limit
        .and_then(|n| usize::try_from(n).ok());
    let folds = guarded("computing the folding ranges", || {
        ide::folding_ranges(&analysis.doc, limit)
            .iter()
            .map(|f| FoldingRange {
                start_line: f.first_line,
                start_character: None,
                end_line: f.last_line,
                end_character: None,
                kind: Some(match f.kind {
                    FoldKind::Region => FoldingRangeKind::Region,
                    FoldKind::Comment => FoldingRangeKind::Comment,
                }),
                collapsed_text: None,
            })
            .collect::<Vec<_>>()
    });
    Ok(raw_reply::offer(folds))
}
