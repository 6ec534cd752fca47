//! `textDocument/rangeFormatting`: the lines the range touches, formatted as the whole
//! document would be (from the version's kept formatting); none when formatting only them
//! would change what the YAML means.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentRangeFormattingParams, TextEdit};

use crate::core::ide::format;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::handlers::formatting;
use crate::server::raw_reply;

/// `textDocument/rangeFormatting`.
///
/// # Errors
/// None: a range that cannot be formatted safely gets no edits.
pub async fn handle(
    backend: &Backend,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let Some(analysis::Parsed { state, .. }) = analysis::parsed(
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
    let version = Arc::clone(&state);
    let result = formatting::off_the_async_threads(move || {
        let all = version.formatting(options)?;
        let doc = &version.document()?;
        guarded("formatting a range", || match all {
            Ok(Some(all)) => format::edits_in_range(doc, &all, range),
            other => other,
        })
    })
    .await;
    Ok(raw_reply::offer(formatting::edits(
        &map,
        result,
        "rangeFormatting",
    )))
}
