//! `rockcraft/expandedProject` (custom request): `{uri}` → `{yaml, error}`, for clients that show
//! the expanded project as a virtual document. Exactly one of `yaml` and `error` is a string.

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::Uri;

use crate::server::Backend;
use crate::server::expansion;

/// The method name.
pub const METHOD: &str = "rockcraft/expandedProject";

#[derive(Debug, Deserialize)]
pub struct Params {
    pub uri: Uri,
}

#[derive(Debug, Serialize)]
pub struct Response {
    pub yaml: Option<String>,
    pub error: Option<String>,
}

/// `rockcraft/expandedProject`.
///
/// # Errors
/// None: a failure is answered in the response's `error`.
pub async fn handle(backend: &Backend, params: Params) -> Result<Response> {
    let out = expansion::expanded_yaml(&backend.expansion_ctx(), &params.uri).await;
    Ok(match out {
        Ok(yaml) => Response {
            yaml: Some(yaml),
            error: None,
        },
        Err(error) => Response {
            yaml: None,
            error: Some(error),
        },
    })
}
