//! `workspace/executeCommand`: `rockcraft.showExpandedProject <uri>` returns the project with
//! its extensions expanded, as `rockcraft expand-extensions` prints it;
//! `rockcraft.allowExperimentalExtensions` allows experimental extensions until the settings
//! next change (the quick fix of `extension-experimental`); `rockcraft.applyActionAtCursor`
//! applies a code action and leaves the cursor where the user types next
//! (`crate::server::snippet_edit`).

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny, Uri};

use crate::server::Backend;
use crate::server::expansion;
use crate::server::snippet_edit;

/// The command name, advertised in `executeCommandProvider`.
pub const SHOW_EXPANDED_PROJECT: &str = "rockcraft.showExpandedProject";

/// Allows experimental extensions in this session (every open document is expanded again).
pub const ALLOW_EXPERIMENTAL: &str = "rockcraft.allowExperimentalExtensions";

/// The commands the server runs, advertised in `executeCommandProvider`.
pub const COMMANDS: &[&str] = &[
    SHOW_EXPANDED_PROJECT,
    ALLOW_EXPERIMENTAL,
    snippet_edit::COMMAND,
];

/// `workspace/executeCommand`.
///
/// # Errors
/// An unknown command or bad arguments (invalid params), or a project that cannot be expanded
/// (a server error carrying the reason).
pub async fn handle(backend: &Backend, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
    if params.command == ALLOW_EXPERIMENTAL {
        backend
            .settings
            .allow_experimental(&backend.expansion_ctx(), &backend.packages);
        return Ok(None);
    }
    if params.command == snippet_edit::COMMAND {
        return snippet_edit::execute(backend, &params.arguments).await;
    }
    if params.command != SHOW_EXPANDED_PROJECT {
        return Err(Error::invalid_params(format!(
            "unknown command `{}`",
            params.command
        )));
    }
    let uri = params
        .arguments
        .first()
        .and_then(uri_argument)
        .ok_or_else(|| {
            Error::invalid_params(format!(
                "`{SHOW_EXPANDED_PROJECT}` takes the document URI as its argument"
            ))
        })?;
    match expansion::expanded_yaml(&backend.expansion_ctx(), &uri).await {
        Ok(yaml) => Ok(Some(Value::String(yaml))),
        Err(message) => Err(Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
            message: message.into(),
            data: None,
        }),
    }
}

/// A URI given as a string, `{"uri": …}` or a `TextDocumentIdentifier`-like object.
fn uri_argument(arg: &Value) -> Option<Uri> {
    let s = arg.as_str().or_else(|| arg.get("uri")?.as_str())?;
    s.parse().ok()
}
