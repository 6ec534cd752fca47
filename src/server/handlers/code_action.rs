//! `textDocument/codeAction`: quick fixes for the current analysis's diagnostics in the range.
//!
//! Fixes always come from the server's current analysis, never from the client's copy of the
//! diagnostic, so a stale request cannot apply an edit computed for an older text. A client
//! diagnostic that matches one of ours (same code and range) is attached to the action as is.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionResponse,
};

use crate::core::diagnostic::Diagnostic;
use crate::server::convert::{self, LineMap};
use crate::server::guard::guarded;
use crate::server::store::DocState;
use crate::server::{Backend, Negotiated};

pub fn handle(backend: &Backend, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    if !wants_quickfix(params.context.only.as_deref()) {
        return Ok(None);
    }
    let Some(state) = backend.docs.get(&params.text_document.uri) else {
        tracing::debug!("codeAction for a document that is not open");
        return Ok(None);
    };
    let n = backend.negotiated();
    let actions = guarded("computing code actions", || quick_fixes(&params, &state, n)).flatten();
    Ok(actions)
}

fn wants_quickfix(only: Option<&[CodeActionKind]>) -> bool {
    let quickfix = CodeActionKind::QUICKFIX;
    let quickfix = quickfix.as_str();
    only.is_none_or(|kinds| {
        kinds.iter().any(|k| {
            let k = k.as_str();
            k.is_empty() || k == quickfix || quickfix.starts_with(&format!("{k}."))
        })
    })
}

fn quick_fixes(
    params: &CodeActionParams,
    state: &DocState,
    n: Negotiated,
) -> Option<CodeActionResponse> {
    let analysis = state.analysis()?;
    let uri = &params.text_document.uri;
    let map = LineMap::new(&state.text, &state.lines, n.encoding);
    let wanted = map.text_range(params.range);
    let mut out = Vec::new();
    for d in analysis.diagnostics.iter().filter(|d| !d.fixes.is_empty()) {
        let lsp_range = map.range(d.range);
        let from_client = params
            .context
            .diagnostics
            .iter()
            .find(|c| same_diagnostic(c, d, lsp_range));
        let overlaps = d.range.start() <= wanted.end() && wanted.start() <= d.range.end();
        if from_client.is_none() && !overlaps {
            continue;
        }
        let attached = from_client
            .cloned()
            .unwrap_or_else(|| convert::diagnostic(&map, uri, state.version, d));
        let single = d.fixes.len() == 1;
        for fix in &d.fixes {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![attached.clone()]),
                edit: Some(convert::workspace_edit(
                    &map,
                    uri,
                    state.version,
                    fix,
                    n.document_changes,
                )),
                is_preferred: single.then_some(true),
                ..CodeAction::default()
            }));
        }
    }
    Some(out)
}

fn same_diagnostic(client: &lsp::Diagnostic, ours: &Diagnostic, range: lsp::Range) -> bool {
    client.source.as_deref() == Some(convert::SOURCE)
        && client.code.as_ref() == Some(&convert::code(ours))
        && client.range == range
}
