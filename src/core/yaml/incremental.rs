//! Re-reads only the blocks of a document that an edit touched.
//!
//! The entries of a block mapping are independent blocks of lines: the entries of the root,
//! and the entries of one of its values that is itself a block mapping (the parts of
//! `parts:`). When the text changed inside a run of such blocks, only that run is read again
//! (on its own, as a mapping at the same indentation) and put in place of the old run; the
//! rest of the tree is kept, its offsets moved by the length the edit added.
//!
//! The result is the tree a full read gives, node for node. Whenever that cannot be known
//! cheaply, [`reparse`] declines and the caller reads the whole text: the old tree had a
//! problem or aliases, the new run does not read cleanly on its own or holds an alias, a key
//! that is not a scalar or a key of the blocks around it, or its lines hold a tab, a carriage
//! return, a document marker or anything left of the blocks' indentation.

use super::parse::{MAX_COMMENTS, MAX_NODES, parse_until};
use super::{
    CHUNK as NODE_CHUNK, Comment, Entry, MAX_DEPTH, Node, NodeId, NodeKind, Nodes, Parsed, Tree,
    conversion_may_fail,
};
use crate::core::text::{TextRange, TextSize};

/// Where the text changed: the run of lines `start..old_end` of the old text is
/// `start..new_end` in the new one, and everything after it moved by the difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub start: u32,
    pub old_end: u32,
    pub new_end: u32,
}

impl Change {
    /// Where an offset of the old text outside the changed run is in the new text (`None`
    /// inside the run).
    #[must_use]
    pub fn map(self, offset: u32) -> Option<u32> {
        if offset <= self.start {
            Some(offset)
        } else if offset >= self.old_end {
            (offset - self.old_end).checked_add(self.new_end)
        } else {
            None
        }
    }

    /// [`Change::map`] over a range.
    #[must_use]
    pub fn map_range(self, r: TextRange) -> Option<TextRange> {
        let start = self.map(u32::from(r.start()))?;
        let end = self.map(u32::from(r.end()))?;
        (start <= end).then(|| TextRange::new(TextSize::from(start), TextSize::from(end)))
    }

    /// Where an offset of the new text before or after the changed run (not at its start)
    /// was in the old text.
    #[must_use]
    pub fn unmap(self, offset: u32) -> Option<u32> {
        if offset < self.start {
            Some(offset)
        } else if offset >= self.new_end {
            (offset - self.new_end).checked_add(self.old_end)
        } else {
            None
        }
    }
}

/// The tree of `new_text` built from `tree`, the tree of `old_text`, which had no problem to
/// report, reading only the blocks that changed; `None` when the whole text must be read (see
/// the module documentation). The new tree has no problem to report either.
#[must_use]
pub fn reparse(tree: &Tree, old_text: &str, new_text: &str) -> Option<(Tree, Change)> {
    if conversion_may_fail(tree) {
        return None;
    }
    reparse_simple(tree, old_text, new_text)
}

/// [`reparse`] of a tree known to have no aliases and only scalar keys (for which
/// [`conversion_may_fail`] is false), without looking at every node to make sure. The new
/// tree has none either.
#[must_use]
pub fn reparse_simple(tree: &Tree, old_text: &str, new_text: &str) -> Option<(Tree, Change)> {
    let old_len = u32::try_from(old_text.len()).ok()?;
    let new_len = u32::try_from(new_text.len()).ok()?;
    let (first, old_end) = changed(old_text, new_text)?;
    let root = tree.root?;
    // The blocks of the root; then, when the change is inside one entry whose value is a block
    // mapping, the blocks of that mapping.
    let mut level = Level::of(tree, old_text, root, old_len, None)?;
    let mut run = level.run(first, old_end)?;
    if run.0 == run.1
        && let Some(inner) = Level::of(
            tree,
            old_text,
            tree.entries(root)[run.0].value,
            level.block_end(run.0)?,
            Some((root, run.0)),
        )
        && let Some(inner_run) = inner.run(first, old_end)
    {
        level = inner;
        run = inner_run;
    }
    let start = level.start(run.0)?;
    let end = level.block_end(run.1)?;
    let new_end = end.checked_add(new_len)?.checked_sub(old_len)?;
    let change = Change {
        start,
        old_end: end,
        new_end,
    };
    // The column of the line that follows the run, if any.
    let next = new_text.get(new_end as usize..)?;
    let followed = (!next.is_empty()).then(|| next.len() - next.trim_start_matches(' ').len());
    let fresh = read_run(
        new_text.get(start as usize..new_end as usize)?,
        level.indent,
        followed,
    )?;
    let spliced = splice(tree, &level, run, &fresh, change)?;
    Some((spliced, change))
}

/// How many bytes [`changed`] compares at once.
const CHUNK: usize = 256;

/// The first byte that differs and the end of the changed bytes in the old text (the texts
/// differ; both ends on character boundaries).
fn changed(old: &str, new: &str) -> Option<(u32, u32)> {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let shorter = a.len().min(b.len());
    // Equal chunks are compared as slices (vectorised), the differing one byte by byte.
    let mut prefix = 0;
    while prefix + CHUNK <= shorter && a[prefix..prefix + CHUNK] == b[prefix..prefix + CHUNK] {
        prefix += CHUNK;
    }
    prefix += a[prefix..shorter]
        .iter()
        .zip(&b[prefix..shorter])
        .take_while(|(x, y)| x == y)
        .count();
    let most = shorter - prefix;
    let mut suffix = 0;
    while suffix + CHUNK <= most
        && a[a.len() - suffix - CHUNK..a.len() - suffix]
            == b[b.len() - suffix - CHUNK..b.len() - suffix]
    {
        suffix += CHUNK;
    }
    suffix += a[..a.len() - suffix]
        .iter()
        .rev()
        .zip(b[..b.len() - suffix].iter().rev())
        .take(most - suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(prefix) {
        prefix -= 1;
    }
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    Some((
        u32::try_from(prefix).ok()?,
        u32::try_from(a.len() - suffix).ok()?,
    ))
}

/// The entries of one block mapping as blocks of lines.
struct Level<'t> {
    tree: &'t Tree,
    text: &'t str,
    /// The mapping and its entries.
    map: NodeId,
    entries: &'t [Entry],
    /// The entry of the root whose value the mapping is, when it is not the root.
    parent: Option<(NodeId, usize)>,
    /// The column of its keys.
    indent: usize,
    /// Where the last block ends (the end of the text, or the start of the next entry of
    /// the parent).
    end: u32,
    /// Where the mapping's subtree ends among the nodes.
    nodes_end: u32,
}

impl<'t> Level<'t> {
    fn of(
        tree: &'t Tree,
        text: &'t str,
        map: NodeId,
        end: u32,
        parent: Option<(NodeId, usize)>,
    ) -> Option<Level<'t>> {
        let node = tree.node(map);
        let NodeKind::Mapping {
            entries,
            flow: false,
        } = &node.kind
        else {
            return None;
        };
        let key = u32::from(tree.span(entries.first()?.key).start()) as usize;
        let line = text.get(..key)?.rfind('\n').map_or(0, |i| i + 1);
        let nodes_end = match parent {
            None => u32::try_from(tree.nodes.len()).ok()?,
            Some((root, i)) => match tree.entries(root).get(i + 1) {
                Some(next) => next.key.0,
                None => u32::try_from(tree.nodes.len()).ok()?,
            },
        };
        let level = Level {
            tree,
            text,
            map,
            entries,
            parent,
            indent: key - line,
            end,
            nodes_end,
        };
        level.start(0)?;
        Some(level)
    }

    /// Where the first line of entry `i` starts; `None` unless its key is the first thing on
    /// that line, at the mapping's column. (Only the entries that bound a run are looked at:
    /// the others are kept as they are.)
    fn start(&self, i: usize) -> Option<u32> {
        let key = u32::from(self.tree.span(self.entries.get(i)?.key).start()) as usize;
        let before = self.text.get(..key)?;
        let line = before.rfind('\n').map_or(0, |i| i + 1);
        (key - line == self.indent && before[line..].bytes().all(|b| b == b' '))
            .then(|| u32::try_from(line).ok())?
    }

    /// Where the block of entry `i` ends: where the next one starts, or the level's end.
    fn block_end(&self, i: usize) -> Option<u32> {
        if i + 1 < self.entries.len() {
            self.start(i + 1)
        } else {
            Some(self.end)
        }
    }

    /// The first node of entry `i`'s subtree (past the last entry, where the mapping's
    /// subtree ends).
    fn first_node(&self, i: usize) -> u32 {
        self.entries.get(i).map_or(self.nodes_end, |e| e.key.0)
    }

    /// The entry whose block holds the offset `x`, at or after the first block's start.
    fn block_of(&self, x: u32) -> Option<usize> {
        // Keys are in the order of their offsets; a block starts at the line of its key.
        let key_start = |e: &Entry| u32::from(self.tree.span(e.key).start());
        let after = self.entries.partition_point(|e| key_start(e) <= x);
        if after < self.entries.len() && self.start(after)? <= x {
            return Some(after);
        }
        Some(after.saturating_sub(1))
    }

    /// The entries whose blocks hold the changed bytes `first..end` and the characters on
    /// either side of them (the edit may extend the block before or start a new one).
    fn run(&self, first: u32, end: u32) -> Option<(usize, usize)> {
        let head = self.start(0)?;
        if first < head || end > self.end {
            return None;
        }
        let a = self.block_of(first.saturating_sub(1).max(head))?;
        let b = self.block_of(end.min(self.end.saturating_sub(1)).max(head))?;
        // The blocks that bound the run must start lines at the mapping's column, in order.
        let (sa, eb) = (self.start(a)?, self.block_end(b)?);
        (a <= b && sa < eb).then_some((a, b))
    }
}

/// A key that stands for the line that follows a run of blocks (see [`read_run`]).
const NEXT_KEY: &str = "next-block-of-the-run:\n";

/// A run of blocks read on its own.
struct Run {
    parsed: Parsed,
    /// How many nodes of `parsed` belong to the run (the rest stand for what follows it).
    nodes: usize,
    /// How many root entries belong to the run.
    entries: usize,
    /// The end the run's mapping gets from its children.
    end: u32,
}

/// The tree of a run of blocks read on its own: a block mapping whose keys are scalars at
/// column `indent`, without problems, aliases or unusual lines. When a line `followed` the
/// run (its column), a key stands for it, for the values whose ends depend on what comes next
/// (a block scalar ends where the next key starts); offsets at that key are moved to the
/// column of the real line.
fn read_run(text: &str, indent: usize, followed: Option<usize>) -> Option<Run> {
    if text.bytes().any(|b| matches!(b, b'\t' | b'\r')) || text.contains('\u{feff}') {
        return None;
    }
    for line in text.split('\n') {
        let column = line.len() - line.trim_start_matches(' ').len();
        if column == line.len() {
            continue;
        }
        if column < indent
            || (column == 0
                && (line.starts_with("---") || line.starts_with("...") || line.starts_with('%')))
        {
            return None;
        }
    }
    let len = u32::try_from(text.len()).ok()?;
    let (mut parsed, reached) = if followed.is_some() {
        let mut with_next = String::with_capacity(text.len() + indent + NEXT_KEY.len());
        with_next.push_str(text);
        with_next.extend(std::iter::repeat_n(' ', indent));
        with_next.push_str(NEXT_KEY);
        parse_until(&with_next, len)
    } else {
        parse_until(text, len)
    };
    if !parsed.errors.is_empty() || conversion_may_fail(&parsed.tree) {
        return None;
    }
    let tree = &parsed.tree;
    let root = tree.root?;
    if root.0 != 0 {
        return None;
    }
    let NodeKind::Mapping {
        entries,
        flow: false,
    } = &tree.node(root).kind
    else {
        return None;
    };
    let own = if followed.is_some() {
        // The stand-in is the last entry: a key and its empty value, the last two nodes.
        let last = entries.last()?;
        let nodes = parsed.tree.nodes.len();
        if tree.text(last.key) != NEXT_KEY.strip_suffix(":\n")
            || last.key.0 as usize + 2 != nodes
            || last.value.0 as usize + 1 != nodes
            || u32::from(tree.span(last.key).start()) < len
        {
            return None;
        }
        entries.len() - 1
    } else {
        entries.len()
    };
    let entries = &entries[..own];
    if entries.is_empty() {
        return None;
    }
    let mut line_start = 0;
    for (i, e) in entries.iter().enumerate() {
        let key = tree.node(e.key);
        if !matches!(key.kind, NodeKind::Scalar(_)) {
            return None;
        }
        let at = u32::from(tree.span(e.key).start()) as usize;
        line_start = text
            .get(..at)?
            .rfind('\n')
            .map_or(0, |n| n + 1)
            .max(line_start);
        if at.checked_sub(line_start) != Some(indent) || (i == 0 && line_start != 0) {
            return None;
        }
    }
    // Read in place, the run sits one level deeper than on its own.
    let mut depth = vec![0usize; tree.nodes.len()];
    for (i, n) in tree.nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            depth[i] = depth.get(p.0 as usize)? + 1;
            if depth[i] + 4 >= MAX_DEPTH {
                return None;
            }
        }
    }
    let end = if let Some(column) = followed {
        let at = len + u32::try_from(indent).ok()?;
        let real = len + u32::try_from(column).ok()?;
        let end = reached?;
        let place = |x: u32| match x {
            x if x <= len => Some(x),
            x if x == at => Some(real),
            _ => None,
        };
        let nodes = parsed.tree.nodes.len() - 2;
        for i in 1..nodes {
            let span = parsed.tree.nodes.span(i)?;
            let (a, b) = (place(span.start().into())?, place(span.end().into())?);
            parsed
                .tree
                .nodes
                .set_span(i, TextRange::new(a.into(), b.into()));
        }
        if parsed
            .tree
            .comments
            .iter()
            .any(|c| u32::from(c.span.end()) > len)
        {
            return None;
        }
        place(end)?
    } else {
        u32::from(parsed.tree.span(root).end())
    };
    let nodes = if followed.is_some() {
        parsed.tree.nodes.len() - 2
    } else {
        parsed.tree.nodes.len()
    };
    let entries = own;
    Some(Run {
        parsed,
        nodes,
        entries,
        end,
    })
}

/// The old tree with the entries `run` of `level`'s mapping replaced by the root entries of
/// `fresh` (offsets relative to `change.start`).
fn splice(
    old: &Tree,
    level: &Level,
    run: (usize, usize),
    run_read: &Run,
    change: Change,
) -> Option<Tree> {
    let fresh = &run_read.parsed;
    let map_entries = old.entries(level.map);
    let fresh_root = fresh.tree.root?;
    let fresh_entries = &fresh.tree.entries(fresh_root)[..run_read.entries];
    // No key of the run may repeat a key of the blocks around it. The old mapping has no
    // repeated key, so keys the run had before repeat none; others are looked for.
    let mut kept_keys: Vec<&str> = map_entries
        .get(run.0..=run.1)?
        .iter()
        .filter_map(|e| old.text(e.key))
        .collect();
    kept_keys.sort_unstable();
    let mut fresh_keys: Vec<&str> = fresh_entries
        .iter()
        .filter_map(|e| fresh.tree.text(e.key))
        .filter(|k| kept_keys.binary_search(k).is_err())
        .collect();
    if !fresh_keys.is_empty() {
        fresh_keys.sort_unstable();
        let outside = map_entries[..run.0]
            .iter()
            .chain(&map_entries[run.1 + 1..])
            .filter_map(|e| old.text(e.key));
        for k in outside {
            if fresh_keys.binary_search(&k).is_ok() {
                return None;
            }
        }
    }
    let ids = level.first_node(run.0);
    let ide = level.first_node(run.1 + 1);
    if ids > ide || ide as usize > old.nodes.len() {
        return None;
    }
    let added = u32::try_from(run_read.nodes - 1).ok()?;
    let total = (old.nodes.len() as u64 + u64::from(added)).checked_sub(u64::from(ide - ids))?;
    if total >= MAX_NODES as u64 {
        return None;
    }
    let moved = |id: NodeId| -> NodeId {
        if id.0 >= ide {
            NodeId(id.0 - ide + ids + added)
        } else {
            id
        }
    };
    let start = change.start;
    let placed = |id: NodeId| -> NodeId {
        if id.0 == 0 {
            level.map
        } else {
            NodeId(id.0 - 1 + ids)
        }
    };
    let shift = |r: TextRange| -> TextRange { r + TextSize::from(start) };
    // Nodes before the run keep their ids and those after it all move by the same amount
    // (none when the run has as many nodes as before): a container's children are shared
    // with the old tree unless they move.
    let moves = ids + added != ide;
    // The kind of a node of the old tree, its references renumbered.
    let kept_kind = |n: &Node| -> NodeKind {
        if moves && refers_from(&n.kind, ide) {
            relink(&n.kind, moved)
        } else {
            n.kind.clone()
        }
    };
    // A node of the old tree, renumbered, with its range (`span`) as in the old tree.
    let keep = |n: &Node, span: TextRange| -> Node {
        Node {
            span,
            kind: kept_kind(n),
            parent: n.parent.map(moved),
        }
    };
    // The chunks wholly before the run are shared; so are those after it when neither its
    // nodes' numbers nor their offsets change.
    let mut nodes = Nodes::default();
    let mut k = 0;
    while (k + 1) * NODE_CHUNK <= ids as usize && nodes.share(&old.nodes, k) {
        k += 1;
    }
    // Of the nodes before the run, only the mappings around it name nodes after it: the root
    // is renamed here when it is in a shared chunk, the level's mapping gets its entries below.
    if let Some((root, _)) = level.parent
        && (root.0 as usize) < nodes.len()
    {
        let kind = kept_kind(old.nodes.get(root.0 as usize)?);
        nodes.get_mut(root.0 as usize)?.kind = kind;
    }
    // Nodes before the run end before its first key (a block scalar ends after the
    // indentation of the line that follows it), which the edit kept in place: they keep
    // their offsets. The last one and the containers it ends reach the furthest.
    let reach = start.checked_add(u32::try_from(level.indent).ok()?)?;
    let mut last = Some(NodeId(ids - 1));
    while let Some(id) = last.filter(|&id| id != level.map) {
        if u32::from(old.span(id).end()) > reach {
            return None;
        }
        last = old.node(id).parent;
    }
    for i in nodes.len()..ids as usize {
        let (n, span) = old.nodes.get_spanned(i)?;
        // The mappings around the run get their ends below.
        if i != level.map.0 as usize
            && level.parent.is_none_or(|(r, _)| r.0 as usize != i)
            && u32::from(span.end()) > reach
        {
            return None;
        }
        nodes.push(keep(n, span));
    }
    for i in 1..run_read.nodes {
        let f = fresh.tree.nodes.get(i)?;
        nodes.push(Node {
            span: shift(fresh.tree.nodes.span(i)?),
            kind: relink(&f.kind, placed),
            parent: f.parent.map(placed),
        });
    }
    // After the run, offsets move by the length the edit added.
    let after = |r: TextRange| -> Option<TextRange> {
        let (a, b) = (u32::from(r.start()), u32::from(r.end()));
        if a < change.old_end {
            return None;
        }
        let a = (a - change.old_end).checked_add(change.new_end)?;
        let b = (b - change.old_end).checked_add(change.new_end)?;
        Some(TextRange::new(a.into(), b.into()))
    };
    let mut i = ide as usize;
    while i < old.nodes.len() {
        // Where the nodes keep their numbers, whole chunks are shared, their offsets moved
        // (every node in them must be after the edit).
        if !moves
            && i.is_multiple_of(NODE_CHUNK)
            && let Some(mut spans) = old.nodes.chunk_spans(i / NODE_CHUNK)
        {
            if !spans.all(|r| u32::from(r.start()) >= change.old_end) {
                return None;
            }
            let by = change.new_end.wrapping_sub(change.old_end);
            if nodes.share_moved(&old.nodes, i / NODE_CHUNK, by) {
                i += NODE_CHUNK;
                continue;
            }
        }
        let (n, span) = old.nodes.get_spanned(i)?;
        nodes.push(keep(n, after(span)?));
        i += 1;
    }
    if nodes.len() as u64 != total {
        return None;
    }
    // The mapping's entries, and the end of the mapping and of the root around it.
    let mut entries: Vec<Entry> = map_entries[..run.0].to_vec();
    entries.extend(fresh_entries.iter().map(|e| Entry {
        key: placed(e.key),
        value: placed(e.value),
    }));
    entries.extend(map_entries[run.1 + 1..].iter().map(|e| Entry {
        key: moved(e.key),
        value: moved(e.value),
    }));
    if let NodeKind::Mapping { entries: slot, .. } = &mut nodes[level.map.0 as usize].kind {
        *slot = entries.into();
    }
    // A block mapping ends where the last of its children ended when it was read (the
    // parser's end, before an empty value is placed after its colon): the old end when its
    // last entry is after the run, else the end of the run read on its own.
    let mut end = None;
    for (c, last) in [
        (Some(level.map), run.1 + 1 == map_entries.len()),
        (
            level.parent.map(|(root, _)| root),
            level
                .parent
                .is_some_and(|(root, i)| i + 1 == old.entries(root).len()),
        ),
    ] {
        let Some(c) = c else { continue };
        let new_end = match end {
            Some(e) if last => e,
            None if last => run_read.end + start,
            _ => change.map(u32::from(old.span(c).end()))?,
        };
        // Its start is where its first key is, which is kept (the run's first line starts
        // with a key at the same column).
        let first = u32::from(nodes.span(c.0 as usize)?.start());
        let begin = change.map(first).or_else(|| {
            let fresh_first = u32::from(fresh.tree.span(fresh_root).start()) + start;
            (c == level.map && run.0 == 0 && fresh_first == first).then_some(first)
        })?;
        let span = TextRange::new(TextSize::from(begin), TextSize::from(new_end.max(begin)));
        nodes.set_span(c.0 as usize, span);
        end = Some(new_end);
    }
    let mut comments: Vec<Comment> = Vec::new();
    let before = old
        .comments
        .partition_point(|c| u32::from(c.span.start()) < start);
    let after = old
        .comments
        .partition_point(|c| u32::from(c.span.start()) < change.old_end);
    comments.extend_from_slice(&old.comments[..before]);
    comments.extend(fresh.tree.comments.iter().map(|c| Comment {
        span: shift(c.span),
        text: c.text.clone(),
    }));
    for c in &old.comments[after..] {
        comments.push(Comment {
            span: change.map_range(c.span)?,
            text: c.text.clone(),
        });
    }
    if comments.len() >= MAX_COMMENTS {
        return None;
    }
    Some(Tree {
        nodes,
        root: old.root,
        comments,
    })
}

/// Whether a node refers to a node numbered `from` or later (children are numbered after
/// their container and in order, so the last one is the highest).
fn refers_from(kind: &NodeKind, from: u32) -> bool {
    match kind {
        NodeKind::Scalar(_) => false,
        NodeKind::Mapping { entries, .. } => entries
            .last()
            .is_some_and(|e| e.key.0.max(e.value.0) >= from),
        NodeKind::Sequence { items, .. } => items.last().is_some_and(|i| i.0 >= from),
        NodeKind::Alias { target } => target.is_some_and(|t| t.0 >= from),
    }
}

/// A node's kind with its children renamed.
fn relink(kind: &NodeKind, f: impl Fn(NodeId) -> NodeId) -> NodeKind {
    match kind {
        NodeKind::Scalar(s) => NodeKind::Scalar(s.clone()),
        NodeKind::Mapping { entries, flow } => NodeKind::Mapping {
            entries: entries
                .iter()
                .map(|e| Entry {
                    key: f(e.key),
                    value: f(e.value),
                })
                .collect(),
            flow: *flow,
        },
        NodeKind::Sequence { items, flow } => NodeKind::Sequence {
            items: items.iter().map(|&i| f(i)).collect(),
            flow: *flow,
        },
        NodeKind::Alias { target } => NodeKind::Alias {
            target: target.map(f),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::yaml::parse;
    use std::fmt::Write as _;

    const PROJECT: &str = "name: x\nparts:\n  a:\n    plugin: nil\n  b:\n    plugin: dump\n    source: .\nservices:\n  s:\n    command: c\n";

    /// The tree `reparse` builds for `new` from `old`, checked against a full read.
    fn reread(old: &str, new: &str) -> Option<Change> {
        let (tree, change) = reparse(&parse(old).tree, old, new)?;
        let full = parse(new);
        assert!(full.errors.is_empty(), "{new}");
        assert_eq!(tree.nodes, full.tree.nodes, "{new}");
        assert_eq!(tree.comments, full.tree.comments, "{new}");
        Some(change)
    }

    #[test]
    fn an_edit_in_one_part_rereads_that_part() {
        let new = PROJECT.replace("plugin: dump", "plugin: dumpy");
        let change = reread(PROJECT, &new).expect("incremental");
        assert_eq!(
            &new[change.start as usize..change.new_end as usize],
            "  b:\n    plugin: dumpy\n    source: .\n"
        );
        assert_eq!(change.map(0), Some(0));
        assert_eq!(change.map(change.old_end), Some(change.new_end));
        assert_eq!(change.map(change.start + 1), None);
        assert_eq!(change.unmap(change.new_end), Some(change.old_end));
        assert_eq!(change.unmap(change.start), None);
    }

    #[test]
    fn a_new_part_and_a_new_top_level_key_are_read_in_place() {
        let added = PROJECT.replace("  b:\n", "  c:\n    plugin: nil\n  b:\n");
        assert!(reread(PROJECT, &added).is_some());
        let top = PROJECT.replace("services:", "summary: s\nservices:");
        assert!(reread(PROJECT, &top).is_some());
    }

    /// A project with enough parts for its tree to span many chunks of nodes.
    fn many_parts(parts: usize) -> String {
        let mut text = String::from("name: x\nparts:\n");
        for i in 0..parts {
            let _ = write!(
                text,
                "  p{i}:\n    plugin: nil\n    stage-packages:\n      - a{i}\n      - b\n    override-build: |\n      make {i}\n"
            );
        }
        text.push_str("services:\n  s:\n    command: c\n");
        text
    }

    #[test]
    fn edits_across_chunks_of_nodes_give_the_full_read() {
        let old = many_parts(700);
        assert!(parse(&old).tree.nodes.len() > 4 * NODE_CHUNK);
        let mut edits = 0;
        // Parts at chunk boundaries and in between, from the first to the last.
        for i in [0, 1, 63, 64, 65, 127, 128, 300, 511, 512, 699] {
            let at = old.find(&format!("  p{i}:\n")).expect("part");
            let value = at + old[at..].find("nil").expect("plugin");
            let mut same_length = old.clone();
            same_length.replace_range(value..value + 3, "dmp");
            let mut longer = old.clone();
            longer.insert(value, 'x');
            let mut shorter = old.clone();
            shorter.remove(value);
            let line = at + old[at..].find("      - b\n").expect("item");
            let mut fewer = old.clone();
            fewer.replace_range(line..line + "      - b\n".len(), "");
            let mut more = old.clone();
            more.insert_str(at, "  new:\n    plugin: nil\n");
            for (k, new) in [same_length, longer, shorter, fewer, more]
                .into_iter()
                .enumerate()
            {
                assert!(reread(&old, &new).is_some(), "part {i}, edit {k}");
                edits += 1;
            }
        }
        // A value of the last top-level key, after every part.
        let at = old.rfind("command: c").expect("command") + "command: ".len();
        let mut new = old.clone();
        new.replace_range(at..=at, "d");
        assert!(reread(&old, &new).is_some());
        assert_eq!(edits, 55);
    }

    #[test]
    fn chained_edits_share_the_chunks_after_them_and_give_the_full_read() {
        let mut text = many_parts(700);
        let mut tree = parse(&text).tree;
        // Each edit is read from the tree the one before it made, so the chunks after it are
        // shared with their offsets moved again (forward and back, from the top to the end).
        let steps = [
            (5, "x"),
            (600, "a-much-longer-value"),
            (0, "y"),
            (300, "nil"),
            (699, "zz"),
            (128, "n"),
            (5, "a-much-much-longer-value"),
            (600, "n"),
            (1, ""),
            (1, "nil"),
        ];
        for (step, (part, value)) in steps.into_iter().enumerate() {
            let head = format!("  p{part}:\n    plugin: ");
            let at = text.find(&head).expect("part") + head.len();
            let end = at + text[at..].find('\n').expect("line end");
            let mut new = text.clone();
            new.replace_range(at..end, value);
            let (next, _) = reparse(&tree, &text, &new).expect("read in place");
            let full = parse(&new);
            assert_eq!(next.nodes, full.tree.nodes, "step {step}");
            assert_eq!(next.comments, full.tree.comments, "step {step}");
            // The edited part's chunk and the first one (the mapping of the parts, whose
            // entries are renumbered) are copied; a part may straddle two chunks.
            let chunks = tree.nodes.full_chunks();
            let shared = next.nodes.chunks_shared_with(&tree.nodes);
            assert!(
                shared + 3 >= chunks,
                "step {step}: {shared} of {chunks} shared"
            );
            (text, tree) = (new, next);
        }
    }

    #[test]
    fn blocks_that_are_not_independent_are_read_in_full() {
        for new in [
            // A key that another block has.
            PROJECT.replace("  b:\n", "  a:\n"),
            // An alias, an anchor's use.
            PROJECT.replace("source: .", "source: *x"),
            // A tab, a line left of the parts, a flow mapping left open.
            PROJECT.replace("source: .", "source:\t."),
            PROJECT.replace("    source: .", " source: ."),
            PROJECT.replace("source: .", "source: {a: 1"),
            // A second document.
            PROJECT.replace("services:", "---\nservices:"),
        ] {
            let old = parse(PROJECT);
            assert!(reparse(&old.tree, PROJECT, &new).is_none(), "{new}");
        }
    }
}
