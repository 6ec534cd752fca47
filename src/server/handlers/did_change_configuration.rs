//! `workspace/didChangeConfiguration`: the client's settings changed. A client that answers
//! `workspace/configuration` is asked for the `rockcraft` section again (the notification's
//! payload is often empty); otherwise the payload (its `rockcraft` object, or the payload
//! itself) is laid over the initialization options. Changed package settings reload the
//! indexes in the background.

use serde_json::Value;
use tower_lsp_server::ls_types::DidChangeConfigurationParams;

use crate::server::Backend;
use crate::server::settings::SECTION;

pub fn handle(backend: &Backend, params: DidChangeConfigurationParams) {
    let ctx = backend.expansion_ctx();
    if backend.negotiated().configuration {
        let settings = backend.settings.clone();
        let (client, packages) = (backend.client.clone(), backend.packages.clone());
        // A client request: spawned, never awaited inside the notification handler.
        tokio::spawn(async move { settings.pull_and_apply(client, ctx, packages).await });
        return;
    }
    let value = match params.settings {
        Value::Object(mut o) if o.get(SECTION).is_some_and(Value::is_object) => {
            o.remove(SECTION).unwrap_or(Value::Null)
        }
        v => v,
    };
    let settings = backend.settings.with_client_value(&value);
    backend.settings.apply(&ctx, &backend.packages, &settings);
}
