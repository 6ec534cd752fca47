//! Code actions that leave the user typing where they made room (a new `stage-packages` item)
//! rather than inserting a placeholder name, which would be an error (or a real package) if
//! left as is.
//!
//! Design. A code action can only carry a plain `WorkspaceEdit` in LSP 3.17, and the LSP 3.18
//! `SnippetTextEdit` (guarded by `workspace.workspaceEdit.snippetEditSupport`) is neither in
//! ls-types 0.0.6 nor in the clients used most: vscode-languageclient 9 (VS Code's extension
//! here), Neovim 0.11 (`vim.lsp.util.apply_workspace_edit` applies `newText` only) and Eglot
//! 1.9 take plain edits. So such an action carries a [`COMMAND`] instead of an edit, with
//! both forms of the change computed when it was offered ([`Args`]), and the server applies it
//! itself when the command runs:
//! - a client offering `snippetEditSupport` gets a `workspace/applyEdit` whose document edit
//!   holds `SnippetTextEdit`s (our own request type, [`SnippetApplyEdit`]): `- $0`, the
//!   client's snippet session puts the cursor after the dash;
//! - any other client gets the plain edits, which are valid as they are (`stage-packages: []`,
//!   a blank line in a block list), then `window/showDocument` with the cursor where the name
//!   goes (VS Code and Neovim move the cursor there).
//!
//! A client that can do neither (Eglot 1.9) gets the plain edits in the action itself, as
//! any other action. The command refuses to run on a document that changed since the action
//! was offered: its edits would land in the wrong place.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    self as lsp, ApplyWorkspaceEditResponse, CodeAction, Command, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, ShowDocumentParams, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit, request::Request,
};

use crate::core::ide::Action;
use crate::core::ide::actions::Snippet;
use crate::server::Backend;
use crate::server::convert::{self, LineMap};

/// The command an action with a [`Snippet`] carries, advertised in `executeCommandProvider`.
pub const COMMAND: &str = "rockcraft.applyActionAtCursor";

/// The argument of [`COMMAND`]: both forms of the change, for the version they were computed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Args {
    pub uri: Uri,
    pub version: i32,
    /// The action's title, the label of the edit.
    pub title: String,
    /// The plain edits: valid as they are.
    pub edits: Vec<TextEdit>,
    /// The same change in snippet syntax (`newText` holds the snippet, with its `$0`).
    pub snippet: Vec<TextEdit>,
    /// Where the cursor goes once `edits` are applied.
    pub cursor: lsp::Position,
}

/// `action` (which has a snippet form) as a code action running [`COMMAND`].
#[must_use]
pub fn code_action(
    map: &LineMap<'_>,
    uri: &Uri,
    version: i32,
    action: &Action,
    snippet: &Snippet,
) -> CodeAction {
    let args = Args {
        uri: uri.clone(),
        version,
        title: action.title.clone(),
        edits: action
            .edits
            .iter()
            .map(|e| convert::text_edit(map, e))
            .collect(),
        snippet: snippet
            .edits
            .iter()
            .map(|e| convert::text_edit(map, e))
            .collect(),
        cursor: map.position_after(&action.edits, snippet.cursor),
    };
    CodeAction {
        title: action.title.clone(),
        kind: Some(convert::action_kind(action.kind)),
        command: Some(Command {
            title: action.title.clone(),
            command: COMMAND.to_owned(),
            arguments: Some(vec![serde_json::to_value(args).unwrap_or(Value::Null)]),
        }),
        ..CodeAction::default()
    }
}

/// Runs [`COMMAND`]: the snippet where the client takes snippet edits, else the plain edits
/// and the cursor moved with `window/showDocument` where the client supports it.
///
/// # Errors
/// Bad arguments (invalid params); a document closed or changed since the action was offered
/// (content modified); a client that could not apply the edit (request failed).
pub async fn execute(backend: &Backend, arguments: &[Value]) -> Result<Option<Value>> {
    let args = arguments
        .first()
        .and_then(|a| Args::deserialize(a).ok())
        .ok_or_else(|| {
            Error::invalid_params(format!(
                "`{COMMAND}` takes the edits of the action it was offered with"
            ))
        })?;
    let current = backend.session.snapshot(&args.uri).map(|s| s.version);
    if current != Some(args.version) {
        return Err(Error {
            code: ErrorCode::ContentModified,
            message: "the document changed since the action was offered: ask for it again".into(),
            data: None,
        });
    }
    let n = backend.negotiated();
    if n.snippet_edits {
        let params = SnippetApplyParams {
            label: Some(args.title.clone()),
            edit: SnippetWorkspaceEdit {
                document_changes: vec![SnippetDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: args.uri.clone(),
                        version: Some(args.version),
                    },
                    edits: args
                        .snippet
                        .iter()
                        .map(|e| SnippetTextEdit {
                            range: e.range,
                            snippet: StringValue {
                                kind: "snippet".into(),
                                value: e.new_text.clone(),
                            },
                        })
                        .collect(),
                }],
            },
        };
        let res = backend
            .client
            .send_request::<SnippetApplyEdit>(params)
            .await?;
        return applied(&res);
    }
    if !args.edits.is_empty() {
        let edit = if n.document_changes {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: args.uri.clone(),
                        version: Some(args.version),
                    },
                    edits: args.edits.iter().cloned().map(OneOf::Left).collect(),
                }])),
                ..WorkspaceEdit::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(std::iter::once((args.uri.clone(), args.edits.clone())).collect()),
                ..WorkspaceEdit::default()
            }
        };
        let res = backend
            .client
            .send_request::<lsp::request::ApplyWorkspaceEdit>(lsp::ApplyWorkspaceEditParams {
                label: Some(args.title.clone()),
                edit,
            })
            .await?;
        applied(&res)?;
    }
    if n.show_document {
        let shown = backend
            .client
            .show_document(ShowDocumentParams {
                uri: args.uri.clone(),
                external: None,
                take_focus: Some(true),
                selection: Some(lsp::Range::new(args.cursor, args.cursor)),
            })
            .await;
        if !matches!(shown, Ok(true)) {
            tracing::debug!(?shown, "the client did not show the cursor's place");
        }
    }
    Ok(None)
}

fn applied(res: &ApplyWorkspaceEditResponse) -> Result<Option<Value>> {
    if res.applied {
        return Ok(None);
    }
    Err(Error {
        code: ErrorCode::ServerError(-32803), // LSP `RequestFailed`
        message: res
            .failure_reason
            .clone()
            .unwrap_or_else(|| "the client did not apply the edit".into())
            .into(),
        data: None,
    })
}

/// `workspace/applyEdit` with LSP 3.18 snippet edits, which ls-types' own request type cannot
/// carry.
#[derive(Debug)]
pub enum SnippetApplyEdit {}

impl Request for SnippetApplyEdit {
    type Params = SnippetApplyParams;
    type Result = ApplyWorkspaceEditResponse;
    const METHOD: &'static str = "workspace/applyEdit";
}

/// `ApplyWorkspaceEditParams` whose edit holds snippet edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetApplyParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub edit: SnippetWorkspaceEdit,
}

/// A `WorkspaceEdit` with `documentChanges` only (snippet edits go nowhere else).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnippetWorkspaceEdit {
    pub document_changes: Vec<SnippetDocumentEdit>,
}

/// A `TextDocumentEdit` of snippet edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SnippetDocumentEdit {
    pub text_document: OptionalVersionedTextDocumentIdentifier,
    pub edits: Vec<SnippetTextEdit>,
}

/// LSP 3.18 `SnippetTextEdit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetTextEdit {
    pub range: lsp::Range,
    pub snippet: StringValue,
}

/// LSP 3.18 `StringValue` (`kind` is always `snippet`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StringValue {
    pub kind: String,
    pub value: String,
}
