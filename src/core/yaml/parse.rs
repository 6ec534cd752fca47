//! Builds a [`Tree`] from granit-parser events. Never fails: errors are collected beside the
//! (possibly partial) tree.

use std::collections::HashMap;
use std::hash::BuildHasher as _;
use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::{FxBuildHasher, FxHashMap};

use granit_parser::{Event, Marker, Parser, ScalarStyle as GStyle, Span, StructureStyle, Tag};

use super::{
    Comment, Entry, MAX_DEPTH, Node, NodeId, NodeKind, Nodes, Parsed, Scalar, ScalarStyle,
    ScalarValue, Tree, YamlError, YamlErrorKind, resolve_plain,
};
use crate::core::text::{TextRange, TextSize};

/// Hard limits that keep hostile input from taking unbounded time or memory.
pub(super) const MAX_NODES: usize = 2_000_000;
pub(super) const MAX_COMMENTS: usize = 200_000;
/// How deeply granit-parser nests collections before it stops with an error (its default is
/// 255 of each kind). The tree keeps [`MAX_DEPTH`] levels and skips deeper ones, reporting
/// them, while reading on; the parser is iterative and holds a few words per open level, so
/// it may follow as deep as the text (capped in size) goes.
const PARSER_NESTING_LIMIT: usize = usize::MAX;
/// How many entries a mapping has before its keys are looked up by hash rather than scanned.
const INDEXED_FROM: usize = 12;

struct Frame {
    id: NodeId,
    is_map: bool,
    pending_key: Option<NodeId>,
    /// The mapping's keys by the hash of their text, to find a duplicate among many entries
    /// (built once the mapping has [`INDEXED_FROM`] entries; smaller ones are scanned).
    seen: Option<FxHashMap<u64, u32>>,
    /// End offset of the last child, for block containers' spans.
    last_end: u32,
    /// The children read so far (a mapping's entries, a sequence's items), given to the node
    /// when it closes.
    entries: Vec<Entry>,
    items: Vec<NodeId>,
}

struct Builder<'t> {
    text: &'t str,
    /// The tree being built: its nodes are all its own (no chunk shared with another tree, so
    /// none read with a moved offset), and their `span` fields are the offsets themselves.
    tree: Tree,
    stack: Vec<Frame>,
    anchors: HashMap<usize, NodeId>,
    errors: Vec<YamlError>,
    documents: usize,
    done: bool,
    /// A container opened deeper than [`MAX_DEPTH`] is skipped: the null that stands for it
    /// and how many containers are open inside it.
    skipped: Option<(NodeId, usize)>,
    /// Where each line starts, built on the first duplicate key (its message names the line
    /// of the first one; counting newlines per duplicate would be quadratic).
    line_starts: Option<Vec<u32>>,
    /// See [`parse_until`].
    stop: u32,
    reached: Option<u32>,
    /// Emptied children lists of closed containers, for the next ones to fill.
    spare: Vec<(Vec<Entry>, Vec<NodeId>)>,
    /// The children of every empty container (and of open ones), shared.
    no_entries: Arc<[Entry]>,
    no_items: Arc<[NodeId]>,
}

fn offset(text: &str, m: &Marker) -> u32 {
    let off = m.byte_offset().unwrap_or_else(|| {
        // Char index to byte offset, for inputs without byte offsets.
        text.char_indices()
            .nth(m.index())
            .map_or(text.len(), |(b, _)| b)
    });
    u32::try_from(off.min(text.len())).unwrap_or(u32::MAX)
}

fn range(a: u32, b: u32) -> TextRange {
    TextRange::new(TextSize::from(a), TextSize::from(b.max(a)))
}

/// Parses `text` as a single YAML document.
#[must_use]
pub fn parse(text: &str) -> Parsed {
    parse_until(text, u32::MAX).0
}

/// [`parse`], also saying where the root mapping's children had reached (the end it would
/// have if the text stopped there) when its first key at or after `stop` was read.
pub(super) fn parse_until(text: &str, stop: u32) -> (Parsed, Option<u32>) {
    let mut options = granit_parser::Options::default();
    options.emit_unresolved_aliases = true;
    options.flow_nesting_limit = PARSER_NESTING_LIMIT;
    options.block_nesting_limit = PARSER_NESTING_LIMIT;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder {
        text,
        // About a node per 8 bytes of YAML: reserving the first chunk's at once spares the
        // copies of growing it by doubling (the excess is given back); the nodes grow by
        // chunks, never copied once written.
        tree: Tree {
            nodes: Nodes::with_capacity(text.len() / 8),
            ..Tree::default()
        },
        stack: Vec::new(),
        anchors: HashMap::new(),
        errors: Vec::new(),
        documents: 0,
        done: false,
        skipped: None,
        line_starts: None,
        stop,
        reached: None,
        spare: Vec::new(),
        no_entries: Arc::from([]),
        no_items: Arc::from([]),
    };
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                b.event(event, span);
                if b.done {
                    break;
                }
            }
            Some(Err(err)) => {
                let at = offset(text, err.marker());
                let message = describe_scan_error(&err.info());
                b.errors.push(YamlError {
                    range: range(at, at),
                    kind: YamlErrorKind::Syntax,
                    message,
                });
                break;
            }
        }
    }
    let reached = b.reached;
    (b.finish(), reached)
}

/// Turns the parser's message into a sentence for users.
fn describe_scan_error(info: &str) -> String {
    let info = info.trim();
    let mut s = String::from("invalid YAML: ");
    s.push_str(info);
    s
}

impl Builder<'_> {
    fn span_range(&self, span: &Span) -> (u32, u32) {
        (offset(self.text, &span.start), offset(self.text, &span.end))
    }

    fn push_node(&mut self, span: TextRange, kind: NodeKind) -> Option<NodeId> {
        if self.tree.nodes.len() >= MAX_NODES {
            if !self.done {
                self.errors.push(YamlError {
                    range: span,
                    kind: YamlErrorKind::Syntax,
                    message: format!(
                        "the document has more than {MAX_NODES} nodes; the rest is not read"
                    ),
                });
            }
            self.done = true;
            return None;
        }
        let id = NodeId(u32::try_from(self.tree.nodes.len()).unwrap_or(u32::MAX));
        let parent = self.stack.last().map(|f| f.id);
        self.tree.nodes.push(Node { span, kind, parent });
        Some(id)
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        let (start, end) = self.span_range(&span);
        if let Some((placeholder, open)) = self.skipped {
            // Inside a container too deep to read: only its end matters.
            let open = match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => open + 1,
                Event::SequenceEnd | Event::MappingEnd => open - 1,
                _ => open,
            };
            if open == 0 {
                self.skipped = None;
                let node = &mut self.tree.nodes[placeholder.0 as usize];
                node.span = range(u32::from(node.span.start()), end);
                self.attach(placeholder);
            } else {
                self.skipped = Some((placeholder, open));
            }
            return;
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Anchor(..) => {}
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.errors.push(YamlError {
                        range: range(start, end.max(start + 3).min(u32::try_from(self.text.len()).unwrap_or(0))),
                        kind: YamlErrorKind::MultipleDocuments,
                        message: "rockcraft.yaml must hold a single YAML document, but a second one starts here; remove the `---` and what follows, or merge the documents".into(),
                    });
                    self.done = true;
                }
            }
            Event::Comment(text, _) if self.tree.comments.len() < MAX_COMMENTS => {
                self.tree.comments.push(Comment {
                    span: range(start, end),
                    text: text.into_owned(),
                });
            }
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    GStyle::Plain => ScalarStyle::Plain,
                    GStyle::SingleQuoted => ScalarStyle::SingleQuoted,
                    GStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
                    GStyle::Literal => ScalarStyle::Literal,
                    GStyle::Folded => ScalarStyle::Folded,
                };
                let text = CompactString::from(value.as_ref());
                let mut typed = if style == ScalarStyle::Plain {
                    resolve_plain(&text)
                } else {
                    ScalarValue::Str
                };
                if let Some(tag) = tag.as_deref() {
                    typed = self.apply_scalar_tag(tag, &text, typed, range(start, end));
                }
                let Some(id) = self.push_node(
                    range(start, end),
                    NodeKind::Scalar(Scalar {
                        text,
                        style,
                        value: typed,
                    }),
                ) else {
                    return;
                };
                if anchor != 0 {
                    self.anchors.insert(anchor, id);
                }
                self.attach(id);
            }
            Event::Alias(anchor) => {
                let target = self.anchors.get(&anchor).copied();
                if let Some(id) = self.push_node(range(start, end), NodeKind::Alias { target }) {
                    self.attach(id);
                }
            }
            Event::UnresolvedAlias(name) => {
                self.errors.push(YamlError {
                    range: range(start, end),
                    kind: YamlErrorKind::UnknownAnchor,
                    message: format!("the alias `*{name}` refers to no anchor: define `&{name}` on a node before this point"),
                });
                if let Some(id) =
                    self.push_node(range(start, end), NodeKind::Alias { target: None })
                {
                    self.attach(id);
                }
            }
            Event::SequenceStart(style, anchor, tag) => {
                self.open(false, style, anchor, tag.as_deref(), start, end);
            }
            Event::MappingStart(style, anchor, tag) => {
                self.open(true, style, anchor, tag.as_deref(), start, end);
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(end),
            _ => {}
        }
    }

    fn open(
        &mut self,
        is_map: bool,
        style: StructureStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: u32,
        end: u32,
    ) {
        if self.stack.len() >= MAX_DEPTH {
            self.skip_too_deep(start, end);
            return;
        }
        let flow = style == StructureStyle::Flow;
        let kind = if is_map {
            NodeKind::Mapping {
                entries: Arc::clone(&self.no_entries),
                flow,
            }
        } else {
            NodeKind::Sequence {
                items: Arc::clone(&self.no_items),
                flow,
            }
        };
        let Some(id) = self.push_node(range(start, end), kind) else {
            return;
        };
        if let Some(tag) = tag {
            let want = if is_map { "map" } else { "seq" };
            let ok = tag.is_yaml_core_schema_tag(want)
                || (!is_map && tag.is_yaml_core_schema_tag("omap"));
            if !ok {
                self.errors.push(unknown_tag(tag, range(start, end)));
            }
        }
        if anchor != 0 {
            self.anchors.insert(anchor, id);
        }
        let (entries, items) = self.spare.pop().unwrap_or_default();
        self.stack.push(Frame {
            id,
            is_map,
            pending_key: None,
            seen: None,
            last_end: end,
            entries,
            items,
        });
    }

    /// A container opened at [`MAX_DEPTH`]: reported, read as null, and its contents skipped
    /// (the rest of the document is read on).
    fn skip_too_deep(&mut self, start: u32, end: u32) {
        let null = NodeKind::Scalar(Scalar {
            text: CompactString::default(),
            style: ScalarStyle::Plain,
            value: ScalarValue::Null,
        });
        let Some(id) = self.push_node(range(start, end), null) else {
            return;
        };
        self.errors.push(YamlError {
            range: range(start, end),
            kind: YamlErrorKind::TooDeep,
            message: format!(
                "this value is nested more than {MAX_DEPTH} levels deep, past this checker's limit (rockcraft's YAML loader itself fails near 500 levels); it is not read. Flatten the nesting"
            ),
        });
        self.skipped = Some((id, 1));
    }

    /// The zero-based line of a byte offset.
    fn line_of(&mut self, offset: u32) -> usize {
        let text = self.text;
        let starts = self.line_starts.get_or_insert_with(|| {
            crate::core::text::lines_with_starts(text)
                .filter_map(|(s, _)| u32::try_from(s).ok())
                .collect()
        });
        starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// Closes the innermost container at `end` (the end of its closing event).
    fn close(&mut self, end: u32) {
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        let node = &mut self.tree.nodes[frame.id.0 as usize];
        let flow = match &mut node.kind {
            NodeKind::Mapping { entries, flow } => {
                if !frame.entries.is_empty() {
                    *entries = Arc::from(frame.entries.as_slice());
                }
                *flow
            }
            NodeKind::Sequence { items, flow } => {
                if !frame.items.is_empty() {
                    *items = Arc::from(frame.items.as_slice());
                }
                *flow
            }
            _ => false,
        };
        frame.entries.clear();
        frame.items.clear();
        self.spare.push((frame.entries, frame.items));
        let stop = if flow {
            end.max(frame.last_end)
        } else {
            frame.last_end
        };
        node.span = range(u32::from(node.span.start()), stop);
        self.attach(frame.id);
    }

    /// Hangs a finished node on the innermost open container (or makes it the root).
    fn attach(&mut self, id: NodeId) {
        let span = self.tree.nodes[id.0 as usize].span;
        let depth = self.stack.len();
        let Some(frame) = self.stack.last_mut() else {
            if self.tree.root.is_none() {
                self.tree.root = Some(id);
            }
            return;
        };
        if self.reached.is_none()
            && frame.is_map
            && frame.pending_key.is_none()
            && depth == 1
            && u32::from(span.start()) >= self.stop
        {
            self.reached = Some(frame.last_end);
        }
        frame.last_end = frame.last_end.max(u32::from(span.end()));
        if frame.is_map {
            match frame.pending_key.take() {
                None => frame.pending_key = Some(id),
                Some(key) => {
                    self.place_empty_value(key, id);
                    let dup = self.first_with_key(key);
                    if let Some(frame) = self.stack.last_mut() {
                        frame.entries.push(Entry { key, value: id });
                    }
                    let dup = dup.and_then(|first| {
                        let NodeKind::Scalar(s) = &self.tree.nodes[key.0 as usize].kind else {
                            return None;
                        };
                        Some((s.text.clone(), first, self.tree.nodes[key.0 as usize].span))
                    });
                    if let Some((name, first, here)) = dup {
                        let line = self.line_of(u32::from(first.start())) + 1;
                        self.errors.push(YamlError {
                            range: here,
                            kind: YamlErrorKind::DuplicateKey { key: name.to_string(), first },
                            message: format!(
                                "duplicate key `{name}`: it is already set on line {line}, and rockcraft refuses a file with a key repeated in one mapping; keep one of the two"
                            ),
                        });
                    }
                }
            }
        } else {
            frame.items.push(id);
        }
    }

    /// The span of the first key of the innermost open mapping written as the scalar `key`,
    /// which is about to be added to it. Scalar keys are compared by text, as the loader
    /// compares them.
    fn first_with_key(&mut self, key: NodeId) -> Option<TextRange> {
        let nodes = &self.tree.nodes;
        let NodeKind::Scalar(s) = &nodes[key.0 as usize].kind else {
            return None;
        };
        let text = s.text.as_str();
        let same = |e: &Entry| matches!(&nodes[e.key.0 as usize].kind, NodeKind::Scalar(k) if k.text == text);
        let frame = self.stack.last_mut()?;
        let entries = &frame.entries;
        if entries.len() < INDEXED_FROM {
            return entries
                .iter()
                .find(|e| same(e))
                .map(|e| nodes[e.key.0 as usize].span);
        }
        let key_text = |e: &Entry| match &nodes[e.key.0 as usize].kind {
            NodeKind::Scalar(k) => Some(k.text.as_str()),
            _ => None,
        };
        let seen = frame.seen.get_or_insert_with(|| {
            let mut seen = FxHashMap::default();
            for (i, e) in entries.iter().enumerate() {
                if let Some(k) = key_text(e) {
                    seen.entry(FxBuildHasher.hash_one(k))
                        .or_insert(u32::try_from(i).unwrap_or(u32::MAX));
                }
            }
            seen
        });
        let hash = FxBuildHasher.hash_one(text);
        let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        match seen.get(&hash) {
            None => {
                seen.insert(hash, at);
                None
            }
            Some(&i) if entries.get(i as usize).is_some_and(same) => {
                Some(nodes[entries[i as usize].key.0 as usize].span)
            }
            // Two texts with one hash: rare enough to scan.
            Some(_) => entries
                .iter()
                .find(|e| same(e))
                .map(|e| nodes[e.key.0 as usize].span),
        }
    }

    /// An empty value (`key:`) gets an empty span right after the key's colon, where a user
    /// would type the value.
    fn place_empty_value(&mut self, key: NodeId, value: NodeId) {
        let node = &mut self.tree.nodes[value.0 as usize];
        if !node.span.is_empty() {
            return;
        }
        match &mut node.kind {
            // The parser reports a missing value as an implicit `~`; it was never written.
            NodeKind::Scalar(s)
                if s.style == ScalarStyle::Plain && s.value == ScalarValue::Null =>
            {
                s.text.clear();
            }
            _ => return,
        }
        let key_end = u32::from(self.tree.nodes[key.0 as usize].span.end()) as usize;
        let rest = &self.text[key_end.min(self.text.len())..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if rest[skipped..].starts_with(':') {
            let at = u32::try_from(key_end + skipped + 1).unwrap_or(u32::MAX);
            self.tree.nodes[value.0 as usize].span = range(at, at);
        }
    }

    fn apply_scalar_tag(
        &mut self,
        tag: &Tag,
        text: &str,
        typed: ScalarValue,
        at: TextRange,
    ) -> ScalarValue {
        let Some(core) = tag.core_suffix() else {
            // `!` alone (the non-specific tag) forces a string.
            if tag.handle() == "!" && tag.suffix().is_empty() {
                return ScalarValue::Str;
            }
            self.errors.push(unknown_tag(tag, at));
            return typed;
        };
        let plain = resolve_plain(text);
        match core {
            "str" => ScalarValue::Str,
            "null" => ScalarValue::Null,
            "bool" if matches!(plain, ScalarValue::Bool(_)) => plain,
            "int" if matches!(plain, ScalarValue::Int(_) | ScalarValue::BigInt) => plain,
            "float" if matches!(plain, ScalarValue::Float(_)) => plain,
            "float" if matches!(plain, ScalarValue::Int(_)) => match plain {
                #[allow(clippy::cast_precision_loss)]
                ScalarValue::Int(i) => ScalarValue::Float(i as f64),
                _ => plain,
            },
            _ => {
                self.errors.push(YamlError {
                    range: at,
                    kind: YamlErrorKind::UnknownTag {
                        tag: format!("!!{core}"),
                    },
                    message: format!(
                        "`{text}` cannot be read as `!!{core}`; remove the tag or fix the value"
                    ),
                });
                typed
            }
        }
    }

    fn finish(mut self) -> Parsed {
        if let Some((placeholder, _)) = self.skipped.take() {
            self.attach(placeholder);
        }
        // Close whatever a syntax error left open, giving a dangling key an empty value so the
        // partial tree stays well-formed.
        while let Some(frame) = self.stack.last() {
            if let Some(key) = frame.pending_key {
                let at = u32::from(self.tree.nodes[key.0 as usize].span.end());
                let value = Scalar {
                    text: CompactString::default(),
                    style: ScalarStyle::Plain,
                    value: ScalarValue::Null,
                };
                if let Some(id) = self.push_node(range(at, at), NodeKind::Scalar(value)) {
                    self.attach(id);
                } else if let Some(f) = self.stack.last_mut() {
                    f.pending_key = None;
                }
                continue;
            }
            let end = frame.last_end;
            self.close(end);
        }
        // The tree is kept as long as its document: give back what growing it reserved.
        self.tree.nodes.shrink_to_fit();
        self.tree.comments.shrink_to_fit();
        Parsed {
            tree: self.tree,
            errors: self.errors,
        }
    }
}

fn unknown_tag(tag: &Tag, at: TextRange) -> YamlError {
    let shown = tag.original();
    YamlError {
        range: at,
        kind: YamlErrorKind::UnknownTag { tag: shown.clone() },
        message: format!(
            "rockcraft reads YAML with a safe loader that does not know the tag `{shown}`; remove it"
        ),
    }
}
