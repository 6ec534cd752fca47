//! An error-tolerant YAML tree with byte spans for every key, value and container.
//!
//! The tree is built from parser events and is always returned, even for broken input: a
//! syntax error closes the open containers and is reported next to the partial tree, so
//! features such as completion keep working while the user is typing.

pub mod incremental;
mod index;
mod json;
mod nodes;
mod parse;
mod patterns;
mod resolve;

pub use index::TreeIndex;
pub use json::{ToJson, conversion_may_fail, to_json};
pub use nodes::{CHUNK, Nodes};
pub use parse::parse;
pub use resolve::{ScalarValue, big_int_digits, resolve_plain, resolves_to_str};

use crate::core::text::TextRange;
use compact_str::CompactString;
use std::fmt::Write as _;
use std::sync::Arc;

/// How deeply collections may nest, in the tree and in the value its aliases expand to. Every walk
/// over the tree and over its JSON value recurses once per level, so this bounds their stack.
/// `PyYAML`'s composer recurses per level too and hits Python's recursion limit a little under
/// 500 levels (400 load, 500 raise `RecursionError`), so rockcraft cannot load a deeper
/// document; 300 leaves room for rockcraft's own frames above the loader.
pub const MAX_DEPTH: usize = 300;

/// Index of a node in its [`Tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl ScalarStyle {
    #[must_use]
    pub fn is_quoted(self) -> bool {
        matches!(self, Self::SingleQuoted | Self::DoubleQuoted)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    /// The scalar's text after escape processing and folding (kept inline when short, as
    /// most keys and values are).
    pub text: CompactString,
    pub style: ScalarStyle,
    /// The value as `PyYAML`'s safe loader reads it (YAML 1.1 rules).
    pub value: ScalarValue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
}

/// What a node is. A container's children are shared (an edit's tree keeps the lists of the
/// containers whose children it does not rename, see [`incremental`]).
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Mapping {
        entries: Arc<[Entry]>,
        flow: bool,
    },
    Sequence {
        items: Arc<[NodeId]>,
        flow: bool,
    },
    /// `*name`: refers to an anchored node (`None` when the anchor is unknown).
    Alias {
        target: Option<NodeId>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Source range of the node as held (read it with [`Tree::span`]: a chunk of nodes shared
    /// after an edit holds the offsets they had before it). For a value that was left empty
    /// (`key:`) this is an empty range right after the key's colon.
    span: TextRange,
    pub kind: NodeKind,
    /// Parent container, if any.
    pub parent: Option<NodeId>,
}

/// A comment and its range (from `#` to the end of the line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: TextRange,
    pub text: String,
}

/// What went wrong while reading the YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// The text is not valid YAML; the tree holds what was read before the error.
    Syntax,
    /// A key appears twice in one mapping; `first` is where it was first written.
    DuplicateKey { key: String, first: TextRange },
    /// The file holds more than one YAML document.
    MultipleDocuments,
    /// An alias names an anchor that is not defined before it.
    UnknownAnchor,
    /// Expanding aliases would make the document too large (an "alias bomb").
    AliasBudget,
    /// An alias refers to a node that contains the alias.
    RecursiveAlias,
    /// Values nest deeper than [`MAX_DEPTH`], in the text or through aliases.
    TooDeep,
    /// A tag the safe loader cannot construct (`!python/object`, `!custom`).
    UnknownTag { tag: String },
    /// A mapping or a list used as a mapping key (`PyYAML`: "found unhashable key").
    UnhashableKey,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub range: TextRange,
    pub kind: YamlErrorKind,
    pub message: String,
}

/// One step of a path into the document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// A path in dotted form for messages (`parts.my-part.prime[2]`).
#[must_use]
pub fn dotted(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSeg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// The parsed document.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    pub nodes: Nodes,
    pub root: Option<NodeId>,
    pub comments: Vec<Comment>,
}

impl Tree {
    #[must_use]
    #[inline]
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0 as usize]
    }

    /// The node's source range.
    #[must_use]
    #[inline]
    pub fn span(&self, id: NodeId) -> TextRange {
        self.nodes.span(id.0 as usize).unwrap_or_default()
    }

    /// Follows aliases to the node they stand for (at most a few hops; a broken alias
    /// resolves to itself).
    #[must_use]
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        for _ in 0..16 {
            match self.node(id).kind {
                NodeKind::Alias { target: Some(t) } if t != id => id = t,
                _ => break,
            }
        }
        id
    }

    /// The node `id` stands for (after aliases): looked up once when it is no alias.
    #[inline]
    fn resolved(&self, id: NodeId) -> &Node {
        let node = self.node(id);
        match node.kind {
            NodeKind::Alias { .. } => self.node(self.resolve(id)),
            _ => node,
        }
    }

    /// The scalar at `id` (after aliases), if it is one.
    #[must_use]
    pub fn scalar(&self, id: NodeId) -> Option<&Scalar> {
        match &self.resolved(id).kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text when `id` is a string-like scalar (any scalar, read as text).
    #[must_use]
    pub fn text(&self, id: NodeId) -> Option<&str> {
        self.scalar(id).map(|s| s.text.as_str())
    }

    /// The entries of the mapping at `id` (after aliases), or an empty slice.
    #[must_use]
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match &self.resolved(id).kind {
            NodeKind::Mapping { entries, .. } => entries,
            _ => &[],
        }
    }

    /// The items of the sequence at `id` (after aliases), or an empty slice.
    #[must_use]
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match &self.resolved(id).kind {
            NodeKind::Sequence { items, .. } => items,
            _ => &[],
        }
    }

    #[must_use]
    pub fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.resolved(id).kind, NodeKind::Mapping { .. })
    }

    #[must_use]
    pub fn is_sequence(&self, id: NodeId) -> bool {
        matches!(self.resolved(id).kind, NodeKind::Sequence { .. })
    }

    /// Whether the node is a null scalar (`~`, `null` or nothing at all).
    #[must_use]
    pub fn is_null(&self, id: NodeId) -> bool {
        matches!(
            self.scalar(id),
            Some(Scalar {
                value: ScalarValue::Null,
                ..
            })
        )
    }

    /// The entry of a mapping whose key text is `key` (the last one when duplicated, as the
    /// loader keeps the last).
    #[must_use]
    pub fn entry(&self, map: NodeId, key: &str) -> Option<Entry> {
        self.entries(map)
            .iter()
            .rev()
            .find(|e| self.text(e.key) == Some(key))
            .copied()
    }

    /// The value under `key` in the mapping `map`.
    #[must_use]
    pub fn get(&self, map: NodeId, key: &str) -> Option<NodeId> {
        self.entry(map, key).map(|e| e.value)
    }

    /// The value of a top-level key.
    #[must_use]
    pub fn top(&self, key: &str) -> Option<NodeId> {
        self.root.and_then(|r| self.get(r, key))
    }

    /// The node at a path from the root, following aliases.
    #[must_use]
    pub fn at_path(&self, path: &[PathSeg]) -> Option<NodeId> {
        let mut cur = self.root?;
        for seg in path {
            cur = match seg {
                PathSeg::Key(k) => self.get(cur, k)?,
                PathSeg::Index(i) => *self.items(cur).get(*i)?,
            };
        }
        Some(cur)
    }

    /// The entry whose value is at `path` (the last segment must be a key).
    #[must_use]
    pub fn entry_at_path(&self, path: &[PathSeg]) -> Option<Entry> {
        let (last, parent) = path.split_last()?;
        let PathSeg::Key(k) = last else { return None };
        let map = self.at_path(parent)?;
        self.entry(map, k)
    }

    /// The string value of a top-level key, when it is a scalar.
    #[must_use]
    pub fn top_text(&self, key: &str) -> Option<&str> {
        self.top(key).and_then(|id| self.text(id))
    }

    /// The innermost node whose span contains `offset` (ends inclusive), walking from the root.
    #[must_use]
    pub fn node_at(&self, offset: u32) -> Option<NodeId> {
        let mut cur = self.root?;
        if !contains(self.span(cur), offset) {
            return None;
        }
        'descend: loop {
            match &self.node(cur).kind {
                NodeKind::Mapping { entries, .. } => {
                    for e in entries.iter() {
                        for id in [e.key, e.value] {
                            if contains(self.span(id), offset) {
                                cur = id;
                                continue 'descend;
                            }
                        }
                    }
                    return Some(cur);
                }
                NodeKind::Sequence { items, .. } => {
                    for &id in items.iter() {
                        if contains(self.span(id), offset) {
                            cur = id;
                            continue 'descend;
                        }
                    }
                    return Some(cur);
                }
                _ => return Some(cur),
            }
        }
    }

    /// The path from the root to `id`, and whether `id` is a mapping key.
    #[must_use]
    pub fn path_of(&self, id: NodeId) -> (Vec<PathSeg>, bool) {
        let mut path = Vec::new();
        let mut is_key = false;
        let mut cur = id;
        let mut first = true;
        while let Some(parent) = self.node(cur).parent {
            match &self.node(parent).kind {
                NodeKind::Mapping { entries, .. } => {
                    if let Some(e) = entries.iter().find(|e| e.key == cur || e.value == cur) {
                        if e.key == cur && first {
                            is_key = true;
                        }
                        path.push(PathSeg::Key(
                            self.text(e.key).unwrap_or_default().to_owned(),
                        ));
                    }
                }
                NodeKind::Sequence { items, .. } => {
                    if let Some(i) = items.iter().position(|&x| x == cur) {
                        path.push(PathSeg::Index(i));
                    }
                }
                _ => {}
            }
            first = false;
            cur = parent;
        }
        path.reverse();
        (path, is_key)
    }
}

fn contains(span: TextRange, offset: u32) -> bool {
    u32::from(span.start()) <= offset && offset <= u32::from(span.end())
}

/// A parse result: always a tree, plus the problems found.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub tree: Tree,
    pub errors: Vec<YamlError>,
}
#[cfg(test)]
mod tests;
