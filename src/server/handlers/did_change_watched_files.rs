//! `workspace/didChangeWatchedFiles`: a project file changed on disk; forget its kept bytes
//! (`host::fs`), expand again every open `rockcraft.yaml` whose directory contains it (the
//! YAML itself is untouched), and have the workspace's closed files checked again (or pulled
//! again, by clients that pull).

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::DidChangeWatchedFilesParams;

use crate::server::Backend;
use crate::server::expansion;

pub fn handle(backend: &Backend, params: &DidChangeWatchedFilesParams) {
    backend
        .workspace
        .files_changed(&params.changes, backend.settings.experimental());
    let mut affected = HashMap::new();
    for change in &params.changes {
        let Some(path) = change.uri.to_file_path() else {
            continue;
        };
        crate::host::fs::forget(&path);
        for (uri, state) in expansion::affected_by(&backend.session, &path) {
            affected.entry(uri).or_insert(state);
        }
    }
    if affected.is_empty() {
        return;
    }
    let ctx = backend.expansion_ctx();
    for (uri, state) in affected {
        tracing::debug!(uri = uri.as_str(), "project file changed; expanding again");
        expansion::schedule(&ctx, &uri, Arc::clone(&state));
    }
}
