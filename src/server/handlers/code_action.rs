//! `textDocument/codeAction`: quick fixes for the diagnostics in the range (as published: the
//! fast analysis, the package names and the expansion's findings), plus the core's actions
//! (expansion-aware quick fixes and refactorings, and on a blank document the starters, named
//! after the document's directory).
//!
//! The package-name diagnostics (`unknown-slice`, `unknown-package`) are computed again
//! against the package indexes loaded now, so their "did you mean" fixes are offered too.
//!
//! Fixes always come from the server's current analysis, never from the client's copy of the
//! diagnostic, so a stale request cannot apply an edit computed for an older text. A client
//! diagnostic that matches one of ours (same code and range) is attached to the action as is.
//! The diagnostics are those published (the latest expansion's findings moved onto the current
//! text, see `session::DocSnapshot::carried_expansion`); the core's own actions use the
//! expansion only when it is of the current version.

use std::collections::{HashMap, HashSet};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionResponse,
};

use crate::core::code::Code;
use crate::core::diagnostic::{Diagnostic, Edit};
use crate::core::document::Document;
use crate::core::ide::{self, ActionKind};
use crate::core::text::TextRange;
use crate::server::analysis;
use crate::server::convert::{self, LineMap};
use crate::server::diagnostics;
use crate::server::guard::guarded;
use crate::server::handlers::execute_command::{self, SHOW_EXPANDED_PROJECT};
use crate::server::session::{DocSnapshot, project_dir};
use crate::server::snippet_edit;
use crate::server::{Backend, Negotiated};

/// `textDocument/codeAction`: quick fixes of the diagnostics in the range and refactorings.
///
/// # Errors
/// None: a document that is not open or not analysed gets no actions.
pub async fn handle(
    backend: &Backend,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let only = params.context.only.as_deref();
    let wanted = Wanted {
        quickfix: wants(only, &CodeActionKind::QUICKFIX),
        refactor: wants(only, &CodeActionKind::REFACTOR),
    };
    if !wanted.quickfix && !wanted.refactor {
        return Ok(None);
    }
    let uri = &params.text_document.uri;
    // Fixes are computed for the current version only: wait for its analysis.
    let Some(analysis::Analysed { doc, state, .. }) =
        analysis::current(&backend.session, uri, "codeAction").await
    else {
        return Ok(None);
    };
    let n = backend.negotiated();
    let packages = backend.packages.snapshot();
    let names = diagnostics::package_diagnostics_blocking(&state, &packages).await;
    let actions = guarded("computing code actions", || {
        compute(&params, &doc, &names, n, wanted)
    })
    .flatten();
    Ok(actions)
}

#[derive(Clone, Copy, Debug)]
struct Wanted {
    quickfix: bool,
    refactor: bool,
}

impl Wanted {
    fn kind(self, kind: ActionKind) -> bool {
        match kind {
            ActionKind::QuickFix => self.quickfix,
            ActionKind::Refactor => self.refactor,
        }
    }
}

/// Whether `kind` (e.g. `refactor`) is asked for by `only`: absent, the empty kind, the kind
/// itself or one of its parents.
fn wants(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let kind = kind.as_str();
    only.is_none_or(|kinds| {
        kinds.iter().any(|k| {
            let k = k.as_str();
            k.is_empty() || k == kind || kind.starts_with(&format!("{k}."))
        })
    })
}

/// The most diagnostics whose quick fixes one answer carries: a request over a whole file with
/// tens of thousands of findings would otherwise build (and send) as many actions. The same
/// figure as the diagnostics published per document.
pub const MAX_FIXED: usize = diagnostics::MAX_PUBLISHED;

/// The actions of one request. Linear in the document's findings (found through hash maps,
/// never one scan per finding), and bounded by what the range and the client's diagnostics
/// name ([`MAX_FIXED`] at most).
fn compute(
    params: &CodeActionParams,
    doc: &DocSnapshot,
    names: &[Diagnostic],
    n: Negotiated,
    wanted: Wanted,
) -> Option<CodeActionResponse> {
    let state = &doc.snapshot;
    let analysis = state.analysis()?;
    let expanded = doc.current_expansion();
    let uri = &params.text_document.uri;
    let map = LineMap::new(&state.text, &state.lines, n.encoding);
    let range = map.text_range(params.range);
    // The client's diagnostics by code and place, to find the one matching each of ours.
    let mut sent: HashMap<(String, TextRange), Vec<&lsp::Diagnostic>> = HashMap::new();
    for c in &params.context.diagnostics {
        if let Some(lsp::NumberOrString::String(code)) = &c.code {
            sent.entry((code.clone(), map.text_range(c.range)))
                .or_default()
                .push(c);
        }
    }
    // Our diagnostics the request is about, as published: in the range, or sent back by the
    // client.
    let merged = diagnostics::published(doc, analysis, names);
    let relevant: Vec<(&Diagnostic, Option<&lsp::Diagnostic>)> = merged
        .iter()
        .filter_map(|d| {
            let from_client = sent
                .get(&(d.code.name().to_owned(), d.range))
                .and_then(|cs| {
                    let ours = map.range(d.range);
                    cs.iter().find(|c| same_diagnostic(c, d, ours)).copied()
                });
            let overlaps = d.range.start() <= range.end() && range.start() <= d.range.end();
            (from_client.is_some() || overlaps).then_some((d, from_client))
        })
        .take(MAX_FIXED)
        .collect();
    let attach = |d: &Diagnostic, from_client: Option<&lsp::Diagnostic>| {
        from_client
            .cloned()
            .unwrap_or_else(|| convert::diagnostic(&map, uri, state.version, d))
    };
    let mut out: Vec<CodeAction> = Vec::new();
    // What was offered, by title and edits: the core may offer a diagnostic's fix again.
    let mut offered: HashSet<(&str, &[Edit])> = HashSet::new();
    if wanted.quickfix {
        for &(d, from_client) in &relevant {
            let single = d.fixes.len() == 1;
            for fix in &d.fixes {
                offered.insert((&fix.title, &fix.edits));
                out.push(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![attach(d, from_client)]),
                    edit: Some(convert::workspace_edit(
                        &map,
                        uri,
                        state.version,
                        fix,
                        n.document_changes,
                    )),
                    is_preferred: single.then_some(true),
                    ..CodeAction::default()
                });
            }
            // An experimental extension: the server can allow them itself, for this session.
            if d.code == Code::ExtensionExperimental {
                let title = "Allow experimental extensions for this session".to_owned();
                out.push(CodeAction {
                    title: title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![attach(d, from_client)]),
                    command: Some(lsp::Command {
                        title,
                        command: execute_command::ALLOW_EXPERIMENTAL.to_owned(),
                        arguments: None,
                    }),
                    ..CodeAction::default()
                });
            }
        }
    }
    let diagnostics: Vec<Diagnostic> = relevant.iter().map(|(d, _)| (*d).clone()).collect();
    let mut core = ide::actions(
        &analysis.doc,
        expanded.map(|e| &e.result),
        range,
        &diagnostics,
    );
    if ide::starters::is_blank(&analysis.doc) {
        let dir = directory_name(uri);
        core.extend(ide::starters::starter_actions(
            &analysis.doc,
            dir.as_deref(),
        ));
    }
    let client_copy: HashMap<(Code, TextRange), Option<&lsp::Diagnostic>> = relevant
        .iter()
        .rev()
        .map(|(ours, c)| ((ours.code, ours.range), *c))
        .collect();
    for action in core.iter().filter(|a| wanted.kind(a.kind)) {
        // The core may offer a diagnostic's own fix again; keep the first.
        if !offered.insert((&action.title, &action.edits)) {
            continue;
        }
        // An action that leaves the user typing, where the client can be taken there.
        if let Some(snippet) = &action.snippet
            && (n.snippet_edits || n.show_document)
        {
            out.push(snippet_edit::code_action(
                &map,
                uri,
                state.version,
                action,
                snippet,
            ));
            continue;
        }
        let attached = action.diagnostic.as_ref().map(|d| {
            let from_client = client_copy.get(&(d.code, d.range)).copied().flatten();
            attach(d, from_client)
        });
        out.push(convert::code_action(
            &map,
            uri,
            state.version,
            action,
            attached,
            n.document_changes,
        ));
    }
    if wanted.refactor
        && !analysis.doc.declared_extensions().is_empty()
        && (n.show_document || on_extensions(&analysis.doc, range))
    {
        out.push(show_expanded(uri));
    }
    Some(
        out.into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect(),
    )
}

/// Whether `range` touches the `extensions:` entry (its key or its list).
fn on_extensions(doc: &Document, range: TextRange) -> bool {
    doc.root_map()
        .and_then(|root| doc.tree.entry(root, "extensions"))
        .is_some_and(|e| {
            let (key, value) = (doc.range(e.key), doc.range(e.value));
            let whole = TextRange::new(key.start(), value.end().max(key.end()));
            whole.start() <= range.end() && range.start() <= whole.end()
        })
}

/// "Show the expanded project": runs [`SHOW_EXPANDED_PROJECT`] on the document. Where the
/// client opens documents for the server (`window/showDocument`) the command opens the
/// expansion in the editor, and the action is offered anywhere in a project with extensions;
/// elsewhere the command's result is the YAML, which only some clients show (the VS Code
/// extension, `rockcraft-lsp.el`), so the action is offered on the `extensions:` entry only,
/// not at every cursor position.
fn show_expanded(uri: &lsp::Uri) -> CodeAction {
    let title = "Show the expanded project (what rockcraft builds)".to_owned();
    CodeAction {
        title: title.clone(),
        kind: Some(CodeActionKind::REFACTOR),
        command: Some(lsp::Command {
            title,
            command: SHOW_EXPANDED_PROJECT.to_owned(),
            arguments: Some(vec![serde_json::Value::String(uri.as_str().to_owned())]),
        }),
        ..CodeAction::default()
    }
}

/// The name of the document's directory, its links resolved: what `rockcraft init` names a
/// project after.
fn directory_name(uri: &lsp::Uri) -> Option<String> {
    let dir = project_dir(uri)?;
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    dir.file_name()?.to_str().map(str::to_owned)
}

fn same_diagnostic(client: &lsp::Diagnostic, ours: &Diagnostic, range: lsp::Range) -> bool {
    client.source.as_deref() == Some(convert::SOURCE)
        && client.code.as_ref() == Some(&convert::code(ours))
        && client.range == range
}
