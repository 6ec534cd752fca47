//! `shutdown`: records that the client asked politely, so `exit` ends with status 0.

use tower_lsp_server::jsonrpc::Result;

use crate::server::Backend;

/// `shutdown`: notes the request; the session ends at `exit`.
///
/// # Errors
/// None (the signature is the protocol's).
pub fn handle(backend: &Backend) -> Result<()> {
    tracing::info!(open_documents = backend.session.len(), "shutdown");
    backend.note_shutdown();
    Ok(())
}
