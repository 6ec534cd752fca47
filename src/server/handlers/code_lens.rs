//! `textDocument/codeLens`: "Show the expanded project" above `extensions:` and "Compare with
//! what <extension> generates" above each override of a generated part or service; each runs
//! a command of `workspace/executeCommand`.

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams, Command};

use crate::core::ide::lens::{self, LensKind};
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::handlers::execute_command::{COMPARE_WITH_GENERATED, SHOW_EXPANDED_PROJECT};

/// `textDocument/codeLens`.
///
/// # Errors
/// None: a document that is not open or not analysed has no lenses.
pub async fn handle(backend: &Backend, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let Some(analysis::Analysed {
        state, analysis, ..
    }) = analysis::current(&backend.session, &uri, "codeLens").await
    else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let found = guarded("computing code lenses", || {
        lens::lenses(&analysis.doc)
            .into_iter()
            .map(|l| {
                let (command, arguments) = match l.kind {
                    LensKind::ShowExpanded => (
                        SHOW_EXPANDED_PROJECT,
                        vec![Value::String(uri.as_str().to_owned())],
                    ),
                    LensKind::Compare { kind, name } => (
                        COMPARE_WITH_GENERATED,
                        vec![
                            Value::String(uri.as_str().to_owned()),
                            Value::String(kind.section().to_owned()),
                            Value::String(name),
                        ],
                    ),
                };
                CodeLens {
                    range: map.range(l.range),
                    command: Some(Command {
                        title: l.title,
                        command: command.to_owned(),
                        arguments: Some(arguments),
                    }),
                    data: None,
                }
            })
            .collect::<Vec<_>>()
    });
    Ok(found)
}
