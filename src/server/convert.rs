//! Conversions between core plain data (byte offsets, core diagnostics and fixes) and LSP types.
//!
//! Architecture invariant: this is the only module that turns byte ranges into LSP ranges or
//! back, and the only one that builds LSP diagnostics and edits from core values. Every position
//! goes through [`LineMap`] with the encoding negotiated in `initialize`.

use std::collections::HashMap;

use serde_json::{Value, json};
use tower_lsp_server::ls_types::{
    self as lsp, ClientCapabilities, DiagnosticRelatedInformation, DiagnosticSeverity,
    DocumentChanges, Location, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier,
    PositionEncodingKind, TextDocumentContentChangeEvent, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::core::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::core::ide::{Action, ActionKind, HoverResult, Symbol, SymbolKind};
use crate::core::text::{Encoding, Lines, Position, TextRange, TextSize};

use super::edits::{self, Replaced};

/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "rockcraft";

/// `utf-8` when the client offers it in `general.positionEncodings`, else the mandatory `utf-16`.
#[must_use]
pub fn negotiate_encoding(caps: &ClientCapabilities) -> Encoding {
    let offered = caps
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

/// The protocol name of an encoding.
#[must_use]
pub fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

/// A text with its line index and the negotiated encoding: converts positions both ways.
#[derive(Clone, Copy, Debug)]
pub struct LineMap<'a> {
    text: &'a str,
    lines: &'a Lines,
    enc: Encoding,
}

impl<'a> LineMap<'a> {
    /// `lines` must have been built from `text`.
    #[must_use]
    pub fn new(text: &'a str, lines: &'a Lines, enc: Encoding) -> Self {
        Self { text, lines, enc }
    }

    #[must_use]
    pub fn position(&self, offset: TextSize) -> lsp::Position {
        let p = self.lines.position(self.text, u32::from(offset), self.enc);
        lsp::Position::new(p.line, p.col)
    }

    #[must_use]
    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range::new(self.position(range.start()), self.position(range.end()))
    }

    /// The byte offset of a client position (clamped into the text, snapped to a character).
    #[must_use]
    pub fn offset(&self, pos: lsp::Position) -> TextSize {
        let p = Position {
            line: pos.line,
            col: pos.character,
        };
        TextSize::from(self.lines.offset(self.text, p, self.enc))
    }

    /// The position of `offset` in the text that `edits` make of this one (an offset in that
    /// new text, such as where a code action leaves the cursor).
    #[must_use]
    pub fn position_after(&self, edits: &[Edit], offset: TextSize) -> lsp::Position {
        let text = crate::core::ide::edit::apply_edits(self.text, edits);
        let lines = Lines::new(&text);
        LineMap::new(&text, &lines, self.enc).position(offset)
    }

    /// The byte range of a client range; a reversed range is put in order.
    #[must_use]
    pub fn text_range(&self, range: lsp::Range) -> TextRange {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        TextRange::new(a.min(b), a.max(b))
    }
}

/// Applies `didChange` content changes in order: a change with a range replaces that range
/// (positions in `enc`, resolved against the text as left by the previous change); a change
/// without one replaces the whole text. Returns the new text, its line index and the byte
/// replacements made, in order (a whole-text change counts as the one replacement between the
/// texts, so that what it kept keeps its place).
#[must_use]
pub fn apply_changes(
    text: &str,
    lines: &Lines,
    enc: Encoding,
    changes: &[TextDocumentContentChangeEvent],
) -> (String, Lines, Vec<Replaced>) {
    // Fast path: the common full-sync shape, one change without a range.
    if let Some(last_full) = changes.iter().rposition(|c| c.range.is_none()) {
        let tail = &changes[last_full + 1..];
        let new = changes[last_full].text.clone();
        let mut made: Vec<Replaced> = edits::between(text, &new).into_iter().collect();
        let lines = Lines::new(&new);
        let (new, edited, more) = apply_ranged(new, &lines, enc, tail);
        made.extend(more);
        return (new, edited.unwrap_or(lines), made);
    }
    // Room for every inserted text at once: growing by doubling would keep up to twice the
    // document's size alive for this version.
    let inserted: usize = changes.iter().map(|c| c.text.len()).sum();
    let mut owned = String::with_capacity(text.len().saturating_add(inserted));
    owned.push_str(text);
    let (new, edited, made) = apply_ranged(owned, lines, enc, changes);
    (new, edited.unwrap_or_else(|| lines.clone()), made)
}

/// Applies ranged changes (and full ones) to `text`, whose index is `lines`; the index of the
/// result is updated with each change, not rebuilt (`None`: no change, `lines` holds).
fn apply_ranged(
    mut text: String,
    lines: &Lines,
    enc: Encoding,
    changes: &[TextDocumentContentChangeEvent],
) -> (String, Option<Lines>, Vec<Replaced>) {
    let mut made = Vec::with_capacity(changes.len());
    let mut edited: Option<Lines> = None;
    for change in changes {
        let Some(range) = change.range else {
            made.extend(edits::between(&text, &change.text));
            text.clone_from(&change.text);
            edited = Some(Lines::new(&text));
            continue;
        };
        let current = edited.as_ref().unwrap_or(lines);
        let r = LineMap::new(&text, current, enc).text_range(range);
        text.replace_range(usize::from(r.start())..usize::from(r.end()), &change.text);
        made.push(Replaced::new(r, &change.text));
        let new_end = u32::from(r.start())
            .saturating_add(u32::try_from(change.text.len()).unwrap_or(u32::MAX));
        // Only the lines around the replaced range are read again.
        edited = Some(current.edited(&text, r.start().into(), r.end().into(), new_end));
    }
    (text, edited, made)
}

#[must_use]
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The LSP `code` of a core diagnostic.
#[must_use]
pub fn code(d: &Diagnostic) -> NumberOrString {
    NumberOrString::String(d.code.name().to_owned())
}

/// A core diagnostic as published for `uri` at `version`. Its fixes travel in `data` as
/// `{"version": v, "fixes": [{"title": …, "edits": [TextEdit…]}]}`.
#[must_use]
pub fn diagnostic(map: &LineMap<'_>, uri: &Uri, version: i32, d: &Diagnostic) -> lsp::Diagnostic {
    let related = (!d.related.is_empty()).then(|| {
        d.related
            .iter()
            .map(|r| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), map.range(r.range)),
                message: r.message.clone(),
            })
            .collect()
    });
    lsp::Diagnostic {
        range: map.range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(code(d)),
        code_description: None,
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: related,
        tags: None,
        data: fixes_data(map, version, &d.fixes),
    }
}

fn fixes_data(map: &LineMap<'_>, version: i32, fixes: &[Fix]) -> Option<Value> {
    if fixes.is_empty() {
        return None;
    }
    let fixes: Vec<Value> = fixes
        .iter()
        .map(|f| {
            let edits: Vec<TextEdit> = f.edits.iter().map(|e| text_edit(map, e)).collect();
            json!({ "title": f.title, "edits": edits })
        })
        .collect();
    Some(json!({ "version": version, "fixes": fixes }))
}

#[must_use]
pub fn text_edit(map: &LineMap<'_>, e: &Edit) -> TextEdit {
    TextEdit::new(map.range(e.range), e.text.clone())
}

/// A fix as a workspace edit on `uri`. With `versioned`, the edit is a `documentChanges` entry
/// pinned to `version` so the client refuses it if the document moved on; otherwise `changes`.
#[must_use]
pub fn workspace_edit(
    map: &LineMap<'_>,
    uri: &Uri,
    version: i32,
    fix: &Fix,
    versioned: bool,
) -> WorkspaceEdit {
    edits_workspace_edit(map, uri, version, &fix.edits, versioned)
}

/// Edits of `uri` as a workspace edit, pinned to `version` with `versioned` (see
/// [`workspace_edit`]).
#[must_use]
pub fn edits_workspace_edit(
    map: &LineMap<'_>,
    uri: &Uri,
    version: i32,
    edits: &[Edit],
    versioned: bool,
) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = edits.iter().map(|e| text_edit(map, e)).collect();
    if versioned {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// A core hover as an LSP hover with markdown contents.
#[must_use]
pub fn hover(map: &LineMap<'_>, h: &HoverResult) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown.clone(),
        }),
        range: Some(map.range(h.range)),
    }
}

/// An outline entry (and its children) as an LSP document symbol.
#[must_use]
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written
pub fn document_symbol(map: &LineMap<'_>, s: &Symbol) -> lsp::DocumentSymbol {
    let kind = match s.kind {
        SymbolKind::Key => lsp::SymbolKind::PROPERTY,
        SymbolKind::Section => lsp::SymbolKind::NAMESPACE,
        SymbolKind::Part => lsp::SymbolKind::MODULE,
        SymbolKind::Service => lsp::SymbolKind::FUNCTION,
        SymbolKind::Check => lsp::SymbolKind::EVENT,
        SymbolKind::Platform => lsp::SymbolKind::ENUM_MEMBER,
        SymbolKind::Extension => lsp::SymbolKind::PACKAGE,
        SymbolKind::Item => lsp::SymbolKind::OBJECT,
    };
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind,
        tags: None,
        deprecated: None,
        range: map.range(s.range),
        selection_range: map.range(s.selection),
        children: (!s.children.is_empty())
            .then(|| s.children.iter().map(|c| document_symbol(map, c)).collect()),
    }
}

#[must_use]
pub fn action_kind(kind: ActionKind) -> lsp::CodeActionKind {
    match kind {
        ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ActionKind::Refactor => lsp::CodeActionKind::REFACTOR,
    }
}

/// A core action as an LSP code action. `attached` is the protocol form of the diagnostic it
/// fixes (the client's copy when it sent one). Only quick fixes may be preferred.
#[must_use]
pub fn code_action(
    map: &LineMap<'_>,
    uri: &Uri,
    version: i32,
    action: &Action,
    attached: Option<lsp::Diagnostic>,
    versioned: bool,
) -> lsp::CodeAction {
    let quickfix = action.kind == ActionKind::QuickFix;
    lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(action_kind(action.kind)),
        diagnostics: attached.map(|d| vec![d]),
        edit: Some(edits_workspace_edit(
            map,
            uri,
            version,
            &action.edits,
            versioned,
        )),
        is_preferred: Some(quickfix && action.is_preferred),
        ..lsp::CodeAction::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::code::Code;
    use crate::core::diagnostic::Diagnostic;

    fn change(
        range: Option<((u32, u32), (u32, u32))>,
        text: &str,
    ) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l0, c0), (l1, c1))| {
                lsp::Range::new(lsp::Position::new(l0, c0), lsp::Position::new(l1, c1))
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn ranges_round_trip_in_both_encodings() {
        let text = "a: 1\nb: é ☕ 𝄞 x\n";
        let lines = Lines::new(text);
        let x = TextSize::from(u32::try_from(text.find(" x").unwrap() + 1).unwrap());
        let r = TextRange::new(x, x + TextSize::from(1));
        let utf16 = LineMap::new(text, &lines, Encoding::Utf16);
        let utf8 = LineMap::new(text, &lines, Encoding::Utf8);
        assert_eq!(
            utf16.range(r).start,
            lsp::Position::new(1, 3 + 1 + 1 + 1 + 1 + 2 + 1)
        );
        assert_eq!(
            utf8.range(r).start,
            lsp::Position::new(1, 3 + 2 + 1 + 3 + 1 + 4 + 1)
        );
        assert_eq!(utf16.text_range(utf16.range(r)), r);
        assert_eq!(utf8.text_range(utf8.range(r)), r);
        // Reversed client ranges are ordered.
        let rev = lsp::Range::new(utf8.range(r).end, utf8.range(r).start);
        assert_eq!(utf8.text_range(rev), r);
    }

    #[test]
    fn changes_apply_in_order_and_full_replacements_reset() {
        let text = "a: 𝄞b\n";
        let lines = Lines::new(text);
        // UTF-16: 𝄞 is 2 units, so `b` is at column 5.
        let (t, _, made) = apply_changes(
            text,
            &lines,
            Encoding::Utf16,
            &[
                change(Some(((0, 5), (0, 6))), "c"),
                change(Some(((1, 0), (1, 0))), "d: 1\n"),
            ],
        );
        assert_eq!(t, "a: 𝄞c\nd: 1\n");
        assert_eq!(
            made,
            [
                Replaced::new(TextRange::new(7.into(), 8.into()), "c"),
                Replaced::new(TextRange::new(9.into(), 9.into()), "d: 1\n"),
            ]
        );
        // UTF-8: 𝄞 is 4 bytes, so `b` is at column 7.
        let (t, _, _) = apply_changes(
            text,
            &lines,
            Encoding::Utf8,
            &[change(Some(((0, 7), (0, 8))), "c")],
        );
        assert_eq!(t, "a: 𝄞c\n");
        let (t, l, made) = apply_changes(
            text,
            &lines,
            Encoding::Utf8,
            &[
                change(Some(((0, 0), (0, 1))), "zzz"),
                change(None, "x: 1\n"),
                change(Some(((0, 0), (0, 1))), "y"),
            ],
        );
        assert_eq!(t, "y: 1\n");
        assert_eq!(l.len(), 5);
        // The whole-text change (the ranged one before it is moot) and the ranged one after.
        assert_eq!(made.len(), 2, "{made:?}");
    }

    #[test]
    fn diagnostic_carries_code_source_related_and_fix_data() {
        let text = "name: a\nname: b\n";
        let lines = Lines::new(text);
        let map = LineMap::new(text, &lines, Encoding::Utf16);
        let uri: Uri = "file:///p/rockcraft.yaml".parse().unwrap();
        let second = TextRange::new(8.into(), 12.into());
        let d = Diagnostic::new(second, Code::DuplicateKey, "duplicate")
            .with_related(TextRange::new(0.into(), 4.into()), "first set here")
            .with_fix("Remove", TextRange::new(8.into(), 16.into()), "");
        let l = diagnostic(&map, &uri, 7, &d);
        assert_eq!(
            l.range,
            lsp::Range::new(lsp::Position::new(1, 0), lsp::Position::new(1, 4))
        );
        assert_eq!(l.code, Some(NumberOrString::String("duplicate-key".into())));
        assert_eq!(l.source.as_deref(), Some(SOURCE));
        let rel = l.related_information.unwrap();
        assert_eq!(rel[0].location.uri, uri);
        assert_eq!(rel[0].location.range.end, lsp::Position::new(0, 4));
        let data = l.data.unwrap();
        assert_eq!(data["version"], 7);
        assert_eq!(data["fixes"][0]["title"], "Remove");
        assert_eq!(data["fixes"][0]["edits"][0]["range"]["end"]["line"], 2);
    }
}
