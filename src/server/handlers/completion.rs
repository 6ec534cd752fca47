//! `textDocument/completion`: converts the core's completion items to LSP items.
//!
//! Settings come from `initializationOptions` (`{"packages": {"indexFiles": [..]}}`); the
//! `Packages` files are read once, on the first completion that needs them, and shared.

use std::sync::{Arc, OnceLock};

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionOptions, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InitializeParams, InsertTextFormat,
    InsertTextMode, MarkupContent, MarkupKind, TextEdit,
};

use crate::core::completion::{self, Item, ItemKind, MAX_PACKAGE_ITEMS, Sources};
use crate::core::extensions::RealFs;
use crate::core::packages::{DebIndex, SliceIndex};
use crate::server::Backend;
use crate::server::analysis;
use crate::server::convert::LineMap;
use crate::server::guard::guarded;

/// Completion settings fixed at `initialize`, and the lazily loaded package index.
#[derive(Debug, Default)]
pub struct State {
    config: OnceLock<Config>,
    debs: OnceLock<Arc<DebIndex>>,
}

#[derive(Debug, Default)]
struct Config {
    snippets: bool,
    index_files: Vec<String>,
}

impl State {
    fn config(&self) -> &Config {
        self.config.get_or_init(Config::default)
    }

    fn debs(&self) -> Arc<DebIndex> {
        Arc::clone(self.debs.get_or_init(|| {
            let texts: Vec<String> = self
                .config()
                .index_files
                .iter()
                .filter_map(|p| match std::fs::read_to_string(p) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        tracing::warn!("cannot read package index {p}: {e}");
                        None
                    }
                })
                .collect();
            Arc::new(DebIndex::from_texts(texts.iter().map(String::as_str)))
        }))
    }
}

/// Reads the client's snippet support and the server settings from `initialize`.
pub fn configure(backend: &Backend, params: &InitializeParams) {
    let snippets = params
        .capabilities
        .text_document
        .as_ref()
        .and_then(|t| t.completion.as_ref())
        .and_then(|c| c.completion_item.as_ref())
        .and_then(|i| i.snippet_support)
        .unwrap_or(false);
    let index_files = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.pointer("/packages/indexFiles"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let _ = backend.completion.config.set(Config {
        snippets,
        index_files,
    });
}

/// The completion capability advertised in `initialize`.
#[must_use]
pub fn capability() -> CompletionOptions {
    CompletionOptions {
        trigger_characters: Some([":", " ", "-", "/"].map(str::to_owned).to_vec()),
        ..CompletionOptions::default()
    }
}

pub async fn handle(
    backend: &Backend,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let Some(state) = backend.docs.get(&pos.text_document.uri) else {
        return Ok(None);
    };
    // Positions refer to the current text: wait for its analysis, never use an older one.
    if !analysis::ensure(&state).await {
        return Ok(None);
    }
    let Some(analysis) = state.analysis() else {
        return Ok(None);
    };
    let map = LineMap::new(&state.text, &state.lines, backend.encoding());
    let offset = u32::from(map.offset(pos.position));
    let root = pos
        .text_document
        .uri
        .to_file_path()
        .and_then(|p| p.parent().map(|d| RealFs::new(d.to_path_buf())));
    let debs = backend.completion.debs();
    let snippets = backend.completion.config().snippets;
    let items = guarded("computing completions", || {
        let sources = Sources {
            fs: root
                .as_ref()
                .map(|r| r as &dyn crate::core::extensions::ProjectFs),
            slices: SliceIndex::bundled(),
            debs: &debs,
        };
        completion::complete(&analysis.doc, offset, &sources)
    })
    .unwrap_or_default();
    let incomplete = items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Package | ItemKind::Slice))
        .count()
        >= MAX_PACKAGE_ITEMS;
    let items = items
        .into_iter()
        .map(|i| to_lsp(&map, if snippets { i } else { i.without_snippet() }))
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
        ..CompletionItem::default()
    }
}
