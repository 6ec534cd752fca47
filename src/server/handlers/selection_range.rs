//! `textDocument/selectionRange`: for each position, the ranges an "expand selection" walks
//! through, from the word under the cursor out to the whole document.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{SelectionRange, SelectionRangeParams};

use crate::core::ide;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;

/// The most ranges answered per position: the innermost ones, then the whole document. A
/// document nested hundreds of levels deep would otherwise give a reply nested as deep, which
/// clients' JSON readers refuse.
const MAX_CHAIN: usize = 48;

/// `textDocument/selectionRange`: one chain of nested ranges per requested position.
///
/// # Errors
/// None: a document that is not open or not analysed has no selection ranges.
pub async fn handle(
    backend: &Backend,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>> {
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(
        &backend.session,
        &params.text_document.uri,
        "selectionRange",
    )
    .await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let ranges = guarded("computing the selection ranges", || {
        params
            .positions
            .iter()
            .map(|&p| {
                let mut chain = ide::selection_ranges(&analysis.doc, map.offset(p).into());
                if chain.len() > MAX_CHAIN {
                    let whole = chain.pop();
                    chain.truncate(MAX_CHAIN - 1);
                    chain.extend(whole);
                }
                // Built from the outside in: each range becomes the parent of the next.
                let mut out: Option<SelectionRange> = None;
                for r in chain.iter().rev() {
                    out = Some(SelectionRange {
                        range: map.range(*r),
                        parent: out.map(Box::new),
                    });
                }
                out.unwrap_or_else(|| SelectionRange {
                    range: tower_lsp_server::ls_types::Range::new(p, p),
                    parent: None,
                })
            })
            .collect::<Vec<_>>()
    });
    Ok(ranges)
}
