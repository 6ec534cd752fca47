//! A parsed `rockcraft.yaml`: the text, its line index, the YAML tree, the loaded data and the
//! handful of project facts (bases, declared extensions) that many rules need.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::core::extensions::registry::{self, ExtensionInfo};
use crate::core::facts;
use crate::core::text::{Lines, TextRange, TextSize};
use crate::core::yaml::incremental::Change;
use crate::core::yaml::{self, Entry, NodeId, Tree, YamlError, YamlErrorKind};

#[derive(Debug, Clone)]
pub struct Document {
    /// The text, shared with whoever else keeps this version (the server's snapshot of it).
    pub text: Arc<str>,
    /// The line index of `text`, shared likewise.
    pub lines: Arc<Lines>,
    pub tree: Tree,
    /// Syntax errors, duplicate keys and alias problems.
    pub yaml_errors: Vec<YamlError>,
    /// The document as `PyYAML` would load it, built from the tree when first asked for (the
    /// per-edit checks read the tree; only the expansion and a few editor features need it).
    json: OnceLock<Value>,
}

impl Document {
    #[must_use]
    pub fn parse(text: &str) -> Self {
        // Parsed before the text is copied: the copy is not held through the parse.
        let parsed = yaml::parse(text);
        Self::from_parsed(Arc::from(text), Arc::new(Lines::new(text)), parsed)
    }

    /// [`Document::parse`] of a text and line index that the caller keeps too: the document
    /// holds them without copying.
    #[must_use]
    pub fn parse_shared(text: Arc<str>, lines: Arc<Lines>) -> Self {
        let parsed = yaml::parse(&text);
        Self::from_parsed(text, lines, parsed)
    }

    /// A document from its text, line index and YAML tree. The JSON value is built now only
    /// when building it can report problems (aliases, or keys that are not scalars); otherwise
    /// it can only succeed and is left for [`Document::json`].
    #[must_use]
    pub fn from_parsed(text: Arc<str>, lines: Arc<Lines>, parsed: yaml::Parsed) -> Self {
        let json = OnceLock::new();
        let mut yaml_errors = parsed.errors;
        if yaml::conversion_may_fail(&parsed.tree) {
            let converted = yaml::to_json(&parsed.tree);
            yaml_errors.extend(converted.errors);
            let _ = json.set(converted.value);
        }
        Self {
            text,
            lines,
            tree: parsed.tree,
            yaml_errors,
            json,
        }
    }

    /// The document of `text`, an edit of this document's text: when the edit stays within
    /// independent blocks of lines, only those are read again and the rest of the tree is
    /// kept ([`yaml::incremental`]); otherwise the whole text is read. Either way the result
    /// is what [`Document::parse`] gives. The [`Change`] says which lines were read again
    /// (`None`: all of them).
    /// The line index is likewise made from this document's, read again around the change.
    #[must_use]
    pub fn reparse(&self, text: &str) -> (Self, Option<Change>) {
        if let Some((tree, change)) = self.reread(text) {
            let lines = self
                .lines
                .edited(text, change.start, change.old_end, change.new_end);
            return (
                Self::read_in_part(Arc::from(text), Arc::new(lines), tree),
                Some(change),
            );
        }
        (Self::parse(text), None)
    }

    /// [`Document::reparse`] of a text and line index that the caller keeps too (see
    /// [`Document::parse_shared`]).
    #[must_use]
    pub fn reparse_shared(&self, text: Arc<str>, lines: Arc<Lines>) -> (Self, Option<Change>) {
        if let Some((tree, change)) = self.reread(&text) {
            return (Self::read_in_part(text, lines, tree), Some(change));
        }
        (Self::parse_shared(text, lines), None)
    }

    /// The tree of `text` read from this one, when only some blocks need reading again.
    fn reread(&self, text: &str) -> Option<(Tree, Change)> {
        // Without a JSON value built at its reading, this tree's conversion cannot fail (see
        // `from_parsed`), so the read need not look at every node to make sure.
        let read = if self.json.get().is_none() {
            yaml::incremental::reparse_simple
        } else {
            yaml::incremental::reparse
        };
        if self.yaml_errors.is_empty() {
            read(&self.tree, &self.text, text)
        } else {
            None
        }
    }

    /// The document of a tree read in part by [`Document::reread`].
    fn read_in_part(text: Arc<str>, lines: Arc<Lines>, tree: Tree) -> Self {
        // A tree read in part has no alias and only scalar keys, as the one it came from:
        // its JSON value is left for `json`, as `from_parsed` would.
        Self {
            text,
            lines,
            tree,
            yaml_errors: Vec::new(),
            json: OnceLock::new(),
        }
    }

    /// The document as `PyYAML` would load it (aliases and `<<` merge keys expanded).
    #[must_use]
    pub fn json(&self) -> &Value {
        self.json.get_or_init(|| yaml::to_json(&self.tree).value)
    }

    /// [`Document::json`] without keeping it: the kept value when there is one, else a value
    /// built for the caller alone and freed with it (the expansion, the formatter's check and
    /// the code lenses read it once per run; a kept copy would double the document's size).
    #[must_use]
    pub fn json_once(&self) -> Cow<'_, Value> {
        match self.json.get() {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(yaml::to_json(&self.tree).value),
        }
    }

    /// The root mapping, when the document is one.
    #[must_use]
    pub fn root_map(&self) -> Option<NodeId> {
        self.tree.root.filter(|&r| self.tree.is_mapping(r))
    }

    /// Whether the YAML does not read as one document (a syntax error or several documents):
    /// the tree is partial, so checks built on it would mislead.
    #[must_use]
    pub fn has_fatal_yaml_errors(&self) -> bool {
        self.yaml_errors.iter().any(|e| {
            matches!(
                e.kind,
                YamlErrorKind::Syntax | YamlErrorKind::MultipleDocuments
            )
        })
    }

    /// The 1-based line and column (in characters) of a byte offset, as compilers print them.
    #[must_use]
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let (line, col) = self.lines.line_and_char_column(&self.text, offset);
        (line + 1, col + 1)
    }

    /// Source range of a node.
    #[must_use]
    pub fn range(&self, id: NodeId) -> TextRange {
        self.tree.span(id)
    }

    /// `span` without the trailing blank space and line breaks a block value takes in (the
    /// range of what is written, for folds and selections).
    #[must_use]
    pub fn content_range(&self, span: TextRange) -> TextRange {
        let len = self.text_at(span).trim_end().len();
        TextRange::at(span.start(), TextSize::try_from(len).unwrap_or_default())
    }

    /// The range to underline for an entry: its key.
    #[must_use]
    pub fn key_range(&self, e: Entry) -> TextRange {
        self.range(e.key)
    }

    /// The range to underline for a value; an empty value falls back to its key.
    #[must_use]
    pub fn value_range(&self, e: Entry) -> TextRange {
        let r = self.range(e.value);
        if r.is_empty() { self.range(e.key) } else { r }
    }

    /// A zero-width range at the start of the document's first key (or of the text).
    #[must_use]
    pub fn top_range(&self) -> TextRange {
        self.root_map()
            .and_then(|r| self.tree.entries(r).first().map(|e| self.range(e.key)))
            .unwrap_or_else(|| TextRange::empty(TextSize::from(0)))
    }

    /// The top-level entry for `key` (a project field also when written under its Python name,
    /// `run_user` for `run-user`).
    #[must_use]
    pub fn top_entry(&self, key: &str) -> Option<Entry> {
        let root = self.root_map()?;
        self.tree.entry(root, key).or_else(|| {
            // rockcraft also reads a field under its Python name (`run_user`).
            let python = facts::python_name_of_project_field(key)?;
            self.tree.entry(root, &python)
        })
    }

    /// The text of a top-level scalar.
    #[must_use]
    pub fn top_text(&self, key: &str) -> Option<&str> {
        self.top_entry(key).and_then(|e| self.tree.text(e.value))
    }

    /// `base` as written.
    #[must_use]
    pub fn base(&self) -> Option<&str> {
        self.top_text("base").filter(|s| !s.is_empty())
    }

    /// `build-base` as written (not defaulted).
    #[must_use]
    pub fn build_base(&self) -> Option<&str> {
        self.top_text("build-base").filter(|s| !s.is_empty())
    }

    /// The system parts are built on: `build-base` if set, else `base` (with `ubuntu:XX.04`
    /// read as `ubuntu@XX.04`). `None` for `bare` without a build base.
    #[must_use]
    pub fn effective_build_base(&self) -> Option<String> {
        let b = self.build_base().or_else(|| self.base())?;
        let b = facts::at_spelling(b);
        if b == facts::BARE { None } else { Some(b) }
    }

    /// The extension names listed in `extensions:` with their item nodes (strings only).
    #[must_use]
    pub fn extension_items(&self) -> Vec<(NodeId, &str)> {
        let Some(list) = self.top_entry("extensions").map(|e| e.value) else {
            return Vec::new();
        };
        self.tree
            .items(list)
            .iter()
            .filter_map(|&id| self.tree.text(id).map(|t| (id, t)))
            .collect()
    }

    /// The registered extensions the project declares (unknown names skipped), each once.
    #[must_use]
    pub fn declared_extensions(&self) -> Vec<&'static ExtensionInfo> {
        let mut v: Vec<&'static ExtensionInfo> = Vec::new();
        for info in self
            .extension_items()
            .iter()
            .filter_map(|(_, n)| registry::find(n))
        {
            if !v.iter().any(|e| e.name == info.name) {
                v.push(info);
            }
        }
        v
    }

    /// Whether `extensions:` is a non-empty list (what makes rockcraft expand the project).
    #[must_use]
    pub fn has_extensions(&self) -> bool {
        self.top_entry("extensions")
            .is_some_and(|e| !self.tree.items(e.value).is_empty())
    }

    /// Whether a part belongs to an extension the project declares.
    #[must_use]
    pub fn is_extension_part(&self, part: &str) -> bool {
        registry::owner_of_part(part).is_some_and(|ext| {
            self.declared_extensions()
                .iter()
                .any(|d| d.name == ext.name)
        })
    }

    /// Whether a service is generated by an extension the project declares.
    #[must_use]
    pub fn is_extension_service(&self, service: &str) -> bool {
        self.declared_extensions()
            .iter()
            .any(|e| e.services.contains(&service))
    }

    /// The entries of a top-level mapping such as `parts` or `services`.
    #[must_use]
    pub fn section(&self, key: &str) -> &[Entry] {
        match self.top_entry(key) {
            Some(e) => self.tree.entries(e.value),
            None => &[],
        }
    }

    /// The line (1-based) of an offset, for messages.
    #[must_use]
    pub fn line_number(&self, offset: TextSize) -> u32 {
        self.lines.line_of(u32::from(offset)) + 1
    }
}

impl Document {
    /// The source text of a range.
    #[must_use]
    pub fn text_at(&self, range: TextRange) -> &str {
        self.text
            .get(usize::from(range.start())..usize::from(range.end()))
            .unwrap_or_default()
    }
}
