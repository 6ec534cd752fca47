//! `initialized`: puts the settings in force (asking the client for its `rockcraft`
//! configuration when it can answer, which starts loading the package indexes in the
//! background) and registers the file watchers that keep the extension expansion up to date.
//!
//! Both are server-to-client requests; they are spawned, never awaited here, because awaiting
//! a client request inside a notification handler can deadlock tower-lsp-server.

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, InitializedParams,
    Registration,
};

use crate::server::Backend;

/// Id of the dynamic `workspace/didChangeWatchedFiles` registration.
pub const WATCH_REGISTRATION_ID: &str = "rockcraft-lsp/watch-project-files";

/// Every file may matter: extensions read manifests and sources and list the project root
/// (what `prime` keeps by default); changes outside open projects are ignored cheaply.
const WATCHED: &[&str] = &["**/*"];

pub fn handle(backend: &Backend, _params: InitializedParams) {
    let n = backend.negotiated();
    tracing::info!(encoding = ?n.encoding, watch = n.watch_files, "client initialized");
    let ctx = backend.expansion_ctx();
    if n.configuration {
        let settings = backend.settings.clone();
        let (client, packages) = (backend.client.clone(), backend.packages.clone());
        tokio::spawn(async move { settings.pull_and_apply(client, ctx, packages).await });
    } else {
        backend
            .settings
            .apply(&ctx, &backend.packages, &backend.settings.initial());
    }
    if !n.watch_files {
        return;
    }
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: WATCHED
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect(),
    };
    let registration = Registration {
        id: WATCH_REGISTRATION_ID.to_owned(),
        method: "workspace/didChangeWatchedFiles".to_owned(),
        register_options: serde_json::to_value(options).ok(),
    };
    let client = backend.client.clone();
    tokio::spawn(async move {
        if let Err(e) = client.register_capability(vec![registration]).await {
            tracing::warn!("cannot register file watchers: {e}");
        }
    });
}
