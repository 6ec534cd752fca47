//! `textDocument/completion`: converts the core's completion items to LSP items.
//!
//! The items are computed on the parse of the current text: a request right after an edit
//! waits for that parse (done on the same blocking thread as the items, or awaited while the
//! document's analysis does it), never for the schema and rule checks, and never answers from
//! an older version.
//!
//! Package and slice names come from the session's package indexes as loaded so far (see
//! `server::packages`): a request never reads a package list. While the indexes the document's
//! release uses are still loading, the list is marked incomplete so the client asks again.
//! Project paths (for `prime` and the like) are listed on a blocking thread, never on the
//! async runtime; listings are kept per directory until it changes (`host::fs`), and a
//! directory with more entries than are offered gets a list marked incomplete.

use std::sync::OnceLock;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionOptions, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InitializeParams, InsertTextFormat,
    InsertTextMode, MarkupContent, MarkupKind, TextEdit,
};

use crate::core::completion::{self, Item, ItemKind, MAX_PACKAGE_ITEMS, Sources};
use crate::core::packages::document_release;
use crate::host::fs::RealFs;
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;
use crate::server::session::project_dir;

/// What the client told us about completion in `initialize`.
#[derive(Debug, Default)]
pub struct State {
    snippets: OnceLock<bool>,
}

impl State {
    fn snippets(&self) -> bool {
        self.snippets.get().copied().unwrap_or(false)
    }
}

/// Reads the client's snippet support from `initialize`.
pub fn configure(backend: &Backend, params: &InitializeParams) {
    let snippets = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let _ = backend.completion.snippets.set(snippets);
}

/// The completion capability advertised in `initialize`.
#[must_use]
pub fn capability() -> CompletionOptions {
    CompletionOptions {
        trigger_characters: Some([":", " ", "-", "/"].map(str::to_owned).to_vec()),
        ..CompletionOptions::default()
    }
}

/// `textDocument/completion`.
///
/// # Errors
/// None: a document that is not open or not analysed gets no items.
pub async fn handle(
    backend: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    // Positions refer to the current text: wait for its parse (the items do not depend on the
    // checks), never use an older version. The parse, when not done yet, and the items are
    // computed in one go on a blocking thread (the items list project directories too).
    let uri = &pos.text_document.uri;
    let Some(doc) = backend.session.get(uri) else {
        tracing::debug!("completion for a document that is not open");
        return Ok(None);
    };
    let state = doc.snapshot;
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = u32::from(map.offset(pos.position));
    let dir = project_dir(uri);
    let loaded = backend.packages.snapshot();
    let snippets = backend.completion.snippets();
    let experimental = backend.settings.experimental();
    // The latest expansion, also of an older version: the parts the extensions generate.
    let expansion = doc.expansion;
    let Some((completions, release)) = analysis::on_parsed(&state, "completion", move |document| {
        let release = document_release(&document);
        guarded("computing completions", || {
            let root = dir.map(RealFs::new);
            let sources = Sources {
                fs: root
                    .as_ref()
                    .map(|r| r as &dyn crate::core::extensions::ProjectFs),
                packages: &*loaded,
                experimental,
                expanded: expansion.as_ref().and_then(|e| e.result.expanded.as_ref()),
            };
            completion::complete_list(&document, offset, &sources)
        })
        .map(|completions| (completions, release))
    })
    .await
    else {
        return Ok(None);
    };
    // The package indexes of the document's release are loaded for the next requests.
    if let Some(r) = &release {
        backend.packages.want(&backend.events, r);
    }
    let items = completions.items;
    let package_items = items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Package | ItemKind::Slice))
        .count();
    // While indexes load, even an empty list is partial: the client asks again as the user types.
    // So is a list of project paths that left some out.
    let incomplete = completions.incomplete
        || package_items >= MAX_PACKAGE_ITEMS
        || backend.packages.snapshot().is_loading(release.as_deref());
    // The core orders the items (likeliest first): `sortText` keeps that order in the client.
    let width = items.len().to_string().len();
    let items = items
        .into_iter()
        .enumerate()
        .map(|(n, i)| {
            let mut item = to_lsp(&map, if snippets { i } else { i.without_snippet() });
            item.sort_text = Some(format!("{n:0width$}"));
            item
        })
        .collect();
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: incomplete,
        items,
    })))
}

fn kind(k: ItemKind) -> CompletionItemKind {
    match k {
        ItemKind::Key => CompletionItemKind::PROPERTY,
        ItemKind::Value => CompletionItemKind::ENUM_MEMBER,
        ItemKind::Plugin | ItemKind::Extension | ItemKind::Package | ItemKind::Slice => {
            CompletionItemKind::MODULE
        }
        ItemKind::Part | ItemKind::Service | ItemKind::Check => CompletionItemKind::REFERENCE,
        ItemKind::Platform => CompletionItemKind::CONSTANT,
        ItemKind::File => CompletionItemKind::FILE,
        ItemKind::Folder => CompletionItemKind::FOLDER,
    }
}

fn to_lsp(map: &LineMap<'_>, i: Item) -> CompletionItem {
    CompletionItem {
        preselect: i.preselect.then_some(true),
        label: i.label,
        kind: Some(kind(i.kind)),
        detail: i.detail,
        documentation: i.documentation.map(|d| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: d,
            })
        }),
        insert_text_format: Some(if i.is_snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        insert_text_mode: Some(InsertTextMode::AS_IS),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range: map.range(i.edit_range),
            new_text: i.insert_text,
        })),
        additional_text_edits: (!i.additional_edits.is_empty()).then(|| {
            i.additional_edits
                .into_iter()
                .map(|e| TextEdit {
                    range: map.range(e.range),
                    new_text: e.text,
                })
                .collect()
        }),
        ..CompletionItem::default()
    }
}
