//! `workspace/symbol`: the rocks, parts, services and checks of every `rockcraft.yaml` under
//! the workspace folders (open documents as edited, the others as saved), for repositories
//! that hold many rocks. Files are found by the walk `check` uses and read off the async
//! threads, only when regular, inside their folder and under the size cap.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Location, OneOf, SymbolKind as LspKind, WorkspaceSymbol, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};

use crate::core::document::Document;
use crate::core::ide::symbols::{self, ProjectName, SymbolKind};
use crate::core::text::Encoding;
use crate::server::Backend;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::workspace::{Workspace, read_found};

/// The most symbols answered: a picker shows a screenful, and the client filters further.
const MAX_SYMBOLS: usize = 1000;

/// `workspace/symbol`.
///
/// # Errors
/// None: a workspace without folders or matches has no symbols.
pub async fn handle(
    backend: &Backend,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let folders = backend.workspace.folders();
    let session = backend.session.clone();
    let enc = backend.encoding();
    let query = params.query;
    let found = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        for f in Workspace::find(&folders) {
            let Some(uri) = f.uri() else { continue };
            // An open document as edited; another as saved.
            let text: Arc<str> = if let Some(doc) = session.get(&uri) {
                Arc::clone(&doc.snapshot.text)
            } else {
                let Some((_, bytes)) = read_found(&f) else {
                    continue;
                };
                let Ok(text) = String::from_utf8(bytes) else {
                    continue;
                };
                text.into()
            };
            let Some(symbols) = guarded("listing a project's names", || {
                names_of(&text, &query, enc, &uri)
            }) else {
                continue;
            };
            out.extend(symbols);
            if out.len() >= MAX_SYMBOLS {
                out.truncate(MAX_SYMBOLS);
                break;
            }
        }
        out
    })
    .await
    .unwrap_or_default();
    Ok(Some(WorkspaceSymbolResponse::Nested(found)))
}

/// The names of one project that match `query`, as workspace symbols of `uri`.
fn names_of(
    text: &str,
    query: &str,
    enc: Encoding,
    uri: &tower_lsp_server::ls_types::Uri,
) -> Vec<WorkspaceSymbol> {
    let doc = Document::parse(text);
    let map = LineMap::new(&doc.text, &doc.lines, enc);
    symbols::project_names(&doc)
        .into_iter()
        .filter(|n| symbols::matches_query(&n.name, query))
        .map(|n: ProjectName| WorkspaceSymbol {
            name: n.name,
            kind: match n.kind {
                SymbolKind::Part => LspKind::MODULE,
                SymbolKind::Service => LspKind::FUNCTION,
                SymbolKind::Check => LspKind::EVENT,
                _ => LspKind::PACKAGE,
            },
            tags: None,
            container_name: n.container,
            location: OneOf::Left(Location::new(uri.clone(), map.range(n.range))),
            data: None,
        })
        .collect()
}
