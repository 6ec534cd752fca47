//! An index over a [`Tree`] built once in one pass, for callers that locate many offsets or
//! paths in the same document (the project-model stage maps every finding of the expanded
//! project back to its path): [`Tree::node_at`] and [`Tree::path_of`] scan each mapping's
//! entries, which is quadratic over tens of thousands of keys; the index answers the same in
//! `O(depth · log width)` and `O(depth)`.

use super::{NodeId, NodeKind, PathSeg, Tree, contains};

/// No position in a parent.
const NONE: u32 = u32::MAX;

/// See the module documentation. Answers exactly what the [`Tree`] methods answer.
#[derive(Debug)]
pub struct TreeIndex<'t> {
    tree: &'t Tree,
    /// Per node: its position among its parent's children (a mapping's entry `i` is `2i` for
    /// its key and `2i + 1` for its value), or [`NONE`].
    slot: Vec<u32>,
    /// Per container: whether its children's spans start and end in order, so that the first
    /// child containing an offset can be found by binary search.
    ordered: Vec<bool>,
}

impl Tree {
    /// An index of this tree (one pass over its nodes).
    #[must_use]
    pub fn index(&self) -> TreeIndex<'_> {
        let mut slot = vec![NONE; self.nodes.len()];
        let mut ordered = vec![false; self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            let id = NodeId(u32::try_from(i).unwrap_or(u32::MAX));
            let children = children(&node.kind);
            let mut last = (0, 0);
            let mut in_order = true;
            for (pos, child) in children.iter().enumerate() {
                let Some((n, r)) = self.nodes.get_spanned(child.0 as usize) else {
                    in_order = false;
                    continue;
                };
                let span = (u32::from(r.start()), u32::from(r.end()));
                in_order &= span.0 >= last.0 && span.1 >= last.1;
                last = span;
                let here = &mut slot[child.0 as usize];
                if n.parent == Some(id) && *here == NONE {
                    *here = u32::try_from(pos).unwrap_or(NONE);
                }
            }
            ordered[i] = in_order;
        }
        TreeIndex {
            tree: self,
            slot,
            ordered,
        }
    }
}

/// A container's children in order (a mapping's keys and values interleaved).
fn children(kind: &NodeKind) -> Vec<NodeId> {
    match kind {
        NodeKind::Mapping { entries, .. } => {
            entries.iter().flat_map(|e| [e.key, e.value]).collect()
        }
        NodeKind::Sequence { items, .. } => items.to_vec(),
        _ => Vec::new(),
    }
}

impl TreeIndex<'_> {
    /// [`Tree::node_at`]: the innermost node whose span contains `offset`.
    #[must_use]
    pub fn node_at(&self, offset: u32) -> Option<NodeId> {
        let tree = self.tree;
        let mut cur = tree.root?;
        if !contains(tree.span(cur), offset) {
            return None;
        }
        loop {
            let next = match &tree.node(cur).kind {
                NodeKind::Mapping { entries, .. } => {
                    let child = |i: usize| {
                        let e = entries[i / 2];
                        if i.is_multiple_of(2) { e.key } else { e.value }
                    };
                    self.first_containing(cur, entries.len() * 2, child, offset)
                }
                NodeKind::Sequence { items, .. } => {
                    self.first_containing(cur, items.len(), |i| items[i], offset)
                }
                _ => None,
            };
            match next {
                Some(id) => cur = id,
                None => return Some(cur),
            }
        }
    }

    /// The first of `len` children (`child(i)`) of `parent` whose span contains `offset`.
    fn first_containing(
        &self,
        parent: NodeId,
        len: usize,
        child: impl Fn(usize) -> NodeId,
        offset: u32,
    ) -> Option<NodeId> {
        let span = |i: usize| self.tree.span(child(i));
        if !self.ordered[parent.0 as usize] {
            return (0..len)
                .map(&child)
                .find(|&id| contains(self.tree.span(id), offset));
        }
        // Ends in order: the children before the first one ending at or after `offset` all
        // end before it; starts in order: if that one starts after `offset`, so do the rest.
        let (mut lo, mut hi) = (0, len);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if u32::from(span(mid).end()) < offset {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo < len && contains(span(lo), offset)).then(|| child(lo))
    }

    /// [`Tree::path_of`]: the path from the root to `id`, and whether `id` is a mapping key.
    #[must_use]
    pub fn path_of(&self, id: NodeId) -> (Vec<PathSeg>, bool) {
        let tree = self.tree;
        let mut path = Vec::new();
        let mut is_key = false;
        let mut cur = id;
        let mut first = true;
        while let Some(parent) = tree.node(cur).parent {
            let slot = self.slot[cur.0 as usize];
            if slot != NONE {
                match &tree.node(parent).kind {
                    NodeKind::Mapping { entries, .. } => {
                        let e = entries[slot as usize / 2];
                        if slot.is_multiple_of(2) && first {
                            is_key = true;
                        }
                        path.push(PathSeg::Key(
                            tree.text(e.key).unwrap_or_default().to_owned(),
                        ));
                    }
                    NodeKind::Sequence { .. } => path.push(PathSeg::Index(slot as usize)),
                    _ => {}
                }
            }
            first = false;
            cur = parent;
        }
        path.reverse();
        (path, is_key)
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;

    fn agrees(text: &str) {
        let tree = parse(text).tree;
        let index = tree.index();
        for offset in 0..=u32::try_from(text.len()).unwrap() + 1 {
            let want = tree.node_at(offset);
            assert_eq!(index.node_at(offset), want, "{text:?} at {offset}");
        }
        for i in 0..tree.nodes.len() {
            let id = super::NodeId(u32::try_from(i).unwrap());
            assert_eq!(index.path_of(id), tree.path_of(id), "{text:?} node {i}");
        }
    }

    /// The same on every project of the golden cases.
    #[test]
    fn index_agrees_with_the_tree_on_the_golden_projects() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        let mut seen = 0;
        for case in std::fs::read_dir(root).unwrap().flatten() {
            if let Ok(text) = std::fs::read_to_string(case.path().join("input/rockcraft.yaml")) {
                agrees(&text);
                seen += 1;
            }
        }
        assert!(seen > 100, "{seen} golden projects");
    }

    /// The index answers what the tree answers, at every offset of every document.
    #[test]
    fn index_agrees_with_the_tree_everywhere() {
        let docs = [
            "name: x\nparts:\n  a:\n    plugin: nil\n    prime: [a, b, {c: d}]\n  b: &x\n    k:\nz: *x\n",
            "a: {b: 1, c: [1, 2, {d: }], e: }\n- broken\n  x: [\n",
            "k:\nl:\n? complex\n: v\n[1, 2]: 3\n",
            "a: 1\na: 2\nb:\n  - - x\n    - y\n  -\n  - {}\n",
            "",
            "# only a comment\n",
            "{a: 1, a: 1, a: 1, b: [x, y], c: {d: e}}",
            "a: |\n  text\n  more\nb: >-\n  folded\nc: 'q'\n\"d\": \"e\"\n",
        ];
        for text in docs {
            agrees(text);
        }
    }
}
