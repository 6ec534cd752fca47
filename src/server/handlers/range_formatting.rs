//! `textDocument/rangeFormatting`: the lines the range touches, formatted as the whole
//! document would be; none when formatting only them would change what the YAML means.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentRangeFormattingParams, TextEdit};

use crate::core::ide::format;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::handlers::formatting;

/// `textDocument/rangeFormatting`.
///
/// # Errors
/// None: a range that cannot be formatted safely gets no edits.
pub async fn handle(
    backend: &Backend,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(
        &backend.session,
        &params.text_document.uri,
        "rangeFormatting",
    )
    .await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let range = map.text_range(params.range);
    let options = formatting::options(&params.options);
    let result = formatting::off_the_async_threads(move || {
        guarded("formatting a range", || {
            format::format_document_range(&analysis.doc, range, options)
        })
    })
    .await;
    Ok(formatting::edits(&map, result, "rangeFormatting"))
}
