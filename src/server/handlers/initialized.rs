//! `initialized`: nothing to set up yet beyond a log line.

use tower_lsp_server::ls_types::InitializedParams;

use crate::server::Backend;

pub fn handle(backend: &Backend, _params: InitializedParams) {
    tracing::info!(encoding = ?backend.encoding(), "client initialized");
}
