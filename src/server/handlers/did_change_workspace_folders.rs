//! `workspace/didChangeWorkspaceFolders`: folders were added to or removed from a multi-root
//! workspace; the set the workspace diagnostics walk follows.

use tower_lsp_server::ls_types::DidChangeWorkspaceFoldersParams;

use crate::server::Backend;
use crate::server::workspace::folder_path;

pub fn handle(backend: &Backend, params: &DidChangeWorkspaceFoldersParams) {
    let added = params
        .event
        .added
        .iter()
        .filter_map(|f| folder_path(&f.uri))
        .collect();
    let removed: Vec<_> = params
        .event
        .removed
        .iter()
        .filter_map(|f| folder_path(&f.uri))
        .collect();
    backend
        .workspace
        .change_folders(added, &removed, backend.settings.experimental());
}
