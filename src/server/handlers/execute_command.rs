//! `workspace/executeCommand`: `rockcraft.showExpandedProject <uri>` returns the project with
//! its extensions expanded, as `rockcraft expand-extensions` prints it;
//! `rockcraft.allowExperimentalExtensions` allows experimental extensions until the settings
//! next change (the quick fix of `extension-experimental`); `rockcraft.applyActionAtCursor`
//! applies a code action and leaves the cursor where the user types next
//! (`crate::server::snippet_edit`).
//!
//! Showing the expanded project, in each kind of client:
//! - a client that supports `window/showDocument` (Neovim, VS Code, recent Eglot) is asked to
//!   open it: the YAML is written, under a comment saying what it is, to a new read-only file
//!   in the server's private scratch directory (`host::scratch`; never in the project), and
//!   that file is shown. It is a snapshot: running the command again shows the current one.
//! - the VS Code extension runs the command itself (its middleware) and shows a virtual
//!   document that follows edits, through the `rockcraft/expandedProject` request;
//! - `editors/emacs/rockcraft-lsp.el` shows the command's result in a read-only buffer when
//!   Eglot cannot open documents for the server;
//! - every client gets the YAML as the command's result.

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, LSPAny, ShowDocumentParams, Uri};

use crate::core::cancel::Cancel;
use crate::core::extensions::{Context, DEFAULT_EXTENSIONS_DIR};
use crate::core::ide::lens;
use crate::core::ide::names::NameKind;
use crate::host::fs::RealFs;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::expansion;
use crate::server::guard::guarded;
use crate::server::session::project_dir;
use crate::server::snippet_edit;

/// The command name, advertised in `executeCommandProvider`.
pub const SHOW_EXPANDED_PROJECT: &str = "rockcraft.showExpandedProject";

/// Allows experimental extensions in this session (every open document is expanded again).
pub const ALLOW_EXPERIMENTAL: &str = "rockcraft.allowExperimentalExtensions";

/// Shows a generated part or service beside the one `pack` builds with the user's override
/// (arguments: the document URI, `parts` or `services`, the name).
pub const COMPARE_WITH_GENERATED: &str = "rockcraft.compareWithGenerated";

/// The commands the server runs, advertised in `executeCommandProvider`.
pub const COMMANDS: &[&str] = &[
    SHOW_EXPANDED_PROJECT,
    ALLOW_EXPERIMENTAL,
    snippet_edit::COMMAND,
    COMPARE_WITH_GENERATED,
];

/// The file name of a comparison (not `rockcraft.yaml`, so no client analyses it as a project).
const COMPARE_FILE_NAME: &str = "rockcraft.compare.yaml";

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
    if params.command == COMPARE_WITH_GENERATED {
        return compare(backend, &params.arguments).await;
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
        Ok(yaml) => {
            if backend.negotiated().show_document {
                show(backend, &uri, &yaml).await;
            }
            Ok(Some(Value::String(yaml)))
        }
        Err(message) => Err(Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
            message: message.into(),
            data: None,
        }),
    }
}

/// `rockcraft.compareWithGenerated <uri> <parts|services> <name>`: the comparison text, also
/// shown as a read-only scratch document when the client opens documents.
async fn compare(backend: &Backend, args: &[Value]) -> Result<Option<LSPAny>> {
    let bad = || {
        Error::invalid_params(format!(
            "`{COMPARE_WITH_GENERATED}` takes the document URI, `parts` or `services`, and a name"
        ))
    };
    let uri = args.first().and_then(uri_argument).ok_or_else(bad)?;
    let kind = match args.get(1).and_then(Value::as_str) {
        Some("parts") => NameKind::Part,
        Some("services") => NameKind::Service,
        _ => return Err(bad()),
    };
    let name = args
        .get(2)
        .and_then(Value::as_str)
        .ok_or_else(bad)?
        .to_owned();
    let Some(analysis::Analysed { analysis, .. }) =
        analysis::current(&backend.session, &uri, "compareWithGenerated").await
    else {
        return Err(Error::invalid_params(format!(
            "{} is not an open, analysed rockcraft.yaml",
            uri.as_str()
        )));
    };
    let Some(dir) = project_dir(&uri) else {
        return Err(Error::invalid_params(
            "the document is not a file of a project",
        ));
    };
    let experimental = backend.settings.experimental();
    let computed = tokio::task::spawn_blocking(move || {
        guarded("comparing with the generated entry", || {
            let fs = RealFs::new(dir);
            let ctx = Context {
                fs: &fs,
                experimental,
                extensions_dir: DEFAULT_EXTENSIONS_DIR,
                cancel: Cancel::NEVER,
            };
            lens::comparison(&analysis.doc, kind, &name, &ctx)
        })
    })
    .await
    .ok()
    .flatten();
    match computed {
        Some(Ok(text)) => {
            if backend.negotiated().show_document {
                let key = format!("{}#compare", uri.as_str());
                if let Some(shown) = write_scratch(backend, &key, COMPARE_FILE_NAME, &text).await {
                    show_document(backend, shown);
                }
            }
            Ok(Some(Value::String(text)))
        }
        Some(Err(message)) => Err(Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
            message: message.into(),
            data: None,
        }),
        None => Err(Error::internal_error()),
    }
}

/// A URI given as a string, `{"uri": …}` or a `TextDocumentIdentifier`-like object.
fn uri_argument(arg: &Value) -> Option<Uri> {
    let s = arg.as_str().or_else(|| arg.get("uri")?.as_str())?;
    s.parse().ok()
}

/// The name of the file showing an expanded project (not `rockcraft.yaml`: a client that
/// starts the server for that name would analyse the expansion as a project).
pub const EXPANDED_FILE_NAME: &str = "rockcraft.expanded.yaml";

/// The shown file's text: a comment naming its source, then the YAML as printed.
fn shown_text(source: &Uri, yaml: &str) -> String {
    let from = source
        .to_file_path()
        .map_or_else(|| source.as_str().to_owned(), |p| p.display().to_string())
        .replace(['\n', '\r'], " ");
    format!(
        "# The project of {from} with its extensions expanded, as `rockcraft\n\
         # expand-extensions` prints it. A read-only snapshot: run \"Show the expanded project\"\n\
         # again after editing the project.\n{yaml}"
    )
}

/// Writes the expanded project of `source` to a new read-only scratch file (under a comment
/// saying what it is) and returns the file's URI with the text written; `None` (logged) when it
/// cannot be written.
pub async fn write_shown(backend: &Backend, source: &Uri, yaml: &str) -> Option<(Uri, String)> {
    let text = shown_text(source, yaml);
    let uri = write_scratch(backend, source.as_str(), EXPANDED_FILE_NAME, &text).await?;
    Some((uri, text))
}

/// Writes `text` as the read-only scratch file `name` kept for `key` (replacing the one written
/// for that key before); `None` (logged) when it cannot be written.
async fn write_scratch(
    backend: &Backend,
    key: &str,
    name: &'static str,
    text: &str,
) -> Option<Uri> {
    let scratch = std::sync::Arc::clone(&backend.scratch);
    let (key, text) = (key.to_owned(), text.to_owned());
    let written = tokio::task::spawn_blocking(move || scratch.write(&key, name, &text)).await;
    let path = match written {
        Ok(Ok(path)) => path,
        Ok(Err(e)) => {
            tracing::warn!(%e, "cannot write a scratch document to show it");
            return None;
        }
        Err(e) => {
            tracing::warn!(%e, "writing a scratch document failed");
            return None;
        }
    };
    let uri = Uri::from_file_path(&path);
    if uri.is_none() {
        tracing::warn!(?path, "the scratch document has no file URI");
    }
    uri
}

/// Writes the expanded project to a scratch file and asks the client to open it (in the
/// background: the command answers without waiting for the editor). A failure is logged; the
/// command still returns the YAML.
async fn show(backend: &Backend, source: &Uri, yaml: &str) {
    let Some((uri, _)) = write_shown(backend, source, yaml).await else {
        return;
    };
    show_document(backend, uri);
}

/// Asks the client to open `uri` beside the project (in the background).
fn show_document(backend: &Backend, uri: Uri) {
    let client = backend.client.clone();
    tokio::spawn(async move {
        let params = ShowDocumentParams {
            uri,
            external: None,
            // Beside the project, the cursor staying where the user works (Neovim opens a
            // split, Eglot another window, VS Code keeps the focus).
            take_focus: Some(false),
            selection: None,
        };
        match client.show_document(params).await {
            Ok(true) => {}
            Ok(false) => tracing::info!("the client did not show the scratch document"),
            Err(e) => tracing::info!(%e, "window/showDocument failed"),
        }
    });
}
